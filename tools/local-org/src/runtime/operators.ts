// Apex operators, equality, hashing and string conversion.
import { NO_METHOD, type RuntimeContext } from "./context.js";
import { throwApex } from "./errors.js";
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
  decDivide,
  doubleToString,
  isNumber,
  numRank,
  toBigInt,
  toDec,
  toInt32,
  toJsNumber,
  toLong,
  type Value
} from "./values.js";
import { fieldDisplayName, typeName } from "./types.js";

type Num = number | bigint | ApexDouble | ApexDecimal;

/** String.valueOf semantics (and string concatenation). */
export function str(runtime: RuntimeContext, value: Value): string {
  if (value === null) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof ApexDouble) return doubleToString(value.v);
  if (value instanceof ApexDecimal) return value.toString();
  // A Date in a debug line or concatenation shows a midnight time; String.valueOf(Date) does not.
  if (value instanceof ApexDate) return `${value.toString()} 00:00:00`;
  if (value instanceof ApexDatetime || value instanceof ApexTime) return value.toString();
  if (value instanceof ApexList) return `(${value.items.map((item) => str(runtime, item)).join(", ")})`;
  if (value instanceof ApexSet)
    return `{${setItems(value)
      .map((item) => str(runtime, item))
      .join(", ")}}`;
  if (value instanceof ApexMap)
    return `{${mapEntries(value)
      .map(([key, item]) => `${str(runtime, key)}=${str(runtime, item)}`)
      .join(", ")}}`;
  if (value instanceof EnumValue) return value.name;
  if (value instanceof SObjectValue) {
    const parts: string[] = [];
    for (const [key, item] of value.fields) {
      if (item instanceof SObjectValue || item instanceof ApexList) continue;
      parts.push(`${value.type.fields.get(key)?.name ?? key}=${str(runtime, item)}`);
    }
    return `${value.type.name}:{${parts.join(", ")}}`;
  }
  if (value instanceof ApexObject) {
    const custom = runtime.callDeclaredMethod(value, "tostring", []);
    if (custom !== NO_METHOD) return str(runtime, custom);
    if (value.ex) return `${value.ex.typeName}: ${str(runtime, value.ex.message)}`;
    const parts: string[] = [];
    for (const [key, item] of value.fields) parts.push(`${fieldDisplayName(value.cls, key)}=${str(runtime, item)}`);
    return `${value.cls.name}:[${parts.join(", ")}]`;
  }
  if (value instanceof ApexBlob) return `Blob[${value.bytes.length}]`;
  if (value instanceof TypeValue) return typeName(value.type);
  if (value instanceof NativeObject) return runtime.nativeToString(value);
  return String(value);
}

export function setItems(set: ApexSet): Value[] {
  const out: Value[] = [];
  for (const bucket of set.map.values()) out.push(...bucket);
  return out;
}

export function mapEntries(map: ApexMap): [Value, Value][] {
  const out: [Value, Value][] = [];
  for (const bucket of map.map.values()) out.push(...bucket);
  return out;
}

/**
 * Hash key used by Set and Map: case-sensitive for strings, by value for records and
 * collections. Decimals keep their scale (1.1 and 1.10 are different keys, as documented);
 * `numeric` compares all numbers by value instead, as assertions do.
 */
export function hashKey(runtime: RuntimeContext, value: Value, numeric = false): string {
  const rec = (item: Value) => hashKey(runtime, item, numeric);
  if (value === null) return "n";
  if (typeof value === "string") return "s" + value;
  if (typeof value === "boolean") return value ? "bt" : "bf";
  if (isNumber(value)) {
    if (numeric) return "#" + toDec(value).d.toString();
    if (value instanceof ApexDecimal) return "#d" + value.toPlainString();
    if (value instanceof ApexDouble) return "#f" + value.v;
    return "#" + value.toString();
  }
  if (value instanceof ApexDate) return "d" + value.toString();
  if (value instanceof ApexDatetime) return "t" + value.ms;
  if (value instanceof EnumValue) return `e${value.cls.name}.${value.name}`;
  if (value instanceof ApexList) return `l(${value.items.map(rec).join(",")})`;
  if (value instanceof ApexSet) return `S{${setItems(value).map(rec).sort().join(",")}}`;
  if (value instanceof ApexMap)
    return `M{${mapEntries(value)
      .map(([key, item]) => rec(key) + "=" + rec(item))
      .sort()
      .join(",")}}`;
  if (value instanceof SObjectValue) {
    const parts = [...value.fields.entries()].map(([key, item]) => `${key}=${rec(item)}`).sort();
    return `o${value.type.name}{${parts.join(",")}}`;
  }
  if (value instanceof ApexObject) {
    const hash = runtime.callDeclaredMethod(value, "hashcode", []);
    if (hash !== NO_METHOD) return "h" + str(runtime, hash);
    return "i" + value.identity;
  }
  if (value instanceof NativeObject) return "x" + value.identity;
  if (value instanceof TypeValue) return "T" + typeName(value.type).toLowerCase();
  return "?" + String(value);
}

/** Key equality inside a bucket: `equals` semantics (case-sensitive strings, user equals()). */
export function keyEquals(runtime: RuntimeContext, a: Value, b: Value): boolean {
  if (a instanceof ApexObject && b instanceof ApexObject) {
    const equal = runtime.callDeclaredMethod(a, "equals", [b]);
    if (equal !== NO_METHOD) return equal === true;
    return a === b;
  }
  return hashKey(runtime, a) === hashKey(runtime, b);
}

/** The `==` operator. */
export function looseEquals(runtime: RuntimeContext, a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === "string" && typeof b === "string") {
    if (a.length === b.length) return a.toLowerCase() === b.toLowerCase();
    // An Id compares equal to its 15-character form.
    if ((a.length === 15 && b.length === 18) || (a.length === 18 && b.length === 15)) {
      return a.slice(0, 15) === b.slice(0, 15);
    }
    return false;
  }
  if (isNumber(a) && isNumber(b)) return compareNum(a, b) === 0;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.ms === b.ms;
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return a.ms === b.ms;
  if (a instanceof ApexTime && b instanceof ApexTime) return a.ms === b.ms;
  if (a instanceof ApexList && b instanceof ApexList) {
    return a.items.length === b.items.length && a.items.every((item, i) => looseEquals(runtime, item, b.items[i]));
  }
  if (a instanceof ApexSet && b instanceof ApexSet)
    return a.size === b.size && hashKey(runtime, a) === hashKey(runtime, b);
  if (a instanceof ApexMap && b instanceof ApexMap)
    return a.size === b.size && hashKey(runtime, a) === hashKey(runtime, b);
  if (a instanceof SObjectValue && b instanceof SObjectValue) {
    if (a.type !== b.type || a.fields.size !== b.fields.size) return false;
    for (const [key, item] of a.fields) {
      if (!b.fields.has(key) || !looseEquals(runtime, item, b.fields.get(key) ?? null)) return false;
    }
    return true;
  }
  if (a instanceof ApexObject) {
    const equal = runtime.callDeclaredMethod(a, "equals", [b]);
    if (equal !== NO_METHOD) return equal === true;
    return a === b;
  }
  if (a instanceof TypeValue && b instanceof TypeValue)
    return typeName(a.type).toLowerCase() === typeName(b.type).toLowerCase();
  if (a instanceof ApexBlob && b instanceof ApexBlob) return a.bytes.equals(b.bytes);
  return a === b;
}

/** The `===` operator: reference equality for objects, value equality for primitives. */
export function exactEquals(runtime: RuntimeContext, a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (
    typeof a === "object" &&
    !(a instanceof ApexDecimal || a instanceof ApexDouble || a instanceof ApexDate || a instanceof ApexDatetime)
  ) {
    return a === b;
  }
  if (typeof a === "string" && typeof b === "string") return a === b;
  return looseEquals(runtime, a, b);
}

export function compareNum(a: Num, b: Num): number {
  const r = Math.max(numRank(a), numRank(b));
  if (r === 0) return (a as number) - (b as number) < 0 ? -1 : a === b ? 0 : 1;
  if (r === 1) {
    const long = toBigInt(a);
    const y = toBigInt(b);
    return long < y ? -1 : long > y ? 1 : 0;
  }
  if (r === 3) {
    const x = toJsNumber(a);
    const y = toJsNumber(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return toDec(a).d.cmp(toDec(b).d);
}

/** Arithmetic on two numbers with Apex's type promotion: Integer < Long < Decimal < Double. */
export function arith(runtime: RuntimeContext, operator: string, a: Num, b: Num): Value {
  const r = Math.max(numRank(a), numRank(b));
  if (r === 0) {
    const x = a as number;
    const y = b as number;
    switch (operator) {
      case "+":
        return toInt32(x + y);
      case "-":
        return toInt32(x - y);
      case "*":
        return Math.imul(x, y);
      case "/":
        if (y === 0) throwApex(runtime, "MathException", "Divide by 0");
        return toInt32(Math.trunc(x / y));
    }
  }
  if (r === 1) {
    const long = toBigInt(a);
    const y = toBigInt(b);
    switch (operator) {
      case "+":
        return toLong(long + y);
      case "-":
        return toLong(long - y);
      case "*":
        return toLong(long * y);
      case "/":
        if (y === 0n) throwApex(runtime, "MathException", "Divide by 0");
        return toLong(long / y);
    }
  }
  if (r === 3) {
    const x = toJsNumber(a);
    const y = toJsNumber(b);
    switch (operator) {
      case "+":
        return new ApexDouble(x + y);
      case "-":
        return new ApexDouble(x - y);
      case "*":
        return new ApexDouble(x * y);
      case "/":
        if (y === 0) throwApex(runtime, "MathException", "Divide by 0");
        return new ApexDouble(x / y);
    }
  }
  const decimal = toDec(a);
  const y = toDec(b);
  switch (operator) {
    case "+":
      return new ApexDecimal(decimal.d.add(y.d), Math.max(decimal.scale, y.scale));
    case "-":
      return new ApexDecimal(decimal.d.sub(y.d), Math.max(decimal.scale, y.scale));
    case "*":
      return new ApexDecimal(decimal.d.mul(y.d), decimal.scale + y.scale);
    case "/":
      if (y.d.isZero()) throwApex(runtime, "MathException", "Divide by 0");
      return decDivide(decimal, y);
  }
  throw new Error(`unknown operator ${operator}`);
}

export function negate(number: Num): Value {
  if (typeof number === "number") return toInt32(-number);
  if (typeof number === "bigint") return toLong(-number);
  if (number instanceof ApexDouble) return new ApexDouble(-number.v);
  return new ApexDecimal(number.d.neg(), number.scale);
}
