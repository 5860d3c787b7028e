// Scheduled Apex: System.schedule and System.abortJob over the CronTrigger and CronJobDetail
// records Setup shows, the Schedulable instances the jobs run, and SchedulableContext. A job
// fires when the org clock passes its NextFireTime (LocalOrg.advanceClock runs it, each run in a
// transaction of its own, as the job's owner); in an Apex test a job scheduled between
// Test.startTest and Test.stopTest runs once, at Test.stopTest.
import type { Loc } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import { isInstance } from "../runtime/conversion.js";
import { throwApex } from "../runtime/errors.js";
import { str } from "../runtime/operators.js";
import { ApexDatetime, ApexObject, NativeObject, type Value } from "../runtime/values.js";
import type { DataEngine } from "../data/engine.js";
import { currentUserId } from "../data/fixed-ids.js";
import { CronExpressionError, nextFireTime, parseCron, type CronSchedule } from "./cron.js";

/** Scheduled Apex jobs an org may have at one time. */
const MAX_SCHEDULED_JOBS = 100;
/** CronJobDetail.JobType of scheduled Apex. */
const SCHEDULED_APEX = "7";

/** A job whose time has come: its trigger, and the time it fires at. */
export interface DueJob {
  triggerId: string;
  name: string;
  firesAt: number;
}

/** A scheduled run that ended with an unhandled exception (its work was rolled back). */
export interface FailedScheduledJob {
  name: string;
  triggerId: string;
  /** When it fired, as an ISO date/time. */
  firedAt: string;
  message: string;
}

/** How the layers above run one scheduled run: as its own transaction; returns the error message when it failed. */
export type ScheduledRunTransaction = (description: string, body: () => void) => string | null;

interface Job {
  schedulable: ApexObject;
  schedule: CronSchedule;
}

export class ApexScheduler {
  /** The Schedulable and parsed expression of each CronTrigger id. The CronTrigger row is what
   * says whether the job exists: a rolled-back System.schedule leaves an entry with no row. */
  private readonly jobs = new Map<string, Job>();
  readonly failures: FailedScheduledJob[] = [];

  constructor(
    private readonly runtime: RuntimeContext,
    private readonly data: DataEngine
  ) {}

  private object(name: "CronTrigger" | "CronJobDetail") {
    return this.data.schema.get(name)!;
  }

  /** CronTrigger rows of jobs that are still scheduled (not DELETED). */
  private liveTriggers() {
    return [...this.data.table(this.object("CronTrigger")).values()].filter((row) => row.get("state") !== "DELETED");
  }

  private jobName(trigger: Map<string, Value>): string {
    const detailId = trigger.get("cronjobdetailid");
    const detail = typeof detailId === "string" ? this.data.findById(detailId) : null;
    return String(detail?.rec.get("name") ?? "");
  }

  /** System.schedule(jobName, cronExpression, schedulable): the new CronTrigger's id. */
  schedule(args: Value[], loc: Loc): Value {
    const runtime = this.runtime;
    const [nameValue, expressionValue, schedulable] = args;
    if (nameValue === null || expressionValue === null || schedulable === null)
      throwApex(runtime, "NullPointerException", "Argument cannot be null.");
    if (
      !(schedulable instanceof ApexObject) ||
      !isInstance(schedulable, { kind: "class", cls: runtime.systemTypes.get("schedulable")! })
    )
      throwApex(
        runtime,
        "TypeException",
        `Scheduled Apex must implement the Schedulable interface: ${str(runtime, schedulable)}`
      );
    const name = str(runtime, nameValue);
    const expression = str(runtime, expressionValue);
    let schedule: CronSchedule;
    try {
      schedule = parseCron(expression);
    } catch (error) {
      if (error instanceof CronExpressionError) throwApex(runtime, "StringException", error.message);
      throw error;
    }
    const now = runtime.clock.now();
    const next = nextFireTime(schedule, now);
    if (next === null)
      throwApex(
        runtime,
        "StringException",
        "Based on configured schedule, the given trigger 'SCHEDULED_APEX_JOB_TYPE.000000000000000' will never fire."
      );
    const live = this.liveTriggers();
    if (live.some((trigger) => this.jobName(trigger) === name))
      throwApex(runtime, "AsyncException", `The Apex job named "${name}" is already scheduled for execution.`);
    if (live.length >= MAX_SCHEDULED_JOBS)
      throwApex(
        runtime,
        "AsyncException",
        `You have exceeded the maximum number (${MAX_SCHEDULED_JOBS}) of Apex scheduled jobs.`
      );
    const data = this.data;
    const detailId = data.insertSystemRecord(this.object("CronJobDetail"), { Name: name, JobType: SCHEDULED_APEX });
    const triggerId = data.insertSystemRecord(this.object("CronTrigger"), {
      CronExpression: expression,
      CronJobDetailId: detailId,
      EndTime: null,
      NextFireTime: new ApexDatetime(next),
      OwnerId: currentUserId(runtime.transaction),
      PreviousFireTime: null,
      StartTime: new ApexDatetime(now),
      State: "WAITING",
      TimesTriggered: 0,
      TimeZoneSidKey: "GMT"
    });
    this.jobs.set(triggerId, { schedulable, schedule });
    // In a test, a job scheduled between Test.startTest and Test.stopTest runs once at Test.stopTest.
    const test = runtime.transaction.test;
    if (test && test.started && !test.stopped)
      runtime.transaction.enqueue({
        kind: "scheduled",
        run: () => {
          this.recordRun(triggerId);
          try {
            this.execute(triggerId, loc);
          } finally {
            this.settle(triggerId);
          }
        }
      });
    return triggerId;
  }

  /** Whether an id is a CronTrigger's. */
  isTriggerId(id: string): boolean {
    return id.startsWith(this.object("CronTrigger").keyPrefix);
  }

  /** System.abortJob for a CronTrigger id: the job is DELETED and its name free again. */
  abort(triggerId: string) {
    const trigger = this.data.findById(triggerId);
    if (!trigger || trigger.rec.get("state") === "DELETED") return;
    this.data.updateSystemRecord(triggerId, { State: "DELETED", NextFireTime: null });
  }

  /** The earliest NextFireTime of the scheduled jobs, or null when none waits. */
  nextDue(): number | null {
    let earliest: number | null = null;
    for (const trigger of this.liveTriggers()) {
      const next = trigger.get("nextfiretime");
      if (trigger.get("state") !== "WAITING" || !(next instanceof ApexDatetime)) continue;
      if (!this.jobs.has(String(trigger.get("id")))) continue;
      if (earliest === null || next.ms < earliest) earliest = next.ms;
    }
    return earliest;
  }

  /** Jobs whose NextFireTime is at or before `now`, earliest first. */
  dueJobs(now: number): DueJob[] {
    const due: DueJob[] = [];
    for (const trigger of this.liveTriggers()) {
      const next = trigger.get("nextfiretime");
      const triggerId = String(trigger.get("id"));
      if (trigger.get("state") !== "WAITING" || !(next instanceof ApexDatetime) || next.ms > now) continue;
      if (!this.jobs.has(triggerId)) continue;
      due.push({ triggerId, name: this.jobName(trigger), firesAt: next.ms });
    }
    return due.sort((a, b) => a.firesAt - b.firesAt || a.triggerId.localeCompare(b.triggerId));
  }

  /** Fires a due job: records the run on its CronTrigger (which a rollback of the run keeps), then
   * runs execute in its own transaction as the job's owner. */
  runDue(job: DueJob, runTransaction: ScheduledRunTransaction) {
    const transaction = this.runtime.transaction;
    const owner = this.data.findById(job.triggerId)?.rec.get("ownerid");
    this.recordRun(job.triggerId);
    const message = runTransaction(`scheduled Apex: ${job.name}`, () => {
      const previousUser = transaction.runAsUserId;
      const previousKind = transaction.asyncKind;
      transaction.runAsUserId = typeof owner === "string" ? owner : null;
      transaction.asyncKind = "scheduled";
      try {
        this.execute(job.triggerId, { file: "scheduled", line: 0 });
      } finally {
        transaction.runAsUserId = previousUser;
        transaction.asyncKind = previousKind;
      }
    });
    this.settle(job.triggerId);
    if (message !== null)
      this.failures.push({
        name: job.name,
        triggerId: job.triggerId,
        firedAt: new Date(job.firesAt).toISOString(),
        message
      });
  }

  /** Counts a run on the CronTrigger: EXECUTING, fired at its NextFireTime, the next one after that. */
  private recordRun(triggerId: string) {
    const job = this.jobs.get(triggerId);
    const trigger = this.data.findById(triggerId);
    if (!job || !trigger || trigger.rec.get("state") === "DELETED") return;
    const scheduledAt = trigger.rec.get("nextfiretime");
    const firedAt = scheduledAt instanceof ApexDatetime ? scheduledAt.ms : this.runtime.clock.now();
    const next = nextFireTime(job.schedule, firedAt);
    this.data.updateSystemRecord(triggerId, {
      State: "EXECUTING",
      PreviousFireTime: new ApexDatetime(firedAt),
      NextFireTime: next === null ? null : new ApexDatetime(next),
      TimesTriggered: Number(trigger.rec.get("timestriggered") ?? 0) + 1
    });
  }

  /** Calls the Schedulable's execute with a SchedulableContext, if the job still runs. */
  private execute(triggerId: string, loc: Loc) {
    const job = this.jobs.get(triggerId);
    const trigger = this.data.findById(triggerId);
    if (!job || !trigger || trigger.rec.get("state") !== "EXECUTING") return;
    const context = new NativeObject("SchedulableContext", { triggerId });
    this.runtime.callMethod(job.schedulable, "execute", [context], loc);
  }

  /** After a run: WAITING for the next fire time, or DELETED when there is none (unless the job aborted itself). */
  private settle(triggerId: string) {
    const trigger = this.data.findById(triggerId);
    if (!trigger || trigger.rec.get("state") !== "EXECUTING") return;
    const hasNext = trigger.rec.get("nextfiretime") instanceof ApexDatetime;
    this.data.updateSystemRecord(triggerId, { State: hasNext ? "WAITING" : "DELETED" });
  }
}
