/**
 * `tsc --noEmit` (strict) over every TypeScript file in the repository: scripts and tools through the
 * root tsconfig.json, components and their tests through the LWC tsconfig. Babel strips types in the
 * LWC Jest run, so this is the only place a type error in a component can fail.
 *
 * Usage: tsx scripts/typecheck.ts [--project DIR]
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { relative } from "./lib/findings";
import { run } from "./lib/process";
import { listFiles } from "./lib/project";

const require = createRequire(__filename);
const tsc = require.resolve("typescript/bin/tsc");
// The preview's browser-side modules have their own: they run in a browser, not in Node.
const CONFIGS = ["tsconfig.json", "force-app/main/default/lwc/tsconfig.json", "tools/preview/src/client/tsconfig.json"];
const NO_INPUTS = "TS18003";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const projectIndex = args.indexOf("--project");
  const projectDir = path.resolve(projectIndex >= 0 ? args[projectIndex + 1] : ".");
  let failed = false;
  const lwcConfig = path.join(projectDir, CONFIGS[1]);
  const componentSources = listFiles(path.dirname(lwcConfig), (name) => name.endsWith(".ts"));
  if (componentSources.length > 0 && !fs.existsSync(lwcConfig)) {
    // Without it the components' TypeScript would go unchecked, and the Jest run cannot see type errors.
    console.error(`${relative(lwcConfig)}:1: missing: the components are TypeScript and need it to be type-checked`);
    failed = true;
  }
  for (const config of CONFIGS.filter((name) => fs.existsSync(path.join(projectDir, name)))) {
    const result = await run(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", config], {
      cwd: projectDir
    });
    const output = (result.stdout + result.stderr).trim();
    // A component folder with no TypeScript yet is not an error; anything else tsc says is.
    if (result.code !== 0 && !(output.includes(NO_INPUTS) && !output.includes("): error"))) {
      failed = true;
      const prefix = path.relative(process.cwd(), projectDir);
      console.error(
        prefix ? output.replace(/^(\S[^(\n]*)\(/gm, (_m, file: string) => `${path.join(prefix, file)}(`) : output
      );
      console.error(`typecheck: ${config} has type errors`);
    } else {
      console.log(`typecheck: ${config} ok`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`typecheck: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
);
