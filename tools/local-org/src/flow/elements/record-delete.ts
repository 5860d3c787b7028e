// Delete Records: the records of a variable, or every record that matches filters. Interviews
// at the element share one query and one DML statement. Filters that match no record fault,
// as the platform's "There is nothing in Salesforce matching your delete criteria".
import type { SObjectValue } from "../../runtime/values.js";
import type { RecordQuery } from "../host.js";
import type { FlowInterview } from "../interview.js";
import type { FlowRecordDelete } from "../model.js";
import { eachInterview, faultAt, faultMessageOf, proceed } from "../outcomes.js";
import { filtersToQuery } from "../conditions.js";
import { recordsOf } from "./record-create.js";
import { saveForInterviews } from "./record-dml.js";

export function runRecordDelete(interviews: FlowInterview[], element: FlowRecordDelete): void {
  const work: { interview: FlowInterview; records: SObjectValue[] }[] = [];
  const byFilter: FlowInterview[] = [];
  eachInterview(interviews, element, (interview) => {
    if (element.inputReference)
      work.push({ interview, records: recordsOf(interview, element.inputReference, element.name) });
    else byFilter.push(interview);
  });
  if (byFilter.length > 0) {
    const ready: FlowInterview[] = [];
    const queries: RecordQuery[] = [];
    eachInterview(byFilter, element, (interview) => {
      queries.push({
        object: element.object!,
        condition: filtersToQuery(interview, element.filters, element.filterLogic, element.name),
        fields: [],
        orderBy: null,
        limit: null
      });
      ready.push(interview);
    });
    try {
      const found = queries.length ? ready[0].host.queryRecords(queries) : [];
      ready.forEach((interview, index) => {
        // As the platform does, a delete by filters that matches nothing is a fault.
        if (found[index].length === 0)
          faultAt(interview, element, "DELETE --- There is nothing in Salesforce matching your delete criteria.");
        else work.push({ interview, records: found[index] });
      });
    } catch (error) {
      const message = faultMessageOf(ready[0], error);
      if (message === null) throw error;
      for (const interview of ready) faultAt(interview, element, message);
    }
  }
  const saved = saveForInterviews(
    "delete",
    element,
    work.filter((w) => w.records.length > 0)
  );
  for (const interview of [...saved, ...work.filter((w) => w.records.length === 0).map((w) => w.interview)]) {
    interview.log(
      element.name,
      "deleteRecords",
      `${work.find((w) => w.interview === interview)!.records.length} record(s)`
    );
    proceed(interview, element.next);
  }
}
