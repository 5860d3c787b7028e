/**
 * The Stigg Configuration tab in a real browser, backed by the package's own Apex: `startPreview()` is
 * the entry point that `npm run preview` (and any other command that wants the page) calls.
 *
 * It bundles the component with the real base components, loads the package into the local org with the
 * Stigg named credential pointed at fake-stigg (started in its own process, since the org's callouts
 * block this one) or at the Stigg given, seeds a small org, and serves the page on 127.0.0.1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { buildBundle, type Bundle } from "./bundle";
import { PreviewOrg, seedPreviewOrg } from "./org";
import { startServer } from "./server";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");
const COMPONENT = "c/stiggConfiguration";

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
  seed?: (org: PreviewOrg) => void;
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
  bundle: Bundle;
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
  const bundle = await buildBundle({
    componentsDir: path.join(projectDir, "force-app", "main", "default", "lwc"),
    component: COMPONENT,
    cache: options.cache
  });
  let fake: { url: string; child: ChildProcess } | null = null;
  let fakeStiggKey: string | null = null;
  if (!options.stiggUrl) {
    fakeStiggKey = options.apiKey ?? `server-preview-${crypto.randomBytes(6).toString("hex")}`;
    fake = await startFakeStigg(projectDir, fakeStiggKey, options.environment ?? "preview");
  }
  try {
    const stiggUrl = options.stiggUrl ?? fake!.url;
    const org = PreviewOrg.load(projectDir, stiggUrl);
    (options.seed ?? seedPreviewOrg)(org);
    if (options.apiKey) org.saveApiKey(options.apiKey);
    const server = await startServer({
      bundle,
      backend: org,
      page: { tabLabel: "Stigg Configuration", appLabel: "Stigg" },
      port: options.port
    });
    return {
      url: server.url,
      org,
      stiggUrl,
      fakeStiggKey,
      bundle,
      close: async () => {
        await server.close();
        if (fake) await stopProcess(fake.child);
      }
    };
  } catch (error) {
    if (fake) await stopProcess(fake.child);
    throw error;
  }
}
