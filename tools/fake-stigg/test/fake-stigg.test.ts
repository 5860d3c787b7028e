import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakeStigg, startFakeStigg } from "../src/server";

const KEY = "server-test-key";
let stigg: FakeStigg;

before(async () => {
  stigg = await startFakeStigg({
    apiKey: KEY,
    environmentSlug: "acme-test",
    paymentRequiredPlans: ["plan-enterprise"]
  });
});
after(() => stigg.close());

interface Reply {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions?: { code?: string; traceId?: string } }[];
    message?: string;
  };
}

async function post(
  query: string,
  variables: Record<string, unknown> = {},
  apiKey: string | null = KEY
): Promise<Reply> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (apiKey !== null) headers["X-API-KEY"] = apiKey;
  const operationName = /^(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  const response = await fetch(`${stigg.url}/graphql`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, operationName, variables })
  });
  return { status: response.status, body: (await response.json()) as Reply["body"] };
}

const PROVISION_CUSTOMERS =
  "mutation SfProvisionCustomers($in0: ProvisionCustomerInput!, $in1: ProvisionCustomerInput!) { " +
  "r0: provisionCustomer(input: $in0) { customer { customerId name salesforceId environment { slug } } } " +
  "r1: provisionCustomer(input: $in1) { customer { customerId name salesforceId environment { slug } } } }";

const PROVISION_SUBSCRIPTIONS =
  "mutation SfProvisionSubscriptions($in0: ProvisionSubscriptionInput!, $in1: ProvisionSubscriptionInput!) { " +
  "r0: provisionSubscriptionV2(input: $in0) { status subscription { subscriptionId status salesforceId plan { refId } } } " +
  "r1: provisionSubscriptionV2(input: $in1) { status subscription { subscriptionId status salesforceId plan { refId } } } }";

describe("fake Stigg: authentication", () => {
  it("answers 401 without a key and with an unknown key, 403 for a client key, and runs nothing", async () => {
    const before = stigg.customers.size;
    assert.equal((await post(PROVISION_CUSTOMERS, {}, null)).status, 401);
    assert.equal((await post(PROVISION_CUSTOMERS, {}, "server-other")).status, 401);
    assert.equal((await post(PROVISION_CUSTOMERS, {}, "client-abc")).status, 403);
    assert.equal(stigg.customers.size, before);
  });
});

describe("fake Stigg: the contract", () => {
  it("refuses a selection the contract does not have, before anything runs", async () => {
    const reply = await post(
      "mutation SfBad($in0: ProvisionCustomerInput!) { r0: provisionCustomer(input: $in0) { customer { customerId plan } } }",
      { in0: { customerId: "c-never" } }
    );
    assert.equal(reply.status, 400);
    assert.equal(reply.body.errors?.[0].extensions?.code, "GRAPHQL_VALIDATION_FAILED");
    assert.match(reply.body.errors?.[0].message ?? "", /Cannot query field "plan" on type "Customer"/);
    assert.equal(stigg.customers.has("c-never"), false);
  });

  it("refuses variables of the wrong shape", async () => {
    const reply = await post(PROVISION_CUSTOMERS, { in0: { customerId: "c-1", nam: "Typo" }, in1: { customerId: 42 } });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.errors?.[0].extensions?.code, "BAD_USER_INPUT");
    assert.match(reply.body.errors?.map((error) => error.message).join("\n") ?? "", /"nam" is not defined/);
  });
});

async function postRaw(body: string): Promise<Reply> {
  const response = await fetch(`${stigg.url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-API-KEY": KEY },
    body
  });
  return { status: response.status, body: (await response.json()) as Reply["body"] };
}

const ONE_SUBSCRIPTION =
  "mutation SfProvisionSubscriptions($in0: ProvisionSubscriptionInput!) { " +
  "r0: provisionSubscriptionV2(input: $in0) { status subscription { subscriptionId } } }";

describe("fake Stigg: requests Stigg refuses before running them", () => {
  let firstRequest = 0;
  before(() => {
    firstRequest = stigg.requests.length;
  });
  const refusal = (reply: Reply): [number, string | undefined, string] => [
    reply.status,
    reply.body.errors?.[0].extensions?.code,
    reply.body.errors?.map((error) => error.message).join("\n") ?? ""
  ];

  it("answers 400 BAD_USER_INPUT naming the variable when an Int is out of range", async () => {
    const reply = await post(ONE_SUBSCRIPTION, {
      in0: { customerId: "001A", planId: "plan-pro", addons: [{ addonId: "addon-extra-seats", quantity: 3000000000 }] }
    });
    const [status, code, message] = refusal(reply);
    assert.equal(status, 400);
    assert.equal(code, "BAD_USER_INPUT");
    assert.equal(
      message,
      'Variable "$in0" got invalid value 3000000000 at "in0.addons[0].quantity"; ' +
        "Int cannot represent non 32-bit signed integer value: 3000000000"
    );
    assert.match(reply.body.errors?.[0].extensions?.traceId ?? "", /^trace-\d{6}$/);
  });

  it("answers 400 BAD_USER_INPUT naming the variable when a number overflows to Infinity", async () => {
    const reply = await postRaw(
      `{"query": ${JSON.stringify(ONE_SUBSCRIPTION)}, "variables": ` +
        '{"in0": {"customerId": "001A", "planId": "plan-pro", "unitQuantity": 1e400}}}'
    );
    assert.deepEqual(refusal(reply), [
      400,
      "BAD_USER_INPUT",
      'Variable "$in0" got invalid value Infinity at "in0.unitQuantity"; Float cannot represent non numeric value: Infinity'
    ]);
  });

  it("answers 400 GRAPHQL_VALIDATION_FAILED for an out-of-range literal in the document itself", async () => {
    const reply = await post(
      'mutation SfInline { r0: provisionSubscriptionV2(input: { customerId: "001A", planId: "plan-pro", ' +
        'addons: [{ addonId: "addon-extra-seats", quantity: 3000000000 }] }) { status } }'
    );
    const [status, code, message] = refusal(reply);
    assert.equal(status, 400);
    assert.equal(code, "GRAPHQL_VALIDATION_FAILED");
    assert.match(message, /Int cannot represent non 32-bit signed integer value: 3000000000/);
  });

  it("answers 400 BAD_REQUEST for a body that is not JSON, or variables sent as a string", async () => {
    const notJson = await postRaw(`{"query": ${JSON.stringify(ONE_SUBSCRIPTION)}, "variables": {"in0": Infinity}}`);
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.errors?.[0].extensions?.code, "BAD_REQUEST");
    assert.match(notJson.body.errors?.[0].message ?? "", /^The request body is not valid JSON: /);
    const stringVariables = await postRaw(JSON.stringify({ query: ONE_SUBSCRIPTION, variables: '{"in0": {}}' }));
    assert.deepEqual(refusal(stringVariables), [
      400,
      "BAD_REQUEST",
      "`variables` in a POST body should be provided as an object, not a recursively JSON-encoded string."
    ]);
    const noQuery = await postRaw(JSON.stringify({ operationName: "SfProvisionSubscriptions" }));
    assert.equal(
      refusal(noQuery)[2],
      "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension."
    );
  });

  it("answers 400 OPERATION_RESOLUTION_FAILURE for an operation name the document does not have", async () => {
    const reply = await postRaw(JSON.stringify({ query: ONE_SUBSCRIPTION, operationName: "SfOther", variables: {} }));
    assert.deepEqual(refusal(reply), [400, "OPERATION_RESOLUTION_FAILURE", 'Unknown operation named "SfOther".']);
  });

  it("ran none of them", () => {
    assert.equal(stigg.subscriptions.length, 0);
    const refused = stigg.requests.slice(firstRequest);
    assert.equal(refused.length, 7);
    assert.ok(refused.every((request) => request.httpStatus === 400));
  });
});

describe("fake Stigg: provisioning", () => {
  it("creates or updates customers under their aliases", async () => {
    const reply = await post(PROVISION_CUSTOMERS, {
      in0: { customerId: "001A", name: "Acme", salesforceId: "001A" },
      in1: { customerId: "001B", name: "Globex", salesforceId: "001B" }
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.data?.r0, {
      customer: { customerId: "001A", name: "Acme", salesforceId: "001A", environment: { slug: "acme-test" } }
    });
    assert.equal(stigg.customers.get("001B")?.name, "Globex");
  });

  it("fails one aliased subscription with Stigg's code, trace id and path while its neighbour succeeds", async () => {
    const reply = await post(PROVISION_SUBSCRIPTIONS, {
      in0: {
        customerId: "001A",
        planId: "plan-pro",
        salesforceId: "006A",
        addons: [{ addonId: "addon-extra-seats", quantity: 5 }]
      },
      in1: { customerId: "001B", planId: "plan-missing", salesforceId: "006B" }
    });
    assert.equal(reply.status, 200);
    const r0 = reply.body.data?.r0 as { status: string; subscription: { status: string; plan: { refId: string } } };
    assert.equal(r0.status, "SUCCESS");
    assert.equal(r0.subscription.plan.refId, "plan-pro");
    assert.equal(reply.body.data?.r1, null);
    const [error] = reply.body.errors ?? [];
    assert.deepEqual(error.path, ["r1"]);
    assert.equal(error.extensions?.code, "PlanNotFound");
    assert.match(error.extensions?.traceId ?? "", /^trace-\d{6}$/);
    assert.equal(stigg.subscriptions.filter((subscription) => subscription.salesforceId === "006B").length, 0);
  });

  it("answers PAYMENT_REQUIRED without a subscription for a plan that needs a payment method", async () => {
    const reply = await post(
      "mutation SfOne($in0: ProvisionSubscriptionInput!) { r0: provisionSubscriptionV2(input: $in0) { status checkoutUrl subscription { subscriptionId } } }",
      { in0: { customerId: "001B", planId: "plan-enterprise" } }
    );
    assert.deepEqual((reply.body.data?.r0 as { status: string; subscription: unknown }).subscription, null);
    assert.equal((reply.body.data?.r0 as { status: string }).status, "PAYMENT_REQUIRED");
  });

  it("creates a second subscription when asked twice, and finds both by Salesforce id", async () => {
    const one =
      "mutation SfOne($in0: ProvisionSubscriptionInput!) { r0: provisionSubscriptionV2(input: $in0) { subscription { subscriptionId } } }";
    await post(one, { in0: { customerId: "001A", planId: "plan-basic", salesforceId: "006C" } });
    await post(one, { in0: { customerId: "001A", planId: "plan-basic", salesforceId: "006C" } });
    const reply = await post(
      "query SfFind($in0: SubscriptionQueryFilter!) { r0: subscriptions(filter: $in0) { edges { node { subscriptionId salesforceId } } } }",
      { in0: { salesforceId: { eq: "006C" } } }
    );
    const edges = (reply.body.data?.r0 as { edges: { node: { salesforceId: string } }[] }).edges;
    assert.equal(edges.length, 2);
    assert.ok(edges.every((edge) => edge.node.salesforceId === "006C"));
  });

  it("starts a trial as IN_TRIAL and names the key's environment", async () => {
    const reply = await post(
      "mutation SfOne($in0: ProvisionSubscriptionInput!) { r0: provisionSubscriptionV2(input: $in0) { subscription { status } } }",
      {
        in0: {
          customerId: "001A",
          planId: "plan-pro",
          trialOverrideConfiguration: { isTrial: true, trialEndDate: "2030-01-31T00:00:00.000Z" }
        }
      }
    );
    assert.equal((reply.body.data?.r0 as { subscription: { status: string } }).subscription.status, "IN_TRIAL");
    const environment = await post("query SfCurrentEnvironment { currentEnvironment }");
    assert.deepEqual(environment.body.data, { currentEnvironment: "acme-test" });
  });

  it("records every request with its outcome", () => {
    const refused = stigg.requests.find((request) => request.operationName === "SfBad");
    assert.equal(refused?.httpStatus, 400);
    assert.equal(refused?.errors[0].code, "GRAPHQL_VALIDATION_FAILED");
    assert.ok(stigg.requests.some((request) => request.apiKey === "client-abc" && request.httpStatus === 403));
  });
});
