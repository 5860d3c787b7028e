// Counting work against the governor limits: going over one raises a LimitException, which
// Apex code cannot catch.
import type { RuntimeContext } from "./context.js";
import { throwApex } from "./errors.js";
import { LIMITS, type CountedLimit } from "./limits.js";

const MESSAGES: Record<CountedLimit, string> = {
  queries: "Too many SOQL queries: ",
  queryRows: "Too many query rows: ",
  dmlStatements: "Too many DML statements: ",
  dmlRows: "Too many DML rows: ",
  callouts: "Too many callouts: ",
  queueableJobs: "Too many queueable jobs added to the queue: ",
  futureCalls: "Too many future calls: "
};

/** Adds `amount` to a counted limit of the running transaction. */
export function countLimit(runtime: RuntimeContext, limit: CountedLimit, amount = 1) {
  const limits = runtime.transaction.limits;
  limits[limit] += amount;
  if (limits[limit] > limits.maximums[limit]) throwApex(runtime, "LimitException", MESSAGES[limit] + limits[limit]);
}

/** Checks the CPU time every 1024 calls (reading it is not free). */
export function tickCpu(runtime: RuntimeContext) {
  const limits = runtime.transaction.limits;
  if ((++limits.ticks & 1023) !== 0) return;
  if (limits.cpuTime() > LIMITS.cpuTime) throwApex(runtime, "LimitException", "Apex CPU time limit exceeded");
}
