import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseCommandLine, UsageError } from "../src/cli";
import { type SpawnedFakeStigg, spawnFakeStigg } from "../src/remote";

const CLI = path.resolve(__dirname, "..", "src", "cli.ts");
const KEY = "server-cli-key";
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "fake-stigg-cli-"));
const catalogFile = path.join(directory, "catalog.json");
fs.writeFileSync(catalogFile, JSON.stringify({ plans: ["plan-starter", "plan-scale"] }));
const badCatalogFile = path.join(directory, "bad-catalog.json");
fs.writeFileSync(
  badCatalogFile,
  JSON.stringify({ plans: [{ planId: "plan-x", entitlements: [{ featureId: "feature-x", usageLimit: 1 }] }] })
);
after(() => fs.rmSync(directory, { recursive: true, force: true }));

describe("command line", () => {
  it("reads the key, port, environment, plans and faults", () => {
    assert.deepEqual(
      parseCommandLine([
        "--api-key",
        KEY,
        "--port",
        "4010",
        "--environment",
        "acme-demo",
        "--payment-required-plan",
        "plan-enterprise",
        "--fault",
        "503,times=2",
        "--fault",
        "slow,delay=2s,operation=provisionSubscriptionV2"
      ]),
      {
        apiKey: KEY,
        port: 4010,
        environmentSlug: "acme-demo",
        paymentRequiredPlans: ["plan-enterprise"],
        faults: [
          { kind: "http-error", status: 503, times: 2 },
          { kind: "slow", delayMs: 2000, operation: "provisionSubscriptionV2" }
        ],
        catalog: undefined,
        clock: undefined
      }
    );
  });

  it("reads a catalog file and where the clock starts", () => {
    const options = parseCommandLine(["--api-key", KEY, "--catalog", catalogFile, "--clock", "2030-01-15T00:00:00Z"]);
    assert.notEqual(options, "help");
    if (options === "help") return;
    assert.deepEqual(options.catalog?.plans, ["plan-starter", "plan-scale"]);
    assert.equal(options.clock, "2030-01-15T00:00:00Z");
  });

  it("refuses a missing key, an unknown flag, a bad port and a bad fault, naming the problem", () => {
    const refusals: [string[], RegExp][] = [
      [[], /--api-key KEY is required/],
      [["--api-key", KEY, "--faults", "503"], /Unknown option '--faults'/],
      [["--api-key", KEY, "--port", "http"], /--port must be a port number \(0-65535\), not "http"/],
      [["--api-key", KEY, "--fault", "503,times=0"], /--fault 503,times=0: times must be a whole number of at least 1/],
      [["--api-key", KEY, "--clock", "next tuesday"], /--clock must be an ISO date-time/],
      [
        ["--api-key", KEY, "--catalog", path.join(directory, "missing.json")],
        /missing\.json: cannot read it \(ENOENT\)/
      ],
      [["--api-key", KEY, "--catalog", badCatalogFile], /plan plan-x names unknown feature feature-x/]
    ];
    for (const [argv, message] of refusals) {
      assert.throws(
        () => parseCommandLine(argv),
        (error: Error) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, message);
          return true;
        }
      );
    }
  });

  it("exits with status 2 and one line that says what to do", () => {
    const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), CLI, "--api-key", KEY, "--fault", "teapot"], {
      encoding: "utf8"
    });
    assert.equal(run.status, 2);
    assert.equal(run.stdout, "");
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^fake-stigg: --fault teapot: Unknown fault "teapot".*Run with --help for the options\.$/);
  });
});

describe("a fake started from the command line", () => {
  let fake: SpawnedFakeStigg;
  before(async () => {
    fake = await spawnFakeStigg({
      apiKey: KEY,
      environmentSlug: "acme-cli",
      faults: ["503,times=1"],
      catalogFile,
      clock: "2030-01-15T00:00:00Z"
    });
  });
  after(() => fake.stop());

  const currentEnvironment = async (): Promise<number> =>
    (
      await fetch(`${fake.url}/graphql`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-API-KEY": KEY },
        body: JSON.stringify({ query: "query SfCurrentEnvironment { currentEnvironment }" })
      })
    ).status;

  it("starts with the faults of its --fault flags", async () => {
    assert.equal(await currentEnvironment(), 503);
    assert.equal(await currentEnvironment(), 200);
  });

  it("takes new faults while it runs, through its control endpoint", async () => {
    const fault = await fake.control.injectFault({ kind: "rate-limit", retryAfterSeconds: 9, times: 1 });
    assert.equal((await fake.control.activeFaults()).length, 1);
    assert.equal(await currentEnvironment(), 429);
    const log = await fake.control.requests();
    assert.deepEqual(
      log.requests.map((request) => [request.httpStatus, request.fault?.kind ?? null]),
      [
        [503, "http-error"],
        [200, null],
        [429, "rate-limit"]
      ]
    );
    assert.equal(log.requests[2].fault?.id, fault.id);
    await fake.control.injectFault("wrong-key");
    assert.equal(await currentEnvironment(), 401);
    assert.equal(await fake.control.clearFaults(), 1);
    assert.equal(await currentEnvironment(), 200);
    await assert.rejects(fake.control.injectFault("slow"), /needs delayMs/);
  });
});

describe("a fake started from the command line, its environment", () => {
  let fake: SpawnedFakeStigg;
  before(async () => {
    fake = await spawnFakeStigg({ apiKey: KEY, catalogFile, clock: "2030-01-15T00:00:00Z" });
  });
  after(() => fake.stop());

  const gql = (query: string, variables: Record<string, unknown>) =>
    fetch(`${fake.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-KEY": KEY },
      body: JSON.stringify({ query, variables })
    }).then(
      (response) => response.json() as Promise<{ data: Record<string, { status: string }> | null; errors?: unknown[] }>
    );

  it("sells the catalog of its --catalog file, on the clock of its --clock flag, moved from the control endpoint", async () => {
    await gql(
      "mutation SfC($in0: ProvisionCustomerInput!) { r0: provisionCustomer(input: $in0) { customer { customerId } } }",
      {
        in0: { customerId: "acme" }
      }
    );
    const provision =
      "mutation SfS($in0: ProvisionSubscriptionInput!) { r0: provisionSubscriptionV2(input: $in0) { status } }";
    assert.equal(
      (await gql(provision, { in0: { customerId: "acme", planId: "plan-scale" } })).data?.r0.status,
      "SUCCESS"
    );
    assert.equal((await gql(provision, { in0: { customerId: "acme", planId: "plan-pro" } })).data?.r0, null);
    const state = await fake.control.state();
    assert.match(state.now, /^2030-01-15T00:00/);
    assert.equal(state.subscriptions[0].startDate.slice(0, 10), "2030-01-15");
    assert.match(await fake.control.moveClock({ advanceDays: 31 }), /^2030-02-15T00:00/);
  });

  it("takes changes made by hand, usage and credit consumption from FakeStiggControl", async () => {
    const [subscription] = (await fake.control.state()).subscriptions;
    const edited = await fake.control.editSubscription(subscription.subscriptionId, { unitQuantity: 3 });
    assert.equal(edited.unitQuantity, 3);
    assert.equal((await fake.control.state()).subscriptions[0].unitQuantity, 3);
    await fake.control.setUsage("acme", "feature-api-calls", 10);
    await assert.rejects(fake.control.setUsage("acme", "feature-nope", 10), /No feature feature-nope in the catalog/);
    await assert.rejects(fake.control.consumeCredits("acme", "credits-api", 1), /fewer than 1/);
  });
});
