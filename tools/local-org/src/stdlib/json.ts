// The JSON class (serialize, deserialize into Apex types, deserializeUntyped), JSONParser and
// JSONGenerator; the JSON text itself is json-text.ts.
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
import { Generator, JsonSyntaxError, kindOfNode, parseJson, prettyPrint, quote, type JNode } from "./json-text.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { coerce, fieldType } from "../runtime/conversion.js";
import { relationshipField } from "../runtime/describe.js";

// ---- serialize ----

export function serialize(
  runtime: RuntimeContext,
  value: Value,
  suppressNulls: boolean,
  pretty: boolean,
  loc: Loc
): string {
  const out = toJsonText(runtime, value, suppressNulls, loc);
  return pretty ? prettyPrint(out) : out;
}

function toJsonText(runtime: RuntimeContext, value: Value, sup: boolean, loc: Loc): string {
  const rec = (item: Value) => toJsonText(runtime, item, sup, loc);
  if (value === null) return "null";
  if (typeof value === "string") return quote(value);
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "bigint") return String(value);
  if (value instanceof ApexDecimal) return value.toString();
  if (value instanceof ApexDouble) return doubleToString(value.v);
  if (value instanceof ApexDate) return quote(value.toString());
  if (value instanceof ApexDatetime) return quote(new Date(value.ms).toISOString());
  if (value instanceof ApexTime) return quote(value.toString());
  if (value instanceof ApexBlob) return quote(value.bytes.toString("base64"));
  if (value instanceof EnumValue) return quote(value.name);
  if (value instanceof ApexList) return `[${value.items.map(rec).join(",")}]`;
  if (value instanceof ApexSet) return `[${setItems(value).map(rec).join(",")}]`;
  if (value instanceof ApexMap)
    return `{${mapEntries(value)
      .map(([key, item]) => `${quote(key === null ? "null" : str(runtime, key))}:${rec(item)}`)
      .join(",")}}`;
  if (value instanceof SObjectValue) {
    const id = value.fields.get("id");
    const attrs = `"attributes":{"type":${quote(value.type.name)}${typeof id === "string" ? `,"url":${quote(`/services/data/v62.0/sobjects/${value.type.name}/${id}`)}` : ""}}`;
    const parts = [attrs];
    for (const [key, item] of value.fields) {
      const fd = value.type.fields.get(key);
      const rel = relationshipField(value.type, key);
      const child = value.type.childRelationships.get(key);
      const name = fd?.name ?? rel?.relationshipName ?? child?.name ?? key;
      if (item instanceof ApexList)
        parts.push(`${quote(name)}:{"totalSize":${item.items.length},"done":true,"records":${rec(item)}}`);
      else parts.push(`${quote(name)}:${rec(item)}`);
    }
    return `{${parts.join(",")}}`;
  }
  if (value instanceof ApexObject) {
    if (value.ex) unsupported(runtime, "JSON.serialize of an exception", loc);
    const parts: string[] = [];
    const chain = [];
    for (let current: typeof value.cls | null = value.cls; current && current.decl; current = current.parent)
      chain.unshift(current);
    for (const current of chain) {
      for (const field of current.decl!.fields) {
        if (field.isStatic || field.modifiers.keywords.has("transient")) continue;
        const item = runtime.readProperty(value, field.name, loc);
        if (item === null && sup) continue;
        parts.push(`${quote(field.name)}:${rec(item)}`);
      }
    }
    return `{${parts.join(",")}}`;
  }
  if (value instanceof TypeValue) return quote(typeName(value.type));
  if (value instanceof NativeObject) unsupported(runtime, `JSON.serialize of ${value.typeName}`, loc);
  return "null";
}

// ---- deserialize ----

/** A JSON scalar as deserializeUntyped returns it: whole numbers become Integer or Long, others Decimal. */
function scalar(n: Exclude<JNode, { kind: "arr" } | { kind: "obj" }>): Value {
  switch (n.kind) {
    case "null":
      return null;
    case "bool":
    case "str":
      return n.value;
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
  const runtime = lib.runtime;
  const data = lib.data;
  const jsonErr = (message: string): never => throwApex(runtime, "JSONException", message);
  const parse = (value: Value): JNode => {
    if (value === null) nullPointer(runtime);
    try {
      return parseJson(String(value));
    } catch (error) {
      if (error instanceof JsonSyntaxError) jsonErr(error.message);
      throw error;
    }
  };
  const toUntyped = (node: JNode): Value => {
    if (node.kind === "obj") {
      const map = new ApexMap(prim("String"), OBJECT);
      for (const [key, x] of node.entries) mapPut(runtime, map, key, toUntyped(x));
      return map;
    }
    if (node.kind === "arr") return new ApexList(OBJECT, node.items.map(toUntyped));
    return scalar(node);
  };

  const typed = (node: JNode, type: RType, strict: boolean, loc: Loc): Value => {
    if (node.kind === "null") return null;
    switch (type.kind) {
      case "prim": {
        switch (type.name) {
          case "Object":
            return toUntyped(node);
          case "String":
            if (node.kind === "str") return node.value;
            if (node.kind === "num") return node.text;
            if (node.kind === "bool") return String(node.value);
            break;
          case "Id":
            if (node.kind === "str") return coerce(runtime, node.value, type);
            break;
          case "Boolean":
            if (node.kind === "bool") return node.value;
            if (node.kind === "str") return node.value.toLowerCase() === "true";
            break;
          case "Integer":
          case "Long":
          case "Decimal":
          case "Double": {
            const text =
              node.kind === "num"
                ? node.text
                : node.kind === "str" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(node.value.trim())
                  ? node.value.trim()
                  : null;
            if (text === null) break;
            if (type.name === "Decimal") return ApexDecimal.parse(text);
            if (type.name === "Double") return new ApexDouble(Number(text));
            if (!/^-?\d+$/.test(text)) jsonErr(`Illegal value for primitive: ${text}`);
            const b = BigInt(text);
            if (type.name === "Long") return BigInt.asIntN(64, b);
            if (b > 2147483647n || b < -2147483648n) jsonErr(`Illegal value for primitive: ${text}`);
            return Number(b);
          }
          case "Date":
            if (node.kind === "str") {
              const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(node.value);
              if (match) return new ApexDate(+match[1], +match[2], +match[3]);
            }
            break;
          case "Datetime":
            if (node.kind === "str") {
              const ms = parseDatetimeText(node.value);
              if (ms !== null) return new ApexDatetime(ms);
            }
            break;
          case "Blob":
            if (node.kind === "str") return new ApexBlob(Buffer.from(node.value, "base64"));
            break;
        }
        return jsonErr(`Illegal value for primitive`);
      }
      case "list":
      case "set": {
        if (node.kind !== "arr")
          return jsonErr(`Expected ${typeName(type)} but found ${kindOfNode(node)} at [line:1, column:1]`);
        if (type.kind === "list")
          return new ApexList(
            type.elem,
            node.items.map((node) => typed(node, type.elem, strict, loc))
          );
        const set = new ApexSet(type.elem);
        for (const x of node.items) collectionAdd(runtime, set, typed(x, type.elem, strict, loc));
        return set;
      }
      case "map": {
        if (node.kind !== "obj")
          return jsonErr(`Expected ${typeName(type)} but found ${kindOfNode(node)} at [line:1, column:1]`);
        const map = new ApexMap(type.key, type.value);
        for (const [key, x] of node.entries)
          mapPut(
            runtime,
            map,
            typed({ kind: "str", value: key }, type.key, strict, loc),
            typed(x, type.value, strict, loc)
          );
        return map;
      }
      case "class": {
        const cls = type.cls;
        if (cls.kind === "enum") {
          if (node.kind !== "str") return jsonErr(`Illegal value for enum ${cls.name}`);
          return cls.enumValues.find((e) => (e as EnumValue).name.toLowerCase() === node.value.toLowerCase()) ?? null;
        }
        if (node.kind !== "obj")
          return jsonErr(`Expected ${cls.name} but found ${kindOfNode(node)} at [line:1, column:1]`);
        if (!cls.decl || cls.kind === "interface") unsupported(runtime, `JSON.deserialize into ${cls.name}`, loc);
        // The platform creates the object without running constructors or initialisers.
        const obj = new ApexObject(cls);
        for (let current: typeof cls | null = cls; current && current.decl; current = current.parent) {
          for (const field of current.decl.fields) if (!field.isStatic) obj.fields.set(field.name.toLowerCase(), null);
        }
        for (const [key, x] of node.entries) {
          let owner: typeof cls | null = null;
          for (let current: typeof cls | null = cls; current && current.decl && !owner; current = current.parent) {
            const field = current.fields.get(key.toLowerCase());
            if (field && !field.isStatic) owner = current;
          }
          if (!owner) {
            if (strict) jsonErr(`Unknown field: ${cls.name}.${key}`);
            continue;
          }
          const f = owner.fields.get(key.toLowerCase())!;
          obj.fields.set(f.name.toLowerCase(), typed(x, runtime.resolveType(f.type, owner, f), strict, loc));
        }
        return obj;
      }
      case "sobject": {
        if (node.kind !== "obj" || !type.obj)
          return jsonErr(`Expected ${typeName(type)} but found ${kindOfNode(node)}`);
        const record = data.newRecord(type.obj);
        for (const [k, x] of node.entries) {
          if (k === "attributes") continue;
          const field = type.obj.fields.get(k.toLowerCase());
          if (!field) {
            // Parent records and child lists, as JSON.serialize writes them for queried rows.
            const key = k.toLowerCase();
            const parent = relationshipField(type.obj, key);
            const parentObj = parent ? data.schema.get(parent.referenceTo[0]) : undefined;
            if (parentObj) {
              record.fields.set(key, typed(x, { kind: "sobject", obj: parentObj }, strict, loc));
              continue;
            }
            const child = type.obj.childRelationships.get(key);
            const childObj = child ? data.schema.get(child.childObject) : undefined;
            if (childObj) {
              const rows = x.kind === "obj" ? x.entries.find(([rk]) => rk === "records")?.[1] : x;
              const listType: RType = { kind: "list", elem: { kind: "sobject", obj: childObj } };
              record.fields.set(key, x.kind === "null" || !rows ? null : typed(rows, listType, strict, loc));
              continue;
            }
            return jsonErr(`No such column '${k}' on sobject of type ${type.obj.name}`);
          }
          record.fields.set(field.name.toLowerCase(), typed(x, fieldType(field), strict, loc));
        }
        return record;
      }
      case "native":
        unsupported(runtime, `JSON.deserialize into ${type.name}`, loc);
    }
  };

  const typeArg = (value: Value, loc: Loc): RType => {
    if (!(value instanceof TypeValue)) unsupported(runtime, "JSON.deserialize without a Type argument", loc);
    return value.type;
  };

  lib.static_("JSON", {
    serialize: (args, loc) => serialize(runtime, args[0], args[1] === true, false, loc),
    serializePretty: (args, loc) => serialize(runtime, args[0], args[1] === true, true, loc),
    deserialize: (args, loc) => typed(parse(args[0]), typeArg(args[1], loc), false, loc),
    deserializeStrict: (args, loc) => typed(parse(args[0]), typeArg(args[1], loc), true, loc),
    deserializeUntyped: (args) => toUntyped(parse(args[0])),
    createParser: (args) => createParser(parse(args[0])),
    createGenerator: (args) => new NativeObject("JSONGenerator", { gen: new Generator(args[0] === true) })
  });

  // ---- JSONParser: a token stream over the parsed document ----
  type Tok = { token: string; name: string | null; node: JNode | null; end?: number };
  const tokensOf = (root: JNode): Tok[] => {
    const out: Tok[] = [];
    const walk = (node: JNode, name: string | null) => {
      if (node.kind === "obj") {
        const start = out.push({ token: "START_OBJECT", name, node }) - 1;
        for (const [key, v] of node.entries) {
          out.push({ token: "FIELD_NAME", name: key, node: null });
          walk(v, key);
        }
        out.push({ token: "END_OBJECT", name, node: null });
        out[start].end = out.length - 1;
      } else if (node.kind === "arr") {
        const start = out.push({ token: "START_ARRAY", name, node }) - 1;
        for (const v of node.items) walk(v, name);
        out.push({ token: "END_ARRAY", name, node: null });
        out[start].end = out.length - 1;
      } else {
        const token =
          node.kind === "null"
            ? "VALUE_NULL"
            : node.kind === "bool"
              ? node.value
                ? "VALUE_TRUE"
                : "VALUE_FALSE"
              : node.kind === "str"
                ? "VALUE_STRING"
                : /^-?\d+$/.test(node.text)
                  ? "VALUE_NUMBER_INT"
                  : "VALUE_NUMBER_FLOAT";
        out.push({ token, name, node });
      }
    };
    walk(root, null);
    return out;
  };
  function createParser(root: JNode): NativeObject {
    return new NativeObject("JSONParser", { tokens: tokensOf(root), pos: -1, cleared: null });
  }
  type P = { tokens: Tok[]; pos: number; cleared: string | null };
  const staticType = (object: NativeObject) => object.data as unknown as P;
  const cur = (object: NativeObject): Tok | null => staticType(object).tokens[staticType(object).pos] ?? null;
  const scalarText = (object: NativeObject): string | null => {
    const token = cur(object);
    if (!token) return null;
    if (token.token === "FIELD_NAME") return token.name;
    const n = token.node;
    if (!n) return token.token === "END_OBJECT" ? "}" : "]";
    if (n.kind === "str") return n.value;
    if (n.kind === "num") return n.text;
    if (n.kind === "bool") return String(n.value);
    if (n.kind === "null") return "null";
    return n.kind === "obj" ? "{" : "[";
  };
  const num = (object: NativeObject): JNode => {
    const token = cur(object);
    if (!token || !token.node || (token.node.kind !== "num" && token.node.kind !== "str"))
      throwApex(runtime, "JSONException", "Current token is not a number");
    return token.node;
  };
  const readAs = (object: NativeObject, args: Value[], strict: boolean, loc: Loc): Value => {
    const token = cur(object);
    if (!token) return null;
    const node = token.node ?? { kind: "null" as const };
    const value = typed(node, typeArg(args[0], loc), strict, loc);
    if (token.end !== undefined) staticType(object).pos = token.end;
    return value;
  };
  const tok = (name: string | null | undefined) => lib.enumValue("JSONToken", name ?? null);
  lib.nativeType("System.JSONParser");
  lib.instance<NativeObject>("jsonparser", {
    nextToken: (object) => {
      const p = staticType(object);
      if (p.pos < p.tokens.length) p.pos++;
      return tok(cur(object)?.token);
    },
    nextValue: (object) => {
      const p = staticType(object);
      do p.pos++;
      while (p.pos < p.tokens.length && p.tokens[p.pos].token === "FIELD_NAME");
      return tok(cur(object)?.token);
    },
    getCurrentToken: (object) => tok(cur(object)?.token),
    hasCurrentToken: (object) => cur(object) !== null,
    clearCurrentToken: (object) => {
      staticType(object).cleared = cur(object)?.token ?? null;
      staticType(object).tokens = [...staticType(object).tokens];
      staticType(object).tokens[staticType(object).pos] = undefined as unknown as Tok;
      return null;
    },
    getLastClearedToken: (object) => tok(staticType(object).cleared),
    getCurrentName: (object) => cur(object)?.name ?? null,
    getText: (object) => scalarText(object),
    getIntegerValue: (object) => {
      const node = num(object);
      return Number(node.kind === "num" ? node.text : node.kind === "str" ? node.value : 0) | 0;
    },
    getLongValue: (object) => {
      const node = num(object);
      return BigInt((node.kind === "num" ? node.text : node.kind === "str" ? node.value : "0").replace(/\..*$/, ""));
    },
    getDecimalValue: (object) => {
      const node = num(object);
      return ApexDecimal.parse(node.kind === "num" ? node.text : node.kind === "str" ? node.value : "0");
    },
    getDoubleValue: (object) => {
      const node = num(object);
      return new ApexDouble(Number(node.kind === "num" ? node.text : node.kind === "str" ? node.value : 0));
    },
    getBooleanValue: (object) => {
      const token = cur(object);
      if (!token || !token.node || token.node.kind !== "bool")
        throwApex(runtime, "JSONException", "Current token is not a boolean");
      return token.node.value;
    },
    getDateValue: (object, _args, loc) => typed(cur(object)?.node ?? { kind: "null" }, prim("Date"), false, loc),
    getDatetimeValue: (object, _args, loc) =>
      typed(cur(object)?.node ?? { kind: "null" }, prim("Datetime"), false, loc),
    getIdValue: (object, _args, loc) => typed(cur(object)?.node ?? { kind: "null" }, prim("Id"), false, loc),
    skipChildren: (object) => {
      const token = cur(object);
      if (token && token.end !== undefined) staticType(object).pos = token.end;
      return null;
    },
    readValueAs: (object, args, loc) => readAs(object, args, false, loc),
    readValueAsStrict: (object, args, loc) => readAs(object, args, true, loc)
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
  const g = (object: NativeObject) => object.data.gen as Generator;
  const val = (value: Value, loc: Loc) => serialize(runtime, value, false, false, loc);
  lib.instance<NativeObject>("jsongenerator", {
    writeStartObject: (object) => (g(object).open("{"), null),
    writeEndObject: (object) => (g(object).close("}"), null),
    writeStartArray: (object) => (g(object).open("["), null),
    writeEndArray: (object) => (g(object).close("]"), null),
    writeFieldName: (object, args) => (g(object).field(String(args[0])), null),
    writeString: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeNumber: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeBoolean: (object, args) => (g(object).value(String(args[0])), null),
    writeNull: (object) => (g(object).value("null"), null),
    writeId: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeDate: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeDateTime: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeTime: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeBlob: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeObject: (object, args, loc) => (g(object).value(val(args[0], loc)), null),
    writeStringField: (object, args, loc) => (
      g(object).field(String(args[0])),
      g(object).value(val(args[1], loc)),
      null
    ),
    writeNumberField: (object, args, loc) => (
      g(object).field(String(args[0])),
      g(object).value(val(args[1], loc)),
      null
    ),
    writeBooleanField: (object, args, loc) => (
      g(object).field(String(args[0])),
      g(object).value(val(args[1], loc)),
      null
    ),
    writeIdField: (object, args, loc) => (g(object).field(String(args[0])), g(object).value(val(args[1], loc)), null),
    writeDateField: (object, args, loc) => (g(object).field(String(args[0])), g(object).value(val(args[1], loc)), null),
    writeDateTimeField: (object, args, loc) => (
      g(object).field(String(args[0])),
      g(object).value(val(args[1], loc)),
      null
    ),
    writeObjectField: (object, args, loc) => (
      g(object).field(String(args[0])),
      g(object).value(val(args[1], loc)),
      null
    ),
    writeNullField: (object, args) => (g(object).field(String(args[0])), g(object).value("null"), null),
    getAsString: (object) => g(object).text(),
    close: (object) => ((g(object).closed = true), null),
    isClosed: (object) => g(object).closed
  });
}
