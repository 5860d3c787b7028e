/**
 * org:smoke needs a namespaced scratch org, which CI does not have: these tests cover what can be checked
 * offline (its arguments, the anonymous Apex it generates, how it reads the CLI's answers) and drive the
 * whole run against a stand-in for the CLI that answers as `sf` does.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  main,
  apexString,
  parseSmokeArgs,
  readApexOutcome,
  runSmoke,
  saveKeyApex,
  testConnectionApex,
  type SfRunner
} from "../org-smoke";
import type { RunResult } from "../lib/process";

const KEY = "server-7a1b2c3d4e5f";
const noFile = (file: string): string => {
  throw new Error(`ENOENT: no such file, open '${file}'`);
};

describe("org:smoke arguments", () => {
  it("targets the packaging scratch org and the project's namespace, with the key from STIGG_API_KEY", () => {
    assert.deepEqual(parseSmokeArgs([], { STIGG_API_KEY: ` ${KEY}\n` }, noFile, "stigg"), {
      targetOrg: "stigg-packaging",
      apiKey: KEY,
      namespace: "stigg"
    });
  });

  it("reads the key from --api-key-file before the environment, and takes another org and namespace", () => {
    const files: Record<string, string> = { "key.txt": `${KEY}\n` };
    assert.deepEqual(
      parseSmokeArgs(
        ["--target-org", "qa", "--api-key-file", "key.txt", "--namespace", "stiggqa"],
        { STIGG_API_KEY: "server-other" },
        (file) => files[file],
        "stigg"
      ),
      { targetOrg: "qa", apiKey: KEY, namespace: "stiggqa" }
    );
  });

  it("refuses the key on the command line, where the shell history and the process list keep it", () => {
    assert.deepEqual(parseSmokeArgs(["--api-key", KEY], {}, noFile, "stigg"), {
      error: "Pass the key in a file (--api-key-file) or in STIGG_API_KEY, not on the command line."
    });
  });

  it("says what is wrong: unknown flag, missing value, unreadable file, no key, odd characters, no namespace", () => {
    const env = { STIGG_API_KEY: KEY };
    const errorOf = (argv: string[], environment: NodeJS.ProcessEnv, namespace: string | undefined) =>
      (parseSmokeArgs(argv, environment, noFile, namespace) as { error: string }).error;
    assert.equal(errorOf(["--org", "x"], env, "stigg"), "Unknown argument --org.");
    assert.equal(errorOf(["--target-org"], env, "stigg"), "--target-org needs a value.");
    assert.equal(errorOf(["--target-org", "--namespace", "x"], env, "stigg"), "--target-org needs a value.");
    assert.equal(
      errorOf(["--api-key-file", "missing.txt"], env, "stigg"),
      "Cannot read the API key file missing.txt: ENOENT: no such file, open 'missing.txt'"
    );
    assert.equal(
      errorOf([], {}, "stigg"),
      "No API key: put a Stigg server API key in a file for --api-key-file, or in STIGG_API_KEY."
    );
    assert.equal(
      errorOf([], { STIGG_API_KEY: "server-a'b" }, "stigg"),
      "The API key may not contain spaces, quotes, backslashes or other special characters."
    );
    assert.equal(errorOf([], env, undefined), "No namespace: sfdx-project.json has none, so pass --namespace.");
    assert.equal(errorOf(["--namespace", "st-igg"], env, "stigg"), "st-igg is not a namespace prefix.");
  });
});

describe("org:smoke anonymous Apex", () => {
  it("saves the key through the namespaced controller and reports the outcome on one debug line", () => {
    const apex = saveKeyApex("stigg", KEY);
    assert.match(
      apex,
      /stigg\.StiggConfigurationController\.Status status = stigg\.StiggConfigurationController\.saveApiKey\('server-7a1b2c3d4e5f'\);/
    );
    assert.match(apex, /outcome\.put\('ok', status\.apiKeySet == true\);/);
    assert.match(apex, /catch \(Exception failure\) \{\n {4}outcome\.put\('ok', false\);/);
    assert.match(apex, /System\.debug\(LoggingLevel\.ERROR, 'STIGG_SMOKE ' \+ JSON\.serialize\(outcome\)\);/);
  });

  it("tests the connection through the controller, reporting its code, message and environment", () => {
    const apex = testConnectionApex("stigg");
    assert.match(
      apex,
      /stigg\.StiggConfigurationController\.ConnectionResult result = stigg\.StiggConfigurationController\.testConnection\(\);/
    );
    for (const field of ["code", "message", "environment"]) {
      assert.match(apex, new RegExp(`outcome\\.put\\('${field}', result\\.${field}\\);`));
    }
    assert.doesNotMatch(apex, /server-/);
  });

  it("writes Apex string literals with quotes and backslashes escaped", () => {
    assert.equal(apexString("a'b\\c"), "'a\\'b\\\\c'");
  });
});

/** What `sf apex run --json` prints: result on success, data (with exit code 1) when the Apex failed. */
function apexRun(body: Record<string, unknown>, failed = false): RunResult {
  const formatted = {
    success: true,
    compiled: true,
    compileProblem: "",
    exceptionMessage: "",
    exceptionStackTrace: "",
    line: -1,
    column: -1,
    logs: "",
    ...body
  };
  return failed
    ? {
        code: 1,
        stdout: JSON.stringify({ name: "executeRuntimeFailure", message: "failed", status: 1, data: formatted }),
        stderr: ""
      }
    : { code: 0, stdout: JSON.stringify({ status: 0, result: formatted }), stderr: "" };
}

function logWith(outcome: Record<string, unknown>): string {
  return [
    "67.0 APEX_CODE,DEBUG",
    "12:00:00.1 (1000)|EXECUTION_STARTED",
    `12:00:00.1 (2000)|USER_DEBUG|[11]|ERROR|STIGG_SMOKE ${JSON.stringify(outcome)}`,
    "12:00:00.1 (3000)|EXECUTION_FINISHED"
  ].join("\n");
}

describe("org:smoke reading the CLI's answers", () => {
  it("takes the outcome from the debug line the Apex wrote", () => {
    assert.deepEqual(readApexOutcome(apexRun({ logs: logWith({ ok: true, environment: "production" }) })), {
      ok: true,
      environment: "production"
    });
  });

  it("reports Apex that did not compile, Apex that threw, and a run without an outcome line", () => {
    assert.deepEqual(
      readApexOutcome(
        apexRun({ compiled: false, success: false, line: 3, compileProblem: "Invalid type: stigg.Status" }, true)
      ),
      { error: "the anonymous Apex did not compile (line 3): Invalid type: stigg.Status" }
    );
    assert.deepEqual(
      readApexOutcome(apexRun({ success: false, exceptionMessage: "System.LimitException: Too many callouts" }, true)),
      { error: "the anonymous Apex failed: System.LimitException: Too many callouts" }
    );
    assert.deepEqual(readApexOutcome(apexRun({ logs: "12:00:00.1 (1000)|EXECUTION_STARTED" })), {
      error: "the anonymous Apex ran but wrote no outcome to its debug log"
    });
  });

  it("reports the CLI's own failure, from its JSON or else its last error line", () => {
    assert.deepEqual(
      readApexOutcome({
        code: 1,
        stdout: JSON.stringify({
          status: 1,
          name: "NoOrgFound",
          message: "No authorization found for stigg-packaging."
        }),
        stderr: ""
      }),
      { error: "No authorization found for stigg-packaging." }
    );
    assert.deepEqual(readApexOutcome({ code: 1, stdout: "", stderr: "Warning: x\nError: spawn failed" }), {
      error: "Error: spawn failed"
    });
  });
});

interface FakeOrg {
  prefixes: (string | null)[];
  assignFailure?: string;
  save: RunResult;
  test: RunResult;
}

/** A stand-in for the CLI: answers each command as `sf` would and keeps the Apex it was given to run. */
function fakeSf(org: FakeOrg): { sf: SfRunner; calls: string[][]; apex: string[] } {
  const calls: string[][] = [];
  const apex: string[] = [];
  const sf: SfRunner = async (args) => {
    calls.push([...args]);
    if (args[0] === "data") {
      const records = org.prefixes.map((prefix) => ({ DeveloperName: "Stigg", NamespacePrefix: prefix }));
      return {
        code: 0,
        stdout: JSON.stringify({ status: 0, result: { records, totalSize: records.length } }),
        stderr: ""
      };
    }
    if (args[0] === "org") {
      const failures = org.assignFailure ? [{ name: "Stigg_Admin", message: org.assignFailure }] : [];
      const result = {
        successes: failures.length ? [] : [{ name: "admin@stigg.test", value: "Stigg_Admin" }],
        failures
      };
      return {
        code: failures.length ? 1 : 0,
        stdout: JSON.stringify({ status: failures.length ? 1 : 0, result }),
        stderr: ""
      };
    }
    const file = args[args.indexOf("--file") + 1];
    apex.push(readFileSync(file, "utf8"));
    return apex.length === 1 ? org.save : org.test;
  };
  return { sf, calls, apex };
}

const savedOk = apexRun({ logs: logWith({ ok: true, apiKeySet: true, savedBy: "Ada Admin" }) });
const connected = apexRun({ logs: logWith({ ok: true, environment: "production", message: "Connected to Stigg." }) });
const options = { targetOrg: "stigg-packaging", apiKey: KEY, namespace: "stigg" };

describe("org:smoke run", () => {
  it("passes when the key saves through the controller and Stigg answers currentEnvironment", async () => {
    const { sf, calls, apex } = fakeSf({ prefixes: ["stigg"], save: savedOk, test: connected });
    const lines: string[] = [];
    assert.equal(await runSmoke(options, sf, (line) => lines.push(line)), 0);
    assert.deepEqual(lines, [
      "org:smoke: stigg-packaging, namespace stigg",
      "  1/4 the Stigg external credential under the namespace: ok (stigg__Stigg)",
      "  2/4 Stigg Admin for the running user: ok",
      "  3/4 API key saved with StiggConfigurationController.saveApiKey: ok (saved by Ada Admin)",
      "  4/4 currentEnvironment over callout:Stigg: ok (environment production)",
      "org:smoke: PASS: the key was saved through the package, and Stigg accepted the X-API-KEY header of stigg__Stigg"
    ]);
    assert.deepEqual(calls[0], [
      "data",
      "query",
      "--use-tooling-api",
      "--query",
      "SELECT DeveloperName, NamespacePrefix FROM ExternalCredential WHERE DeveloperName = 'Stigg'",
      "--target-org",
      "stigg-packaging"
    ]);
    assert.deepEqual(calls[1], [
      "org",
      "assign",
      "permset",
      "--name",
      "Stigg_Admin",
      "--target-org",
      "stigg-packaging"
    ]);
    assert.deepEqual(
      calls.slice(2).map((call) => [call[0], call[1], call.at(-2), call.at(-1)]),
      [
        ["apex", "run", "--target-org", "stigg-packaging"],
        ["apex", "run", "--target-org", "stigg-packaging"]
      ]
    );
    assert.deepEqual(apex, [saveKeyApex("stigg", KEY), testConnectionApex("stigg")]);
    assert.ok(!lines.join("\n").includes(KEY), "the key is never printed");
  });

  it("accepts a Stigg Admin assignment the user already has", async () => {
    const { sf } = fakeSf({
      prefixes: ["stigg"],
      assignFailure: "Duplicate PermissionSetAssignment: Assignee: 005xx PermissionSet: 0PSxx",
      save: savedOk,
      test: connected
    });
    const lines: string[] = [];
    assert.equal(await runSmoke(options, sf, (line) => lines.push(line)), 0);
    assert.equal(lines[2], "  2/4 Stigg Admin for the running user: ok (already assigned)");
  });

  it("fails before saving anything in an org whose Stigg credential has no namespace", async () => {
    const { sf, calls } = fakeSf({ prefixes: [null], save: savedOk, test: connected });
    const lines: string[] = [];
    assert.equal(await runSmoke(options, sf, (line) => lines.push(line)), 1);
    assert.deepEqual(lines.slice(1), [
      "  1/4 the Stigg external credential under the namespace: FAIL: the Stigg external credential has no stigg namespace (none): run this against a scratch org created with npm run org:create:packaging.",
      "org:smoke: FAIL in stigg-packaging"
    ]);
    assert.equal(calls.length, 1);
  });

  it("fails in an org without the package", async () => {
    const { sf } = fakeSf({ prefixes: [], save: savedOk, test: connected });
    const lines: string[] = [];
    assert.equal(await runSmoke(options, sf, (line) => lines.push(line)), 1);
    assert.equal(
      lines[1],
      "  1/4 the Stigg external credential under the namespace: FAIL: the org has no Stigg external credential: deploy the package first (npm run org:deploy)."
    );
  });

  it("fails with the controller's refusal when the key cannot be saved", async () => {
    const refused = apexRun({
      logs: logWith({
        ok: false,
        error: "System.AuraHandledException: To save the API key you need the Customize Application permission."
      })
    });
    const { sf, apex } = fakeSf({ prefixes: ["stigg"], save: refused, test: connected });
    const lines: string[] = [];
    assert.equal(await runSmoke(options, sf, (line) => lines.push(line)), 1);
    assert.equal(
      lines.at(-2),
      "  3/4 API key saved with StiggConfigurationController.saveApiKey: FAIL: System.AuraHandledException: To save the API key you need the Customize Application permission."
    );
    assert.equal(apex.length, 1, "no connection test after a failed save");
  });

  it("points at the external credential's header when Stigg rejects the key with 401", async () => {
    const rejected = apexRun({
      logs: logWith({
        ok: false,
        code: "Unauthorized",
        message: "Stigg rejected the API key (401). Save a valid server API key from Stigg."
      })
    });
    const { sf } = fakeSf({ prefixes: ["stigg"], save: savedOk, test: rejected });
    const lines: string[] = [];
    assert.equal(await runSmoke(options, sf, (line) => lines.push(line)), 1);
    assert.equal(
      lines.at(-2),
      "  4/4 currentEnvironment over callout:Stigg: FAIL: Stigg rejected the API key (401). Save a valid server API key from Stigg. (Unauthorized) If the key is valid, the X-API-KEY header did not resolve under the stigg namespace: check the custom header of the Stigg external credential."
    );
    assert.equal(lines.at(-1), "org:smoke: FAIL in stigg-packaging");
  });
});

describe("org:smoke command line", () => {
  it("exits 2 with the usage on bad arguments, before touching any org", async () => {
    const lines: string[] = [];
    assert.equal(await main(["--target-org"], (line) => lines.push(line)), 2);
    assert.deepEqual(lines, [
      "org:smoke: --target-org needs a value.",
      "usage: npm run org:smoke -- [--target-org ALIAS] [--api-key-file FILE] [--namespace NS]\n" +
        "  The Stigg server API key comes from --api-key-file or the STIGG_API_KEY environment variable."
    ]);
  });
});
