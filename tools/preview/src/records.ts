/**
 * Records for the record pages: a customer provisioned in Stigg the way a rep's deal is (the subscription
 * template closes the deal and calls Stigg), then used as a customer uses Stigg (usage reported, credits
 * consumed), and a prospect with no Stigg customer yet. The Stigg card has something to show on each.
 */
import type { JsValue } from "../../local-org/src/index";
import type { FakeStiggControl } from "../../fake-stigg/src/remote";
import type { PreviewOrg } from "./org";

/** The template that provisions a deal when it is won: activated in the org before the records are seeded. */
export const SUBSCRIPTION_TEMPLATE = "Opportunity_Stigg_Subscription_Template";
/** The subflow the subscription template calls: activated with it. */
export const SUBSCRIPTION_INPUT_TEMPLATE = "Stigg_Subscription_Input_Template";

type Row = Record<string, JsValue>;

/** The products the customer's deal sells, mapped to fake-stigg's demo catalog. */
export const DEMO_CATALOG = [
  { Name: "Pro Plan", Stigg_Type__c: "Plan", Stigg_ID__c: "plan-pro" },
  { Name: "Extra Seats", Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-extra-seats" },
  { Name: "Premium Support", Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-premium-support" },
  { Name: "API Calls", Stigg_Type__c: "Entitlement", Stigg_ID__c: "feature-api-calls" },
  {
    Name: "AI Tokens",
    Stigg_Type__c: "Credit Entitlement",
    Stigg_ID__c: "credits-ai-tokens",
    Stigg_Credit_Cadence__c: "Month"
  },
  { Name: "Onboarding Workshop" }
] as const;

/** What the customer's deal sells, by product name. */
export const CUSTOMER_DEAL_LINES: Record<(typeof DEMO_CATALOG)[number]["Name"], number> = {
  "Pro Plan": 1,
  "Extra Seats": 5,
  "Premium Support": 1,
  "API Calls": 50000,
  "AI Tokens": 10000,
  "Onboarding Workshop": 1
};

/** What the customer has used since: reported to Stigg by its product. */
export const CUSTOMER_USAGE = { apiCalls: 12500, aiTokensConsumed: 2500 };

export interface SeededRecords {
  /** A customer provisioned in Stigg through the template: its account and the deal that provisioned it. */
  customer: { accountId: string; opportunityId: string; customerId: string; subscriptionId: string };
  /** An account with no Stigg customer yet, and its open deal. */
  prospect: { accountId: string; opportunityId: string };
}

function one(org: PreviewOrg, soql: string): Row | undefined {
  return (org.org.query(soql) as Row[])[0];
}

/**
 * Seeds the record pages' customers. Needs the subscription template active (`activateFlows`), a saved API key
 * Stigg accepts, and fake-stigg's control endpoints (usage and credits are the customer's doing, not the package's).
 */
export async function seedCustomerRecords(org: PreviewOrg, stigg: FakeStiggControl): Promise<SeededRecords> {
  const [pricebookId] = org.org.insert("Pricebook2", [{ Name: "Standard Price Book", IsActive: true }]);
  const entries = new Map<string, string>();
  for (const product of DEMO_CATALOG) {
    const existing = one(org, `SELECT Id FROM Product2 WHERE Name = '${product.Name}' AND IsActive = true LIMIT 1`);
    const productId = existing ? String(existing.Id) : org.insertProducts([{ ...product }])[0];
    const [entryId] = org.org.insert("PricebookEntry", [
      { Pricebook2Id: pricebookId, Product2Id: productId, UnitPrice: 100, IsActive: true }
    ]);
    entries.set(product.Name, entryId);
  }
  const closeDate = org.org.now().slice(0, 10);
  const [customerAccountId, prospectAccountId] = org.org.insert("Account", [
    { Name: "Northwind Traders" },
    { Name: "Globex Corporation" }
  ]);
  const [customerDealId, prospectDealId] = org.org.insert("Opportunity", [
    {
      Name: "Northwind Traders - Pro",
      AccountId: customerAccountId,
      StageName: "Negotiation/Review",
      CloseDate: closeDate,
      Pricebook2Id: pricebookId
    },
    {
      Name: "Globex - Pro",
      AccountId: prospectAccountId,
      StageName: "Negotiation/Review",
      CloseDate: closeDate,
      Pricebook2Id: pricebookId
    }
  ]);
  const lines = (opportunityId: string) =>
    Object.entries(CUSTOMER_DEAL_LINES).map(([name, quantity]) => ({
      OpportunityId: opportunityId,
      PricebookEntryId: entries.get(name)!,
      Quantity: quantity,
      UnitPrice: 100
    }));
  org.org.insert("OpportunityLineItem", [...lines(customerDealId), ...lines(prospectDealId)]);

  // The rep wins the deal: the template provisions it after the save commits.
  org.org.update("Opportunity", [{ Id: customerDealId, StageName: "Closed Won" }]);
  const deal = one(
    org,
    `SELECT Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c, Stigg_Last_Error__c, Account.Stigg_Customer_ID__c FROM Opportunity WHERE Id = '${customerDealId}'`
  )!;
  if (deal.Stigg_Provisioning_Status__c !== "Provisioned") {
    throw new Error(
      `the demo deal was not provisioned (${String(deal.Stigg_Provisioning_Status__c)}): ${String(deal.Stigg_Last_Error__c)}`
    );
  }
  const customerId = String((deal.Account as Row).Stigg_Customer_ID__c);
  await stigg.setUsage(customerId, "feature-api-calls", CUSTOMER_USAGE.apiCalls);
  await stigg.consumeCredits(customerId, "credits-ai-tokens", CUSTOMER_USAGE.aiTokensConsumed);
  return {
    customer: {
      accountId: customerAccountId,
      opportunityId: customerDealId,
      customerId,
      subscriptionId: String(deal.Stigg_Subscription_ID__c)
    },
    prospect: { accountId: prospectAccountId, opportunityId: prospectDealId }
  };
}
