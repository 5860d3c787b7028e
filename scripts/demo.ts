/**
 * The offline demo of the main job: a deal closes and the customer and subscription appear in Stigg.
 *
 * It starts the fake Stigg API (every request checked against the Stigg contract), loads the package
 * into the local org with the Stigg named credential pointed at it, sells a plan, an add-on and an
 * entitlement on an opportunity, and provisions it with the package's own flow actions in the order the
 * subscription template runs them. Then it retries the same opportunity to show that no second
 * subscription is created, and prints what Stigg received.
 *
 * The local org does not run flows yet, so the demo performs the template's steps (compile the products,
 * Create Stigg Customer, Create Stigg Subscription, write the Account) itself; the Apex is the package's.
 *
 * Usage: tsx scripts/demo.ts
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { LocalOrg, type JsValue } from "../tools/local-org/src/index";

const root = path.resolve(__dirname, "..");
const API_KEY = "server-demo-7f3a9c";
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

type Row = Record<string, JsValue>;

/** The fake runs in its own process: the local org's callouts block this one while they wait. */
function startFakeStigg(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [tsx, "tools/fake-stigg/src/cli.ts", "--api-key", API_KEY, "--environment", "northwind-demo"],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] }
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) resolve({ url, process: child });
    });
    child.on("exit", (code) => reject(new Error(`fake-stigg exited with ${code} before listening`)));
  });
}

function step(title: string): void {
  console.log(`\n== ${title}`);
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`demo: ${what} is missing`);
  return value;
}

function anonymous(org: LocalOrg, source: string): void {
  const result = org.runAnonymous(source);
  if (!result.success) throw new Error(`demo: Apex failed: ${result.exceptionMessage}\n${result.stackTrace}`);
}

async function main(): Promise<void> {
  step("Starting the fake Stigg API");
  const stigg = await startFakeStigg();
  console.log(`fake Stigg at ${stigg.url}, server key ${API_KEY}`);
  try {
    step("Loading the package into the local org");
    const org = LocalOrg.load({
      sourceDirs: [path.join(root, "force-app")],
      namedCredentials: { Stigg: { url: stigg.url } },
      // The value an admin saves on the Stigg Configuration tab.
      credentials: { "Stigg.ApiKey": API_KEY }
    });

    step("Seeding an account, Stigg-mapped products in a price book, and an opportunity selling them");
    const [accountId] = org.insert("Account", [{ Name: "Northwind Traders" }]);
    const products: Row[] = [
      { Name: "Pro Plan", IsActive: true, Stigg_Type__c: "Plan", Stigg_ID__c: "plan-pro" },
      { Name: "Extra Seats", IsActive: true, Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-extra-seats" },
      { Name: "API Calls", IsActive: true, Stigg_Type__c: "Entitlement", Stigg_ID__c: "feature-api-calls" },
      { Name: "Onboarding Workshop", IsActive: true }
    ];
    const productIds = org.insert("Product2", products);
    const [pricebookId] = org.insert("Pricebook2", [{ Name: "Standard Price Book", IsActive: true }]);
    const entryIds = org.insert(
      "PricebookEntry",
      productIds.map((productId) => ({
        Pricebook2Id: pricebookId,
        Product2Id: productId,
        UnitPrice: 100,
        IsActive: true
      }))
    );
    const [opportunityId] = org.insert("Opportunity", [
      {
        Name: "Northwind - Pro annual",
        AccountId: accountId,
        StageName: "Negotiation/Review",
        CloseDate: "2026-12-15",
        Pricebook2Id: pricebookId
      }
    ]);
    const quantities = [1, 5, 100000, 1];
    org.insert(
      "OpportunityLineItem",
      entryIds.map((entryId, i) => ({
        OpportunityId: opportunityId,
        PricebookEntryId: entryId,
        Quantity: quantities[i],
        UnitPrice: 100
      }))
    );
    console.log(`Account ${accountId}, Opportunity ${opportunityId}`);
    products.forEach((product, i) =>
      console.log(`  sold: ${product.Name} x${quantities[i]} (${product.Stigg_Type__c ?? "not in Stigg"})`)
    );

    step("Closing the deal: Closed Won");
    anonymous(org, `update new Opportunity(Id = '${opportunityId}', StageName = 'Closed Won');`);

    step("Compiling the opportunity's products as the template does (products without a Stigg Type are skipped)");
    const plan: string[] = [];
    const addonIds: string[] = [];
    const addonQuantities: number[] = [];
    const featureIds: string[] = [];
    const usageLimits: number[] = [];
    // The template reads the same values through the Stigg Type and Stigg ID formula fields of the line item.
    const lines = org.query(
      `SELECT Quantity, Product2.Stigg_Type__c, Product2.Stigg_ID__c FROM OpportunityLineItem WHERE OpportunityId = '${opportunityId}' AND Product2.Stigg_Type__c != null`
    ) as { Quantity: number; Product2: { Stigg_Type__c: string; Stigg_ID__c: string } }[];
    for (const line of lines) {
      const { Stigg_Type__c: stiggType, Stigg_ID__c: stiggId } = line.Product2;
      if (stiggType === "Plan") plan.push(stiggId);
      if (stiggType === "Add-on") {
        addonIds.push(stiggId);
        addonQuantities.push(line.Quantity);
      }
      if (stiggType === "Entitlement") {
        featureIds.push(stiggId);
        usageLimits.push(line.Quantity);
      }
    }
    if (plan.length !== 1) throw new Error(`demo: expected one plan among the products, found ${plan.length}`);
    console.log(`plan ${plan.join(", ")}; add-ons ${addonIds.join(", ")}; entitlements ${featureIds.join(", ")}`);

    step("Create Stigg Customer");
    const customer = org.invokeInvocable("CreateStiggCustomerAction", [
      { accountId, name: "Northwind Traders", customerId: null }
    ]);
    if (!customer.result.success) throw new Error(`demo: ${customer.result.exceptionMessage}`);
    const customerResult = must(customer.outputs[0] as Row | undefined, "the customer result");
    console.log(customerResult);

    step("Create Stigg Subscription");
    const subscriptionRequest: Row = {
      customerId: customerResult.customerId ?? null,
      planId: plan[0],
      addonIds,
      addonQuantities,
      entitlementFeatureIds: featureIds,
      entitlementUsageLimits: usageLimits,
      billingPeriod: "Annually",
      opportunityId
    };
    const subscription = org.invokeInvocable("CreateStiggSubscriptionAction", [subscriptionRequest]);
    if (!subscription.result.success) throw new Error(`demo: ${subscription.result.exceptionMessage}`);
    console.log(subscription.outputs[0]);

    step("Writing the Stigg customer id and link to the Account");
    anonymous(
      org,
      `update new Account(Id = '${accountId}', Stigg_Customer_ID__c = '${customerResult.customerId}', Stigg_Customer_URL__c = '${customerResult.customerUrl}');`
    );
    console.log(
      org.query(`SELECT Name, Stigg_Customer_ID__c, Stigg_Customer_URL__c FROM Account WHERE Id = '${accountId}'`)
    );
    console.log(
      org.query(
        `SELECT Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c, Stigg_Last_Error__c, Stigg_Last_Attempt__c FROM Opportunity WHERE Id = '${opportunityId}'`
      )
    );

    step("Retrying the same opportunity: the existing subscription comes back, nothing new is created");
    const retry = org.invokeInvocable("CreateStiggSubscriptionAction", [subscriptionRequest]);
    console.log(retry.outputs[0]);

    step("What Stigg received");
    const seen = (await (await fetch(`${stigg.url}/__fake/requests`)).json()) as {
      requests: { operationName: string; httpStatus: number; variables: unknown; errors: unknown[] }[];
      subscriptions: { subscriptionId: string; salesforceId: string; status: string }[];
    };
    for (const request of seen.requests) {
      console.log(`${request.httpStatus} ${request.operationName} ${JSON.stringify(request.variables)}`);
    }
    console.log(
      `Subscriptions in Stigg: ${JSON.stringify(seen.subscriptions.map((s) => [s.subscriptionId, s.salesforceId, s.status]))}`
    );
    const forDeal = seen.subscriptions.filter((s) => s.salesforceId === opportunityId).length;
    if (forDeal !== 1) throw new Error(`demo: Stigg holds ${forDeal} subscriptions for the deal, expected exactly 1`);
    console.log("\nDone: one customer, one subscription for the deal, linked from the Account and the Opportunity.");
  } finally {
    stigg.process.kill("SIGTERM");
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
