/**
 * What the end-to-end tests share: an org with the package and the subscription template active, fake-stigg in
 * its own process, a catalog with the products a deal can go wrong with, and helpers to build a deal and read
 * where it ended. Each test file starts one org (loading the package takes seconds) and gives every test its own
 * accounts and deals; faults are cleared after each test.
 */
import assert from "node:assert/strict";
import {
  ProvisioningOrg,
  SUBSCRIPTION_TEMPLATE,
  type DealLine,
  type Observation,
  type ProductSpec,
  type ProvisioningOrgOptions,
  type Row,
  type StiggRequest
} from "../../scripts/lib/provisioning-org";
import type { FaultRule } from "../../tools/fake-stigg/src/server";

/** The demo products, and the ones that make a deal go wrong. */
export const TEST_PRODUCTS: readonly ProductSpec[] = [
  { key: "plan", name: "Pro Plan", stiggType: "Plan", stiggId: "plan-pro" },
  { key: "addon", name: "Extra Seats", stiggType: "Add-on", stiggId: "addon-extra-seats" },
  { key: "entitlement", name: "API Calls", stiggType: "Entitlement", stiggId: "feature-api-calls" },
  { key: "service", name: "Onboarding Workshop" },
  { key: "enterprise", name: "Enterprise Plan", stiggType: "Plan", stiggId: "plan-enterprise" },
  { key: "unknownPlan", name: "Galactic Plan", stiggType: "Plan", stiggId: "plan-galactic" },
  { key: "unknownAddon", name: "Unicorn Support", stiggType: "Add-on", stiggId: "addon-unicorn" }
];

/** What a well-formed deal sells: a plan, an add-on with a quantity, an entitlement with a usage limit, a service. */
export const GOOD_LINES: readonly DealLine[] = [
  { product: "plan", quantity: 1 },
  { product: "addon", quantity: 5 },
  { product: "entitlement", quantity: 100000 },
  { product: "service", quantity: 1 }
];

export async function startOrg(options: ProvisioningOrgOptions = {}): Promise<ProvisioningOrg> {
  const org = await ProvisioningOrg.start({ activateFlows: [SUBSCRIPTION_TEMPLATE], ...options });
  org.seedCatalog(TEST_PRODUCTS);
  return org;
}

let dealNumber = 0;

/** A new account and an open opportunity on it selling the given lines; returns both ids. */
export function openDeal(
  org: ProvisioningOrg,
  lines: readonly DealLine[] = GOOD_LINES,
  account: Row = {}
): { dealId: string; accountId: string } {
  dealNumber++;
  const [accountId] = org.createAccounts([{ Name: `Customer ${dealNumber}`, ...account }]);
  const [dealId] = org.createDeals([{ name: `Deal ${dealNumber}`, accountId, lines: [...lines] }]);
  return { dealId, accountId };
}

export function opportunity(org: ProvisioningOrg, id: string): Row {
  const [row] = org.opportunities([id]);
  assert.ok(row, `opportunity ${id} exists`);
  return row;
}

export function account(org: ProvisioningOrg, id: string): Row {
  const [row] = org.accounts([id]);
  assert.ok(row, `account ${id} exists`);
  return row;
}

/** The rep's save went through, its transaction made no callout, and no flow interview failed unrecorded. */
export function assertSaveNotBlocked(observation: Observation): void {
  assert.equal(observation.error, null, "the rep's save went through");
  const save = observation.transactions.find((transaction) => transaction.description === "api");
  assert.ok(save, "the save is a transaction of its own");
  assert.equal(save.callouts, 0, "the save made no callout: the rep never waits for Stigg");
  assert.deepEqual(observation.failedInterviews, [], "every interview ended on a recorded outcome");
}

/** The requests of the given operation, as [status, variables]. */
export function requestsOf(
  observation: Observation,
  operationName: string
): [number | null, Record<string, unknown>][] {
  return observation.stiggRequests
    .filter((request) => request.operationName === operationName)
    .map((request) => [request.httpStatus, request.variables]);
}

export function operations(requests: StiggRequest[]): (string | null)[] {
  return requests.map((request) => request.operationName);
}

/** Stigg's subscriptions for a Salesforce record (fake-stigg's state). */
export async function subscriptionsOf(org: ProvisioningOrg, salesforceId: string) {
  const state = await org.stiggState();
  assert.ok(state, "fake-stigg's state");
  return state.subscriptions.filter((subscription) => subscription.salesforceId === salesforceId);
}

export async function clearFaults(org: ProvisioningOrg): Promise<void> {
  await org.stigg.fake?.control.clearFaults();
}

export async function injectFault(org: ProvisioningOrg, rule: FaultRule | string): Promise<void> {
  assert.ok(org.stigg.fake, "fake-stigg runs");
  await org.stigg.fake.control.injectFault(rule);
}
