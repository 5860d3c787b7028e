import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type FakeStigg, startFakeStigg } from "../src/server";
import {
  assertError,
  batch,
  cancelSubscriptions,
  client,
  GET_SUBSCRIPTION,
  PROVISION_CUSTOMER,
  provisionSubscriptions,
  updateSubscriptions
} from "./helpers";

const KEY = "server-lifecycle-key";
// The environment's clock starts mid-period of subscriptions that start on 2030-01-15 at midnight.
const CLOCK_START = "2030-01-20T10:00:00.000Z";
const START = "2030-01-15T00:00:00.000Z";
const PERIOD_END = "2030-02-15T00:00:00.000Z";

let stigg: FakeStigg;
const gql = client(() => stigg.url, KEY);

before(async () => {
  stigg = await startFakeStigg({ apiKey: KEY, environmentSlug: "acme-lifecycle", clock: CLOCK_START });
});
after(() => stigg.close());

/** A customer with a Pro subscription: 10 seats, 5 extra seats, a custom API-call limit and AI credits. */
async function subscribed(customerId = "acme", salesforceId = "006A"): Promise<string> {
  await gql(PROVISION_CUSTOMER, { in0: { customerId, name: "Acme" } });
  const reply = await gql(provisionSubscriptions(1), {
    in0: {
      customerId,
      planId: "plan-pro",
      billingPeriod: "MONTHLY",
      startDate: START,
      unitQuantity: 10,
      salesforceId,
      addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
      subscriptionEntitlements: [{ featureId: "feature-api-calls", usageLimit: 50000 }],
      entitlements: [{ credit: { customCurrencyId: "credits-ai-tokens", amount: 1000, cadence: "MONTH" } }]
    }
  });
  assert.deepEqual(reply.errors, []);
  return reply.data?.r0.subscription.subscriptionId as string;
}

function stored(subscriptionId: string) {
  const subscription = stigg.subscriptions.find((candidate) => candidate.subscriptionId === subscriptionId);
  assert.ok(subscription, `fake-stigg holds ${subscriptionId}`);
  return subscription;
}

describe("a provisioned subscription", () => {
  beforeEach(() => stigg.reset());
  it("answers with its plan, add-ons, per-unit price, entitlements and billing period", async () => {
    const id = await subscribed();
    const reply = await gql(GET_SUBSCRIPTION, { in0: { subscriptionId: id } });
    const subscription = reply.data?.r0;
    assert.equal(subscription.status, "ACTIVE");
    assert.deepEqual(subscription.plan, { refId: "plan-pro", displayName: "Pro" });
    assert.deepEqual(subscription.addons, [
      { addonId: "addon-extra-seats", quantity: 5, addon: { refId: "addon-extra-seats", displayName: "Extra seats" } }
    ]);
    assert.deepEqual(subscription.prices, [
      {
        billingModel: "PER_UNIT",
        featureId: "feature-seats",
        usageLimit: 10,
        price: { billingPeriod: "MONTHLY", isOverridePrice: false, price: { amount: 15, currency: "USD" } }
      }
    ]);
    assert.deepEqual(subscription.subscriptionEntitlements, [
      {
        featureId: "feature-api-calls",
        usageLimit: 50000,
        hasUnlimitedUsage: false,
        feature: { refId: "feature-api-calls", displayName: "API calls" }
      }
    ]);
    assert.deepEqual(subscription.entitlements, [
      {
        __typename: "SubscriptionFeatureEntitlement",
        featureId: "feature-api-calls",
        usageLimit: 50000,
        hasUnlimitedUsage: false
      },
      {
        __typename: "SubscriptionCreditEntitlement",
        customCurrencyId: "credits-ai-tokens",
        amount: 1000,
        cadence: "MONTH"
      }
    ]);
    assert.equal(subscription.currentBillingPeriodStart, START);
    assert.equal(subscription.currentBillingPeriodEnd, PERIOD_END);
    assert.deepEqual(subscription.futureUpdates, []);
  });
});

describe("updateOneSubscription", () => {
  beforeEach(() => stigg.reset());

  it("changes add-ons and quantities at once with IMMEDIATE", async () => {
    const id = await subscribed();
    const reply = await gql(updateSubscriptions(1), {
      in0: {
        subscriptionId: id,
        scheduleStrategy: "IMMEDIATE",
        unitQuantity: 12,
        addons: [
          { addonId: "addon-extra-seats", quantity: 8 },
          { addonId: "addon-premium-support", quantity: 1 }
        ]
      }
    });
    assert.deepEqual(reply.errors, []);
    assert.deepEqual(
      reply.data?.r0.addons.map((addon: { addonId: string; quantity: number }) => [addon.addonId, addon.quantity]),
      [
        ["addon-extra-seats", 8],
        ["addon-premium-support", 1]
      ]
    );
    assert.equal(reply.data?.r0.prices[0].usageLimit, 12);
    assert.deepEqual(reply.data?.r0.futureUpdates, []);
    assert.equal(stored(id).unitQuantity, 12);
  });

  it("schedules changes to the end of the billing period and applies them when the clock gets there", async () => {
    const id = await subscribed();
    const reply = await gql(updateSubscriptions(1), {
      in0: {
        subscriptionId: id,
        scheduleStrategy: "END_OF_BILLING_PERIOD",
        billingPeriod: "ANNUALLY",
        addons: [{ addonId: "addon-extra-seats", quantity: 20 }]
      }
    });
    assert.deepEqual(reply.errors, []);
    assert.deepEqual(reply.data?.r0.addons[0].quantity, 5, "nothing changes before the period ends");
    assert.deepEqual(reply.data?.r0.futureUpdates, [
      {
        subscriptionScheduleType: "Addon",
        scheduleStatus: "Scheduled",
        scheduledExecutionTime: PERIOD_END,
        scheduleVariables: { __typename: "AddonChangeVariables", addonRefId: "addon-extra-seats", newQuantity: 20 }
      },
      {
        subscriptionScheduleType: "BillingPeriod",
        scheduleStatus: "Scheduled",
        scheduledExecutionTime: PERIOD_END,
        scheduleVariables: { __typename: "BillingPeriodChangeVariables", billingPeriod: "ANNUALLY" }
      }
    ]);

    stigg.clock.set("2030-02-15T00:00:01.000Z");
    const renewed = (await gql(GET_SUBSCRIPTION, { in0: { subscriptionId: id } })).data?.r0;
    assert.equal(renewed.addons[0].quantity, 20);
    assert.equal(renewed.billingPeriod, "ANNUALLY");
    assert.equal(renewed.currentBillingPeriodStart, PERIOD_END, "a new annual period starts at the change");
    assert.equal(renewed.currentBillingPeriodEnd, "2031-02-15T00:00:00.000Z");
    assert.deepEqual(renewed.futureUpdates, []);
  });

  it("without a schedule strategy, applies an increase at once and schedules a decrease, as the product's journey says", async () => {
    const id = await subscribed();
    const reply = await gql(updateSubscriptions(1), {
      in0: { subscriptionId: id, unitQuantity: 15, addons: [{ addonId: "addon-extra-seats", quantity: 2 }] }
    });
    assert.equal(reply.data?.r0.prices[0].usageLimit, 15);
    assert.equal(reply.data?.r0.addons[0].quantity, 5);
    assert.deepEqual(
      reply.data?.r0.futureUpdates.map(
        (update: { subscriptionScheduleType: string }) => update.subscriptionScheduleType
      ),
      ["Addon"]
    );
  });

  it("replaces the changes scheduled before it, and gives the same result when sent twice", async () => {
    const id = await subscribed();
    const renewal = {
      in0: {
        subscriptionId: id,
        scheduleStrategy: "END_OF_BILLING_PERIOD",
        addons: [{ addonId: "addon-extra-seats", quantity: 30 }]
      }
    };
    await gql(updateSubscriptions(1), {
      in0: { subscriptionId: id, scheduleStrategy: "END_OF_BILLING_PERIOD", unitQuantity: 40 }
    });
    await gql(updateSubscriptions(1), renewal);
    const again = await gql(updateSubscriptions(1), renewal);
    assert.deepEqual(
      again.data?.r0.futureUpdates.map((update: { scheduleVariables: unknown }) => update.scheduleVariables),
      [{ __typename: "AddonChangeVariables", addonRefId: "addon-extra-seats", newQuantity: 30 }]
    );
    assert.equal(stored(id).scheduledChanges.length, 1);
  });

  it("applies custom entitlements, credit entitlements, metadata and a base-price override", async () => {
    const id = await subscribed();
    const reply = await gql(updateSubscriptions(1), {
      in0: {
        subscriptionId: id,
        scheduleStrategy: "IMMEDIATE",
        additionalMetaData: { contract: "C-2" },
        priceOverrides: [{ featureId: "feature-seats", price: { amount: 12.5, currency: "USD" } }],
        entitlements: [
          { feature: { featureId: "feature-storage-gb", usageLimit: 500 } },
          { credit: { customCurrencyId: "credits-api", amount: 300, cadence: "YEAR" } }
        ]
      }
    });
    assert.deepEqual(reply.errors, []);
    const subscription = reply.data?.r0;
    assert.deepEqual(subscription.additionalMetaData, { contract: "C-2" });
    assert.deepEqual(subscription.prices[0].price, {
      billingPeriod: "MONTHLY",
      isOverridePrice: true,
      price: { amount: 12.5, currency: "USD" }
    });
    assert.deepEqual(
      subscription.entitlements.map(
        (entitlement: Record<string, unknown>) => entitlement.featureId ?? entitlement.customCurrencyId
      ),
      ["feature-storage-gb", "credits-api"],
      "the entitlements list replaces the custom entitlements, credits included"
    );
  });

  it("refuses what Stigg refuses, with its code, and changes nothing", async () => {
    const id = await subscribed();
    const before = JSON.stringify(stored(id));
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ subscriptionId: "subscription-unknown" }, "SubscriptionNotFound", /subscription-unknown/],
      [{ subscriptionId: id, addons: [{ addonId: "addon-nope", quantity: 1 }] }, "AddonNotFound", /addon-nope/],
      [
        { subscriptionId: id, addons: [{ addonId: "addon-extra-seats", quantity: 0 }] },
        "InvalidQuantity",
        /at least 1/
      ],
      [
        { subscriptionId: id, addons: [{ addonId: "addon-premium-support", quantity: 2 }] },
        "AddonQuantityExceedsLimitError",
        /exceeds its limit of 1/
      ],
      [
        { subscriptionId: id, subscriptionEntitlements: [{ featureId: "feature-nope", usageLimit: 1 }] },
        "FeatureNotFound",
        /feature-nope/
      ],
      [
        {
          subscriptionId: id,
          entitlements: [{ credit: { customCurrencyId: "credits-gold", amount: 5, cadence: "MONTH" } }]
        },
        "CustomCurrencyNotFound",
        /credits-gold/
      ],
      [
        {
          subscriptionId: id,
          priceOverrides: [{ baseCharge: false, featureId: "feature-seats", price: { amount: 9, currency: "EUR" } }]
        },
        "PriceNotFound",
        /no price in EUR/
      ],
      [{ subscriptionId: id, unitQuantity: -1 }, "InvalidQuantity", /greater than 0/]
    ];
    for (const [input, code, message] of refusals) {
      assertError(await gql(updateSubscriptions(1), { in0: input }), "r0", code, message);
    }
    assert.equal(JSON.stringify(stored(id)), before);
  });

  it("refuses a change to a cancelled subscription while the other aliases of the batch are applied", async () => {
    const cancelled = await subscribed("acme", "006A");
    const live = await subscribed("globex", "006B");
    await gql(cancelSubscriptions(1), {
      in0: { subscriptionRefId: cancelled, subscriptionCancellationTime: "IMMEDIATE" }
    });
    const reply = await gql(updateSubscriptions(2), {
      in0: { subscriptionId: cancelled, unitQuantity: 20, scheduleStrategy: "IMMEDIATE" },
      in1: { subscriptionId: live, unitQuantity: 20, scheduleStrategy: "IMMEDIATE" }
    });
    assertError(reply, "r0", "SubscriptionAlreadyCanceledOrExpired", /already canceled/);
    assert.equal(reply.data?.r0, null);
    assert.equal(reply.data?.r1.prices[0].usageLimit, 20);
    assert.equal(stored(cancelled).unitQuantity, 10);
  });
});

describe("cancelSubscription", () => {
  beforeEach(() => stigg.reset());
  const ACTIVE_LIST = batch(
    "query",
    "SfActiveSubscriptions",
    "getActiveSubscriptions",
    "input",
    "GetActiveSubscriptionsInput!",
    "{ subscriptionId status }",
    1
  );

  it("at the end of the billing period: stays active until then, then is cancelled", async () => {
    const id = await subscribed();
    await gql(updateSubscriptions(1), {
      in0: { subscriptionId: id, scheduleStrategy: "END_OF_BILLING_PERIOD", unitQuantity: 50 }
    });
    const reply = await gql(cancelSubscriptions(1), {
      in0: { subscriptionRefId: id, subscriptionCancellationTime: "END_OF_BILLING_PERIOD" }
    });
    assert.deepEqual(reply.errors, []);
    assert.equal(reply.data?.r0.status, "ACTIVE");
    assert.equal(reply.data?.r0.endDate, PERIOD_END);
    assert.equal(reply.data?.r0.effectiveEndDate, PERIOD_END);
    assert.match(reply.data?.r0.cancellationDate, /^2030-01-20T10:00/, "when the cancellation was asked for");
    assert.deepEqual(stored(id).scheduledChanges, [], "a cancellation drops the scheduled changes");
    assert.equal((await gql(ACTIVE_LIST, { in0: { customerId: "acme" } })).data?.r0.length, 1);

    stigg.clock.set(PERIOD_END);
    assert.equal(stored(id).status, "CANCELED");
    assert.deepEqual((await gql(ACTIVE_LIST, { in0: { customerId: "acme" } })).data?.r0, []);
  });

  it("immediately, and refuses to cancel it again (the non-null field takes data to null)", async () => {
    const id = await subscribed();
    const first = await gql(cancelSubscriptions(1), {
      in0: { subscriptionRefId: id, subscriptionCancellationTime: "IMMEDIATE" }
    });
    assert.equal(first.data?.r0.status, "CANCELED");
    const second = await gql(cancelSubscriptions(1), {
      in0: { subscriptionRefId: id, subscriptionCancellationTime: "IMMEDIATE" }
    });
    assertError(second, "r0", "SubscriptionAlreadyCanceledOrExpired");
    assert.equal(second.data, null);
  });

  it("on a specific date, which must be given and in the future", async () => {
    const id = await subscribed();
    assertError(
      await gql(cancelSubscriptions(1), {
        in0: { subscriptionRefId: id, subscriptionCancellationTime: "SPECIFIC_DATE" }
      }),
      "r0",
      "InvalidCancellationDate",
      /endDate is required/
    );
    assertError(
      await gql(cancelSubscriptions(1), {
        in0: { subscriptionRefId: id, subscriptionCancellationTime: "SPECIFIC_DATE", endDate: "2030-01-01T00:00:00Z" }
      }),
      "r0",
      "InvalidCancellationDate",
      /not a date in the future/
    );
    const reply = await gql(cancelSubscriptions(1), {
      in0: { subscriptionRefId: id, subscriptionCancellationTime: "SPECIFIC_DATE", endDate: "2030-06-30T00:00:00.000Z" }
    });
    assert.equal(reply.data?.r0.endDate, "2030-06-30T00:00:00.000Z");
    assert.equal(reply.data?.r0.status, "ACTIVE");
  });

  it("of a trial at the end of the billing period ends it when the trial ends", async () => {
    await gql(PROVISION_CUSTOMER, { in0: { customerId: "trialist" } });
    const provisioned = await gql(provisionSubscriptions(1), {
      in0: {
        customerId: "trialist",
        planId: "plan-pro",
        trialOverrideConfiguration: { isTrial: true, trialEndDate: "2030-02-01T00:00:00.000Z" }
      }
    });
    const id = provisioned.data?.r0.subscription.subscriptionId;
    assert.equal(provisioned.data?.r0.subscription.status, "IN_TRIAL");
    const reply = await gql(cancelSubscriptions(1), {
      in0: { subscriptionRefId: id, subscriptionCancellationTime: "END_OF_BILLING_PERIOD" }
    });
    assert.equal(reply.data?.r0.endDate, "2030-02-01T00:00:00.000Z");
  });

  it("of an unknown subscription answers SubscriptionNotFound", async () => {
    assertError(
      await gql(cancelSubscriptions(1), { in0: { subscriptionRefId: "subscription-gone" } }),
      "r0",
      "SubscriptionNotFound"
    );
  });
});

describe("a plan change through provisionSubscriptionV2", () => {
  beforeEach(() => stigg.reset());

  it("upgrades the subscription it names at once, keeping its id", async () => {
    const id = await subscribed();
    const reply = await gql(provisionSubscriptions(1), {
      in0: { customerId: "acme", planId: "plan-enterprise", subscriptionId: id, billingPeriod: "ANNUALLY" }
    });
    assert.equal(reply.data?.r0.isScheduled, false);
    assert.equal(reply.data?.r0.subscription.subscriptionId, id);
    assert.equal(reply.data?.r0.subscription.plan.refId, "plan-enterprise");
    assert.deepEqual(reply.data?.r0.subscription.addons, [], "a plan change carries its whole package");
    assert.equal(stigg.subscriptions.length, 1);
  });

  it("schedules a renewal's upgrade to the end of the period with the schedule strategy", async () => {
    const id = await subscribed();
    const reply = await gql(provisionSubscriptions(1), {
      in0: {
        customerId: "acme",
        planId: "plan-enterprise",
        subscriptionId: id,
        scheduleStrategy: "END_OF_BILLING_PERIOD",
        addons: [{ addonId: "addon-premium-support", quantity: 1 }]
      }
    });
    assert.equal(reply.data?.r0.isScheduled, true);
    assert.equal(reply.data?.r0.subscription.plan.refId, "plan-pro");
    assert.deepEqual(reply.data?.r0.subscription.futureUpdates, [
      {
        subscriptionScheduleType: "Plan",
        scheduleStatus: "Scheduled",
        scheduledExecutionTime: PERIOD_END,
        scheduleVariables: {
          __typename: "PlanChangeVariables",
          planRefId: "plan-enterprise",
          changeType: "UPGRADE",
          billingPeriod: "MONTHLY",
          addons: [{ addonRefId: "addon-premium-support", quantity: 1 }]
        }
      }
    ]);
    stigg.clock.advanceDays(30);
    assert.equal(stored(id).planId, "plan-enterprise");
    assert.deepEqual(stored(id).addons, [{ addonId: "addon-premium-support", quantity: 1 }]);
  });

  it("schedules a downgrade to the end of the period by default", async () => {
    const id = await subscribed();
    const reply = await gql(provisionSubscriptions(1), {
      in0: { customerId: "acme", planId: "plan-basic", subscriptionId: id }
    });
    assert.equal(reply.data?.r0.isScheduled, true);
    assert.equal(reply.data?.r0.subscription.futureUpdates[0].subscriptionScheduleType, "Downgrade");
    assert.equal(reply.data?.r0.subscription.futureUpdates[0].scheduleVariables.downgradePlanRefId, "plan-basic");
  });

  it("refuses a subscription id that is cancelled or belongs to another customer", async () => {
    const acme = await subscribed("acme", "006A");
    await gql(PROVISION_CUSTOMER, { in0: { customerId: "globex" } });
    assertError(
      await gql(provisionSubscriptions(1), {
        in0: { customerId: "globex", planId: "plan-basic", subscriptionId: acme }
      }),
      "r0",
      "DuplicatedEntityNotAllowed"
    );
    await gql(cancelSubscriptions(1), { in0: { subscriptionRefId: acme, subscriptionCancellationTime: "IMMEDIATE" } });
    assertError(
      await gql(provisionSubscriptions(1), { in0: { customerId: "acme", planId: "plan-basic", subscriptionId: acme } }),
      "r0",
      "SubscriptionAlreadyCanceledOrExpired"
    );
  });

  it("happens without an id when the plan's product allows one subscription per customer", async () => {
    const single = await startFakeStigg({
      apiKey: KEY,
      catalog: { products: [{ productId: "product-main", multipleSubscriptions: false, downgradesAt: "IMMEDIATE" }] }
    });
    try {
      const singleGql = client(() => single.url, KEY);
      await singleGql(PROVISION_CUSTOMER, { in0: { customerId: "acme" } });
      await singleGql(provisionSubscriptions(1), { in0: { customerId: "acme", planId: "plan-pro" } });
      const second = await singleGql(provisionSubscriptions(1), { in0: { customerId: "acme", planId: "plan-basic" } });
      assert.equal(second.data?.r0.isScheduled, false, "this product's downgrades are immediate");
      assert.equal(single.subscriptions.length, 1);
      assert.equal(single.subscriptions[0].planId, "plan-basic");
    } finally {
      await single.close();
    }
  });
});

describe("credit grants and balances", () => {
  beforeEach(() => stigg.reset());
  const GRANT = batch(
    "mutation",
    "SfCreateCreditGrants",
    "createCreditGrant",
    "input",
    "CreditGrantInput!",
    "{ grantId customerId currencyId amount displayName grantType status effectiveAt expireAt additionalMetaData }",
    1
  );
  const BALANCE = batch(
    "query",
    "SfCreditBalances",
    "creditBalanceSummary",
    "input",
    "CreditBalanceSummaryInput!",
    "{ customerId balances { currencyId currentBalance totalGranted totalConsumed currency { currencyId displayName } } }",
    1
  );
  const GRANTS = batch(
    "query",
    "SfCreditGrants",
    "creditGrants",
    "input",
    "GetCreditGrantsInput!",
    "{ edges { node { grantId grantType amount status additionalMetaData } } }",
    1
  );
  const grant = (input: Record<string, unknown>) =>
    gql(GRANT, {
      in0: {
        customerId: "globex",
        currencyId: "credits-ai-tokens",
        amount: 500,
        displayName: "Q1 top-up",
        grantType: "PAID",
        ...input
      }
    });

  it("grants credits, and the balance counts the active ones only", async () => {
    await gql(PROVISION_CUSTOMER, { in0: { customerId: "globex" } });
    const paid = await grant({ additionalMetaData: { salesforceId: "a0X1" } });
    assert.deepEqual(paid.errors, []);
    assert.equal(paid.data?.r0.status, "ACTIVE");
    assert.match(paid.data?.r0.grantId, /^grant-\d{6}$/);
    const later = await grant({ amount: 200, grantType: "PROMOTIONAL", effectiveAt: "2030-03-01T00:00:00.000Z" });
    assert.equal(later.data?.r0.status, "SCHEDULED");

    const balance = await gql(BALANCE, { in0: { customerId: "globex" } });
    assert.deepEqual(balance.data?.r0, {
      customerId: "globex",
      balances: [
        {
          currencyId: "credits-ai-tokens",
          currentBalance: 500,
          totalGranted: 500,
          totalConsumed: 0,
          currency: { currencyId: "credits-ai-tokens", displayName: "AI tokens" }
        }
      ]
    });
    stigg.clock.set("2030-03-01T00:00:00.000Z");
    assert.equal((await gql(BALANCE, { in0: { customerId: "globex" } })).data?.r0.balances[0].currentBalance, 700);
  });

  it("grants twice when asked twice, as Stigg does, and lists both with their metadata to look before writing", async () => {
    await gql(PROVISION_CUSTOMER, { in0: { customerId: "globex" } });
    await grant({ additionalMetaData: { salesforceId: "a0X1" } });
    await grant({ additionalMetaData: { salesforceId: "a0X1" } });
    const listed = await gql(GRANTS, { in0: { customerId: "globex" } });
    assert.deepEqual(
      listed.data?.r0.edges.map((edge: { node: { additionalMetaData: unknown } }) => edge.node.additionalMetaData),
      [{ salesforceId: "a0X1" }, { salesforceId: "a0X1" }]
    );
  });

  it("refuses an unknown currency or customer, and an expiry before the start", async () => {
    await gql(PROVISION_CUSTOMER, { in0: { customerId: "globex" } });
    assertError(await grant({ currencyId: "credits-gold" }), "r0", "CustomCurrencyNotFound", /credits-gold/);
    assertError(await grant({ customerId: "nobody" }), "r0", "CustomerNotFound");
    assertError(
      await grant({ effectiveAt: "2030-02-01T00:00:00Z", expireAt: "2030-01-31T00:00:00Z" }),
      "r0",
      "ExpireAtMustBeLaterThanEffectiveAtError"
    );
    assertError(await grant({ amount: 0 }), "r0", "InvalidArgumentError", /positive/);
    assert.equal(stigg.creditGrants.length, 0);
  });

  it("grants a subscription's recurring credits once per period", async () => {
    await subscribed();
    const recurring = () => stigg.creditGrants.filter((entry) => entry.grantType === "RECURRING");
    await gql(BALANCE, { in0: { customerId: "acme" } });
    assert.deepEqual(
      recurring().map((entry) => [entry.amount, entry.effectiveAt, entry.expireAt]),
      [[1000, START, PERIOD_END]]
    );
    await gql(BALANCE, { in0: { customerId: "acme" } });
    assert.equal(recurring().length, 1);
    stigg.clock.set("2030-02-16T00:00:00.000Z");
    assert.equal(recurring().length, 2);
    assert.equal((await gql(BALANCE, { in0: { customerId: "acme" } })).data?.r0.balances[0].currentBalance, 1000);
  });
});

describe("triggerWorkflow", () => {
  beforeEach(() => stigg.reset());
  const TRIGGER = batch(
    "mutation",
    "SfTriggerWorkflows",
    "triggerWorkflow",
    "input",
    "TriggerWorkflowInput!",
    "{ success response }",
    2
  );

  it("runs a known trigger with its payload and refuses an unknown one", async () => {
    const reply = await gql(TRIGGER, {
      in0: { triggerId: "workflow-update-subscription", payload: { opportunityId: "006A", seats: 12 } },
      in1: { triggerId: "workflow-nope", payload: {} }
    });
    assert.equal(reply.data, null, "triggerWorkflow is non-null: one failed alias takes data to null");
    assert.deepEqual(reply.errors[0].path, ["r1"]);
    assert.equal(reply.errors[0].extensions?.code, "WorkflowTriggerNotFound");
    assert.deepEqual(
      stigg.workflowRuns.map((run) => [run.executionId, run.triggerId, run.payload, run.isTest]),
      [["execution-000001", "workflow-update-subscription", { opportunityId: "006A", seats: 12 }, false]]
    );
    const one = await gql(
      batch(
        "mutation",
        "SfTriggerWorkflows",
        "triggerWorkflow",
        "input",
        "TriggerWorkflowInput!",
        "{ success response }",
        1
      ),
      {
        in0: { triggerId: "workflow-cancel-subscription", isTest: true }
      }
    );
    assert.deepEqual(one.data?.r0, {
      success: true,
      response: { executionId: "execution-000002", triggerId: "workflow-cancel-subscription", isTest: true }
    });
  });
});

describe("the environment's clock and state from the control endpoint", () => {
  beforeEach(() => stigg.reset());

  it("moves forward, never back, and shows the state", async () => {
    const id = await subscribed();
    await gql(cancelSubscriptions(1), {
      in0: { subscriptionRefId: id, subscriptionCancellationTime: "END_OF_BILLING_PERIOD" }
    });
    const post = (body: unknown) =>
      fetch(`${stigg.url}/__fake/clock`, { method: "POST", body: JSON.stringify(body) }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { now?: string; error?: string }
      }));
    const moved = await post({ advanceDays: 40 });
    assert.equal(moved.status, 200);
    assert.match(moved.body.now ?? "", /^2030-03-01T10:00/);
    const back = await post({ now: "2030-01-01T00:00:00Z" });
    assert.equal(back.status, 400);
    assert.match(back.body.error ?? "", /only moves forward/);
    assert.equal((await post({ advanceWeeks: 1 })).status, 400);
    const state = (await (await fetch(`${stigg.url}/__fake/state`)).json()) as {
      subscriptions: { subscriptionId: string; status: string }[];
      creditGrants: unknown[];
    };
    assert.deepEqual(
      state.subscriptions.map((subscription) => [subscription.subscriptionId, subscription.status]),
      [[id, "CANCELED"]]
    );
  });
});

describe("a contract's life, each step sent twice", () => {
  before(() => stigg.reset());
  let id = "";
  const view = async () => (await gql(GET_SUBSCRIPTION, { in0: { subscriptionId: id } })).data?.r0;
  const twice = async (query: string, variables: Record<string, unknown>) => {
    const first = await gql(query, variables);
    assert.deepEqual(first.errors, []);
    const second = await gql(query, variables);
    assert.deepEqual(second.errors, []);
    return second;
  };

  it("a new deal provisions the plan, seats and add-on", async () => {
    id = await subscribed();
    assert.deepEqual(
      (await view()).addons.map((addon: { quantity: number }) => addon.quantity),
      [5]
    );
  });

  it("an upsell replaces the add-ons and seats at once", async () => {
    await twice(updateSubscriptions(1), {
      in0: {
        subscriptionId: id,
        scheduleStrategy: "IMMEDIATE",
        unitQuantity: 12,
        addons: [
          { addonId: "addon-extra-seats", quantity: 8 },
          { addonId: "addon-premium-support", quantity: 1 }
        ]
      }
    });
    const subscription = await view();
    assert.equal(subscription.prices[0].usageLimit, 12);
    assert.deepEqual(
      subscription.addons.map((addon: { addonId: string; quantity: number }) => [addon.addonId, addon.quantity]),
      [
        ["addon-extra-seats", 8],
        ["addon-premium-support", 1]
      ]
    );
  });

  it("an amendment with deltas is read first and sent as the new totals", async () => {
    const current = await view();
    const seats = current.prices[0].usageLimit + 2;
    await twice(updateSubscriptions(1), {
      in0: { subscriptionId: id, scheduleStrategy: "IMMEDIATE", unitQuantity: seats }
    });
    assert.equal((await view()).prices[0].usageLimit, 14);
  });

  it("a renewal changes plan and seats at the end of the period", async () => {
    const renewal = await twice(provisionSubscriptions(1), {
      in0: {
        customerId: "acme",
        planId: "plan-enterprise",
        subscriptionId: id,
        scheduleStrategy: "END_OF_BILLING_PERIOD",
        billingPeriod: "ANNUALLY",
        addons: [{ addonId: "addon-extra-seats", quantity: 10 }]
      }
    });
    assert.equal(renewal.data?.r0.isScheduled, true);
    assert.equal((await view()).futureUpdates.length, 1);
    stigg.clock.set(PERIOD_END);
    const renewed = await view();
    assert.equal(renewed.plan.refId, "plan-enterprise");
    assert.equal(renewed.billingPeriod, "ANNUALLY");
    assert.deepEqual(
      renewed.addons.map((addon: { quantity: number }) => addon.quantity),
      [10]
    );
    assert.equal(renewed.currentBillingPeriodEnd, "2031-02-15T00:00:00.000Z");
  });

  it("a lost renewal cancels at the end of the period", async () => {
    const cancelled = await twice(cancelSubscriptions(1), {
      in0: { subscriptionRefId: id, subscriptionCancellationTime: "END_OF_BILLING_PERIOD" }
    });
    assert.equal(cancelled.data?.r0.endDate, "2031-02-15T00:00:00.000Z");
    stigg.clock.set("2031-02-15T00:00:00.000Z");
    assert.equal((await view()).status, "CANCELED");
    assert.equal(stigg.subscriptions.length, 1);
  });
});
