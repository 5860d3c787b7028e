/**
 * `npm start`: the main job, offline. A rep closes a deal and the package's own flow provisions it in Stigg.
 *
 * It loads the package from force-app into the local org, activates the subscription template as a subscriber
 * does after Save As (or runs the flow file given with --flow), starts fake-stigg with its demo catalog (or
 * talks to the Stigg given with --stigg-url), seeds a price book with products mapped to Stigg, an account and
 * an opportunity selling them, and closes the deal with one save. The real flow runs; what it did is printed
 * step by step: the flow and path, each element and decision, each request Stigg received, the records
 * written, and the Account's Stigg Customer URL and the Opportunity's status.
 *
 * Exit status: 0 when every deal ended Provisioned, 1 when one did not (the reason is printed), 2 for a bad
 * option.
 */
import fs from "node:fs";
import path from "node:path";
import { CLOSED_WON, DEMO_PRODUCTS, ProvisioningOrg, type DealSpec, type ProductSpec } from "./lib/provisioning-org";
import { FlowFileError } from "./lib/flow-outline";
import { buildRunRecord, formatOutcome, formatRun, type RunRecord } from "./lib/run-report";

export const USAGE = `usage: npm start -- [options]
  --deals N             close N opportunities in one save (default 1, at most 1000)
  --flow FILE           run your own flow (a .flow-meta.xml, for example your copy of the template
                        retrieved from your org) instead of the subscription template
  --stage STAGE         the stage the save moves the deals to (default "Closed Won"; "POC" for a trial flow)
  --stigg-url URL       call this Stigg (for example https://api.stigg.io) instead of the local fake-stigg;
  --api-key KEY         with the server API key of that environment (both or neither)
  --plan ID, --addon ID, --feature ID
                        the Stigg ids the demo products map to (default plan-pro, addon-extra-seats,
                        feature-api-calls, which fake-stigg's catalog holds)
  --json FILE           write the run's record (flow events, Stigg requests, records written) as JSON
  --ui                  then serve the Stigg Configuration tab (npm run preview) on the same Stigg, until Ctrl+C
  --help                this text`;

export interface StartOptions {
  deals: number;
  flowFile: string | null;
  stage: string;
  stigg: { url: string; apiKey: string } | null;
  stiggIds: { plan: string; addon: string; feature: string };
  jsonFile: string | null;
  ui: boolean;
  help: boolean;
}

/** A bad command line: one line that says what to do. */
export class UsageError extends Error {}

const MAX_DEALS = 1000;

export function parseStartArguments(argv: string[]): StartOptions {
  const options: StartOptions = {
    deals: 1,
    flowFile: null,
    stage: CLOSED_WON,
    stigg: null,
    stiggIds: { plan: "plan-pro", addon: "addon-extra-seats", feature: "feature-api-calls" },
    jsonFile: null,
    ui: false,
    help: false
  };
  let stiggUrl: string | null = null;
  let apiKey: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === "--ui") {
      options.ui = true;
      continue;
    }
    if (name === "--help" || name === "-h") {
      options.help = true;
      continue;
    }
    const takesValue = [
      "--deals",
      "--flow",
      "--stage",
      "--stigg-url",
      "--api-key",
      "--plan",
      "--addon",
      "--feature",
      "--json"
    ];
    if (!takesValue.includes(name)) {
      throw new UsageError(
        `unknown option ${name}: the options are ${[...takesValue, "--ui"].join(", ")} (npm start -- --help)`
      );
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith("--"))
      throw new UsageError(`${name} needs a value (npm start -- --help)`);
    switch (name) {
      case "--deals": {
        const deals = Number(value);
        if (!/^\d+$/.test(value) || deals < 1 || deals > MAX_DEALS)
          throw new UsageError(`--deals must be a whole number from 1 to ${MAX_DEALS}, not ${value}`);
        options.deals = deals;
        break;
      }
      case "--flow":
        if (!fs.existsSync(value) || !fs.statSync(value).isFile())
          throw new UsageError(
            `--flow ${value}: no such file; give the path of your flow's .flow-meta.xml (npm run sf -- project retrieve start --metadata Flow:YourFlow)`
          );
        options.flowFile = value;
        break;
      case "--stage":
        if (value.trim() === "") throw new UsageError("--stage needs a stage name, for example POC");
        options.stage = value;
        break;
      case "--stigg-url":
        if (!/^https?:\/\/[^\s/]+/.test(value))
          throw new UsageError(`--stigg-url must be an http(s) URL such as https://api.stigg.io, not ${value}`);
        stiggUrl = value.replace(/\/+$/, "");
        break;
      case "--api-key":
        apiKey = value;
        break;
      case "--plan":
      case "--addon":
      case "--feature":
        if (!/^[a-zA-Z0-9][a-zA-Z0-9_|.-]*$/.test(value))
          throw new UsageError(
            `${name} ${value} is not a Stigg id: letters, digits and _ | . - , starting with a letter or digit`
          );
        options.stiggIds[name.slice(2) as "plan" | "addon" | "feature"] = value;
        break;
      case "--json": {
        const directory = path.dirname(path.resolve(value));
        if (!fs.existsSync(directory))
          throw new UsageError(
            `--json ${value}: the folder ${directory} does not exist; create it or write the file elsewhere`
          );
        options.jsonFile = value;
        break;
      }
    }
  }
  if ((stiggUrl === null) !== (apiKey === null))
    throw new UsageError(
      stiggUrl === null
        ? "--api-key needs --stigg-url: give the URL of the Stigg environment the key belongs to"
        : "--stigg-url needs --api-key: give a server API key of that Stigg environment (Stigg app, Integrations, API keys)"
    );
  if (stiggUrl !== null && apiKey !== null) options.stigg = { url: stiggUrl, apiKey };
  return options;
}

function demoProducts(ids: StartOptions["stiggIds"]): ProductSpec[] {
  const stiggId: Record<string, string> = { plan: ids.plan, addon: ids.addon, entitlement: ids.feature };
  return DEMO_PRODUCTS.map((product) => (product.stiggId ? { ...product, stiggId: stiggId[product.key] } : product));
}

const QUANTITIES: Record<string, number> = { plan: 1, addon: 5, entitlement: 100000, service: 1 };

function heading(number: number, title: string): void {
  console.log(`\n${number}. ${title}`);
}

export async function runMainJob(options: StartOptions): Promise<{ record: RunRecord; org: ProvisioningOrg }> {
  heading(1, "The org");
  console.log(
    options.stigg
      ? `Stigg: ${options.stigg.url} (a real environment, through a local recorder that lists what it receives)`
      : "Stigg: fake-stigg, a local stand-in that checks every request against Stigg's GraphQL contract"
  );
  const org = await ProvisioningOrg.start({
    flowFile: options.flowFile ?? undefined,
    stigg: options.stigg ?? undefined,
    environment: "northwind-demo"
  });
  try {
    if (org.stigg.fake)
      console.log(`  at ${org.stigg.url}, environment ${org.stigg.environment}, server key ${org.stigg.apiKey}`);
    console.log(
      "Package loaded from force-app into the local org; the Stigg API key is saved in the Stigg external credential."
    );
    for (const flow of org.flows)
      console.log(
        options.flowFile
          ? `Active flow: "${flow.label}" (${flow.apiName}) from ${flow.file}`
          : `Active flow: "${flow.label}" (${flow.apiName}), activated as a subscriber does after Save As`
      );

    heading(2, "The catalog");
    const products = demoProducts(options.stiggIds);
    org.seedCatalog(products);
    console.log('Price book "Standard Price Book" with:');
    for (const product of products)
      console.log(
        `  ${product.name.padEnd(20)} ${product.stiggType ? `Stigg Type ${product.stiggType.padEnd(12)} Stigg ID ${product.stiggId}` : "no Stigg Type: not sent to Stigg"}`
      );

    heading(3, options.deals === 1 ? "The deal" : `The deals (${options.deals})`);
    const accountIds = org.createAccounts(
      Array.from({ length: options.deals }, (_, i) => ({ Name: i === 0 ? "Northwind Traders" : `Customer ${i + 1}` }))
    );
    const deals: DealSpec[] = accountIds.map((accountId, i) => ({
      name: i === 0 ? "Northwind - Pro annual" : `Customer ${i + 1} - Pro annual`,
      accountId,
      lines: products.map((product) => ({ product: product.key, quantity: QUANTITIES[product.key] }))
    }));
    const dealIds = org.createDeals(deals);
    console.log(
      `${options.deals === 1 ? 'Account "Northwind Traders", opportunity "Northwind - Pro annual"' : `${options.deals} accounts, one opportunity each`} at stage Negotiation/Review, selling:`
    );
    for (const product of products) console.log(`  ${product.name} x${QUANTITIES[product.key]}`);

    heading(
      4,
      `The rep saves ${options.deals === 1 ? "the deal" : `the ${options.deals} deals`} at stage ${options.stage} (one DML statement)`
    );
    const opportunitiesBefore = org.opportunities(dealIds);
    const accountsBefore = org.accounts(accountIds);
    const observation = await org.closeDeals(dealIds, options.stage);
    const record = buildRunRecord({
      flows: org.flows,
      stigg: { url: org.stigg.url, fake: org.stigg.fake !== null, environment: org.stigg.environment },
      stage: options.stage,
      observation,
      opportunitiesBefore,
      opportunitiesAfter: org.opportunities(dealIds),
      accountsBefore,
      accountsAfter: org.accounts(accountIds)
    });
    const [run, ...rest] = formatRun(record, [...org.flows, ...org.subflows]);
    console.log(run);
    heading(5, "What happened");
    for (const line of rest.slice(rest[0] === "" ? 1 : 0)) console.log(line);

    heading(6, "Result");
    for (const line of formatOutcome(record)) console.log(line);
    if (options.jsonFile) {
      fs.writeFileSync(options.jsonFile, `${JSON.stringify(record, null, 2)}\n`);
      console.log(`\nThe run's record: ${options.jsonFile}`);
    }
    return { record, org };
  } catch (error) {
    await org.stop();
    throw error;
  }
}

async function serveTab(org: ProvisioningOrg): Promise<void> {
  // Loaded only when asked for: the preview bundles the component, which takes a while the first time.
  const { startPreview } = await import("../tools/preview/src/preview");
  console.log("\nStarting the Stigg Configuration tab (building its page takes 30-60 s the first time)...");
  const preview = await startPreview({ stiggUrl: org.stigg.recorder?.url ?? org.stigg.url, apiKey: org.stigg.apiKey });
  console.log(`Stigg Configuration tab: ${preview.url}`);
  console.log("It calls the same Stigg, with the key already saved: Test connection, the checklist. Ctrl+C stops.");
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await preview.close();
}

async function main(): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm start: ${error.message}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  console.log("Stigg for Salesforce: a deal closes and is provisioned in Stigg by the package's own flow.");
  let result: { record: RunRecord; org: ProvisioningOrg };
  try {
    result = await runMainJob(options);
  } catch (error) {
    if (error instanceof FlowFileError) {
      console.error(`npm start: --flow ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    if (options.ui) await serveTab(result.org);
  } finally {
    await result.org.stop();
  }
  const { record } = result;
  return record.save.saved && record.summary.provisioned === record.deals ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  );
}
