// Checks a flow before it runs, so that a flow using something outside the supported subset
// stops with an error naming the flow, the element and the feature before any element runs,
// instead of running halfway.
import {
  FORMULA_FUNCTIONS,
  formulaFunctions,
  formulaReferences,
  FormulaSyntaxError,
  parseFormula
} from "../formula/index.js";
import { invalidFlow, unsupportedFlowFeature } from "./errors.js";
import { nameKey, type FlowDefinition, type FlowElement, type FlowValue } from "./model.js";

/** Elements a before-save flow may contain, as Flow Builder allows. */
const BEFORE_SAVE_ELEMENTS = new Set(["assignment", "decision", "loop", "recordLookup", "customError", "recordUpdate"]);

function targets(element: FlowElement): (string | null)[] {
  switch (element.kind) {
    case "decision":
      return [element.defaultNext, ...element.rules.map((rule) => rule.next)];
    case "loop":
      return [element.nextValue, element.noMoreValues];
    case "unsupported":
      return [];
    default:
      return ["fault" in element ? element.fault : null, element.next];
  }
}

function values(element: FlowElement): FlowValue[] {
  switch (element.kind) {
    case "assignment":
      return element.items.map((item) => item.value);
    case "decision":
      return element.rules.flatMap((rule) => rule.conditions.map((c) => c.right));
    case "recordLookup":
    case "recordDelete":
      return element.filters.map((f) => f.value);
    case "recordUpdate":
      return [...element.filters.map((f) => f.value), ...element.fields.map((f) => f.value)];
    case "recordCreate":
      return element.fields.map((f) => f.value);
    case "actionCall":
    case "subflow":
      return element.inputs.map((input) => input.value);
    default:
      return [];
  }
}

/** Throws when the flow cannot run (in a before-save context when `beforeSave`). */
export function validateFlow(flow: FlowDefinition, beforeSave: boolean): void {
  const name = flow.apiName;
  for (const feature of flow.unsupported) unsupportedFlowFeature(name, null, feature);
  if (flow.start.kind === "unsupported") unsupportedFlowFeature(name, null, flow.start.feature);
  for (const element of flow.elements.values()) {
    for (const feature of element.unsupported) unsupportedFlowFeature(name, element.name, feature);
    if (element.kind === "actionCall" && element.actionType !== "apex")
      unsupportedFlowFeature(
        name,
        element.name,
        `actions of type ${element.actionType} (only invocable Apex actions run)`
      );
    if (beforeSave && !BEFORE_SAVE_ELEMENTS.has(element.kind))
      invalidFlow(
        name,
        element.name,
        `a ${element.kind} element is not available in a flow that runs before the record is saved`
      );
    if (beforeSave && element.kind === "recordUpdate" && nameKey(element.inputReference ?? "") !== "$record")
      invalidFlow(name, element.name, "a flow that runs before the record is saved can update only $Record");
    for (const value of values(element))
      if (value.kind === "unsupported") unsupportedFlowFeature(name, element.name, value.feature);
    for (const target of targets(element))
      if (target !== null && !flow.elements.has(nameKey(target)))
        invalidFlow(name, element.name, `a connector leads to ${target}, which is not an element of the flow`);
  }
  const starts =
    flow.start.kind === "autolaunched"
      ? [flow.start.next]
      : flow.start.kind === "recordTriggered"
        ? [flow.start.next, ...flow.start.scheduledPaths.map((path) => path.next)]
        : [];
  for (const target of starts)
    if (target !== null && !flow.elements.has(nameKey(target)))
      invalidFlow(name, null, `the start leads to ${target}, which is not an element of the flow`);
  validateReferences(flow);
}

/** Globals flows can read here; other `$` globals stop the flow. */
const GLOBALS = new Set(["$record", "$record__prior", "$flow", "$globalconstant", "$user", "$organization", "$label"]);

/** The references an element reads or writes, and the formulas and templates it holds. */
function referencesOf(element: FlowElement): { references: string[]; templates: string[] } {
  const of = (list: FlowValue[]) => list.flatMap((v) => (v.kind === "reference" ? [v.path] : []));
  const templates: string[] = [];
  let references: string[] = of(values(element));
  switch (element.kind) {
    case "assignment":
      references.push(...element.items.map((item) => item.target));
      break;
    case "decision":
      references.push(...element.rules.flatMap((rule) => rule.conditions.map((c) => c.left)));
      break;
    case "loop":
      references.push(element.collection, ...(element.assignTo ? [element.assignTo] : []));
      break;
    case "recordLookup":
      if (element.limit) references.push(...of([element.limit]));
      if (element.outputReference) references.push(element.outputReference);
      references.push(...element.outputAssignments.map((a) => a.assignTo));
      break;
    case "recordCreate":
      references.push(...[element.inputReference, element.assignIdTo].filter((r): r is string => r !== null));
      break;
    case "recordUpdate":
    case "recordDelete":
      if (element.inputReference) references.push(element.inputReference);
      break;
    case "actionCall":
    case "subflow":
      references.push(...element.outputs.map((o) => o.assignTo));
      break;
    case "customError":
      templates.push(...element.messages.map((m) => m.message));
      break;
  }
  references = references.filter((r) => r !== "");
  return { references, templates };
}

/** Checks that every reference names a resource, an element, a decision outcome or a supported
 * global, and that every formula parses and uses functions the evaluator has. */
export function validateReferences(flow: FlowDefinition): void {
  const name = flow.apiName;
  const outcomes = new Set(
    [...flow.elements.values()].flatMap((e) => (e.kind === "decision" ? e.rules.map((r) => nameKey(r.name)) : []))
  );
  const check = (path: string, where: string | null) => {
    const head = nameKey(path.split(".")[0]);
    if (head.startsWith("$")) {
      if (!GLOBALS.has(head)) unsupportedFlowFeature(name, where, `the global ${path.split(".")[0]}`);
      return;
    }
    if (!flow.resources.has(head) && !flow.elements.has(head) && !outcomes.has(head))
      invalidFlow(name, where, `${path} refers to no resource or element of the flow`);
  };
  const checkFormula = (expression: string, where: string) => {
    let tree;
    try {
      tree = parseFormula(expression);
    } catch (error) {
      if (error instanceof FormulaSyntaxError) invalidFlow(name, where, `the formula is not valid: ${error.message}`);
      throw error;
    }
    for (const fn of formulaFunctions(tree))
      if (!FORMULA_FUNCTIONS.has(fn)) unsupportedFlowFeature(name, where, `the formula function ${fn}`);
    for (const reference of formulaReferences(tree)) check(reference, where);
  };
  const checkTemplate = (text: string, where: string) => {
    for (const match of text.matchAll(/\{!([^}]+)\}/g)) check(match[1].trim(), where);
  };
  for (const element of flow.elements.values()) {
    const { references, templates } = referencesOf(element);
    for (const reference of references) check(reference, element.name);
    for (const template of templates) checkTemplate(template, element.name);
    for (const value of values(element)) if (value.kind === "formula") checkFormula(value.expression, element.name);
  }
  for (const resource of flow.resources.values()) {
    if (resource.kind === "formula") checkFormula(resource.expression, resource.name);
    if (resource.kind === "textTemplate") checkTemplate(resource.text, resource.name);
    if ((resource.kind === "variable" || resource.kind === "constant") && resource.value?.kind === "reference")
      check(resource.value.path, resource.name);
  }
  if (flow.start.kind === "recordTriggered") {
    for (const filter of flow.start.filters) if (filter.value.kind === "reference") check(filter.value.path, null);
    if (flow.start.filterFormula) checkFormula(flow.start.filterFormula, "the entry condition formula");
  }
}
