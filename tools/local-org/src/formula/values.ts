// Formula values are the runtime's own value classes: Text is a string, Checkbox a boolean,
// Number, Currency and Percent an exact ApexDecimal, Date an ApexDate, Date/Time an
// ApexDatetime, Time an ApexTime, and blank is null.
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexTime,
  Dec,
  pad,
  type DecT,
  type Value
} from "../runtime/values.js";
import { evaluationError } from "./errors.js";

export type FormulaValue = null | string | boolean | ApexDecimal | ApexDate | ApexDatetime | ApexTime;

export type FormulaType = "Text" | "Number" | "Checkbox" | "Date" | "DateTime" | "Time" | "Null";

export function typeOf(value: FormulaValue): FormulaType {
  if (value === null) return "Null";
  if (typeof value === "string") return "Text";
  if (typeof value === "boolean") return "Checkbox";
  if (value instanceof ApexDecimal) return "Number";
  if (value instanceof ApexDate) return "Date";
  if (value instanceof ApexDatetime) return "DateTime";
  return "Time";
}

/** A runtime value read by a formula; numbers of every Apex kind become exact decimals. */
export function toFormulaValue(value: Value | undefined, reference: string): FormulaValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" || typeof value === "bigint") return ApexDecimal.fromInt(value);
  if (value instanceof ApexDouble) return ApexDecimal.fromDouble(value.v);
  if (
    value instanceof ApexDecimal ||
    value instanceof ApexDate ||
    value instanceof ApexDatetime ||
    value instanceof ApexTime
  )
    return value;
  return evaluationError(`${reference} is not a text, number, checkbox or date value and cannot be used in a formula`);
}

export function decimal(d: DecT): ApexDecimal {
  return new ApexDecimal(d, Math.max(0, d.decimalPlaces()));
}

export function number(text: string | number): ApexDecimal {
  return decimal(new Dec(text));
}

/** A number as TEXT() writes it: plain digits, no grouping, no trailing decimal zeros. */
export function numberText(value: ApexDecimal): string {
  const plain = value.d.toFixed();
  return plain.includes(".") ? plain.replace(/0+$/, "").replace(/\.$/, "") : plain;
}

/** TEXT(): dates as YYYY-MM-DD, date/times in GMT as YYYY-MM-DD HH:MM:SSZ. */
export function formulaText(value: FormulaValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof ApexDecimal) return numberText(value);
  if (value instanceof ApexDate) return value.toString();
  if (value instanceof ApexDatetime) {
    const d = new Date(value.ms);
    return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(
      d.getUTCHours(),
      2
    )}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}Z`;
  }
  return value.toString();
}

export function isBlank(value: FormulaValue): boolean {
  return value === null || value === "";
}
