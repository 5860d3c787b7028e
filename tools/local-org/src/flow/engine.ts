// The flow engine of an org: the loaded flows and which run (active ones, and templates the
// caller activates as a subscriber would after Save As), autolaunched starts with input and
// output variables, record-triggered runs around saves, and the queue of scheduled paths that
// wait for the clock. It reaches the org only through its host.
import type { Value } from "../runtime/values.js";
import { FlowConfigurationError, FlowFault, invalidFlow } from "./errors.js";
import type { FlowHost } from "./host.js";
import { FlowInterview, InterviewBatch, type FlowEvent, type InterviewEnvironment } from "./interview.js";
import { nameKey, type FlowDefinition, type FlowScheduledPath } from "./model.js";
import { runBatch } from "./runner.js";
import { validateFlow } from "./validate.js";
import { initializeVariables } from "./elements/subflow.js";
import { convertValue, copyRecord } from "./values.js";
import {
  describeTiming,
  dueTime,
  entryMet,
  matchesOperation,
  refuseOffsetInTest,
  rowErrorOf,
  runScheduledBatch,
  triggerOrderKey,
  triggeredInterview,
  type RecordTriggeredStart,
  type RowError,
  type ScheduledEntry,
  type TriggerRow
} from "./triggers.js";

/** Interviews of a record-triggered run go together in batches of this many records. */
const TRIGGER_BATCH = 200;

export interface AutolaunchedResult {
  /** Output variables by name, as the flow defines them. */
  outputs: Map<string, Value>;
  /** The unhandled fault that stopped the interview, or null. */
  failure: { element: string; message: string } | null;
}

export interface PendingScheduledPath {
  flow: string;
  path: string;
  timing: string;
  recordId: string;
  dueAt: number;
}

/** An interview of an asynchronous or scheduled path that failed, as Setup's Paused and Failed Flow Interviews lists it. */
export interface FailedInterview {
  flow: string;
  path: string;
  recordId: string;
  element: string;
  message: string;
}

export class FlowEngine implements InterviewEnvironment {
  private readonly flows = new Map<string, FlowDefinition>();
  private readonly activated = new Set<string>();
  private readonly validated = new Set<string>();
  private pending: { flow: FlowDefinition; path: FlowScheduledPath; entry: ScheduledEntry }[] = [];
  readonly events: FlowEvent[] = [];
  readonly failedInterviews: FailedInterview[] = [];

  constructor(readonly host: FlowHost) {}

  add(flow: FlowDefinition): void {
    this.flows.set(nameKey(flow.apiName), flow);
  }

  all(): FlowDefinition[] {
    return [...this.flows.values()];
  }

  /** Fails when an active flow would start by itself in an org (a process, a schedule, an event)
   * but cannot run here: it must not be skipped silently. */
  checkActiveFlows(): void {
    for (const flow of this.flows.values()) {
      if (!this.isActive(flow)) continue;
      const start = flow.start;
      if (start.kind === "unsupported" && flow.processType !== "Flow")
        throw new FlowConfigurationError(`Flow ${flow.apiName}: ${start.feature} is not supported by local-org`);
      if (start.kind !== "recordTriggered") continue;
      // A record-triggered flow that could never start would be skipped without a word.
      if (!this.host.describeObject(start.object))
        invalidFlow(flow.apiName, null, `it is triggered by ${start.object}, which is not an object of the org`);
      if ((start.recordTriggerType === "Delete") !== (start.when === "beforeDelete"))
        invalidFlow(
          flow.apiName,
          null,
          "a flow runs on delete only before the record is deleted (RecordBeforeDelete with Delete)"
        );
    }
  }

  /** Runs a flow as active, as a subscriber does with a template after Save As and Activate. */
  activate(apiName: string): void {
    const flow = this.flows.get(nameKey(apiName));
    if (!flow) throw new Error(`cannot activate flow ${apiName}: no such flow in the source folders`);
    this.activated.add(nameKey(apiName));
  }

  isActive(flow: FlowDefinition): boolean {
    return flow.status === "Active" || this.activated.has(nameKey(flow.apiName));
  }

  findFlow(apiName: string): FlowDefinition | null {
    const flow = this.flows.get(nameKey(apiName));
    return flow && this.isActive(flow) ? flow : null;
  }

  record(event: FlowEvent): void {
    if (this.events.length < 100000) this.events.push(event);
  }

  private check(flow: FlowDefinition, beforeSave: boolean): void {
    const key = `${nameKey(flow.apiName)}:${beforeSave}`;
    if (this.validated.has(key)) return;
    validateFlow(flow, beforeSave);
    this.validated.add(key);
  }

  /** Starts an autolaunched flow with input variables and returns its output variables. */
  startAutolaunched(apiName: string, inputs: Map<string, Value>): AutolaunchedResult {
    const flow = this.flows.get(nameKey(apiName));
    if (!flow) throw new FlowConfigurationError(`Flow ${apiName} is not in the source folders`);
    if (!this.isActive(flow))
      throw new FlowConfigurationError(`Flow ${apiName} has no active version: activate it to run it`);
    if (flow.start.kind !== "autolaunched")
      invalidFlow(apiName, null, "only autolaunched flows can be started directly");
    this.check(flow, false);
    const batch = new InterviewBatch(this);
    const interview = new FlowInterview(
      flow,
      batch,
      { name: "autolaunched", beforeSave: false, asynchronous: false, isNew: false },
      flow.start.next
    );
    initializeVariables(interview);
    for (const [name, value] of inputs) {
      const variable = flow.resources.get(nameKey(name));
      if (!variable || variable.kind !== "variable" || !variable.isInput)
        invalidFlow(apiName, null, `${name} is not an input variable of the flow`);
      interview.values.set(nameKey(name), convertValue(value, variable, variable.name, this.host));
    }
    runBatch(batch);
    const outputs = new Map<string, Value>();
    for (const resource of flow.resources.values())
      if (resource.kind === "variable" && resource.isOutput)
        outputs.set(resource.name, interview.values.get(nameKey(resource.name)) ?? null);
    return { outputs, failure: interview.failure };
  }

  private triggeredFlows(
    object: string,
    when: RecordTriggeredStart["when"],
    operation: "insert" | "update" | "delete"
  ) {
    return [...this.flows.values()]
      .filter((flow) => {
        const start = flow.start;
        return (
          start.kind === "recordTriggered" &&
          this.isActive(flow) &&
          nameKey(start.object) === nameKey(object) &&
          start.when === when &&
          matchesOperation(start, operation)
        );
      })
      .sort((a, b) => triggerOrderKey(a) - triggerOrderKey(b) || a.apiName.localeCompare(b.apiName));
  }

  hasRecordTriggeredFlows(
    object: string,
    when: RecordTriggeredStart["when"],
    operation: "insert" | "update" | "delete"
  ): boolean {
    return this.triggeredFlows(object, when, operation).length > 0;
  }

  /** Runs the record-triggered flows of a save and returns the rows whose save they fail. */
  recordTriggered(
    object: string,
    when: RecordTriggeredStart["when"],
    operation: "insert" | "update" | "delete",
    rows: TriggerRow[]
  ): Map<number, RowError> {
    const errors = new Map<number, RowError>();
    for (const flow of this.triggeredFlows(object, when, operation)) {
      const start = flow.start as RecordTriggeredStart;
      this.check(flow, when === "beforeSave");
      const isNew = operation === "insert";
      for (let offset = 0; offset < rows.length; offset += TRIGGER_BATCH) {
        const chunk = rows.slice(offset, offset + TRIGGER_BATCH).filter((row) => !errors.has(row.index));
        const batch = new InterviewBatch(this);
        const path = { name: "synchronous", beforeSave: when === "beforeSave", asynchronous: false, isNew };
        // Before-save flows change the record the save keeps; the others see their own copy.
        const interviews = chunk.map((row) =>
          triggeredInterview(
            flow,
            batch,
            path,
            start.next,
            when === "beforeSave" ? row.record : copyRecord(row.record),
            row.prior
          )
        );
        const matched = interviews.filter((interview) => {
          try {
            return entryMet(interview, start);
          } catch (error) {
            // A fault while checking the entry conditions (a formula that fails) fails the record's save.
            if (!(error instanceof FlowFault)) throw error;
            interview.state = "failed";
            interview.failure = { element: "(start)", message: error.message };
            return true;
          }
        });
        batch.interviews.splice(0, batch.interviews.length, ...(start.next === null ? [] : matched));
        for (const interview of matched)
          interview.log(
            "(start)",
            "start",
            `${flow.label}: ${operation} of ${String(interview.record?.fields.get("id") ?? "a new record")}`
          );
        if (batch.interviews.length > 0) this.host.whileSavingRecords(() => runBatch(batch));
        const succeeded: TriggerRow[] = [];
        matched.forEach((interview) => {
          const row = chunk[interviews.indexOf(interview)];
          const error = start.next === null && interview.state !== "failed" ? null : rowErrorOf(interview);
          if (error) errors.set(row.index, error);
          else succeeded.push(row);
        });
        if (when === "afterSave") this.schedulePaths(flow, start, succeeded, isNew);
      }
    }
    return errors;
  }

  private schedulePaths(flow: FlowDefinition, start: RecordTriggeredStart, rows: TriggerRow[], isNew: boolean): void {
    if (rows.length === 0) return;
    for (const path of start.scheduledPaths) {
      if (path.timing.kind === "offset" && this.host.inApexTest()) refuseOffsetInTest(flow, path);
      const now = this.host.now();
      const entries: ScheduledEntry[] = [];
      for (const row of rows) {
        const dueAt = dueTime(path, row.record, now);
        if (dueAt === null) continue;
        entries.push({
          recordId: String(row.record.fields.get("id")),
          prior: row.prior ? copyRecord(row.prior) : null,
          isNew,
          dueAt
        });
      }
      if (path.timing.kind === "asyncAfterCommit") {
        for (let offset = 0; offset < entries.length; offset += path.maxBatchSize)
          this.host.enqueueAfterCommit(this.pathJob(flow, path, entries.slice(offset, offset + path.maxBatchSize)));
      } else {
        this.host.enqueueAfterCommit({
          description: `${flow.apiName}: schedule ${path.label}`,
          run: () => this.pending.push(...entries.map((entry) => ({ flow, path, entry }))),
          failed: () => undefined
        });
      }
    }
  }

  private pathJob(flow: FlowDefinition, path: FlowScheduledPath, entries: ScheduledEntry[]) {
    return {
      description: `${flow.apiName}: ${path.label}`,
      run: () => {
        for (const failure of runScheduledBatch(this, flow, path, entries, runBatch))
          this.failedInterviews.push({ flow: flow.apiName, path: path.label, ...failure });
      },
      failed: (message: string) => {
        for (const entry of entries)
          this.failedInterviews.push({
            flow: flow.apiName,
            path: path.label,
            recordId: entry.recordId,
            element: "(transaction)",
            message
          });
      }
    };
  }

  pendingScheduledPaths(): PendingScheduledPath[] {
    return this.pending.map(({ flow, path, entry }) => ({
      flow: flow.apiName,
      path: path.label,
      timing: describeTiming(path),
      recordId: entry.recordId,
      dueAt: entry.dueAt
    }));
  }

  /** Runs the scheduled paths whose time has come on the host's clock, oldest first, each batch in its own transaction. */
  runDueScheduledPaths(): number {
    const now = this.host.now();
    const due = this.pending.filter((p) => p.entry.dueAt <= now).sort((a, b) => a.entry.dueAt - b.entry.dueAt);
    this.pending = this.pending.filter((p) => p.entry.dueAt > now);
    const groups = new Map<string, typeof due>();
    for (const item of due) {
      const key = `${item.flow.apiName}:${item.path.name}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const items of groups.values()) {
      const { flow, path } = items[0];
      for (let offset = 0; offset < items.length; offset += path.maxBatchSize)
        this.host.runTransaction(
          this.pathJob(
            flow,
            path,
            items.slice(offset, offset + path.maxBatchSize).map((i) => i.entry)
          )
        );
    }
    return due.length;
  }
}
