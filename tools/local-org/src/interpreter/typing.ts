// Apex types at run time: resolving type names, instanceof, runtime type names, and the
// conversions declared types apply on assignment, parameter passing and return.
import type { Loc, TypeRef } from "../parse/ast.js";
import type { Interpreter } from "./interpreter.js";
import { CompileError, UnsupportedError } from "./errors.js";
import { OBJECT, isSubclass, prim, typeName, type ClassInfo, type PrimName, type RType } from "./types.js";
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
  isNumber,
  type Value
} from "./values.js";
import type { FieldDescribe } from "../data/schema.js";
import { AGGREGATE_RESULT, soqlLists } from "../data/soql.js";
import { normalizeId } from "../stdlib/id.js";

export const PRIMS: Record<string, PrimName> = {
  integer: "Integer",
  long: "Long",
  decimal: "Decimal",
  double: "Double",
  string: "String",
  boolean: "Boolean",
  id: "Id",
  date: "Date",
  datetime: "Datetime",
  time: "Time",
  blob: "Blob",
  object: "Object"
};

export function resolveType(rt: Interpreter, tr: TypeRef, ctx: ClassInfo | null, loc: Loc): RType {
  const cached = rt.typeCache.get(tr);
  if (cached) return cached;
  const t = resolveTypeUncached(rt, tr, ctx, loc);
  rt.typeCache.set(tr, t);
  return t;
}

function resolveTypeUncached(rt: Interpreter, tr: TypeRef, ctx: ClassInfo | null, loc: Loc): RType {
  let names = tr.names.map((n) => n.toLowerCase());
  if (names.length > 1 && (names[0] === "system" || names[0] === "schema")) {
    const rest = names.slice(1);
    if (rest.length === 1 && (PRIMS[rest[0]] || ["list", "set", "map"].includes(rest[0]))) names = rest;
  }
  if (names.length === 1) {
    const n = names[0];
    const p = PRIMS[n];
    if (p) return prim(p);
    const args = tr.args.map((a) => rt.resolveType(a, ctx, loc));
    if (n === "list") return { k: "list", elem: args[0] ?? OBJECT };
    if (n === "set") return { k: "set", elem: args[0] ?? OBJECT };
    if (n === "map") return { k: "map", key: args[0] ?? OBJECT, value: args[1] ?? OBJECT };
    if (n === "sobject") return { k: "sobject", obj: null };
  }
  const found = rt.lookupType(names, ctx);
  if (found) return found;
  throw new UnsupportedError(`type ${tr.text}`, loc);
}

/** Finds a class, system class, SObject type or native type by (lower-case) qualified name. */
export function lookupType(rt: Interpreter, names: string[], ctx: ClassInfo | null): RType | null {
  const first = names[0];
  if (names.length === 1 && PRIMS[first]) return prim(PRIMS[first]);
  if (names.length === 2 && names[0] === "system" && PRIMS[names[1]]) return prim(PRIMS[names[1]]);
  let cls: ClassInfo | null = null;
  for (let c: ClassInfo | null = ctx; c && !cls; c = c.outer) {
    if (c.name.toLowerCase().split(".").pop() === first) cls = c;
    else {
      for (let p: ClassInfo | null = c; p && !cls; p = p.parent) cls = p.inner.get(first) ?? null;
    }
  }
  cls ??= rt.classes.get(first) ?? null;
  if (cls) {
    for (const n of names.slice(1)) {
      const inner: ClassInfo | undefined = cls.inner.get(n);
      if (!inner) return null;
      cls = inner;
    }
    return { k: "class", cls };
  }
  const joined = names.join(".");
  const sys = rt.systemClasses.get(joined);
  if (sys) return { k: "class", cls: sys };
  if (names.length === 1) {
    const obj = rt.schema.get(first);
    if (obj) return { k: "sobject", obj };
    if (first === "aggregateresult") return { k: "sobject", obj: AGGREGATE_RESULT };
  }
  if (names.length === 2 && names[0] === "schema") {
    const obj = rt.schema.get(names[1]);
    if (obj) return { k: "sobject", obj };
  }
  const native = rt.stdlib.nativeTypeName(joined);
  if (native) return { k: "native", name: native };
  const broken = rt.brokenClasses.get(first);
  if (broken) throw new CompileError(broken.message, null);
  return null;
}

export function fieldType(_rt: Interpreter, f: FieldDescribe): RType {
  switch (f.type) {
    case "id":
    case "reference":
      return prim("Id");
    case "boolean":
      return prim("Boolean");
    case "int":
      return prim("Integer");
    case "double":
    case "currency":
    case "percent":
      return prim("Decimal");
    case "date":
      return prim("Date");
    case "datetime":
      return prim("Datetime");
    default:
      return prim("String");
  }
}

/** Runtime type test used by instanceof, casts, catch and overload resolution. */
export function isInstance(_rt: Interpreter, v: Value, t: RType): boolean {
  if (v === null) return false;
  switch (t.k) {
    case "prim":
      switch (t.name) {
        case "Object":
          return true;
        case "Integer":
          return typeof v === "number";
        case "Long":
          return typeof v === "bigint";
        case "Decimal":
          return v instanceof ApexDecimal;
        case "Double":
          return v instanceof ApexDouble;
        case "String":
          return typeof v === "string";
        case "Id":
          return typeof v === "string" && normalizeId(v) !== null;
        case "Boolean":
          return typeof v === "boolean";
        case "Date":
          return v instanceof ApexDate;
        case "Datetime":
          return v instanceof ApexDatetime;
        case "Time":
          return v instanceof ApexTime;
        case "Blob":
          return v instanceof ApexBlob;
      }
      return false;
    case "list":
      return v instanceof ApexList;
    case "set":
      return v instanceof ApexSet;
    case "map":
      return v instanceof ApexMap;
    case "sobject":
      return v instanceof SObjectValue && (t.obj === null || v.type === t.obj);
    case "class":
      if (v instanceof ApexObject) return isSubclass(v.cls, t.cls);
      if (v instanceof EnumValue) return v.cls === t.cls;
      return false;
    case "native": {
      const name = t.name.toLowerCase();
      if (name === "type") return v instanceof TypeValue;
      return v instanceof NativeObject && v.typeName.toLowerCase() === name;
    }
  }
}

export function runtimeTypeName(_rt: Interpreter, v: Value): string {
  if (v === null) return "null";
  if (typeof v === "number") return "Integer";
  if (typeof v === "bigint") return "Long";
  if (typeof v === "string") return "String";
  if (typeof v === "boolean") return "Boolean";
  if (v instanceof ApexDecimal) return "Decimal";
  if (v instanceof ApexDouble) return "Double";
  if (v instanceof ApexDate) return "Date";
  if (v instanceof ApexDatetime) return "Datetime";
  if (v instanceof ApexTime) return "Time";
  if (v instanceof ApexBlob) return "Blob";
  if (v instanceof ApexList) return `List<${typeName(v.elemType)}>`;
  if (v instanceof ApexSet) return `Set<${typeName(v.elemType)}>`;
  if (v instanceof ApexMap) return `Map<${typeName(v.keyType)},${typeName(v.valueType)}>`;
  if (v instanceof SObjectValue) return v.type.name;
  if (v instanceof ApexObject) return v.cls.name;
  if (v instanceof EnumValue) return v.cls.name;
  if (v instanceof NativeObject) return v.typeName;
  return "Type";
}

/** Converts a value to a declared type on assignment, parameter passing and return. */
export function coerce(rt: Interpreter, v: Value, t: RType): Value {
  if (v === null) return null;
  if (t.k === "prim") {
    switch (t.name) {
      case "Object":
        return v;
      case "Integer":
        if (typeof v === "number") return v;
        break;
      case "Long":
        if (typeof v === "bigint") return v;
        if (typeof v === "number") return BigInt(v);
        break;
      case "Decimal":
        if (v instanceof ApexDecimal) return v;
        if (typeof v === "number" || typeof v === "bigint") return ApexDecimal.fromInt(v);
        if (v instanceof ApexDouble) return ApexDecimal.fromDouble(v.v);
        break;
      case "Double":
        if (v instanceof ApexDouble) return v;
        if (isNumber(v))
          return new ApexDouble(
            Number(typeof v === "bigint" ? v : v instanceof ApexDecimal ? v.d.toNumber() : (v as number))
          );
        break;
      case "String":
        if (typeof v === "string") return v;
        break;
      case "Id":
        if (typeof v === "string") {
          const id = normalizeId(v);
          if (id === null) rt.throwApex("StringException", `Invalid id: ${v}`);
          return id;
        }
        break;
      default:
        if (rt.isInstance(v, t)) return v;
    }
    rt.throwApex("TypeException", `Invalid conversion from runtime type ${rt.runtimeTypeName(v)} to ${typeName(t)}`);
  }
  if (t.k === "sobject" && v instanceof ApexList && soqlLists.has(v)) {
    if (v.items.length === 0) rt.throwApex("QueryException", "List has no rows for assignment to SObject");
    if (v.items.length > 1) rt.throwApex("QueryException", "List has more than 1 row for assignment to SObject");
    return rt.coerce(v.items[0], t);
  }
  if (rt.isInstance(v, t)) return v;
  // Collections are checked by kind only; element types are not re-verified.
  if (t.k === "sobject" && v instanceof SObjectValue) {
    rt.throwApex("TypeException", `Invalid conversion from runtime type ${v.type.name} to ${typeName(t)}`);
  }
  rt.throwApex("TypeException", `Invalid conversion from runtime type ${rt.runtimeTypeName(v)} to ${typeName(t)}`);
}

/** A collection built as List<Object> (e.g. by JSON.deserializeUntyped) cannot be cast to a narrower element type. */
export function collectionCastOk(_rt: Interpreter, v: Value, t: RType): boolean {
  if (v instanceof ApexList && t.k === "list") return elemCastOk(v.elemType, t.elem);
  if (v instanceof ApexSet && t.k === "set") return elemCastOk(v.elemType, t.elem);
  if (v instanceof ApexMap && t.k === "map") return elemCastOk(v.keyType, t.key) && elemCastOk(v.valueType, t.value);
  return true;
}
/** A collection keeps its element type: a cast may widen it (to Object, a superclass) but not change it. */
function elemCastOk(from: RType, to: RType): boolean {
  if (to.k === "prim" && to.name === "Object") return true;
  if (from.k === "prim" && to.k === "prim") {
    const text = (n: string) => n === "String" || n === "Id";
    return from.name === to.name || (text(from.name) && text(to.name));
  }
  if (from.k === "class" && to.k === "class") return isSubclass(from.cls, to.cls);
  // SObject lists are checked by their rows elsewhere; the generic and concrete types convert.
  if (from.k === "sobject" && to.k === "sobject") return from.obj === null || to.obj === null || from.obj === to.obj;
  if (from.k === "list" && to.k === "list") return elemCastOk(from.elem, to.elem);
  if (from.k === "set" && to.k === "set") return elemCastOk(from.elem, to.elem);
  if (from.k === "map" && to.k === "map") return elemCastOk(from.key, to.key) && elemCastOk(from.value, to.value);
  if (from.k === "native" && to.k === "native") return from.name.toLowerCase() === to.name.toLowerCase();
  return false;
}
export function collectionRuntimeName(rt: Interpreter, v: Value): string {
  if (v instanceof ApexList && v.elemType.k === "prim" && v.elemType.name === "Object") return "List<ANY>";
  if (v instanceof ApexSet && v.elemType.k === "prim" && v.elemType.name === "Object") return "Set<ANY>";
  if (v instanceof ApexMap && v.valueType.k === "prim" && v.valueType.name === "Object")
    return `Map<${typeName(v.keyType)},ANY>`;
  return rt.runtimeTypeName(v);
}
/** Whether a value of declared type `from` may be passed where `to` is declared. */
export function assignable(_rt: Interpreter, from: RType, to: RType): boolean {
  if (to.k === "prim" && to.name === "Object") return true;
  if (from.k === "prim" && to.k === "prim") {
    const widen: Record<string, string[]> = {
      Integer: ["Long", "Decimal", "Double"],
      Long: ["Decimal", "Double"],
      Decimal: ["Double"],
      Id: ["String"],
      String: ["Id"]
    };
    return from.name === to.name || (widen[from.name] ?? []).includes(to.name);
  }
  if (from.k === "class" && to.k === "class") return isSubclass(from.cls, to.cls);
  if (from.k === "sobject" && to.k === "sobject") return to.obj === null || from.obj === to.obj;
  if (from.k !== to.k) return false;
  if (from.k === "list" || from.k === "set" || from.k === "map" || from.k === "native") return true;
  return false;
}
