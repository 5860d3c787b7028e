// Governor limits for one transaction (synchronous values).
import type { RuntimeContext } from "./context.js";
import { throwApex } from "./errors.js";

export const LIMITS = {
  queries: 100,
  queryRows: 50000,
  dmlStatements: 150,
  dmlRows: 10000,
  callouts: 100,
  queueableJobs: 50,
  cpuTime: 10000,
  futureCalls: 50,
  emailInvocations: 10
} as const;

export type CountedLimit =
  "queries" | "queryRows" | "dmlStatements" | "dmlRows" | "callouts" | "queueableJobs" | "futureCalls";

export class Limits {
  queries = 0;
  queryRows = 0;
  dmlStatements = 0;
  dmlRows = 0;
  callouts = 0;
  queueableJobs = 0;
  futureCalls = 0;
  statements = 0;
  private readonly startedAt = process.cpuUsage();
  private ticks = 0;

  /** Milliseconds of CPU time this process spent in the transaction (the interpreter's, so
   * somewhat more than the platform would count for the same code). */
  cpuTime(): number {
    const used = process.cpuUsage(this.startedAt);
    return Math.round((used.user + used.system) / 1000);
  }

  tickCpu(runtime: RuntimeContext) {
    if ((++this.ticks & 1023) !== 0) return;
    if (this.cpuTime() > LIMITS.cpuTime) throwApex(runtime, "LimitException", "Apex CPU time limit exceeded");
  }

  count(runtime: RuntimeContext, limit: CountedLimit, amount = 1) {
    this[limit] += amount;
    if (this[limit] > LIMITS[limit]) {
      const messages: Record<CountedLimit, string> = {
        queries: "Too many SOQL queries: " + this.queries,
        queryRows: "Too many query rows: " + this.queryRows,
        dmlStatements: "Too many DML statements: " + this.dmlStatements,
        dmlRows: "Too many DML rows: " + this.dmlRows,
        callouts: "Too many callouts: " + this.callouts,
        queueableJobs: "Too many queueable jobs added to the queue: " + this.queueableJobs,
        futureCalls: "Too many future calls: " + this.futureCalls
      };
      throwApex(runtime, "LimitException", messages[limit]);
    }
  }
}
