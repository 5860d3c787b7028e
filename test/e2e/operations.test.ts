/**
 * Provisioning an admin can run, end to end: deals closed through the subscription template in the local org
 * against fake-stigg with faults, the Stigg Provisioning job turned on from the Provisioning panel (scheduled Apex
 * on the org clock), automatic retries through the active flow, the provisioning log (written from platform events
 * published immediately, so that it survives a rollback), and the alerts the admins receive.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ProvisioningOrg, Row } from "../../scripts/lib/provisioning-org";
import { GOOD_LINES, clearFaults, injectFault, openDeal, startOrg, subscriptionsOf } from "./harness";

const ADMIN_USER = "005000000000001AAA";

let org: ProvisioningOrg;

before(async () => {
  org = await startOrg();
  // The admin who turns the job on: the org's user, with Stigg Admin (the Configure Stigg custom permission).
  const [permissionSet] = org.org.query("SELECT Id FROM PermissionSet WHERE Name = 'Stigg_Admin'") as Row[];
  org.org.insert("PermissionSetAssignment", [{ AssigneeId: ADMIN_USER, PermissionSetId: String(permissionSet.Id) }]);
});

after(async () => {
  await org?.stop();
});

/** Calls the Provisioning panel's Apex as the admin's browser does; fails the test on an error. */
function panel(methodName: string, params: Record<string, unknown> = {}): Record<string, unknown> {
  const result = org.org.callAuraEnabled({
    className: "StiggProvisioningController",
    methodName,
    params: params as never,
    userId: ADMIN_USER
  });
  assert.equal(result.state, "SUCCESS", JSON.stringify(result));
  return (result as { returnValue: Record<string, unknown> }).returnValue;
}

/** The provisioning log of the deals, oldest first. */
function log(dealIds: string[]): Row[] {
  if (dealIds.length === 0) return [];
  return org.org.query(
    `SELECT Operation__c, Opportunity__c, Outcome__c, Error_Code__c, Temporary__c, Attempt__c, Attempted_At__c, Subscription_ID__c
     FROM Stigg_Provisioning_Log__c WHERE Opportunity__c IN (${dealIds.map((id) => `'${id}'`).join(", ")})
     ORDER BY Attempted_At__c, Name`
  ) as Row[];
}

function deal(id: string): Row {
  const [row] = org.org.query(
    `SELECT Stigg_Provisioning_Status__c, Stigg_Attempt__c, Stigg_Automatic_Retries__c, Stigg_Next_Retry_At__c,
            Stigg_Final_Failure_At__c, Stigg_Alerted_At__c, Stigg_Last_Error__c
     FROM Opportunity WHERE Id = '${id}'`
  ) as Row[];
  return row;
}

const minutes = (from: unknown, to: unknown) => (Date.parse(String(to)) - Date.parse(String(from))) / 60000;

/**
 * Moves the org clock on by the minutes a retry or the job's next look waits, and one more: the job wakes on whole
 * seconds and, as on the platform, the retried flows run (and fail) a moment after the run that started them, so a
 * retry can fall due just after the job's next look; the look after that is a minute later.
 */
function waitMinutes(minutes: number): void {
  org.org.advanceClock({ minutes: minutes + 1 });
}

/** Turns the job on as the admin; its first run is a minute later. */
function turnJobOn(): void {
  const state = panel("setJobScheduled", { scheduled: true });
  assert.equal((state.job as Row).scheduled, true);
}

function turnJobOff(): void {
  panel("setJobScheduled", { scheduled: false });
}

describe("automatic retry through the active flow", () => {
  it("Stigg down for the first two attempts, then back: the deal is provisioned by itself at the third attempt, once", async () => {
    org.setStiggSettings({ Retry_Max_Attempts__c: null, Retry_First_Delay_Minutes__c: null });
    turnJobOn();
    await injectFault(org, { kind: "http-error", status: 503, times: 2 });
    const { dealId } = openDeal(org);

    await org.closeDeals([dealId]);
    const first = deal(dealId);
    assert.equal(first.Stigg_Provisioning_Status__c, "Failed");
    assert.match(String(first.Stigg_Last_Error__c), /\[StiggUnavailable\]/);
    assert.ok(first.Stigg_Next_Retry_At__c, "a retry is planned");
    assert.equal(first.Stigg_Final_Failure_At__c, null);

    // The job wakes at the planned retry (5 minutes), then again 15 minutes after the second failure.
    waitMinutes(5);
    const second = deal(dealId);
    assert.equal(second.Stigg_Provisioning_Status__c, "Failed", "the second attempt failed too");
    assert.equal(second.Stigg_Attempt__c, 2);
    assert.equal(second.Stigg_Automatic_Retries__c, 1);
    waitMinutes(15);

    const done = deal(dealId);
    assert.equal(done.Stigg_Provisioning_Status__c, "Provisioned");
    assert.equal(done.Stigg_Attempt__c, 3);
    assert.equal((await subscriptionsOf(org, dealId)).length, 1, "one subscription");
    const entries = log([dealId]);
    const customer = entries.filter((entry) => entry.Operation__c === "Create Stigg Customer");
    assert.deepEqual(
      customer.map((entry) => [entry.Attempt__c, entry.Outcome__c, entry.Error_Code__c, entry.Temporary__c]),
      [
        [1, "Failed", "StiggUnavailable", true],
        [2, "Failed", "StiggUnavailable", true],
        [3, "Succeeded", null, false]
      ],
      "three attempts, each logged with its number"
    );
    assert.ok(
      minutes(customer[0].Attempted_At__c, customer[1].Attempted_At__c) >= 5,
      "the first retry waited 5 minutes"
    );
    assert.ok(minutes(customer[1].Attempted_At__c, customer[2].Attempted_At__c) >= 15, "the second 15");
    assert.deepEqual(
      entries
        .filter((entry) => entry.Operation__c === "Create Stigg Subscription")
        .map((entry) => [entry.Attempt__c, entry.Outcome__c]),
      [[3, "Succeeded"]],
      "Stigg was down at the customer's call: the subscription was asked for once, at the third attempt"
    );
    turnJobOff();
  });

  it("a subscription call down twice: three Create Stigg Subscription entries, the third creates the only subscription", async () => {
    turnJobOn();
    await injectFault(org, { kind: "http-error", status: 503, times: 2, operation: "provisionSubscriptionV2" });
    const { dealId } = openDeal(org);

    await org.closeDeals([dealId]);
    waitMinutes(5);
    waitMinutes(15);

    assert.equal(deal(dealId).Stigg_Provisioning_Status__c, "Provisioned");
    const subscription = log([dealId]).filter((entry) => entry.Operation__c === "Create Stigg Subscription");
    assert.deepEqual(
      subscription.map((entry) => [entry.Attempt__c, entry.Outcome__c, entry.Error_Code__c]),
      [
        [1, "Failed", "StiggUnavailable"],
        [2, "Failed", "StiggUnavailable"],
        [3, "Succeeded", null]
      ]
    );
    const subscriptions = await subscriptionsOf(org, dealId);
    assert.equal(subscriptions.length, 1, "the retries looked before they wrote: one subscription");
    assert.equal(subscription[2].Subscription_ID__c, subscriptions[0].subscriptionId);
    turnJobOff();
  });

  it("a bad plan id: one attempt, no retry, one alert with the deal and its link", async () => {
    turnJobOn();
    const emailsBefore = org.org.sentEmails().length;
    const notificationsBefore = org.org.sentNotifications().length;
    const { dealId } = openDeal(org, [{ product: "unknownPlan", quantity: 1 }]);

    await org.closeDeals([dealId]);
    const failed = deal(dealId);
    assert.equal(failed.Stigg_Provisioning_Status__c, "Failed");
    assert.match(String(failed.Stigg_Last_Error__c), /\[PlanNotFound\]/);
    assert.equal(failed.Stigg_Next_Retry_At__c, null, "not retried: only a person can fix it");
    assert.ok(failed.Stigg_Final_Failure_At__c);

    org.org.advanceClock({ hours: 26 });

    assert.equal(deal(dealId).Stigg_Attempt__c, null, "still the first attempt");
    assert.deepEqual(
      log([dealId])
        .filter((entry) => entry.Operation__c === "Create Stigg Subscription")
        .map((entry) => [entry.Outcome__c, entry.Error_Code__c, entry.Temporary__c]),
      [["Failed", "PlanNotFound", false]]
    );
    const emails = org.org.sentEmails().slice(emailsBefore);
    assert.equal(emails.length, 1, "one email");
    assert.equal(emails[0].subject, "Stigg provisioning: 1 deal failed for good");
    assert.equal(emails[0].targetObjectId, ADMIN_USER, "to the Stigg admin");
    assert.match(emails[0].plainTextBody ?? "", new RegExp(`/lightning/r/Opportunity/${dealId}/view`));
    assert.match(emails[0].plainTextBody ?? "", /\[PlanNotFound\]/);
    const notifications = org.org.sentNotifications().slice(notificationsBefore);
    assert.equal(notifications.length, 1, "one notification");
    assert.equal(notifications[0].targetId, dealId, "it opens the deal");
    assert.ok(deal(dealId).Stigg_Alerted_At__c);
    turnJobOff();
  });
});

describe("an outage hitting 200 deals at once", () => {
  it("retries used up: one alert for all 200; once Stigg recovers, one retry from the panel provisions each exactly once", async () => {
    org.setStiggSettings({ Retry_Max_Attempts__c: 3 });
    turnJobOn();
    const emailsBefore = org.org.sentEmails().length;
    await injectFault(org, { kind: "http-error", status: 503 });
    const dealIds = Array.from({ length: 200 }, () => openDeal(org, GOOD_LINES).dealId);

    await org.closeDeals(dealIds);
    // Retries at 5 and 20 minutes fail too; the job's next look (15 minutes on) finds them final and alerts.
    waitMinutes(5);
    waitMinutes(15);
    waitMinutes(15);

    const failed = dealIds.map(deal);
    assert.ok(failed.every((row) => row.Stigg_Provisioning_Status__c === "Failed" && row.Stigg_Attempt__c === 3));
    assert.ok(
      failed.every((row) => row.Stigg_Final_Failure_At__c !== null),
      "retries used up: final"
    );
    const emails = org.org.sentEmails().slice(emailsBefore);
    assert.equal(emails.length, 1, "one alert for the burst");
    assert.equal(emails[0].subject, "Stigg provisioning: 200 deals failed for good");
    assert.match(emails[0].plainTextBody ?? "", /\.\.\. and 150 more\./);

    await clearFaults(org);
    const retried = panel("retry", { opportunityIds: dealIds });
    assert.equal(retried.started, 200);

    assert.ok(dealIds.map(deal).every((row) => row.Stigg_Provisioning_Status__c === "Provisioned"));
    for (const dealId of dealIds) assert.equal((await subscriptionsOf(org, dealId)).length, 1, `one for ${dealId}`);
    org.org.advanceClock({ hours: 2 });
    assert.equal(org.org.sentEmails().length - emailsBefore, 1, "still one alert");
    turnJobOff();
    org.setStiggSettings({ Retry_Max_Attempts__c: null });
  });

  it("an outage shorter than the retries: all 200 provisioned by themselves, none twice, nobody alerted", async () => {
    turnJobOn();
    const emailsBefore = org.org.sentEmails().length;
    // Down for the first attempt's four calls (the customers, 50 a call): no deal gets further.
    await injectFault(org, { kind: "http-error", status: 503, times: 4 });
    const dealIds = Array.from({ length: 200 }, () => openDeal(org, GOOD_LINES).dealId);

    await org.closeDeals(dealIds);
    assert.ok(dealIds.map(deal).every((row) => row.Stigg_Provisioning_Status__c === "Failed"));
    waitMinutes(5);

    assert.ok(dealIds.map(deal).every((row) => row.Stigg_Provisioning_Status__c === "Provisioned"));
    for (const dealId of dealIds) assert.equal((await subscriptionsOf(org, dealId)).length, 1, `one for ${dealId}`);
    org.org.advanceClock({ hours: 2 });
    assert.equal(org.org.sentEmails().length, emailsBefore, "nothing failed for good");
    turnJobOff();
  });
});

describe("the panel", () => {
  it("counts the day's deals and measures the time from Closed Won to Provisioned", () => {
    const state = panel("getState");
    const lastDay = state.lastDay as Row;
    // The 400 deals of the outages were provisioned within the last day (the clock moved 26 hours before them).
    assert.ok(Number(lastDay.provisioned) >= 400, JSON.stringify(lastDay));
    assert.ok(Number(lastDay.timed) >= 400);
    // The slowest deals waited for retries: minutes; the 95th percentile shows them.
    assert.ok(Number(lastDay.p95Seconds) >= 5 * 60, JSON.stringify(lastDay));
  });
});

describe("the provisioning log survives a rollback", () => {
  it("a transaction rolled back after its calls to Stigg keeps their log entries: the subscription Stigg made is on record", async () => {
    const { dealId, accountId } = openDeal(org);

    // Apex that provisions the deal, as a subscriber's own automation may, then fails: everything it wrote rolls back.
    assert.throws(
      () =>
        org.anonymous(`
          CreateStiggCustomerAction.Request customer = new CreateStiggCustomerAction.Request();
          customer.accountId = '${accountId}';
          customer.name = 'Rolled Back Customer';
          customer.opportunityId = '${dealId}';
          CreateStiggCustomerAction.provisionCustomers(new List<CreateStiggCustomerAction.Request>{ customer });
          CreateStiggSubscriptionAction.Request subscription = new CreateStiggSubscriptionAction.Request();
          subscription.customerId = '${accountId}';
          subscription.planId = 'plan-pro';
          subscription.opportunityId = '${dealId}';
          CreateStiggSubscriptionAction.provisionSubscriptions(
              new List<CreateStiggSubscriptionAction.Request>{ subscription }
          );
          insert new Opportunity(Name = 'Refused: no stage or close date');
        `),
      /REQUIRED_FIELD_MISSING/
    );

    const [row] = org.org.query(
      `SELECT Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c FROM Opportunity WHERE Id = '${dealId}'`
    ) as Row[];
    assert.equal(row.Stigg_Subscription_ID__c, null, "the outcome written on the deal was rolled back");
    const subscriptions = await subscriptionsOf(org, dealId);
    assert.equal(subscriptions.length, 1, "the callout was not rolled back");
    const entries = org.org.query(
      `SELECT Operation__c, Outcome__c, Subscription_ID__c, Attempt__c FROM Stigg_Provisioning_Log__c
       WHERE Opportunity__c = '${dealId}' ORDER BY Attempted_At__c, Name`
    ) as Row[];
    assert.deepEqual(
      entries.map((entry) => [entry.Operation__c, entry.Outcome__c, entry.Subscription_ID__c, entry.Attempt__c]),
      [
        ["Create Stigg Customer", "Succeeded", null, 1],
        ["Create Stigg Subscription", "Succeeded", subscriptions[0].subscriptionId, 1]
      ],
      "both calls to Stigg are on record, though the transaction that made them was rolled back"
    );
  });
});
