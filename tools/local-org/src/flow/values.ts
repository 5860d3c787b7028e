// Flow values in the runtime's value classes: Text and picklists are strings, Number and
// Currency exact ApexDecimals kept at the resource's decimal places, Boolean booleans, Date,
// Date/Time and Time the date classes, records SObjectValues, collections ApexLists, Apex-defined
// values ApexObjects. Conversions apply when a value is stored in a resource or a record field.
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexList,
  ApexObject,
  ApexTime,
  Dec,
  SObjectValue,
  type Value
} from "../runtime/values.js";
import { formulaText } from "../formula/index.js";
import { flowFault } from "./errors.js";
import type { FieldDescription, FlowHost } from "./host.js";
import type { FlowDataType, FlowValue } from "./model.js";

/** The value of a literal (not a reference) in flow metadata. */
export function literalValue(value: FlowValue): Value {
  switch (value.kind) {
    case "string":
      return value.value;
    case "number":
      return ApexDecimal.parse(value.value);
    case "boolean":
      return value.value;
    case "date": {
      const [y, m, d] = value.value.slice(0, 10).split("-").map(Number);
      return new ApexDate(y, m, d);
    }
    case "dateTime":
      return new ApexDatetime(Date.parse(value.value));
    case "time": {
      const [h, m, s] = value.value.replace(/Z$/, "").split(":").map(Number);
      return new ApexTime(((h * 60 + m) * 60 + (s || 0)) * 1000);
    }
    default:
      return null;
  }
}

/** A number of any Apex kind as an exact decimal. */
export function asDecimal(value: Value): ApexDecimal | null {
  if (value instanceof ApexDecimal) return value;
  if (typeof value === "number" || typeof value === "bigint") return ApexDecimal.fromInt(value);
  if (value instanceof ApexDouble) return ApexDecimal.fromDouble(value.v);
  return null;
}

/** Values coming from Apex or records in flow form: every number an exact decimal. */
export function fromApex(value: Value): Value {
  const number = asDecimal(value);
  if (number) return number;
  if (value instanceof ApexList) {
    const list = new ApexList(value.elemType, value.items.map(fromApex));
    return list;
  }
  return value;
}

/** Text as flows write values into text: numbers plainly, dates as YYYY-MM-DD, records by Id. */
export function flowText(value: Value): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (value instanceof SObjectValue) return String(value.fields.get("id") ?? "");
  if (value instanceof ApexList) return value.items.map(flowText).join(", ");
  const number = asDecimal(value);
  if (number) return formulaText(number);
  if (
    typeof value === "boolean" ||
    value instanceof ApexDate ||
    value instanceof ApexDatetime ||
    value instanceof ApexTime
  )
    return formulaText(value);
  return String(value);
}

export const describeValue = (value: Value): string => {
  if (value === null) return "null";
  if (typeof value === "string") return `"${value}"`;
  if (value instanceof SObjectValue) return `a ${value.type.name} record`;
  if (value instanceof ApexList) return "a collection";
  if (value instanceof ApexObject) return `a ${value.cls.name}`;
  return flowText(value);
};

export interface ResourceType {
  dataType: FlowDataType;
  isCollection: boolean;
  scale: number | null;
  objectType: string | null;
}

const round = (value: ApexDecimal, scale: number | null) =>
  scale === null ? value : new ApexDecimal(value.d.toDecimalPlaces(scale, Dec.ROUND_HALF_UP), scale);

/** Converts a value for storing in a resource of a flow data type; a value the type cannot take faults. */
export function convertValue(value: Value, type: ResourceType, where: string, host: FlowHost): Value {
  if (value === null) return null;
  if (type.isCollection) {
    if (!(value instanceof ApexList)) flowFault(`${where} is a collection and cannot take ${describeValue(value)}`);
    const items = value.items.map((item) => convertValue(item, { ...type, isCollection: false }, where, host));
    return host.newCollection(type.dataType, type.objectType, items);
  }
  if (value instanceof ApexList) flowFault(`${where} holds one value and cannot take a collection`);
  switch (type.dataType) {
    case "String":
    case "Picklist":
    case "Multipicklist":
      if (value instanceof SObjectValue || value instanceof ApexObject)
        flowFault(`${where} is text and cannot take ${describeValue(value)}`);
      return flowText(value);
    case "Number":
    case "Currency": {
      const number = asDecimal(value);
      if (!number) flowFault(`${where} is a number and cannot take ${describeValue(value)}`);
      return round(number, type.scale);
    }
    case "Boolean":
      if (typeof value !== "boolean") flowFault(`${where} is a Boolean and cannot take ${describeValue(value)}`);
      return value;
    case "Date":
      if (value instanceof ApexDate) return value;
      if (value instanceof ApexDatetime) return ApexDate.fromMs(value.ms);
      return flowFault(`${where} is a date and cannot take ${describeValue(value)}`);
    case "DateTime":
      if (value instanceof ApexDatetime) return value;
      if (value instanceof ApexDate) return new ApexDatetime(value.ms);
      return flowFault(`${where} is a date/time and cannot take ${describeValue(value)}`);
    case "Time":
      if (value instanceof ApexTime) return value;
      return flowFault(`${where} is a time and cannot take ${describeValue(value)}`);
    case "SObject":
      if (!(value instanceof SObjectValue)) flowFault(`${where} is a record and cannot take ${describeValue(value)}`);
      if (type.objectType && value.type.name.toLowerCase() !== type.objectType.toLowerCase())
        flowFault(`${where} is a ${type.objectType} record and cannot take a ${value.type.name} record`);
      return value;
    case "Apex":
      return value;
  }
}

const TEXT_FIELDS = new Set(["string", "textarea", "picklist", "multipicklist", "url", "email", "phone"]);

/** Converts a value for a record field of the given type. */
export function fieldValue(value: Value, field: FieldDescription, where: string): Value {
  if (value === null) return null;
  if (value instanceof ApexList || value instanceof SObjectValue || value instanceof ApexObject)
    flowFault(`${where} cannot take ${describeValue(value)}`);
  if (TEXT_FIELDS.has(field.type)) return flowText(value);
  switch (field.type) {
    case "id":
    case "reference":
      if (typeof value !== "string") flowFault(`${where} is an Id and cannot take ${describeValue(value)}`);
      return value;
    case "int": {
      const number = asDecimal(value);
      if (!number || !number.d.isInteger())
        flowFault(`${where} is a whole number and cannot take ${describeValue(value)}`);
      return number.d.toNumber();
    }
    case "double":
    case "currency":
    case "percent": {
      const number = asDecimal(value);
      if (!number) flowFault(`${where} is a number and cannot take ${describeValue(value)}`);
      return number;
    }
    case "boolean":
      if (typeof value !== "boolean") flowFault(`${where} is a checkbox and cannot take ${describeValue(value)}`);
      return value;
    case "date":
      if (value instanceof ApexDate) return value;
      if (value instanceof ApexDatetime) return ApexDate.fromMs(value.ms);
      return flowFault(`${where} is a date and cannot take ${describeValue(value)}`);
    case "datetime":
      if (value instanceof ApexDatetime) return value;
      if (value instanceof ApexDate) return new ApexDatetime(value.ms);
      return flowFault(`${where} is a date/time and cannot take ${describeValue(value)}`);
  }
  return value;
}

/** Equality of two values in collections (Remove operators): records by Id, text exactly, numbers by value. */
export function sameItem(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof SObjectValue && b instanceof SObjectValue) {
    const id = a.fields.get("id");
    return id !== undefined && id !== null && id === b.fields.get("id");
  }
  const x = asDecimal(a);
  const y = asDecimal(b);
  if (x && y) return x.d.eq(y.d);
  if ((a instanceof ApexDate || a instanceof ApexDatetime) && (b instanceof ApexDate || b instanceof ApexDatetime))
    return a.ms === b.ms && a.constructor === b.constructor;
  return false;
}

/** A record's copy: flows add records to collections by value, so a record variable reused in a
 * loop adds a new record each time. */
export function copyRecord(record: SObjectValue): SObjectValue {
  const copy = new SObjectValue(record.type);
  for (const [key, value] of record.fields) copy.fields.set(key, value);
  copy.readable = record.readable ? new Set(record.readable) : null;
  return copy;
}
