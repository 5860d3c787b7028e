// The running transaction: its limits, the running user, uncommitted work, the test state
// of a test method, and the asynchronous jobs queued to run after it.
import { Limits } from "./limits.js";
import type { Value } from "./values.js";

/** Work that runs later in its own transaction (Queueable jobs, @future calls, flow paths that
 * run asynchronously, scheduled Apex in a test). */
export interface AsyncJob {
  kind: "queueable" | "future" | "flow" | "scheduled" | "event";
  run: () => void;
}

/** What Trigger.new, Trigger.old and the other context variables say while an Apex trigger runs. */
export interface TriggerFrame {
  /** The trigger's name, as stack traces and error messages name it. */
  name: string;
  timing: "before" | "after";
  operation: "insert" | "update" | "delete";
  /** Trigger.new and Trigger.old (lists of records), Trigger.newMap and Trigger.oldMap (maps by
   * Id); null where the operation has none. */
  newList: Value;
  oldList: Value;
  newMap: Value;
  oldMap: Value;
  size: number;
}

/** An email or custom notification a transaction sent: it leaves Salesforce only if the
 * transaction commits (a rollback drops it). */
export interface OutgoingMessage {
  kind: "email" | "notification";
  message: Record<string, unknown>;
}

/** Set while a test method runs. */
export interface TestContext {
  started: boolean;
  stopped: boolean;
  /** The HttpCalloutMock given to Test.setMock. */
  mock: Value;
  /** Jobs queued by the test, run at Test.stopTest or when the method ends. */
  queued: AsyncJob[];
  runningAsync: boolean;
  /** The limits before Test.startTest, restored by Test.stopTest. */
  limitsBeforeStart: Limits | null;
  /** Platform events the test published immediately, delivered by Test.getEventBus().deliver()
   * or at Test.stopTest (the event bus of the system library knows their shape). */
  events: unknown[];
}

export class Transaction {
  limits = new Limits();
  /** DML ran since the last callout boundary: a callout now is refused. */
  uncommittedDml = false;
  /** Above zero while synchronous record-triggered automation runs, where callouts are refused. */
  refuseCallouts = 0;
  /** The user of an enclosing System.runAs block; null means the default user. */
  runAsUserId: string | null = null;
  test: TestContext | null = null;
  /** Work queued with System.enqueueJob or @future outside tests; run after the transaction. */
  asyncQueue: AsyncJob[] = [];
  /** The kind of asynchronous work running now, if any. */
  asyncKind: AsyncJob["kind"] | null = null;
  debugLog: string[] = [];
  /** The Apex triggers running now, innermost last (Trigger.new and the others read the last). */
  triggers: TriggerFrame[] = [];
  /** Emails and custom notifications sent in this transaction, not committed yet. */
  outgoing: OutgoingMessage[] = [];

  /** Starts a new transaction: fresh limits, nothing uncommitted, no test running. */
  begin() {
    this.limits = new Limits();
    this.uncommittedDml = false;
    this.test = null;
    this.triggers = [];
  }

  /** Starts a test method's transaction. */
  beginTest() {
    this.begin();
    // A test sends no email or notification.
    this.outgoing = [];
    this.test = {
      started: false,
      stopped: false,
      mock: null,
      queued: [],
      events: [],
      runningAsync: false,
      limitsBeforeStart: null
    };
  }

  /** Queues a job: for the test's Test.stopTest, or for after this transaction. */
  enqueue(job: AsyncJob) {
    if (this.test) this.test.queued.push(job);
    else this.asyncQueue.push(job);
  }

  /** Runs one queued job in its own transaction. */
  runJob(job: AsyncJob) {
    this.limits = new Limits();
    this.uncommittedDml = false;
    const previous = this.asyncKind;
    this.asyncKind = job.kind;
    try {
      job.run();
    } finally {
      this.asyncKind = previous;
    }
  }

  /** Runs the test's queued jobs, each in its own transaction with fresh limits. */
  runQueued() {
    const test = this.test;
    if (!test) return;
    const jobs = test.queued.splice(0);
    const outer = this.limits;
    test.runningAsync = true;
    try {
      for (const job of jobs) this.runJob(job);
    } finally {
      test.runningAsync = false;
      this.limits = outer;
    }
  }
}
