// JSON.serialize / deserialize / deserializeStrict / deserializeUntyped.
import type { Loc } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import { OBJECT, prim, typeName } from "../runtime/types.js";
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  ApexTime,
  EnumValue,
  NativeObject,
  SObjectValue,
  TypeValue,
  doubleToString,
  type Value,
  type RType
} from "../runtime/values.js";
import { mapEntries, setItems, str } from "../runtime/operators.js";
import { collectionAdd, mapPut } from "./collections.js";
import { parseDatetimeText } from "./datetime.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { coerce, fieldType } from "../runtime/conversion.js";
import { relationshipField } from "../runtime/describe.js";

// ---- a JSON parser that keeps number text, so Decimals keep their digits ----

export type JNode =
  | { t: "null" }
  | { t: "bool"; v: boolean }
  | { t: "num"; text: string }
  | { t: "str"; v: string }
  | { t: "arr"; items: JNode[] }
  | { t: "obj"; entries: [string, JNode][] };

export class JsonSyntaxError extends Error {}

export function parseJson(text: string): JNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const err = (what: string): never => {
    throw new JsonSyntaxError(
      i >= text.length
        ? `Unexpected end-of-input: ${what}`
        : `Unexpected character ('${text[i]}' (code ${text.charCodeAt(i)})): ${what} at [line:1, column:${i + 1}]`
    );
  };
  const value = (): JNode => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: [string, JNode][] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { t: "obj", entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') err("was expecting double-quote to start field name");
        const k = string();
        ws();
        if (text[i] !== ":") err("was expecting a colon to separate field name and value");
        i++;
        entries.push([k, value()]);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return { t: "obj", entries };
        }
        err("was expecting comma to separate OBJECT entries");
      }
    }
    if (c === "[") {
      i++;
      const items: JNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { t: "arr", items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { t: "arr", items };
        }
        err("was expecting comma to separate ARRAY entries");
      }
    }
    if (c === '"') return { t: "str", v: string() };
    if (text.startsWith("true", i)) {
      i += 4;
      return { t: "bool", v: true };
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return { t: "bool", v: false };
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return { t: "null" };
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      return { t: "num", text: m[0] };
    }
    return err("expected a valid value");
  };
  const string = (): string => {
    i++;
    let out = "";
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        const n = text[i + 1];
        const map: Record<string, string> = {
          n: "\n",
          t: "\t",
          r: "\r",
          b: "\b",
          f: "\f",
          '"': '"',
          "\\": "\\",
          "/": "/"
        };
        if (n === "u") {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          out += map[n] ?? n;
          i += 2;
        }
      } else out += text[i++];
    }
    if (text[i] !== '"') err("unterminated string");
    i++;
    return out;
  };
  const v = value();
  ws();
  if (i < text.length) err("expected end of input");
  return v;
}

// ---- serialize ----

function quote(s: string): string {
  return JSON.stringify(s);
}

export function serialize(rt: RuntimeContext, v: Value, suppressNulls: boolean, pretty: boolean, loc: Loc): string {
  const out = toJsonText(rt, v, suppressNulls, loc);
  return pretty ? prettyPrint(out) : out;
}

function toJsonText(rt: RuntimeContext, v: Value, sup: boolean, loc: Loc): string {
  const rec = (x: Value) => toJsonText(rt, x, sup, loc);
  if (v === null) return "null";
  if (typeof v === "string") return quote(v);
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "bigint") return String(v);
  if (v instanceof ApexDecimal) return v.toString();
  if (v instanceof ApexDouble) return doubleToString(v.v);
  if (v instanceof ApexDate) return quote(v.toString());
  if (v instanceof ApexDatetime) return quote(new Date(v.ms).toISOString());
  if (v instanceof ApexTime) return quote(v.toString());
  if (v instanceof ApexBlob) return quote(v.bytes.toString("base64"));
  if (v instanceof EnumValue) return quote(v.name);
  if (v instanceof ApexList) return `[${v.items.map(rec).join(",")}]`;
  if (v instanceof ApexSet) return `[${setItems(v).map(rec).join(",")}]`;
  if (v instanceof ApexMap)
    return `{${mapEntries(v)
      .map(([k, x]) => `${quote(k === null ? "null" : str(rt, k))}:${rec(x)}`)
      .join(",")}}`;
  if (v instanceof SObjectValue) {
    const id = v.fields.get("id");
    const attrs = `"attributes":{"type":${quote(v.type.name)}${typeof id === "string" ? `,"url":${quote(`/services/data/v62.0/sobjects/${v.type.name}/${id}`)}` : ""}}`;
    const parts = [attrs];
    for (const [k, x] of v.fields) {
      const fd = v.type.fields.get(k);
      const rel = relationshipField(v.type, k);
      const child = v.type.childRelationships.get(k);
      const name = fd?.name ?? rel?.relationshipName ?? child?.name ?? k;
      if (x instanceof ApexList)
        parts.push(`${quote(name)}:{"totalSize":${x.items.length},"done":true,"records":${rec(x)}}`);
      else parts.push(`${quote(name)}:${rec(x)}`);
    }
    return `{${parts.join(",")}}`;
  }
  if (v instanceof ApexObject) {
    if (v.ex) unsupported(rt, "JSON.serialize of an exception", loc);
    const parts: string[] = [];
    const chain = [];
    for (let c: typeof v.cls | null = v.cls; c && c.decl; c = c.parent) chain.unshift(c);
    for (const c of chain) {
      for (const f of c.decl!.fields) {
        if (f.isStatic || f.mods.keywords.has("transient")) continue;
        const x = rt.readProperty(v, f.name, loc);
        if (x === null && sup) continue;
        parts.push(`${quote(f.name)}:${rec(x)}`);
      }
    }
    return `{${parts.join(",")}}`;
  }
  if (v instanceof TypeValue) return quote(typeName(v.type));
  if (v instanceof NativeObject) unsupported(rt, `JSON.serialize of ${v.typeName}`, loc);
  return "null";
}

/** Pretty printing in the style of the platform's JSON generator (Jackson's default printer). */
function prettyPrint(json: string): string {
  const out = (n: JNode, indent: string): string => {
    switch (n.t) {
      case "null":
        return "null";
      case "bool":
        return String(n.v);
      case "num":
        return n.text;
      case "str":
        return quote(n.v);
      case "arr":
        return n.items.length === 0 ? "[ ]" : `[ ${n.items.map((x) => out(x, indent)).join(", ")} ]`;
      case "obj": {
        if (n.entries.length === 0) return "{ }";
        const inner = indent + "  ";
        return `{\n${n.entries.map(([k, x]) => `${inner}${quote(k)} : ${out(x, inner)}`).join(",\n")}\n${indent}}`;
      }
    }
  };
  return out(parseJson(json), "");
}

// ---- deserialize ----

/** A JSON scalar as deserializeUntyped returns it: whole numbers become Integer or Long, others Decimal. */
function scalar(n: Exclude<JNode, { t: "arr" } | { t: "obj" }>): Value {
  switch (n.t) {
    case "null":
      return null;
    case "bool":
    case "str":
      return n.v;
    case "num":
      return numberValue(n.text);
  }
}

function numberValue(text: string): Value {
  if (/^-?\d+$/.test(text)) {
    const b = BigInt(text);
    if (b >= -2147483648n && b <= 2147483647n) return Number(b);
    return b;
  }
  return ApexDecimal.parse(text);
}

export function installJson(lib: Stdlib) {
  const rt = lib.runtime;
  const data = lib.data;
  const jsonErr = (msg: string): never => throwApex(rt, "JSONException", msg);
  const parse = (v: Value): JNode => {
    if (v === null) nullPointer(rt);
    try {
      return parseJson(String(v));
    } catch (e) {
      if (e instanceof JsonSyntaxError) jsonErr(e.message);
      throw e;
    }
  };
  const toUntyped = (n: JNode): Value => {
    if (n.t === "obj") {
      const m = new ApexMap(prim("String"), OBJECT);
      for (const [k, x] of n.entries) mapPut(rt, m, k, toUntyped(x));
      return m;
    }
    if (n.t === "arr") return new ApexList(OBJECT, n.items.map(toUntyped));
    return scalar(n);
  };

  const typed = (n: JNode, t: RType, strict: boolean, loc: Loc): Value => {
    if (n.t === "null") return null;
    switch (t.kind) {
      case "prim": {
        switch (t.name) {
          case "Object":
            return toUntyped(n);
          case "String":
            if (n.t === "str") return n.v;
            if (n.t === "num") return n.text;
            if (n.t === "bool") return String(n.v);
            break;
          case "Id":
            if (n.t === "str") return coerce(rt, n.v, t);
            break;
          case "Boolean":
            if (n.t === "bool") return n.v;
            if (n.t === "str") return n.v.toLowerCase() === "true";
            break;
          case "Integer":
          case "Long":
          case "Decimal":
          case "Double": {
            const text =
              n.t === "num"
                ? n.text
                : n.t === "str" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(n.v.trim())
                  ? n.v.trim()
                  : null;
            if (text === null) break;
            if (t.name === "Decimal") return ApexDecimal.parse(text);
            if (t.name === "Double") return new ApexDouble(Number(text));
            if (!/^-?\d+$/.test(text)) jsonErr(`Illegal value for primitive: ${text}`);
            const b = BigInt(text);
            if (t.name === "Long") return BigInt.asIntN(64, b);
            if (b > 2147483647n || b < -2147483648n) jsonErr(`Illegal value for primitive: ${text}`);
            return Number(b);
          }
          case "Date":
            if (n.t === "str") {
              const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(n.v);
              if (m) return new ApexDate(+m[1], +m[2], +m[3]);
            }
            break;
          case "Datetime":
            if (n.t === "str") {
              const ms = parseDatetimeText(n.v);
              if (ms !== null) return new ApexDatetime(ms);
            }
            break;
          case "Blob":
            if (n.t === "str") return new ApexBlob(Buffer.from(n.v, "base64"));
            break;
        }
        return jsonErr(`Illegal value for primitive`);
      }
      case "list":
      case "set": {
        if (n.t !== "arr") return jsonErr(`Expected ${typeName(t)} but found ${describe(n)} at [line:1, column:1]`);
        if (t.kind === "list")
          return new ApexList(
            t.elem,
            n.items.map((x) => typed(x, t.elem, strict, loc))
          );
        const s = new ApexSet(t.elem);
        for (const x of n.items) collectionAdd(rt, s, typed(x, t.elem, strict, loc));
        return s;
      }
      case "map": {
        if (n.t !== "obj") return jsonErr(`Expected ${typeName(t)} but found ${describe(n)} at [line:1, column:1]`);
        const m = new ApexMap(t.key, t.value);
        for (const [k, x] of n.entries)
          mapPut(rt, m, typed({ t: "str", v: k }, t.key, strict, loc), typed(x, t.value, strict, loc));
        return m;
      }
      case "class": {
        const ci = t.cls;
        if (ci.kind === "enum") {
          if (n.t !== "str") return jsonErr(`Illegal value for enum ${ci.name}`);
          return ci.enumValues.find((e) => (e as EnumValue).name.toLowerCase() === n.v.toLowerCase()) ?? null;
        }
        if (n.t !== "obj") return jsonErr(`Expected ${ci.name} but found ${describe(n)} at [line:1, column:1]`);
        if (!ci.decl || ci.kind === "interface") unsupported(rt, `JSON.deserialize into ${ci.name}`, loc);
        // The platform creates the object without running constructors or initialisers.
        const obj = new ApexObject(ci);
        for (let c: typeof ci | null = ci; c && c.decl; c = c.parent) {
          for (const f of c.decl.fields) if (!f.isStatic) obj.fields.set(f.name.toLowerCase(), null);
        }
        for (const [k, x] of n.entries) {
          let owner: typeof ci | null = null;
          for (let c: typeof ci | null = ci; c && c.decl && !owner; c = c.parent) {
            const f = c.fields.get(k.toLowerCase());
            if (f && !f.isStatic) owner = c;
          }
          if (!owner) {
            if (strict) jsonErr(`Unknown field: ${ci.name}.${k}`);
            continue;
          }
          const f = owner.fields.get(k.toLowerCase())!;
          obj.fields.set(f.name.toLowerCase(), typed(x, rt.resolveType(f.type, owner, f), strict, loc));
        }
        return obj;
      }
      case "sobject": {
        if (n.t !== "obj" || !t.obj) return jsonErr(`Expected ${typeName(t)} but found ${describe(n)}`);
        const rec = data.newRecord(t.obj);
        for (const [k, x] of n.entries) {
          if (k === "attributes") continue;
          const f = t.obj.fields.get(k.toLowerCase());
          if (!f) {
            // Parent records and child lists, as JSON.serialize writes them for queried rows.
            const key = k.toLowerCase();
            const parent = relationshipField(t.obj, key);
            const parentObj = parent ? data.schema.get(parent.referenceTo[0]) : undefined;
            if (parentObj) {
              rec.fields.set(key, typed(x, { kind: "sobject", obj: parentObj }, strict, loc));
              continue;
            }
            const child = t.obj.childRelationships.get(key);
            const childObj = child ? data.schema.get(child.childObject) : undefined;
            if (childObj) {
              const rows = x.t === "obj" ? x.entries.find(([rk]) => rk === "records")?.[1] : x;
              const listType: RType = { kind: "list", elem: { kind: "sobject", obj: childObj } };
              rec.fields.set(key, x.t === "null" || !rows ? null : typed(rows, listType, strict, loc));
              continue;
            }
            return jsonErr(`No such column '${k}' on sobject of type ${t.obj.name}`);
          }
          rec.fields.set(f.name.toLowerCase(), typed(x, fieldType(f), strict, loc));
        }
        return rec;
      }
      case "native":
        unsupported(rt, `JSON.deserialize into ${t.name}`, loc);
    }
  };

  const typeArg = (v: Value, loc: Loc): RType => {
    if (!(v instanceof TypeValue)) unsupported(rt, "JSON.deserialize without a Type argument", loc);
    return v.type;
  };

  lib.static_("JSON", {
    serialize: (a, l) => serialize(rt, a[0], a[1] === true, false, l),
    serializePretty: (a, l) => serialize(rt, a[0], a[1] === true, true, l),
    deserialize: (a, l) => typed(parse(a[0]), typeArg(a[1], l), false, l),
    deserializeStrict: (a, l) => typed(parse(a[0]), typeArg(a[1], l), true, l),
    deserializeUntyped: (a) => toUntyped(parse(a[0])),
    createParser: (a) => createParser(parse(a[0])),
    createGenerator: (a) => new NativeObject("JSONGenerator", { gen: new Generator(a[0] === true) })
  });

  // ---- JSONParser: a token stream over the parsed document ----
  type Tok = { token: string; name: string | null; node: JNode | null; end?: number };
  const tokensOf = (root: JNode): Tok[] => {
    const out: Tok[] = [];
    const walk = (n: JNode, name: string | null) => {
      if (n.t === "obj") {
        const start = out.push({ token: "START_OBJECT", name, node: n }) - 1;
        for (const [k, v] of n.entries) {
          out.push({ token: "FIELD_NAME", name: k, node: null });
          walk(v, k);
        }
        out.push({ token: "END_OBJECT", name, node: null });
        out[start].end = out.length - 1;
      } else if (n.t === "arr") {
        const start = out.push({ token: "START_ARRAY", name, node: n }) - 1;
        for (const v of n.items) walk(v, name);
        out.push({ token: "END_ARRAY", name, node: null });
        out[start].end = out.length - 1;
      } else {
        const token =
          n.t === "null"
            ? "VALUE_NULL"
            : n.t === "bool"
              ? n.v
                ? "VALUE_TRUE"
                : "VALUE_FALSE"
              : n.t === "str"
                ? "VALUE_STRING"
                : /^-?\d+$/.test(n.text)
                  ? "VALUE_NUMBER_INT"
                  : "VALUE_NUMBER_FLOAT";
        out.push({ token, name, node: n });
      }
    };
    walk(root, null);
    return out;
  };
  function createParser(root: JNode): NativeObject {
    return new NativeObject("JSONParser", { tokens: tokensOf(root), pos: -1, cleared: null });
  }
  type P = { tokens: Tok[]; pos: number; cleared: string | null };
  const st = (o: NativeObject) => o.data as unknown as P;
  const cur = (o: NativeObject): Tok | null => st(o).tokens[st(o).pos] ?? null;
  const scalarText = (o: NativeObject): string | null => {
    const t = cur(o);
    if (!t) return null;
    if (t.token === "FIELD_NAME") return t.name;
    const n = t.node;
    if (!n) return t.token === "END_OBJECT" ? "}" : "]";
    if (n.t === "str") return n.v;
    if (n.t === "num") return n.text;
    if (n.t === "bool") return String(n.v);
    if (n.t === "null") return "null";
    return n.t === "obj" ? "{" : "[";
  };
  const num = (o: NativeObject): JNode => {
    const t = cur(o);
    if (!t || !t.node || (t.node.t !== "num" && t.node.t !== "str"))
      throwApex(rt, "JSONException", "Current token is not a number");
    return t.node;
  };
  const readAs = (o: NativeObject, a: Value[], strict: boolean, loc: Loc): Value => {
    const t = cur(o);
    if (!t) return null;
    const node = t.node ?? { t: "null" as const };
    const v = typed(node, typeArg(a[0], loc), strict, loc);
    if (t.end !== undefined) st(o).pos = t.end;
    return v;
  };
  const tok = (name: string | null | undefined) => lib.enumValue("JSONToken", name ?? null);
  lib.nativeType("System.JSONParser");
  lib.instance<NativeObject>("jsonparser", {
    nextToken: (o) => {
      const p = st(o);
      if (p.pos < p.tokens.length) p.pos++;
      return tok(cur(o)?.token);
    },
    nextValue: (o) => {
      const p = st(o);
      do p.pos++;
      while (p.pos < p.tokens.length && p.tokens[p.pos].token === "FIELD_NAME");
      return tok(cur(o)?.token);
    },
    getCurrentToken: (o) => tok(cur(o)?.token),
    hasCurrentToken: (o) => cur(o) !== null,
    clearCurrentToken: (o) => {
      st(o).cleared = cur(o)?.token ?? null;
      st(o).tokens = [...st(o).tokens];
      st(o).tokens[st(o).pos] = undefined as unknown as Tok;
      return null;
    },
    getLastClearedToken: (o) => tok(st(o).cleared),
    getCurrentName: (o) => cur(o)?.name ?? null,
    getText: (o) => scalarText(o),
    getIntegerValue: (o) => {
      const n = num(o);
      return Number(n.t === "num" ? n.text : n.t === "str" ? n.v : 0) | 0;
    },
    getLongValue: (o) => {
      const n = num(o);
      return BigInt((n.t === "num" ? n.text : n.t === "str" ? n.v : "0").replace(/\..*$/, ""));
    },
    getDecimalValue: (o) => {
      const n = num(o);
      return ApexDecimal.parse(n.t === "num" ? n.text : n.t === "str" ? n.v : "0");
    },
    getDoubleValue: (o) => {
      const n = num(o);
      return new ApexDouble(Number(n.t === "num" ? n.text : n.t === "str" ? n.v : 0));
    },
    getBooleanValue: (o) => {
      const t = cur(o);
      if (!t || !t.node || t.node.t !== "bool") throwApex(rt, "JSONException", "Current token is not a boolean");
      return t.node.v;
    },
    getDateValue: (o, _a, l) => typed(cur(o)?.node ?? { t: "null" }, prim("Date"), false, l),
    getDatetimeValue: (o, _a, l) => typed(cur(o)?.node ?? { t: "null" }, prim("Datetime"), false, l),
    getIdValue: (o, _a, l) => typed(cur(o)?.node ?? { t: "null" }, prim("Id"), false, l),
    skipChildren: (o) => {
      const t = cur(o);
      if (t && t.end !== undefined) st(o).pos = t.end;
      return null;
    },
    readValueAs: (o, a, l) => readAs(o, a, false, l),
    readValueAsStrict: (o, a, l) => readAs(o, a, true, l)
  });
  lib.systemEnum("System.JSONToken", [
    "START_OBJECT",
    "END_OBJECT",
    "START_ARRAY",
    "END_ARRAY",
    "FIELD_NAME",
    "VALUE_STRING",
    "VALUE_NUMBER_INT",
    "VALUE_NUMBER_FLOAT",
    "VALUE_TRUE",
    "VALUE_FALSE",
    "VALUE_NULL",
    "NOT_AVAILABLE",
    "VALUE_EMBEDDED_OBJECT"
  ]);

  // ---- JSONGenerator ----
  lib.nativeType("System.JSONGenerator");
  const g = (o: NativeObject) => o.data.gen as Generator;
  const val = (v: Value, l: Loc) => serialize(rt, v, false, false, l);
  lib.instance<NativeObject>("jsongenerator", {
    writeStartObject: (o) => (g(o).open("{"), null),
    writeEndObject: (o) => (g(o).close("}"), null),
    writeStartArray: (o) => (g(o).open("["), null),
    writeEndArray: (o) => (g(o).close("]"), null),
    writeFieldName: (o, a) => (g(o).field(String(a[0])), null),
    writeString: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeNumber: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeBoolean: (o, a) => (g(o).value(String(a[0])), null),
    writeNull: (o) => (g(o).value("null"), null),
    writeId: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeDate: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeDateTime: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeTime: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeBlob: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeObject: (o, a, l) => (g(o).value(val(a[0], l)), null),
    writeStringField: (o, a, l) => (g(o).field(String(a[0])), g(o).value(val(a[1], l)), null),
    writeNumberField: (o, a, l) => (g(o).field(String(a[0])), g(o).value(val(a[1], l)), null),
    writeBooleanField: (o, a, l) => (g(o).field(String(a[0])), g(o).value(val(a[1], l)), null),
    writeIdField: (o, a, l) => (g(o).field(String(a[0])), g(o).value(val(a[1], l)), null),
    writeDateField: (o, a, l) => (g(o).field(String(a[0])), g(o).value(val(a[1], l)), null),
    writeDateTimeField: (o, a, l) => (g(o).field(String(a[0])), g(o).value(val(a[1], l)), null),
    writeObjectField: (o, a, l) => (g(o).field(String(a[0])), g(o).value(val(a[1], l)), null),
    writeNullField: (o, a) => (g(o).field(String(a[0])), g(o).value("null"), null),
    getAsString: (o) => g(o).text(),
    close: (o) => ((g(o).closed = true), null),
    isClosed: (o) => g(o).closed
  });
}

function describe(n: JNode): string {
  return { null: "null", bool: "a boolean", num: "a number", str: "a string", arr: "an array", obj: "an object" }[n.t];
}

/** Writes JSON text incrementally, as System.JSONGenerator does. */
class Generator {
  private out = "";
  private needComma: boolean[] = [false];
  private afterField = false;
  closed = false;
  constructor(private readonly pretty: boolean) {}
  private sep() {
    if (this.afterField) {
      this.afterField = false;
      return;
    }
    const top = this.needComma.length - 1;
    if (this.needComma[top]) this.out += ",";
    this.needComma[top] = true;
  }
  open(ch: "{" | "[") {
    this.sep();
    this.out += ch;
    this.needComma.push(false);
  }
  close(ch: "}" | "]") {
    this.out += ch;
    this.needComma.pop();
  }
  field(name: string) {
    this.sep();
    this.out += `${JSON.stringify(name)}:`;
    this.afterField = true;
  }
  value(text: string) {
    this.sep();
    this.out += text;
  }
  text(): string {
    return this.pretty ? prettyPrint(this.out) : this.out;
  }
}
