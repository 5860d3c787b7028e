/**
 * npm run bench: deals closed in one save through the real template, measured per N, and the bar it checks.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { run } from "../lib/process";
import { BenchUsageError, barFailures, parseBenchArguments, type BenchRow } from "../bench";

const root = path.resolve(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "npm-bench-"));
after(() => fs.rmSync(directory, { recursive: true, force: true }));

const row = (n: number, changes: Partial<BenchRow> = {}) => ({
  n,
  callouts: n > 50 ? 8 : 2,
  soqlQueries: 4,
  dmlStatements: 3,
  cpuMs: 10 * n,
  wallMs: 20 * n,
  provisioned: n,
  sync: { callouts: 0, soqlQueries: 0, dmlStatements: 1 },
  async: { callouts: 2, soqlQueries: 4, dmlStatements: 2, transactions: 1 },
  ...changes
});

describe("npm run bench", () => {
  it("closes each N in one save through the template, prints the counts and writes them as JSON", async () => {
    const file = path.join(directory, "bench.json");

    const result = await run(process.execPath, [tsx, "scripts/bench.ts", "--sizes", "1,10", "--json", file], {
      cwd: root
    });

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /\n N {2}callouts \(save\/async\) {2}SOQL \(save\/async\) {2}DML \(save\/async\)/);
    assert.match(result.stdout, /\n 1 +2 \(0\/2\) +6 \(0\/6\) +3 \(1\/2\) +1 +\d+ +\d+ +1\/1\n/);
    assert.match(result.stdout, /\n10 +2 \(0\/2\) +6 \(0\/6\) +3 \(1\/2\) +1 +\d+ +\d+ +10\/10\n/);
    assert.match(result.stdout, /bar: met/);
    const rows = JSON.parse(fs.readFileSync(file, "utf8")) as BenchRow[];
    assert.deepEqual(
      rows.map((entry) => Object.keys(entry)),
      [0, 1].map(() => ["n", "callouts", "soqlQueries", "dmlStatements", "cpuMs", "wallMs", "provisioned"])
    );
    assert.deepEqual(
      rows.map(({ n, callouts, soqlQueries, dmlStatements, provisioned }) => [
        n,
        callouts,
        soqlQueries,
        dmlStatements,
        provisioned
      ]),
      [
        [1, 2, 6, 3, 1],
        [10, 2, 6, 3, 10]
      ]
    );
    assert.ok(rows.every((entry) => entry.cpuMs > 0 && entry.wallMs > 0));
  });

  it("a bad option gets one line that says what to do", async () => {
    const result = await run(process.execPath, [tsx, "scripts/bench.ts", "--sizes", "0,10"], { cwd: root });

    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      "npm run bench: --sizes takes whole numbers from 1 to 1000 separated by commas, not 0,10\n"
    );
  });
});

describe("the bar", () => {
  it("is met when every deal is provisioned in at most 8 callouts and SOQL and DML stay flat", () => {
    assert.deepEqual(barFailures([row(1), row(10), row(50), row(200)]), []);
  });

  it("names each way it is missed", () => {
    assert.deepEqual(
      barFailures([
        row(1),
        row(10, { soqlQueries: 13 }),
        row(50, { dmlStatements: 52 }),
        row(200, { callouts: 9, provisioned: 198 })
      ]),
      [
        "N=200: 198 of 200 deals provisioned",
        "N=200: 9 callouts, more than 8",
        "N=10: 13 SOQL queries, more than the 4 of N=1",
        "N=50: 52 DML statements, more than the 3 of N=1"
      ]
    );
  });

  it("reads its options and refuses others", () => {
    assert.deepEqual(parseBenchArguments([]), { sizes: [1, 10, 50, 200], jsonFile: null });
    assert.deepEqual(parseBenchArguments(["--sizes", "5, 20", "--json", path.join(directory, "b.json")]), {
      sizes: [5, 20],
      jsonFile: path.join(directory, "b.json")
    });
    assert.throws(() => parseBenchArguments(["--deals", "3"]), BenchUsageError);
    assert.throws(() => parseBenchArguments(["--json"]), /--json needs a value/);
    assert.throws(
      () => parseBenchArguments(["--json", "/no/such/folder/b.json"]),
      /the folder \/no\/such\/folder does not exist/
    );
  });
});
