/**
 * The Stigg Configuration tab in Chromium, as an admin meets it: real base components and SLDS, every
 * Apex call answered by the package's controller in the local org, Stigg played by fake-stigg. Each
 * state is saved as a screenshot in reports/browser/.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import type { Locator, Page } from "playwright-core";
import {
  ADMIN_PERMISSION_SET,
  USER_PERMISSION_SET,
  seedPreviewOrg,
  type PreviewOrg
} from "../../tools/preview/src/org";
import { ENVIRONMENT, SERVER_KEY, accessibilityViolations, openTab, setUp, tearDown, type Tab } from "./harness";

const NO_PERMISSION =
  "You need the Stigg Admin permission set to configure Stigg. Ask your Salesforce admin to assign it.";

async function withTab(options: Parameters<typeof openTab>[0], body: (tab: Tab) => Promise<void>): Promise<void> {
  const tab = await openTab(options);
  try {
    await body(tab);
    assert.deepEqual(tab.pageErrors, [], "the page logged errors");
    assert.deepEqual(tab.preview.org.localOrgFailures, [], "local-org could not run an Apex call");
  } finally {
    await tab.close();
  }
}

const keyInput = (page: Page) => page.getByLabel("Stigg server API key", { exact: true });
const checklistItem = (page: Page, key: string) => page.locator(`li[data-key='${key}']`);
const toast = (page: Page) => page.locator(".slds-notify_toast");

async function ready(page: Page): Promise<void> {
  await page.getByRole("heading", { name: "Setup checklist" }).waitFor();
}

async function saveKey(page: Page, key: string): Promise<void> {
  await keyInput(page).fill(key);
  await page.getByRole("button", { name: "Save key" }).click();
}

async function testConnection(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.locator("[data-id='connectionResult']");
  await result.waitFor();
  return (await result.innerText()).trim();
}

function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element.matches(":focus"));
}

/** Presses Tab (or Shift+Tab) until the element has focus; fails if it never does. */
async function tabTo(page: Page, target: Locator, what: string, backwards = false): Promise<void> {
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    if (await hasFocus(target)) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

/** A TCP port with nothing listening on it. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("Stigg Configuration tab in Chromium", () => {
  before(setUp);
  after(tearDown);

  test("first load without a key: the key form, Test connection disabled, the checklist saying what to do", async () => {
    await withTab({}, async ({ page, screenshot }) => {
      await ready(page);
      await assert.doesNotReject(keyInput(page).waitFor());
      assert.equal(await keyInput(page).getAttribute("type"), "password");
      assert.equal(await page.getByRole("button", { name: "Test connection" }).isDisabled(), true);
      assert.equal(await checklistItem(page, "apiKey").getAttribute("data-state"), "todo");
      assert.match(await checklistItem(page, "apiKey").innerText(), /No Stigg API key is saved\./);
      assert.equal(await checklistItem(page, "products").getAttribute("data-state"), "done");
      // SLDS applies inside the component: the card has its border and the heading its size.
      const cardBorder = await page
        .locator("article.slds-card")
        .evaluate((card) => card.ownerDocument.defaultView!.getComputedStyle(card).borderTopStyle);
      assert.equal(cardBorder, "solid");
      await screenshot("01-first-load");
    });
  });

  test("a client key is refused with the message shown under the field and in a toast, and nothing is saved", async () => {
    await withTab({}, async ({ page, preview, screenshot }) => {
      await ready(page);
      await saveKey(page, "client-7c1d2e");
      const message =
        "This is a client key, meant for browsers and apps. Paste a server API key from Stigg: it starts with server-.";
      assert.equal((await page.locator("[data-id='keyError']").innerText()).trim(), message);
      assert.match(await toast(page).innerText(), /Stigg API key not saved/);
      assert.equal(preview.org.org.interpreter.stdlib.credentials.size, 0);
      await screenshot("02-client-key-refused");
    });
  });

  test("a server key is saved, never shown again, and is the key the next call to Stigg sends", async () => {
    await withTab({}, async ({ page, screenshot }) => {
      await ready(page);
      await saveKey(page, SERVER_KEY);
      await page.locator("[data-id='keySaved']").waitFor();
      assert.match(await page.locator("[data-id='keySaved']").innerText(), /An API key is saved\. Saved .* by /);
      assert.equal(await keyInput(page).count(), 0);
      assert.match(await toast(page).innerText(), /Stigg API key saved/);
      assert.equal(await checklistItem(page, "apiKey").getAttribute("data-state"), "done");
      assert.ok(!(await page.content()).includes(SERVER_KEY), "the key is in the page");
      await screenshot("03-server-key-saved");
      // fake-stigg accepts no other key, so a connection proves the saved key went out.
      assert.equal(await testConnection(page), `Connected to Stigg (environment ${ENVIRONMENT}).`);
      assert.equal(await checklistItem(page, "connection").getAttribute("data-state"), "done");
      await screenshot("04-connection-works");
    });
  });

  test("Test connection with a key Stigg rejects shows the 401 and what to do", async () => {
    await withTab({ apiKey: "server-revoked-1234" }, async ({ page, screenshot }) => {
      await ready(page);
      assert.equal(
        await testConnection(page),
        "Stigg rejected the API key (401). Save a valid server API key from Stigg. (Unauthorized)"
      );
      assert.equal(await checklistItem(page, "connection").getAttribute("data-state"), "todo");
      assert.match(await toast(page).innerText(), /Stigg connection failed/);
      await screenshot("05-connection-key-rejected");
    });
  });

  test("Test connection when Stigg is down says Stigg is unreachable", async () => {
    const port = await closedPort();
    await withTab({ stiggUrl: `http://127.0.0.1:${port}`, apiKey: SERVER_KEY }, async ({ page, screenshot }) => {
      await ready(page);
      const text = await testConnection(page);
      assert.match(text, /^Stigg is unreachable: .*\(CalloutFailed\)$/);
      await screenshot("06-connection-stigg-down");
    });
  });

  test("Test connection when Stigg does not answer in time reports the timeout", async () => {
    // Accepts connections and never answers.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    const seed = (org: PreviewOrg) => {
      seedPreviewOrg(org);
      org.setStiggSettings({ Callout_Timeout_Seconds__c: 1 });
    };
    try {
      await withTab(
        { stiggUrl: `http://127.0.0.1:${port}`, apiKey: SERVER_KEY, seed },
        async ({ page, screenshot }) => {
          await ready(page);
          assert.equal(
            await testConnection(page),
            "Stigg did not answer in time (timeout). Try again; if it persists, raise the callout timeout in Stigg Settings. (CalloutFailed)"
          );
          await screenshot("07-connection-timeout");
        }
      );
    } finally {
      silent.close();
    }
  });

  test("the customer link pattern is saved, kept after a reload, and a bad one is refused inline", async () => {
    await withTab({}, async ({ page, screenshot }) => {
      await ready(page);
      const pattern = page.getByLabel("Stigg customer URL pattern", { exact: true });
      await pattern.fill("http://stigg.example/{customerId}");
      await page.getByRole("button", { name: "Save link pattern" }).click();
      assert.equal(
        (await page.locator("[data-id='patternError']").innerText()).trim(),
        "The customer URL pattern must start with https://"
      );
      await screenshot("08-link-pattern-refused");
      await pattern.fill("https://app.stigg.io/acme/customers/{customerId}");
      await page.getByRole("button", { name: "Save link pattern" }).click();
      await toast(page).filter({ hasText: "Customer link pattern saved" }).waitFor();
      assert.equal(await page.locator("[data-id='patternError']").count(), 0);
      await page.reload();
      await ready(page);
      assert.equal(await pattern.inputValue(), "https://app.stigg.io/acme/customers/{customerId}");
      await screenshot("09-link-pattern-saved");
    });
  });

  test("the checklist shows what is missing: no plan mapped, no user who can provision, the flow inactive", async () => {
    const seed = (org: PreviewOrg) => {
      org.assign(org.defaultUserId(), [ADMIN_PERMISSION_SET]);
      org.insertProducts([
        { Name: "Extra Seats", Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-extra-seats" },
        { Name: "Retired Plan", Stigg_Type__c: "Plan", Stigg_ID__c: "plan-retired", IsActive: false }
      ]);
    };
    await withTab({ seed }, async ({ page, screenshot }) => {
      await ready(page);
      const states = Object.fromEntries(
        await Promise.all(
          ["apiKey", "connection", "products", "flow", "users"].map(async (key) => [
            key,
            await checklistItem(page, key).getAttribute("data-state")
          ])
        )
      );
      assert.deepEqual(states, {
        apiKey: "todo",
        connection: "todo",
        products: "todo",
        flow: "warning",
        users: "todo"
      });
      const products = await checklistItem(page, "products").innerText();
      assert.match(products, /Active products mapped to Stigg: 0 plans, 1 add-on, 0 entitlements\./);
      assert.match(products, /Set Stigg Type = Plan and the Stigg ID of the plan on at least one active product\./);
      assert.match(
        await checklistItem(page, "users").innerText(),
        /No active user has the Stigg User permission set\./
      );
      const flowLink = checklistItem(page, "flow").getByRole("link", { name: "Open in Flow Builder" });
      assert.match(
        (await flowLink.getAttribute("href")) ?? "",
        /^\/builder_platform_interaction\/flowBuilder\.app\?flowId=301/
      );
      // Each state is named for screen readers, not only drawn as an icon.
      assert.equal(
        await checklistItem(page, "users").locator("lightning-icon .slds-assistive-text").textContent(),
        "To do"
      );
      await screenshot("10-checklist-missing-setup");
    });
  });

  test("a user without the Configure Stigg permission sees only the message saying so", async () => {
    const seed = (org: PreviewOrg) => {
      seedPreviewOrg(org);
      org.runningUserId = org.createUser("Sam", "Sales", [USER_PERMISSION_SET]);
    };
    await withTab({ seed }, async ({ page, screenshot }) => {
      const error = page.locator("[data-id='loadError']");
      await error.waitFor();
      assert.equal((await error.innerText()).trim(), NO_PERMISSION);
      assert.equal(await page.getByRole("heading", { name: "API key" }).count(), 0);
      assert.equal(await page.getByRole("button").count(), 0);
      await screenshot("11-no-permission");
    });
  });

  test("every control works from the keyboard alone", async () => {
    await withTab({}, async ({ page, screenshot }) => {
      await ready(page);
      await tabTo(page, keyInput(page), "the API key field");
      await page.keyboard.type(SERVER_KEY);
      await tabTo(page, page.getByRole("button", { name: "Save key" }), "Save key");
      await page.keyboard.press("Enter");
      // Focus follows the key section as it changes: to Replace key once saved, into the field when
      // replacing, back to Replace key on Cancel.
      const replace = page.getByRole("button", { name: "Replace key" });
      await replace.waitFor();
      assert.equal(await hasFocus(replace), true, "focus is on Replace key after saving");
      await page.keyboard.press("Enter");
      const newKey = page.getByLabel("New Stigg server API key", { exact: true });
      await newKey.waitFor();
      assert.equal(await hasFocus(newKey), true, "focus is in the new key field");
      await tabTo(page, page.getByRole("button", { name: "Cancel" }), "Cancel");
      await page.keyboard.press("Space");
      await replace.waitFor();
      assert.equal(await hasFocus(replace), true, "focus is back on Replace key after Cancel");
      await tabTo(page, page.getByRole("button", { name: "Test connection" }), "Test connection");
      await page.keyboard.press("Enter");
      await page.locator("[data-id='connectionResult']").waitFor();
      assert.equal(
        (await page.locator("[data-id='connectionResult']").innerText()).trim(),
        `Connected to Stigg (environment ${ENVIRONMENT}).`
      );
      const pattern = page.getByLabel("Stigg customer URL pattern", { exact: true });
      await tabTo(page, pattern, "the link pattern field");
      await page.keyboard.press("Control+A");
      await page.keyboard.type("https://app.stigg.io/kb/customers/{customerId}");
      await tabTo(page, page.getByRole("button", { name: "Save link pattern" }), "Save link pattern");
      await page.keyboard.press("Enter");
      await toast(page).filter({ hasText: "Customer link pattern saved" }).waitFor();
      await tabTo(page, checklistItem(page, "flow").getByRole("link"), "the Flow Builder link");
      await screenshot("12-keyboard-only");
    });
  });

  test("axe-core finds no serious or critical accessibility violation, before and after setup", async () => {
    await withTab({}, async ({ page }) => {
      await ready(page);
      const serious = (violations: Awaited<ReturnType<typeof accessibilityViolations>>) =>
        violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const first = await accessibilityViolations(page);
      assert.deepEqual(serious(first), [], JSON.stringify(first, null, 2));
      await saveKey(page, "client-nope");
      await page.locator("[data-id='keyError']").waitFor();
      await saveKey(page, SERVER_KEY);
      await page.locator("[data-id='keySaved']").waitFor();
      await testConnection(page);
      const afterSetup = await accessibilityViolations(page);
      assert.deepEqual(serious(afterSetup), [], JSON.stringify(afterSetup, null, 2));
      const minor = [...first, ...afterSetup].filter((v) => !serious([v]).length);
      if (minor.length > 0)
        console.log(`axe (moderate or minor): ${minor.map((v) => `${v.id}: ${v.help}`).join("; ")}`);
    });
  });
});
