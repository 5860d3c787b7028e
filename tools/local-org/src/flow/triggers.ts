// Record-triggered flows: which flows run for a save (object, before or after save or before
// delete, Create/Update/CreateAndUpdate/Delete, entry conditions with their logic or formula,
// "only when a record is updated to meet the condition requirements"), in trigger order, with
// $Record and $Record__Prior; and their scheduled paths: Run Asynchronously after the
// transaction commits, or at a time offset when the clock reaches it.
import type { SObjectValue, Value } from "../runtime/values.js";
import { ApexDate, ApexDatetime } from "../runtime/values.js";
import { FlowConfigurationError } from "./errors.js";
import { FlowInterview, InterviewBatch, type InterviewEnvironment, type InterviewPath } from "./interview.js";
import { nameKey, type FlowDefinition, type FlowScheduledPath, type FlowStart } from "./model.js";
import { conditionsHold, filtersAsConditions } from "./conditions.js";
import { evaluateFormulaResource } from "./references.js";
import { initializeVariables } from "./elements/subflow.js";
import { addMonths } from "../formula/index.js";

export type RecordTriggeredStart = Extract<FlowStart, { kind: "recordTriggered" }>;

export interface TriggerRow {
  index: number;
  /** $Record: the record's values (before-save flows change these, and the save keeps them). */
  record: SObjectValue;
  /** $Record__Prior: the values before an update; null on create. */
  prior: SObjectValue | null;
}

export interface RowError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** A record waiting on a scheduled path. */
export interface ScheduledEntry {
  recordId: string;
  prior: SObjectValue | null;
  isNew: boolean;
  dueAt: number;
}

/** Platform trigger order: 1-1000 first, then flows without one, then 1001-2000; ties by API name. */
export function triggerOrderKey(flow: FlowDefinition): number {
  return flow.triggerOrder ?? 1000.5;
}

export function matchesOperation(start: RecordTriggeredStart, operation: "insert" | "update" | "delete"): boolean {
  switch (start.recordTriggerType) {
    case "Create":
      return operation === "insert";
    case "Update":
      return operation === "update";
    case "CreateAndUpdate":
      return operation === "insert" || operation === "update";
    case "Delete":
      return operation === "delete";
  }
}

/** Whether the record meets the flow's entry conditions (evaluated on $Record). */
function conditionsMet(interview: FlowInterview, start: RecordTriggeredStart): boolean {
  if (start.filterFormula !== null) {
    const result = evaluateFormulaResource(interview, {
      kind: "formula",
      name: "of the entry conditions",
      dataType: "Boolean",
      expression: start.filterFormula,
      scale: null
    });
    return result === true;
  }
  return conditionsHold(interview, filtersAsConditions(start.filters), start.filterLogic, "entry conditions");
}

/** Entry conditions for one save: on update, "only when updated to meet" also needs them unmet before. */
export function entryMet(interview: FlowInterview, start: RecordTriggeredStart): boolean {
  if (!conditionsMet(interview, start)) return false;
  if (!start.requiresRecordChangedToMeetCriteria || interview.path.isNew || !interview.prior) return true;
  const current = interview.record;
  interview.record = interview.prior;
  try {
    return !conditionsMet(interview, start);
  } finally {
    interview.record = current;
  }
}

/** The error a row's save fails with when its flow interview failed or set a custom error. */
export function rowErrorOf(interview: FlowInterview): RowError | null {
  if (interview.state === "failed")
    return {
      statusCode: "CANNOT_EXECUTE_FLOW_TRIGGER",
      message: `We can't save this record because the “${interview.flow.label}” process failed. Give your Salesforce admin these details. ${interview.failure!.message}`,
      fields: []
    };
  const custom = interview.recordErrors[0];
  if (custom)
    return {
      statusCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION",
      message: custom.message,
      fields: custom.field ? [custom.field] : []
    };
  return null;
}

/** A new interview of a record-triggered flow for one record. */
export function triggeredInterview(
  flow: FlowDefinition,
  batch: InterviewBatch,
  path: InterviewPath,
  start: string | null,
  record: SObjectValue | null,
  prior: SObjectValue | null
): FlowInterview {
  const interview = new FlowInterview(flow, batch, path, start);
  interview.record = record;
  interview.prior = prior;
  initializeVariables(interview);
  return interview;
}

const UNIT_MS = { Minutes: 60000, Hours: 3600000, Days: 86400000 } as const;

/** When a scheduled path with an offset is due for a record, or null when its date field is blank. */
export function dueTime(path: FlowScheduledPath, record: SObjectValue, now: number): number | null {
  if (path.timing.kind !== "offset") return now;
  let base = now;
  if (path.timing.recordField) {
    const value: Value = record.fields.get(nameKey(path.timing.recordField)) ?? null;
    if (value instanceof ApexDate || value instanceof ApexDatetime) base = value.ms;
    else return null;
  }
  const { offsetNumber, offsetUnit } = path.timing;
  if (offsetUnit === "Months") {
    const day = ApexDate.fromMs(base);
    return addMonths(day, offsetNumber).ms + (base - day.ms);
  }
  return base + offsetNumber * UNIT_MS[offsetUnit];
}

export function describeTiming(path: FlowScheduledPath): string {
  if (path.timing.kind === "asyncAfterCommit") return "Run Asynchronously";
  const { offsetNumber, offsetUnit, recordField } = path.timing;
  return `${offsetNumber} ${offsetUnit} ${offsetNumber < 0 ? "before" : "after"} ${recordField ?? "the record is saved"}`;
}

/** Runs one batch of a scheduled path: reloads the records, and starts an interview for each one
 * still there (and, for offset paths, still meeting the entry conditions). Returns failures. */
export function runScheduledBatch(
  environment: InterviewEnvironment,
  flow: FlowDefinition,
  path: FlowScheduledPath,
  entries: ScheduledEntry[],
  runBatch: (batch: InterviewBatch) => void
): { recordId: string; element: string; message: string }[] {
  const start = flow.start as RecordTriggeredStart;
  const [records] = environment.host.queryRecords([
    {
      object: start.object,
      condition: { kind: "compare", field: "Id", operator: "in", value: entries.map((e) => e.recordId) },
      fields: "all",
      orderBy: null,
      limit: null,
      internal: true
    }
  ]);
  const byId = new Map(records.map((record) => [String(record.fields.get("id")), record]));
  const batch = new InterviewBatch(environment);
  const interviews = new Map<FlowInterview, string>();
  for (const entry of entries) {
    const record = byId.get(entry.recordId);
    if (!record) continue;
    const interviewPath: InterviewPath = {
      name: path.label,
      beforeSave: false,
      asynchronous: true,
      isNew: entry.isNew
    };
    const interview = triggeredInterview(flow, batch, interviewPath, path.next, record, entry.prior);
    if (path.timing.kind === "offset") {
      // A record changed so that it no longer meets the entry conditions leaves the schedule.
      interview.path = { ...interviewPath, asynchronous: false };
      const stillMet = conditionsMet(interview, start);
      interview.path = interviewPath;
      if (!stillMet) {
        batch.interviews.splice(batch.interviews.indexOf(interview), 1);
        interview.log("(start)", "skipped", "the record no longer meets the entry conditions");
        continue;
      }
    }
    interviews.set(interview, entry.recordId);
  }
  runBatch(batch);
  return [...interviews]
    .filter(([interview]) => interview.state === "failed")
    .map(([interview, recordId]) => ({
      recordId,
      element: interview.failure!.element,
      message: interview.failure!.message
    }));
}

/** An Apex test cannot move the clock, so a path that waits for it cannot run there. */
export function refuseOffsetInTest(flow: FlowDefinition, path: FlowScheduledPath): never {
  throw new FlowConfigurationError(
    `Flow ${flow.apiName}: the scheduled path ${path.label} (${describeTiming(path)}) waits for the clock, which an Apex test run by local-org cannot advance; start the save through LocalOrg and call advanceClock`
  );
}
