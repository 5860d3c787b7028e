/**
 * Runs the project's own Salesforce CLI (a pinned dev dependency) with auto-update and telemetry
 * off, so that no run leaves a background updater behind or calls home.
 *
 * Usage: tsx scripts/sf.ts <sf arguments...>
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { sfEnv } from "./lib/process";

// The CLI's package exports no subpaths, so its entry point is found through the project's node_modules.
const sfBin = path.resolve(__dirname, "..", "node_modules", "@salesforce", "cli", "bin", "run.js");

const result = spawnSync(process.execPath, [sfBin, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: sfEnv()
});
process.exit(result.status ?? 1);
