/**
 * The offline main job: build the package exactly as it deploys. Compiles the components'
 * TypeScript, converts force-app into Metadata API format with the project's Salesforce CLI, and
 * lists what the package ships, by metadata type.
 *
 * Usage: tsx scripts/demo.ts [--output-dir DIR]   (default: tmp/package)
 */
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { sfEnv } from "./lib/process";

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const outIndex = args.indexOf("--output-dir");
const outputDir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, "tmp", "package"));
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const sf = path.join(root, "node_modules", "@salesforce", "cli", "bin", "run.js");

function step(title: string, command: string[], env: NodeJS.ProcessEnv = process.env): void {
  console.log(`\n> ${title}`);
  const result = spawnSync(process.execPath, command, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`demo: "${title}" failed`);
    process.exit(result.status ?? 1);
  }
}

step("Compile the components' TypeScript", [tsx, "scripts/build-lwc.ts"]);
fs.rmSync(outputDir, { recursive: true, force: true });
step(
  "Convert force-app to the metadata that deploys",
  [sf, "project", "convert", "source", "--root-dir", "force-app", "--output-dir", outputDir],
  sfEnv()
);

const manifest = fs.readFileSync(path.join(outputDir, "package.xml"), "utf8");
console.log(`\nStigg for Salesforce ships (${path.relative(process.cwd(), outputDir)}/package.xml):`);
for (const block of manifest.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
  const type = /<name>(.*?)<\/name>/.exec(block[1])?.[1] ?? "?";
  const members = [...block[1].matchAll(/<members>(.*?)<\/members>/g)].map((match) => match[1]);
  console.log(`  ${type} (${members.length}): ${members.join(", ")}`);
}
