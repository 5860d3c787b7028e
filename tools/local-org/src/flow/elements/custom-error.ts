// Custom Error: puts an error on the triggering record, so its save fails with the message
// (on a field when one is chosen), and the transaction's changes for it are rolled back.
import { unsupportedFlowFeature } from "../errors.js";
import type { FlowInterview } from "../interview.js";
import type { FlowCustomError } from "../model.js";
import { proceed } from "../outcomes.js";
import { renderTemplate } from "../references.js";

export function runCustomError(interview: FlowInterview, element: FlowCustomError): void {
  if (!interview.record || interview.path.asynchronous)
    unsupportedFlowFeature(
      interview.flow.apiName,
      element.name,
      "a Custom Error element outside the synchronous part of a record-triggered flow"
    );
  for (const message of element.messages) {
    const text = renderTemplate(interview, message.message);
    interview.recordErrors.push({ message: text, field: message.field });
    interview.log(element.name, "customError", text);
  }
  proceed(interview, element.next);
}
