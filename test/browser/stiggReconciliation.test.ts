/**
 * The Reconciliation section of the Stigg Configuration tab in Chromium, as an admin uses it: the schedule saved as
 * the scheduled Apex job the local org runs when its clock passes the job's time, Run now, a deal whose
 * subscription was changed by hand in the Stigg app listed with the exact difference, Acknowledge, Fix (the
 * contract pushed to Stigg), and no drift after. Each state is saved as a screenshot in reports/browser/.
 */
import { after, before, beforeEach, afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { Preview } from "../../tools/preview/src/preview";
import type { FakeStiggControl } from "../../tools/fake-stigg/src/remote";
import type { JsValue } from "../../tools/local-org/src/index";
import {
  LOCALE,
  TIME_ZONE,
  launchBrowser,
  requestsNamed,
  seriousViolations,
  startRecordsPreview,
  text,
  texts,
  withPage
} from "./pages";

type Row = Record<string, JsValue>;

const JOB_NAME = "Stigg Reconciliation";
const NOT_SCHEDULED = "Not scheduled: deals are compared with Stigg only when you click Run now.";

let browser: Browser;
let preview: Preview & { stigg: FakeStiggControl };

const section = (page: Page) => page.locator("c-stigg-reconciliation");
const toast = (page: Page, title: string) => page.locator(".slds-notify_toast").filter({ hasText: title });

/** As the browser shows a date and time: the page's locale and time zone. */
function shown(iso: string): string {
  return new Date(iso).toLocaleString(LOCALE, { timeZone: TIME_ZONE });
}

function scheduledJobs(): Row[] {
  return (
    preview.org.org.query(
      "SELECT CronExpression, State, NextFireTime, OwnerId, CronJobDetail.Name FROM CronTrigger ORDER BY CreatedDate"
    ) as Row[]
  ).filter((job) => (job.CronJobDetail as Row).Name === JOB_NAME);
}

function runs(): Row[] {
  return preview.org.org.query(
    "SELECT Status__c, Trigger__c, Checked__c, Drift_Found__c, Started_At__c, Finished_At__c FROM Stigg_Reconciliation_Run__c ORDER BY Started_At__c"
  ) as Row[];
}

function deal(): Row {
  const [row] = preview.org.org.query(
    `SELECT Stigg_Drift_Status__c, Stigg_Drift_Details__c, Stigg_Drift_Acknowledged_By__c FROM Opportunity WHERE Id = '${preview.records!.customer.opportunityId}'`
  ) as Row[];
  return row;
}

async function sectionReady(page: Page): Promise<void> {
  await section(page).locator("[data-id='scheduleSummary']").waitFor();
}

/** Chooses an option of one of the section's comboboxes, with the mouse as most admins do. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await section(page).getByRole("combobox", { name: label }).click();
  await section(page).getByRole("option", { name: option, exact: true }).click();
}

/**
 * Clicks Refresh, as the admin does to follow a run, and reads the last run once it shows the run completed, from
 * "completed" on: the run's name (RUN-00001 in an org) comes first, and the local org does not number auto-number
 * names.
 */
async function refreshUntilCompleted(page: Page, run: Row): Promise<string> {
  await section(page).getByRole("button", { name: "Refresh", exact: true }).click();
  const lastRun = section(page).locator("[data-id='lastRun']");
  const completed = `completed (${run.Trigger__c === "Scheduled" ? "scheduled" : "on demand"}, ${shown(String(run.Finished_At__c))})`;
  await lastRun.filter({ hasText: completed }).waitFor();
  const shownText = await text(lastRun);
  return shownText.slice(shownText.indexOf(completed));
}

describe("the tab's Reconciliation section in Chromium", () => {
  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    preview = await startRecordsPreview();
  });

  afterEach(async () => {
    await preview?.close();
  });

  test("the schedule: daily at 02:00 names its next run and runs when the org's clock passes it; weekly on a chosen day; off", async () => {
    await withPage(browser, preview, preview.url, async ({ page, screenshot }) => {
      await sectionReady(page);
      const summary = section(page).locator("[data-id='scheduleSummary']");
      assert.equal(await text(summary), NOT_SCHEDULED);
      assert.equal(await section(page).getByRole("combobox", { name: "How often" }).innerText(), "Daily");

      // The proposal as it stands: every day at 02:00.
      await section(page).getByRole("button", { name: "Save schedule" }).click();
      await toast(page, "Reconciliation schedule saved").waitFor();
      let [job] = scheduledJobs();
      assert.equal(job.CronExpression, "0 0 2 * * ?");
      assert.equal(job.State, "WAITING");
      assert.equal(await text(summary), `Runs every day at 02:00. Next run: ${shown(String(job.NextFireTime))}.`);
      await screenshot("reconciliation-01-scheduled-daily");

      // The night comes: the job starts a run, which checks the provisioned deal.
      const firesAt = Date.parse(String(job.NextFireTime));
      preview.org.org.advanceClock({ milliseconds: firesAt - Date.parse(preview.org.org.now()) + 60_000 });
      assert.deepEqual(preview.org.org.failedScheduledJobs(), []);
      const [run] = runs();
      assert.equal(run.Trigger__c, "Scheduled");
      assert.equal(
        await refreshUntilCompleted(page, run),
        `completed (scheduled, ${shown(String(run.Finished_At__c))}): 1 deals checked, 0 with drift, 0 could not be checked.`
      );
      [job] = scheduledJobs();
      assert.equal(Date.parse(String(job.NextFireTime)) - firesAt, 24 * 3600 * 1000, "the next run is a day later");
      assert.equal(await text(summary), `Runs every day at 02:00. Next run: ${shown(String(job.NextFireTime))}.`);
      assert.equal(
        await text(section(page).locator("[data-id='noDrift']")),
        "No drift: Stigg grants what every checked deal sold."
      );
      await screenshot("reconciliation-02-scheduled-run");

      // Weekly, on Fridays at 06:00: the same job, rescheduled.
      await choose(page, "How often", "Weekly");
      await choose(page, "Day", "Friday");
      await choose(page, "At (your time zone)", "06:00");
      await section(page).getByRole("button", { name: "Save schedule" }).click();
      await summary.filter({ hasText: "every Friday" }).waitFor();
      const waiting = scheduledJobs().filter((entry) => entry.State === "WAITING");
      assert.equal(waiting.length, 1, "one reconciliation job is scheduled");
      assert.equal(waiting[0].CronExpression, "0 0 6 ? * FRI");
      assert.equal(new Date(String(waiting[0].NextFireTime)).getUTCDay(), 5);
      assert.equal(
        await text(summary),
        `Runs every Friday at 06:00. Next run: ${shown(String(waiting[0].NextFireTime))}.`
      );
      await screenshot("reconciliation-03-scheduled-weekly");

      await section(page).getByRole("button", { name: "Turn off" }).click();
      await summary.filter({ hasText: NOT_SCHEDULED }).waitFor();
      assert.deepEqual(
        scheduledJobs().filter((entry) => entry.State === "WAITING"),
        []
      );
      assert.equal(await section(page).getByRole("button", { name: "Turn off" }).count(), 0);
    });
  });

  test("Run now lists a hand edit in Stigg as drift with the exact difference; acknowledged, then fixed from Salesforce, the next run finds none", async () => {
    const { opportunityId, subscriptionId } = preview.records!.customer;
    const driftLine = "add-on addon-extra-seats: sold 5, Stigg grants 3";
    // Someone lowers the seats in the Stigg app; the premium support add-on stays.
    await preview.stigg.editSubscription(subscriptionId, {
      addons: [
        { addonId: "addon-extra-seats", quantity: 3 },
        { addonId: "addon-premium-support", quantity: 1 }
      ]
    });
    await withPage(browser, preview, preview.url, async ({ page, screenshot }) => {
      await sectionReady(page);
      assert.equal(
        await text(section(page).locator("[data-id='noDrift']")),
        "No drift found yet: run the reconciliation to compare the provisioned deals with Stigg."
      );
      await section(page).getByRole("button", { name: "Run now" }).click();
      await toast(page, "Reconciliation started").waitFor();
      const [run] = runs();
      assert.equal(run.Status__c, "Completed");
      assert.equal(
        await refreshUntilCompleted(page, run),
        `completed (on demand, ${shown(String(run.Finished_At__c))}): 1 deals checked, 1 with drift, 0 could not be checked.`
      );

      const row = section(page).locator(`li[data-deal-id='${opportunityId}']`);
      assert.equal(await text(section(page).locator("[data-id='driftHeading']")), "1 deal needs a look");
      assert.equal(await text(row.getByRole("link")), "Northwind Traders - Pro");
      assert.equal(await row.getByRole("link").getAttribute("href"), `/lightning/r/Opportunity/${opportunityId}/view`);
      assert.equal(await text(row.locator("[data-id='driftStatus']")), "Drift");
      assert.deepEqual(await texts(row.getByRole("list", { name: "Differences" }).locator("li")), [driftLine]);
      assert.deepEqual(
        { status: deal().Stigg_Drift_Status__c, details: deal().Stigg_Drift_Details__c },
        { status: "Drift", details: driftLine }
      );
      assert.deepEqual(await seriousViolations(page, "a drift listed"), []);
      await screenshot("reconciliation-04-drift-listed");

      // The deal's own page shows the drift, and its Stigg card what Stigg grants now.
      await row.getByRole("link").click();
      await page.locator("c-stigg-card [data-id='customer']").waitFor();
      const details = await text(page.locator("[data-id='recordDetails']"));
      assert.match(details, /Stigg Drift Status Drift/);
      assert.match(details, new RegExp(`Stigg Drift Details ${driftLine}`));
      assert.deepEqual(
        await texts(page.locator(`c-stigg-card li[data-key='${subscriptionId}']`).getByRole("list").locator("li")),
        ["Extra seats × 3", "Premium support × 1"]
      );
      await screenshot("reconciliation-05-drift-on-the-deal");
      await page.goBack();
      await sectionReady(page);

      // Acknowledged: gone from the list, back with acknowledged drift listed, with who accepted it.
      await row.getByRole("button", { name: "Acknowledge" }).click();
      await toast(page, "Drift acknowledged").waitFor();
      await row.waitFor({ state: "detached" });
      assert.equal(await text(section(page).locator("[data-id='driftHeading']")), "0 deals need a look");
      await section(page).getByText("Also list acknowledged drift").click();
      await row.waitFor();
      assert.equal(await text(row.locator("[data-id='driftStatus']")), "Acknowledged");
      assert.match(
        await text(row.locator("[data-id='acknowledged']")),
        /^Acknowledged by Local User \d+\/\d+\/\d{4}, /
      );
      assert.equal(await row.getByRole("button", { name: "Acknowledge" }).count(), 0);
      assert.equal(deal().Stigg_Drift_Status__c, "Acknowledged");
      await screenshot("reconciliation-06-drift-acknowledged");

      // Fixed: Stigg is told to grant the contract, and the deal is in sync.
      const updatesBefore = (await requestsNamed(preview.stigg, "SfUpdateSubscriptions")).length;
      await row.getByRole("button", { name: "Fix" }).click();
      const fixed = toast(page, "Drift fixed");
      await fixed.waitFor();
      assert.match(await text(fixed), /Stigg now grants what Northwind Traders - Pro sold\./);
      await row.waitFor({ state: "detached" });
      const updates = (await requestsNamed(preview.stigg, "SfUpdateSubscriptions")).slice(updatesBefore);
      assert.equal(updates.length, 1, "one update sent to Stigg");
      assert.equal(updates[0].httpStatus, 200);
      assert.deepEqual(
        (await preview.stigg.state()).subscriptions.find((entry) => entry.subscriptionId === subscriptionId)?.addons,
        [
          { addonId: "addon-extra-seats", quantity: 5 },
          { addonId: "addon-premium-support", quantity: 1 }
        ]
      );
      assert.deepEqual(
        { status: deal().Stigg_Drift_Status__c, details: deal().Stigg_Drift_Details__c },
        { status: "In Sync", details: null }
      );
      await screenshot("reconciliation-07-drift-fixed");

      // The next run finds nothing.
      await section(page).getByRole("button", { name: "Run now" }).click();
      await toast(page, "Reconciliation started").first().waitFor();
      assert.equal(runs().length, 2, "a second run");
      const latest = runs()[1];
      assert.equal(
        await refreshUntilCompleted(page, latest),
        `completed (on demand, ${shown(String(latest.Finished_At__c))}): 1 deals checked, 0 with drift, 0 could not be checked.`
      );
      assert.equal(
        await text(section(page).locator("[data-id='noDrift']")),
        "No drift: Stigg grants what every checked deal sold."
      );
      assert.equal(deal().Stigg_Drift_Status__c, "In Sync");
      await screenshot("reconciliation-08-no-drift-after");
    });
  });
});
