import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_VERSION_TABLE, checkSourceApiVersion, main } from "../check-metadata";
import type { Finding } from "../lib/findings";
import { loadApiVersionTable } from "../lib/api-versions";
import { IgnorePatterns } from "../lib/ignore-patterns";
import { MetadataSchema } from "../lib/metadata-schema";
import { classify, KNOWN_TYPES } from "../lib/metadata-types";
import { parseXml, XmlSyntaxError } from "../lib/xml";

const repoRoot = resolve(__dirname, "../..");
const FIXTURES = "scripts/test/fixtures/check-metadata";
const FIELD = "force-app/main/default/objects/Account/fields/Tier__c.field-meta.xml";
const TIMEOUT = { timeout: 120_000 };

/** Runs the gate in-process from the repository root, as `npm run check:metadata` would. */
async function check(project: string): Promise<{ code: number; findings: string[]; summary: string }> {
  const lines: string[] = [];
  const code = await main(["--project", project], repoRoot, (line) => lines.push(line));
  return {
    code,
    findings: lines.slice(0, -1),
    summary: lines[lines.length - 1] ?? ""
  };
}

async function expectFindings(fixture: string, expected: readonly string[]): Promise<void> {
  const result = await check(`${FIXTURES}/${fixture}`);
  assert.deepEqual(
    result.findings,
    expected.map((line) => `${FIXTURES}/${fixture}/${line}`)
  );
  assert.equal(result.code, 1);
  assert.match(result.summary, new RegExp(`^check:metadata: ${expected.length} problems? in \\d+ files?$`));
}

describe("check:metadata on fixture projects", () => {
  it(
    "passes a clean project (custom setting, flow, picklist, TypeScript LWC not built yet, Apex tests in tests/)",
    TIMEOUT,
    async () => {
      const result = await check(`${FIXTURES}/clean`);
      assert.deepEqual(result.findings, []);
      assert.equal(result.code, 0);
    }
  );

  it("reports malformed XML at the line of the broken tag", TIMEOUT, async () => {
    await expectFindings("malformed-xml", [
      `${FIELD}:5: malformed XML: Expected closing tag 'label' (opened in line 5, col 5) instead of closing tag 'labl'.`
    ]);
  });

  it("reports an unknown element in a CustomField", TIMEOUT, async () => {
    await expectFindings("unknown-element", [
      `${FIELD}:6: unknown element <lenght> in CustomField (did you mean <length>?)`
    ]);
  });

  it("reports misspelt enum values in a field type and a flow trigger type", TIMEOUT, async () => {
    await expectFindings("bad-enum", [
      `force-app/main/default/flows/Tier_Default.flow-meta.xml:43: <triggerType> value "RecordBeforeSav" is not a valid FlowTriggerType (did you mean "RecordBeforeSave"?)`,
      `${FIELD}:8: <type> value "Picklst" is not a valid FieldType (did you mean "Picklist"?)`
    ]);
  });

  it("reports a boolean that is not true or false", TIMEOUT, async () => {
    await expectFindings("bad-boolean", [
      `${FIELD}:6: <required> value "yes" is not a boolean (expected true or false)`
    ]);
  });

  it("reports a .cls without its -meta.xml, which convert silently drops", TIMEOUT, async () => {
    await expectFindings("cls-without-meta", [
      "force-app/main/default/classes/Orphan.cls:1: ApexClass Orphan is missing from the converted package",
      "force-app/main/default/classes/Orphan.cls:1: has no Orphan.cls-meta.xml, so sf project convert source leaves it out of the package"
    ]);
  });

  it("reports TypeScript, tests and test classes that .forceignore lets into the package", TIMEOUT, async () => {
    const why = "reaches the package although it is not shippable (exclude it in .forceignore)";
    await expectFindings("non-shippable", [
      `force-app/main/default/lwc/greeting/__tests__/greeting.test.js:1: lwc/greeting/__tests__/greeting.test.js ${why}`,
      `force-app/main/default/lwc/greeting/greeting.ts:1: lwc/greeting/greeting.ts ${why}`
    ]);
  });

  it("reports a test class outside tests/ and production code inside it", TIMEOUT, async () => {
    await expectFindings("test-placement", [
      "force-app/main/default/classes/GreeterTest.cls:1: test class GreeterTest is outside tests/: move it to tests/default/classes/ so main/ holds only what customers run",
      "force-app/tests/default/classes/Greeter.cls:1: Greeter is not an @IsTest class: production code belongs in main/, tests/ holds tests and test-only helpers"
    ]);
  });

  it("reports a metadata suffix it cannot map to a type", TIMEOUT, async () => {
    await expectFindings("unknown-suffix", [
      "force-app/main/default/widgets/Spinner.widget-meta.xml:1: unknown metadata suffix .widget-meta.xml",
      "sfdx-project.json:1: sf project convert source failed for force-app: force-app/main/default/widgets/Spinner.widget-meta.xml: Could not infer a metadata type"
    ]);
  });

  it("reports an sfdx-project.json that breaks the schema", TIMEOUT, async () => {
    await expectFindings("bad-project-json", [
      "sfdx-project.json:3: /packageDirectories/0 matches none of the accepted forms",
      "sfdx-project.json:5: /packageDirectories/0/default must be boolean",
      "sfdx-project.json:9: /namespaces is not an allowed property"
    ]);
  });

  it("reports a scratch org definition that breaks the schema or misspells a setting", TIMEOUT, async () => {
    await expectFindings("bad-scratch-def", [
      "config/project-scratch-def.json:3: /edition must be one of: Developer, Enterprise, Group, Partner Developer, Partner Enterprise, Partner Group, Partner Professional, Professional",
      'config/project-scratch-def.json:4: /features/1 matches none of the accepted forms ("MultiCurrencyy")',
      "config/project-scratch-def.json:7: unknown element <enableS1DesktopEnabld> in LightningExperienceSettings (did you mean <enableS1DesktopEnabled>?)"
    ]);
  });
});

/** Each planted-defect project is checked once; each test then reads the findings of its own files. */
const checkedOnce = new Map<string, ReturnType<typeof check>>();

async function expectFindingsIn(fixture: string, files: readonly string[], expected: readonly string[]): Promise<void> {
  if (!checkedOnce.has(fixture)) checkedOnce.set(fixture, check(`${FIXTURES}/${fixture}`));
  const result = await checkedOnce.get(fixture)!;
  const prefix = `${FIXTURES}/${fixture}/`;
  assert.deepEqual(
    result.findings.filter((line) => files.some((file) => line.startsWith(`${prefix}${file}:`))),
    expected.map((line) => `${prefix}${line}`)
  );
  assert.equal(result.code, 1);
}

describe("check:metadata on API versions", () => {
  const FLOW = "force-app/main/default/flows/Tier_Default.flow-meta.xml";
  const PERMISSION_SET = "force-app/main/default/permissionsets/Account_Reader.permissionset-meta.xml";

  it(
    "reports areMetricsLoggedToDataCloud in a flow and viewAllFields in object permissions at 62.0",
    TIMEOUT,
    async () => {
      await expectFindingsIn(
        "api-version-defects",
        [FLOW, PERMISSION_SET],
        [
          `${FLOW}:4: <areMetricsLoggedToDataCloud> (Flow.areMetricsLoggedToDataCloud) needs API 63.0 or later, but this file is at API 62.0`,
          `${PERMISSION_SET}:17: <viewAllFields> (PermissionSetObjectPermissions.viewAllFields) needs API 63.0 or later, but this file is at API 62.0`
        ]
      );
    }
  );

  it("reports an element the API version table does not know, so the table cannot fall behind", TIMEOUT, async () => {
    await expectFindingsIn(
      "api-version-defects",
      [FIELD],
      [
        `${FIELD}:4: <complianceGroup> (CustomField.complianceGroup) is not in config/metadata-api-versions.json: add the API version that introduced it, with the reference that says so`
      ]
    );
  });

  it("reports a file whose apiVersion is not the project's sourceApiVersion", TIMEOUT, async () => {
    await expectFindings("file-version-mismatch", [
      "force-app/main/default/classes/Greeter.cls-meta.xml:3: apiVersion 62.0 differs from the project's sourceApiVersion 67.0: keep every file on the project's API version"
    ]);
  });
});

describe("check:metadata on credentials", () => {
  const BILLING = "force-app/main/default/namedCredentials/Billing.namedCredential-meta.xml";
  const INVOICING_EC = "force-app/main/default/externalCredentials/Invoicing.externalCredential-meta.xml";
  const INVOICING_NC = "force-app/main/default/namedCredentials/Invoicing.namedCredential-meta.xml";

  it("reports the API key header back on the named credential with a $Credential formula", TIMEOUT, async () => {
    await expectFindingsIn(
      "credential-defects",
      [BILLING],
      [
        `${BILLING}:18: header X-API-KEY reads {!$Credential.Billing.ApiKey} on the named credential: define authentication headers on the external credential (a custom header, parameterType AuthHeader), where Salesforce recommends them and where the parameter lives`
      ]
    );
  });

  it("reports an external credential header reading another credential's parameter", TIMEOUT, async () => {
    await expectFindingsIn(
      "credential-defects",
      [INVOICING_EC],
      [
        `${INVOICING_EC}:4: header X-API-KEY reads $Credential.Billing.ApiKey, a parameter of another external credential: a custom header reads the parameters of its own external credential (Invoicing)`
      ]
    );
  });

  it(
    "reports a named credential that would send its external credential's header formula as text",
    TIMEOUT,
    async () => {
      await expectFindingsIn(
        "credential-defects",
        [INVOICING_NC],
        [
          `${INVOICING_NC}:4: allowMergeFieldsInHeader must be true: the Invoicing external credential's header X-API-KEY is a formula, sent as text unless the named credential allows formulas in HTTP headers`
        ]
      );
    }
  );
});

describe("check:metadata on flow templates", () => {
  const UPDATE_ONLY = "force-app/main/default/flows/Tier_Update_Only.flow-meta.xml";
  const EVERY_EDIT = "force-app/main/default/flows/Tier_Every_Edit.flow-meta.xml";
  const FORMULA_EVERY_EDIT = "force-app/main/default/flows/Tier_Formula_Every_Edit.flow-meta.xml";

  it("reports a record-triggered template that starts on Update only", TIMEOUT, async () => {
    await expectFindingsIn(
      "template-defects",
      [UPDATE_ONLY],
      [
        `${UPDATE_ONLY}:43: the template starts on Update: start it on Create and Update (CreateAndUpdate), or a record created already in the state it waits for (an opportunity created Closed Won) is never handled`
      ]
    );
  });

  it("reports a Create and Update template that would start again on every edit", TIMEOUT, async () => {
    await expectFindingsIn(
      "template-defects",
      [EVERY_EDIT],
      [
        `${EVERY_EDIT}:34: doesRequireRecordChangedToMeetCriteria must be true, or the entry conditions must name the change that starts the template (ISCHANGED or PRIORVALUE in the formula, or an Is Changed condition): on Create and Update the template would otherwise start again on every edit of a record that meets its conditions`
      ]
    );
  });

  it(
    "reports an entry formula that names no change, and accepts one that does (ISCHANGED, every time a record is updated)",
    TIMEOUT,
    async () => {
      await expectFindingsIn(
        "template-defects",
        [FORMULA_EVERY_EDIT, "force-app/main/default/flows/Tier_On_Change.flow-meta.xml"],
        [
          `${FORMULA_EVERY_EDIT}:28: doesRequireRecordChangedToMeetCriteria must be true, or the entry conditions must name the change that starts the template (ISCHANGED or PRIORVALUE in the formula, or an Is Changed condition): on Create and Update the template would otherwise start again on every edit of a record that meets its conditions`
        ]
      );
    }
  );
});

describe("check:metadata on projects with several planted defects", () => {
  it("finds those defects and nothing else", TIMEOUT, async () => {
    for (const [fixture, count] of [
      ["api-version-defects", 3],
      ["credential-defects", 3],
      ["template-defects", 3]
    ] as const) {
      if (!checkedOnce.has(fixture)) checkedOnce.set(fixture, check(`${FIXTURES}/${fixture}`));
      const result = await checkedOnce.get(fixture)!;
      assert.equal(result.findings.length, count, result.findings.join("\n"));
      assert.match(result.summary, new RegExp(`^check:metadata: ${count} problems in ${count} files$`));
    }
  });
});

describe("sourceApiVersion", () => {
  const table = loadApiVersionTable(API_VERSION_TABLE, new MetadataSchema());
  const verdict = (value: unknown): { version: string | undefined; messages: string[] } => {
    const findings: Finding[] = [];
    const text = JSON.stringify({ sourceApiVersion: value }, null, 2);
    const version = checkSourceApiVersion(
      value === undefined ? {} : { sourceApiVersion: value },
      text,
      table,
      "sfdx-project.json",
      findings
    );
    return { version, messages: findings.map((f) => f.message) };
  };

  it("accepts a version between the oldest and the newest the table covers", () => {
    assert.deepEqual(verdict("67.0"), { version: "67.0", messages: [] });
    assert.deepEqual(verdict("47.0"), { version: "47.0", messages: [] });
  });

  it("reports a missing, malformed, too new or too old sourceApiVersion", () => {
    assert.deepEqual(verdict(undefined).messages, [
      "sourceApiVersion is missing: without it every deploy uses the target org's newest version"
    ]);
    assert.deepEqual(verdict("67").messages, ['sourceApiVersion "67" is not an API version such as "67.0"']);
    assert.deepEqual(verdict("99.0").messages, [
      "sourceApiVersion 99.0 is newer than 67.0, the newest version the toolchain knows"
    ]);
    assert.deepEqual(verdict("46.0").messages, [
      "sourceApiVersion 46.0 is older than 47.0, the oldest version the API version table covers"
    ]);
  });
});

describe("API version table", () => {
  const schema = new MetadataSchema();

  it("names only types, fields and values that @salesforce/types has, each once, with a version and a source", () => {
    const table = loadApiVersionTable(API_VERSION_TABLE, schema);
    assert.deepEqual(table.problems, []);
    assert.equal(table.newest, "67.0");
    assert.equal(table.since.get("Flow.areMetricsLoggedToDataCloud"), "63.0");
    assert.equal(table.since.get("PermissionSetObjectPermissions.viewAllFields"), "63.0");
  });

  it("reports a misspelt field, an unknown value, a bad version, a missing source and a duplicate, each at its line", () => {
    const dir = mkdtempSync(join(tmpdir(), "api-versions-"));
    try {
      const file = join(dir, "table.json");
      const rows = [
        { element: "Flow.areMetricsLogedToDataCloud", since: "63.0", source: "Flow reference" },
        { element: "FlowStart.recordTriggerType=Upsert", since: "48.0", source: "Flow reference" },
        { element: "Flow.apiVersion", since: "50", source: "Flow reference" },
        { element: "Flow.isTemplate", since: "45.0", source: " " },
        { element: "Flow.loops", since: "30.0", source: "Flow reference" },
        { element: "Flow.loops", since: "30.0", source: "Flow reference" }
      ];
      writeFileSync(
        file,
        [
          '{ "oldest": { "version": "47.0" }, "newest": { "version": "67.0" }, "elements": [',
          ...rows.map((r, i) => JSON.stringify(r) + (i < rows.length - 1 ? "," : "")),
          "] }"
        ].join("\n")
      );
      assert.deepEqual(
        loadApiVersionTable(file, schema).problems.map((p) => `${p.line}: ${p.message}`),
        [
          "2: Flow.areMetricsLogedToDataCloud: @salesforce/types has no field areMetricsLogedToDataCloud in Flow",
          "3: FlowStart.recordTriggerType=Upsert: Upsert is not one of the values of FlowStart.recordTriggerType",
          '4: Flow.apiVersion: since must be a version such as "63.0"',
          "5: Flow.isTemplate: source must say which reference gives its version",
          "7: Flow.loops is listed twice"
        ]
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("check:metadata on this project", () => {
  it("passes force-app, sfdx-project.json and the scratch org definition", TIMEOUT, async () => {
    const result = await check(".");
    assert.deepEqual(result.findings, []);
    assert.equal(result.code, 0);
  });

  it("is on the newest API version the toolchain knows", () => {
    const project = JSON.parse(readFileSync(join(repoRoot, "sfdx-project.json"), "utf8")) as {
      sourceApiVersion: string;
    };
    assert.equal(project.sourceApiVersion, loadApiVersionTable(API_VERSION_TABLE, new MetadataSchema()).newest);
  });
});

describe("check:metadata command line", () => {
  const run = (project: string): Promise<{ code: number; stdout: string }> =>
    new Promise((done) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "scripts/check-metadata.ts", "--project", project],
        { cwd: repoRoot },
        (error, stdout) => done({ code: error ? Number(error.code) : 0, stdout })
      );
    });

  it("exits 0 on a clean project and 1 with file:line findings on a defect", TIMEOUT, async () => {
    const clean = await run(`${FIXTURES}/clean`);
    assert.equal(clean.code, 0, clean.stdout);
    assert.equal(clean.stdout, "check:metadata: metadata is valid and converts to exactly the shippable components\n");

    const broken = await run(`${FIXTURES}/bad-boolean`);
    assert.equal(broken.code, 1, broken.stdout);
    assert.equal(
      broken.stdout,
      `${FIXTURES}/bad-boolean/${FIELD}:6: <required> value "yes" is not a boolean (expected true or false)\n` +
        "check:metadata: 1 problem in 1 file\n"
    );
  });
});

describe("metadata type check", () => {
  const schema = new MetadataSchema();
  const problems = (xml: string, type: string) =>
    schema.validate(parseXml(xml), type).map((p) => `${p.line}: ${p.message}`);

  it("knows every type the suffix table maps to", () => {
    assert.deepEqual(
      KNOWN_TYPES.filter((t) => !schema.has(t)),
      []
    );
  });

  it("accepts repeated list elements but not a repeated single element", () => {
    const xml = [
      "<CustomApplication>",
      "<tabs>a</tabs>",
      "<tabs>b</tabs>",
      "<label>A</label>",
      "<label>B</label>",
      "</CustomApplication>"
    ].join("\n");
    assert.deepEqual(problems(xml, "CustomApplication"), ["5: <label> may appear only once in CustomApplication"]);
  });

  it("checks numbers and the text/child-element shape of each element", () => {
    const xml = [
      "<CustomField>",
      "<precision>18.5</precision>",
      "<scale>two</scale>",
      "<label><en>Tier</en></label>",
      "<valueSet>restricted</valueSet>",
      "</CustomField>"
    ].join("\n");
    assert.deepEqual(problems(xml, "CustomField"), [
      '3: <scale> value "two" is not a number',
      "4: <label> takes a value, not child elements",
      '5: <valueSet> takes child elements, not the text "restricted"'
    ]);
  });
});

describe("XML reader", () => {
  it("keeps the line of each element across comments, CDATA and entities", () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<!-- a\ncomment -->\n<A>\n  <b><![CDATA[x\ny]]></b>\n  <c>&lt;&#65;&amp;</c>\n</A>\n'
    );
    assert.deepEqual(
      root.children.map((c) => [c.name, c.line, c.text]),
      [
        ["b", 5, "x\ny"],
        ["c", 7, "<A&"]
      ]
    );
    assert.equal(root.line, 4);
  });

  it("rejects what the validator lets through: a second root and unknown entities", () => {
    const lineOf = (xml: string): number => {
      try {
        parseXml(xml);
      } catch (error) {
        if (error instanceof XmlSyntaxError) return error.line;
        throw error;
      }
      return 0;
    };
    assert.equal(lineOf("<a/>\n<b/>"), 2);
    assert.equal(lineOf("<a>\n\n&nbsp;</a>"), 3);
  });
});

describe(".forceignore patterns", () => {
  const forceIgnore = new IgnorePatterns([
    "**/*.ts",
    "**/__tests__/**",
    "force-app/test/**",
    "tmp/",
    "*.log",
    "!keep.log"
  ]);

  it("ignores like gitignore: any depth, anchored paths, directories, negation", () => {
    const ignored = [
      "force-app/main/default/lwc/a/a.ts",
      "force-app/main/default/lwc/a/__tests__/a.test.js",
      "force-app/test/classes/ATest.cls",
      "tmp/x/y.xml",
      "force-app/debug.log"
    ];
    const kept = [
      "force-app/main/default/lwc/a/a.js",
      "force-app/main/default/classes/test/A.cls",
      "force-app/keep.log",
      "force-app/tmp.xml"
    ];
    assert.deepEqual(
      ignored.filter((p) => !forceIgnore.ignores(p)),
      []
    );
    assert.deepEqual(
      kept.filter((p) => forceIgnore.ignores(p)),
      []
    );
  });
});

describe("source file classification", () => {
  const none = (): boolean => false;

  it("names components the way package.xml does", () => {
    assert.deepEqual(classify("main/default/objects/Account/fields/Tier__c.field-meta.xml", none), {
      kind: "definition",
      type: "CustomField",
      fullName: "Account.Tier__c",
      xmlType: "CustomField"
    });
    assert.deepEqual(classify("main/default/lwc/greeting/__tests__/greeting.test.js", none), {
      kind: "member",
      type: "LightningComponentBundle",
      fullName: "greeting"
    });
    assert.deepEqual(classify("main/default/customMetadata/Plan_Map.Gold.md-meta.xml", none), {
      kind: "definition",
      type: "CustomMetadata",
      fullName: "Plan_Map.Gold",
      xmlType: "CustomMetadata"
    });
    assert.deepEqual(
      classify("main/default/classes/A.cls", (p) => p === "main/default/classes/A.cls-meta.xml"),
      {
        kind: "member",
        type: "ApexClass",
        fullName: "A"
      }
    );
  });
});
