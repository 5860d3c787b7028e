// Runs the interviews of a batch as the platform bulkifies them: each interview runs until it
// reaches an element that queries, changes records, calls an action or starts a subflow, or
// until it ends; then the interviews waiting at the same element run it together, once; and
// so on until every interview has finished or failed.
import { invalidFlow } from "./errors.js";
import type { FlowInterview, InterviewBatch } from "./interview.js";
import type { FlowElement } from "./model.js";
import { faultAt, faultMessageOf } from "./outcomes.js";
import { runAssignment } from "./elements/assignment.js";
import { runDecision } from "./elements/decision.js";
import { runLoop } from "./elements/loop.js";
import { runCustomError } from "./elements/custom-error.js";
import { runRecordLookup } from "./elements/record-lookup.js";
import { runRecordCreate } from "./elements/record-create.js";
import { isBeforeSaveUpdate, runBeforeSaveRecordUpdate, runRecordUpdate } from "./elements/record-update.js";
import { runRecordDelete } from "./elements/record-delete.js";
import { runActionCall } from "./elements/action-call.js";
import { runSubflow } from "./elements/subflow.js";

/** Elements one interview runs by itself never stop this many times in one interview. */
const MAX_STEPS = 100000;

function elementAt(interview: FlowInterview): FlowElement {
  const element = interview.flow.elements.get(interview.current!);
  if (!element)
    invalidFlow(
      interview.flow.apiName,
      null,
      `a connector leads to ${interview.current}, which is not an element of the flow`
    );
  return element;
}

function isBulk(interview: FlowInterview, element: FlowElement): boolean {
  switch (element.kind) {
    case "recordLookup":
    case "recordCreate":
    case "recordDelete":
    case "actionCall":
    case "subflow":
      return true;
    case "recordUpdate":
      return !isBeforeSaveUpdate(interview, element);
    default:
      return false;
  }
}

/** Runs an interview through elements it runs alone, up to a bulk element or its end. */
function advance(interview: FlowInterview): void {
  while (interview.state === "ready") {
    if (interview.current === null) {
      interview.state = "finished";
      return;
    }
    const element = elementAt(interview);
    if (++interview.steps > MAX_STEPS)
      invalidFlow(
        interview.flow.apiName,
        element.name,
        `one interview ran more than ${MAX_STEPS} elements; stopped as an endless loop`
      );
    if (isBulk(interview, element)) {
      interview.state = "parked";
      return;
    }
    try {
      switch (element.kind) {
        case "assignment":
          runAssignment(interview, element);
          break;
        case "decision":
          runDecision(interview, element);
          break;
        case "loop":
          runLoop(interview, element);
          break;
        case "customError":
          runCustomError(interview, element);
          break;
        case "recordUpdate":
          runBeforeSaveRecordUpdate(interview, element);
          break;
        default:
          invalidFlow(interview.flow.apiName, element.name, `${element.kind} cannot run here`);
      }
    } catch (error) {
      const message = faultMessageOf(interview, error);
      if (message === null) throw error;
      faultAt(interview, element, message);
    }
  }
}

function runBulk(interviews: FlowInterview[], element: FlowElement): void {
  for (const interview of interviews) interview.state = "ready";
  switch (element.kind) {
    case "recordLookup":
      return runRecordLookup(interviews, element);
    case "recordCreate":
      return runRecordCreate(interviews, element);
    case "recordUpdate":
      return runRecordUpdate(interviews, element);
    case "recordDelete":
      return runRecordDelete(interviews, element);
    case "actionCall":
      return runActionCall(interviews, element);
    case "subflow":
      return runSubflow(interviews, element, runBatch);
    default:
      invalidFlow(interviews[0].flow.apiName, element.name, `${element.kind} does not run in bulk`);
  }
}

export function runBatch(batch: InterviewBatch): void {
  for (;;) {
    for (const interview of batch.interviews) advance(interview);
    const waiting = batch.interviews.filter((interview) => interview.state === "parked");
    if (waiting.length === 0) return;
    const first = waiting[0];
    const group = waiting.filter((interview) => interview.flow === first.flow && interview.current === first.current);
    runBulk(group, elementAt(first));
  }
}
