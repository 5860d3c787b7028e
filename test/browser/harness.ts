/**
 * What the browser tests share: one Chromium, one fake-stigg, and a fresh preview (its own local org)
 * per test, with a screenshot of each state saved in reports/browser/ for the person reviewing.
 */
import fs from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { chromium, type Browser, type Page } from "playwright-core";
import { findChromium } from "../../tools/preview/src/browser";
import {
  PROJECT_DIR,
  startFakeStigg,
  startPreview,
  stopProcess,
  type Preview,
  type PreviewOptions
} from "../../tools/preview/src/preview";

export const SCREENSHOT_DIR = path.join(PROJECT_DIR, "reports", "browser");
/** The only key fake-stigg accepts in these tests. */
export const SERVER_KEY = "server-browser-test-4f9a";
export const ENVIRONMENT = "browser-tests";

let browser: Browser | null = null;
let fake: { url: string; child: ChildProcess } | null = null;

export async function setUp(): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  fake = await startFakeStigg(PROJECT_DIR, SERVER_KEY, ENVIRONMENT);
  browser = await chromium.launch({ executablePath: findChromium() });
}

export async function tearDown(): Promise<void> {
  await browser?.close();
  if (fake) await stopProcess(fake.child);
}

export function fakeStiggUrl(): string {
  if (!fake) throw new Error("setUp() first");
  return fake.url;
}

export interface Tab {
  preview: Preview;
  page: Page;
  /** Messages the page logged as errors, and uncaught exceptions: a healthy page has none. */
  pageErrors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens the tab on a new preview; the page is loaded once the checklist (or the load error) shows. */
export async function openTab(options: PreviewOptions = {}): Promise<Tab> {
  if (!browser) throw new Error("setUp() first");
  const preview = await startPreview({ stiggUrl: fakeStiggUrl(), ...options });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  await page.goto(preview.url);
  return {
    preview,
    page,
    pageErrors,
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      await preview.close();
    }
  };
}

/** Runs axe-core in the page and returns its violations. */
export async function accessibilityViolations(
  page: Page
): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: source });
  // A string, so the function runs in the page and needs no DOM types here.
  return page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((results) =>
    results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) })))`);
}
