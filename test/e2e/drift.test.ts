/**
 * The reconciliation end to end, as an admin runs it: a deal provisioned through the subscription template's XML,
 * the subscription changed by hand in the Stigg app (fake-stigg's editSubscription: no API request), the
 * reconciliation started from the Stigg Configuration tab (its controller called as the tab calls it: Run now, and
 * the schedule saved there, which fires when the org's clock passes it), the exact difference on the Opportunity,
 * Fix from the tab (the request Stigg receives), and no drift on the next run.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { JsValue } from "../../tools/local-org/src/index";
import type { ProvisioningOrg, Row, StiggRequest } from "../../scripts/lib/provisioning-org";
import { GOOD_LINES, assertSaveNotBlocked, clearFaults, injectFault, openDeal, opportunity, startOrg } from "./harness";

const CONTROLLER = "StiggReconciliationController";
const ONE_DAY_MS = 24 * 3600 * 1000;

interface DriftRow {
  opportunityId: string;
  opportunityName: string;
  accountName?: string;
  subscriptionId?: string;
  status: string;
  details?: string;
  fixBlockedReason?: string;
}

interface TabState {
  schedule: { frequency: string; hour?: number; nextRunAt?: string };
  lastRun?: {
    status: string;
    triggeredBy: string;
    checked: number;
    driftFound: number;
    checkFailed: number;
    lastError?: string;
  };
  drifts: DriftRow[];
  driftCount: number;
}

let org: ProvisioningOrg;

/** Calls the Reconciliation section's controller as the tab does, as the org's admin; fails on an error. */
function tab<T>(methodName: string, params: Record<string, JsValue>): T {
  const result = org.org.callAuraEnabled({ className: CONTROLLER, methodName, params });
  assert.equal(result.state, "SUCCESS", `${methodName}: ${JSON.stringify(result)}`);
  return (result as { returnValue: unknown }).returnValue as T;
}

function state(): TabState {
  return tab<TabState>("getState", { includeAcknowledged: false });
}

function drift(dealId: string): Row {
  const [row] = org.org.query(
    `SELECT Stigg_Drift_Status__c, Stigg_Drift_Details__c, Stigg_Drift_Checked_At__c FROM Opportunity WHERE Id = '${dealId}'`
  ) as Row[];
  return row;
}

/** Moves the org's clock just past the schedule's next run: the scheduled job fires, and the run it starts. */
async function nightFalls() {
  const nextRunAt = state().schedule.nextRunAt;
  assert.ok(nextRunAt, "the reconciliation is scheduled");
  const observation = await org.observe(() => {
    org.org.advanceClock({ milliseconds: Date.parse(nextRunAt) - Date.parse(org.org.now()) + 60_000 });
  });
  assert.deepEqual(org.org.failedScheduledJobs(), [], "the scheduled job ran");
  return { firedAt: nextRunAt, ...observation };
}

/** What a run asks of Stigg: one read of the deal's subscription. */
function reads(subscriptionId: string): [string | null, Record<string, unknown>][] {
  return [["SfReadSubscriptions", { in0: { subscriptionId: { eq: subscriptionId } } }]];
}

function sent(requests: StiggRequest[]): [string | null, Record<string, unknown>][] {
  return requests.map((request) => [request.operationName, request.variables]);
}

before(async () => {
  org = await startOrg({ environment: "acme-demo" });
  // The admin who schedules and runs the reconciliation holds Stigg Admin.
  const [admin] = org.org.query("SELECT Id FROM User WHERE Username != null ORDER BY CreatedDate LIMIT 1") as Row[];
  const [permissionSet] = org.org.query("SELECT Id FROM PermissionSet WHERE Name = 'Stigg_Admin'") as Row[];
  org.org.insert("PermissionSetAssignment", [{ AssigneeId: admin.Id, PermissionSetId: permissionSet.Id }]);
});

after(async () => {
  await org?.stop();
});

describe("the reconciliation of a deal provisioned through the template", () => {
  it("finds a hand edit in Stigg on the scheduled run, with the exact difference on the Opportunity; Fix pushes the contract and the next run finds none", async () => {
    const { dealId } = openDeal(org, GOOD_LINES, { Name: "Contoso" });
    const closed = await org.closeDeals([dealId]);
    assertSaveNotBlocked(closed);
    const subscriptionId = String(opportunity(org, dealId).Stigg_Subscription_ID__c);
    assert.equal(opportunity(org, dealId).Stigg_Provisioning_Status__c, "Provisioned");

    // The admin schedules it daily at 02:00 (their time zone: GMT here), and runs it once now.
    const scheduled = tab<TabState>("saveSchedule", {
      frequency: "Daily",
      hour: 2,
      dayOfWeek: null,
      includeAcknowledged: false
    });
    assert.equal(scheduled.schedule.frequency, "Daily");
    assert.equal(new Date(scheduled.schedule.nextRunAt!).toISOString().slice(11), "02:00:00.000Z");
    const firstRun = await org.observe(() => tab("runNow", { includeAcknowledged: false }));
    assert.deepEqual(sent(firstRun.stiggRequests), reads(subscriptionId), "the run only reads");
    assert.equal(drift(dealId).Stigg_Drift_Status__c, "In Sync");
    assert.deepEqual(pick(state().lastRun!, ["status", "triggeredBy", "checked", "driftFound", "checkFailed"]), {
      status: "Completed",
      triggeredBy: "On Demand",
      checked: 1,
      driftFound: 0,
      checkFailed: 0
    });

    // Someone lowers the seats in the Stigg app.
    await org.stigg.fake!.control.editSubscription(subscriptionId, {
      addons: [{ addonId: "addon-extra-seats", quantity: 3 }]
    });

    // The night's scheduled run finds it.
    const night = await nightFalls();
    assert.deepEqual(sent(night.stiggRequests), reads(subscriptionId), "the run only reads");
    const found = drift(dealId);
    assert.equal(found.Stigg_Drift_Status__c, "Drift");
    assert.equal(found.Stigg_Drift_Details__c, "add-on addon-extra-seats: sold 5, Stigg grants 3");
    assert.ok(String(found.Stigg_Drift_Checked_At__c) >= night.firedAt, "checked by the night's run");
    const afterNight = state();
    assert.deepEqual(pick(afterNight.lastRun!, ["status", "triggeredBy", "checked", "driftFound", "checkFailed"]), {
      status: "Completed",
      triggeredBy: "Scheduled",
      checked: 1,
      driftFound: 1,
      checkFailed: 0
    });
    assert.equal(afterNight.driftCount, 1);
    assert.deepEqual(
      pick(afterNight.drifts[0], ["opportunityId", "opportunityName", "accountName", "status", "details"]),
      {
        opportunityId: dealId,
        opportunityName: opportunity(org, dealId).Name,
        accountName: "Contoso",
        status: "Drift",
        details: "add-on addon-extra-seats: sold 5, Stigg grants 3"
      }
    );
    assert.equal(afterNight.drifts[0].fixBlockedReason, undefined, "Fix can help");
    assert.equal(Date.parse(afterNight.schedule.nextRunAt!) - Date.parse(night.firedAt), ONE_DAY_MS);

    // Fixed from the tab: Stigg is read again, then told to grant the contract, at once.
    let fixResult: unknown;
    const fix = await org.observe(() => {
      fixResult = tab("fixDrift", { opportunityId: dealId });
    });
    assert.deepEqual(fixResult, {
      success: true,
      message: `Stigg now grants what ${String(opportunity(org, dealId).Name)} sold.`,
      status: "In Sync"
    });
    assert.deepEqual(sent(fix.stiggRequests), [
      ...reads(subscriptionId),
      [
        "SfUpdateSubscriptions",
        {
          in0: {
            subscriptionId,
            addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
            entitlements: [{ feature: { featureId: "feature-api-calls", usageLimit: 100000 } }],
            scheduleStrategy: "IMMEDIATE"
          }
        }
      ]
    ]);
    assert.deepEqual(
      fix.stiggRequests.map((request) => [request.httpStatus, request.errors]),
      [
        [200, []],
        [200, []]
      ]
    );
    const [subscription] = (await org.stiggState())!.subscriptions.filter(
      (entry) => entry.subscriptionId === subscriptionId
    );
    assert.deepEqual(subscription.addons, [{ addonId: "addon-extra-seats", quantity: 5 }]);
    assert.deepEqual(
      { status: drift(dealId).Stigg_Drift_Status__c, details: drift(dealId).Stigg_Drift_Details__c },
      { status: "In Sync", details: null }
    );
    assert.deepEqual(state().drifts, []);

    // The next night: no drift.
    const nextNight = await nightFalls();
    assert.deepEqual(sent(nextNight.stiggRequests), reads(subscriptionId));
    assert.equal(drift(dealId).Stigg_Drift_Status__c, "In Sync");
    assert.equal(drift(dealId).Stigg_Drift_Details__c, null);
    assert.deepEqual(pick(state().lastRun!, ["status", "triggeredBy", "checked", "driftFound"]), {
      status: "Completed",
      triggeredBy: "Scheduled",
      checked: 1,
      driftFound: 0
    });
    assert.deepEqual(state().drifts, []);
  });

  it("when Stigg is down as the schedule fires, the run stops with the reason and records nothing; Resume run finishes it", async () => {
    const { dealId } = openDeal(org, GOOD_LINES, { Name: "Fabrikam" });
    assertSaveNotBlocked(await org.closeDeals([dealId]));
    const subscriptionId = String(opportunity(org, dealId).Stigg_Subscription_ID__c);
    await org.stigg.fake!.control.editSubscription(subscriptionId, {
      addons: [{ addonId: "addon-extra-seats", quantity: 8 }]
    });
    const before = drift(dealId);
    tab("saveSchedule", { frequency: "Daily", hour: 2, dayOfWeek: null, includeAcknowledged: false });

    await injectFault(org, { kind: "http-error", status: 503 });
    try {
      await nightFalls();
    } finally {
      await clearFaults(org);
    }
    const stopped = state();
    assert.deepEqual(pick(stopped.lastRun!, ["status", "triggeredBy", "checked", "driftFound", "lastError"]), {
      status: "Interrupted",
      triggeredBy: "Scheduled",
      checked: 0,
      driftFound: 0,
      lastError:
        "Stopped after 0 deals: Stigg could not be read [StiggUnavailable]: Stigg is unavailable (HTTP 503). To fix: Stigg had a server error or is down for maintenance: retry in a few minutes. If it persists, check Stigg's status page and give this message to Stigg support. Run the reconciliation again (or wait for the next scheduled run) to resume after the last deal checked."
    });
    assert.deepEqual(drift(dealId), before, "the deal is left as it was");

    // Stigg is back: the admin resumes the same run from the tab.
    const resumed = await org.observe(() => tab("runNow", { includeAcknowledged: false }));
    // Every provisioned contract of the org (the other tests' deals too), read once, in one request.
    const provisioned = (
      org.org.query(
        "SELECT Stigg_Subscription_ID__c FROM Opportunity WHERE Stigg_Provisioning_Status__c = 'Provisioned'"
      ) as Row[]
    ).map((row) => String(row.Stigg_Subscription_ID__c));
    assert.ok(provisioned.includes(subscriptionId));
    assert.equal(resumed.stiggRequests.length, 1);
    assert.equal(resumed.stiggRequests[0].operationName, "SfReadSubscriptions");
    assert.deepEqual(
      Object.values(resumed.stiggRequests[0].variables)
        .map((filter) => (filter as { subscriptionId: { eq: string } }).subscriptionId.eq)
        .sort(),
      provisioned.sort()
    );
    const finished = state();
    assert.deepEqual(pick(finished.lastRun!, ["status", "triggeredBy", "checked", "lastError"]), {
      status: "Completed",
      triggeredBy: "Scheduled",
      checked: provisioned.length
    });
    assert.equal(drift(dealId).Stigg_Drift_Status__c, "Drift");
    assert.equal(drift(dealId).Stigg_Drift_Details__c, "add-on addon-extra-seats: sold 5, Stigg grants 8");
  });
});

/** The named members of a value, as an object. */
function pick<T extends object>(value: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.filter((key) => key in value).map((key) => [key, (value as Record<string, unknown>)[key]])
  );
}
