/**
 * The Stigg Configuration tab and the Stigg card on Account and Opportunity pages in a real browser, backed by
 * the package's own Apex: `startPreview()` is the entry point that `npm run preview` (and any other command
 * that wants the pages) calls.
 *
 * It bundles the components with the real base components, loads the package into the local org with the
 * Stigg named credential pointed at fake-stigg (started in its own process, since the org's callouts
 * block this one) or at the Stigg given, seeds a small org, and serves the pages on 127.0.0.1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { spawnFakeStigg, type SpawnedFakeStigg } from "../../fake-stigg/src/remote";
import { buildBundle, type Bundle } from "./bundle";
import { PreviewOrg, seedPreviewOrg } from "./org";
import { SUBSCRIPTION_INPUT_TEMPLATE, SUBSCRIPTION_TEMPLATE, seedCustomerRecords, type SeededRecords } from "./records";
import { startServer, type SiteOptions } from "./server";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");

/** The Stigg app as the preview serves it: the configuration tab, and the card on record pages. */
export const SITE: SiteOptions = {
  appLabel: "Stigg",
  tab: { label: "Stigg Configuration", component: "c/stiggConfiguration" },
  recordPage: { component: "c/stiggCard", objects: ["Account", "Opportunity"] }
};

export interface PreviewOptions {
  /** The project whose `force-app` is served (default: this repository). */
  projectDir?: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** A Stigg GraphQL API to call instead of starting fake-stigg (for example https://api.stigg.io). */
  stiggUrl?: string;
  /** An API key saved before the page opens, as an admin saves it on the tab. With fake-stigg, also the
   * only key the fake accepts. */
  apiKey?: string;
  /** The environment fake-stigg reports. */
  environment?: string;
  /** Sets up the org before the page opens; default: an admin with Stigg Admin, mapped products, a rep. */
  seed?: (org: PreviewOrg) => void | Promise<void>;
  /** Flows to run as active, as a subscriber activates a template after Save As. */
  activateFlows?: string[];
  /**
   * Seeds customers for the record pages (see `records.ts`): activates the subscription template, saves the key
   * fake-stigg accepts (unless `apiKey` is given), and provisions a deal through it. Only with fake-stigg: it
   * creates customers and sets their usage.
   */
  records?: boolean;
  /** Reuse the bundle on disk when no source changed (default true). */
  cache?: boolean;
}

export interface Preview {
  /** The page: `http://127.0.0.1:PORT/`. */
  url: string;
  org: PreviewOrg;
  stiggUrl: string;
  /** The server key fake-stigg accepts, when the preview started it. */
  fakeStiggKey: string | null;
  /** fake-stigg, when the preview started it: its control endpoints inject faults, edit subscriptions, set usage. */
  fakeStigg: SpawnedFakeStigg | null;
  /** The customers seeded for the record pages (`records: true`). */
  records: SeededRecords | null;
  bundle: Bundle;
  /** A record page's address: `/lightning/r/Account/001.../view`. */
  recordUrl(objectApiName: string, recordId: string): string;
  close(): Promise<void>;
}

/** fake-stigg in its own process: it must answer while the org's synchronous callouts block this one. */
export function startFakeStigg(
  projectDir: string,
  apiKey: string,
  environment: string
): Promise<{ url: string; child: ChildProcess }> {
  const tsx = path.join(projectDir, "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(
    process.execPath,
    [
      tsx,
      path.join(projectDir, "tools", "fake-stigg", "src", "cli.ts"),
      "--api-key",
      apiKey,
      "--environment",
      environment
    ],
    { cwd: projectDir, stdio: ["ignore", "pipe", "inherit"] }
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) resolve({ url, child });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`fake-stigg exited with ${code} before listening`)));
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  if (options.records && options.stiggUrl) {
    throw new Error("records are seeded in fake-stigg only: leave out the Stigg URL to seed them");
  }
  const bundle = await buildBundle({
    componentsDir: path.join(projectDir, "force-app", "main", "default", "lwc"),
    components: [SITE.tab.component, SITE.recordPage!.component],
    cache: options.cache
  });
  let fake: SpawnedFakeStigg | null = null;
  let fakeStiggKey: string | null = null;
  if (!options.stiggUrl) {
    fakeStiggKey = options.apiKey ?? `server-preview-${crypto.randomBytes(6).toString("hex")}`;
    fake = await spawnFakeStigg({ apiKey: fakeStiggKey, environmentSlug: options.environment ?? "preview" });
  }
  try {
    const stiggUrl = options.stiggUrl ?? fake!.url;
    const activateFlows = [...(options.activateFlows ?? [])];
    if (options.records && !activateFlows.includes(SUBSCRIPTION_TEMPLATE)) activateFlows.push(SUBSCRIPTION_TEMPLATE);
    if (activateFlows.length > 0 && !activateFlows.includes(SUBSCRIPTION_INPUT_TEMPLATE))
      activateFlows.push(SUBSCRIPTION_INPUT_TEMPLATE);
    const org = PreviewOrg.load(projectDir, stiggUrl, { activateFlows });
    await (options.seed ?? seedPreviewOrg)(org);
    const apiKey = options.apiKey ?? (options.records ? fakeStiggKey : null);
    if (apiKey) org.saveApiKey(apiKey);
    const records = options.records ? await seedCustomerRecords(org, fake!.control) : null;
    const server = await startServer({ bundle, backend: org, site: SITE, port: options.port });
    return {
      url: server.url,
      org,
      stiggUrl,
      fakeStiggKey,
      fakeStigg: fake,
      records,
      bundle,
      recordUrl: (objectApiName, recordId) => `${server.url}lightning/r/${objectApiName}/${recordId}/view`,
      close: async () => {
        await server.close();
        if (fake) await fake.stop();
      }
    };
  } catch (error) {
    if (fake) await fake.stop();
    throw error;
  }
}
