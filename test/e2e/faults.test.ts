/**
 * Deals that go wrong, through the subscription template's XML in the local org against fake-stigg: products
 * that make no subscription, and Stigg misbehaving (faults injected in fake-stigg). Each leaves the opportunity
 * Failed with a message that says what to fix, never blocks the rep's save, loses nothing (every interview ends
 * on a recorded outcome), and provisions the deal once the cause is gone and the status is set back to Not
 * Started.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { Observation, ProvisioningOrg } from "../../scripts/lib/provisioning-org";
import type { FaultRule } from "../../tools/fake-stigg/src/server";
import {
  assertSaveNotBlocked,
  clearFaults,
  injectFault,
  openDeal,
  operations,
  opportunity,
  startOrg,
  subscriptionsOf
} from "./harness";
import type { DealLine } from "../../scripts/lib/provisioning-org";

let org: ProvisioningOrg;

before(async () => {
  org = await startOrg();
});

afterEach(async () => {
  await clearFaults(org);
});

after(async () => {
  await org?.stop();
});

/** Closes a new deal selling the lines, and checks it ended Failed without blocking the save. */
async function closeFailing(
  lines?: readonly DealLine[]
): Promise<{ dealId: string; closed: Observation; error: string }> {
  const { dealId } = openDeal(org, lines);
  const closed = await org.closeDeals([dealId]);
  assertSaveNotBlocked(closed);
  const deal = opportunity(org, dealId);
  assert.equal(deal.StageName, "Closed Won", "the deal stays won");
  assert.equal(deal.Stigg_Provisioning_Status__c, "Failed");
  assert.notEqual(deal.Stigg_Last_Attempt__c, null);
  return { dealId, closed, error: String(deal.Stigg_Last_Error__c) };
}

/** With the cause gone, setting the status back to Not Started provisions the deal, once. */
async function retryProvisions(dealId: string): Promise<Observation> {
  await clearFaults(org);
  const retried = await org.save("Opportunity", [{ Id: dealId, Stigg_Provisioning_Status__c: "Not Started" }]);
  assertSaveNotBlocked(retried);
  const deal = opportunity(org, dealId);
  assert.equal(deal.Stigg_Provisioning_Status__c, "Provisioned", String(deal.Stigg_Last_Error__c));
  const subscriptions = await subscriptionsOf(org, dealId);
  assert.equal(subscriptions.length, 1, "exactly one subscription for the deal");
  assert.equal(deal.Stigg_Subscription_ID__c, subscriptions[0].subscriptionId);
  return retried;
}

describe("products that make no subscription", () => {
  it("no plan: Failed [NoPlan] with what to add, and nothing sent to Stigg", async () => {
    const { dealId, closed, error } = await closeFailing([{ product: "addon", quantity: 2 }]);

    assert.deepEqual(closed.stiggRequests, []);
    assert.equal(
      error,
      "Stigg provisioning failed [NoPlan]: no product on this opportunity has Stigg Type Plan, so there is no plan to subscribe the customer to. To fix: add the product of the Stigg plan (a product with Stigg Type Plan and a Stigg ID) to the opportunity, then set Stigg Provisioning Status back to Not Started."
    );
    // The plan product is added as the message says; then the retry provisions the deal.
    org.addLines(dealId, [{ product: "plan", quantity: 1 }]);
    await retryProvisions(dealId);
  });

  it("two plans: Failed [MultiplePlans] naming both, and nothing sent to Stigg", async () => {
    const { closed, error } = await closeFailing([
      { product: "plan", quantity: 1 },
      { product: "enterprise", quantity: 1 }
    ]);

    assert.deepEqual(closed.stiggRequests, []);
    assert.match(
      error,
      /^Stigg provisioning failed \[MultiplePlans\]: 2 products on this opportunity have Stigg Type Plan \((plan-pro, plan-enterprise|plan-enterprise, plan-pro)\), and a subscription has exactly one plan\. To fix: keep one plan product on the opportunity \(sell the others as add-ons\), then set Stigg Provisioning Status back to Not Started\.$/
    );
  });

  it("an unknown plan id: Failed [PlanNotFound] with Stigg's trace id and what to correct", async () => {
    const { dealId, closed, error } = await closeFailing([{ product: "unknownPlan", quantity: 1 }]);

    assert.deepEqual(operations(closed.stiggRequests), ["SfProvisionCustomers", "SfProvisionSubscriptions"]);
    assert.match(
      error,
      /^Stigg provisioning failed \[PlanNotFound\]: PlanNotFound: Plan not found: plan-galactic \(trace [\w-]+\) To fix: Check that the Stigg ID on the product matches a published plan, add-on or feature in the Stigg environment of the API key\.$/
    );
    assert.deepEqual(await subscriptionsOf(org, dealId), []);
  });

  it("an unknown add-on: Failed [AddonNotFound], and no subscription without it", async () => {
    const { dealId, error } = await closeFailing([
      { product: "plan", quantity: 1 },
      { product: "unknownAddon", quantity: 1 }
    ]);

    assert.match(
      error,
      /^Stigg provisioning failed \[AddonNotFound\]: AddonNotFound: Addon not found: addon-unicorn \(trace [\w-]+\) To fix: Check that the Stigg ID on the product matches/
    );
    assert.deepEqual(await subscriptionsOf(org, dealId), []);
  });
});

describe("Stigg misbehaving", () => {
  const cases: { title: string; fault: FaultRule; error: RegExp }[] = [
    {
      title: "Stigg down (500)",
      fault: { kind: "http-error", status: 500 },
      error:
        /^Stigg provisioning failed \[StiggUnavailable\]: the customer could not be created in Stigg\. Stigg is unavailable \(HTTP 500\)\. Stigg had a server error or is down for maintenance: retry in a few minutes\..* To fix: Do what the message says, then set Stigg Provisioning Status back to Not Started\.$/
    },
    {
      title: "Stigg down (503)",
      fault: { kind: "http-error", status: 503 },
      error:
        /^Stigg provisioning failed \[StiggUnavailable\]: the customer could not be created in Stigg\. Stigg is unavailable \(HTTP 503\)\./
    },
    {
      title: "rate limited (429 with Retry-After)",
      fault: { kind: "rate-limit", retryAfterSeconds: 30 },
      error:
        /^Stigg provisioning failed \[RateLimitExceeded\]: the customer could not be created in Stigg\. Stigg is limiting the request rate \(429\); it asked to wait 30 seconds \(Retry-After\)\. Stigg limits how many calls an API key may make: retry after 30 seconds\./
    },
    {
      title: "a dropped connection",
      fault: { kind: "drop" },
      error:
        /^Stigg provisioning failed \[CalloutFailed\]: the customer could not be created in Stigg\. Could not reach Stigg: .+ The connection to Stigg failed: retry later\./
    },
    {
      title: "an answer that is not JSON",
      fault: { kind: "non-json" },
      error:
        /^Stigg provisioning failed \[InvalidResponse\]: the customer could not be created in Stigg\. Stigg sent a response that is not GraphQL JSON \(HTTP 200\): .+ Something other than Stigg's API answered/
    },
    {
      title: "a bad API key (401)",
      fault: { kind: "wrong-key" },
      error:
        /^Stigg provisioning failed \[Unauthorized\]: the customer could not be created in Stigg\. Stigg rejected the API key \(401\)\. Enter a valid Stigg server API key on the Stigg Configuration tab\. To fix: Do what the message says, then set Stigg Provisioning Status back to Not Started\.$/
    }
  ];

  for (const { title, fault, error: expected } of cases) {
    it(`${title}: Failed with what to do, no subscription call, and a retry after recovery provisions it once`, async () => {
      await injectFault(org, fault);

      const { dealId, closed, error } = await closeFailing();

      assert.match(error, expected);
      assert.deepEqual(operations(closed.stiggRequests), ["SfProvisionCustomers"], "the subscription is not attempted");
      assert.equal(closed.stiggRequests[0].fault, fault.kind, "the request met the fault");
      await retryProvisions(dealId);
    });
  }

  it("Stigg times out (a call that never answers): Failed [CalloutFailed] after the callout timeout, with what to do", async () => {
    org.setStiggSettings({ Callout_Timeout_Seconds__c: 1 });
    try {
      // Never answers within the test's life: the outcome cannot depend on how busy the machine is.
      await injectFault(org, { kind: "slow", delayMs: 3_600_000 });

      const { dealId, error } = await closeFailing();

      assert.match(
        error,
        /^Stigg provisioning failed \[CalloutFailed\]: the customer could not be created in Stigg\. Could not reach Stigg: Read timed out Stigg did not answer within the callout timeout, so it is slow or unavailable: retry later\. If it keeps happening while Stigg is up, raise Callout Timeout \(Seconds\) in Stigg Settings\./
      );
      await retryProvisions(dealId);
    } finally {
      org.setStiggSettings({ Callout_Timeout_Seconds__c: null });
    }
  });

  it("Stigg down when the subscription is sent: the action records Failed, says a retry is safe, and the retry finds nothing to duplicate", async () => {
    await injectFault(org, { kind: "http-error", status: 503, operation: "provisionSubscriptionV2" });

    const { dealId, closed, error } = await closeFailing();

    assert.deepEqual(operations(closed.stiggRequests), ["SfProvisionCustomers", "SfProvisionSubscriptions"]);
    assert.match(
      error,
      new RegExp(
        `^Stigg provisioning failed \\[StiggUnavailable\\]: Stigg is unavailable \\(HTTP 503\\)\\. To fix: Stigg had a server error .* A retry is safe: it first looks up the subscription of ${dealId} in Stigg and returns it instead of creating another\\.$`
      )
    );
    const retried = await retryProvisions(dealId);
    assert.deepEqual(operations(retried.stiggRequests), [
      "SfProvisionCustomers",
      "SfFindSubscriptionsBySalesforceId",
      "SfProvisionSubscriptions"
    ]);
  });

  it("the answer lost after Stigg created the subscription: the retry returns that subscription instead of creating another", async () => {
    await injectFault(org, { kind: "drop", applied: true, operation: "provisionSubscriptionV2" });

    const { dealId, error } = await closeFailing();

    assert.match(
      error,
      /^Stigg provisioning failed \[CalloutFailed\]: .* A retry is safe: it first looks up the subscription/
    );
    const created = await subscriptionsOf(org, dealId);
    assert.equal(created.length, 1, "Stigg ran the request whose answer was lost");

    const retried = await retryProvisions(dealId);

    assert.deepEqual(operations(retried.stiggRequests), ["SfProvisionCustomers", "SfFindSubscriptionsBySalesforceId"]);
    assert.equal(opportunity(org, dealId).Stigg_Subscription_ID__c, created[0].subscriptionId);
  });
});
