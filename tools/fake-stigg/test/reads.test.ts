import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type FakeStigg, StateEditError, startFakeStigg } from "../src/server";
import {
  assertError,
  batch,
  cancelSubscriptions,
  client,
  GET_SUBSCRIPTION,
  type Answer,
  type GraphQLReply,
  PROVISION_CUSTOMER,
  provisionSubscriptions,
  SUBSCRIPTION,
  updateSubscriptions
} from "./helpers";

const KEY = "server-reads-key";
let stigg: FakeStigg;
const gql = client(() => stigg.url, KEY);

before(async () => {
  stigg = await startFakeStigg({ apiKey: KEY, environmentSlug: "acme-reads", clock: "2030-01-20T10:00:00.000Z" });
});
after(() => stigg.close());
beforeEach(() => stigg.reset());

const ENTITLEMENTS =
  "{ entitlements { feature { refId displayName featureType featureUnits featureUnitsPlural } isGranted usageLimit " +
  "hasUnlimitedUsage currentUsage } }";

/** The Stigg card's one callout: the customer with its subscriptions, its entitlements with usage, its credits. */
const CARD =
  "query SfCustomerCard($customer: GetCustomerByRefIdInput!, $entitlements: FetchEntitlementsQuery!, " +
  "$credits: CreditBalanceSummaryInput!) { " +
  `customer: getCustomerByRefId(input: $customer) { customerId name environment { slug } subscriptions ${SUBSCRIPTION} } ` +
  `entitlements: entitlementsState(query: $entitlements) ${ENTITLEMENTS} ` +
  "credits: creditBalanceSummary(input: $credits) { balances { currencyId currentBalance totalGranted totalConsumed } } }";

const card = (customerId: string) =>
  gql(CARD, { customer: { customerId }, entitlements: { customerId }, credits: { customerId } });

async function provision(customerId: string, subscription: Record<string, unknown>): Promise<string> {
  if (!stigg.customers.has(customerId)) await gql(PROVISION_CUSTOMER, { in0: { customerId, name: customerId } });
  const reply = await gql(provisionSubscriptions(1), { in0: { customerId, ...subscription } });
  assert.deepEqual(reply.errors, []);
  return reply.data?.r0.subscription.subscriptionId;
}

interface EntitlementAnswer {
  feature: { refId: string };
  usageLimit: number | null;
  hasUnlimitedUsage: boolean;
  currentUsage: number | null;
}

function entitlementOf(reply: GraphQLReply<Answer>, featureId: string): EntitlementAnswer | undefined {
  const entitlements = reply.data?.entitlements.entitlements as EntitlementAnswer[];
  return entitlements.find((entitlement) => entitlement.feature.refId === featureId);
}

describe("a customer's view in one request", () => {
  it("answers its subscriptions with add-ons, entitlements and prices, its entitlements with usage, and its credit balances", async () => {
    await provision("acme", {
      planId: "plan-pro",
      unitQuantity: 10,
      salesforceId: "006A",
      addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
      subscriptionEntitlements: [{ featureId: "feature-api-calls", usageLimit: 50000 }],
      entitlements: [{ credit: { customCurrencyId: "credits-ai-tokens", amount: 1000, cadence: "MONTH" } }]
    });
    stigg.setUsage("acme", "feature-api-calls", 1234);
    stigg.setUsage("acme", "feature-seats", 9);
    await gql(
      batch("query", "SfWarmUp", "creditGrants", "input", "GetCreditGrantsInput!", "{ edges { node { grantId } } }", 1),
      {
        in0: { customerId: "acme" }
      }
    );
    stigg.consumeCredits("acme", "credits-ai-tokens", 250);

    const reply = await card("acme");
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.errors, []);
    const customer = reply.data?.customer;
    assert.equal(customer.environment.slug, "acme-reads");
    assert.equal(customer.subscriptions.length, 1);
    assert.deepEqual(customer.subscriptions[0].addons[0], {
      addonId: "addon-extra-seats",
      quantity: 5,
      addon: { refId: "addon-extra-seats", displayName: "Extra seats" }
    });
    assert.equal(customer.subscriptions[0].prices[0].usageLimit, 10);
    assert.deepEqual(reply.data?.entitlements.entitlements, [
      {
        feature: {
          refId: "feature-api-calls",
          displayName: "API calls",
          featureType: "NUMBER",
          featureUnits: "call",
          featureUnitsPlural: "calls"
        },
        isGranted: true,
        usageLimit: 50000,
        hasUnlimitedUsage: false,
        currentUsage: 1234
      },
      {
        feature: {
          refId: "feature-storage-gb",
          displayName: "Storage",
          featureType: "NUMBER",
          featureUnits: "GB",
          featureUnitsPlural: "GB"
        },
        isGranted: true,
        usageLimit: 100,
        hasUnlimitedUsage: false,
        currentUsage: 0
      },
      {
        feature: {
          refId: "feature-projects",
          displayName: "Projects",
          featureType: "NUMBER",
          featureUnits: "project",
          featureUnitsPlural: "projects"
        },
        isGranted: true,
        usageLimit: 20,
        hasUnlimitedUsage: false,
        currentUsage: 0
      },
      {
        feature: {
          refId: "feature-seats",
          displayName: "Seats",
          featureType: "NUMBER",
          featureUnits: "seat",
          featureUnitsPlural: "seats"
        },
        isGranted: true,
        usageLimit: 15,
        hasUnlimitedUsage: false,
        currentUsage: 9
      },
      {
        feature: {
          refId: "feature-sso",
          displayName: "Single sign-on",
          featureType: "BOOLEAN",
          featureUnits: null,
          featureUnitsPlural: null
        },
        isGranted: true,
        usageLimit: null,
        hasUnlimitedUsage: false,
        currentUsage: null
      }
    ]);
    assert.deepEqual(reply.data?.credits.balances, [
      { currencyId: "credits-ai-tokens", currentBalance: 750, totalGranted: 1000, totalConsumed: 250 }
    ]);
  });

  it("answers CustomerNotFound for a customer Stigg does not have, and stops at the first non-null field", async () => {
    const reply = await card("nobody");
    assert.equal(reply.status, 200);
    // getCustomerByRefId is nullable; entitlementsState is not, so its error takes data to null and, as in
    // graphql-js and Apollo Server, the fields after it are not run.
    assert.deepEqual(
      reply.errors.map((error) => [error.path?.[0], error.extensions?.code]),
      [
        ["customer", "CustomerNotFound"],
        ["entitlements", "CustomerNotFound"]
      ]
    );
    assert.equal(reply.data, null);
  });
});

describe("entitlements", () => {
  const STATE = batch(
    "query",
    "SfEntitlements",
    "entitlementsState",
    "query",
    "FetchEntitlementsQuery!",
    ENTITLEMENTS,
    1
  );
  const state = (customerId: string) => gql(STATE, { in0: { customerId } });
  const limit = async (customerId: string, featureId: string) =>
    (
      (await state(customerId)).data?.r0.entitlements as {
        feature: { refId: string };
        usageLimit: number | null;
        hasUnlimitedUsage: boolean;
      }[]
    ).find((entitlement) => entitlement.feature.refId === featureId);

  it("sum over the customer's subscriptions, count add-ons by quantity, and let unlimited win", async () => {
    await provision("acme", { planId: "plan-basic" });
    await provision("acme", {
      planId: "plan-pro",
      unitQuantity: 3,
      addons: [{ addonId: "addon-extra-seats", quantity: 4 }]
    });
    assert.equal((await limit("acme", "feature-projects"))?.usageLimit, 23, "3 from Basic and 20 from Pro");
    assert.equal((await limit("acme", "feature-seats"))?.usageLimit, 7, "3 seats of the plan and 4 extra");
    await provision("acme", { planId: "plan-enterprise" });
    assert.deepEqual(
      [
        (await limit("acme", "feature-api-calls"))?.usageLimit,
        (await limit("acme", "feature-api-calls"))?.hasUnlimitedUsage
      ],
      [null, true]
    );
  });

  it("end with the subscription, at once with REVOKE_ENTITLEMENTS, and not before a future start", async () => {
    const basic = await provision("acme", { planId: "plan-basic" });
    const pro = await provision("acme", { planId: "plan-pro" });
    await provision("acme", { planId: "plan-enterprise", startDate: "2030-06-01T00:00:00.000Z" });
    assert.equal((await limit("acme", "feature-projects"))?.usageLimit, 23);
    await gql(cancelSubscriptions(1), { in0: { subscriptionRefId: basic, subscriptionCancellationTime: "IMMEDIATE" } });
    assert.equal((await limit("acme", "feature-projects"))?.usageLimit, 20);
    await gql(cancelSubscriptions(1), {
      in0: {
        subscriptionRefId: pro,
        subscriptionCancellationTime: "END_OF_BILLING_PERIOD",
        subscriptionCancellationAction: "REVOKE_ENTITLEMENTS"
      }
    });
    assert.deepEqual((await state("acme")).data?.r0.entitlements, []);
    stigg.clock.set("2030-06-01T00:00:00.000Z");
    assert.equal((await limit("acme", "feature-projects"))?.hasUnlimitedUsage, true);
  });
});

describe("reads for reconciliation", () => {
  const FIND = batch(
    "query",
    "SfFindSubscriptionsBySalesforceIds",
    "subscriptions",
    "filter",
    "SubscriptionQueryFilter!",
    `{ edges { node ${SUBSCRIPTION.replace("futureUpdates", "scheduledUpdates")} } }`,
    1
  );

  it("find many deals' subscriptions in one request, with what each grants", async () => {
    for (let i = 0; i < 5; i++) {
      await provision(`customer-${i}`, {
        planId: "plan-pro",
        salesforceId: `006${i}`,
        unitQuantity: 10 + i,
        addons: [{ addonId: "addon-extra-seats", quantity: i + 1 }]
      });
    }
    const reply = await gql(FIND, {
      in0: { salesforceId: { in: ["0061", "0063", "006X"] }, status: { in: ["ACTIVE", "IN_TRIAL"] } }
    });
    assert.deepEqual(reply.errors, []);
    assert.deepEqual(
      reply.data?.r0.edges.map(
        (edge: {
          node: { salesforceId: string; prices: { usageLimit: number }[]; addons: { quantity: number }[] };
        }) => [edge.node.salesforceId, edge.node.prices[0].usageLimit, edge.node.addons[0].quantity]
      ),
      [
        ["0061", 11, 2],
        ["0063", 13, 4]
      ]
    );
  });
});

describe("a change made by hand in the Stigg app (drift)", () => {
  it("shows in every read, without a request, and an update through the API sets it right", async () => {
    const id = await provision("acme", {
      planId: "plan-pro",
      salesforceId: "006A",
      unitQuantity: 10,
      addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
      subscriptionEntitlements: [{ featureId: "feature-api-calls", usageLimit: 50000 }]
    });
    const requestsBefore = stigg.requests.length;
    stigg.editSubscription(id, {
      addons: [{ addonId: "addon-extra-seats", quantity: 3 }],
      entitlements: [{ featureId: "feature-api-calls", usageLimit: 20000 }],
      unitQuantity: 8
    });
    assert.equal(stigg.requests.length, requestsBefore, "an edit in the Stigg app is not an API request");
    const drifted = (await gql(GET_SUBSCRIPTION, { in0: { subscriptionId: id } })).data?.r0;
    assert.equal(drifted.addons[0].quantity, 3);
    assert.equal(drifted.prices[0].usageLimit, 8);
    assert.equal(drifted.subscriptionEntitlements[0].usageLimit, 20000);
    assert.equal(entitlementOf(await card("acme"), "feature-seats")?.usageLimit, 11);

    await gql(updateSubscriptions(1), {
      in0: {
        subscriptionId: id,
        scheduleStrategy: "IMMEDIATE",
        unitQuantity: 10,
        addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
        subscriptionEntitlements: [{ featureId: "feature-api-calls", usageLimit: 50000 }]
      }
    });
    const fixed = (await gql(GET_SUBSCRIPTION, { in0: { subscriptionId: id } })).data?.r0;
    assert.deepEqual(
      [fixed.addons[0].quantity, fixed.prices[0].usageLimit, fixed.subscriptionEntitlements[0].usageLimit],
      [5, 10, 50000]
    );
  });

  it("can cancel a subscription or move it to another plan", async () => {
    const cancelled = await provision("acme", { planId: "plan-pro" });
    const moved = await provision("acme", { planId: "plan-pro" });
    stigg.editSubscription(cancelled, { status: "CANCELED" });
    stigg.editSubscription(moved, { planId: "plan-basic", billingPeriod: "ANNUALLY" });
    const reply = await gql(
      batch(
        "query",
        "SfActive",
        "getActiveSubscriptions",
        "input",
        "GetActiveSubscriptionsInput!",
        "{ subscriptionId plan { refId } billingPeriod }",
        1
      ),
      { in0: { customerId: "acme" } }
    );
    assert.deepEqual(reply.data?.r0, [
      { subscriptionId: moved, plan: { refId: "plan-basic" }, billingPeriod: "ANNUALLY" }
    ]);
    assertError(
      await gql(updateSubscriptions(1), { in0: { subscriptionId: cancelled, unitQuantity: 3 } }),
      "r0",
      "SubscriptionAlreadyCanceledOrExpired"
    );
  });

  it("refuses what the Stigg app would not allow, saying why, and changes nothing", async () => {
    const id = await provision("acme", { planId: "plan-pro", addons: [{ addonId: "addon-extra-seats", quantity: 5 }] });
    const refusals: [string, Record<string, unknown>, RegExp][] = [
      ["subscription-nope", {}, /No subscription subscription-nope/],
      [id, { addons: [{ addonId: "addon-gold", quantity: 1 }] }, /No add-on addon-gold in the catalog/],
      [id, { addons: [{ addonId: "addon-extra-seats", quantity: 0 }] }, /must be a whole number of at least 1/],
      [id, { planId: "plan-platinum" }, /No plan plan-platinum/],
      [id, { entitlements: [{ featureId: "feature-teleport", usageLimit: 1 }] }, /No feature feature-teleport/],
      [id, { status: "ACTIVE" }, /status can only be set to CANCELED/],
      [id, { seats: 4 }, /A subscription edit has no seats; it takes planId, addons/]
    ];
    for (const [subscriptionId, edit, message] of refusals) {
      assert.throws(
        () => stigg.editSubscription(subscriptionId, edit),
        (error: Error) => {
          assert.ok(error instanceof StateEditError);
          assert.match(error.message, message);
          return true;
        }
      );
    }
    assert.deepEqual(stigg.subscriptions[0].addons, [{ addonId: "addon-extra-seats", quantity: 5 }]);
  });
});

describe("state control endpoints", () => {
  const control = (method: string, route: string, body: unknown) =>
    fetch(`${stigg.url}${route}`, { method, body: JSON.stringify(body) }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { error?: string; subscription?: { addons: unknown } }
    }));

  it("edit a subscription, set usage and consume credits for a fake in another process", async () => {
    const id = await provision("acme", { planId: "plan-pro", addons: [{ addonId: "addon-extra-seats", quantity: 5 }] });
    const edited = await control("PATCH", `/__fake/subscriptions/${id}`, {
      addons: [{ addonId: "addon-extra-seats", quantity: 2 }]
    });
    assert.equal(edited.status, 200);
    assert.deepEqual(edited.body.subscription?.addons, [{ addonId: "addon-extra-seats", quantity: 2 }]);
    assert.equal(
      (await control("POST", "/__fake/usage", { customerId: "acme", featureId: "feature-projects", currentUsage: 4 }))
        .status,
      200
    );
    const reply = await card("acme");
    assert.equal(entitlementOf(reply, "feature-projects")?.currentUsage, 4);

    const short = await control("POST", "/__fake/credits/consume", {
      customerId: "acme",
      currencyId: "credits-api",
      amount: 5
    });
    assert.equal(short.status, 400);
    assert.match(short.body.error ?? "", /acme has 0 credits-api credits, fewer than 5/);
    const missing = await control("PATCH", "/__fake/subscriptions/subscription-nope", { addons: [] });
    assert.equal(missing.status, 404);
    const wrong = await control("POST", "/__fake/usage", {
      customerId: "acme",
      featureId: "feature-projects",
      currentUsage: "4"
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error ?? "", /Usage must be a number of at least 0, not "4"/);
  });
});
