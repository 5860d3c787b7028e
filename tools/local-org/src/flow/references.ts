// Reading and writing what flow metadata refers to: variables, constants, formulas, text
// templates, element outputs (Get_Records, Create_Account, Action.output, Loop items, decision
// outcomes), record fields with parent lookups ($Record.Account.Name), and the globals $Record,
// $Record__Prior, $Flow, $GlobalConstant, $User, $Organization and $Label.
import { ApexDate, ApexDatetime, ApexObject, SObjectValue, type Value } from "../runtime/values.js";
import {
  evaluateFormula,
  formulaText,
  FormulaEvaluationError,
  FormulaSyntaxError,
  FormulaUnsupportedError,
  parseFormulaCached
} from "../formula/index.js";
import { flowFault, invalidFlow, unsupportedFlowFeature } from "./errors.js";
import type { FieldDescription } from "./host.js";
import type { FlowInterview } from "./interview.js";
import { nameKey, type FlowDataType, type FlowFormula, type FlowValue } from "./model.js";
import { convertValue, fieldValue, flowText, fromApex, literalValue } from "./values.js";

/** The value a FlowElementReferenceOrValue stands for in an interview. */
export function valueOf(interview: FlowInterview, value: FlowValue | null, where: string): Value {
  if (value === null) return null;
  switch (value.kind) {
    case "reference":
      return readReference(interview, value.path);
    case "formula":
      return evaluateExpression(interview, value.expression, value.dataType ?? "String", null, where);
    case "unsupported":
      return unsupportedFlowFeature(interview.flow.apiName, where, value.feature);
    default:
      return literalValue(value);
  }
}

/** Reads `Resource`, `Resource.Field`, `$Record.Parent.Field`, `$Flow.CurrentDateTime`, ... */
export function readReference(interview: FlowInterview, path: string): Value {
  const parts = path.split(".");
  const head = nameKey(parts[0]);
  const rest = parts.slice(1);
  const flow = interview.flow;
  switch (head) {
    case "$record":
      return members(interview, interview.record, parts, 1, true);
    case "$record__prior":
      // There is no prior version of a record being created: its fields read as blank.
      if (interview.prior === null) return null;
      return members(interview, interview.prior, parts, 1, true);
    case "$flow":
      return flowGlobal(interview, rest.join("."));
    case "$globalconstant": {
      const name = nameKey(rest.join("."));
      if (name === "true") return true;
      if (name === "false") return false;
      if (name === "emptystring") return "";
      return invalidFlow(flow.apiName, null, `unknown global constant ${path}`);
    }
    case "$user":
      return members(interview, interview.host.currentUser(), parts, 1, false);
    case "$organization":
      return members(interview, interview.host.organization(), parts, 1, false);
    case "$label": {
      const label = interview.host.label(rest.join("."));
      if (label === null) invalidFlow(flow.apiName, null, `no custom label ${rest.join(".")}`);
      return label;
    }
  }
  if (head.startsWith("$")) unsupportedFlowFeature(flow.apiName, null, `the global ${parts[0]}`);
  const resource = flow.resources.get(head);
  if (resource) {
    let value: Value;
    switch (resource.kind) {
      case "variable":
        value = interview.values.get(head) ?? null;
        break;
      case "constant":
        value = resource.value ? literalValue(resource.value) : null;
        break;
      case "formula":
        value = evaluateFormulaResource(interview, resource);
        break;
      case "textTemplate":
        value = renderTemplate(interview, resource.text);
        break;
    }
    return members(interview, value, parts, 1, false);
  }
  const element = flow.elements.get(head);
  if (element) {
    if (element.kind === "actionCall" || element.kind === "subflow") {
      const outputs = interview.elementOutputs.get(head);
      if (rest.length === 0) invalidFlow(flow.apiName, null, `${path} names an action; refer to one of its outputs`);
      if (!outputs) return null;
      const key = nameKey(rest[0]);
      if (!outputs.has(key)) invalidFlow(flow.apiName, element.name, `the action has no output ${rest[0]}`);
      return members(interview, outputs.get(key)!, parts, 2, false);
    }
    return members(interview, interview.outputs.get(head) ?? null, parts, 1, false);
  }
  // A decision outcome is a Boolean resource: true once the interview took it.
  for (const candidate of flow.elements.values())
    if (candidate.kind === "decision" && candidate.rules.some((rule) => nameKey(rule.name) === head))
      return interview.outputs.get(head) ?? false;
  return invalidFlow(flow.apiName, null, `${path} refers to no resource or element of the flow`);
}

function flowGlobal(interview: FlowInterview, name: string): Value {
  switch (nameKey(name)) {
    case "currentdatetime":
      return new ApexDatetime(interview.host.now());
    case "currentdate":
      return ApexDate.fromMs(interview.host.now());
    case "faultmessage":
      return interview.faultMessage;
    case "interviewguid":
      return interview.guid;
    case "interviewstarttime":
      return new ApexDatetime(interview.startedAt);
  }
  return unsupportedFlowFeature(interview.flow.apiName, null, `the global $Flow.${name}`);
}

/** Follows `.Field` and `.Parent.Field` from a value. */
function members(
  interview: FlowInterview,
  start: Value,
  parts: string[],
  from: number,
  fromTriggerRecord: boolean
): Value {
  let value = start;
  for (let index = from; index < parts.length; index++) {
    const segment = parts[index];
    if (value === null) {
      // A lookup that is blank reads as blank; a record variable that was never set faults.
      if (index > from) return null;
      flowFault(
        `The flow failed to access the value for ${parts.slice(0, index + 1).join(".")} because it hasn't been set or assigned.`
      );
    }
    if (value instanceof SObjectValue) {
      const description = interview.host.describeObject(value.type.name)!;
      const field = description.fields.get(nameKey(segment));
      if (field) {
        value = fromApex(value.fields.get(nameKey(field.name)) ?? null);
        continue;
      }
      const lookup = [...description.fields.values()].find(
        (f) => f.relationshipName !== null && nameKey(f.relationshipName) === nameKey(segment)
      );
      if (!lookup)
        invalidFlow(interview.flow.apiName, null, `${value.type.name} has no field ${segment} (in ${parts.join(".")})`);
      value = parentRecord(interview, value, lookup, fromTriggerRecord && index === from);
      continue;
    }
    if (value instanceof ApexObject) {
      if (!value.fields.has(nameKey(segment)))
        invalidFlow(interview.flow.apiName, null, `${value.cls.name} has no field ${segment} (in ${parts.join(".")})`);
      value = fromApex(value.fields.get(nameKey(segment)) ?? null);
      continue;
    }
    return invalidFlow(
      interview.flow.apiName,
      null,
      `${parts.slice(0, index).join(".")} has no fields (in ${parts.join(".")})`
    );
  }
  return value;
}

/** The parent record of a lookup, loaded for every interview of the batch in one query. */
function parentRecord(
  interview: FlowInterview,
  record: SObjectValue,
  lookup: FieldDescription,
  fromTriggerRecord: boolean
): SObjectValue | null {
  const loaded = record.fields.get(nameKey(lookup.relationshipName!));
  if (loaded instanceof SObjectValue) return loaded;
  const id = record.fields.get(nameKey(lookup.name));
  if (typeof id !== "string") return null;
  if (lookup.referenceTo.length !== 1)
    unsupportedFlowFeature(interview.flow.apiName, null, `the polymorphic lookup ${lookup.name}`);
  const object = lookup.referenceTo[0];
  const batch = interview.batch;
  let cache = batch.parents.get(nameKey(object));
  if (!cache) batch.parents.set(nameKey(object), (cache = new Map()));
  if (!cache.has(id)) {
    const ids = new Set([id]);
    if (fromTriggerRecord)
      for (const other of batch.interviews) {
        const otherId = other.record?.fields.get(nameKey(lookup.name));
        if (typeof otherId === "string" && !cache.has(otherId)) ids.add(otherId);
      }
    const [found] = interview.host.queryRecords([
      {
        object,
        condition: { kind: "compare", field: "Id", operator: "in", value: [...ids] },
        fields: "all",
        orderBy: null,
        limit: null
      }
    ]);
    for (const each of ids) cache.set(each, null);
    for (const parent of found) cache.set(String(parent.fields.get("id")), parent);
  }
  return cache.get(id) ?? null;
}

/** Stores a value in a variable, a record variable's field, or a field of $Record. */
export function writeReference(interview: FlowInterview, path: string, value: Value, where: string): void {
  const parts = path.split(".");
  const head = nameKey(parts[0]);
  const flow = interview.flow;
  if (head === "$record" && parts.length === 2) {
    if (!interview.record) invalidFlow(flow.apiName, where, `$Record is not available here`);
    setField(interview, interview.record, parts[1], value, where);
    return;
  }
  const resource = flow.resources.get(head);
  if (!resource || resource.kind !== "variable") {
    // Fields of a record an element stored (Get Records, a loop's current item) can be changed.
    const element = flow.elements.get(head);
    const output = element ? interview.outputs.get(head) : undefined;
    if (parts.length === 2 && output instanceof SObjectValue) {
      setField(interview, output, parts[1], value, where);
      return;
    }
    if (parts.length === 2 && element && (element.kind === "recordLookup" || element.kind === "loop"))
      flowFault(`The flow failed to access the value for ${path} because it hasn't been set or assigned.`);
    invalidFlow(flow.apiName, where, `${path} is not a variable and cannot be assigned`);
  }
  if (parts.length === 1) {
    interview.values.set(head, convertValue(value, resource, resource.name, interview.host));
    return;
  }
  if (parts.length === 2 && resource.dataType === "SObject" && !resource.isCollection) {
    let record = interview.values.get(head) ?? null;
    // Setting a field of a record variable with no record yet starts a new record of its object.
    if (record === null && resource.objectType) {
      record = interview.host.newRecord(resource.objectType);
      interview.values.set(head, record);
    }
    if (!(record instanceof SObjectValue))
      flowFault(`The flow failed to access the value for ${path} because it hasn't been set or assigned.`);
    setField(interview, record, parts[1], value, where);
    return;
  }
  unsupportedFlowFeature(flow.apiName, where, `assigning to ${path}`);
}

export function setField(interview: FlowInterview, record: SObjectValue, name: string, value: Value, where: string) {
  const field = interview.host.describeObject(record.type.name)!.fields.get(nameKey(name));
  if (!field) invalidFlow(interview.flow.apiName, where, `${record.type.name} has no field ${name}`);
  if (!field.writable && nameKey(field.name) !== "id")
    invalidFlow(interview.flow.apiName, where, `${record.type.name}.${field.name} cannot be written`);
  record.fields.set(nameKey(field.name), fieldValue(value, field, `${record.type.name}.${field.name}`));
  record.readable?.add(nameKey(field.name));
}

/** A formula resource's value in the resource's data type. */
export function evaluateFormulaResource(interview: FlowInterview, formula: FlowFormula): Value {
  return evaluateExpression(interview, formula.expression, formula.dataType, formula.scale, formula.name);
}

function evaluateExpression(
  interview: FlowInterview,
  expression: string,
  dataType: FlowDataType,
  scale: number | null,
  name: string
): Value {
  const flow = interview.flow;
  let tree;
  try {
    tree = parseFormulaCached(expression);
  } catch (error) {
    if (error instanceof FormulaSyntaxError)
      invalidFlow(flow.apiName, name, `the formula is not valid: ${error.message}`);
    throw error;
  }
  const record = interview.record;
  const prior = interview.prior;
  let result;
  try {
    result = evaluateFormula(tree, {
      resolve: (path) => readReference(interview, path),
      now: () => interview.host.now(),
      record: record
        ? {
            isNew: () => interview.path.isNew,
            priorValue: (path) =>
              prior ? readReference(interview, path.replace(/^\$Record\./i, "$Record__Prior.")) : null
          }
        : undefined
    });
  } catch (error) {
    if (error instanceof FormulaEvaluationError)
      flowFault(`The formula ${name} could not be evaluated: ${error.message}`);
    if (error instanceof FormulaUnsupportedError)
      unsupportedFlowFeature(flow.apiName, name, error.message.replace(/ is not supported by local-org$/, ""));
    throw error;
  }
  if (dataType === "String" || dataType === "Picklist" || dataType === "Multipicklist")
    return result === null ? null : formulaText(result);
  return convertValue(
    result,
    { dataType, isCollection: false, scale, objectType: null },
    `formula ${name}`,
    interview.host
  );
}

/** A text template with its merge fields {!...} filled in. */
export function renderTemplate(interview: FlowInterview, text: string): string {
  return text.replace(/\{!([^}]+)\}/g, (_all, path: string) => flowText(readReference(interview, path.trim())));
}
