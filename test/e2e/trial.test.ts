/**
 * The trial template and the subscription template active together, as the admin guide describes: a deal at the POC
 * stage gets a trial of its plan, and Closed Won then provisions the paid subscription for the same Stigg
 * customer.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SUBSCRIPTION_TEMPLATE, TRIAL_TEMPLATE, type ProvisioningOrg } from "../../scripts/lib/provisioning-org";
import {
  account,
  assertSaveNotBlocked,
  clearFaults,
  injectFault,
  openDeal,
  operations,
  opportunity,
  requestsOf,
  startOrg
} from "./harness";

let org: ProvisioningOrg;

before(async () => {
  org = await startOrg({ activateFlows: [TRIAL_TEMPLATE, SUBSCRIPTION_TEMPLATE] });
});

after(async () => {
  await org?.stop();
});

const PLAN_ONLY = [
  { product: "plan", quantity: 1 },
  { product: "addon", quantity: 3 }
];

describe("a proof of concept that closes", () => {
  it("gets a trial at POC, then the paid subscription at Closed Won, for the same Stigg customer", async () => {
    const { dealId, accountId } = openDeal(org, PLAN_ONLY, { Name: "Hooli" });

    const poc = await org.closeDeals([dealId], "POC");

    assertSaveNotBlocked(poc);
    assert.deepEqual(
      poc.flowEvents.filter((event) => event.kind === "start").map((event) => event.flow),
      [TRIAL_TEMPLATE]
    );
    assert.deepEqual(requestsOf(poc, "SfProvisionCustomers"), [
      [200, { in0: { customerId: accountId, name: "Hooli", salesforceId: accountId } }]
    ]);
    assert.deepEqual(requestsOf(poc, "SfProvisionSubscriptions"), [
      [
        200,
        {
          in0: {
            customerId: accountId,
            planId: "plan-pro",
            // The deal's Close Date (2030-12-15) is in the future: the trial lasts until then.
            trialOverrideConfiguration: {
              isTrial: true,
              trialEndDate: "2030-12-15T00:00:00Z",
              trialEndBehavior: "CANCEL_SUBSCRIPTION"
            }
          }
        }
      ]
    ]);
    const trialId = opportunity(org, dealId).Stigg_Subscription_ID__c;
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
    assert.equal(account(org, accountId).Stigg_Customer_ID__c, accountId);

    const won = await org.closeDeals([dealId]);

    assertSaveNotBlocked(won);
    assert.deepEqual(
      won.flowEvents.filter((event) => event.kind === "start").map((event) => event.flow),
      [SUBSCRIPTION_TEMPLATE]
    );
    // The customer the trial created is reached again by the Account's Stigg Customer ID; the look-up finds no
    // subscription of the deal (the trial is not linked to it), so the paid one is created.
    assert.deepEqual(operations(won.stiggRequests), [
      "SfProvisionCustomers",
      "SfFindSubscriptionsBySalesforceId",
      "SfProvisionSubscriptions"
    ]);
    assert.deepEqual(requestsOf(won, "SfProvisionCustomers"), [
      [200, { in0: { customerId: accountId, name: "Hooli", salesforceId: accountId } }]
    ]);
    assert.deepEqual(requestsOf(won, "SfProvisionSubscriptions")[0][1], {
      in0: {
        customerId: accountId,
        planId: "plan-pro",
        addons: [{ addonId: "addon-extra-seats", quantity: 3 }],
        salesforceId: dealId
      }
    });
    const state = await org.stiggState();
    assert.ok(state);
    assert.deepEqual(
      state.customers.filter((customer) => customer.salesforceId === accountId).map((customer) => customer.customerId),
      [accountId],
      "no duplicate customer"
    );
    const subscriptions = state.subscriptions.filter((subscription) => subscription.customerId === accountId);
    const paid = subscriptions.find((subscription) => subscription.salesforceId === dealId);
    assert.ok(paid, "the paid subscription is linked to the deal");
    assert.deepEqual(
      subscriptions.map((subscription) => [
        subscription.subscriptionId,
        subscription.status,
        subscription.salesforceId
      ]),
      [
        [trialId, "IN_TRIAL", null],
        [paid.subscriptionId, "ACTIVE", dealId]
      ]
    );
    assert.equal(opportunity(org, dealId).Stigg_Subscription_ID__c, paid.subscriptionId);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
    assert.equal(account(org, accountId).Stigg_Customer_ID__c, accountId);
  });

  it("moving the deal back to POC later starts no second trial", async () => {
    const { dealId } = openDeal(org, PLAN_ONLY);
    await org.closeDeals([dealId], "POC");

    await org.closeDeals([dealId], "Qualification");
    const back = await org.closeDeals([dealId], "POC");

    assert.deepEqual(back.flowEvents, []);
    assert.deepEqual(back.stiggRequests, []);
  });

  it("a failed trial is retried with Not Started like a failed subscription, and still converts at Closed Won", async () => {
    await injectFault(org, { kind: "http-error", status: 503, operation: "provisionSubscriptionV2" });
    const { dealId } = openDeal(org, PLAN_ONLY);
    await org.closeDeals([dealId], "POC");
    await clearFaults(org);
    assert.match(
      String(opportunity(org, dealId).Stigg_Last_Error__c),
      /^Stigg trial failed \[StiggUnavailable\]: the trial subscription could not be created in Stigg\. Stigg is unavailable \(HTTP 503\)\./
    );

    const retried = await org.save("Opportunity", [{ Id: dealId, Stigg_Provisioning_Status__c: "Not Started" }]);

    assert.deepEqual(
      retried.flowEvents.filter((event) => event.kind === "start").map((event) => event.flow),
      [TRIAL_TEMPLATE]
    );
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
    const won = await org.closeDeals([dealId]);
    assert.deepEqual(operations(won.stiggRequests), [
      "SfProvisionCustomers",
      "SfFindSubscriptionsBySalesforceId",
      "SfProvisionSubscriptions"
    ]);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
  });
});
