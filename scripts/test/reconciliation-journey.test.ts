/**
 * The reconciliation end to end, on the package's own Apex run by the local org against the fake Stigg (which holds
 * every request to the contract): a deal is provisioned with the flow actions (in the order the subscription template
 * runs them; the flow engine's version of this journey is for later), the Stigg card reads it, a hand edit in the
 * Stigg app makes drift, the reconciliation records the exact difference on the Opportunity, Fix pushes the contract,
 * and the next run finds no drift.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalOrg, type JsValue } from "../../tools/local-org/src/index";
import { spawnFakeStigg, type SpawnedFakeStigg } from "../../tools/fake-stigg/src/remote";

const root = path.resolve(__dirname, "..", "..");
const API_KEY = "server-journey-5e1d";

type Row = Record<string, JsValue>;

let stigg: SpawnedFakeStigg;
let org: LocalOrg;

/** Runs anonymous Apex and returns what it printed with System.debug, parsed as JSON. */
function apex<T>(source: string): T {
  const result = org.runAnonymous(source);
  assert.ok(result.success, `${result.exceptionMessage}\n${result.stackTrace}`);
  const printed = result.debugLog[result.debugLog.length - 1];
  return (printed === undefined ? undefined : JSON.parse(printed)) as T;
}

function deal(opportunityId: string): Row {
  const [row] = org.query(
    `SELECT Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c, Stigg_Drift_Status__c, Stigg_Drift_Details__c FROM Opportunity WHERE Id = '${opportunityId}'`
  ) as Row[];
  return row;
}

/** Starts a reconciliation run; its queued job runs when the anonymous Apex ends, as in an org. */
function reconcile(): Row {
  apex("StiggReconciliation.start(StiggReconciliation.TRIGGER_ON_DEMAND);");
  return apex<Row>("System.debug(JSON.serialize(StiggReconciliation.latestRun()));");
}

before(async () => {
  stigg = await spawnFakeStigg({ apiKey: API_KEY, environmentSlug: "acme-journey" });
  org = LocalOrg.load({
    sourceDirs: [path.join(root, "force-app")],
    namedCredentials: { Stigg: { url: stigg.url } },
    credentials: { "Stigg.ApiKey": API_KEY }
  });
});

after(async () => {
  await stigg?.stop();
});

describe("a deal, the Stigg card and the reconciliation, end to end", () => {
  it("provisions, shows, finds a hand edit as drift, fixes it and finds no drift after", async () => {
    const userId = apex<string>("System.debug(JSON.serialize(UserInfo.getUserId()));");
    const [adminSet] = org.query("SELECT Id FROM PermissionSet WHERE Name = 'Stigg_Admin'") as Row[];
    org.insert("PermissionSetAssignment", [{ AssigneeId: userId, PermissionSetId: adminSet.Id }]);

    const [accountId] = org.insert("Account", [{ Name: "Acme Journeys" }]);
    const productIds = org.insert("Product2", [
      { Name: "Pro Plan", IsActive: true, Stigg_Type__c: "Plan", Stigg_ID__c: "plan-pro" },
      { Name: "Extra Seats", IsActive: true, Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-extra-seats" },
      { Name: "API Calls", IsActive: true, Stigg_Type__c: "Entitlement", Stigg_ID__c: "feature-api-calls" }
    ]);
    const [pricebookId] = org.insert("Pricebook2", [{ Name: "Standard Price Book", IsActive: true }]);
    const entryIds = org.insert(
      "PricebookEntry",
      productIds.map((productId) => ({
        Pricebook2Id: pricebookId,
        Product2Id: productId,
        UnitPrice: 10,
        IsActive: true
      }))
    );
    const [opportunityId] = org.insert("Opportunity", [
      {
        Name: "Acme Journeys - Pro",
        AccountId: accountId,
        StageName: "Closed Won",
        CloseDate: "2030-01-15",
        Pricebook2Id: pricebookId
      }
    ]);
    const quantities = [1, 5, 50000];
    org.insert(
      "OpportunityLineItem",
      entryIds.map((entryId, i) => ({
        OpportunityId: opportunityId,
        PricebookEntryId: entryId,
        Quantity: quantities[i],
        UnitPrice: 10
      }))
    );

    // The subscription template's steps, with the package's actions.
    const customer = org.invokeInvocable("CreateStiggCustomerAction", [
      { accountId, name: "Acme Journeys", customerId: null }
    ]);
    const customerResult = customer.outputs[0] as Row;
    assert.equal(customerResult.success, true, String(customerResult.errorMessage));
    const subscription = org.invokeInvocable("CreateStiggSubscriptionAction", [
      {
        customerId: customerResult.customerId,
        planId: "plan-pro",
        addonIds: ["addon-extra-seats"],
        addonQuantities: [5],
        entitlementFeatureIds: ["feature-api-calls"],
        entitlementUsageLimits: [50000],
        opportunityId
      }
    ]);
    const subscriptionResult = subscription.outputs[0] as Row;
    assert.equal(subscriptionResult.success, true, String(subscriptionResult.errorMessage));
    apex(
      `update new Account(Id = '${accountId}', Stigg_Customer_ID__c = '${customerResult.customerId}', Stigg_Customer_URL__c = '${customerResult.customerUrl}');`
    );
    const subscriptionId = String(subscriptionResult.subscriptionId);
    assert.equal(deal(opportunityId).Stigg_Provisioning_Status__c, "Provisioned");

    // The Stigg card of the Opportunity: one request, what Stigg holds now.
    const card = apex<{
      state: string;
      subscriptions: { subscriptionId: string; isThisDeal: boolean; url: string; addons: { quantity: number }[] }[];
      entitlements: { featureId: string; usageLimit: number }[];
    }>(`System.debug(JSON.serialize(StiggCardController.getCard('${opportunityId}')));`);
    assert.equal(card.state, "ready");
    assert.deepEqual(
      card.subscriptions.map((entry) => [entry.subscriptionId, entry.isThisDeal, entry.addons[0]?.quantity]),
      [[subscriptionId, true, 5]]
    );
    assert.equal(card.subscriptions[0].url, `https://app.stigg.io/acme-journey/subscriptions/${subscriptionId}`);
    assert.equal(card.entitlements.find((entry) => entry.featureId === "feature-api-calls")?.usageLimit, 50000);

    // In sync right after provisioning.
    assert.equal(reconcile().Status__c, "Completed");
    assert.equal(deal(opportunityId).Stigg_Drift_Status__c, "In Sync");

    // Someone changes the subscription by hand in the Stigg app.
    await stigg.control.editSubscription(subscriptionId, {
      addons: [{ addonId: "addon-extra-seats", quantity: 3 }]
    });
    const drifted = reconcile();
    assert.equal(drifted.Status__c, "Completed");
    assert.equal(drifted.Drift_Found__c, 1);
    assert.equal(deal(opportunityId).Stigg_Drift_Status__c, "Drift");
    assert.equal(deal(opportunityId).Stigg_Drift_Details__c, "add-on addon-extra-seats: sold 5, Stigg grants 3");

    // Fixed from Salesforce: the contract is pushed to Stigg.
    const fixed = apex<{ success: boolean; message: string; status: string; details: string | null }>(
      `System.debug(JSON.serialize(StiggDriftFixer.fix('${opportunityId}')));`
    );
    assert.deepEqual(fixed, {
      success: true,
      message: "Stigg now grants what Acme Journeys - Pro sold.",
      status: "In Sync",
      details: null
    });
    const state = await stigg.control.state();
    assert.deepEqual(state.subscriptions.find((entry) => entry.subscriptionId === subscriptionId)?.addons, [
      { addonId: "addon-extra-seats", quantity: 5 }
    ]);

    // And the next run finds nothing.
    const after = reconcile();
    assert.equal(after.Drift_Found__c, 0);
    assert.equal(deal(opportunityId).Stigg_Drift_Status__c, "In Sync");
    assert.equal(deal(opportunityId).Stigg_Drift_Details__c, null);

    // Every request passed Stigg's contract in the fake, and the card and the reconciliation only read.
    const { requests } = await stigg.control.requests();
    assert.deepEqual(
      requests.map((request) => [request.operationName, request.httpStatus]),
      [
        ["SfProvisionCustomers", 200],
        ["SfProvisionSubscriptions", 200],
        ["SfCustomerCard", 200],
        ["SfReconcileSubscriptions", 200],
        ["SfReconcileSubscriptions", 200],
        ["SfReconcileSubscriptions", 200],
        ["SfPushContracts", 200],
        ["SfReconcileSubscriptions", 200]
      ]
    );
    assert.deepEqual(
      requests.flatMap((request) => request.errors ?? []),
      [],
      "no request was refused"
    );
  });
});
