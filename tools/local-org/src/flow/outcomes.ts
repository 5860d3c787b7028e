// How an element ends for an interview: it goes on to the next element, or it faults and
// takes the element's fault connector with $Flow.FaultMessage set, or, without one, the
// interview fails with an unhandled fault.
import { FlowConfigurationError, FlowFault } from "./errors.js";
import type { FlowInterview } from "./interview.js";
import { nameKey, type FlowElement } from "./model.js";

export function proceed(interview: FlowInterview, next: string | null): void {
  interview.current = next === null ? null : nameKey(next);
  interview.state = "ready";
}

export function faultAt(interview: FlowInterview, element: FlowElement, message: string): void {
  interview.log(element.name, "fault", message);
  const faultConnector = "fault" in element ? element.fault : null;
  if (faultConnector) {
    interview.faultMessage = message;
    proceed(interview, faultConnector);
    return;
  }
  interview.state = "failed";
  interview.failure = { element: element.name, message };
}

/** The fault message an error stands for, or null when the error must stop the whole run. */
export function faultMessageOf(interview: FlowInterview, error: unknown): string | null {
  if (error instanceof FlowFault) return error.message;
  if (error instanceof FlowConfigurationError) return null;
  if (interview.host.isFatal(error)) return null;
  return interview.host.describeError(error);
}

/** Runs per-interview work of an element; a fault of one interview does not stop the others. */
export function eachInterview(
  interviews: FlowInterview[],
  element: FlowElement,
  body: (interview: FlowInterview) => void
): FlowInterview[] {
  const succeeded: FlowInterview[] = [];
  for (const interview of interviews) {
    try {
      body(interview);
      succeeded.push(interview);
    } catch (error) {
      const message = faultMessageOf(interview, error);
      if (message === null) throw error;
      faultAt(interview, element, message);
    }
  }
  return succeeded;
}
