// The rest of a contract's life through the package's own templates, both active as in a subscriber org: the
// subscription template provisions a new deal, the lifecycle template changes the subscription for an upsell, a
// renewal and a lost renewal, and a CPQ amendment's changes. After each step the subscription in fake-stigg (another
// process, over real HTTP, its clock moved forward through its control endpoints) holds the contract, running the
// step again changes nothing, and the reconciliation finds the contract's latest deal in step with Stigg.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { LocalOrg, type JsValue } from "../src/index.js";
import { spawnFakeStigg, type EnvironmentState, type SpawnedFakeStigg } from "../../fake-stigg/src/remote";

const ROOT = path.resolve(__dirname, "..", "..", "..");
/** A stand-in of Salesforce CPQ's Amended Contract field on Opportunity (a text field here: local-org has no Contract). */
const CPQ_STAND_IN = path.join(__dirname, "fixtures", "cpq-stand-in");
const API_KEY = "server-lifecycle-test";
const SUBSCRIPTION = "Opportunity_Stigg_Subscription_Template";
const LIFECYCLE = "Opportunity_Stigg_Lifecycle_Template";
const SUBSCRIPTION_INPUT = "Stigg_Subscription_Input_Template";

type Row = Record<string, JsValue>;
type Lines = Record<string, number>;

let stigg: SpawnedFakeStigg;

before(async () => {
  stigg = await spawnFakeStigg({ apiKey: API_KEY, environmentSlug: "acme-lifecycle" });
});

after(async () => {
  await stigg?.stop();
});

/** The day offset days from today, as Salesforce writes a Date. */
function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The package in a local org with both templates active, optionally with extra source directories. */
function loadPackage(extraSourceDirs: string[] = []) {
  const org = LocalOrg.load({
    sourceDirs: [path.join(ROOT, "force-app"), ...extraSourceDirs],
    activateFlows: [SUBSCRIPTION, LIFECYCLE, SUBSCRIPTION_INPUT],
    namedCredentials: { Stigg: { url: stigg.url } },
    credentials: { "Stigg.ApiKey": API_KEY }
  });
  const products = org.insert("Product2", [
    { Name: "Pro Plan", IsActive: true, Stigg_Type__c: "Plan", Stigg_ID__c: "plan-pro" },
    { Name: "Enterprise Plan", IsActive: true, Stigg_Type__c: "Plan", Stigg_ID__c: "plan-enterprise" },
    { Name: "Extra Seats", IsActive: true, Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-extra-seats" },
    { Name: "Premium Support", IsActive: true, Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-premium-support" },
    { Name: "API Calls", IsActive: true, Stigg_Type__c: "Entitlement", Stigg_ID__c: "feature-api-calls" },
    {
      Name: "AI Tokens",
      IsActive: true,
      Stigg_Type__c: "Credit Entitlement",
      Stigg_ID__c: "credits-ai-tokens",
      Stigg_Credit_Cadence__c: "Month"
    },
    { Name: "Onboarding Workshop", IsActive: true }
  ]);
  const [pricebook] = org.insert("Pricebook2", [{ Name: "Sales", IsActive: true }]);
  const entries = org.insert(
    "PricebookEntry",
    products.map((product) => ({ Pricebook2Id: pricebook, Product2Id: product, UnitPrice: 100, IsActive: true }))
  );
  const entryByStiggId: Record<string, string> = {
    "plan-pro": entries[0],
    "plan-enterprise": entries[1],
    "addon-extra-seats": entries[2],
    "addon-premium-support": entries[3],
    "feature-api-calls": entries[4],
    "credits-ai-tokens": entries[5],
    workshop: entries[6]
  };
  const userId = runApex<string>(org, "System.debug(JSON.serialize(UserInfo.getUserId()));");
  const [adminSet] = org.query("SELECT Id FROM PermissionSet WHERE Name = 'Stigg_Admin'") as Row[];
  org.insert("PermissionSetAssignment", [{ AssigneeId: userId, PermissionSetId: adminSet.Id }]);

  /** An open deal of the account with these products (Stigg id to quantity), then the stage that closes it. */
  function deal(account: string, name: string, fields: Row, lines: Lines): string {
    const [id] = org.insert("Opportunity", [
      { Name: name, AccountId: account, StageName: "Negotiation/Review", Pricebook2Id: pricebook, ...fields }
    ]);
    org.insert(
      "OpportunityLineItem",
      Object.entries(lines).map(([stiggId, quantity]) => ({
        OpportunityId: id,
        PricebookEntryId: entryByStiggId[stiggId],
        Quantity: quantity,
        UnitPrice: 100
      }))
    );
    return id;
  }
  return { org, deal };
}

function runApex<T>(org: LocalOrg, source: string): T {
  const result = org.runAnonymous(source);
  assert.ok(result.success, `${result.exceptionMessage}\n${result.stackTrace}`);
  const printed = result.debugLog[result.debugLog.length - 1];
  return (printed === undefined ? undefined : JSON.parse(printed)) as T;
}

function opportunity(org: LocalOrg, id: string): Row {
  const [row] = org.query(
    `SELECT Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c, Stigg_Last_Error__c, Stigg_Drift_Status__c, Stigg_Drift_Details__c FROM Opportunity WHERE Id = '${id}'`
  ) as Row[];
  return row;
}

/** What a subscription in fake-stigg grants, in a form a test can compare. */
function granted(state: EnvironmentState, subscriptionId: string) {
  const subscription = state.subscriptions.find((entry) => entry.subscriptionId === subscriptionId);
  assert.ok(subscription, `fake-stigg holds ${subscriptionId}`);
  return {
    plan: subscription.planId,
    status: subscription.status,
    addons: Object.fromEntries(subscription.addons.map((addon) => [addon.addonId, addon.quantity])),
    entitlements: Object.fromEntries(
      subscription.entitlements.map((entry) => [
        entry.featureId,
        entry.hasUnlimitedUsage ? "unlimited" : entry.usageLimit
      ])
    ),
    credits: Object.fromEntries(
      subscription.creditEntitlements.map((credit) => [credit.currencyId, `${credit.amount} a ${credit.cadence}`])
    ),
    scheduled: subscription.scheduledChanges.map((change) => change.type),
    endsAt: subscription.endDate
  };
}

/**
 * The whole environment, to tell that a step run again changed nothing. Left out: when a record was last written
 * (a change sent again writes the same values), the ids Stigg gives the entitlements of a package scheduled again,
 * and the recurring grants Stigg makes on its own each period.
 */
async function environment(): Promise<unknown> {
  const state = await stigg.control.state();
  const stable = {
    customers: state.customers,
    subscriptions: state.subscriptions,
    creditGrants: state.creditGrants.filter((grant) => grant.grantType !== "RECURRING")
  };
  return JSON.parse(
    JSON.stringify(stable, (key, value: unknown) => (key === "updatedAt" || key === "id" ? undefined : value))
  );
}

/** The operations Stigg received since the mark, with their HTTP status. */
async function sentSince(mark: number): Promise<string[]> {
  const { requests } = await stigg.control.requests();
  return requests.slice(mark).map((request) => `${request.operationName} ${request.httpStatus}`);
}

async function requestCount(): Promise<number> {
  return (await stigg.control.requests()).requests.length;
}

/** The elements a flow ran since the mark, with the outcome of each decision. */
function ranSince(org: LocalOrg, mark: number, flow: string): string[] {
  return org
    .flowEvents()
    .slice(mark)
    .filter((event) => event.flow === flow && event.element !== "(start)")
    .map((event) => `${event.element} ${event.kind}${event.kind === "decision" ? `: ${event.detail}` : ""}`);
}

/** Runs a step again as an admin retries a deal: Stigg Provisioning Status to Failed, then back to Not Started. */
function runAgain(org: LocalOrg, id: string) {
  org.update("Opportunity", [{ Id: id, Stigg_Provisioning_Status__c: "Failed" }]);
  org.update("Opportunity", [{ Id: id, Stigg_Provisioning_Status__c: "Not Started" }]);
}

/** A reconciliation run, whose queued job runs when the anonymous Apex ends, as in an org. */
function reconcile(org: LocalOrg): Row {
  runApex(org, "StiggReconciliation.start(StiggReconciliation.TRIGGER_ON_DEMAND);");
  return runApex<Row>(org, "System.debug(JSON.serialize(StiggReconciliation.latestRun()));");
}

describe("a contract's life in a plain org: new deal, upsell, renewal with a plan change, lost renewal", () => {
  let org: LocalOrg;
  let deal: ReturnType<typeof loadPackage>["deal"];
  before(() => {
    ({ org, deal } = loadPackage());
  });
  let account = "";
  let subscriptionId = "";
  const deals: Record<string, string> = {};

  it("a new deal: the subscription template provisions it and the lifecycle template leaves it alone", async () => {
    [account] = org.insert("Account", [{ Name: "Northwind Traders" }]);
    deals.first = deal(
      account,
      "Northwind - Pro",
      { Type: "New Customer", CloseDate: day(0) },
      {
        "plan-pro": 1,
        "addon-extra-seats": 5,
        "feature-api-calls": 50000,
        "credits-ai-tokens": 10000,
        workshop: 1
      }
    );
    const mark = await requestCount();
    const flowMark = org.flowEvents().length;

    org.update("Opportunity", [{ Id: deals.first, StageName: "Closed Won" }]);

    assert.deepEqual(await sentSince(mark), ["SfProvisionCustomers 200", "SfProvisionSubscriptions 200"]);
    assert.deepEqual(
      ranSince(org, flowMark, LIFECYCLE),
      ["Get_Stigg_Deal_Type action", "Which_Deal decision: New Deal or Lost Amendment"],
      "the lifecycle template ends at Which Deal"
    );
    const won = opportunity(org, deals.first);
    assert.equal(won.Stigg_Provisioning_Status__c, "Provisioned", String(won.Stigg_Last_Error__c));
    subscriptionId = String(won.Stigg_Subscription_ID__c);
    assert.deepEqual(granted(await stigg.control.state(), subscriptionId), {
      plan: "plan-pro",
      status: "ACTIVE",
      addons: { "addon-extra-seats": 5 },
      entitlements: { "feature-api-calls": 50000 },
      credits: { "credits-ai-tokens": "10000 a MONTH" },
      scheduled: [],
      endsAt: null
    });

    const before = await environment();
    const again = await requestCount();
    runAgain(org, deals.first);
    assert.deepEqual(await environment(), before, "provisioned again: the same subscription, nothing new");
    assert.ok(
      !(await sentSince(again)).some((sent) => sent.startsWith("SfProvisionSubscriptions")),
      "the retry finds the subscription by the deal instead of provisioning a second"
    );
    assert.equal(opportunity(org, deals.first).Stigg_Subscription_ID__c, subscriptionId);

    assert.equal(reconcile(org).Drift_Found__c, 0);
    assert.equal(opportunity(org, deals.first).Stigg_Drift_Status__c, "In Sync");
  });

  it("an upsell with the new total (Type Existing Customer - Upgrade): Replace, now", async () => {
    deals.upsell = deal(
      account,
      "Northwind - Upsell",
      { Type: "Existing Customer - Upgrade", CloseDate: day(20) },
      { "addon-extra-seats": 10, "feature-api-calls": 80000, "credits-ai-tokens": 10000 }
    );
    const mark = await requestCount();
    const flowMark = org.flowEvents().length;

    org.update("Opportunity", [{ Id: deals.upsell, StageName: "Closed Won" }]);

    assert.deepEqual(await sentSince(mark), ["SfReadSubscriptions 200", "SfUpdateSubscriptions 200"]);
    assert.deepEqual(
      ranSince(org, flowMark, SUBSCRIPTION),
      // The deal type comes first: an amendment's products are not even read.
      ["Get_Stigg_Deal_Type action", "Is_New_Deal decision: Amendment or Renewal"],
      "the subscription template provisions nothing: the deal is an amendment"
    );
    const upsold = opportunity(org, deals.upsell);
    assert.equal(upsold.Stigg_Provisioning_Status__c, "Provisioned", String(upsold.Stigg_Last_Error__c));
    assert.equal(upsold.Stigg_Subscription_ID__c, subscriptionId, "the subscription it changed");
    const state = await stigg.control.state();
    assert.deepEqual(granted(state, subscriptionId), {
      plan: "plan-pro",
      status: "ACTIVE",
      addons: { "addon-extra-seats": 10 },
      entitlements: { "feature-api-calls": 80000 },
      credits: { "credits-ai-tokens": "10000 a MONTH" },
      scheduled: [],
      endsAt: null
    });
    assert.equal(
      state.subscriptions.filter((entry) => entry.customerId === account).length,
      1,
      "no second subscription"
    );

    const before = await environment();
    const again = await requestCount();
    runAgain(org, deals.upsell);
    assert.deepEqual(await sentSince(again), ["SfReadSubscriptions 200"], "already applied: read, nothing sent");
    assert.deepEqual(await environment(), before);

    const run = reconcile(org);
    assert.equal(run.Checked__c, 1, "one contract");
    assert.equal(run.Drift_Found__c, 0);
    assert.equal(opportunity(org, deals.upsell).Stigg_Drift_Status__c, "In Sync", "the latest deal is the contract");
    assert.equal(opportunity(org, deals.first).Stigg_Drift_Status__c, null, "the first deal is superseded");
  });

  it("a renewal with more seats and another plan (Type Renewal): Replace at the end of the billing period", async () => {
    deals.renewal = deal(
      account,
      "Northwind - Renewal",
      { Type: "Renewal", CloseDate: day(300) },
      { "plan-enterprise": 1, "addon-extra-seats": 12, "feature-api-calls": 80000, "credits-ai-tokens": 10000 }
    );
    const mark = await requestCount();

    org.update("Opportunity", [{ Id: deals.renewal, StageName: "Closed Won" }]);

    assert.deepEqual(await sentSince(mark), ["SfReadSubscriptions 200", "SfChangeSubscriptionPlans 200"]);
    const renewed = opportunity(org, deals.renewal);
    assert.equal(renewed.Stigg_Provisioning_Status__c, "Provisioned", String(renewed.Stigg_Last_Error__c));
    assert.deepEqual(
      granted(await stigg.control.state(), subscriptionId),
      {
        plan: "plan-pro",
        status: "ACTIVE",
        addons: { "addon-extra-seats": 10 },
        entitlements: { "feature-api-calls": 80000 },
        credits: { "credits-ai-tokens": "10000 a MONTH" },
        scheduled: ["Plan"],
        endsAt: null
      },
      "the plan change waits for the renewal"
    );

    const before = await environment();
    const again = await requestCount();
    runAgain(org, deals.renewal);
    assert.deepEqual(
      await sentSince(again),
      ["SfReadSubscriptions 200", "SfChangeSubscriptionPlans 200"],
      "scheduled again in place of itself"
    );
    assert.deepEqual(await environment(), before, "still one plan change at the same date");

    assert.equal(reconcile(org).Drift_Found__c, 0, "a change waiting for its date is not drift");
    assert.equal(opportunity(org, deals.renewal).Stigg_Drift_Status__c, "In Sync");

    await stigg.control.moveClock({ advanceDays: 32 });
    assert.deepEqual(granted(await stigg.control.state(), subscriptionId), {
      plan: "plan-enterprise",
      status: "ACTIVE",
      addons: { "addon-extra-seats": 12 },
      entitlements: { "feature-api-calls": 80000 },
      credits: { "credits-ai-tokens": "10000 a MONTH" },
      scheduled: [],
      endsAt: null
    });
    assert.equal(reconcile(org).Drift_Found__c, 0, "renewed as sold");
    assert.equal(opportunity(org, deals.renewal).Stigg_Drift_Status__c, "In Sync");
    assert.equal(opportunity(org, deals.upsell).Stigg_Drift_Status__c, null, "the upsell is superseded");
  });

  it("a renewal lost: cancelled at the end of the billing period", async () => {
    deals.lost = deal(
      account,
      "Northwind - Renewal 2",
      { Type: "Renewal", CloseDate: day(600) },
      { "plan-enterprise": 1, "addon-extra-seats": 12 }
    );
    const mark = await requestCount();

    org.update("Opportunity", [{ Id: deals.lost, StageName: "Closed Lost" }]);

    assert.deepEqual(await sentSince(mark), ["SfReadSubscriptions 200", "SfCancelSubscriptions 200"]);
    const lost = opportunity(org, deals.lost);
    assert.equal(lost.Stigg_Provisioning_Status__c, "Provisioned", String(lost.Stigg_Last_Error__c));
    assert.equal(lost.Stigg_Subscription_ID__c, subscriptionId);
    const cancelled = granted(await stigg.control.state(), subscriptionId);
    assert.equal(cancelled.status, "ACTIVE", "the customer keeps what was paid for");
    assert.notEqual(cancelled.endsAt, null, "until the end of the billing period");
    assert.deepEqual(cancelled.addons, { "addon-extra-seats": 12 });

    const before = await environment();
    const again = await requestCount();
    runAgain(org, deals.lost);
    assert.deepEqual(await sentSince(again), ["SfReadSubscriptions 200"], "already cancelled: nothing sent");
    assert.deepEqual(await environment(), before);

    assert.equal(reconcile(org).Drift_Found__c, 0, "the contract ends, and Stigg has the end");
    assert.equal(opportunity(org, deals.lost).Stigg_Drift_Status__c, "In Sync");

    await stigg.control.moveClock({ advanceDays: 32 });
    assert.equal(granted(await stigg.control.state(), subscriptionId).status, "CANCELED");
    assert.equal(reconcile(org).Drift_Found__c, 0, "ended, as the contract did");
    assert.equal(opportunity(org, deals.lost).Stigg_Drift_Status__c, "In Sync");
    assert.deepEqual(org.failedFlowInterviews(), []);
  });
});

describe("a CPQ amendment's changes (Amended Contract set): Apply Changes, now", () => {
  it("adds the amendment's delta lines to what Stigg has, once", async () => {
    const { org, deal } = loadPackage([CPQ_STAND_IN]);
    const [account] = org.insert("Account", [{ Name: "Contoso" }]);
    const first = deal(
      account,
      "Contoso - Pro",
      { Type: "New Customer", CloseDate: day(0) },
      {
        "plan-pro": 1,
        "addon-extra-seats": 5,
        "addon-premium-support": 1,
        "feature-api-calls": 50000,
        "credits-ai-tokens": 10000
      }
    );
    org.update("Opportunity", [{ Id: first, StageName: "Closed Won" }]);
    const subscriptionId = String(opportunity(org, first).Stigg_Subscription_ID__c);
    assert.match(subscriptionId, /^subscription-plan-pro-\d+$/, String(opportunity(org, first).Stigg_Last_Error__c));

    // CPQ's amendment: the Type says nothing, Amended Contract does; the lines are changes.
    const amendment = deal(
      account,
      "Contoso - Amendment",
      { Type: "New Customer", CloseDate: day(40), SBQQ__AmendedContract__c: "800000000000001AAA" },
      { "addon-extra-seats": 3, "addon-premium-support": -1, "feature-api-calls": -20000, "credits-ai-tokens": 5000 }
    );
    const mark = await requestCount();

    org.update("Opportunity", [{ Id: amendment, StageName: "Closed Won" }]);

    assert.deepEqual(await sentSince(mark), ["SfReadSubscriptions 200", "SfUpdateSubscriptions 200"]);
    const amended = opportunity(org, amendment);
    assert.equal(amended.Stigg_Provisioning_Status__c, "Provisioned", String(amended.Stigg_Last_Error__c));
    assert.equal(amended.Stigg_Subscription_ID__c, subscriptionId);
    assert.deepEqual(granted(await stigg.control.state(), subscriptionId), {
      plan: "plan-pro",
      status: "ACTIVE",
      addons: { "addon-extra-seats": 8 },
      entitlements: { "feature-api-calls": 30000 },
      credits: { "credits-ai-tokens": "15000 a MONTH" },
      scheduled: [],
      endsAt: null
    });

    const before = await environment();
    const again = await requestCount();
    runAgain(org, amendment);
    assert.deepEqual(
      await sentSince(again),
      ["SfReadSubscriptions 200"],
      "already applied: the changes are not added twice"
    );
    assert.deepEqual(await environment(), before);

    // The reconciliation adds the amendment's changes to the first deal's total, as the template did.
    const run = reconcile(org);
    assert.equal(run.Drift_Found__c, 0, String(opportunity(org, amendment).Stigg_Drift_Details__c));
    assert.equal(opportunity(org, amendment).Stigg_Drift_Status__c, "In Sync");
    assert.deepEqual(org.failedFlowInterviews(), []);
  });
});
