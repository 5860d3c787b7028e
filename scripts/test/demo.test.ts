/**
 * The offline demo end to end: the package's actions, run by the local org, provision a closed deal in
 * the fake Stigg (which checks every request against the contract), and a retry creates nothing new.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { run } from "../lib/process";

const root = path.resolve(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

describe("npm run demo", () => {
  it("provisions the deal once, links it, and a retry returns the same subscription", async () => {
    const result = await run(process.execPath, [tsx, "scripts/demo.ts"], { cwd: root });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const out = result.stdout;
    assert.match(out, /customerUrl: 'https:\/\/app\.stigg\.io\/northwind-demo\/customers\/001\w{15}'/);
    assert.match(out, /Stigg_Provisioning_Status__c: 'Provisioned'/);
    assert.match(out, /Stigg_Subscription_ID__c: 'subscription-plan-pro-1'/);
    assert.match(out, /alreadyExisted: true/);
    // Every request reached Stigg's contract and passed it: no 4xx in what the fake recorded.
    const statuses = [...out.matchAll(/^(\d{3}) Sf\w+ /gm)].map((match) => match[1]);
    assert.deepEqual(statuses, ["200", "200", "200"]);
    assert.match(
      out,
      /200 SfProvisionSubscriptions \{"in0":\{"customerId":"001\w{15}","planId":"plan-pro","addons":\[\{"addonId":"addon-extra-seats","quantity":5\}\]/
    );
    assert.match(out, /Subscriptions in Stigg: \[\["subscription-plan-pro-1","006\w{15}","ACTIVE"\]\]/);
  });
});
