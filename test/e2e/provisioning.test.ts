/**
 * Deals that go right, through the subscription template's XML in the local org against fake-stigg: what Stigg
 * receives for each kind of product, an Account already linked to a customer, opportunities created won, and the
 * quantities a deal can carry.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ProvisioningOrg } from "../../scripts/lib/provisioning-org";
import {
  GOOD_LINES,
  account,
  assertSaveNotBlocked,
  openDeal,
  operations,
  opportunity,
  requestsOf,
  startOrg,
  subscriptionsOf
} from "./harness";

const ENVIRONMENT = "acme-demo";
let org: ProvisioningOrg;

before(async () => {
  org = await startOrg({ environment: ENVIRONMENT });
});

after(async () => {
  await org?.stop();
});

describe("a deal closed won", () => {
  it("sends the plan, the add-on with its quantity and the entitlement with its usage limit, skips products without a Stigg Type, and records the outcome", async () => {
    const { dealId, accountId } = openDeal(org, GOOD_LINES, { Name: "Northwind Traders" });

    const closed = await org.closeDeals([dealId]);

    assertSaveNotBlocked(closed);
    assert.deepEqual(
      closed.stiggRequests.map((request) => [request.httpStatus, request.operationName, request.variables]),
      [
        [
          200,
          "SfProvisionCustomers",
          { in0: { customerId: accountId, name: "Northwind Traders", salesforceId: accountId } }
        ],
        [
          200,
          "SfProvisionSubscriptions",
          {
            in0: {
              customerId: accountId,
              planId: "plan-pro",
              addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
              subscriptionEntitlements: [{ featureId: "feature-api-calls", usageLimit: 100000 }],
              salesforceId: dealId
            }
          }
        ]
      ]
    );
    const [subscription, ...others] = await subscriptionsOf(org, dealId);
    assert.deepEqual(others, [], "one subscription for the deal");
    const deal = opportunity(org, dealId);
    assert.equal(deal.Stigg_Provisioning_Status__c, "Provisioned");
    assert.equal(deal.Stigg_Subscription_ID__c, subscription.subscriptionId);
    assert.equal(deal.Stigg_Last_Error__c, null);
    assert.notEqual(deal.Stigg_Last_Attempt__c, null);
    assert.equal(deal.StageName, "Closed Won");
    assert.deepEqual(account(org, accountId), {
      Id: accountId,
      Name: "Northwind Traders",
      Stigg_Customer_ID__c: accountId,
      Stigg_Customer_URL__c: `https://app.stigg.io/${ENVIRONMENT}/customers/${accountId}`
    });
    // Stigg holds what was sold.
    assert.equal(subscription.customerId, accountId);
    assert.equal(subscription.planId, "plan-pro");
    assert.deepEqual(subscription.addons, [{ addonId: "addon-extra-seats", quantity: 5 }]);
    assert.deepEqual(
      subscription.entitlements.map((entitlement) => [entitlement.featureId, entitlement.usageLimit]),
      [["feature-api-calls", 100000]]
    );
  });

  it("runs no query, DML or callout per deal: one Get Records, one call of each action, the outcomes written in bulk", async () => {
    const { dealId } = openDeal(org);

    const closed = await org.closeDeals([dealId]);

    assert.deepEqual(
      closed.transactions.map((transaction) => [transaction.description, transaction.callouts]),
      [
        ["api", 0],
        ["Opportunity_Stigg_Subscription_Template: Run Asynchronously", 2]
      ]
    );
  });

  it("reaches the customer an Account is already linked to, and keeps its Stigg Customer ID", async () => {
    const { dealId, accountId } = openDeal(org, GOOD_LINES, {
      Name: "Initech",
      Stigg_Customer_ID__c: "initech-legacy-42"
    });

    const closed = await org.closeDeals([dealId]);

    assertSaveNotBlocked(closed);
    assert.deepEqual(requestsOf(closed, "SfProvisionCustomers"), [
      [200, { in0: { customerId: "initech-legacy-42", name: "Initech", salesforceId: accountId } }]
    ]);
    assert.equal(
      (requestsOf(closed, "SfProvisionSubscriptions")[0][1].in0 as Record<string, unknown>).customerId,
      "initech-legacy-42"
    );
    assert.deepEqual(account(org, accountId), {
      Id: accountId,
      Name: "Initech",
      Stigg_Customer_ID__c: "initech-legacy-42",
      Stigg_Customer_URL__c: `https://app.stigg.io/${ENVIRONMENT}/customers/initech-legacy-42`
    });
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
    const state = await org.stiggState();
    assert.equal(state?.customers.filter((customer) => customer.salesforceId === accountId).length, 1, "one customer");
  });

  it("does not start again when the won deal is edited later", async () => {
    const { dealId } = openDeal(org);
    await org.closeDeals([dealId]);

    const edited = await org.save("Opportunity", [{ Id: dealId, Amount: 12000, Description: "Signed" }]);

    assertSaveNotBlocked(edited);
    assert.deepEqual(edited.flowEvents, [], "no flow ran");
    assert.deepEqual(edited.stiggRequests, []);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
  });
});

describe("an opportunity created already Closed Won", () => {
  it("is provisioned from the products saved with it in the same transaction (CPQ, integrations)", async () => {
    const [accountId] = org.createAccounts([{ Name: "Globex" }]);

    const created = await org.createDealsInOneTransaction([
      { name: "Globex - imported", accountId, stage: "Closed Won", lines: [...GOOD_LINES] }
    ]);

    assert.equal(created.error, null);
    const [dealId] = created.ids;
    assert.deepEqual(operations(created.stiggRequests), ["SfProvisionCustomers", "SfProvisionSubscriptions"]);
    assert.deepEqual(requestsOf(created, "SfProvisionSubscriptions")[0][1], {
      in0: {
        customerId: accountId,
        planId: "plan-pro",
        addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
        subscriptionEntitlements: [{ featureId: "feature-api-calls", usageLimit: 100000 }],
        salesforceId: dealId
      }
    });
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
    assert.equal(account(org, accountId).Stigg_Customer_ID__c, accountId);
  });

  it("ends Failed [NoPlan] when its products come in a later transaction, and a retry once they are there provisions it", async () => {
    const [accountId] = org.createAccounts([{ Name: "Umbrella" }]);
    let dealId = "";
    const created = await org.observe(() => {
      [dealId] = org.createDeals([
        { name: "Umbrella - loaded", accountId, stage: "Closed Won", lines: [...GOOD_LINES] }
      ]);
    });

    assert.equal(created.error, null);
    assert.deepEqual(created.stiggRequests, [], "nothing sent without a plan");
    assert.match(
      String(opportunity(org, dealId).Stigg_Last_Error__c),
      /^Stigg provisioning failed \[NoPlan\]: no product on this opportunity has Stigg Type Plan/
    );
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Failed");

    const retried = await org.save("Opportunity", [{ Id: dealId, Stigg_Provisioning_Status__c: "Not Started" }]);

    assertSaveNotBlocked(retried);
    // A previous attempt is recorded on the deal, so the action first looks for a subscription it may have made.
    assert.deepEqual(operations(retried.stiggRequests), [
      "SfProvisionCustomers",
      "SfFindSubscriptionsBySalesforceId",
      "SfProvisionSubscriptions"
    ]);
    assert.deepEqual(requestsOf(retried, "SfFindSubscriptionsBySalesforceId")[0][1], {
      in0: { salesforceId: { eq: dealId } }
    });
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");
    assert.equal((await subscriptionsOf(org, dealId)).length, 1);
  });
});

describe("quantities", () => {
  it("a fractional add-on quantity comes back as InvalidInput naming the field and its line, and the deal is Failed with what to fix", async () => {
    const { dealId } = openDeal(org, [
      { product: "plan", quantity: 1 },
      { product: "addon", quantity: 2.5 }
    ]);

    const closed = await org.closeDeals([dealId]);

    assertSaveNotBlocked(closed);
    assert.deepEqual(requestsOf(closed, "SfProvisionSubscriptions"), [], "nothing provisioned with a rounded quantity");
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Failed");
    assert.equal(
      opportunity(org, dealId).Stigg_Last_Error__c,
      "Stigg provisioning failed [InvalidInput]: Add-on Quantities[1] must be a whole number (got 2.50). To fix: Correct the value named above in the flow or in the product mapping, then retry."
    );
  });

  it("a negative add-on quantity and a negative usage limit are refused by name, line by line", async () => {
    const { dealId } = openDeal(org, [
      { product: "plan", quantity: 1 },
      { product: "addon", quantity: -3 },
      { product: "entitlement", quantity: -10 }
    ]);

    const closed = await org.closeDeals([dealId]);

    assertSaveNotBlocked(closed);
    assert.deepEqual(requestsOf(closed, "SfProvisionSubscriptions"), []);
    const error = String(opportunity(org, dealId).Stigg_Last_Error__c);
    assert.match(error, /^Stigg provisioning failed \[InvalidInput\]: /);
    assert.match(error, /Add-on Quantities\[1\] must be [^.]*at least 1[^.]*\(got -3(\.00)?\)/);
    assert.match(error, /Entitlement Usage Limits\[1\] must be [^.]*0 or more[^.]*\(got -10(\.00)?\)/);
    assert.match(error, /To fix: Correct the value named above in the flow or in the product mapping, then retry\.$/);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Failed");
  });
});
