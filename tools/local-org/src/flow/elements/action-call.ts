// Action calls to invocable Apex (actionType apex): every interview at the element becomes one
// request of a single call, so 200 interviews make one call with 200 requests. Inputs convert
// to the declared Apex types; outputs are stored automatically (Action_Name.field) or assigned
// to variables. An exception, or a result count that differs from the request count, faults
// every interview of the call.
import type { Value } from "../../runtime/values.js";
import { flowFault, invalidFlow } from "../errors.js";
import type { FlowInterview } from "../interview.js";
import { nameKey, type FlowActionCall } from "../model.js";
import { eachInterview, faultAt, proceed } from "../outcomes.js";
import { valueOf, writeReference } from "../references.js";
import { toApexValue } from "../apex-types.js";
import { fromApex } from "../values.js";

export function runActionCall(interviews: FlowInterview[], element: FlowActionCall): void {
  const flow = interviews[0].flow.apiName;
  const host = interviews[0].host;
  const action = host.describeApexAction(element.actionName);
  if (!action) invalidFlow(flow, element.name, `${element.actionName} is not an Apex class with an @InvocableMethod`);
  for (const input of element.inputs)
    if (!action.inputs.has(nameKey(input.name)))
      invalidFlow(flow, element.name, `the action ${element.actionName} has no input ${input.name}`);
  const given = new Set(element.inputs.map((input) => nameKey(input.name)));
  const requests: Map<string, Value>[] = [];
  const ready = eachInterview(interviews, element, (interview) => {
    const request = new Map<string, Value>();
    for (const parameter of action.inputs.values())
      if (parameter.required && !given.has(nameKey(parameter.name)))
        flowFault(`Missing required input parameter: ${parameter.name}`);
    for (const input of element.inputs) {
      const parameter = action.inputs.get(nameKey(input.name))!;
      const value = valueOf(interview, input.value, element.name);
      request.set(
        parameter.name,
        toApexValue(value, parameter.type, `Input ${parameter.name} of ${element.actionName}`)
      );
    }
    requests.push(request);
  });
  if (ready.length === 0) return;
  const outcome = host.invokeApexAction(element.actionName, requests);
  if (outcome.kind === "fault") {
    for (const interview of ready) faultAt(interview, element, outcome.message);
    return;
  }
  if (outcome.results.length !== requests.length) {
    for (const interview of ready)
      faultAt(
        interview,
        element,
        "The number of results does not match the number of interviews that were executed in a single bulk execution request."
      );
    return;
  }
  const results = new Map(ready.map((interview, index) => [interview, outcome.results[index]]));
  eachInterview(ready, element, (interview) => {
    const result = results.get(interview)!;
    const outputs = new Map<string, Value>();
    for (const parameter of action.outputs.values())
      outputs.set(nameKey(parameter.name), fromApex(result.get(parameter.name) ?? null));
    if (element.storeAutomatically) interview.elementOutputs.set(nameKey(element.name), outputs);
    for (const output of element.outputs) {
      if (!outputs.has(nameKey(output.name)))
        invalidFlow(flow, element.name, `the action ${element.actionName} has no output ${output.name}`);
      writeReference(interview, output.assignTo, outputs.get(nameKey(output.name))!, element.name);
    }
    interview.log(element.name, "action", `${element.actionName} (${ready.length} request(s) in one call)`);
    proceed(interview, element.next);
  });
}
