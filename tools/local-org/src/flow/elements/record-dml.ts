// What Create, Update and Delete Records share: one DML statement for every interview at the
// element, and the fault message of an interview whose records failed.
import type { SObjectValue } from "../../runtime/values.js";
import type { FlowInterview } from "../interview.js";
import type { FlowElement } from "../model.js";
import { faultAt } from "../outcomes.js";

const VERBS = { insert: "create", update: "update", delete: "delete" } as const;

/** Saves each interview's records; interviews whose records failed take their fault. Returns the others. */
export function saveForInterviews(
  operation: "insert" | "update" | "delete",
  element: FlowElement,
  work: { interview: FlowInterview; records: SObjectValue[] }[]
): FlowInterview[] {
  if (work.length === 0) return [];
  const host = work[0].interview.host;
  const errors = host.saveRecords(
    operation,
    work.map((w) => w.records)
  );
  // The flow's view of related records may have changed.
  for (const { interview } of work) interview.batch.parents.clear();
  const succeeded: FlowInterview[] = [];
  work.forEach(({ interview }, index) => {
    const error = errors[index];
    if (!error) {
      succeeded.push(interview);
      return;
    }
    const detail = error.message.endsWith(".") ? error.message : `${error.message}.`;
    faultAt(
      interview,
      element,
      `This error occurred when the flow tried to ${VERBS[operation]} records: ${error.statusCode}: ${detail} You can look up ExceptionCode values in the SOAP API Developer Guide.`
    );
  });
  return succeeded;
}
