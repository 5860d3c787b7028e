// Conversions between run-time values and declared types: instanceof, run-time type names,
// the conversions declared types apply on assignment, parameter passing and return, and casts
// of collections.
import type { RuntimeContext } from "./context.js";
import { throwApex } from "./errors.js";
import type { FieldDescribe } from "./describe.js";
import { normalizeId } from "./ids.js";
import { isSubclass, prim, typeName } from "./types.js";
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
  type RType,
  type Value
} from "./values.js";

export function fieldType(f: FieldDescribe): RType {
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
export function isInstance(v: Value, t: RType): boolean {
  if (v === null) return false;
  switch (t.kind) {
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

export function runtimeTypeName(v: Value): string {
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
export function coerce(rt: RuntimeContext, v: Value, t: RType): Value {
  if (v === null) return null;
  if (t.kind === "prim") {
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
          if (id === null) throwApex(rt, "StringException", `Invalid id: ${v}`);
          return id;
        }
        break;
      default:
        if (isInstance(v, t)) return v;
    }
    throwApex(rt, "TypeException", `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${typeName(t)}`);
  }
  if (t.kind === "sobject" && v instanceof ApexList && v.fromQuery) {
    if (v.items.length === 0) throwApex(rt, "QueryException", "List has no rows for assignment to SObject");
    if (v.items.length > 1) throwApex(rt, "QueryException", "List has more than 1 row for assignment to SObject");
    return coerce(rt, v.items[0], t);
  }
  if (isInstance(v, t)) return v;
  // Collections are checked by kind only; element types are not re-verified.
  if (t.kind === "sobject" && v instanceof SObjectValue) {
    throwApex(rt, "TypeException", `Invalid conversion from runtime type ${v.type.name} to ${typeName(t)}`);
  }
  throwApex(rt, "TypeException", `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${typeName(t)}`);
}

/** A collection built as List<Object> (e.g. by JSON.deserializeUntyped) cannot be cast to a narrower element type. */
export function collectionCastOk(v: Value, t: RType): boolean {
  if (v instanceof ApexList && t.kind === "list") return elemCastOk(v.elemType, t.elem);
  if (v instanceof ApexSet && t.kind === "set") return elemCastOk(v.elemType, t.elem);
  if (v instanceof ApexMap && t.kind === "map") return elemCastOk(v.keyType, t.key) && elemCastOk(v.valueType, t.value);
  return true;
}
/** A collection keeps its element type: a cast may widen it (to Object, a superclass) but not change it. */
function elemCastOk(from: RType, to: RType): boolean {
  if (to.kind === "prim" && to.name === "Object") return true;
  if (from.kind === "prim" && to.kind === "prim") {
    const text = (n: string) => n === "String" || n === "Id";
    return from.name === to.name || (text(from.name) && text(to.name));
  }
  if (from.kind === "class" && to.kind === "class") return isSubclass(from.cls, to.cls);
  // SObject lists are checked by their rows elsewhere; the generic and concrete types convert.
  if (from.kind === "sobject" && to.kind === "sobject")
    return from.obj === null || to.obj === null || from.obj === to.obj;
  if (from.kind === "list" && to.kind === "list") return elemCastOk(from.elem, to.elem);
  if (from.kind === "set" && to.kind === "set") return elemCastOk(from.elem, to.elem);
  if (from.kind === "map" && to.kind === "map") return elemCastOk(from.key, to.key) && elemCastOk(from.value, to.value);
  if (from.kind === "native" && to.kind === "native") return from.name.toLowerCase() === to.name.toLowerCase();
  return false;
}
export function collectionRuntimeName(v: Value): string {
  if (v instanceof ApexList && v.elemType.kind === "prim" && v.elemType.name === "Object") return "List<ANY>";
  if (v instanceof ApexSet && v.elemType.kind === "prim" && v.elemType.name === "Object") return "Set<ANY>";
  if (v instanceof ApexMap && v.valueType.kind === "prim" && v.valueType.name === "Object")
    return `Map<${typeName(v.keyType)},ANY>`;
  return runtimeTypeName(v);
}
/** Whether a value of declared type `from` may be passed where `to` is declared. */
export function assignable(from: RType, to: RType): boolean {
  if (to.kind === "prim" && to.name === "Object") return true;
  if (from.kind === "prim" && to.kind === "prim") {
    const widen: Record<string, string[]> = {
      Integer: ["Long", "Decimal", "Double"],
      Long: ["Decimal", "Double"],
      Decimal: ["Double"],
      Id: ["String"],
      String: ["Id"]
    };
    return from.name === to.name || (widen[from.name] ?? []).includes(to.name);
  }
  if (from.kind === "class" && to.kind === "class") return isSubclass(from.cls, to.cls);
  if (from.kind === "sobject" && to.kind === "sobject") return to.obj === null || from.obj === to.obj;
  if (from.kind !== to.kind) return false;
  if (from.kind === "list" || from.kind === "set" || from.kind === "map" || from.kind === "native") return true;
  return false;
}
