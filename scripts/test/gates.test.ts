/**
 * Each quality gate, fed a planted defect of its kind, must fail and name the file and line.
 * The fixtures live under scripts/test/fixtures/<gate>/ and are excluded from the project's own runs.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { run } from "../lib/process";

const root = path.resolve(__dirname, "..", "..");
const fixtures = path.join("scripts", "test", "fixtures");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

function gate(script: string, ...args: string[]) {
  return run(process.execPath, [tsx, path.join("scripts", script), ...args], {
    cwd: root
  });
}

describe("format:check", () => {
  it("names the first unformatted line and an Apex syntax error", async () => {
    const result = await gate("format-check.ts", "--project", path.join(fixtures, "format-check"));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /format-check\/force-app\/main\/default\/classes\/CustomerNamer\.cls:3: prettier: not formatted/
    );
    assert.match(
      result.stderr,
      /format-check\/force-app\/main\/default\/classes\/BrokenAction\.cls:4(:\d+)?: prettier: cannot be parsed/
    );
    assert.match(result.stderr, /2 not formatted/);
  });
});

describe("lint", () => {
  it("reports an LWC platform rule and a TypeScript rule with file and line", async () => {
    const result = await gate("lint.ts", "--project", path.join(fixtures, "lint"));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /lwc\/customerBanner\/customerBanner\.ts:9:20: @lwc\/lwc\/no-inner-html:/);
    assert.match(result.stderr, /scripts\/report-counts\.ts:2:11: @typescript-eslint\/no-unused-vars:/);
    assert.match(result.stderr, /scripts\/report-counts\.ts:3:49: eqeqeq:/);
  });
});

describe("typecheck", () => {
  it("fails on a type error with file, line and column", async () => {
    const result = await gate("typecheck.ts", "--project", path.join(fixtures, "typecheck"));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /typecheck\/scripts\/retry-delay\.ts\(2,9\): error TS2322/);
  });
});

describe("check:layers", () => {
  /** A copy of the local org's sources and layer table in a scratch project, for planting defects in. */
  function scratchCopy(): { project: string; source: string } {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "stigg-layers-"));
    const tool = path.join(project, "tools", "local-org");
    fs.mkdirSync(tool, { recursive: true });
    fs.cpSync(path.join(root, "tools", "local-org", "src"), path.join(tool, "src"), { recursive: true });
    fs.copyFileSync(path.join(root, "tools", "local-org", "layers.json"), path.join(tool, "layers.json"));
    return { project, source: path.join(tool, "src") };
  }
  const append = (file: string, text: string) => {
    fs.appendFileSync(file, text);
    return fs.readFileSync(file, "utf8").split("\n").length - 2;
  };

  it("passes on the local org as it is", async () => {
    const result = await gate("check-layers.ts");
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /check:layers: local-org: every import points down, no cycles/);
  });

  it("fails on an import from the runtime core up into the interpreter, naming the file and line", async () => {
    const { project, source } = scratchCopy();
    try {
      const line = append(
        path.join(source, "runtime", "values.ts"),
        `import type { Interpreter } from "../interpreter/interpreter.js";\nexport type Planted = Interpreter;\n`
      );
      const result = await gate("check-layers.ts", "--project", project);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        new RegExp(
          `tools/local-org/src/runtime/values\\.ts:${line}: layers: runtime/values\\.ts \\(layer runtime\\) imports interpreter/interpreter\\.ts \\(layer interpreter, above it\\)`
        )
      );
      // The cycle the upward import closes is not reported a second time.
      assert.doesNotMatch(result.stderr, /import cycle/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it("fails on a cycle inside one layer and on a file in no layer", async () => {
    const { project, source } = scratchCopy();
    try {
      const line = append(
        path.join(source, "runtime", "ids.ts"),
        `import { typeName } from "./types.js";\nexport const plantedName = typeName;\n`
      );
      append(
        path.join(source, "runtime", "types.ts"),
        `import { makeId } from "./ids.js";\nexport const plantedId = makeId;\n`
      );
      fs.writeFileSync(path.join(source, "stray.ts"), `export const stray = 1;\n`);
      const result = await gate("check-layers.ts", "--project", project);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        new RegExp(
          `runtime/ids\\.ts:${line}: layers: import cycle: runtime/ids\\.ts > runtime/types\\.ts > runtime/ids\\.ts`
        )
      );
      assert.match(
        result.stderr,
        /tools\/local-org\/src\/stray\.ts:1: layers: in no layer of tools\/local-org\/layers\.json/
      );
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});

describe("build", () => {
  it("fails when the LWC compiler refuses the compiled component, pointing at the TypeScript line", async () => {
    const result = await gate("build-lwc.ts", "--project", path.join(fixtures, "build"), "--check");
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /lwc\/planBadge\/planBadge\.ts:11:\d+: lwc-compiler: LWC1093: @api method or property cannot be used with @track/
    );
  });

  it("fails on a template the LWC compiler refuses, with the template line", async () => {
    const result = await gate("build-lwc.ts", "--project", path.join(fixtures, "build"), "--check");
    assert.match(
      result.stderr,
      /lwc\/planBadge\/planBadge\.html:5:\d+: lwc-compiler: LWC1071: Missing key for element <li>/
    );
  });

  it("writes the deployable .js next to the TypeScript source", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "stigg-build-"));
    try {
      const bundle = path.join(project, "force-app", "main", "default", "lwc", "planBadge");
      fs.mkdirSync(bundle, { recursive: true });
      fs.copyFileSync(path.join(root, "sfdx-project.json"), path.join(project, "sfdx-project.json"));
      fs.writeFileSync(
        path.join(bundle, "planBadge.ts"),
        'import { LightningElement, api } from "lwc";\ntype Name = string;\nexport default class PlanBadge extends LightningElement {\n  @api planName: Name = "";\n}\n'
      );
      const result = await gate("build-lwc.ts", "--project", project);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const js = fs.readFileSync(path.join(bundle, "planBadge.js"), "utf8");
      assert.match(js, /@api\s+planName = "";/);
      assert.doesNotMatch(js, /type Name|: Name/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});

describe("check:apex", () => {
  it("reports an unknown custom field and an unknown class with file and line", async () => {
    const result = await gate("check-apex.ts", "--project", path.join(fixtures, "check-apex", "unknown-field"));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /classes\/CustomerLinker\.cls:4:9: apexlink:Missing: Unknown field 'Stigg_Customer_Idd__c' on SObject 'Schema\.Account'/
    );
    assert.match(
      result.stderr,
      /classes\/CustomerLinker\.cls:5:9: apexlink:Missing: No variable or type found for 'StiggMissingClient'/
    );
    // The correctly spelt field on the line above comes from the fixture's own object metadata.
    assert.doesNotMatch(result.stderr, /CustomerLinker\.cls:3:/);
  });
});

describe("check:apex user-mode data access", () => {
  it("reads past WITH USER_MODE and `as user` and still reports the unknown field after them, at its place", async () => {
    const project = path.join(fixtures, "check-apex", "user-mode");
    const result = await gate("check-apex.ts", "--project", project);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /user-mode\/force-app\/main\/default\/classes\/CustomerCleaner\.cls:5:\d+: apexlink:Missing: Unknown field 'Stigg_Customer_Idd__c' on SObject 'Schema\.Account'/
    );
    assert.doesNotMatch(result.stderr, /Syntax/);
    assert.match(result.stderr, /check:apex: 1 problem\(s\)/);
  });
});

describe("check:apex known gaps", () => {
  it("fails on a listed platform-stub gap that nothing reports any more", async () => {
    const result = await gate("check-apex.ts", "--project", path.join(fixtures, "check-apex", "stale-gap"));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /config\/apexlink-known-gaps\.json:1: apexlink:StaleKnownGap: no longer reported, remove it: \^No variable or type found for 'AccessLevel'/
    );
  });
});

describe("scan", () => {
  it("fails on SOQL injection and unchecked DML in Apex", async () => {
    const report = path.join(os.tmpdir(), `stigg-scan-${process.pid}-apex.txt`);
    const result = await gate("scan.ts", "--project", path.join(fixtures, "scan", "apex-defects"), "--report", report);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /classes\/AccountFinder\.cls:3:\d+: \[High\] pmd:ApexSOQLInjection:/);
    assert.match(result.stderr, /classes\/AccountFinder\.cls:7:\d+: \[High\] pmd:ApexCRUDViolation:/);
    // Lower findings are not blocking but go to the report.
    assert.match(fs.readFileSync(report, "utf8"), /AccountFinder\.cls:1:1: \[Moderate\] pmd:ApexSharingViolations:/);
    fs.rmSync(report, { force: true });
  });

  it("fails on a flow element without a fault path", async () => {
    const report = path.join(os.tmpdir(), `stigg-scan-${process.pid}-flow.txt`);
    const result = await gate("scan.ts", "--project", path.join(fixtures, "scan", "flow-defects"), "--report", report);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /flows\/Close_Won_Update\.flow-meta\.xml:7:\d+: \[High\] flow:MissingFaultPath: Missing Fault Path: Update_Account/
    );
    fs.rmSync(report, { force: true });
  });
});

describe("scan of asynchronous paths", () => {
  it("fails on a missing fault path on a flow whose work is all on its asynchronous path", async () => {
    const report = path.join(os.tmpdir(), `stigg-scan-${process.pid}-async.txt`);
    const result = await gate(
      "scan.ts",
      "--project",
      path.join(fixtures, "scan", "async-flow-defects"),
      "--report",
      report
    );
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /flows\/Won_Deal_Async_Update\.flow-meta\.xml:7:\d+: \[High\] flow:MissingFaultPath: Missing Fault Path: Mark_Account/
    );
    fs.rmSync(report, { force: true });
  });
});

describe("test:lwc", () => {
  it("fails when a component test fails, naming the test file and line", async () => {
    const jest = path.join(root, "node_modules", "@salesforce", "sfdx-lwc-jest", "bin", "sfdx-lwc-jest");
    const result = await run(process.execPath, [jest], {
      cwd: path.join(root, fixtures, "test-lwc")
    });
    assert.notEqual(result.code, 0);
    const output = result.stdout + result.stderr;
    assert.match(output, /Expected: "Plan: Pro"\s+Received: "PRO"/);
    assert.match(output, /planBadge\/__tests__\/planBadge\.test\.ts:10:\d+/);
  });
});
