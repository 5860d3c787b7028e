// Flow values meet Apex types as on the platform: a Number becomes an Integer, Long, Decimal
// or Double input (an Integer input refuses a number with decimal places or out of range),
// collections become List<...> of converted items, Date and Date/Time stay apart, records must
// be of the declared object. A value the type cannot take faults the action for that interview.
import {
  ApexDate,
  ApexDatetime,
  ApexDouble,
  ApexList,
  ApexObject,
  ApexTime,
  SObjectValue,
  type Value
} from "../runtime/values.js";
import { flowFault } from "./errors.js";
import type { ApexType } from "./host.js";
import { asDecimal, describeValue } from "./values.js";

export function apexTypeName(type: ApexType): string {
  switch (type.kind) {
    case "primitive":
    case "class":
    case "other":
      return type.name;
    case "list":
      return `List<${apexTypeName(type.element)}>`;
    case "sobject":
      return type.object ?? "SObject";
  }
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Converts a flow value for an Apex parameter or field of the given type. */
export function toApexValue(value: Value, type: ApexType, where: string): Value {
  if (value === null) return null;
  const refuse = (): never => flowFault(`${where} is ${apexTypeName(type)} and cannot take ${describeValue(value)}`);
  if (type.kind === "list") {
    if (!(value instanceof ApexList)) return refuse();
    return new ApexList(
      value.elemType,
      value.items.map((item, index) => toApexValue(item, type.element, `${where}[${index + 1}]`))
    );
  }
  if (value instanceof ApexList) return refuse();
  if (type.kind === "sobject") {
    if (!(value instanceof SObjectValue)) return refuse();
    if (type.object && value.type.name.toLowerCase() !== type.object.toLowerCase()) return refuse();
    return value;
  }
  if (type.kind === "class") {
    if (!(value instanceof ApexObject) || value.cls.name.toLowerCase() !== type.name.toLowerCase()) return refuse();
    return value;
  }
  if (type.kind === "other") return refuse();
  const number = asDecimal(value);
  switch (type.name.toLowerCase()) {
    case "integer":
      if (!number) return refuse();
      if (!number.d.isInteger())
        flowFault(`${where} is Integer and cannot take ${number.toPlainString()}: the number has decimal places`);
      if (number.d.lt(INT_MIN) || number.d.gt(INT_MAX))
        flowFault(`${where} is Integer and ${number.toPlainString()} is out of its range`);
      return number.d.toNumber();
    case "long":
      if (!number || !number.d.isInteger()) return refuse();
      return BigInt(number.d.toFixed(0));
    case "decimal":
      return number ?? refuse();
    case "double":
      return number ? new ApexDouble(number.d.toNumber()) : refuse();
    case "string":
    case "id":
      return typeof value === "string" ? value : refuse();
    case "boolean":
      return typeof value === "boolean" ? value : refuse();
    case "date":
      return value instanceof ApexDate ? value : refuse();
    case "datetime":
      return value instanceof ApexDatetime ? value : refuse();
    case "time":
      return value instanceof ApexTime ? value : refuse();
    case "object":
      return number ?? value;
  }
  return refuse();
}
