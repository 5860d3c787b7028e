// Programmatic API: load a project, run anonymous Apex and tests, insert and query records,
// invoke an invocable method.
import { loadProject, type LoadOptions } from "./project.js";
import { ApexSyntaxError, parseAnonymous, parseSoqlString } from "./parse/convert.js";
import type { Interpreter } from "./interpreter/interpreter.js";
import { fieldDisplayName, prim, typeName } from "./runtime/types.js";
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  EnumValue,
  SObjectValue,
  type ClassInfo,
  type RType,
  type Value
} from "./runtime/values.js";
import { mapEntries, setItems, str } from "./runtime/operators.js";
import { describeError, runTests, type TestRunResult } from "./testing/runner.js";
import { ApexThrow } from "./runtime/errors.js";
import { unsupported } from "./runtime/errors.js";
import { coerce, fieldType } from "./runtime/conversion.js";
import { relationshipField } from "./runtime/describe.js";

export type { LoadOptions } from "./project.js";
export type { TestRunResult, TestResult, CoverageEntry } from "./testing/runner.js";
export type { NamedCredentialConfig } from "./stdlib/registry.js";

export interface AnonymousResult {
  success: boolean;
  /** `System.XxxException: message` when the code threw. */
  exceptionMessage: string | null;
  stackTrace: string | null;
  debugLog: string[];
}

export type JsValue = null | string | number | boolean | JsValue[] | { [k: string]: JsValue };

export class LocalOrg {
  private constructor(readonly rt: Interpreter) {}

  static load(options: LoadOptions = {}): LocalOrg {
    return new LocalOrg(loadProject(options).rt);
  }

  runTests(classNames?: string[]): TestRunResult {
    return runTests(this.rt, classNames);
  }

  /** Runs anonymous Apex as one transaction, then any Queueable jobs it enqueued. */
  runAnonymous(source: string): AnonymousResult {
    const rt = this.rt;
    let decl: ReturnType<typeof parseAnonymous>;
    try {
      decl = parseAnonymous(source, "anonymous.apex");
    } catch (e) {
      // Code that does not compile does not run, as with the platform's anonymous Apex.
      if (e instanceof ApexSyntaxError)
        return { success: false, exceptionMessage: e.message, stackTrace: null, debugLog: [] };
      throw e;
    }
    const ci = rt.makeClass(decl, null);
    ci.isTest = true; // anonymous code does not count towards coverage
    return this.transaction(() => {
      // Classes declared in the block extend and implement like any other class.
      rt.link(ci);
      rt.invoke(
        ci,
        decl.methods.find((m) => m.name === "run")!,
        null,
        [],
        null
      );
      return null;
    });
  }

  /** Inserts records and returns their ids. Fields use API names. */
  insert(objectName: string, records: Record<string, JsValue>[]): string[] {
    const obj = this.rt.schema.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    const recs = records.map((r) => {
      const rec = this.rt.data.newRecord(obj);
      for (const [k, v] of Object.entries(r)) {
        const f = obj.fields.get(k.toLowerCase());
        if (!f) throw new Error(`unknown field ${objectName}.${k}`);
        this.rt.data.setField(rec, k, this.fromJs(v, fieldType(f)), { file: "api", line: 0 });
      }
      return rec;
    });
    const result = this.transaction(() => {
      this.rt.data.dmlStatement("insert", new ApexList({ kind: "sobject", obj }, recs), null, { file: "api", line: 0 });
      return null;
    });
    if (!result.success) throw new Error(result.exceptionMessage ?? "insert failed");
    return recs.map((r) => String(r.fields.get("id")));
  }

  /** Runs a SOQL query; records come back as plain objects keyed by API name. */
  query(soql: string): JsValue[] | number {
    const q = parseSoqlString(soql, "api", 0);
    let out: Value = null;
    const result = this.transaction(() => {
      out = this.rt.data.query(q, () => unsupported(this.rt, "bind variables in LocalOrg.query"), {
        file: "api",
        line: 0
      });
      return null;
    });
    if (!result.success) throw new Error(result.exceptionMessage ?? "query failed");
    if (typeof out === "number") return out;
    return (out as unknown as ApexList).items.map((r) => this.toJs(r));
  }

  /** Calls the @InvocableMethod of a class with a list of inputs, as a Flow would. */
  invokeInvocable(
    className: string,
    inputs: Record<string, JsValue>[]
  ): { outputs: JsValue[]; result: AnonymousResult } {
    const rt = this.rt;
    const ci = rt.classes.get(className.toLowerCase());
    if (!ci || !ci.decl) throw new Error(`unknown class ${className}`);
    const m = ci.decl.methods.find((x) => x.mods.annotations.some((a) => a.name === "invocablemethod"));
    if (!m) throw new Error(`${className} has no @InvocableMethod`);
    let outputs: JsValue[] = [];
    const result = this.transaction(() => {
      const paramType = m.params.length ? rt.resolveType(m.params[0].type, ci, m) : null;
      const args: Value[] = paramType ? [this.fromJs(inputs as JsValue, paramType, ci)] : [];
      const r = rt.invoke(ci, m, null, args, null);
      outputs = r instanceof ApexList ? r.items.map((x) => this.toJs(x)) : [];
      return null;
    });
    return { outputs, result };
  }

  private transaction(body: () => null): AnonymousResult {
    const rt = this.rt;
    rt.resetStatics();
    rt.transaction.begin();
    rt.transaction.debugLog = [];
    const snap = rt.data.snapshot();
    const counter = rt.data.idCounter;
    try {
      body();
      // Queued jobs run after the transaction commits, each in its own transaction.
      while (rt.transaction.asyncQueue.length > 0) rt.transaction.runJob(rt.transaction.asyncQueue.shift()!);
      return { success: true, exceptionMessage: null, stackTrace: null, debugLog: rt.transaction.debugLog };
    } catch (e) {
      // An unhandled exception rolls the transaction back.
      rt.data.restore(snap, counter);
      rt.transaction.asyncQueue = [];
      const d = describeError(rt, e);
      if (!(e instanceof ApexThrow) && !(e instanceof Error)) throw e;
      return {
        success: false,
        exceptionMessage: d.message,
        stackTrace: d.stackTrace,
        debugLog: rt.transaction.debugLog
      };
    } finally {
      rt.frames.length = 0;
    }
  }

  /** Converts a JavaScript value to an Apex value of the given type. */
  fromJs(v: JsValue | undefined, t: RType, ctx: ClassInfo | null = null): Value {
    const rt = this.rt;
    if (v === null || v === undefined) return null;
    if (t.kind === "list" || t.kind === "set") {
      if (!Array.isArray(v)) throw new Error(`expected an array for ${t.kind}`);
      if (t.kind === "list")
        return new ApexList(
          t.elem,
          v.map((x) => this.fromJs(x, t.elem, ctx))
        );
      const s = new ApexSet(t.elem);
      for (const x of v) rt.stdlib.callInstance(s, "add", [this.fromJs(x, t.elem, ctx)], { file: "api", line: 0 });
      return s;
    }
    if (t.kind === "map") {
      const m = new ApexMap(t.key, t.value);
      for (const [k, x] of Object.entries(v as Record<string, JsValue>)) {
        rt.stdlib.callInstance(m, "put", [this.fromJs(k, t.key, ctx), this.fromJs(x, t.value, ctx)], {
          file: "api",
          line: 0
        });
      }
      return m;
    }
    if (t.kind === "class" && t.cls.decl) {
      const obj = rt.instantiate(t.cls, [], { file: "api", line: 0 });
      for (const [k, x] of Object.entries(v as Record<string, JsValue>)) {
        let owner: ClassInfo | null = null;
        for (let c: ClassInfo | null = t.cls; c && !owner; c = c.parent) if (c.fields.has(k.toLowerCase())) owner = c;
        if (!owner) throw new Error(`${t.cls.name} has no field ${k}`);
        const f = owner.fields.get(k.toLowerCase())!;
        obj.fields.set(f.name.toLowerCase(), this.fromJs(x, rt.resolveType(f.type, owner, f), owner));
      }
      return obj;
    }
    if (t.kind === "prim") {
      switch (t.name) {
        case "Integer":
          return Number(v) | 0;
        case "Long":
          return BigInt(Math.trunc(Number(v)));
        case "Decimal":
          return ApexDecimal.parse(String(v));
        case "Double":
          return new ApexDouble(Number(v));
        case "Boolean":
          return Boolean(v);
        case "Date": {
          const [y, m, d] = String(v).slice(0, 10).split("-").map(Number);
          return new ApexDate(y, m, d);
        }
        case "Datetime":
          return new ApexDatetime(Date.parse(String(v)));
        case "String":
        case "Id":
          return coerce(rt, String(v), t);
        case "Object":
          if (typeof v === "number") return Number.isInteger(v) ? v : ApexDecimal.parse(String(v));
          if (typeof v === "string" || typeof v === "boolean") return v;
          return this.fromJs(
            v,
            Array.isArray(v)
              ? { kind: "list", elem: prim("Object") }
              : { kind: "map", key: prim("String"), value: prim("Object") },
            ctx
          );
      }
    }
    throw new Error(`cannot convert a JavaScript value to ${typeName(t)}`);
  }

  /** Converts an Apex value to plain JavaScript (Decimals become numbers, dates ISO text). */
  toJs(v: Value): JsValue {
    const rt = this.rt;
    if (v === null) return null;
    if (typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    if (v instanceof ApexDecimal) return v.d.toNumber();
    if (v instanceof ApexDouble) return v.v;
    if (v instanceof ApexDate) return v.toString();
    if (v instanceof ApexDatetime) return new Date(v.ms).toISOString();
    if (v instanceof ApexList) return v.items.map((x) => this.toJs(x));
    if (v instanceof ApexSet) return setItems(v).map((x) => this.toJs(x));
    if (v instanceof ApexMap) return Object.fromEntries(mapEntries(v).map(([k, x]) => [str(rt, k), this.toJs(x)]));
    if (v instanceof EnumValue) return v.name;
    if (v instanceof SObjectValue) {
      const out: Record<string, JsValue> = {};
      for (const [k, x] of v.fields) {
        const f = v.type.fields.get(k);
        const rel = relationshipField(v.type, k);
        out[f?.name ?? rel?.relationshipName ?? v.type.childRelationships.get(k)?.name ?? k] = this.toJs(x);
      }
      return out;
    }
    if (v instanceof ApexObject) {
      const out: Record<string, JsValue> = {};
      for (const [k, x] of v.fields) out[fieldDisplayName(v.cls, k)] = this.toJs(x);
      if (v.ex) out.message = v.ex.message === null ? null : str(rt, v.ex.message);
      return out;
    }
    return str(rt, v);
  }
}
