// Create Records: one record from field values, or the records of a record variable or
// collection. Interviews at the element share one DML statement; the new Id is the element's
// output (or goes to a variable), and records from variables get their ids.
import { ApexList, SObjectValue } from "../../runtime/values.js";
import { flowFault } from "../errors.js";
import type { FlowInterview } from "../interview.js";
import { nameKey, type FlowRecordCreate } from "../model.js";
import { eachInterview, proceed } from "../outcomes.js";
import { readReference, setField, valueOf, writeReference } from "../references.js";
import { describeValue } from "../values.js";
import { saveForInterviews } from "./record-dml.js";

export function recordsOf(interview: FlowInterview, reference: string, element: string): SObjectValue[] {
  const value = readReference(interview, reference);
  if (value instanceof SObjectValue) return [value];
  if (value instanceof ApexList)
    return value.items.filter((item): item is SObjectValue => item instanceof SObjectValue);
  if (value === null) {
    // An empty record collection saves nothing; a record variable with no record is a fault.
    const resource = interview.flow.resources.get(nameKey(reference.split(".")[0]));
    if (resource?.kind === "variable" && resource.isCollection) return [];
    flowFault(`The flow failed to access the value for ${reference} because it hasn't been set or assigned.`);
  }
  return flowFault(`${element}: ${reference} is ${describeValue(value)}, not a record or a record collection`);
}

export function runRecordCreate(interviews: FlowInterview[], element: FlowRecordCreate): void {
  const work: { interview: FlowInterview; records: SObjectValue[] }[] = [];
  eachInterview(interviews, element, (interview) => {
    if (element.inputReference) {
      work.push({ interview, records: recordsOf(interview, element.inputReference, element.name) });
      return;
    }
    const record = interview.host.newRecord(element.object!);
    for (const assignment of element.fields)
      setField(interview, record, assignment.field, valueOf(interview, assignment.value, element.name), element.name);
    work.push({ interview, records: [record] });
  });
  const saved = new Set(saveForInterviews("insert", element, work));
  eachInterview(
    work.filter((w) => saved.has(w.interview)).map((w) => w.interview),
    element,
    (interview) => {
      const records = work.find((w) => w.interview === interview)!.records;
      const id = records.length === 1 ? ((records[0].fields.get("id") as string | undefined) ?? null) : null;
      if (!element.inputReference) {
        if (element.storeAutomatically) interview.outputs.set(nameKey(element.name), id);
        if (element.assignIdTo) writeReference(interview, element.assignIdTo, id, element.name);
      }
      interview.log(element.name, "createRecords", `${records.length} record(s)`);
      proceed(interview, element.next);
    }
  );
}
