// Checks a flow before it runs, so that a flow using something outside the supported subset
// stops with an error naming the flow, the element and the feature before any element runs,
// instead of running halfway.
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
}
