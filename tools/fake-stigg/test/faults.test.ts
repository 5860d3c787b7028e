import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { FaultBook, parseDuration } from "../src/faults";
import {
  type ActiveFault,
  type FakeStigg,
  FaultRuleError,
  parseFaultSpec,
  type RecordedRequest,
  startFakeStigg
} from "../src/server";

const KEY = "server-fault-key";
let stigg: FakeStigg;

before(async () => {
  stigg = await startFakeStigg({ apiKey: KEY, environmentSlug: "acme-faults" });
});
after(() => stigg.close());
beforeEach(() => stigg.reset());

interface RawReply {
  status: number;
  headers: Headers;
  text: string;
}

const ONE_CUSTOMER =
  "mutation SfProvisionCustomers($in0: ProvisionCustomerInput!) { " +
  "r0: provisionCustomer(input: $in0) { customer { customerId } } }";
const TWO_CUSTOMERS =
  "mutation SfProvisionCustomers($in0: ProvisionCustomerInput!, $in1: ProvisionCustomerInput!) { " +
  "r0: provisionCustomer(input: $in0) { customer { customerId } } " +
  "r1: provisionCustomer(input: $in1) { customer { customerId } } }";
const TWO_SUBSCRIPTIONS =
  "mutation SfProvisionSubscriptions($in0: ProvisionSubscriptionInput!, $in1: ProvisionSubscriptionInput!) { " +
  "r0: provisionSubscriptionV2(input: $in0) { status subscription { subscriptionId } } " +
  "r1: provisionSubscriptionV2(input: $in1) { status subscription { subscriptionId } } }";

async function post(
  query: string,
  variables: Record<string, unknown>,
  options: { apiKey?: string; timeoutMs?: number } = {}
): Promise<RawReply> {
  const response = await fetch(`${stigg.url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-API-KEY": options.apiKey ?? KEY },
    body: JSON.stringify({ query, operationName: /^(?:query|mutation)\s+(\w+)/.exec(query)?.[1], variables }),
    signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs)
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function provisionCustomer(customerId: string): Promise<RawReply> {
  return post(ONE_CUSTOMER, { in0: { customerId } });
}

function errorsOf(reply: RawReply): { message: string; path?: string[]; extensions?: Record<string, unknown> }[] {
  return (JSON.parse(reply.text) as { errors: [] }).errors;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 5000; waited += 20) {
    if (condition()) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  assert.fail(`gave up waiting for ${what}`);
}

describe("fault: HTTP 5xx", () => {
  it("answers 503 to the next two requests without running them, then answers normally", async () => {
    const fault = stigg.injectFault({ kind: "http-error", status: 503, times: 2 });
    const first = await provisionCustomer("c-1");
    const second = await provisionCustomer("c-2");
    const third = await provisionCustomer("c-3");
    assert.deepEqual([first.status, second.status, third.status], [503, 503, 200]);
    assert.equal(errorsOf(first)[0].message, "503 Service Unavailable");
    assert.equal(first.headers.get("retry-after"), null);
    assert.deepEqual([...stigg.customers.keys()], ["c-3"]);
    assert.deepEqual(
      stigg.requests.map((request) => [request.httpStatus, request.fault?.id ?? null, request.fault?.kind ?? null]),
      [
        [503, fault.id, "http-error"],
        [503, fault.id, "http-error"],
        [200, null, null]
      ]
    );
    assert.deepEqual(stigg.activeFaults(), [], "a rule for two requests ends after two");
  });

  it("answers 500 only to the operation it names, by root field or by operation name", async () => {
    stigg.injectFault({ kind: "http-error", status: 500, operation: "provisionSubscriptionV2" });
    assert.equal((await provisionCustomer("c-1")).status, 200);
    const subscriptions = await post(TWO_SUBSCRIPTIONS, {
      in0: { customerId: "c-1", planId: "plan-basic" },
      in1: { customerId: "c-1", planId: "plan-pro" }
    });
    assert.equal(subscriptions.status, 500);
    assert.equal(errorsOf(subscriptions)[0].message, "500 Internal Server Error");
    assert.equal(stigg.subscriptions.length, 0);

    stigg.clearFaults();
    stigg.injectFault({ kind: "http-error", status: 500, operation: "SfProvisionCustomers" });
    assert.equal((await provisionCustomer("c-2")).status, 500);
  });

  it("sends Retry-After with a 503 when the rule sets it", async () => {
    stigg.injectFault({ kind: "http-error", status: 503, retryAfterSeconds: 120, times: 1 });
    const reply = await provisionCustomer("c-1");
    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get("retry-after"), "120");
  });
});

describe("fault: HTTP 429", () => {
  it("answers 429 with Retry-After and Stigg's RateLimitExceeded code", async () => {
    stigg.injectFault({ kind: "rate-limit", retryAfterSeconds: 30, times: 1 });
    const reply = await provisionCustomer("c-1");
    assert.equal(reply.status, 429);
    assert.equal(reply.headers.get("retry-after"), "30");
    assert.equal(errorsOf(reply)[0].extensions?.code, "RateLimitExceeded");
    assert.equal(stigg.customers.size, 0);
    assert.equal(stigg.requests[0].httpStatus, 429);
  });
});

describe("fault: slower than the client's timeout", () => {
  it("lets the client time out, and still runs the request when the delay ends", async () => {
    stigg.injectFault({ kind: "slow", delayMs: 1500, times: 1 });
    await assert.rejects(post(ONE_CUSTOMER, { in0: { customerId: "c-slow" } }, { timeoutMs: 100 }), (error: Error) => {
      assert.equal(error.name, "TimeoutError");
      return true;
    });
    assert.equal(stigg.customers.has("c-slow"), false, "nothing ran before the delay ended");
    assert.equal(stigg.requests[0].httpStatus, null, "recorded as unanswered while it waits");
    await until(() => stigg.requests[0].httpStatus !== null, "the slow answer");
    assert.equal(stigg.requests[0].httpStatus, 200);
    assert.equal(stigg.requests[0].fault?.kind, "slow");
    assert.equal(stigg.customers.has("c-slow"), true, "the write lands although the client gave up");
  });

  it("answers normally after the delay when the client waits long enough", async () => {
    stigg.injectFault({ kind: "slow", delayMs: 50, times: 1 });
    const reply = await post(ONE_CUSTOMER, { in0: { customerId: "c-patient" } }, { timeoutMs: 5000 });
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.text), { data: { r0: { customer: { customerId: "c-patient" } } } });
  });
});

describe("fault: dropped connection", () => {
  it("destroys the connection without an answer and without running the request", async () => {
    stigg.injectFault({ kind: "drop", times: 1 });
    await assert.rejects(provisionCustomer("c-dropped"), (error: Error) => {
      assert.equal(error.name, "TypeError");
      assert.match(String((error.cause as Error | undefined)?.message), /other side closed|socket hang up|ECONNRESET/);
      return true;
    });
    assert.equal(stigg.customers.has("c-dropped"), false);
    assert.equal(stigg.requests[0].httpStatus, null);
    assert.equal(stigg.requests[0].fault?.kind, "drop");
    assert.equal((await provisionCustomer("c-after")).status, 200, "the next request is answered");
  });

  it("with applied, runs the request and then loses the answer", async () => {
    stigg.injectFault({ kind: "drop", applied: true, times: 1 });
    await assert.rejects(provisionCustomer("c-lost-answer"));
    assert.equal(stigg.customers.has("c-lost-answer"), true);
    assert.equal(stigg.requests[0].httpStatus, null);
  });
});

describe("fault: a body that is not JSON", () => {
  it("answers an HTML page with HTTP 200 by default", async () => {
    stigg.injectFault({ kind: "non-json", times: 1 });
    const response = await fetch(`${stigg.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-KEY": KEY },
      body: JSON.stringify({ query: ONE_CUSTOMER, variables: { in0: { customerId: "c-1" } } })
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html");
    await assert.rejects(response.json(), SyntaxError);
    assert.equal(stigg.customers.size, 0);
  });

  it("answers the status, content type and body the rule gives", async () => {
    stigg.injectFault({ kind: "non-json", status: 502, body: '{"data": {"r0"', contentType: "application/json" });
    const reply = await provisionCustomer("c-1");
    assert.equal(reply.status, 502);
    assert.equal(reply.text, '{"data": {"r0"');
    assert.throws(() => JSON.parse(reply.text), SyntaxError);
  });

  it("refuses a body that is JSON, since it would not be the fault it says", () => {
    assert.throws(() => stigg.injectFault({ kind: "non-json", body: '{"data": null}' }), /must not be valid JSON/);
  });
});

describe("fault: a GraphQL error on one alias", () => {
  it("fails the alias it names with the given code while the other alias runs and answers", async () => {
    await provisionCustomer("c-1");
    stigg.injectFault({ kind: "alias-error", alias: "r1", code: "PlanNotFound", message: "Plan not found", times: 1 });
    const reply = await post(TWO_SUBSCRIPTIONS, {
      in0: { customerId: "c-1", planId: "plan-basic", salesforceId: "006A" },
      in1: { customerId: "c-1", planId: "plan-pro", salesforceId: "006B" }
    });
    assert.equal(reply.status, 200);
    const body = JSON.parse(reply.text) as {
      data: { r0: { status: string } | null; r1: unknown };
      errors: { message: string; path: string[]; extensions: { code: string; traceId: string } }[];
    };
    assert.equal(body.data.r0?.status, "SUCCESS");
    assert.equal(body.data.r1, null);
    assert.equal(body.errors.length, 1);
    assert.deepEqual(body.errors[0].path, ["r1"]);
    assert.equal(body.errors[0].extensions.code, "PlanNotFound");
    assert.match(body.errors[0].extensions.traceId, /^trace-\d{6}$/);
    assert.deepEqual(
      stigg.subscriptions.map((subscription) => subscription.salesforceId),
      ["006A"],
      "the failed alias changed nothing"
    );
    const recorded = stigg.requests.at(-1);
    assert.equal(recorded?.fault?.kind, "alias-error");
    assert.deepEqual(recorded?.errors, [{ message: "Plan not found", code: "PlanNotFound", path: ["r1"] }]);
  });

  it("nulls the whole data when the failed root field is non-null, as GraphQL does, after the other alias ran", async () => {
    stigg.injectFault({ kind: "alias-error", alias: "r1", times: 1 });
    const reply = await post(TWO_CUSTOMERS, { in0: { customerId: "c-ran" }, in1: { customerId: "c-failed" } });
    const body = JSON.parse(reply.text) as {
      data: unknown;
      errors: { path: string[]; extensions: { code: string } }[];
    };
    assert.equal(reply.status, 200);
    assert.equal(body.data, null);
    assert.deepEqual(body.errors[0].path, ["r1"]);
    assert.equal(body.errors[0].extensions.code, "UnexpectedError");
    assert.deepEqual([...stigg.customers.keys()], ["c-ran"]);
  });

  it("waits for a request that has the alias instead of spending itself on one that has not", async () => {
    stigg.injectFault({ kind: "alias-error", alias: "r1", times: 1 });
    assert.equal((await provisionCustomer("c-single")).status, 200);
    assert.equal(stigg.requests[0].fault, null);
    assert.equal(stigg.activeFaults().length, 1);
  });
});

describe("fault: wrong key", () => {
  it("answers 401 to a request with the right key, for a period, and then accepts the key again", async () => {
    stigg.injectFault({ kind: "wrong-key", forMs: 1000 });
    const refused = await provisionCustomer("c-1");
    assert.equal(refused.status, 401);
    assert.deepEqual(JSON.parse(refused.text), { message: "Unauthorized: unknown API key" });
    assert.equal(stigg.customers.size, 0);
    await new Promise((done) => setTimeout(done, 1100));
    assert.equal((await provisionCustomer("c-2")).status, 200);
  });
});

describe("fault rules", () => {
  it("let the first N matching requests through with skip, to fail in the middle of a run", async () => {
    stigg.injectFault({ kind: "http-error", status: 503, skip: 2, times: 1 });
    const statuses = [];
    for (const id of ["c-1", "c-2", "c-3", "c-4"]) statuses.push((await provisionCustomer(id)).status);
    assert.deepEqual(statuses, [200, 200, 503, 200]);
  });

  it("apply the first rule in force that matches, and end when cleared", async () => {
    const first = stigg.injectFault({ kind: "rate-limit", operation: "provisionSubscriptionV2" });
    const second = stigg.injectFault({ kind: "http-error", status: 500 });
    assert.equal((await provisionCustomer("c-1")).status, 500);
    assert.deepEqual(
      stigg.activeFaults().map((fault) => [fault.id, fault.applied]),
      [
        [first.id, 0],
        [second.id, 1]
      ]
    );
    assert.equal(stigg.clearFaults(second.id), 1);
    assert.equal((await provisionCustomer("c-1")).status, 200);
    assert.equal(stigg.clearFaults(), 1);
  });

  it("end a period on the wall clock", () => {
    let now = 1_000_000;
    const book = new FaultBook(() => now);
    book.inject({ kind: "wrong-key", forMs: 500 });
    const facts = { operationName: "SfX", rootFields: ["currentEnvironment"], aliases: ["currentEnvironment"] };
    now += 499;
    assert.equal(book.take(facts)?.kind, "wrong-key");
    now += 1;
    assert.equal(book.take(facts), null);
    assert.deepEqual(book.active(), []);
  });

  it("refuse what makes no sense, saying what to change", () => {
    const refusals: [unknown, RegExp][] = [
      [{ kind: "explode" }, /Unknown fault kind "explode"; use one of http-error, rate-limit/],
      [{ kind: "http-error", status: 404 }, /status must be a whole number of at least 500/],
      [{ kind: "http-error", status: 600 }, /must be 500-599/],
      [{ kind: "slow" }, /needs delayMs/],
      [{ kind: "drop", applied: "yes" }, /applied must be true or false/],
      [{ kind: "alias-error", alias: "r-1" }, /alias must be a GraphQL name/],
      [{ kind: "rate-limit", times: 0 }, /times must be a whole number of at least 1/],
      [{ kind: "rate-limit", delayMs: 5 }, /A rate-limit fault has no delayMs; it takes retryAfterSeconds/]
    ];
    for (const [rule, message] of refusals) {
      assert.throws(
        () => stigg.injectFault(rule as never),
        (error: Error) => {
          assert.ok(error instanceof FaultRuleError, `${JSON.stringify(rule)} throws a FaultRuleError`);
          assert.match(error.message, message);
          return true;
        }
      );
    }
    assert.deepEqual(stigg.activeFaults(), []);
  });
});

describe("fault specs (the command-line form)", () => {
  it("read a kind or shorthand and key=value pairs", () => {
    assert.deepEqual(parseFaultSpec("503,times=2"), { kind: "http-error", status: 503, times: 2 });
    assert.deepEqual(parseFaultSpec("429,retry-after=30,operation=provisionSubscriptionV2"), {
      kind: "rate-limit",
      retryAfterSeconds: 30,
      operation: "provisionSubscriptionV2"
    });
    assert.deepEqual(parseFaultSpec("slow,delay=15s,for=2m,skip=1"), {
      kind: "slow",
      delayMs: 15000,
      forMs: 120000,
      skip: 1
    });
    assert.deepEqual(parseFaultSpec("drop,applied=true"), { kind: "drop", applied: true });
    assert.deepEqual(parseFaultSpec("alias-error,alias=r1,code=PlanNotFound"), {
      kind: "alias-error",
      alias: "r1",
      code: "PlanNotFound"
    });
    assert.deepEqual(parseFaultSpec("401"), { kind: "wrong-key" });
    assert.equal(parseDuration("1500", "for"), 1500);
    assert.equal(parseDuration("1.5s", "for"), 1500);
  });

  it("refuse an unknown kind, key or value with a message that names it", () => {
    assert.throws(() => parseFaultSpec("404"), /Unknown fault "404" in "404"; use http-error/);
    assert.throws(() => parseFaultSpec("503,tims=2"), /"tims=2" in "503,tims=2" is not key=value with a known key/);
    assert.throws(() => parseFaultSpec("503,times=two"), /times must be a whole number, not "two"/);
    assert.throws(() => parseFaultSpec("slow,delay=soon"), /delay must be a duration such as/);
    assert.throws(() => parseFaultSpec("slow"), /needs delayMs/);
  });
});

describe("fault control endpoint", () => {
  interface ControlBody {
    faults: ActiveFault[];
    cleared: number;
    error: string;
    requests: RecordedRequest[];
  }

  async function control(
    method: string,
    route: string,
    body?: unknown
  ): Promise<{ status: number; body: ControlBody }> {
    const response = await fetch(`${stigg.url}${route}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    return { status: response.status, body: (await response.json()) as ControlBody };
  }

  it("adds rules from a spec or a JSON rule, lists them, and clears them", async () => {
    const added = await control("POST", "/__fake/faults", [
      { spec: "503,times=1" },
      { kind: "rate-limit", retryAfterSeconds: 5, operation: "provisionSubscriptionV2" }
    ]);
    assert.equal(added.status, 201);
    assert.deepEqual(
      added.body.faults.map((fault) => fault.fault.kind),
      ["http-error", "rate-limit"]
    );
    assert.equal((await provisionCustomer("c-1")).status, 503);
    const listed = await control("GET", "/__fake/faults");
    assert.deepEqual(
      listed.body.faults.map((fault) => fault.id),
      [added.body.faults[1].id]
    );
    assert.deepEqual((await control("DELETE", `/__fake/faults/${added.body.faults[1].id}`)).body, { cleared: 1 });
    assert.deepEqual((await control("GET", "/__fake/faults")).body, { faults: [] });
  });

  it("refuses a bad rule with 400 and the reason, and adds none of a list that holds one", async () => {
    const refused = await control("POST", "/__fake/faults", [{ spec: "503" }, { kind: "slow" }]);
    assert.equal(refused.status, 400);
    assert.match(refused.body.error, /needs delayMs/);
    assert.deepEqual(stigg.activeFaults(), []);
    const notJson = await fetch(`${stigg.url}/__fake/faults`, { method: "POST", body: "{kind: 503" });
    assert.equal(notJson.status, 400);
    assert.match(((await notJson.json()) as { error: string }).error, /not valid JSON/);
  });

  it("returns the request log with the fault each request met", async () => {
    stigg.injectFault("429,times=1");
    await provisionCustomer("c-1");
    const log = await control("GET", "/__fake/requests");
    const [request] = log.body.requests;
    assert.equal(request.httpStatus, 429);
    assert.deepEqual(request.fault, { kind: "rate-limit", retryAfterSeconds: 1, id: request.fault?.id });
  });
});
