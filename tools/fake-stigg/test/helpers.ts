/** What the tests of fake-stigg share: a GraphQL client over real HTTP and the selections the package reads. */
import assert from "node:assert/strict";

export interface GraphQLReply<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: { message: string; path?: (string | number)[]; extensions?: { code?: string; traceId?: string } }[];
}

/**
 * A GraphQL answer read field by field in assertions: the contract and the fake decide its shape, and each
 * assertion names the field it expects.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Answer = Record<string, any>;

export function client(url: () => string, apiKey: string) {
  return async function gql<T = Answer>(
    query: string,
    variables: Record<string, unknown> = {}
  ): Promise<GraphQLReply<T>> {
    const response = await fetch(`${url()}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-KEY": apiKey },
      body: JSON.stringify({ query, operationName: /^(?:query|mutation)\s+(\w+)/.exec(query)?.[1], variables })
    });
    const body = (await response.json()) as { data?: T | null; errors?: GraphQLReply["errors"] };
    return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
  };
}

/** The one error of a reply, asserted to be on that alias with that code. */
export function assertError(reply: GraphQLReply<unknown>, alias: string, code: string, message?: RegExp): void {
  assert.equal(reply.status, 200, `HTTP 200 with errors[], not ${reply.status}: ${JSON.stringify(reply.errors)}`);
  assert.equal(reply.errors.length, 1, JSON.stringify(reply.errors));
  assert.deepEqual(reply.errors[0].path, [alias]);
  assert.equal(reply.errors[0].extensions?.code, code, reply.errors[0].message);
  assert.match(reply.errors[0].extensions?.traceId ?? "", /^trace-\d{6}$/);
  if (message) assert.match(reply.errors[0].message, message);
}

/** What the package reads of a subscription: plan, add-ons, prices, entitlements and scheduled changes. */
export const SUBSCRIPTION =
  "{ subscriptionId status salesforceId customerId plan { refId displayName } billingPeriod startDate endDate " +
  "cancellationDate effectiveEndDate trialEndDate currentBillingPeriodStart currentBillingPeriodEnd additionalMetaData " +
  "addons { addonId quantity addon { refId displayName } } " +
  "prices { billingModel featureId usageLimit price { billingPeriod isOverridePrice price { amount currency } } } " +
  "subscriptionEntitlements { featureId usageLimit hasUnlimitedUsage feature { refId displayName } } " +
  "entitlements { __typename ... on SubscriptionFeatureEntitlement { featureId usageLimit hasUnlimitedUsage } " +
  "... on SubscriptionCreditEntitlement { customCurrencyId amount cadence } } " +
  "futureUpdates { subscriptionScheduleType scheduleStatus scheduledExecutionTime scheduleVariables { __typename " +
  "... on AddonChangeVariables { addonRefId newQuantity } ... on UnitAmountChangeVariables { featureId newUnitAmount } " +
  "... on BillingPeriodChangeVariables { billingPeriod } " +
  "... on PlanChangeVariables { planRefId changeType billingPeriod addons { addonRefId quantity } } " +
  "... on DowngradeChangeVariables { downgradePlanRefId billingPeriod addons { addonRefId quantity } } " +
  "... on RecurringCreditsChangeVariables { customCurrencyId newCredits: newQuantity } } } }";

/** A document as the package builds it: one alias r{i} per request, its input in variable in{i}. */
export function batch(
  kind: "query" | "mutation",
  name: string,
  field: string,
  argument: string,
  type: string,
  selection: string,
  count: number
): string {
  const variables = Array.from({ length: count }, (_, i) => `$in${i}: ${type}`).join(", ");
  const fields = Array.from({ length: count }, (_, i) => `r${i}: ${field}(${argument}: $in${i}) ${selection}`).join(
    " "
  );
  return `${kind} ${name}(${variables}) { ${fields} }`;
}

export const PROVISION_CUSTOMER = batch(
  "mutation",
  "SfProvisionCustomers",
  "provisionCustomer",
  "input",
  "ProvisionCustomerInput!",
  "{ customer { customerId } }",
  1
);

export const provisionSubscriptions = (count: number): string =>
  batch(
    "mutation",
    "SfProvisionSubscriptions",
    "provisionSubscriptionV2",
    "input",
    "ProvisionSubscriptionInput!",
    `{ status isScheduled subscription ${SUBSCRIPTION} }`,
    count
  );

export const updateSubscriptions = (count: number): string =>
  batch(
    "mutation",
    "SfUpdateSubscriptions",
    "updateOneSubscription",
    "input",
    "UpdateSubscriptionInput!",
    SUBSCRIPTION,
    count
  );

export const cancelSubscriptions = (count: number): string =>
  batch(
    "mutation",
    "SfCancelSubscriptions",
    "cancelSubscription",
    "input",
    "SubscriptionCancellationInput!",
    "{ subscriptionId status cancellationDate endDate effectiveEndDate }",
    count
  );

export const GET_SUBSCRIPTION = batch(
  "query",
  "SfGetSubscriptions",
  "getSubscription",
  "input",
  "GetSubscriptionInput!",
  SUBSCRIPTION,
  1
);
