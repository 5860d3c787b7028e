// Get Records: the interviews at the element share one SOQL query. Filters and their logic,
// sort, the first record or all of them (up to a limit), the fields chosen or all fields when
// the output is stored automatically; the result goes to the element's own output, a record
// variable, or field by field into variables. No records found is blank (null).
import type { SObjectValue } from "../../runtime/values.js";
import { flowFault } from "../errors.js";
import type { RecordQuery } from "../host.js";
import type { FlowInterview } from "../interview.js";
import { nameKey, type FlowRecordLookup } from "../model.js";
import { eachInterview, faultAt, faultMessageOf, proceed } from "../outcomes.js";
import { valueOf, writeReference } from "../references.js";
import { filtersToQuery } from "../conditions.js";
import { asDecimal, describeValue, fromApex } from "../values.js";

function queryFor(interview: FlowInterview, element: FlowRecordLookup): RecordQuery {
  let limit: number | null = element.firstOnly ? 1 : null;
  if (!element.firstOnly && element.limit) {
    const value = valueOf(interview, element.limit, element.name);
    const number = asDecimal(value);
    if (!number || !number.d.isInteger() || number.d.lt(1))
      flowFault(
        `${element.name}: the number of records to store must be a whole number above 0, not ${describeValue(value)}`
      );
    limit = number.d.toNumber();
  }
  const chosen = element.outputAssignments.length
    ? element.outputAssignments.map((a) => a.field)
    : element.queriedFields.filter((f) => nameKey(f) !== "id");
  return {
    object: element.object,
    condition: filtersToQuery(interview, element.filters, element.filterLogic, element.name),
    fields: element.storeAutomatically && element.queriedFields.length === 0 ? "all" : chosen,
    orderBy: element.sortField ? { field: element.sortField, descending: element.descending } : null,
    limit
  };
}

function store(interview: FlowInterview, element: FlowRecordLookup, rows: SObjectValue[]): void {
  const host = interview.host;
  if (element.firstOnly) {
    const record = rows[0] ?? null;
    if (element.storeAutomatically) interview.outputs.set(nameKey(element.name), record);
    if (element.outputReference) writeReference(interview, element.outputReference, record, element.name);
    if (record || element.assignNullsIfNoneFound)
      for (const assignment of element.outputAssignments)
        writeReference(
          interview,
          assignment.assignTo,
          record ? fromApex(record.fields.get(nameKey(assignment.field)) ?? null) : null,
          element.name
        );
  } else {
    const collection = rows.length === 0 ? null : host.newCollection("SObject", element.object, rows);
    if (element.storeAutomatically) interview.outputs.set(nameKey(element.name), collection);
    if (element.outputReference) writeReference(interview, element.outputReference, collection, element.name);
  }
  interview.log(element.name, "getRecords", `${rows.length} ${element.object} record(s)`);
}

export function runRecordLookup(interviews: FlowInterview[], element: FlowRecordLookup): void {
  const queries: RecordQuery[] = [];
  const ready = eachInterview(interviews, element, (interview) => queries.push(queryFor(interview, element)));
  if (ready.length === 0) return;
  let results: SObjectValue[][];
  try {
    results = ready[0].host.queryRecords(queries);
  } catch (error) {
    const message = faultMessageOf(ready[0], error);
    if (message === null) throw error;
    for (const interview of ready) faultAt(interview, element, message);
    return;
  }
  const stored = new Map(ready.map((interview, index) => [interview, results[index]]));
  eachInterview(ready, element, (interview) => {
    store(interview, element, stored.get(interview)!);
    proceed(interview, element.next);
  });
}
