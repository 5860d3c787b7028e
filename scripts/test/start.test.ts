/**
 * npm start, the main job: a deal closes in the local org, the package's own flow provisions it in Stigg, and the
 * run is printed for a sales-ops reader. Run as a user runs it (a process), plus its command line.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { run } from "../lib/process";
import { parseStartArguments, UsageError } from "../start";
import { spawnFakeStigg, type SpawnedFakeStigg } from "../../tools/fake-stigg/src/remote";
import type { RunRecord } from "../lib/run-report";

const root = path.resolve(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const TEMPLATE = path.join(
  root,
  "force-app",
  "main",
  "default",
  "flows",
  "Opportunity_Stigg_Subscription_Template.flow-meta.xml"
);
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "npm-start-"));
after(() => fs.rmSync(directory, { recursive: true, force: true }));

const start = (...args: string[]) => run(process.execPath, [tsx, "scripts/start.ts", ...args], { cwd: root });

/** The template as a subscriber retrieves their adapted copy from an org where the package is installed. */
function adaptedFlow(name: string, change: (xml: string) => string): string {
  const xml = fs
    .readFileSync(TEMPLATE, "utf8")
    .replace(/<label>Opportunity - Stigg Subscription Template<\/label>/, "<label>Acme - Provision Stigg</label>")
    .replace(/<isTemplate>true<\/isTemplate>/, "<isTemplate>false</isTemplate>")
    .replace(/<status>Draft<\/status>/, "<status>Active</status>")
    // Installed, the package's actions and fields carry its namespace.
    .replace(/\b(CreateStigg\w+Action|Stigg_\w+__c)\b/g, "stigg__$1");
  const file = path.join(directory, `${name}.flow-meta.xml`);
  fs.writeFileSync(file, change(xml));
  return file;
}

describe("npm start", () => {
  it("closes a deal, runs the subscription template and prints each step, the requests, the records and the result", async () => {
    const result = await start();

    assert.equal(result.code, 0, result.stdout + result.stderr);
    const out = result.stdout;
    assert.match(
      out,
      /Active flow: "Opportunity - Stigg Subscription Template" \(Opportunity_Stigg_Subscription_Template\), activated as a subscriber does after Save As/
    );
    assert.match(out, /Pro Plan {13}Stigg Type Plan {9}Stigg ID plan-pro/);
    assert.match(
      out,
      /The rep saves the deal at stage Closed Won \(one DML statement\)\nThe save went through at once: 0 callouts, 0 queries and 1 DML statement in the rep's transaction/
    );
    assert.match(out, /Flow "Opportunity - Stigg Subscription Template" started for 1 opportunity\./);
    assert.match(
      out,
      /Path "Run Asynchronously" \(after the save committed, in a transaction of its own\), 1 interview:/
    );
    // Each element, with the decisions taken, in the order they ran.
    const steps = [
      "Get Stigg Deal Type: Apex action GetStiggDealTypeAction, 1 request in one call",
      "Is New Deal -> New Deal",
      "Compile Subscription Input: Stigg_Subscription_Input_Template",
      // The shared subflow's steps, under the element that called it.
      "  Get Stigg Products: found 3 opportunity products",
      "  Which Stigg Type -> Plan",
      "  Which Stigg Type -> Add-on",
      "  Which Stigg Type -> Entitlement",
      "  Check Plan -> Plan Checked",
      "Check Input -> Input Ready",
      "Create Stigg Customer: Apex action CreateStiggCustomerAction, 1 request in one call",
      "Customer Created? -> Customer Ready",
      "Create Stigg Subscription: Apex action CreateStiggSubscriptionAction, 1 request in one call",
      "Subscription Outcome -> Provisioned and Recorded",
      "Update Account: 1 record updated"
    ];
    let position = 0;
    for (const step of steps) {
      const found = out.indexOf(step, position);
      assert.ok(found > position, `"${step}" after the previous step`);
      position = found;
    }
    assert.match(
      out,
      /SfProvisionCustomers: 1 request in one call, HTTP 200\n {4}customer (001\w{15}) "Northwind Traders" \(Salesforce Account \1\)/
    );
    assert.match(
      out,
      /SfProvisionSubscriptions: 1 request in one call, HTTP 200\n {4}plan plan-pro for customer 001\w{15}; add-ons addon-extra-seats x5; entitlements feature-api-calls limit 100000; Salesforce record 006\w{15}/
    );
    assert.match(out, /Stigg Provisioning Status: Not Started -> Provisioned/);
    assert.match(out, /Stigg Customer ID: \(empty\) -> 001\w{15}/);
    assert.match(
      out,
      /6\. Result\nAccount "Northwind Traders": Stigg Customer URL https:\/\/app\.stigg\.io\/northwind-demo\/customers\/001\w{15}\nOpportunity "Northwind - Pro annual": Provisioned, Stigg subscription subscription-plan-pro-1\n/
    );
  });

  it("--deals N closes N opportunities in one save, and --json writes the run's record", async () => {
    const file = path.join(directory, "run.json");

    const result = await start("--deals", "3", "--json", file);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /3 opportunities: 3 Provisioned, 0 Failed\./);
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as RunRecord;
    assert.equal(record.deals, 3);
    assert.deepEqual(record.summary, { provisioned: 3, failed: 0, other: 0 });
    assert.deepEqual(record.save, { saved: true, error: null, soqlQueries: 0, dmlStatements: 1, callouts: 0 });
    assert.deepEqual(
      record.stiggRequests.map((request) => [request.operationName, Object.keys(request.variables).length]),
      [
        ["SfProvisionCustomers", 3],
        ["SfProvisionSubscriptions", 3]
      ]
    );
    assert.equal(record.flowEvents.filter((event) => event.kind === "start").length, 3);
    assert.equal(record.recordsWritten.opportunities.length, 3);
    assert.equal(record.recordsWritten.accounts.length, 3);
    assert.ok(
      record.outcomes.every((deal) =>
        /^https:\/\/app\.stigg\.io\/northwind-demo\/customers\//.test(String(deal.customerUrl))
      )
    );
  });

  it("--flow runs the user's own adapted flow (retrieved with the package namespace) instead of the template", async () => {
    const file = adaptedFlow("Acme_Provision_Stigg", (xml) =>
      // The change sales ops made: subscriptions billed annually.
      xml.replace(
        "<nameSegment>stigg__CreateStiggSubscriptionAction</nameSegment>",
        "<inputParameters><name>billingPeriod</name><value><stringValue>Annually</stringValue></value></inputParameters><nameSegment>stigg__CreateStiggSubscriptionAction</nameSegment>"
      )
    );

    const result = await start("--flow", file);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `Active flow: "Acme - Provision Stigg" \\(Acme_Provision_Stigg\\) from ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`
      )
    );
    assert.doesNotMatch(result.stdout, /Opportunity - Stigg Subscription Template/);
    assert.match(result.stdout, /Flow "Acme - Provision Stigg" started for 1 opportunity/);
    assert.match(result.stdout, /plan plan-pro for customer 001\w{15}; add-ons addon-extra-seats x5/);
    assert.match(result.stdout, /Opportunity "Northwind - Pro annual": Provisioned/);
  });

  it("says so when the user's flow does not start for the save, and exits 1", async () => {
    const file = adaptedFlow("Acme_Big_Deals_Only", (xml) =>
      xml.replace("<filterFormula>AND(", "<filterFormula>AND({!$Record.Amount} &gt; 1000000, ")
    );

    const result = await start("--flow", file);

    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /No flow started: the save did not meet the start conditions of any active flow\.\n {2}Acme - Provision Stigg: formula AND\(\{!\$Record\.Amount\} > 1000000, /
    );
    assert.match(result.stdout, /Opportunity "Northwind - Pro annual": Not Started/);
  });

  it("a bad option or a missing file gets one line that says what to do, and exit status 2", async () => {
    const notAFlow = path.join(directory, "not-a-flow.xml");
    fs.writeFileSync(notAFlow, "<CustomObject><label>Thing</label></CustomObject>");
    for (const [args, message] of [
      [["--deals", "0"], "npm start: --deals must be a whole number from 1 to 1000, not 0"],
      [
        ["--flow", "nowhere.flow-meta.xml"],
        "npm start: --flow nowhere.flow-meta.xml: no such file; give the path of your flow's .flow-meta.xml (npm run sf -- project retrieve start --metadata Flow:YourFlow)"
      ],
      [
        ["--flow", notAFlow],
        `npm start: --flow ${notAFlow} is not a flow: its root element must be <Flow> (a .flow-meta.xml file)`
      ],
      [
        ["--stigg-url", "https://api.stigg.io"],
        "npm start: --stigg-url needs --api-key: give a server API key of that Stigg environment (Stigg app, Integrations, API keys)"
      ],
      [
        ["--colour"],
        "npm start: unknown option --colour: the options are --deals, --flow, --stage, --stigg-url, --api-key, --plan, --addon, --feature, --json, --ui (npm start -- --help)"
      ]
    ] as const) {
      const result = await start(...args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stdout}${result.stderr}`);
      assert.equal(result.stderr, `${message}\n`);
    }
  });

  it("--ui serves the Stigg Configuration tab on the same Stigg until stopped", { timeout: 300_000 }, async () => {
    // tsx's own command line relays Ctrl+C and kills its child when the child takes over 30 ms to acknowledge it,
    // which a busy machine can exceed; loaded as an import, tsx leaves the signal to the script, as a user's
    // terminal does.
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--ui"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
        const found = /Stigg Configuration tab: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
        if (found) resolve(found);
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      void exited.then(() => reject(new Error(`npm start --ui exited early:\n${output}`)));
    });
    try {
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
      assert.match(output, /Opportunity "Northwind - Pro annual": Provisioned/);
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0, output);
  });
});

describe("npm start against a Stigg given by URL and key", () => {
  let stigg: SpawnedFakeStigg;
  const KEY = "server-real-environment-key";

  before(async () => {
    // Stands for a real Stigg environment: the main job talks to it over HTTP, through the recorder.
    stigg = await spawnFakeStigg({ apiKey: KEY, environmentSlug: "acme-production" });
  });

  after(async () => {
    await stigg?.stop();
  });

  it("provisions there and lists what that Stigg received, without printing the key", async () => {
    const result = await start("--stigg-url", stigg.url, "--api-key", KEY);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `What Stigg \\(${stigg.url.replace(/[.]/g, "\\.")}\\) received:\n {2}SfProvisionCustomers: 1 request in one call, HTTP 200`
      )
    );
    assert.match(result.stdout, /Stigg Customer URL https:\/\/app\.stigg\.io\/acme-production\/customers\/001\w{15}/);
    assert.doesNotMatch(result.stdout, new RegExp(KEY));
    const { requests } = await stigg.control.requests();
    assert.deepEqual(
      requests.map((request) => [request.operationName, request.apiKey]),
      [
        ["SfProvisionCustomers", KEY],
        ["SfProvisionSubscriptions", KEY]
      ]
    );
  });

  it("a key that Stigg rejects ends the deal Failed [Unauthorized] with what to do, and exits 1", async () => {
    const result = await start("--stigg-url", stigg.url, "--api-key", "server-not-this-one", "--plan", "plan-basic");

    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /SfProvisionCustomers: 1 request in one call, HTTP 401/);
    assert.match(
      result.stdout,
      /Opportunity "Northwind - Pro annual": Failed\n {2}Stigg Last Error: Stigg provisioning failed \[Unauthorized\]: the customer could not be created in Stigg\. Stigg rejected the API key \(401\)\. Enter a valid Stigg server API key on the Stigg Configuration tab\./
    );
  });
});

describe("the command line", () => {
  it("reads every option", () => {
    const file = path.join(directory, "some.flow-meta.xml");
    fs.writeFileSync(file, "<Flow/>");
    assert.deepEqual(
      parseStartArguments([
        "--deals",
        "200",
        "--flow",
        file,
        "--stage",
        "POC",
        "--stigg-url",
        "https://api.stigg.io/",
        "--api-key",
        "server-abc",
        "--plan",
        "plan-growth",
        "--addon",
        "addon-seats",
        "--feature",
        "feature-calls",
        "--json",
        path.join(directory, "out.json"),
        "--ui"
      ]),
      {
        deals: 200,
        flowFile: file,
        stage: "POC",
        stigg: { url: "https://api.stigg.io", apiKey: "server-abc" },
        stiggIds: { plan: "plan-growth", addon: "addon-seats", feature: "feature-calls" },
        jsonFile: path.join(directory, "out.json"),
        ui: true,
        help: false
      }
    );
  });

  it("refuses what it cannot use, saying what to give instead", () => {
    for (const [args, message] of [
      [["--deals", "2.5"], /--deals must be a whole number from 1 to 1000, not 2\.5/],
      [["--deals", "1001"], /not 1001/],
      [["--deals"], /--deals needs a value/],
      [["--api-key", "server-x"], /--api-key needs --stigg-url/],
      [
        ["--stigg-url", "api.stigg.io", "--api-key", "k"],
        /--stigg-url must be an http\(s\) URL such as https:\/\/api\.stigg\.io, not api\.stigg\.io/
      ],
      [["--plan", "plan pro"], /--plan plan pro is not a Stigg id/],
      [
        ["--json", "/no/such/folder/run.json"],
        /--json \/no\/such\/folder\/run\.json: the folder \/no\/such\/folder does not exist/
      ],
      [["--stage", " "], /--stage needs a stage name/]
    ] as const) {
      assert.throws(
        () => parseStartArguments([...args]),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
        args.join(" ")
      );
    }
  });
});
