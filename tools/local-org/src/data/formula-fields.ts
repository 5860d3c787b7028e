// Formula fields: evaluated through the formula language each time a record is read, never
// stored. References follow lookups (Product2.Stigg_Type__c from an opportunity product);
// blank text reads as "", and blank numbers read as zero unless the field treats blanks as
// blanks. A formula that fails when evaluated reads as blank, as `#Error!` fields do in queries.
import type { FieldDescribe, SObjectDescribe } from "../runtime/describe.js";
import { unsupported } from "../runtime/errors.js";
import { ApexDate, ApexDatetime, ApexDecimal, Dec, type Value } from "../runtime/values.js";
import {
  evaluateFormula,
  formulaText,
  FormulaEvaluationError,
  parseFormulaCached,
  type FormulaValue
} from "../formula/index.js";
import type { RuntimeContext } from "../runtime/context.js";
import type { RecordStore, StoredRecord } from "./store.js";

const NUMERIC = new Set(["int", "double", "currency", "percent"]);
const TEXT = new Set(["string", "textarea", "picklist", "multipicklist", "url", "email", "phone", "reference", "id"]);

/** A field's value in a stored record: the stored value, or the formula's for a formula field. */
export function fieldValue(
  store: RecordStore,
  runtime: RuntimeContext,
  object: SObjectDescribe,
  record: StoredRecord,
  field: FieldDescribe
): Value {
  if (field.formula === null) return record.get(field.name.toLowerCase()) ?? null;
  return formulaFieldValue(store, runtime, object, record, field, 0);
}

function formulaFieldValue(
  store: RecordStore,
  runtime: RuntimeContext,
  object: SObjectDescribe,
  record: StoredRecord,
  field: FieldDescribe,
  depth: number
): Value {
  const where = `formula field ${object.name}.${field.name}`;
  if (depth > 10) unsupported(runtime, `${where}: formulas nested more than 10 deep`);
  let tree;
  try {
    tree = parseFormulaCached(field.formula!);
  } catch (error) {
    unsupported(runtime, `${where} (${(error as Error).message})`);
  }
  const resolve = (path: string): Value => {
    if (path.startsWith("$")) unsupported(runtime, `${where}: the global ${path}`);
    const parts = path.split(".");
    let currentObject = object;
    let current: StoredRecord | null = record;
    for (const relationship of parts.slice(0, -1)) {
      const lookup = [...currentObject.fields.values()].find(
        (f) => f.relationshipName?.toLowerCase() === relationship.toLowerCase()
      );
      if (!lookup) unsupported(runtime, `${where}: unknown relationship ${relationship} on ${currentObject.name}`);
      const id: Value = current?.get(lookup.name.toLowerCase()) ?? null;
      const parent: { obj: SObjectDescribe; rec: StoredRecord } | null =
        typeof id === "string" ? store.findById(id) : null;
      const parentObject = parent?.obj ?? store.schema.get(lookup.referenceTo[0]);
      if (!parentObject) unsupported(runtime, `${where}: relationship ${relationship} to an unknown object`);
      currentObject = parentObject;
      current = parent?.rec ?? null;
    }
    const name = parts[parts.length - 1];
    const target = currentObject.fields.get(name.toLowerCase());
    if (!target) unsupported(runtime, `${where}: unknown field ${currentObject.name}.${name}`);
    const value =
      current === null
        ? null
        : target.formula !== null
          ? formulaFieldValue(store, runtime, currentObject, current, target, depth + 1)
          : (current.get(target.name.toLowerCase()) ?? null);
    if (value !== null) return value;
    if (TEXT.has(target.type)) return "";
    if (NUMERIC.has(target.type) && field.formulaBlankAsZero) return new ApexDecimal(new Dec(0), 0);
    return null;
  };
  let result: FormulaValue;
  try {
    result = evaluateFormula(tree, { resolve, now: () => Date.now() });
  } catch (error) {
    if (error instanceof FormulaEvaluationError) return null;
    throw error;
  }
  return asFieldType(result, field);
}

function asFieldType(value: FormulaValue, field: FieldDescribe): Value {
  if (value === null) return field.type === "boolean" ? false : null;
  if (TEXT.has(field.type)) {
    const text = formulaText(value);
    return text === "" ? null : text;
  }
  if (NUMERIC.has(field.type) && value instanceof ApexDecimal) {
    const scale = field.scale ?? value.scale;
    return new ApexDecimal(value.d.toDecimalPlaces(scale, Dec.ROUND_HALF_UP), scale);
  }
  if (field.type === "date" && value instanceof ApexDatetime) return ApexDate.fromMs(value.ms);
  return value;
}
