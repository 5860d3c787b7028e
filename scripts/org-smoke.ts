/**
 * org:smoke — the check to run before the first package version, against a scratch org that has the
 * stigg namespace (npm run org:create:packaging, then npm run org:deploy there). Through the package's
 * own code, as an admin would on the Stigg Configuration tab, it:
 * 1. finds the Stigg external credential under the namespace (stigg__Stigg), as installed orgs have it;
 * 2. assigns Stigg Admin to the running user (the tab needs its Configure Stigg permission);
 * 3. saves the API key with StiggConfigurationController.saveApiKey (anonymous Apex);
 * 4. runs StiggConfigurationController.testConnection, which sends currentEnvironment over callout:Stigg:
 *    Stigg answers only if the external credential's X-API-KEY header resolved under the namespace.
 * It prints each step and closes with PASS or FAIL; exit code 0 on PASS, 1 on FAIL, 2 on bad usage.
 *
 * The key comes from a file (--api-key-file) or STIGG_API_KEY, never from the command line, and is never
 * printed. It is part of the anonymous Apex source, which Salesforce writes to any debug log recorded for
 * the user: use a key of a test Stigg environment.
 *
 * Usage: tsx scripts/org-smoke.ts [--target-org ALIAS] [--api-key-file FILE] [--namespace NS]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run, sfEnv, type RunResult } from "./lib/process";

export const DEFAULT_TARGET_ORG = "stigg-packaging";
const MARKER = "STIGG_SMOKE ";
const USAGE =
  "usage: npm run org:smoke -- [--target-org ALIAS] [--api-key-file FILE] [--namespace NS]\n" +
  "  The Stigg server API key comes from --api-key-file or the STIGG_API_KEY environment variable.";

export interface SmokeOptions {
  targetOrg: string;
  apiKey: string;
  namespace: string;
}

/** Runs the project's Salesforce CLI with the given arguments (always with --json). */
export type SfRunner = (args: readonly string[]) => Promise<RunResult>;

/**
 * Reads the options, or says what is wrong with them. The key is taken from a file or the environment
 * only: a command-line argument would land in the shell history and the process list.
 */
export function parseSmokeArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  readFile: (file: string) => string,
  projectNamespace: string | undefined
): SmokeOptions | { error: string } {
  let targetOrg = DEFAULT_TARGET_ORG;
  let keyFile: string | undefined;
  let namespace = projectNamespace ?? "";
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--api-key") {
      return { error: "Pass the key in a file (--api-key-file) or in STIGG_API_KEY, not on the command line." };
    }
    if (!["--target-org", "--api-key-file", "--namespace"].includes(flag)) {
      return { error: `Unknown argument ${flag}.` };
    }
    if (value === undefined || value.startsWith("--")) return { error: `${flag} needs a value.` };
    if (flag === "--target-org") targetOrg = value;
    else if (flag === "--api-key-file") keyFile = value;
    else namespace = value;
    i++;
  }
  let apiKey: string;
  if (keyFile !== undefined) {
    try {
      apiKey = readFile(keyFile).trim();
    } catch (error) {
      return { error: `Cannot read the API key file ${keyFile}: ${(error as Error).message}` };
    }
  } else {
    apiKey = (env.STIGG_API_KEY ?? "").trim();
  }
  if (apiKey === "") {
    return { error: "No API key: put a Stigg server API key in a file for --api-key-file, or in STIGG_API_KEY." };
  }
  if (/[\s'"\\]/.test(apiKey) || /[^\x20-\x7e]/.test(apiKey)) {
    return { error: "The API key may not contain spaces, quotes, backslashes or other special characters." };
  }
  if (!/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(namespace)) {
    return {
      error: namespace
        ? `${namespace} is not a namespace prefix.`
        : "No namespace: sfdx-project.json has none, so pass --namespace."
    };
  }
  return { targetOrg, apiKey, namespace };
}

/** An Apex string literal. The key is already limited to printable characters; quotes are escaped anyway. */
export function apexString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Reports `outcome` as one debug line the script can find, whatever else the log holds. */
function reportOutcome(): string {
  return `System.debug(LoggingLevel.ERROR, '${MARKER}' + JSON.serialize(outcome));`;
}

/** Anonymous Apex that saves the key through the package's controller and reports what it answered. */
export function saveKeyApex(namespace: string, apiKey: string): string {
  const controller = `${namespace}.StiggConfigurationController`;
  return [
    "Map<String, Object> outcome = new Map<String, Object>();",
    "try {",
    `    ${controller}.Status status = ${controller}.saveApiKey(${apexString(apiKey)});`,
    "    outcome.put('ok', status.apiKeySet == true);",
    "    outcome.put('apiKeySet', status.apiKeySet);",
    "    outcome.put('savedBy', status.apiKeySavedBy);",
    "} catch (Exception failure) {",
    "    outcome.put('ok', false);",
    "    outcome.put('error', failure.getTypeName() + ': ' + failure.getMessage());",
    "}",
    reportOutcome(),
    ""
  ].join("\n");
}

/** Anonymous Apex that tests the connection (currentEnvironment over callout:Stigg) through the controller. */
export function testConnectionApex(namespace: string): string {
  const controller = `${namespace}.StiggConfigurationController`;
  return [
    "Map<String, Object> outcome = new Map<String, Object>();",
    "try {",
    `    ${controller}.ConnectionResult result = ${controller}.testConnection();`,
    "    outcome.put('ok', result.success == true);",
    "    outcome.put('code', result.code);",
    "    outcome.put('message', result.message);",
    "    outcome.put('environment', result.environment);",
    "} catch (Exception failure) {",
    "    outcome.put('ok', false);",
    "    outcome.put('error', failure.getTypeName() + ': ' + failure.getMessage());",
    "}",
    reportOutcome(),
    ""
  ].join("\n");
}

export type ApexOutcome = { ok: boolean } & Record<string, unknown>;

interface SfJson {
  status?: number;
  message?: string;
  result?: Record<string, unknown>;
  /** `sf apex run` puts its result here when the Apex failed to compile or threw. */
  data?: Record<string, unknown>;
}

function parseSfJson(stdout: string): SfJson | undefined {
  try {
    return JSON.parse(stdout) as SfJson;
  } catch {
    return undefined;
  }
}

/** The CLI's own failure (no org, expired session), worded from its JSON or its stderr. */
function cliFailure(outcome: RunResult, json: SfJson | undefined): string {
  const message = json?.message ?? (outcome.stderr.trim().split("\n").pop() || `sf exited with ${outcome.code}`);
  return message.replace(/\s+/g, " ").trim();
}

/**
 * What the anonymous Apex reported, read from `sf apex run --json`: the outcome line it wrote to the debug
 * log, or why there is none (the Apex did not compile, threw, or the CLI could not run it).
 */
export function readApexOutcome(result: RunResult): ApexOutcome | { error: string } {
  const json = parseSfJson(result.stdout);
  const body = json?.result ?? json?.data;
  if (!body || typeof body.compiled !== "boolean") return { error: cliFailure(result, json) };
  if (!body.compiled) {
    return { error: `the anonymous Apex did not compile (line ${String(body.line)}): ${String(body.compileProblem)}` };
  }
  if (!body.success) return { error: `the anonymous Apex failed: ${String(body.exceptionMessage)}` };
  const logs = typeof body.logs === "string" ? body.logs : "";
  const line = logs.split(/\r?\n/).find((entry) => entry.includes("|USER_DEBUG|") && entry.includes(MARKER));
  if (!line) return { error: "the anonymous Apex ran but wrote no outcome to its debug log" };
  try {
    const outcome = JSON.parse(line.slice(line.indexOf(MARKER) + MARKER.length)) as ApexOutcome;
    return typeof outcome.ok === "boolean" ? outcome : { error: "the outcome line has no ok field" };
  } catch {
    return { error: "the outcome line in the debug log is not JSON" };
  }
}

/** Runs the four steps against the org; returns the exit code. */
export async function runSmoke(options: SmokeOptions, sf: SfRunner, write: (line: string) => void): Promise<number> {
  const { targetOrg, namespace, apiKey } = options;
  const org = ["--target-org", targetOrg];
  const fail = (step: string, why: string): number => {
    write(`  ${step}: FAIL: ${why}`);
    write(`org:smoke: FAIL in ${targetOrg}`);
    return 1;
  };
  write(`org:smoke: ${targetOrg}, namespace ${namespace}`);

  const step1 = "1/4 the Stigg external credential under the namespace";
  const query = await sf([
    "data",
    "query",
    "--use-tooling-api",
    "--query",
    "SELECT DeveloperName, NamespacePrefix FROM ExternalCredential WHERE DeveloperName = 'Stigg'",
    ...org
  ]);
  const queried = parseSfJson(query.stdout);
  const records = queried?.result?.records;
  if (query.code !== 0 || !Array.isArray(records)) return fail(step1, cliFailure(query, queried));
  const prefixes = records.map((r) => (r as { NamespacePrefix?: string | null }).NamespacePrefix ?? null);
  if (prefixes.length === 0) {
    return fail(step1, "the org has no Stigg external credential: deploy the package first (npm run org:deploy).");
  }
  if (!prefixes.includes(namespace)) {
    return fail(
      step1,
      `the Stigg external credential has no ${namespace} namespace (${prefixes.map((p) => p ?? "none").join(", ")}): ` +
        "run this against a scratch org created with npm run org:create:packaging."
    );
  }
  write(`  ${step1}: ok (${namespace}__Stigg)`);

  const step2 = "2/4 Stigg Admin for the running user";
  const assigned = await sf(["org", "assign", "permset", "--name", "Stigg_Admin", ...org]);
  const assignJson = parseSfJson(assigned.stdout);
  const failures = ((assignJson?.result ?? assignJson?.data)?.failures ?? []) as { message?: string }[];
  const realFailures = failures.filter((f) => !/duplicate/i.test(f.message ?? ""));
  if (realFailures.length > 0) return fail(step2, realFailures.map((f) => f.message).join("; "));
  if (assigned.code !== 0 && failures.length === 0) return fail(step2, cliFailure(assigned, assignJson));
  write(`  ${step2}: ok${failures.length > 0 ? " (already assigned)" : ""}`);

  const step3 = "3/4 API key saved with StiggConfigurationController.saveApiKey";
  const saved = await runApex(sf, saveKeyApex(namespace, apiKey), org);
  if ("error" in saved) return fail(step3, String(saved.error));
  if (!saved.ok) return fail(step3, "the controller saved no key");
  write(`  ${step3}: ok${saved.savedBy ? ` (saved by ${String(saved.savedBy)})` : ""}`);

  const step4 = "4/4 currentEnvironment over callout:Stigg";
  const tested = await runApex(sf, testConnectionApex(namespace), org);
  if ("error" in tested) return fail(step4, String(tested.error));
  if (!tested.ok) {
    const reason = `${String(tested.message)}${tested.code ? ` (${String(tested.code)})` : ""}`;
    const hint =
      tested.code === "Unauthorized"
        ? ` If the key is valid, the X-API-KEY header did not resolve under the ${namespace} namespace: check the custom header of the Stigg external credential.`
        : "";
    return fail(step4, reason + hint);
  }
  write(`  ${step4}: ok (environment ${String(tested.environment)})`);
  write(
    `org:smoke: PASS: the key was saved through the package, and Stigg accepted the X-API-KEY header of ${namespace}__Stigg`
  );
  return 0;
}

/** Runs anonymous Apex from a private temporary file, removed afterwards: it holds the key. */
async function runApex(sf: SfRunner, apex: string, org: string[]): Promise<ApexOutcome | { error: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "stigg-smoke-"));
  const file = path.join(dir, "smoke.apex");
  try {
    writeFileSync(file, apex, { mode: 0o600 });
    return readApexOutcome(await sf(["apex", "run", "--file", file, ...org]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The project's Salesforce CLI, auto-update and telemetry off, answering in JSON. */
export function projectSf(projectDir: string): SfRunner {
  const bin = path.join(projectDir, "node_modules", "@salesforce", "cli", "bin", "run.js");
  return (args) => run(process.execPath, [bin, ...args, "--json"], { cwd: projectDir, env: sfEnv() });
}

export async function main(argv: readonly string[], write: (line: string) => void): Promise<number> {
  const projectDir = path.resolve(__dirname, "..");
  const project = JSON.parse(readFileSync(path.join(projectDir, "sfdx-project.json"), "utf8")) as {
    namespace?: string;
  };
  const options = parseSmokeArgs(argv, process.env, (file) => readFileSync(file, "utf8"), project.namespace);
  if ("error" in options) {
    write(`org:smoke: ${options.error}`);
    write(USAGE);
    return 2;
  }
  return runSmoke(options, projectSf(projectDir), write);
}

if (require.main === module) {
  main(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    }
  );
}
