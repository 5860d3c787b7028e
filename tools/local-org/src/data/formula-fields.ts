// Formulas over stored records. Formula fields are evaluated through the formula language each
// time a record is read, never stored; a formula that fails when evaluated reads as blank, as
// `#Error!` fields do in queries. References (shared with validation rules) follow lookups
// (Product2.Stigg_Type__c from an opportunity product) and the running user's globals; blank
// text reads as "", and blank numbers read as zero unless the formula treats blanks as blanks.
import type { Loc } from "../parse/ast.js";
import { relationshipField, type FieldDescribe, type SObjectDescribe } from "../runtime/describe.js";
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
import { ORG_ID, currentUserId } from "./fixed-ids.js";
import { hasCustomPermission } from "./permissions.js";
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
  const scope: RecordFormulaScope = {
    store,
    runtime,
    where,
    location: null,
    blankAsZero: field.formulaBlankAsZero,
    depth
  };
  let result: FormulaValue;
  try {
    result = evaluateFormula(tree, {
      resolve: (path) => readRecordReference(scope, object, record, path),
      now: () => runtime.clock.now()
    });
  } catch (error) {
    if (error instanceof FormulaEvaluationError) return null;
    throw error;
  }
  return asFieldType(result, field);
}

/** What a formula over a stored record reads with: the org, and how it treats blanks. */
export interface RecordFormulaScope {
  store: RecordStore;
  runtime: RuntimeContext;
  /** Names the formula in errors: `formula field Account.Tier__c`, `validation rule Account.Rule`. */
  where: string;
  /** The formula's metadata file, for errors; null: the running code's line. */
  location: Loc | null;
  /** Blank number fields read as zero (a formula field's "treat blank fields as zeroes"). */
  blankAsZero: boolean;
  /** How many formula fields deep the reading is. */
  depth: number;
}

const GLOBALS = new Set(["$user", "$profile", "$organization", "$permission"]);

/** A reference of a formula over a stored record: a field, a parent's field through lookups
 * (Account.Owner.Name), a formula field (evaluated in turn), or a global of the running user:
 * $User.Field, $Profile.Field, $Organization.Field, $Permission.Name. Blank text reads as "". */
export function readRecordReference(
  scope: RecordFormulaScope,
  object: SObjectDescribe,
  record: StoredRecord | null,
  path: string
): Value {
  const { store, runtime, where, location } = scope;
  let parts = path.split(".");
  let currentObject = object;
  let current: StoredRecord | null = record;
  if (path.startsWith("$")) {
    const global = parts[0].toLowerCase();
    if (!GLOBALS.has(global) || parts.length < 2) unsupported(runtime, `${where}: the global ${path}`, location);
    if (global === "$permission") return hasCustomPermission(store, runtime.transaction, parts[1]);
    const user = store.findById(currentUserId(runtime.transaction));
    const profileId = user?.rec.get("profileid");
    const root =
      global === "$user"
        ? user
        : global === "$profile"
          ? typeof profileId === "string"
            ? store.findById(profileId)
            : null
          : store.findById(ORG_ID);
    currentObject = store.schema.get(global === "$user" ? "User" : global === "$profile" ? "Profile" : "Organization")!;
    current = root?.rec ?? null;
    parts = parts.slice(1);
  }
  for (const relationship of parts.slice(0, -1)) {
    const lookup = relationshipField(currentObject, relationship);
    if (!lookup)
      unsupported(runtime, `${where}: unknown relationship ${relationship} on ${currentObject.name}`, location);
    const id: Value = current?.get(lookup.name.toLowerCase()) ?? null;
    const parent: { obj: SObjectDescribe; rec: StoredRecord } | null =
      typeof id === "string" ? store.findById(id) : null;
    const parentObject = parent?.obj ?? store.schema.get(lookup.referenceTo[0]);
    if (!parentObject) unsupported(runtime, `${where}: relationship ${relationship} to an unknown object`, location);
    currentObject = parentObject;
    current = parent?.rec ?? null;
  }
  const name = parts[parts.length - 1];
  const target = currentObject.fields.get(name.toLowerCase());
  if (!target) unsupported(runtime, `${where}: unknown field ${currentObject.name}.${name}`, location);
  const value =
    current === null
      ? null
      : target.formula !== null
        ? formulaFieldValue(store, runtime, currentObject, current, target, scope.depth + 1)
        : (current.get(target.name.toLowerCase()) ?? null);
  if (value !== null) return value;
  if (TEXT.has(target.type)) return "";
  if (NUMERIC.has(target.type) && scope.blankAsZero) return new ApexDecimal(new Dec(0), 0);
  return null;
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
