// Calls an @AuraEnabled method the way Lightning does when a component imports it from
// `@salesforce/apex/Class.method`: by class, method and named parameters, in a transaction of its own,
// as a given user; the result serialised as Lightning sends it to the component, an exception turned
// into the error body the component receives.
import type { Loc, MethodDecl } from "./parse/ast.js";
import { coerce, fieldType, runtimeTypeName } from "./runtime/conversion.js";
import { ApexThrow, unsupported } from "./runtime/errors.js";
import { LIMITS, Limits } from "./runtime/limits.js";
import { mapEntries, setItems, str } from "./runtime/operators.js";
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
  type ClassInfo,
  type RType,
  type Value
} from "./runtime/values.js";
import { mapPut } from "./stdlib/collections.js";
import type { Interpreter } from "./interpreter/interpreter.js";
import type { JsValue } from "./js-value.js";

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
const CACHEABLE_LIMITS = { ...LIMITS, dmlStatements: 0 };

function auraEnabled(method: MethodDecl) {
  return method.modifiers.annotations.find((a) => a.name === "auraenabled") ?? null;
}

/** The method a component can call: static, @AuraEnabled, public or global. */
function findAction(interpreter: Interpreter, className: string, methodName: string) {
  const cls = interpreter.classes.get(className.toLowerCase());
  const method = cls?.decl?.methods.find(
    (m) =>
      m.name.toLowerCase() === methodName.toLowerCase() &&
      m.isStatic &&
      auraEnabled(m) !== null &&
      (m.modifiers.keywords.has("public") || m.modifiers.keywords.has("global"))
  );
  return cls && method ? { cls, method } : null;
}

class InvalidParameter extends Error {}

export function callAuraEnabled(
  interpreter: Interpreter,
  transaction: Transaction,
  request: AuraActionRequest
): AuraActionResult {
  const action = findAction(interpreter, request.className, request.methodName);
  if (!action) return error({ message: `No apex action available for ${request.className}.${request.methodName}` });
  const { cls, method } = action;
  const cacheable = (auraEnabled(method)!.params["cacheable"] ?? "").toLowerCase() === "true";
  const params = request.params ?? {};
  let returnValue: JsValue = null;
  let thrown: unknown = null;
  let invalid: string | null = null;
  const previousUser = interpreter.transaction.runAsUserId;
  interpreter.transaction.runAsUserId = request.userId ?? null;
  try {
    const result = transaction(() => {
      if (cacheable) interpreter.transaction.limits = new Limits(CACHEABLE_LIMITS);
      const args: Value[] = [];
      for (const param of method.params) {
        const type = interpreter.resolveType(param.type, cls, method);
        try {
          args.push(fromAura(interpreter, params[param.name], type));
        } catch (caught) {
          if (!(caught instanceof InvalidParameter)) throw caught;
          invalid = `Value provided is invalid for action parameter '${param.name}' of type '${param.type.text}'`;
          return null;
        }
      }
      try {
        const value = interpreter.invoke(cls, method, null, args, API_LOC);
        returnValue = method.returnType ? toAura(interpreter, value) : null;
      } catch (caught) {
        thrown = caught;
        throw caught;
      }
      return null;
    });
    if (invalid) return error({ message: invalid });
    if (result.success) return { state: "SUCCESS", returnValue };
    if (thrown instanceof ApexThrow) return exceptionBody(interpreter, thrown);
    return error({ message: result.exceptionMessage ?? "local-org stopped" }, true);
  } finally {
    interpreter.transaction.runAsUserId = previousUser;
  }
}

/** What Lightning sends for an exception the method did not handle. */
function exceptionBody(interpreter: Interpreter, thrown: ApexThrow): AuraActionResult {
  const exception = thrown.obj.ex!;
  const message = exception.message === null ? null : str(interpreter, exception.message);
  if (exception.typeName === "System.AuraHandledException") {
    // The constructor's message reaches the component even though getMessage() hides it in Apex;
    // a message set with setMessage replaces it.
    const shown =
      message !== null && message !== "Script-thrown exception"
        ? message
        : exception.auraMessage === undefined || exception.auraMessage === null
          ? ""
          : str(interpreter, exception.auraMessage);
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
export function toAura(interpreter: Interpreter, value: Value): JsValue {
  if (value === null) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof ApexDecimal) return value.d.toNumber();
  if (value instanceof ApexDouble) return value.v;
  if (value instanceof ApexDate || value instanceof ApexTime) return value.toString();
  if (value instanceof ApexDatetime) return new Date(value.ms).toISOString();
  if (value instanceof ApexBlob) return value.bytes.toString("base64");
  if (value instanceof EnumValue) return value.name;
  if (value instanceof ApexList) return value.items.map((item) => toAura(interpreter, item));
  if (value instanceof ApexSet) return setItems(value).map((item) => toAura(interpreter, item));
  if (value instanceof ApexMap) {
    return Object.fromEntries(
      mapEntries(value).map(([key, item]) => [str(interpreter, key), toAura(interpreter, item)])
    );
  }
  if (value instanceof SObjectValue) {
    const out: Record<string, JsValue> = {};
    for (const [key, item] of value.fields) {
      if (item === null) continue;
      const field = value.type.fields.get(key);
      const parent = [...value.type.fields.values()].find((f) => f.relationshipName?.toLowerCase() === key);
      out[field?.name ?? parent?.relationshipName ?? value.type.childRelationships.get(key)?.name ?? key] = toAura(
        interpreter,
        item
      );
    }
    return out;
  }
  if (value instanceof ApexObject) {
    const out: Record<string, JsValue> = {};
    for (let c: ClassInfo | null = value.cls; c && c.decl; c = c.parent) {
      for (const field of c.decl.fields) {
        if (field.isStatic || !field.modifiers.annotations.some((a) => a.name === "auraenabled")) continue;
        if (field.name in out) continue;
        const item = toAura(interpreter, interpreter.readProperty(value, field.name, API_LOC));
        if (item !== null) out[field.name] = item;
      }
    }
    return out;
  }
  unsupported(interpreter, `returning a ${runtimeTypeName(value)} to a component`, API_LOC);
}

/** Converts a parameter the component sent to the Apex parameter's type, refusing what Lightning refuses. */
export function fromAura(interpreter: Interpreter, value: JsValue | undefined, type: RType): Value {
  if (value === null || value === undefined) return null;
  const invalid = (): never => {
    throw new InvalidParameter();
  };
  switch (type.kind) {
    case "prim":
      return primitive(interpreter, value, type.name, invalid);
    case "list":
    case "set": {
      if (!Array.isArray(value)) invalid();
      const items = (value as JsValue[]).map((item) => fromAura(interpreter, item, type.elem));
      if (type.kind === "list") return new ApexList(type.elem, items);
      const set = new ApexSet(type.elem);
      for (const item of items) interpreter.stdlib.callInstance(set, "add", [item], API_LOC);
      return set;
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) invalid();
      const map = new ApexMap(type.key, type.value);
      for (const [key, item] of Object.entries(value as Record<string, JsValue>)) {
        mapPut(interpreter, map, fromAura(interpreter, key, type.key), fromAura(interpreter, item, type.value));
      }
      return map;
    }
    case "sobject": {
      if (typeof value !== "object" || Array.isArray(value) || !type.obj) invalid();
      const record = interpreter.data.newRecord(type.obj!);
      for (const [name, item] of Object.entries(value as Record<string, JsValue>)) {
        const field = type.obj!.fields.get(name.toLowerCase());
        if (!field) invalid();
        interpreter.data.setField(record, name, fromAura(interpreter, item, fieldType(field!)), API_LOC);
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
      const object = interpreter.instantiate(cls, [], API_LOC);
      for (const [name, item] of Object.entries(value as Record<string, JsValue>)) {
        for (let c: ClassInfo | null = cls; c && c.decl; c = c.parent) {
          const field = c.decl.fields.find(
            (f) => f.name === name && !f.isStatic && f.modifiers.annotations.some((a) => a.name === "auraenabled")
          );
          if (!field) continue;
          object.fields.set(
            field.name.toLowerCase(),
            fromAura(interpreter, item, interpreter.resolveType(field.type, c, field))
          );
          break;
        }
      }
      return object;
    }
    default:
      return invalid();
  }
}

function primitive(interpreter: Interpreter, value: JsValue, name: string, invalid: () => never): Value {
  const numeric = typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()));
  switch (name) {
    case "String":
      return typeof value === "string" ? value : invalid();
    case "Id":
      if (typeof value !== "string") invalid();
      try {
        return coerce(interpreter, value, { kind: "prim", name: "Id" });
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
      return objectValue(interpreter, value);
    default:
      return invalid();
  }
}

/** An untyped parameter gets what JSON.deserializeUntyped would give. */
function objectValue(interpreter: Interpreter, value: JsValue): Value {
  if (value === null) return null;
  if (typeof value === "number") return Number.isInteger(value) ? value : ApexDecimal.parse(String(value));
  if (typeof value === "string" || typeof value === "boolean") return value;
  const object: RType = { kind: "prim", name: "Object" };
  if (Array.isArray(value))
    return new ApexList(
      object,
      value.map((item) => objectValue(interpreter, item))
    );
  const map = new ApexMap({ kind: "prim", name: "String" }, object);
  for (const [key, item] of Object.entries(value)) mapPut(interpreter, map, key, objectValue(interpreter, item));
  return map;
}
