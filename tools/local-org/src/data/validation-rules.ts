// Validation rules: each rule's error condition is a formula in the formula language of
// formula fields and flows (src/formula/), evaluated against the record being saved after
// the platform's own checks. ISNEW, ISCHANGED and PRIORVALUE see the record before the save;
// references follow lookups and the running user's globals; blank numbers stay blank. Every
// active rule whose condition is true fails the row with its message.
import type { Loc } from "../parse/ast.js";
import { baseName } from "../parse/location.js";
import type { RuntimeContext } from "../runtime/context.js";
import { relationshipField, type SObjectDescribe } from "../runtime/describe.js";
import { CompileError, unsupported } from "../runtime/errors.js";
import {
  evaluateFormula,
  FORMULA_FUNCTIONS,
  formulaReferences,
  FormulaEvaluationError,
  FormulaSyntaxError,
  FormulaUnsupportedError,
  parseFormula,
  type FormulaValue
} from "../formula/index.js";
import type { FormulaNode } from "../formula/syntax.js";
import { readRecordReference, type RecordFormulaScope } from "./formula-fields.js";
import type { Schema } from "./schema.js";
import type { RecordStore, StoredRecord } from "./store.js";

export interface ValidationRule {
  name: string;
  active: boolean;
  /** The error condition formula, as written. */
  formula: string;
  tree: FormulaNode;
  errorMessage: string;
  errorDisplayField: string | null;
  file: string;
}

/** A rule whose metadata cannot be deployed: its formula is not valid formula syntax. */
export class InvalidValidationRuleError extends Error {}

/** A rule from its metadata. Its formula is checked now, as the platform checks it on deploy:
 * the syntax, the fields it reads, and that it is a condition. */
export function validationRule(
  schema: Schema,
  objectName: string,
  definition: Omit<ValidationRule, "tree">
): ValidationRule {
  const object = schema.get(objectName);
  const invalid = (problem: string): never => {
    throw new InvalidValidationRuleError(
      `${baseName(definition.file)}: validation rule ${object?.name ?? objectName}.${definition.name}: ${problem}`
    );
  };
  let tree: FormulaNode;
  try {
    tree = parseFormula(definition.formula);
  } catch (error) {
    if (!(error instanceof FormulaSyntaxError)) throw error;
    return invalid(`the error condition formula is not valid: ${error.message}`);
  }
  // Rules of an object the org does not model never run: no record of it can be saved.
  if (object) {
    for (const path of formulaReferences(tree)) {
      const problem = referenceProblem(schema, object, path);
      if (problem) invalid(problem);
    }
    if (isCondition(tree, (path) => referenceType(schema, object, path)) === false)
      invalid(ERROR_CONDITION_NOT_CHECKBOX);
  }
  return { ...definition, tree };
}

const ERROR_CONDITION_NOT_CHECKBOX = "the error condition formula must return a Checkbox (true or false)";

/** What is wrong with a field reference (`Amount`, `Account.Owner.Email`), or null; globals are checked when they are read. */
function referenceProblem(schema: Schema, object: SObjectDescribe, path: string): string | null {
  if (path.startsWith("$")) return null;
  const parts = path.split(".");
  let current = object;
  for (const relationship of parts.slice(0, -1)) {
    const lookup = relationshipField(current, relationship);
    const parent = lookup ? schema.get(lookup.referenceTo[0]) : undefined;
    if (!parent) return `Field ${relationship} does not exist on ${current.name}. Check spelling.`;
    current = parent;
  }
  const name = parts[parts.length - 1];
  return current.fields.has(name.toLowerCase())
    ? null
    : `Field ${name} does not exist on ${current.name}. Check spelling.`;
}

/** The describe type of a field reference, "boolean" for $Permission, null when unknown. */
function referenceType(schema: Schema, object: SObjectDescribe, path: string): string | null {
  if (path.toLowerCase().startsWith("$permission.")) return "boolean";
  if (path.startsWith("$") || referenceProblem(schema, object, path)) return null;
  const parts = path.split(".");
  let current = object;
  for (const relationship of parts.slice(0, -1))
    current = schema.get(relationshipField(current, relationship)!.referenceTo[0])!;
  return current.fields.get(parts[parts.length - 1].toLowerCase())!.type;
}

const CHECKBOX_FUNCTIONS = new Set([
  "AND",
  "OR",
  "NOT",
  "ISBLANK",
  "ISNULL",
  "ISPICKVAL",
  "ISNUMBER",
  "ISNEW",
  "ISCHANGED",
  "CONTAINS",
  "BEGINS",
  "REGEX",
  "INCLUDES"
]);
/** Functions whose result is one of their arguments. */
const PASSING_FUNCTIONS = new Set(["IF", "CASE", "BLANKVALUE", "NULLVALUE", "PRIORVALUE"]);

/** Whether a formula's result is a Checkbox: true, false, or null when only running it can tell. */
function isCondition(node: FormulaNode, typeOf: (path: string) => string | null): boolean | null {
  switch (node.kind) {
    case "literal":
      return typeof node.value !== "string";
    case "number":
      return false;
    case "reference": {
      const type = typeOf(node.path);
      return type === null ? null : type === "boolean";
    }
    case "call":
      if (CHECKBOX_FUNCTIONS.has(node.name)) return true;
      if (PASSING_FUNCTIONS.has(node.name) || !FORMULA_FUNCTIONS.has(node.name)) return null;
      return false;
    case "unary":
      return node.operator === "!";
    case "binary":
      return !["+", "-", "*", "/", "^", "&"].includes(node.operator);
  }
}

/** A failed rule, as the save reports it. */
export interface RuleFailure {
  statusCode: string;
  message: string;
  fields: string[];
}

/** The rules whose error condition holds for the record; `old` is the record before an update, null on insert. */
export function failedRules(
  store: RecordStore,
  runtime: RuntimeContext,
  rules: ValidationRule[],
  object: SObjectDescribe,
  record: StoredRecord,
  old: StoredRecord | null
): RuleFailure[] {
  const failures: RuleFailure[] = [];
  for (const rule of rules) {
    if (!rule.active) continue;
    const fields = rule.errorDisplayField ? [rule.errorDisplayField] : [];
    let condition: FormulaValue;
    try {
      condition = evaluateRule(store, runtime, rule, object, record, old);
    } catch (error) {
      if (!(error instanceof FormulaEvaluationError)) throw error;
      // The record is not saved while the rule cannot say whether it is valid.
      failures.push({
        statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION",
        message: `Validation rule ${rule.name} could not be evaluated: ${error.message}`,
        fields
      });
      continue;
    }
    if (typeof condition !== "boolean" && condition !== null)
      throw new CompileError(`validation rule ${object.name}.${rule.name}: ${ERROR_CONDITION_NOT_CHECKBOX}`, {
        file: rule.file,
        line: 1
      });
    if (condition === true)
      failures.push({ statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: rule.errorMessage, fields });
  }
  return failures;
}

function evaluateRule(
  store: RecordStore,
  runtime: RuntimeContext,
  rule: ValidationRule,
  object: SObjectDescribe,
  record: StoredRecord,
  old: StoredRecord | null
): FormulaValue {
  const location: Loc = { file: rule.file, line: 1 };
  const scope: RecordFormulaScope = {
    store,
    runtime,
    where: `validation rule ${object.name}.${rule.name}`,
    location,
    blankAsZero: false,
    depth: 0
  };
  try {
    return evaluateFormula(rule.tree, {
      resolve: (path) => readRecordReference(scope, object, record, path),
      now: () => runtime.clock.now(),
      record: {
        isNew: () => old === null,
        priorValue: (path) => readRecordReference(scope, object, old, path)
      }
    });
  } catch (error) {
    if (!(error instanceof FormulaUnsupportedError)) throw error;
    const feature = error.message.replace(/ is not supported by local-org$/, "");
    unsupported(runtime, `${feature} in validation rule ${object.name}.${rule.name}`, location);
  }
}
