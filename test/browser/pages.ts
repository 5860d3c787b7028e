/**
 * What the browser tests of the Stigg card and of the tab's Reconciliation section share: a preview with its own
 * fake-stigg (whose control endpoints inject faults and change subscriptions by hand) and the seeded customers,
 * one Chromium, pages opened in a fresh browser context in the en-US locale and the UTC time zone (so numbers and
 * dates read the same on every machine), and helpers to read what a person reads.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { findChromium } from "../../tools/preview/src/browser";
import { startPreview, type Preview, type PreviewOptions } from "../../tools/preview/src/preview";
import type { FakeStiggControl } from "../../tools/fake-stigg/src/remote";
import type { RecordedRequest } from "../../tools/fake-stigg/src/server";
import { SCREENSHOT_DIR, accessibilityViolations } from "./harness";

/** The environment fake-stigg reports: the Stigg app's links carry it. */
export const ENVIRONMENT = "acme-browser";
export const LOCALE = "en-US";
export const TIME_ZONE = "UTC";

export function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: findChromium() });
}

/** A preview whose fake-stigg this test controls, with the record pages' customers seeded. */
export async function startRecordsPreview(
  options: PreviewOptions = {}
): Promise<Preview & { stigg: FakeStiggControl }> {
  const preview = await startPreview({ records: true, environment: ENVIRONMENT, ...options });
  return Object.assign(preview, { stigg: preview.fakeStigg!.control });
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Messages the page logged as errors, and uncaught exceptions: a healthy page has none. */
  pageErrors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: LOCALE,
    timezoneId: TIME_ZONE
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  await page.goto(url);
  return {
    page,
    context,
    pageErrors,
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    close: () => context.close()
  };
}

/** Runs the body on a page, then checks the page logged no error and local-org ran every Apex call. */
export async function withPage(
  browser: Browser,
  preview: Preview,
  url: string,
  body: (opened: OpenedPage) => Promise<void>
): Promise<void> {
  const failuresBefore = preview.org.localOrgFailures.length;
  const opened = await openPage(browser, url);
  try {
    await body(opened);
    assert.deepEqual(opened.pageErrors, [], "the page logged errors");
    assert.deepEqual(preview.org.localOrgFailures.slice(failuresBefore), [], "local-org could not run an Apex call");
  } finally {
    await opened.close();
  }
}

/** The violations axe-core rates serious or critical (the others are printed). */
export async function seriousViolations(page: Page, what: string): Promise<string[]> {
  const violations = await accessibilityViolations(page);
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = violations.filter((v) => !serious.includes(v));
  if (minor.length > 0)
    console.log(`axe, ${what} (moderate or minor): ${minor.map((v) => `${v.id}: ${v.help}`).join("; ")}`);
  return serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(", ")}`);
}

/** The visible text of each element, trimmed, in order. */
export async function texts(locator: Locator): Promise<string[]> {
  return (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
}

export async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, " ").trim();
}

export function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element.matches(":focus"));
}

/** Presses Tab until the element has focus; fails if it never does. */
export async function tabTo(page: Page, target: Locator, what: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if (await hasFocus(target)) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

/** The requests fake-stigg received with this operation name. */
export async function requestsNamed(stigg: FakeStiggControl, operationName: string): Promise<RecordedRequest[]> {
  return (await stigg.requests()).requests.filter((request) => request.operationName === operationName);
}

/** Waits until the condition holds (a state of the page or of fake-stigg), or fails saying what it waited for. */
export async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
