/**
 * Each quality gate, fed a planted defect of its kind, must fail and name the file and line.
 * The fixtures live under scripts/test/fixtures/<gate>/ and are excluded from the project's own runs.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
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

describe("check:apex on Apex newer than its platform stubs", () => {
  it("checks files that use user mode, and checks calls to Assert against its signatures", async () => {
    const result = await gate("check-apex.ts", "--project", path.join(fixtures, "check-apex", "newer-apex"));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const findings = result.stderr.split("\n").filter((line) => line.includes("CustomerReader.cls"));
    // `WITH USER_MODE` and `update as user` are no syntax errors, and the rest of the file is still checked.
    assert.deepEqual(
      findings.map((line) => line.replace(/^.*CustomerReader\.cls:/, "")),
      [
        "4:42: apexlink:Missing: Unknown field 'Stigg_Customer_Idd__c' on SObject 'Schema.Account'",
        "11:9: apexlink:Error: No matching method found for 'isTrue' on 'Assert' taking arguments 'System.String, System.String'"
      ]
    );
  });
});

describe("check:apexdoc", () => {
  // One run over the fixture: apexdocs takes seconds per class.
  let findings: string[];
  let code: number | null;
  before(async () => {
    const result = await gate("apex-reference.ts", "--project", path.join(fixtures, "check-apexdoc", "stale"));
    code = result.code;
    findings = result.stderr
      .split("\n")
      .filter((line) => line.includes("stale/") && !line.startsWith("check:apexdoc:"))
      .map((line) => line.replace(/^.*stale\//, ""));
  });

  it("fails on a reference page the ApexDoc no longer generates, naming its first differing line", () => {
    assert.equal(code, 1);
    assert.deepEqual(
      findings.filter((finding) => finding.startsWith("docs/")),
      [
        "docs/apex-reference/flow-actions/FarewellAction.md:1: apexdoc:Left-over page: no global class generates it any more: remove it (npm run docs:apex)",
        // The method's ApexDoc changed after the page was generated.
        'docs/apex-reference/flow-actions/GreetingAction.md:11: apexdoc:Stale page: differs from what the ApexDoc generates: "Greets each person by name, one greeting per request, in order." (npm run docs:apex)'
      ]
    );
  });

  it("fails on a global invocable variable without ApexDoc", () => {
    assert.equal(code, 1);
    assert.deepEqual(
      findings.filter((finding) => finding.startsWith("force-app/")),
      [
        "force-app/main/default/classes/GreetingAction.cls:7: apexdoc:Missing: global field name has no ApexDoc comment (/** ... */) in front of it"
      ]
    );
  });
});

describe("check:lwc-apex", () => {
  it("fails where a component's apex.d.ts disagrees with its Apex controller", async () => {
    const result = await gate("check-lwc-apex.ts", "--project", path.join(fixtures, "check-lwc-apex", "mismatch"));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const findings = result.stderr
      .split("\n")
      .filter((line) => line.includes("planSummary/apex.d.ts:"))
      .map((line) => line.replace(/^.*planSummary\//, ""));
    // Every other member of the fixture matches its Apex (Datetime as string, Boolean | null, Id, an inner
    // class through a list, another class's inner class) and must not be reported.
    assert.deepEqual(findings, [
      "apex.d.ts:5: lwc-apex: PlanSummaryController.Addon.quantity is Decimal in Apex, a number; apex.d.ts says string | undefined",
      'apex.d.ts:13: lwc-apex: PlanSummaryController.Summary.tier: "ENTERPRISE" is not a value of the Apex enum PlanSummaryController.Tier',
      "apex.d.ts:15: lwc-apex: PlanSummaryController.Summary.tags is List<String> in Apex, an array; apex.d.ts says string",
      "apex.d.ts:16: lwc-apex: PlanSummaryController.Summary.internalNote is not @AuraEnabled, so the component never receives it",
      'apex.d.ts:17: lwc-apex: PlanSummaryController.Summary has no field "planName"',
      'apex.d.ts:18: lwc-apex: PlanSummaryController.Summary.planId is sent as "planId", not "PlanId"',
      'apex.d.ts:24: lwc-apex: PlanChanger.Result has no field "status"',
      'apex.d.ts:41: lwc-apex: PlanSummaryController.getSummary takes no parameter "recordId" (it takes accountId)',
      "apex.d.ts:49: lwc-apex: PlanSummaryController.changePlan parameter seats is Integer in Apex, a number; apex.d.ts says string | null",
      // An undeclared type would read as any, which nothing fails against.
      "apex.d.ts:54: typescript: Cannot find name 'PlanTier'.",
      "apex.d.ts:57: lwc-apex: PlanSummaryController.notExposed is not an @AuraEnabled static method, so a component cannot call it",
      "apex.d.ts:61: lwc-apex: PlanSummaryController.renamedMethod: PlanSummaryController has no method renamedMethod",
      "apex.d.ts:65: lwc-apex: PlanCatalogController.getPlans: the package has no Apex class PlanCatalogController"
    ]);
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
    // A Moderate finding fails too, unless accepted where it is.
    assert.match(result.stderr, /classes\/AccountFinder\.cls:1:1: \[Moderate\] pmd:ApexSharingViolations:/);
    // Low findings are not blocking but go to the report.
    assert.doesNotMatch(result.stderr, /\[Low\]/);
    assert.match(fs.readFileSync(report, "utf8"), /AccountFinder\.cls:\d+:\d+: \[Low\] pmd:ApexDoc:/);
    fs.rmSync(report, { force: true });
  });

  it("fails on an unexplained Moderate finding and on suppressions without a reason or a real rule", async () => {
    const report = path.join(os.tmpdir(), `stigg-scan-${process.pid}-moderate.txt`);
    const result = await gate(
      "scan.ts",
      "--project",
      path.join(fixtures, "scan", "moderate-defects"),
      "--report",
      report
    );
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const blocking = result.stderr
      .split("\n")
      .filter((line) => line.includes("moderate-defects/"))
      .map((line) => line.replace(/^.*moderate-defects\//, ""));
    assert.deepEqual(blocking, [
      "config/scan-accepted.json:1: [High] scan:AcceptedFinding: force-app/main/default/objects/Account/fields/Api_Token__c.field-meta.xml pmd:ProtectSensitiveData no longer matches a finding: remove it",
      // greet(): nothing accepts it.
      "force-app/main/default/classes/Greeter.cls:10:45: [Moderate] pmd:AvoidBooleanMethodParameters: Avoid Boolean method parameters",
      // mumble(): suppressed without saying why (whisper(), with its reason above, passes).
      "force-app/main/default/classes/Greeter.cls:30:5: [High] scan:UnexplainedSuppression: @SuppressWarnings('PMD.AvoidBooleanMethodParameters') needs its reason: a // comment on the line above that says why the finding is accepted",
      // hum(): a misspelt rule suppresses nothing.
      "force-app/main/default/classes/Greeter.cls:41:5: [High] scan:UnknownSuppressedRule: PMD.AvoidBooleanParameters: no rule of that name runs in this scan (use PMD.RuleName as the report names it)",
      "force-app/main/default/classes/Greeter.cls:42:43: [Moderate] pmd:AvoidBooleanMethodParameters: Avoid Boolean method parameters"
    ]);
    assert.match(
      result.stderr,
      /scan: 1 Apex files, 1 metadata files, 0 flows; 5 unexplained findings Moderate or worse/
    );
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
