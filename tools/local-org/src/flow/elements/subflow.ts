// Subflow: starts the referenced autolaunched flow for every interview at the element, runs
// those child interviews together (so their elements are bulkified too), then stores their
// output variables. A child's unhandled fault fails the parent interview.
import type { Value } from "../../runtime/values.js";
import { invalidFlow } from "../errors.js";
import { FlowInterview, InterviewBatch } from "../interview.js";
import { nameKey, type FlowSubflow } from "../model.js";
import { eachInterview, faultAt, proceed } from "../outcomes.js";
import { valueOf, writeReference } from "../references.js";
import { convertValue } from "../values.js";

export function runSubflow(
  interviews: FlowInterview[],
  element: FlowSubflow,
  runBatch: (batch: InterviewBatch) => void
): void {
  const parentFlow = interviews[0].flow.apiName;
  const environment = interviews[0].batch.environment;
  const child = environment.findFlow(element.flowName);
  if (!child)
    invalidFlow(parentFlow, element.name, `the subflow ${element.flowName} is not loaded or has no active version`);
  if (child.start.kind !== "autolaunched")
    invalidFlow(parentFlow, element.name, `the subflow ${element.flowName} is not an autolaunched flow`);
  const batch = new InterviewBatch(environment);
  const children = new Map<FlowInterview, FlowInterview>();
  const ready = eachInterview(interviews, element, (parent) => {
    const interview = new FlowInterview(
      child,
      batch,
      { ...parent.path, name: `${parent.path.name} > ${child.apiName}`, beforeSave: false },
      child.start.kind === "autolaunched" ? child.start.next : null
    );
    initializeVariables(interview);
    for (const input of element.inputs) {
      const variable = child.resources.get(nameKey(input.name));
      if (!variable || variable.kind !== "variable" || !variable.isInput)
        invalidFlow(parentFlow, element.name, `${input.name} is not an input variable of ${child.apiName}`);
      interview.values.set(
        nameKey(input.name),
        convertValue(
          valueOf(parent, input.value, element.name),
          variable,
          `${child.apiName}.${variable.name}`,
          parent.host
        )
      );
    }
    children.set(parent, interview);
  });
  // Interviews created for parents that then faulted take no part.
  batch.interviews.splice(0, batch.interviews.length, ...ready.map((parent) => children.get(parent)!));
  runBatch(batch);
  eachInterview(ready, element, (parent) => {
    const interview = children.get(parent)!;
    if (interview.state === "failed") {
      faultAt(parent, element, interview.failure!.message);
      return;
    }
    const outputs = new Map<string, Value>();
    for (const resource of child.resources.values())
      if (resource.kind === "variable" && resource.isOutput)
        outputs.set(nameKey(resource.name), interview.values.get(nameKey(resource.name)) ?? null);
    if (element.storeAutomatically) parent.elementOutputs.set(nameKey(element.name), outputs);
    for (const output of element.outputs) {
      if (!outputs.has(nameKey(output.name)))
        invalidFlow(parentFlow, element.name, `${output.name} is not an output variable of ${child.apiName}`);
      writeReference(parent, output.assignTo, outputs.get(nameKey(output.name))!, element.name);
    }
    parent.log(element.name, "subflow", child.apiName);
    proceed(parent, element.next);
  });
}

/** Variables start with their default values, or blank (Booleans false). */
export function initializeVariables(interview: FlowInterview): void {
  for (const resource of interview.flow.resources.values()) {
    if (resource.kind !== "variable") continue;
    const key = nameKey(resource.name);
    if (resource.value)
      interview.values.set(
        key,
        convertValue(valueOf(interview, resource.value, resource.name), resource, resource.name, interview.host)
      );
    // Flow Builder gives Boolean variables False as their default value.
    else interview.values.set(key, resource.dataType === "Boolean" && !resource.isCollection ? false : null);
  }
}
