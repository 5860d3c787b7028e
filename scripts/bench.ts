/**
 * `npm run bench`: N opportunities (1, 10, 50, 200) closed in one DML statement through the real subscription
 * template in the local org, against fake-stigg. For each N it prints callouts, SOQL queries and DML statements
 * (the rep's save and the asynchronous path apart), CPU and wall milliseconds, and how many deals ended
 * Provisioned; then whether the bar is met: every deal provisioned with at most 8 callouts for up to 200 deals,
 * and SOQL and DML counts that do not grow with N.
 *
 * Usage: tsx scripts/bench.ts [--sizes 1,10,50,200] [--json FILE]
 *   --json FILE writes [{"n", "callouts", "soqlQueries", "dmlStatements", "cpuMs", "wallMs", "provisioned"}],
 *   the counts summed over the transactions of each run.
 * Exit status: 0 when the bar is met, 1 when it is not, 2 for a bad option.
 */
import fs from "node:fs";
import path from "node:path";
import type { TransactionUsage } from "../tools/local-org/src/index";
import { DEMO_PRODUCTS, ProvisioningOrg, SUBSCRIPTION_TEMPLATE } from "./lib/provisioning-org";

export interface BenchRow {
  n: number;
  callouts: number;
  soqlQueries: number;
  dmlStatements: number;
  cpuMs: number;
  wallMs: number;
  provisioned: number;
}

interface Measured extends BenchRow {
  /** The rep's save (the synchronous transaction) and the asynchronous path's transactions, apart. */
  sync: Pick<BenchRow, "callouts" | "soqlQueries" | "dmlStatements">;
  async: Pick<BenchRow, "callouts" | "soqlQueries" | "dmlStatements"> & { transactions: number };
}

export const DEFAULT_SIZES = [1, 10, 50, 200];
/** At most this many callouts for up to 200 deals: 4 calls of 50 per action. */
export const MAX_CALLOUTS = 8;

export class BenchUsageError extends Error {}

export function parseBenchArguments(argv: string[]): { sizes: number[]; jsonFile: string | null } {
  let sizes = DEFAULT_SIZES;
  let jsonFile: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name !== "--sizes" && name !== "--json")
      throw new BenchUsageError(`unknown option ${name}: the options are --sizes 1,10,50,200 and --json FILE`);
    if (value === undefined || value.startsWith("--")) throw new BenchUsageError(`${name} needs a value`);
    i++;
    if (name === "--sizes") {
      sizes = value.split(",").map((size) => Number(size.trim()));
      if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 1000))
        throw new BenchUsageError(`--sizes takes whole numbers from 1 to 1000 separated by commas, not ${value}`);
    } else {
      const directory = path.dirname(path.resolve(value));
      if (!fs.existsSync(directory))
        throw new BenchUsageError(
          `--json ${value}: the folder ${directory} does not exist; create it or write the file elsewhere`
        );
      jsonFile = value;
    }
  }
  return { sizes, jsonFile };
}

function totals(transactions: TransactionUsage[]) {
  return {
    callouts: transactions.reduce((sum, transaction) => sum + transaction.callouts, 0),
    soqlQueries: transactions.reduce((sum, transaction) => sum + transaction.soqlQueries, 0),
    dmlStatements: transactions.reduce((sum, transaction) => sum + transaction.dmlStatements, 0)
  };
}

/** Closes n deals (plan, add-on, entitlement and a service each, one account each) in one save, in a fresh org. */
export async function measure(n: number): Promise<Measured> {
  const org = await ProvisioningOrg.start({ activateFlows: [SUBSCRIPTION_TEMPLATE] });
  try {
    org.seedCatalog(DEMO_PRODUCTS);
    const accountIds = org.createAccounts(Array.from({ length: n }, (_, i) => ({ Name: `Bench customer ${i + 1}` })));
    const dealIds = org.createDeals(
      accountIds.map((accountId, i) => ({
        name: `Bench deal ${i + 1}`,
        accountId,
        lines: [
          { product: "plan", quantity: 1 },
          { product: "addon", quantity: 5 },
          { product: "entitlement", quantity: 100000 },
          { product: "service", quantity: 1 }
        ]
      }))
    );
    const closed = await org.closeDeals(dealIds);
    if (closed.error) throw new Error(`the save of ${n} deals failed: ${closed.error}`);
    const saves = closed.transactions.filter((transaction) => transaction.description === "api");
    const paths = closed.transactions.filter((transaction) => transaction.description !== "api");
    const provisioned = org
      .opportunities(dealIds)
      .filter((deal) => deal.Stigg_Provisioning_Status__c === "Provisioned").length;
    return {
      n,
      ...totals(closed.transactions),
      cpuMs: closed.transactions.reduce((sum, transaction) => sum + transaction.cpuMs, 0),
      wallMs: closed.wallMs,
      provisioned,
      sync: totals(saves),
      async: { ...totals(paths), transactions: paths.length }
    };
  } finally {
    await org.stop();
  }
}

/** Where the bar is not met, one line each; empty when it is. */
export function barFailures(rows: Measured[]): string[] {
  const failures: string[] = [];
  for (const row of rows) {
    if (row.provisioned !== row.n) failures.push(`N=${row.n}: ${row.provisioned} of ${row.n} deals provisioned`);
    if (row.n <= 200 && row.callouts > MAX_CALLOUTS)
      failures.push(`N=${row.n}: ${row.callouts} callouts, more than ${MAX_CALLOUTS}`);
  }
  const smallest = rows.reduce((least, row) => (row.n < least.n ? row : least), rows[0]);
  for (const row of rows) {
    if (row.soqlQueries > smallest.soqlQueries)
      failures.push(
        `N=${row.n}: ${row.soqlQueries} SOQL queries, more than the ${smallest.soqlQueries} of N=${smallest.n}`
      );
    if (row.dmlStatements > smallest.dmlStatements)
      failures.push(
        `N=${row.n}: ${row.dmlStatements} DML statements, more than the ${smallest.dmlStatements} of N=${smallest.n}`
      );
  }
  return failures;
}

function table(rows: Measured[]): string[] {
  const header = [
    "N",
    "callouts (save/async)",
    "SOQL (save/async)",
    "DML (save/async)",
    "async transactions",
    "CPU ms",
    "wall ms",
    "provisioned"
  ];
  const body = rows.map((row) => [
    String(row.n),
    `${row.callouts} (${row.sync.callouts}/${row.async.callouts})`,
    `${row.soqlQueries} (${row.sync.soqlQueries}/${row.async.soqlQueries})`,
    `${row.dmlStatements} (${row.sync.dmlStatements}/${row.async.dmlStatements})`,
    String(row.async.transactions),
    String(row.cpuMs),
    String(row.wallMs),
    `${row.provisioned}/${row.n}`
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column])).join("  ");
  return [line(header), ...body.map(line)];
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseBenchArguments>;
  try {
    options = parseBenchArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(`npm run bench: ${error.message}`);
    return 2;
  }
  console.log(
    `Closing N opportunities in one save through ${SUBSCRIPTION_TEMPLATE} (local org, fake-stigg); each N in a fresh org.`
  );
  const rows: Measured[] = [];
  for (const n of options.sizes) {
    rows.push(await measure(n));
    console.log(`  N=${n} done`);
  }
  console.log("");
  for (const line of table(rows)) console.log(line);
  if (options.jsonFile) {
    const record: BenchRow[] = rows.map(({ n, callouts, soqlQueries, dmlStatements, cpuMs, wallMs, provisioned }) => ({
      n,
      callouts,
      soqlQueries,
      dmlStatements,
      cpuMs,
      wallMs,
      provisioned
    }));
    fs.writeFileSync(options.jsonFile, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`\nWritten: ${options.jsonFile}`);
  }
  const failures = barFailures(rows);
  console.log(
    failures.length === 0
      ? `\nbar: met (every deal provisioned, at most ${MAX_CALLOUTS} callouts, SOQL and DML counts that do not grow with N)`
      : `\nbar: NOT met\n${failures.map((failure) => `  ${failure}`).join("\n")}`
  );
  return failures.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`npm run bench: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  );
}
