// Update Records: the records of a variable (all their field values), $Record with chosen
// field values (in a before-save flow that changes $Record without DML), or every record that
// matches filters. Interviews at the element share one query and one DML statement.
import type { SObjectValue } from "../../runtime/values.js";
import type { RecordQuery } from "../host.js";
import type { FlowInterview } from "../interview.js";
import { nameKey, type FlowRecordUpdate } from "../model.js";
import { eachInterview, faultAt, faultMessageOf, proceed } from "../outcomes.js";
import { setField, valueOf } from "../references.js";
import { conditionsHold, filtersAsConditions, filtersToQuery } from "../conditions.js";
import { recordsOf } from "./record-create.js";
import { saveForInterviews } from "./record-dml.js";

const updatesTriggeringRecord = (element: FlowRecordUpdate) =>
  element.inputReference !== null && nameKey(element.inputReference) === "$record";

/** In a before-save flow, updating $Record sets its fields; the save itself stores them. */
export function runBeforeSaveRecordUpdate(interview: FlowInterview, element: FlowRecordUpdate): void {
  if (conditionsHold(interview, filtersAsConditions(element.filters), element.filterLogic, element.name))
    for (const assignment of element.fields)
      setField(
        interview,
        interview.record!,
        assignment.field,
        valueOf(interview, assignment.value, element.name),
        element.name
      );
  proceed(interview, element.next);
}

export function isBeforeSaveUpdate(interview: FlowInterview, element: FlowRecordUpdate): boolean {
  return interview.path.beforeSave && updatesTriggeringRecord(element);
}

export function runRecordUpdate(interviews: FlowInterview[], element: FlowRecordUpdate): void {
  const work: { interview: FlowInterview; records: SObjectValue[] }[] = [];
  const byFilter: FlowInterview[] = [];
  eachInterview(interviews, element, (interview) => {
    if (updatesTriggeringRecord(element) && element.fields.length > 0) {
      if (!conditionsHold(interview, filtersAsConditions(element.filters), element.filterLogic, element.name)) {
        work.push({ interview, records: [] });
        return;
      }
      const record = interview.host.newRecord(interview.record!.type.name);
      record.fields.set("id", interview.record!.fields.get("id") ?? null);
      for (const assignment of element.fields)
        setField(interview, record, assignment.field, valueOf(interview, assignment.value, element.name), element.name);
      work.push({ interview, records: [record] });
    } else if (element.inputReference) {
      work.push({ interview, records: recordsOf(interview, element.inputReference, element.name) });
    } else byFilter.push(interview);
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
    let found: SObjectValue[][] = [];
    try {
      found = queries.length ? ready[0].host.queryRecords(queries) : [];
    } catch (error) {
      const message = faultMessageOf(ready[0], error);
      if (message === null) throw error;
      for (const interview of ready) faultAt(interview, element, message);
      found = [];
      ready.length = 0;
    }
    eachInterview(ready, element, (interview) => {
      const matches = found[ready.indexOf(interview)];
      const records = matches.map((match) => {
        const record = interview.host.newRecord(element.object!);
        record.fields.set("id", match.fields.get("id") ?? null);
        for (const assignment of element.fields)
          setField(
            interview,
            record,
            assignment.field,
            valueOf(interview, assignment.value, element.name),
            element.name
          );
        return record;
      });
      work.push({ interview, records });
    });
  }
  const saved = saveForInterviews(
    "update",
    element,
    work.filter((w) => w.records.length > 0)
  );
  const unchanged = work.filter((w) => w.records.length === 0).map((w) => w.interview);
  for (const interview of [...saved, ...unchanged]) {
    interview.log(
      element.name,
      "updateRecords",
      `${work.find((w) => w.interview === interview)!.records.length} record(s)`
    );
    proceed(interview, element.next);
  }
}
