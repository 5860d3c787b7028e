// Assignment: each item changes a variable, a record variable's field or a field of $Record,
// in order. Operators by type, as Flow Builder offers them: Assign (Equals) for all; Add and
// Subtract for numbers and currency, Add for text (appends) and dates (days); for
// collections Add, AddAtStart, RemoveFirst, RemoveAll, RemoveAfterFirst, RemoveBeforeFirst,
// RemoveUncommon, RemovePosition; AssignCount puts a collection's size into a number.
import { ApexDate, ApexDatetime, ApexDecimal, ApexList, SObjectValue, type Value } from "../../runtime/values.js";
import { flowFault, invalidFlow } from "../errors.js";
import type { FlowInterview } from "../interview.js";
import { nameKey, type FlowAssignment, type FlowDataType } from "../model.js";
import { proceed } from "../outcomes.js";
import { readReference, valueOf, writeReference } from "../references.js";
import { asDecimal, copyRecord, describeValue, flowText, sameItem } from "../values.js";

const DAY_MS = 86400000;

/** The data type behind an assignment target, when it is a resource; fields go by their value. */
function targetType(
  interview: FlowInterview,
  target: string
): { dataType: FlowDataType | null; isCollection: boolean } {
  const parts = target.split(".");
  const resource = parts.length === 1 ? interview.flow.resources.get(nameKey(parts[0])) : undefined;
  if (resource && resource.kind === "variable")
    return { dataType: resource.dataType, isCollection: resource.isCollection };
  return { dataType: null, isCollection: false };
}

function items(value: Value): Value[] {
  if (value === null) return [];
  return value instanceof ApexList ? [...value.items] : [value];
}

/** Items to add to a collection; records go in as copies. */
function added(value: Value): Value[] {
  return items(value).map((item) => (item instanceof SObjectValue ? copyRecord(item) : item));
}

export function runAssignment(interview: FlowInterview, element: FlowAssignment): void {
  const flow = interview.flow.apiName;
  for (const item of element.items) {
    const where = `${element.name} (${item.target} ${item.operator})`;
    const value = valueOf(interview, item.value, element.name);
    const type = targetType(interview, item.target);
    const current = () => readReference(interview, item.target);
    const write = (result: Value) => writeReference(interview, item.target, result, element.name);
    const collection = () => {
      if (!type.isCollection)
        invalidFlow(flow, element.name, `${item.operator} needs a collection variable, and ${item.target} is not one`);
      return items(current());
    };
    switch (item.operator) {
      case "Assign":
        write(value);
        break;
      case "Add":
      case "AddItem":
        if (type.isCollection) write(listOf([...collection(), ...added(value)], current()));
        else write(add(current(), value, 1, where, type.dataType));
        break;
      case "Subtract":
        if (type.isCollection)
          invalidFlow(flow, element.name, `Subtract does not apply to the collection ${item.target}; use RemoveAll`);
        write(add(current(), value, -1, where, type.dataType));
        break;
      case "AddAtStart":
        write(listOf([...added(value), ...collection()], current()));
        break;
      case "RemoveFirst": {
        const list = collection();
        const index = list.findIndex((entry) => sameItem(entry, value));
        if (index >= 0) list.splice(index, 1);
        write(listOf(list, current()));
        break;
      }
      case "RemoveAll": {
        const remove = items(value);
        write(
          listOf(
            collection().filter((entry) => !remove.some((r) => sameItem(entry, r))),
            current()
          )
        );
        break;
      }
      case "RemoveAfterFirst": {
        const list = collection();
        const index = list.findIndex((entry) => sameItem(entry, value));
        write(listOf(index >= 0 ? list.slice(0, index + 1) : list, current()));
        break;
      }
      case "RemoveBeforeFirst": {
        const list = collection();
        const index = list.findIndex((entry) => sameItem(entry, value));
        write(listOf(index >= 0 ? list.slice(index) : list, current()));
        break;
      }
      case "RemoveUncommon": {
        const keep = items(value);
        write(
          listOf(
            collection().filter((entry) => keep.some((k) => sameItem(entry, k))),
            current()
          )
        );
        break;
      }
      case "RemovePosition": {
        const list = collection();
        const position = asDecimal(value);
        if (!position || !position.d.isInteger())
          flowFault(`${where}: the position must be a whole number, not ${describeValue(value)}`);
        const index = position.d.toNumber() - 1;
        if (index < 0 || index >= list.length)
          flowFault(`${where}: position ${index + 1} is outside the collection of ${list.length} items`);
        list.splice(index, 1);
        write(listOf(list, current()));
        break;
      }
      case "AssignCount":
        write(ApexDecimal.fromInt(items(value).length));
        break;
      default:
        invalidFlow(flow, element.name, `the assignment operator ${item.operator} is not one Flow Builder offers`);
    }
  }
  interview.log(element.name, "assignment", element.items.map((i) => `${i.target} ${i.operator}`).join(", "));
  proceed(interview, element.next);
}

/** A new list with the items, keeping the element type of the collection it replaces. */
function listOf(entries: Value[], previous: Value): ApexList {
  const elementType =
    previous instanceof ApexList ? previous.elemType : { kind: "prim" as const, name: "Object" as const };
  return new ApexList(elementType, entries);
}

/** Add (sign 1) or Subtract (sign -1): numbers, text (Add appends), dates and date/times (days). */
function add(current: Value, value: Value, sign: 1 | -1, where: string, dataType: FlowDataType | null): Value {
  if (value === null) return current;
  if (current === null && (dataType === "Date" || dataType === "DateTime"))
    flowFault(`${where}: the date has no value to add days to`);
  const amount = asDecimal(value);
  if (current instanceof ApexDate || current instanceof ApexDatetime) {
    if (!amount) flowFault(`${where}: a date changes by a number of days, not ${describeValue(value)}`);
    const ms = amount.d.mul(DAY_MS * sign).toNumber();
    return current instanceof ApexDate
      ? ApexDate.fromMs(current.ms + Math.trunc(amount.d.toNumber()) * sign * DAY_MS)
      : new ApexDatetime(current.ms + Math.round(ms));
  }
  const isText = dataType === "String" || dataType === "Picklist" || dataType === "Multipicklist";
  if (typeof current === "string" || isText || (current === null && dataType === null && typeof value === "string")) {
    if (sign < 0) flowFault(`${where}: text cannot be subtracted from`);
    return (current ?? "") + flowText(value);
  }
  if (!amount) flowFault(`${where}: cannot add ${describeValue(value)} to a number`);
  const base = current === null ? null : asDecimal(current);
  if (current !== null && !base) flowFault(`${where}: cannot add to ${describeValue(current)}`);
  const sum = base === null ? amount.d.mul(sign) : base.d.add(amount.d.mul(sign));
  return new ApexDecimal(sum, Math.max(base?.scale ?? 0, amount.scale));
}
