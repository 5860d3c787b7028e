/**
 * A Stigg that hangs, against the transaction's callout time: Salesforce allows 120 seconds of callouts per
 * transaction, and a transaction that passes it stops before the failures are recorded. The actions give a call
 * at most what is left and send nothing when too little is, so even a Stigg that never answers leaves every deal
 * Failed with a reason.
 *
 * The hang is real and the limit is the platform's, so this file waits about two minutes: the first call to Stigg
 * is given 118 seconds (120 less the actions' reserve) and times out; nothing else is sent. The fault never
 * answers, so the outcome does not depend on how busy the machine is.
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { ProvisioningOrg } from "../../scripts/lib/provisioning-org";
import { GOOD_LINES, assertSaveNotBlocked, clearFaults, injectFault, startOrg } from "./harness";

let org: ProvisioningOrg;

before(async () => {
  org = await startOrg();
  // The longest Callout Timeout an admin can set: the transaction's callout time, not the timeout, is the limit.
  org.setStiggSettings({ Callout_Timeout_Seconds__c: 120 });
});

after(async () => {
  await org?.stop();
});

it("a Stigg that never answers: the first call waits what the transaction allows, the rest are not sent, and all 60 deals are Failed with a reason", async () => {
  await injectFault(org, { kind: "slow", delayMs: 3_600_000 });
  const accountIds = org.createAccounts(Array.from({ length: 60 }, (_, i) => ({ Name: `Hung customer ${i + 1}` })));
  const dealIds = org.createDeals(
    accountIds.map((accountId, i) => ({ name: `Hung deal ${i + 1}`, accountId, lines: [...GOOD_LINES] }))
  );

  const closed = await org.closeDeals(dealIds);

  assertSaveNotBlocked(closed);
  assert.deepEqual(
    closed.stiggRequests.map((request) => [
      request.operationName,
      Object.keys(request.variables).length,
      request.httpStatus
    ]),
    [["SfProvisionCustomers", 50, null]],
    "one call, never answered; the second chunk of customers was not sent"
  );
  const [run] = closed.transactions.filter((transaction) => transaction.description !== "api");
  assert.equal(run.callouts, 1);
  const deals = org.opportunities(dealIds);
  for (const deal of deals.slice(0, 50))
    assert.match(
      String(deal.Stigg_Last_Error__c),
      /^Stigg provisioning failed \[CalloutFailed\]: the customer could not be created in Stigg\. Could not reach Stigg: Read timed out Stigg did not answer within the callout timeout/
    );
  for (const deal of deals.slice(50))
    assert.match(
      String(deal.Stigg_Last_Error__c),
      /^Stigg provisioning failed \[CalloutTimeLimitReached\]: the customer could not be created in Stigg\. Not sent to Stigg: this transaction already spent 1[01]\d of the 120 seconds of callout time Salesforce allows, too little is left to wait for an answer\. Stigg answered slowly and Salesforce allows 120 seconds of callouts per transaction: retry later, when Stigg answers normally again\./
    );
  assert.deepEqual([...new Set(deals.map((deal) => deal.Stigg_Provisioning_Status__c))], ["Failed"]);

  // Stigg answers again: one save setting the status back provisions every deal.
  await clearFaults(org);
  org.setStiggSettings({ Callout_Timeout_Seconds__c: null });
  const retried = await org.save(
    "Opportunity",
    dealIds.map((id) => ({ Id: id, Stigg_Provisioning_Status__c: "Not Started" }))
  );
  assertSaveNotBlocked(retried);
  assert.deepEqual(
    [...new Set(org.opportunities(dealIds).map((deal) => deal.Stigg_Provisioning_Status__c))],
    ["Provisioned"]
  );
});
