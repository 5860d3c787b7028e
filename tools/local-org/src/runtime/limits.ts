// Governor limits for one transaction (synchronous values) and the counters against them.

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
  /** EventBus.publish calls of events published immediately (a limit of its own, not DML). */
  publishImmediateDml: 150,
  /** Maximum cumulative timeout for all callouts in a transaction, in milliseconds. */
  calloutTime: 120000
} as const;

export type CountedLimit =
  "queries" | "queryRows" | "dmlStatements" | "dmlRows" | "callouts" | "queueableJobs" | "futureCalls";

export class Limits {
  /** The most each counted limit allows: the platform's, unless a transaction has its own (an
   * @AuraEnabled(cacheable=true) method may not run DML at all). */
  constructor(readonly maximums: Readonly<Record<CountedLimit, number>> = LIMITS) {}

  queries = 0;
  queryRows = 0;
  dmlStatements = 0;
  dmlRows = 0;
  callouts = 0;
  queueableJobs = 0;
  futureCalls = 0;
  /** Messaging.sendEmail calls. */
  emailInvocations = 0;
  /** EventBus.publish calls of events published immediately. */
  publishImmediateDml = 0;
  /** Milliseconds the transaction's callouts spent waiting for their answers. */
  calloutTime = 0;
  statements = 0;
  private readonly startedAt = process.cpuUsage();
  /** Calls since the transaction started, for sampling the CPU time. */
  ticks = 0;

  /** Milliseconds of CPU time this process spent in the transaction (the interpreter's, so
   * somewhat more than the platform would count for the same code). */
  cpuTime(): number {
    const used = process.cpuUsage(this.startedAt);
    return Math.round((used.user + used.system) / 1000);
  }
}
