/**
 * The fake's control endpoints under /__fake/: what a test or a person changes in a fake that runs in another
 * process (started by the command line). Each route calls the same method of the programmatic API.
 *
 *   GET    /__fake/requests        the request log, with the stored customers and subscriptions
 *   DELETE /__fake/requests        empties the request log
 *   GET    /__fake/faults          the fault rules in force
 *   POST   /__fake/faults          adds rules: a rule object, {"spec": "503,times=2"}, or an array of either
 *   DELETE /__fake/faults[/ID]     ends one rule, or all
 *   POST   /__fake/reset           empties the environment, the request log and the faults
 *   GET    /__fake/state           the environment: clock, customers, subscriptions, credit grants, workflow runs
 *   GET    /__fake/clock           the environment's clock
 *   POST   /__fake/clock           moves it forward: {"now": ISO}, {"advanceDays": n} or {"advanceMs": n}
 *   PATCH  /__fake/subscriptions/ID  changes a subscription as if by hand in the Stigg app (drift)
 *   POST   /__fake/usage           sets a feature's usage: {"customerId", "featureId", "currentUsage"}
 *   POST   /__fake/credits/consume consumes credits: {"customerId", "currencyId", "amount"}
 */
import { StateEditError } from "./environment";
import type { FakeStigg } from "./server";
import type { SubscriptionEdit } from "./state";
import { checkFaultRule, FaultRuleError, type FaultRule, parseFaultSpec } from "./faults";

export interface ControlAnswer {
  status: number;
  body: unknown;
}

type Control = Omit<FakeStigg, "url" | "close">;

/** A request body that does not say what the route needs; answered 400 with the message. */
class ControlRequestError extends Error {}

function parseBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ControlRequestError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A JSON object body; the example in the message shows what the route takes. */
function objectBody(raw: string, example: string): Record<string, unknown> {
  const body = parseBody(raw);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ControlRequestError(`The body must be a JSON object such as ${example}`);
  }
  return body as Record<string, unknown>;
}

function ruleOf(entry: unknown): FaultRule | string {
  if (typeof entry === "object" && entry !== null && "spec" in entry) {
    const { spec } = entry as { spec: unknown };
    if (typeof spec !== "string") throw new ControlRequestError('spec must be a string such as "503,times=2"');
    return spec;
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new ControlRequestError('A fault is a JSON object such as {"kind": "http-error", "status": 503}');
  }
  return entry as FaultRule;
}

function moveClock(fake: Control, body: unknown): void {
  const move = (body ?? {}) as { now?: unknown; advanceDays?: unknown; advanceMs?: unknown };
  const given = Object.keys(move);
  if (given.length !== 1 || !["now", "advanceDays", "advanceMs"].includes(given[0])) {
    throw new ControlRequestError(
      'Move the clock with one of {"now": "2030-01-31T00:00:00Z"}, {"advanceDays": 31}, {"advanceMs": 1000}'
    );
  }
  try {
    if (typeof move.now === "string") fake.clock.set(move.now);
    else if (typeof move.advanceDays === "number") fake.clock.advanceDays(move.advanceDays);
    else if (typeof move.advanceMs === "number") fake.clock.advance(move.advanceMs);
    else throw new ControlRequestError(`${given[0]} must be ${given[0] === "now" ? "an ISO date-time" : "a number"}`);
  } catch (error) {
    if (error instanceof RangeError) throw new ControlRequestError(error.message);
    throw error;
  }
}

export function handleControl(method: string, url: string, raw: string, fake: Control): ControlAnswer {
  const path = url.split("?")[0].replace(/\/+$/, "");
  try {
    if (path === "/__fake/requests" && method === "GET") {
      return {
        status: 200,
        body: { requests: fake.requests, customers: [...fake.customers.values()], subscriptions: fake.subscriptions }
      };
    }
    if (path === "/__fake/requests" && method === "DELETE") {
      const cleared = fake.requests.length;
      fake.clearRequests();
      return { status: 200, body: { cleared } };
    }
    if (path === "/__fake/faults" && method === "GET") {
      return { status: 200, body: { faults: fake.activeFaults() } };
    }
    if (path === "/__fake/faults" && method === "POST") {
      const body = parseBody(raw);
      const entries = Array.isArray(body) ? body : [body];
      // Check every rule before adding any, so a bad one in a list leaves nothing half-applied.
      const rules = entries.map(ruleOf).map((rule) => (typeof rule === "string" ? parseFaultSpec(rule) : rule));
      rules.forEach(checkFaultRule);
      return { status: 201, body: { faults: rules.map((rule) => fake.injectFault(rule)) } };
    }
    const one = /^\/__fake\/faults(?:\/(\d+))?$/.exec(path);
    if (one && method === "DELETE") {
      return { status: 200, body: { cleared: fake.clearFaults(one[1] === undefined ? undefined : Number(one[1])) } };
    }
    if (path === "/__fake/state" && method === "GET") {
      return {
        status: 200,
        body: {
          now: fake.clock.now().toISOString(),
          customers: [...fake.customers.values()],
          subscriptions: fake.subscriptions,
          creditGrants: fake.creditGrants,
          workflowRuns: fake.workflowRuns
        }
      };
    }
    if (path === "/__fake/clock" && method === "GET") {
      return { status: 200, body: { now: fake.clock.now().toISOString() } };
    }
    if (path === "/__fake/clock" && method === "POST") {
      moveClock(fake, parseBody(raw));
      return { status: 200, body: { now: fake.clock.now().toISOString() } };
    }
    const edited = /^\/__fake\/subscriptions\/([^/]+)$/.exec(path);
    if (edited && method === "PATCH") {
      const edit = objectBody(raw, '{"addons": [{"addonId": "addon-extra-seats", "quantity": 3}]}');
      return {
        status: 200,
        body: { subscription: fake.editSubscription(decodeURIComponent(edited[1]), edit as SubscriptionEdit) }
      };
    }
    if (path === "/__fake/usage" && method === "POST") {
      const usage = objectBody(raw, '{"customerId": "acme", "featureId": "feature-api-calls", "currentUsage": 1200}');
      fake.setUsage(usage.customerId as string, usage.featureId as string, usage.currentUsage as number);
      return { status: 200, body: { usage } };
    }
    if (path === "/__fake/credits/consume" && method === "POST") {
      const consumed = objectBody(raw, '{"customerId": "acme", "currencyId": "credits-ai-tokens", "amount": 100}');
      fake.consumeCredits(consumed.customerId as string, consumed.currencyId as string, consumed.amount as number);
      return { status: 200, body: { consumed } };
    }
    if (path === "/__fake/reset" && method === "POST") {
      fake.reset();
      return { status: 200, body: { reset: true } };
    }
    return { status: 404, body: { error: `No control route ${method} ${path}` } };
  } catch (error) {
    if (error instanceof StateEditError) return { status: error.notFound ? 404 : 400, body: { error: error.message } };
    if (error instanceof ControlRequestError || error instanceof FaultRuleError) {
      return { status: 400, body: { error: error.message } };
    }
    throw error;
  }
}
