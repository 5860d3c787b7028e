// Calls an @AuraEnabled method the way Lightning does when a component imports it from
// `@salesforce/apex/Class.method`: by class, method and named parameters, in a transaction of its own,
// as a given user; the result serialised as Lightning sends it to the component, an exception turned
// into the error body the component receives.
import type { Loc, MethodDecl } from "./parse/ast.js";
import type { Interpreter } from "./interpreter/interpreter.js";
import type { ClassInfo, RType } from "./interpreter/types.js";
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
  SObjectValue,
  type Value
} from "./interpreter/values.js";
import { mapEntries, setItems, str } from "./interpreter/ops.js";
import { ApexThrow } from "./interpreter/errors.js";
import { Limits } from "./runtime/limits.js";
import { mapPut } from "./stdlib/collections.js";
import type { JsValue } from "./index.js";

export interface AuraActionRequest {
  className: string;
  methodName: string;
  /** Named parameters, as the component passes them: `{ apiKey: "..." }`. */
  params?: Record<string, JsValue | undefined>;
  /** The running user's Id; the org's default user when absent. */
  userId?: string;
}

/** The body of the error a component receives: `body.message` is what a person reads. */
export interface AuraErrorBody {
  message: string;
  exceptionType?: string;
  isUserDefinedException?: boolean;
  stackTrace?: string;
}

export type AuraActionResult =
  | { state: "SUCCESS"; returnValue: JsValue }
  | {
      state: "ERROR";
      status: number;
      statusText: string;
      body: AuraErrorBody;
      /** Set when local-org itself stopped (a feature it does not support), not the Apex code. */
      localOrgFailure?: true;
    };

type Transaction = (body: () => null) => { success: boolean; exceptionMessage: string | null };

const API_LOC: Loc = { file: "aura", line: 0 };

function error(body: AuraErrorBody, localOrgFailure = false): AuraActionResult {
  return {
    state: "ERROR",
    status: 500,
    statusText: "Server Error",
    body,
    ...(localOrgFailure ? { localOrgFailure: true as const } : {})
  };
}

/** A method marked cacheable may only read: its first DML statement hits a limit of zero. */
class CacheableLimits extends Limits {
  override count(
    rt: Interpreter,
    kind: "queries" | "queryRows" | "dmlStatements" | "dmlRows" | "callouts" | "queueableJobs" | "futureCalls",
    n = 1
  ) {
    if (kind === "dmlStatements") {
      this.dmlStatements += n;
      rt.throwApex("LimitException", `Too many DML statements: ${this.dmlStatements}`);
    }
    super.count(rt, kind, n);
  }
}

function auraEnabled(method: MethodDecl) {
  return method.mods.annotations.find((a) => a.name === "auraenabled") ?? null;
}

/** The method a component can call: static, @AuraEnabled, public or global. */
function findAction(rt: Interpreter, className: string, methodName: string) {
  const cls = rt.classes.get(className.toLowerCase());
  const method = cls?.decl?.methods.find(
    (m) =>
      m.name.toLowerCase() === methodName.toLowerCase() &&
      m.isStatic &&
      auraEnabled(m) !== null &&
      (m.mods.keywords.has("public") || m.mods.keywords.has("global"))
  );
  return cls && method ? { cls, method } : null;
}

class InvalidParameter extends Error {}

export function callAuraEnabled(
  rt: Interpreter,
  transaction: Transaction,
  request: AuraActionRequest
): AuraActionResult {
  const action = findAction(rt, request.className, request.methodName);
  if (!action) return error({ message: `No apex action available for ${request.className}.${request.methodName}` });
  const { cls, method } = action;
  const cacheable = (auraEnabled(method)!.params["cacheable"] ?? "").toLowerCase() === "true";
  const params = request.params ?? {};
  let returnValue: JsValue = null;
  let thrown: unknown = null;
  let invalid: string | null = null;
  const previousUser = rt.runAsUserId;
  rt.runAsUserId = request.userId ?? null;
  try {
    const result = transaction(() => {
      if (cacheable) rt.limits = new CacheableLimits();
      const args: Value[] = [];
      for (const param of method.params) {
        const type = rt.resolveType(param.type, cls, method);
        try {
          args.push(fromAura(rt, params[param.name], type));
        } catch (e) {
          if (!(e instanceof InvalidParameter)) throw e;
          invalid = `Value provided is invalid for action parameter '${param.name}' of type '${param.type.text}'`;
          return null;
        }
      }
      try {
        const value = rt.invoke(cls, method, null, args, API_LOC);
        returnValue = method.returnType ? toAura(rt, value) : null;
      } catch (e) {
        thrown = e;
        throw e;
      }
      return null;
    });
    if (invalid) return error({ message: invalid });
    if (result.success) return { state: "SUCCESS", returnValue };
    if (thrown instanceof ApexThrow) return exceptionBody(rt, thrown);
    return error({ message: result.exceptionMessage ?? "local-org stopped" }, true);
  } finally {
    rt.runAsUserId = previousUser;
  }
}

/** What Lightning sends for an exception the method did not handle. */
function exceptionBody(rt: Interpreter, thrown: ApexThrow): AuraActionResult {
  const exception = thrown.obj.ex!;
  const message = exception.message === null ? null : str(rt, exception.message);
  if (exception.typeName === "System.AuraHandledException") {
    // The constructor's message reaches the component even though getMessage() hides it in Apex;
    // a message set with setMessage replaces it.
    const shown =
      message !== null && message !== "Script-thrown exception"
        ? message
        : exception.auraMessage === undefined || exception.auraMessage === null
          ? ""
          : str(rt, exception.auraMessage);
    return error({ message: shown });
  }
  return error({
    exceptionType: exception.typeName,
    isUserDefinedException: thrown.obj.cls.decl !== null,
    message: message ?? "Script-thrown exception",
    stackTrace: exception.stack
  });
}

/** Serialises a result as Lightning sends it: @AuraEnabled members only, null members left out. */
export function toAura(rt: Interpreter, value: Value): JsValue {
  if (value === null) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof ApexDecimal) return value.d.toNumber();
  if (value instanceof ApexDouble) return value.v;
  if (value instanceof ApexDate || value instanceof ApexTime) return value.toString();
  if (value instanceof ApexDatetime) return new Date(value.ms).toISOString();
  if (value instanceof ApexBlob) return value.bytes.toString("base64");
  if (value instanceof EnumValue) return value.name;
  if (value instanceof ApexList) return value.items.map((item) => toAura(rt, item));
  if (value instanceof ApexSet) return setItems(value).map((item) => toAura(rt, item));
  if (value instanceof ApexMap) {
    return Object.fromEntries(mapEntries(value).map(([key, item]) => [str(rt, key), toAura(rt, item)]));
  }
  if (value instanceof SObjectValue) {
    const out: Record<string, JsValue> = {};
    for (const [key, item] of value.fields) {
      if (item === null) continue;
      const field = value.type.fields.get(key);
      const parent = [...value.type.fields.values()].find((f) => f.relationshipName?.toLowerCase() === key);
      out[field?.name ?? parent?.relationshipName ?? value.type.childRelationships.get(key)?.name ?? key] = toAura(
        rt,
        item
      );
    }
    return out;
  }
  if (value instanceof ApexObject) {
    const out: Record<string, JsValue> = {};
    for (let c: ClassInfo | null = value.cls; c && c.decl; c = c.parent) {
      for (const field of c.decl.fields) {
        if (field.isStatic || !field.mods.annotations.some((a) => a.name === "auraenabled")) continue;
        if (field.name in out) continue;
        const item = toAura(rt, rt.getMember(value, field.name, false, API_LOC, null));
        if (item !== null) out[field.name] = item;
      }
    }
    return out;
  }
  rt.unsupported(`returning a ${rt.runtimeTypeName(value)} to a component`, API_LOC);
}

/** Converts a parameter the component sent to the Apex parameter's type, refusing what Lightning refuses. */
export function fromAura(rt: Interpreter, value: JsValue | undefined, type: RType): Value {
  if (value === null || value === undefined) return null;
  const invalid = (): never => {
    throw new InvalidParameter();
  };
  switch (type.k) {
    case "prim":
      return primitive(rt, value, type.name, invalid);
    case "list":
    case "set": {
      if (!Array.isArray(value)) invalid();
      const items = (value as JsValue[]).map((item) => fromAura(rt, item, type.elem));
      if (type.k === "list") return new ApexList(type.elem, items);
      const set = new ApexSet(type.elem);
      for (const item of items) rt.stdlib.callInstance(set, "add", [item], API_LOC);
      return set;
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) invalid();
      const map = new ApexMap(type.key, type.value);
      for (const [key, item] of Object.entries(value as Record<string, JsValue>)) {
        mapPut(rt, map, fromAura(rt, key, type.key), fromAura(rt, item, type.value));
      }
      return map;
    }
    case "sobject": {
      if (typeof value !== "object" || Array.isArray(value) || !type.obj) invalid();
      const record = rt.data.newRecord(type.obj!);
      for (const [name, item] of Object.entries(value as Record<string, JsValue>)) {
        const field = type.obj!.fields.get(name.toLowerCase());
        if (!field) invalid();
        rt.data.setField(record, name, fromAura(rt, item, rt.fieldType(field!)), API_LOC);
      }
      return record;
    }
    case "class": {
      const cls = type.cls;
      if (cls.kind === "enum") {
        const found = cls.enumValues.find((v) => (v as EnumValue).name === value);
        return found ?? invalid();
      }
      if (!cls.decl || typeof value !== "object" || Array.isArray(value)) invalid();
      // Lightning fills the members the class exposes with @AuraEnabled and ignores the rest.
      const object = rt.instantiate(cls, [], API_LOC);
      for (const [name, item] of Object.entries(value as Record<string, JsValue>)) {
        for (let c: ClassInfo | null = cls; c && c.decl; c = c.parent) {
          const field = c.decl.fields.find(
            (f) => f.name === name && !f.isStatic && f.mods.annotations.some((a) => a.name === "auraenabled")
          );
          if (!field) continue;
          object.fields.set(field.name.toLowerCase(), fromAura(rt, item, rt.resolveType(field.type, c, field)));
          break;
        }
      }
      return object;
    }
    default:
      return invalid();
  }
}

function primitive(rt: Interpreter, value: JsValue, name: string, invalid: () => never): Value {
  const numeric = typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()));
  switch (name) {
    case "String":
      return typeof value === "string" ? value : invalid();
    case "Id":
      if (typeof value !== "string") invalid();
      try {
        return rt.coerce(value, { k: "prim", name: "Id" });
      } catch {
        return invalid();
      }
    case "Boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      return invalid();
    case "Integer":
      return numeric && Number.isInteger(Number(value)) ? Number(value) | 0 : invalid();
    case "Long":
      return numeric && Number.isInteger(Number(value)) ? BigInt(Number(value)) : invalid();
    case "Decimal":
      return numeric ? ApexDecimal.parse(String(value).trim()) : invalid();
    case "Double":
      return numeric ? new ApexDouble(Number(value)) : invalid();
    case "Date": {
      const match = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
      return match ? new ApexDate(Number(match[1]), Number(match[2]), Number(match[3])) : invalid();
    }
    case "Datetime": {
      const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : NaN;
      return Number.isNaN(ms) ? invalid() : new ApexDatetime(ms);
    }
    case "Object":
      return objectValue(rt, value);
    default:
      return invalid();
  }
}

/** An untyped parameter gets what JSON.deserializeUntyped would give. */
function objectValue(rt: Interpreter, value: JsValue): Value {
  if (value === null) return null;
  if (typeof value === "number") return Number.isInteger(value) ? value : ApexDecimal.parse(String(value));
  if (typeof value === "string" || typeof value === "boolean") return value;
  const object: RType = { k: "prim", name: "Object" };
  if (Array.isArray(value))
    return new ApexList(
      object,
      value.map((item) => objectValue(rt, item))
    );
  const map = new ApexMap({ k: "prim", name: "String" }, object);
  for (const [key, item] of Object.entries(value)) mapPut(rt, map, key, objectValue(rt, item));
  return map;
}
