// Governor limits for one transaction (synchronous values).
import type { Interpreter } from "../interpreter/interpreter.js";

export const LIMITS = {
  queries: 100,
  queryRows: 50000,
  dmlStatements: 150,
  dmlRows: 10000,
  callouts: 100,
  queueableJobs: 50,
  cpuTime: 10000,
  futureCalls: 50,
  emailInvocations: 10,
  /** Maximum cumulative timeout for all callouts in a transaction, in milliseconds. */
  calloutTime: 120000
} as const;

export class Limits {
  queries = 0;
  queryRows = 0;
  dmlStatements = 0;
  dmlRows = 0;
  callouts = 0;
  queueableJobs = 0;
  futureCalls = 0;
  /** Milliseconds the transaction's callouts spent waiting for their answers. */
  calloutTime = 0;
  statements = 0;
  private readonly startedAt = process.cpuUsage();
  private ticks = 0;

  /** Milliseconds of CPU time this process spent in the transaction (the interpreter's, so
   * somewhat more than the platform would count for the same code). */
  cpuTime(): number {
    const used = process.cpuUsage(this.startedAt);
    return Math.round((used.user + used.system) / 1000);
  }

  tickCpu(rt: Interpreter) {
    if ((++this.ticks & 1023) !== 0) return;
    if (this.cpuTime() > LIMITS.cpuTime) rt.throwApex("LimitException", "Apex CPU time limit exceeded");
  }

  count(
    rt: Interpreter,
    kind: "queries" | "queryRows" | "dmlStatements" | "dmlRows" | "callouts" | "queueableJobs" | "futureCalls",
    n = 1
  ) {
    this[kind] += n;
    if (this[kind] > LIMITS[kind]) {
      const messages: Record<typeof kind, string> = {
        queries: "Too many SOQL queries: " + this.queries,
        queryRows: "Too many query rows: " + this.queryRows,
        dmlStatements: "Too many DML statements: " + this.dmlStatements,
        dmlRows: "Too many DML rows: " + this.dmlRows,
        callouts: "Too many callouts: " + this.callouts,
        queueableJobs: "Too many queueable jobs added to the queue: " + this.queueableJobs,
        futureCalls: "Too many future calls: " + this.futureCalls
      };
      rt.throwApex("LimitException", messages[kind]);
    }
  }
}
