/**
 * Once per deal: the subscription template starts when a deal is won (or created won) and when its status is set
 * back to Not Started, and at no other save; whatever starts it again, a deal never gets a second subscription.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ProvisioningOrg } from "../../scripts/lib/provisioning-org";
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

let org: ProvisioningOrg;

before(async () => {
  org = await startOrg();
});

after(async () => {
  await org?.stop();
});

const started = (observation: { flowEvents: { kind: string }[] }): number =>
  observation.flowEvents.filter((event) => event.kind === "start").length;

describe("the subscription template starts once per deal", () => {
  it("a failed deal set straight to Provisioned (fixed by hand) does not start it again", async () => {
    await injectFault(org, { kind: "http-error", status: 503, operation: "provisionSubscriptionV2" });
    const { dealId } = openDeal(org);
    await org.closeDeals([dealId]);
    await clearFaults(org);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Failed");

    const fixed = await org.save("Opportunity", [
      { Id: dealId, Stigg_Provisioning_Status__c: "Provisioned", Stigg_Subscription_ID__c: "subscription-set-by-hand" }
    ]);

    assertSaveNotBlocked(fixed);
    assert.equal(started(fixed), 0, "no flow started");
    assert.deepEqual(fixed.stiggRequests, []);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
  });

  it("a failed deal moved to Pending (an adapted flow marking work in progress) does not start it either", async () => {
    const { dealId } = openDeal(org, [{ product: "addon", quantity: 1 }]);
    await org.closeDeals([dealId]);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Failed");

    const pending = await org.save("Opportunity", [{ Id: dealId, Stigg_Provisioning_Status__c: "Pending" }]);

    assert.equal(started(pending), 0);
  });

  it("a retry (Failed, then Not Started) after recovery provisions the deal exactly once", async () => {
    await injectFault(org, { kind: "http-error", status: 503 });
    const { dealId } = openDeal(org);
    const failed = await org.closeDeals([dealId]);
    await clearFaults(org);
    assert.equal(started(failed), 1);

    const retried = await org.save("Opportunity", [{ Id: dealId, Stigg_Provisioning_Status__c: "Not Started" }]);
    const again = await org.save("Opportunity", [{ Id: dealId, Description: "saved again after the retry" }]);

    assert.equal(started(retried), 1);
    assert.equal(started(again), 0);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
    assert.equal((await subscriptionsOf(org, dealId)).length, 1);
  });

  it("two saves that win the deal in one transaction create one subscription", async () => {
    const { dealId } = openDeal(org);

    const saves = await org.observe(() =>
      org.anonymous(
        `update new Opportunity(Id = '${dealId}', StageName = 'Closed Won');\n` +
          `update new Opportunity(Id = '${dealId}', StageName = 'Negotiation/Review');\n` +
          `update new Opportunity(Id = '${dealId}', StageName = 'Closed Won');`
      )
    );

    assert.equal(saves.error, null);
    // Each save that wins the deal starts the flow; the second run finds the first one's subscription.
    assert.equal(started(saves), 2);
    assert.deepEqual(operations(saves.stiggRequests), [
      "SfProvisionCustomers",
      "SfProvisionSubscriptions",
      "SfProvisionCustomers",
      "SfFindSubscriptionsBySalesforceId"
    ]);
    const subscriptions = await subscriptionsOf(org, dealId);
    assert.equal(subscriptions.length, 1, "one subscription for the deal");
    assert.equal(opportunity(org, dealId).Stigg_Subscription_ID__c, subscriptions[0].subscriptionId);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
  });

  it("a deal reopened and won again finds its subscription in Stigg instead of creating a second one", async () => {
    const { dealId } = openDeal(org);
    await org.closeDeals([dealId]);
    const [first] = await subscriptionsOf(org, dealId);

    await org.closeDeals([dealId], "Negotiation/Review");
    const rewon = await org.closeDeals([dealId]);

    assertSaveNotBlocked(rewon);
    assert.deepEqual(operations(rewon.stiggRequests), ["SfProvisionCustomers", "SfFindSubscriptionsBySalesforceId"]);
    assert.deepEqual(
      (await subscriptionsOf(org, dealId)).map((subscription) => subscription.subscriptionId),
      [first.subscriptionId]
    );
    assert.equal(opportunity(org, dealId).Stigg_Subscription_ID__c, first.subscriptionId);
  });
});
