// Cron expressions of scheduled Apex: what the platform accepts and refuses, and when each fires
// (the running user is in GMT, so times are UTC).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CronExpressionError, nextFireTime, parseCron } from "../src/stdlib/cron.js";

const at = (iso: string) => Date.parse(iso);

/** The next `count` fire times after `after`, as ISO date/times. */
function fires(expression: string, after: string, count = 3): string[] {
  const schedule = parseCron(expression);
  const out: string[] = [];
  let time = at(after);
  for (let i = 0; i < count; i++) {
    const next = nextFireTime(schedule, time);
    if (next === null) break;
    out.push(new Date(next).toISOString().replace(".000Z", "Z"));
    time = next;
  }
  return out;
}

const refused = (expression: string, message: string) =>
  assert.throws(
    () => parseCron(expression),
    (error: Error) => error instanceof CronExpressionError && error.message === message,
    expression
  );

test("the documented examples: daily at 1 PM, weekdays at 10 AM, the last Friday at 10 PM, only in one year", () => {
  assert.deepEqual(fires("0 0 13 * * ?", "2026-03-10T13:00:00Z"), [
    "2026-03-11T13:00:00Z",
    "2026-03-12T13:00:00Z",
    "2026-03-13T13:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 10 ? * MON-FRI", "2026-03-13T11:00:00Z"), [
    "2026-03-16T10:00:00Z",
    "2026-03-17T10:00:00Z",
    "2026-03-18T10:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 22 ? * 6L", "2026-03-01T00:00:00Z"), [
    "2026-03-27T22:00:00Z",
    "2026-04-24T22:00:00Z",
    "2026-05-29T22:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 20 * * ? 2027", "2026-03-01T00:00:00Z", 1), ["2027-01-01T20:00:00Z"]);
  assert.deepEqual(fires("0 0 20 * * ? 2010", "2026-03-01T00:00:00Z"), []);
});

test("fire times are strictly after the given time, to the second", () => {
  assert.deepEqual(fires("30 15 9 * * ?", "2026-03-10T09:15:29.500Z", 1), ["2026-03-10T09:15:30Z"]);
  assert.deepEqual(fires("30 15 9 * * ?", "2026-03-10T09:15:30Z", 1), ["2026-03-11T09:15:30Z"]);
});

test("lists, ranges, increments and names in hours, days, months and years", () => {
  assert.deepEqual(fires("0 0 8,12-13 * * ?", "2026-03-10T09:00:00Z"), [
    "2026-03-10T12:00:00Z",
    "2026-03-10T13:00:00Z",
    "2026-03-11T08:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 0/6 * * ?", "2026-03-10T01:00:00Z"), [
    "2026-03-10T06:00:00Z",
    "2026-03-10T12:00:00Z",
    "2026-03-10T18:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 * * * ?", "2026-03-10T23:30:00Z", 2), ["2026-03-11T00:00:00Z", "2026-03-11T01:00:00Z"]);
  assert.deepEqual(fires("0 0 3 1/10 * ?", "2026-03-10T00:00:00Z"), [
    "2026-03-11T03:00:00Z",
    "2026-03-21T03:00:00Z",
    "2026-03-31T03:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 0 1 JAN,jul ?", "2026-03-10T00:00:00Z", 2), [
    "2026-07-01T00:00:00Z",
    "2027-01-01T00:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 0 ? * SAT-MON", "2026-03-11T00:00:00Z"), [
    "2026-03-14T00:00:00Z",
    "2026-03-15T00:00:00Z",
    "2026-03-16T00:00:00Z"
  ]);
  // A range that ends before it starts wraps past midnight.
  assert.deepEqual(fires("0 0 22-2 15 * ?", "2026-03-15T21:00:00Z", 5), [
    "2026-03-15T22:00:00Z",
    "2026-03-15T23:00:00Z",
    "2026-04-15T00:00:00Z",
    "2026-04-15T01:00:00Z",
    "2026-04-15T02:00:00Z"
  ]);
  assert.deepEqual(fires("0 0 12 29 2 ? 2027-2029", "2026-01-01T00:00:00Z"), ["2028-02-29T12:00:00Z"]);
});

test("L, W and # as the platform defines them", () => {
  // L: the last day of the month, February in a leap year included.
  assert.deepEqual(fires("0 0 0 L * ?", "2028-01-31T12:00:00Z", 2), ["2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z"]);
  // LW: the last weekday. May 2026 ends on a Sunday, so Friday the 29th.
  assert.deepEqual(fires("0 0 0 LW * ?", "2026-05-01T00:00:00Z", 1), ["2026-05-29T00:00:00Z"]);
  // 20W: the weekday nearest the 20th. June 20, 2026 is a Saturday: Friday the 19th.
  assert.deepEqual(fires("0 0 0 20W * ?", "2026-06-01T00:00:00Z", 1), ["2026-06-19T00:00:00Z"]);
  // 1W when the 1st is a Saturday (August 2026): Monday the 3rd, never the month before.
  assert.deepEqual(fires("0 0 0 1W * ?", "2026-07-02T00:00:00Z", 1), ["2026-08-03T00:00:00Z"]);
  // 2#1: the first Monday; 6#3: the third Friday.
  assert.deepEqual(fires("0 0 9 ? * 2#1", "2026-03-10T00:00:00Z", 2), ["2026-04-06T09:00:00Z", "2026-05-04T09:00:00Z"]);
  assert.deepEqual(fires("0 0 9 ? * FRI#3", "2026-03-01T00:00:00Z", 1), ["2026-03-20T09:00:00Z"]);
  // L alone in the day of the week is Saturday.
  assert.deepEqual(fires("0 0 0 ? * L", "2026-03-10T00:00:00Z", 1), ["2026-03-14T00:00:00Z"]);
});

test("refused as the platform refuses them, with its messages", () => {
  refused("0 0 12 * *", "Unexpected end of expression.");
  refused("", "Unexpected end of expression.");
  refused("0 */5 * * * ?", "Seconds and minutes must be specified as integers: 0 */5 * * * ?");
  refused("0 0,30 * * * ?", "Seconds and minutes must be specified as integers: 0 0,30 * * * ?");
  refused("60 0 0 * * ?", "Minute and Second values must be between 0 and 59");
  refused("0 0 24 * * ?", "Hour values must be between 0 and 23");
  refused("0 0 0 32 * ?", "Day of month values must be between 1 and 31");
  refused("0 0 0 1 13 ?", "Month values must be between 1 and 12");
  refused("0 0 0 ? * 8", "Day-of-Week values must be between 1 and 7");
  refused("0 0 0 1 FOO ?", "Invalid Month value: 'FOO'");
  refused("0 0 0 ? * FUN", "Invalid Day-of-Week value: 'FUN'");
  refused("0 0 0 * * *", "Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.");
  refused("0 0 0 ? * ?", "Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.");
  refused(
    "0 0 0 1 * MON",
    "Support for specifying both a day-of-week AND a day-of-month parameter is not implemented."
  );
  refused("0 0 ? * * ?", "'?' can only be specified for Day-of-Month or Day-of-Week.");
  refused("0 0 0 ? * 2#6", "A numeric value between 1 and 5 must follow the '#' option");
  refused("0 0 0 ? * 2#1,3#2", 'Support for specifying multiple "nth" days is not implemented.');
  refused("0 0 0 L,15 * ?", "Support for specifying 'L' and 'LW' with other days of the month is not implemented");
  refused("0 0 0 ? * 2L,3", "Support for specifying 'L' with other days of the week is not implemented");
  refused("0 0 0 5#1 * ?", "'#' option is not valid here. (pos=1)");
  refused("0 0 0 ? * 2W", "'W' option is not valid here. (pos=1)");
  refused("0 0 0/25 * * ?", "Increment > 24 : 25");
  refused("0 0 0 * * ? 1969", "Year values must be between 1970 and 2099");
});
