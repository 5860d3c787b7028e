/**
 * The Stigg card on Account and Opportunity record pages in Chromium, as a rep or customer-success manager meets
 * it: the card in the record page's sidebar with the record's id and object, every Apex call answered by
 * StiggCardController in the local org, Stigg played by fake-stigg holding a customer the subscription template
 * provisioned (a plan, two add-ons, an entitlement sold with a limit, monthly credits) that has since used some of
 * it. Each state is saved as a screenshot in reports/browser/.
 */
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import type { Preview } from "../../tools/preview/src/preview";
import type { FakeStiggControl } from "../../tools/fake-stigg/src/remote";
import { CUSTOMER_USAGE } from "../../tools/preview/src/records";
import {
  ENVIRONMENT,
  until,
  hasFocus,
  launchBrowser,
  requestsNamed,
  seriousViolations,
  startRecordsPreview,
  tabTo,
  text,
  texts,
  withPage
} from "./pages";

const CARD_QUERY = "SfCustomerCard";
const NO_CUSTOMER =
  "This account is not linked to a Stigg customer yet. It is linked when its first deal is provisioned in Stigg (the Stigg Customer ID on the account).";
const NO_PERMISSION =
  "You need the Stigg User, Stigg Viewer or Stigg Admin permission set to see this customer's Stigg subscriptions. Ask your Salesforce admin to assign one.";

let browser: Browser;
let preview: Preview & { stigg: FakeStiggControl };

const card = (page: Page) => page.locator("c-stigg-card");
const retry = (page: Page) => card(page).getByRole("button", { name: "Retry", exact: true });
const refreshButton = (page: Page) => card(page).getByRole("button", { name: "Refresh Stigg data", exact: true });

async function cardCalls(): Promise<number> {
  return (await requestsNamed(preview.stigg, CARD_QUERY)).length;
}

/** The card has answered: ready, or one of its other states. */
async function cardShown(page: Page): Promise<void> {
  await card(page)
    .locator("[data-id='customer'], [data-id='noCustomer'], [data-id='unreachable'], [data-id='noPermission']")
    .first()
    .waitFor();
}

function records() {
  return preview.records!;
}

function customerPage(): string {
  return preview.recordUrl("Account", records().customer.accountId);
}

function dealPage(): string {
  return preview.recordUrl("Opportunity", records().customer.opportunityId);
}

function stiggAppUrls() {
  const { customerId, subscriptionId } = records().customer;
  return {
    customer: `https://app.stigg.io/${ENVIRONMENT}/customers/${customerId}`,
    subscription: `https://app.stigg.io/${ENVIRONMENT}/subscriptions/${subscriptionId}`
  };
}

describe("the Stigg card on record pages in Chromium", () => {
  before(async () => {
    preview = await startRecordsPreview();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await preview?.close();
  });

  afterEach(async () => {
    preview.org.runningUserId = null;
    await preview.stigg.clearFaults();
  });

  test("ready on the deal's page: the plan, its status, billing period and add-ons, each entitlement with its limit and usage, the credits, in one call to Stigg", async () => {
    const { customerId, subscriptionId } = records().customer;
    const callsBefore = (await requestsNamed(preview.stigg, CARD_QUERY)).length;
    await withPage(browser, preview, dealPage(), async ({ page, screenshot }) => {
      await cardShown(page);
      const view = card(page);
      // The card sits in the record page's sidebar, given the record as a record page gives it.
      assert.equal(await page.locator("[data-region='sidebar'] c-stigg-card").count(), 1);
      assert.equal(await text(view.locator("[data-id='customer'] p")), `Northwind Traders (${customerId})`);

      const subscription = view.locator(`li[data-key='${subscriptionId}']`);
      assert.equal(await view.locator("[data-id='subscriptions'] > li").count(), 1);
      assert.equal(await text(subscription.getByRole("link")), "Pro");
      assert.equal(await text(subscription.locator("[data-id='status']")), "Active");
      assert.equal(await text(subscription.locator("[data-id='thisDeal']")), "This deal");
      assert.equal(await text(subscription.locator("[data-id='details']")), "Monthly");
      assert.deepEqual(await texts(subscription.getByRole("list", { name: "Add-ons" }).locator("li")), [
        "Extra seats × 5",
        "Premium support × 1"
      ]);
      // The plan's name and its status badge stand apart.
      const name = await subscription.getByRole("link").boundingBox();
      const badge = await subscription.locator("[data-id='status']").boundingBox();
      assert.ok(name && badge && badge.x - (name.x + name.width) >= 4, "a gap between the plan and its status");

      // The entitlement sold (50,000 API calls, 12,500 used), the plan's own, and the seats the add-on brings.
      assert.deepEqual(await texts(view.locator("[data-id='entitlements'] > li")), [
        `API calls: ${CUSTOMER_USAGE.apiCalls.toLocaleString("en-US")} of 50,000 calls used`,
        "Storage: 0 of 100 GB used",
        "Projects: 0 of 20 projects used",
        "Seats: 0 of 6 seats used",
        "Single sign-on: Included"
      ]);
      const meter = view.getByRole("progressbar", { name: "API calls: 25% of the limit used" });
      assert.equal(await meter.getAttribute("aria-valuenow"), "25");
      assert.equal(await view.getByRole("progressbar").count(), 4, "a meter for each limited feature");

      // 10,000 AI tokens granted for the month, 2,500 consumed.
      assert.deepEqual(await texts(view.locator("[data-id='credits'] > li")), [
        "AI tokens: 7,500 left of 10,000 granted (2,500 used)"
      ]);
      assert.match(await text(view.locator("[data-id='fetchedAt']")), /^As of \d{1,2}:\d{2}:\d{2} [AP]M$/);
      await screenshot("card-01-ready-opportunity");
    });
    assert.equal(
      (await requestsNamed(preview.stigg, CARD_QUERY)).length - callsBefore,
      1,
      "one request to Stigg for the card's view"
    );
  });

  test("ready on the account's page: the same customer, and no subscription marked as this deal", async () => {
    const { subscriptionId } = records().customer;
    await withPage(browser, preview, customerPage(), async ({ page, screenshot }) => {
      await cardShown(page);
      const subscription = card(page).locator(`li[data-key='${subscriptionId}']`);
      assert.equal(await text(subscription.getByRole("link")), "Pro");
      assert.equal(await subscription.locator("[data-id='thisDeal']").count(), 0);
      assert.equal(await card(page).locator("[data-id='entitlements'] > li").count(), 5);
      await screenshot("card-02-ready-account");
    });
  });

  test("its links open the customer and the subscription in the Stigg app, in a new tab", async () => {
    const expected = stiggAppUrls();
    await withPage(browser, preview, customerPage(), async ({ page, context }) => {
      await cardShown(page);
      // No internet here: the Stigg app answers with a stand-in page, so the address it opened can be read.
      await context.route("https://app.stigg.io/**", (route) =>
        route.fulfill({ contentType: "text/html", body: "<title>Stigg</title>" })
      );
      const customerLink = card(page).getByRole("link", { name: "Open Northwind Traders in Stigg" });
      const subscriptionLink = card(page).getByRole("link", { name: "Pro" });
      assert.equal(await customerLink.getAttribute("href"), expected.customer);
      assert.equal(await subscriptionLink.getAttribute("href"), expected.subscription);
      for (const link of [customerLink, subscriptionLink]) {
        assert.equal(await link.getAttribute("target"), "_blank");
        assert.equal(await link.getAttribute("rel"), "noopener");
      }
      // The Account's Stigg Customer URL, written when the deal was provisioned, is the same link.
      assert.match(
        await text(page.locator("[data-id='recordDetails']")),
        new RegExp(`Stigg Customer URL ${expected.customer}`)
      );

      const [customerTab] = await Promise.all([context.waitForEvent("page"), customerLink.click()]);
      await customerTab.waitForLoadState();
      assert.equal(customerTab.url(), expected.customer);
      const [subscriptionTab] = await Promise.all([context.waitForEvent("page"), subscriptionLink.click()]);
      await subscriptionTab.waitForLoadState();
      assert.equal(subscriptionTab.url(), expected.subscription);
    });
  });

  test("no Stigg customer yet: the account and its open deal say so, and nothing is asked of Stigg", async () => {
    const callsBefore = (await requestsNamed(preview.stigg, CARD_QUERY)).length;
    const { accountId, opportunityId } = records().prospect;
    await withPage(browser, preview, preview.recordUrl("Account", accountId), async ({ page, screenshot }) => {
      await cardShown(page);
      assert.equal(await text(card(page).locator("[data-id='noCustomer']")), NO_CUSTOMER);
      assert.equal(await card(page).locator("[data-id='subscriptions']").count(), 0);
      await screenshot("card-03-no-customer");
    });
    await withPage(browser, preview, preview.recordUrl("Opportunity", opportunityId), async ({ page }) => {
      await cardShown(page);
      assert.equal(await text(card(page).locator("[data-id='noCustomer']")), NO_CUSTOMER);
    });
    assert.equal((await requestsNamed(preview.stigg, CARD_QUERY)).length, callsBefore);
  });

  test("Stigg unreachable: the reason, what to do, the error code, and a Retry that works once Stigg is back", async () => {
    await preview.stigg.injectFault({ kind: "http-error", status: 503 });
    await withPage(browser, preview, dealPage(), async ({ page, screenshot }) => {
      await cardShown(page);
      const view = card(page);
      assert.equal(await text(view.getByRole("alert")), "Stigg could not be reached");
      assert.equal(await text(view.locator("[data-id='reason']")), "Stigg is unavailable (HTTP 503).");
      assert.equal(
        await text(view.locator("[data-id='advice']")),
        "Stigg had a server error or is down for maintenance: retry in a few minutes. If it persists, check Stigg's status page and give this message to Stigg support."
      );
      assert.equal(
        await text(view.locator("[data-id='failureDetail']")),
        "Error code StiggUnavailable. This is usually temporary: try again in a moment."
      );
      // Nothing of the customer's is shown while Stigg cannot be read.
      assert.equal(await view.locator("[data-id='subscriptions']").count(), 0);
      await screenshot("card-04-stigg-unreachable");

      // Still down: Retry asks again and says so again.
      const calls = await cardCalls();
      await retry(page).click();
      await until(async () => (await cardCalls()) === calls + 1, "the retry's request to Stigg");
      await retry(page).and(page.locator(":enabled")).waitFor();
      assert.equal(await text(view.locator("[data-id='reason']")), "Stigg is unavailable (HTTP 503).");

      // Back: Retry shows the customer.
      await preview.stigg.clearFaults();
      await retry(page).click();
      await view.locator("[data-id='customer']").waitFor();
      assert.equal(await view.getByRole("alert").count(), 0);
      assert.equal(await text(view.locator("[data-id='thisDeal']")), "This deal");
      await screenshot("card-05-retried-after-recovery");
    });
  });

  test("a user without View Stigg Subscriptions sees which permission sets to ask for, and no customer data", async () => {
    preview.org.runningUserId = preview.org.createUser("Pat", "Partner");
    const callsBefore = (await requestsNamed(preview.stigg, CARD_QUERY)).length;
    await withPage(browser, preview, dealPage(), async ({ page, screenshot }) => {
      await cardShown(page);
      assert.equal(await text(card(page).locator("[data-id='noPermission']")), NO_PERMISSION);
      const cardText = await text(card(page));
      assert.ok(!cardText.includes(records().customer.customerId), "the customer id is not shown");
      assert.ok(!cardText.includes(records().customer.subscriptionId), "the subscription is not shown");
      assert.equal(await card(page).getByRole("link").count(), 0);
      await screenshot("card-06-no-permission");
    });
    assert.equal((await requestsNamed(preview.stigg, CARD_QUERY)).length, callsBefore, "Stigg was not asked");
  });

  test("every control works from the keyboard alone: refresh, the Stigg app links, and Retry", async () => {
    const expected = stiggAppUrls();
    await withPage(browser, preview, dealPage(), async ({ page, context, screenshot }) => {
      await cardShown(page);
      await context.route("https://app.stigg.io/**", (route) =>
        route.fulfill({ contentType: "text/html", body: "<title>Stigg</title>" })
      );
      const view = card(page);
      await tabTo(page, refreshButton(page), "the card's refresh button");
      const calls = await cardCalls();
      await page.keyboard.press("Enter");
      await until(async () => (await cardCalls()) === calls + 1, "the refresh's request to Stigg");
      await refreshButton(page).and(page.locator(":enabled")).waitFor();
      assert.equal(await hasFocus(refreshButton(page)), true, "focus stays on the refresh button");

      await tabTo(page, view.getByRole("link", { name: "Open Northwind Traders in Stigg" }), "the customer link");
      const [customerTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
      await customerTab.waitForLoadState();
      assert.equal(customerTab.url(), expected.customer);
      await page.bringToFront();
      await tabTo(page, view.getByRole("link", { name: "Pro" }), "the subscription link");
      const [subscriptionTab] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
      await subscriptionTab.waitForLoadState();
      assert.equal(subscriptionTab.url(), expected.subscription);
      await page.bringToFront();
      await screenshot("card-07-keyboard-only");

      // Stigg is down when the page opens; once it is back, Retry is reached and pressed from the keyboard.
      await preview.stigg.injectFault({ kind: "http-error", status: 503 });
      await page.reload();
      await retry(page).waitFor();
      await preview.stigg.clearFaults();
      await tabTo(page, retry(page), "Retry");
      await page.keyboard.press("Space");
      await view.locator("[data-id='customer']").waitFor();
    });
  });

  test("axe-core finds no serious or critical accessibility violation in any state of the card", async () => {
    const found: string[] = [];
    await withPage(browser, preview, dealPage(), async ({ page }) => {
      await cardShown(page);
      found.push(...(await seriousViolations(page, "ready")));
    });
    await withPage(browser, preview, preview.recordUrl("Account", records().prospect.accountId), async ({ page }) => {
      await cardShown(page);
      found.push(...(await seriousViolations(page, "no customer")));
    });
    await preview.stigg.injectFault({ kind: "http-error", status: 503 });
    await withPage(browser, preview, customerPage(), async ({ page }) => {
      await cardShown(page);
      await card(page).locator("[data-id='unreachable']").waitFor();
      found.push(...(await seriousViolations(page, "unreachable")));
    });
    await preview.stigg.clearFaults();
    preview.org.runningUserId = preview.org.createUser("Quinn", "Quiet");
    await withPage(browser, preview, customerPage(), async ({ page }) => {
      await cardShown(page);
      await card(page).locator("[data-id='noPermission']").waitFor();
      found.push(...(await seriousViolations(page, "no permission")));
    });
    assert.deepEqual(found, []);
  });
});
