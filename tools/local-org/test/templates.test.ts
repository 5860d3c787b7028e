// The package's own flow templates, run by the flow engine as a subscriber activates them: a
// deal closes with one DML, the asynchronous path provisions the customer and subscription in
// fake-stigg (another process, over real HTTP) and records the outcome.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { LocalOrg, type JsValue } from "../src/index.js";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const API_KEY = "server-template-test";
const ENVIRONMENT = "acme-demo";
const SUBSCRIPTION = "Opportunity_Stigg_Subscription_Template";
const TRIAL = "Opportunity_Stigg_Trial_Template";
const SUBSCRIPTION_INPUT = "Stigg_Subscription_Input_Template";

interface StiggRequest {
  operationName: string;
  httpStatus: number;
  variables: Record<string, Record<string, JsValue>>;
}

let fake: ChildProcess;
let stiggUrl = "";

before(async () => {
  fake = spawn(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
      "tools/fake-stigg/src/cli.ts",
      "--api-key",
      API_KEY,
      "--environment",
      ENVIRONMENT
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] }
  );
  stiggUrl = await new Promise<string>((resolve, reject) => {
    let output = "";
    fake.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    fake.on("exit", (code) => reject(new Error(`fake-stigg exited with ${code}`)));
  });
});

after(() => {
  fake.kill("SIGTERM");
});

/** What fake-stigg received. A fresh connection each time: the local org's callouts block this
 * process for seconds, long enough for a kept-alive connection to be closed by the server. */
function stiggRequests(): Promise<StiggRequest[]> {
  return new Promise((resolve, reject) => {
    http
      .get(`${stiggUrl}/__fake/requests`, { agent: false }, (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve((JSON.parse(body) as { requests: StiggRequest[] }).requests));
      })
      .on("error", reject);
  });
}

function loadPackage(activate: string[]): LocalOrg {
  return LocalOrg.load({
    sourceDirs: [path.join(ROOT, "force-app")],
    activateFlows: [...activate, SUBSCRIPTION_INPUT],
    namedCredentials: { Stigg: { url: stiggUrl } },
    credentials: { "Stigg.ApiKey": API_KEY }
  });
}

/** Products mapped to Stigg (and one that is not) in a price book. */
function seedCatalog(org: LocalOrg) {
  const products = org.insert("Product2", [
    { Name: "Pro Plan", IsActive: true, Stigg_Type__c: "Plan", Stigg_ID__c: "plan-pro" },
    { Name: "Extra Seats", IsActive: true, Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-extra-seats" },
    { Name: "API Calls", IsActive: true, Stigg_Type__c: "Entitlement", Stigg_ID__c: "feature-api-calls" },
    { Name: "Onboarding Workshop", IsActive: true }
  ]);
  const [pricebook] = org.insert("Pricebook2", [{ Name: "Sales", IsActive: true }]);
  const entries = org.insert(
    "PricebookEntry",
    products.map((product) => ({ Pricebook2Id: pricebook, Product2Id: product, UnitPrice: 100, IsActive: true }))
  );
  return { pricebook, plan: entries[0], addon: entries[1], entitlement: entries[2], workshop: entries[3] };
}

test("a deal closed won is provisioned in Stigg by the subscription template, and the outcome recorded", async () => {
  const org = loadPackage([SUBSCRIPTION]);
  const catalog = seedCatalog(org);
  const [account] = org.insert("Account", [{ Name: "Northwind Traders" }]);
  const [deal] = org.insert("Opportunity", [
    {
      Name: "Northwind - Pro",
      AccountId: account,
      StageName: "Negotiation/Review",
      CloseDate: "2026-12-15",
      Pricebook2Id: catalog.pricebook
    }
  ]);
  org.insert("OpportunityLineItem", [
    { OpportunityId: deal, PricebookEntryId: catalog.plan, Quantity: 1, UnitPrice: 100 },
    { OpportunityId: deal, PricebookEntryId: catalog.addon, Quantity: 5, UnitPrice: 100 },
    { OpportunityId: deal, PricebookEntryId: catalog.entitlement, Quantity: 100000, UnitPrice: 100 },
    { OpportunityId: deal, PricebookEntryId: catalog.workshop, Quantity: 1, UnitPrice: 100 }
  ]);
  const sent = (await stiggRequests()).length;

  org.update("Opportunity", [{ Id: deal, StageName: "Closed Won" }]);

  const requests = (await stiggRequests()).slice(sent);
  assert.deepEqual(
    requests.map((r) => [r.httpStatus, r.operationName, r.variables]),
    [
      [200, "SfProvisionCustomers", { in0: { customerId: account, name: "Northwind Traders", salesforceId: account } }],
      [
        200,
        "SfProvisionSubscriptions",
        {
          in0: {
            customerId: account,
            planId: "plan-pro",
            addons: [{ addonId: "addon-extra-seats", quantity: 5 }],
            subscriptionEntitlements: [{ featureId: "feature-api-calls", usageLimit: 100000 }],
            salesforceId: deal
          }
        }
      ]
    ]
  );
  const [opportunity] = org.query(
    `SELECT Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c, Stigg_Last_Error__c, Stigg_Last_Attempt__c FROM Opportunity WHERE Id = '${deal}'`
  ) as Record<string, JsValue>[];
  assert.equal(opportunity.Stigg_Provisioning_Status__c, "Provisioned");
  assert.match(String(opportunity.Stigg_Subscription_ID__c), /^subscription-plan-pro-\d+$/);
  assert.equal(opportunity.Stigg_Last_Error__c, null);
  assert.notEqual(opportunity.Stigg_Last_Attempt__c, null);
  assert.deepEqual(
    org.query(`SELECT Stigg_Customer_ID__c, Stigg_Customer_URL__c FROM Account WHERE Id = '${account}'`),
    [
      {
        Id: account,
        Stigg_Customer_ID__c: account,
        Stigg_Customer_URL__c: `https://app.stigg.io/${ENVIRONMENT}/customers/${account}`
      }
    ]
  );
  assert.deepEqual(org.failedFlowInterviews(), []);
});

test("a deal without a plan product is marked Failed with what to fix, and nothing is sent to Stigg", async () => {
  const org = loadPackage([SUBSCRIPTION]);
  const catalog = seedCatalog(org);
  const [account] = org.insert("Account", [{ Name: "Globex" }]);
  const [deal] = org.insert("Opportunity", [
    {
      Name: "Globex - seats only",
      AccountId: account,
      StageName: "Negotiation/Review",
      CloseDate: "2026-12-15",
      Pricebook2Id: catalog.pricebook
    }
  ]);
  org.insert("OpportunityLineItem", [
    { OpportunityId: deal, PricebookEntryId: catalog.addon, Quantity: 2, UnitPrice: 100 }
  ]);
  const sent = (await stiggRequests()).length;

  org.update("Opportunity", [{ Id: deal, StageName: "Closed Won" }]);

  assert.equal((await stiggRequests()).length, sent);
  const [opportunity] = org.query(
    `SELECT Stigg_Provisioning_Status__c, Stigg_Last_Error__c FROM Opportunity WHERE Id = '${deal}'`
  ) as Record<string, JsValue>[];
  assert.equal(opportunity.Stigg_Provisioning_Status__c, "Failed");
  // Worded by the Apex (Record Stigg Outcome) from what the shared subflow found.
  assert.equal(
    opportunity.Stigg_Last_Error__c,
    "Stigg provisioning failed [NoPlan]: no product on this opportunity has Stigg Type Plan, so there is no plan to subscribe the customer to. To fix: add the product of the Stigg plan (a product with Stigg Type Plan and a Stigg ID) to the opportunity, then set Stigg Provisioning Status back to Not Started."
  );
});

test("the trial template provisions a trial of the plan when the deal reaches POC", async () => {
  const org = loadPackage([TRIAL]);
  const catalog = seedCatalog(org);
  const [account] = org.insert("Account", [{ Name: "Initech" }]);
  const [deal] = org.insert("Opportunity", [
    {
      Name: "Initech - trial",
      AccountId: account,
      StageName: "Prospecting",
      CloseDate: "2099-01-31",
      Pricebook2Id: catalog.pricebook
    }
  ]);
  org.insert("OpportunityLineItem", [
    { OpportunityId: deal, PricebookEntryId: catalog.plan, Quantity: 1, UnitPrice: 100 }
  ]);
  const sent = (await stiggRequests()).length;

  org.update("Opportunity", [{ Id: deal, StageName: "POC" }]);

  const requests = (await stiggRequests()).slice(sent);
  assert.deepEqual(
    requests.map((r) => [r.operationName, r.variables.in0.trialOverrideConfiguration ?? null]),
    [
      ["SfProvisionCustomers", null],
      [
        "SfProvisionSubscriptions",
        { isTrial: true, trialEndDate: "2099-01-31T00:00:00Z", trialEndBehavior: "CANCEL_SUBSCRIPTION" }
      ]
    ]
  );
  const [opportunity] = org.query(
    `SELECT Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c, Stigg_Last_Error__c FROM Opportunity WHERE Id = '${deal}'`
  ) as Record<string, JsValue>[];
  assert.equal(opportunity.Stigg_Provisioning_Status__c, "Provisioned");
  assert.match(String(opportunity.Stigg_Subscription_ID__c), /^subscription-plan-pro-\d+$/);
  assert.equal(opportunity.Stigg_Last_Error__c, null);
});

test("200 deals closed in one DML: all provisioned by one asynchronous transaction whose queries, DML and callouts do not grow per deal", async () => {
  const org = loadPackage([SUBSCRIPTION]);
  const catalog = seedCatalog(org);
  const count = 200;
  const accounts = org.insert(
    "Account",
    Array.from({ length: count }, (_, i) => ({ Name: `Customer ${i}` }))
  );
  const deals = org.insert(
    "Opportunity",
    accounts.map((account, i) => ({
      Name: `Deal ${i}`,
      AccountId: account,
      StageName: "Negotiation/Review",
      CloseDate: "2026-12-15",
      Pricebook2Id: catalog.pricebook
    }))
  );
  org.insert(
    "OpportunityLineItem",
    deals.flatMap((deal) => [
      { OpportunityId: deal, PricebookEntryId: catalog.plan, Quantity: 1, UnitPrice: 100 },
      { OpportunityId: deal, PricebookEntryId: catalog.addon, Quantity: 3, UnitPrice: 100 },
      { OpportunityId: deal, PricebookEntryId: catalog.workshop, Quantity: 1, UnitPrice: 100 }
    ])
  );
  const sent = (await stiggRequests()).length;
  const mark = org.transactionUsage().length;

  org.update(
    "Opportunity",
    deals.map((deal) => ({ Id: deal, StageName: "Closed Won" }))
  );

  const usage = org.transactionUsage().slice(mark);
  assert.deepEqual(
    usage.map((u) => [u.description, u.soqlQueries, u.dmlStatements, u.callouts]),
    [
      // The save itself: one DML statement; the template's synchronous part has nothing to do.
      ["api", 0, 1, 0],
      // Get Stigg Deal Type (1), Get Stigg Products in the shared subflow (1), the Accounts behind $Record.Account (1),
      // the actions' own queries (2) and the deals' attempt numbers for Create Stigg Customer's provisioning log (1);
      // the opportunities' outcome and the Accounts written once each (publishing the log is no DML); customers and
      // subscriptions sent in chunks of 50 (4 + 4 callouts).
      [`${SUBSCRIPTION}: Run Asynchronously`, 6, 2, 8]
    ]
  );
  const requests = (await stiggRequests()).slice(sent);
  assert.deepEqual(
    requests.map((r) => [r.operationName, Object.keys(r.variables).length]),
    [
      ["SfProvisionCustomers", 50],
      ["SfProvisionCustomers", 50],
      ["SfProvisionCustomers", 50],
      ["SfProvisionCustomers", 50],
      ["SfProvisionSubscriptions", 50],
      ["SfProvisionSubscriptions", 50],
      ["SfProvisionSubscriptions", 50],
      ["SfProvisionSubscriptions", 50]
    ]
  );
  assert.equal(
    org.query(
      `SELECT COUNT() FROM Opportunity WHERE Stigg_Provisioning_Status__c = 'Provisioned' AND Stigg_Subscription_ID__c != null`
    ),
    count
  );
  assert.equal(org.query(`SELECT COUNT() FROM Account WHERE Stigg_Customer_ID__c != null`), count);
  assert.deepEqual(org.failedFlowInterviews(), []);
});
