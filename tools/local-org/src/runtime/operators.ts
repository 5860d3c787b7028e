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
export function str(rt: RuntimeContext, v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof ApexDouble) return doubleToString(v.v);
  if (v instanceof ApexDecimal) return v.toString();
  // A Date in a debug line or concatenation shows a midnight time; String.valueOf(Date) does not.
  if (v instanceof ApexDate) return `${v.toString()} 00:00:00`;
  if (v instanceof ApexDatetime || v instanceof ApexTime) return v.toString();
  if (v instanceof ApexList) return `(${v.items.map((x) => str(rt, x)).join(", ")})`;
  if (v instanceof ApexSet)
    return `{${setItems(v)
      .map((x) => str(rt, x))
      .join(", ")}}`;
  if (v instanceof ApexMap)
    return `{${mapEntries(v)
      .map(([k, x]) => `${str(rt, k)}=${str(rt, x)}`)
      .join(", ")}}`;
  if (v instanceof EnumValue) return v.name;
  if (v instanceof SObjectValue) {
    const parts: string[] = [];
    for (const [k, x] of v.fields) {
      if (x instanceof SObjectValue || x instanceof ApexList) continue;
      parts.push(`${v.type.fields.get(k)?.name ?? k}=${str(rt, x)}`);
    }
    return `${v.type.name}:{${parts.join(", ")}}`;
  }
  if (v instanceof ApexObject) {
    const custom = rt.callDeclaredMethod(v, "tostring", []);
    if (custom !== NO_METHOD) return str(rt, custom);
    if (v.ex) return `${v.ex.typeName}: ${str(rt, v.ex.message)}`;
    const parts: string[] = [];
    for (const [k, x] of v.fields) parts.push(`${fieldDisplayName(v.cls, k)}=${str(rt, x)}`);
    return `${v.cls.name}:[${parts.join(", ")}]`;
  }
  if (v instanceof ApexBlob) return `Blob[${v.bytes.length}]`;
  if (v instanceof TypeValue) return typeName(v.type);
  if (v instanceof NativeObject) return rt.nativeToString(v);
  return String(v);
}

export function setItems(s: ApexSet): Value[] {
  const out: Value[] = [];
  for (const bucket of s.map.values()) out.push(...bucket);
  return out;
}

export function mapEntries(m: ApexMap): [Value, Value][] {
  const out: [Value, Value][] = [];
  for (const bucket of m.map.values()) out.push(...bucket);
  return out;
}

/**
 * Hash key used by Set and Map: case-sensitive for strings, by value for records and
 * collections. Decimals keep their scale (1.1 and 1.10 are different keys, as documented);
 * `numeric` compares all numbers by value instead, as assertions do.
 */
export function hashKey(rt: RuntimeContext, v: Value, numeric = false): string {
  const rec = (x: Value) => hashKey(rt, x, numeric);
  if (v === null) return "n";
  if (typeof v === "string") return "s" + v;
  if (typeof v === "boolean") return v ? "bt" : "bf";
  if (isNumber(v)) {
    if (numeric) return "#" + toDec(v).d.toString();
    if (v instanceof ApexDecimal) return "#d" + v.toPlainString();
    if (v instanceof ApexDouble) return "#f" + v.v;
    return "#" + v.toString();
  }
  if (v instanceof ApexDate) return "d" + v.toString();
  if (v instanceof ApexDatetime) return "t" + v.ms;
  if (v instanceof EnumValue) return `e${v.cls.name}.${v.name}`;
  if (v instanceof ApexList) return `l(${v.items.map(rec).join(",")})`;
  if (v instanceof ApexSet) return `S{${setItems(v).map(rec).sort().join(",")}}`;
  if (v instanceof ApexMap)
    return `M{${mapEntries(v)
      .map(([k, x]) => rec(k) + "=" + rec(x))
      .sort()
      .join(",")}}`;
  if (v instanceof SObjectValue) {
    const parts = [...v.fields.entries()].map(([k, x]) => `${k}=${rec(x)}`).sort();
    return `o${v.type.name}{${parts.join(",")}}`;
  }
  if (v instanceof ApexObject) {
    const hash = rt.callDeclaredMethod(v, "hashcode", []);
    if (hash !== NO_METHOD) return "h" + str(rt, hash);
    return "i" + v.identity;
  }
  if (v instanceof NativeObject) return "x" + v.identity;
  if (v instanceof TypeValue) return "T" + typeName(v.type).toLowerCase();
  return "?" + String(v);
}

/** Key equality inside a bucket: `equals` semantics (case-sensitive strings, user equals()). */
export function keyEquals(rt: RuntimeContext, a: Value, b: Value): boolean {
  if (a instanceof ApexObject && b instanceof ApexObject) {
    const equal = rt.callDeclaredMethod(a, "equals", [b]);
    if (equal !== NO_METHOD) return equal === true;
    return a === b;
  }
  return hashKey(rt, a) === hashKey(rt, b);
}

/** The `==` operator. */
export function looseEquals(rt: RuntimeContext, a: Value, b: Value): boolean {
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
    return a.items.length === b.items.length && a.items.every((x, i) => looseEquals(rt, x, b.items[i]));
  }
  if (a instanceof ApexSet && b instanceof ApexSet) return a.size === b.size && hashKey(rt, a) === hashKey(rt, b);
  if (a instanceof ApexMap && b instanceof ApexMap) return a.size === b.size && hashKey(rt, a) === hashKey(rt, b);
  if (a instanceof SObjectValue && b instanceof SObjectValue) {
    if (a.type !== b.type || a.fields.size !== b.fields.size) return false;
    for (const [k, x] of a.fields) {
      if (!b.fields.has(k) || !looseEquals(rt, x, b.fields.get(k) ?? null)) return false;
    }
    return true;
  }
  if (a instanceof ApexObject) {
    const equal = rt.callDeclaredMethod(a, "equals", [b]);
    if (equal !== NO_METHOD) return equal === true;
    return a === b;
  }
  if (a instanceof TypeValue && b instanceof TypeValue)
    return typeName(a.type).toLowerCase() === typeName(b.type).toLowerCase();
  if (a instanceof ApexBlob && b instanceof ApexBlob) return a.bytes.equals(b.bytes);
  return a === b;
}

/** The `===` operator: reference equality for objects, value equality for primitives. */
export function exactEquals(rt: RuntimeContext, a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (
    typeof a === "object" &&
    !(a instanceof ApexDecimal || a instanceof ApexDouble || a instanceof ApexDate || a instanceof ApexDatetime)
  ) {
    return a === b;
  }
  if (typeof a === "string" && typeof b === "string") return a === b;
  return looseEquals(rt, a, b);
}

export function compareNum(a: Num, b: Num): number {
  const r = Math.max(numRank(a), numRank(b));
  if (r === 0) return (a as number) - (b as number) < 0 ? -1 : a === b ? 0 : 1;
  if (r === 1) {
    const x = toBigInt(a);
    const y = toBigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (r === 3) {
    const x = toJsNumber(a);
    const y = toJsNumber(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return toDec(a).d.cmp(toDec(b).d);
}

/** Arithmetic on two numbers with Apex's type promotion: Integer < Long < Decimal < Double. */
export function arith(rt: RuntimeContext, op: string, a: Num, b: Num): Value {
  const r = Math.max(numRank(a), numRank(b));
  if (r === 0) {
    const x = a as number;
    const y = b as number;
    switch (op) {
      case "+":
        return toInt32(x + y);
      case "-":
        return toInt32(x - y);
      case "*":
        return Math.imul(x, y);
      case "/":
        if (y === 0) throwApex(rt, "MathException", "Divide by 0");
        return toInt32(Math.trunc(x / y));
    }
  }
  if (r === 1) {
    const x = toBigInt(a);
    const y = toBigInt(b);
    switch (op) {
      case "+":
        return toLong(x + y);
      case "-":
        return toLong(x - y);
      case "*":
        return toLong(x * y);
      case "/":
        if (y === 0n) throwApex(rt, "MathException", "Divide by 0");
        return toLong(x / y);
    }
  }
  if (r === 3) {
    const x = toJsNumber(a);
    const y = toJsNumber(b);
    switch (op) {
      case "+":
        return new ApexDouble(x + y);
      case "-":
        return new ApexDouble(x - y);
      case "*":
        return new ApexDouble(x * y);
      case "/":
        if (y === 0) throwApex(rt, "MathException", "Divide by 0");
        return new ApexDouble(x / y);
    }
  }
  const x = toDec(a);
  const y = toDec(b);
  switch (op) {
    case "+":
      return new ApexDecimal(x.d.add(y.d), Math.max(x.scale, y.scale));
    case "-":
      return new ApexDecimal(x.d.sub(y.d), Math.max(x.scale, y.scale));
    case "*":
      return new ApexDecimal(x.d.mul(y.d), x.scale + y.scale);
    case "/":
      if (y.d.isZero()) throwApex(rt, "MathException", "Divide by 0");
      return decDivide(x, y);
  }
  throw new Error(`unknown operator ${op}`);
}

export function negate(v: Num): Value {
  if (typeof v === "number") return toInt32(-v);
  if (typeof v === "bigint") return toLong(-v);
  if (v instanceof ApexDouble) return new ApexDouble(-v.v);
  return new ApexDecimal(v.d.neg(), v.scale);
}
