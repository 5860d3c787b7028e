/**
 * 200 opportunities closed in one save (a list view's mass edit, a data load): one interview batch, the Stigg
 * actions called once each for all of them, and every deal with its own outcome.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { DealLine, ProvisioningOrg, Row } from "../../scripts/lib/provisioning-org";
import { GOOD_LINES, assertSaveNotBlocked, clearFaults, injectFault, startOrg } from "./harness";

let org: ProvisioningOrg;

before(async () => {
  org = await startOrg();
});

afterEach(async () => {
  await clearFaults(org);
});

after(async () => {
  await org?.stop();
});

let batchNumber = 0;

/** Accounts and open deals for the given lines, created in bulk; returns the deal and account ids. */
function openDeals(lines: readonly (readonly DealLine[])[]): { dealIds: string[]; accountIds: string[] } {
  batchNumber++;
  const accountIds = org.createAccounts(lines.map((_, i) => ({ Name: `Batch ${batchNumber} customer ${i + 1}` })));
  const dealIds = org.createDeals(
    lines.map((dealLines, i) => ({
      name: `Batch ${batchNumber} deal ${i + 1}`,
      accountId: accountIds[i],
      lines: [...dealLines]
    }))
  );
  return { dealIds, accountIds };
}

/** Why each kind of bad deal fails, as Stigg Last Error starts. */
const BAD_DEALS: { lines: DealLine[]; error: RegExp; count: number }[] = [
  { lines: [{ product: "addon", quantity: 2 }], error: /^Stigg provisioning failed \[NoPlan\]: /, count: 5 },
  {
    lines: [
      { product: "plan", quantity: 1 },
      { product: "enterprise", quantity: 1 }
    ],
    error: /^Stigg provisioning failed \[MultiplePlans\]: 2 products on this opportunity have Stigg Type Plan/,
    count: 4
  },
  {
    lines: [{ product: "unknownPlan", quantity: 1 }],
    error: /^Stigg provisioning failed \[PlanNotFound\]: PlanNotFound: Plan not found: plan-galactic \(trace /,
    count: 4
  },
  {
    lines: [
      { product: "plan", quantity: 1 },
      { product: "unknownAddon", quantity: 2 }
    ],
    error: /^Stigg provisioning failed \[AddonNotFound\]: AddonNotFound: Addon not found: addon-unicorn \(trace /,
    count: 4
  },
  {
    lines: [
      { product: "plan", quantity: 1 },
      { product: "addon", quantity: 1.5 }
    ],
    error: /^Stigg provisioning failed \[InvalidInput\]: Add-on Quantities\[1\] must be a whole number \(got 1\.50\)\./,
    count: 3
  }
];

describe("200 opportunities closed in one save", () => {
  it("with 10% of them bad: 180 Provisioned, 20 Failed each with its own reason, one subscription each, in at most 8 callouts", async () => {
    // Every tenth deal is a bad one, spread through the batch.
    const kinds: (number | null)[] = Array.from({ length: 200 }, () => null);
    let slot = 9;
    BAD_DEALS.forEach((bad, kind) => {
      for (let i = 0; i < bad.count; i++, slot += 10) kinds[slot] = kind;
    });
    const { dealIds } = openDeals(kinds.map((kind) => (kind === null ? GOOD_LINES : BAD_DEALS[kind].lines)));

    const closed = await org.closeDeals(dealIds);

    assertSaveNotBlocked(closed);
    const deals = org.opportunities(dealIds);
    const good = deals.filter((_, i) => kinds[i] === null);
    const bad = deals.map((deal, i) => [deal, kinds[i]] as const).filter(([, kind]) => kind !== null) as [
      Row,
      number
    ][];
    assert.equal(good.length, 180);
    assert.equal(bad.length, 20);
    assert.deepEqual(
      good
        .filter((deal) => deal.Stigg_Provisioning_Status__c !== "Provisioned")
        .map((deal) => deal.Stigg_Last_Error__c),
      [],
      "the 180 good deals are Provisioned"
    );
    for (const [deal, kind] of bad) {
      assert.equal(deal.Stigg_Provisioning_Status__c, "Failed", String(deal.Name));
      assert.match(String(deal.Stigg_Last_Error__c), BAD_DEALS[kind].error, String(deal.Name));
    }
    // One subscription per provisioned deal, none for the failed ones.
    const state = await org.stiggState();
    assert.ok(state);
    const byDeal = new Map<string, number>();
    for (const subscription of state.subscriptions)
      if (subscription.salesforceId)
        byDeal.set(subscription.salesforceId, (byDeal.get(subscription.salesforceId) ?? 0) + 1);
    for (const deal of good) assert.equal(byDeal.get(String(deal.Id)), 1, `one subscription for ${deal.Name}`);
    for (const [deal] of bad) assert.equal(byDeal.get(String(deal.Id)), undefined, `no subscription for ${deal.Name}`);
    for (const deal of good) assert.equal(deal.Stigg_Subscription_ID__c !== null, true);

    // One asynchronous transaction for the 200: the customers of the 191 deals with one plan, then the 188
    // subscriptions whose inputs are valid, 50 to a call.
    assert.deepEqual(
      closed.stiggRequests.map((request) => [request.operationName, Object.keys(request.variables).length]),
      [
        ["SfProvisionCustomers", 50],
        ["SfProvisionCustomers", 50],
        ["SfProvisionCustomers", 50],
        ["SfProvisionCustomers", 41],
        ["SfProvisionSubscriptions", 50],
        ["SfProvisionSubscriptions", 50],
        ["SfProvisionSubscriptions", 50],
        ["SfProvisionSubscriptions", 38]
      ]
    );
    const asynchronous = closed.transactions.filter((transaction) => transaction.description !== "api");
    assert.equal(asynchronous.length, 1, "the 200 interviews run in one transaction");
    assert.equal(asynchronous[0].callouts, 8);
  });

  it("a 429 stops the batch at the first call: every deal Failed [RateLimitExceeded] with Stigg's Retry-After, and one retry save provisions them all", async () => {
    await injectFault(org, { kind: "rate-limit", retryAfterSeconds: 45 });
    const { dealIds } = openDeals(Array.from({ length: 200 }, () => GOOD_LINES));

    const closed = await org.closeDeals(dealIds);

    assertSaveNotBlocked(closed);
    assert.deepEqual(
      closed.stiggRequests.map((request) => [request.operationName, request.httpStatus, request.fault]),
      [["SfProvisionCustomers", 429, "rate-limit"]],
      "no further call after the 429"
    );
    const deals = org.opportunities(dealIds);
    const refused = deals.slice(0, 50);
    const unsent = deals.slice(50);
    for (const deal of refused)
      assert.match(
        String(deal.Stigg_Last_Error__c),
        /^Stigg provisioning failed \[RateLimitExceeded\]: the customer could not be created in Stigg\. Stigg is limiting the request rate \(429\); it asked to wait 45 seconds \(Retry-After\)\. Stigg limits how many calls an API key may make: retry after 45 seconds\./
      );
    for (const deal of unsent)
      assert.match(
        String(deal.Stigg_Last_Error__c),
        /^Stigg provisioning failed \[RateLimitExceeded\]: the customer could not be created in Stigg\. Not sent to Stigg: an earlier call in this transaction was refused because Stigg is limiting the request rate \(429\); it asked to wait 45 seconds \(Retry-After\)\./
      );
    assert.deepEqual([...new Set(deals.map((deal) => deal.Stigg_Provisioning_Status__c))], ["Failed"]);

    await clearFaults(org);
    const retried = await org.save(
      "Opportunity",
      dealIds.map((id) => ({ Id: id, Stigg_Provisioning_Status__c: "Not Started" }))
    );

    assertSaveNotBlocked(retried);
    const after = org.opportunities(dealIds);
    assert.deepEqual([...new Set(after.map((deal) => deal.Stigg_Provisioning_Status__c))], ["Provisioned"]);
    const state = await org.stiggState();
    const ids = new Set(dealIds);
    assert.equal(state?.subscriptions.filter((subscription) => ids.has(String(subscription.salesforceId))).length, 200);
  });
});
