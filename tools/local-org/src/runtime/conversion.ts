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

export function fieldType(field: FieldDescribe): RType {
  switch (field.type) {
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
export function isInstance(value: Value, type: RType): boolean {
  if (value === null) return false;
  switch (type.kind) {
    case "prim":
      switch (type.name) {
        case "Object":
          return true;
        case "Integer":
          return typeof value === "number";
        case "Long":
          return typeof value === "bigint";
        case "Decimal":
          return value instanceof ApexDecimal;
        case "Double":
          return value instanceof ApexDouble;
        case "String":
          return typeof value === "string";
        case "Id":
          return typeof value === "string" && normalizeId(value) !== null;
        case "Boolean":
          return typeof value === "boolean";
        case "Date":
          return value instanceof ApexDate;
        case "Datetime":
          return value instanceof ApexDatetime;
        case "Time":
          return value instanceof ApexTime;
        case "Blob":
          return value instanceof ApexBlob;
      }
      return false;
    case "list":
      return value instanceof ApexList;
    case "set":
      return value instanceof ApexSet;
    case "map":
      return value instanceof ApexMap;
    case "sobject":
      return value instanceof SObjectValue && (type.obj === null || value.type === type.obj);
    case "class":
      if (value instanceof ApexObject) return isSubclass(value.cls, type.cls);
      if (value instanceof EnumValue) return value.cls === type.cls;
      return false;
    case "native": {
      const name = type.name.toLowerCase();
      if (name === "type") return value instanceof TypeValue;
      return value instanceof NativeObject && value.typeName.toLowerCase() === name;
    }
  }
}

export function runtimeTypeName(value: Value): string {
  if (value === null) return "null";
  if (typeof value === "number") return "Integer";
  if (typeof value === "bigint") return "Long";
  if (typeof value === "string") return "String";
  if (typeof value === "boolean") return "Boolean";
  if (value instanceof ApexDecimal) return "Decimal";
  if (value instanceof ApexDouble) return "Double";
  if (value instanceof ApexDate) return "Date";
  if (value instanceof ApexDatetime) return "Datetime";
  if (value instanceof ApexTime) return "Time";
  if (value instanceof ApexBlob) return "Blob";
  if (value instanceof ApexList) return `List<${typeName(value.elemType)}>`;
  if (value instanceof ApexSet) return `Set<${typeName(value.elemType)}>`;
  if (value instanceof ApexMap) return `Map<${typeName(value.keyType)},${typeName(value.valueType)}>`;
  if (value instanceof SObjectValue) return value.type.name;
  if (value instanceof ApexObject) return value.cls.name;
  if (value instanceof EnumValue) return value.cls.name;
  if (value instanceof NativeObject) return value.typeName;
  return "Type";
}

/** Converts a value to a declared type on assignment, parameter passing and return. */
export function coerce(runtime: RuntimeContext, value: Value, type: RType): Value {
  if (value === null) return null;
  if (type.kind === "prim") {
    switch (type.name) {
      case "Object":
        return value;
      case "Integer":
        if (typeof value === "number") return value;
        break;
      case "Long":
        if (typeof value === "bigint") return value;
        if (typeof value === "number") return BigInt(value);
        break;
      case "Decimal":
        if (value instanceof ApexDecimal) return value;
        if (typeof value === "number" || typeof value === "bigint") return ApexDecimal.fromInt(value);
        if (value instanceof ApexDouble) return ApexDecimal.fromDouble(value.v);
        break;
      case "Double":
        if (value instanceof ApexDouble) return value;
        if (isNumber(value))
          return new ApexDouble(
            Number(
              typeof value === "bigint" ? value : value instanceof ApexDecimal ? value.d.toNumber() : (value as number)
            )
          );
        break;
      case "String":
        if (typeof value === "string") return value;
        break;
      case "Id":
        if (typeof value === "string") {
          const id = normalizeId(value);
          if (id === null) throwApex(runtime, "StringException", `Invalid id: ${value}`);
          return id;
        }
        break;
      default:
        if (isInstance(value, type)) return value;
    }
    throwApex(
      runtime,
      "TypeException",
      `Invalid conversion from runtime type ${runtimeTypeName(value)} to ${typeName(type)}`
    );
  }
  if (type.kind === "sobject" && value instanceof ApexList && value.fromQuery) {
    if (value.items.length === 0) throwApex(runtime, "QueryException", "List has no rows for assignment to SObject");
    if (value.items.length > 1)
      throwApex(runtime, "QueryException", "List has more than 1 row for assignment to SObject");
    return coerce(runtime, value.items[0], type);
  }
  if (isInstance(value, type)) return value;
  // Collections are checked by kind only; element types are not re-verified.
  if (type.kind === "sobject" && value instanceof SObjectValue) {
    throwApex(runtime, "TypeException", `Invalid conversion from runtime type ${value.type.name} to ${typeName(type)}`);
  }
  throwApex(
    runtime,
    "TypeException",
    `Invalid conversion from runtime type ${runtimeTypeName(value)} to ${typeName(type)}`
  );
}

/** A collection built as List<Object> (e.g. by JSON.deserializeUntyped) cannot be cast to a narrower element type. */
export function collectionCastOk(value: Value, type: RType): boolean {
  if (value instanceof ApexList && type.kind === "list") return elemCastOk(value.elemType, type.elem);
  if (value instanceof ApexSet && type.kind === "set") return elemCastOk(value.elemType, type.elem);
  if (value instanceof ApexMap && type.kind === "map")
    return elemCastOk(value.keyType, type.key) && elemCastOk(value.valueType, type.value);
  return true;
}
/** A collection keeps its element type: a cast may widen it (to Object, a superclass) but not change it. */
function elemCastOk(from: RType, to: RType): boolean {
  if (to.kind === "prim" && to.name === "Object") return true;
  if (from.kind === "prim" && to.kind === "prim") {
    const text = (name: string) => name === "String" || name === "Id";
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
export function collectionRuntimeName(value: Value): string {
  if (value instanceof ApexList && value.elemType.kind === "prim" && value.elemType.name === "Object")
    return "List<ANY>";
  if (value instanceof ApexSet && value.elemType.kind === "prim" && value.elemType.name === "Object") return "Set<ANY>";
  if (value instanceof ApexMap && value.valueType.kind === "prim" && value.valueType.name === "Object")
    return `Map<${typeName(value.keyType)},ANY>`;
  return runtimeTypeName(value);
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
