/**
 * The GraphQL shapes of what the environment stores: what the default resolvers of graphql-js read, field by
 * field, when a document selects it. Union members carry their __typename.
 */
import { billingPeriodAt, iso } from "./billing";
import { CATALOG_CURRENCY } from "./catalog";
import type { Environment } from "./environment";
import type {
  ScheduledChange,
  StoredCreditGrant,
  StoredCustomer,
  StoredEntitlement,
  StoredSubscription
} from "./state";

export function featureView(environment: Environment, featureId: string) {
  const feature = environment.feature(featureId);
  return {
    refId: featureId,
    displayName: feature?.displayName ?? featureId,
    featureType: feature?.featureType ?? "NUMBER",
    featureUnits: feature?.units || null,
    featureUnitsPlural: feature?.unitsPlural || null
  };
}

function planView(environment: Environment, planId: string) {
  const plan = environment.plan(planId);
  return { refId: planId, displayName: plan?.displayName ?? planId, productId: plan?.productId ?? null };
}

function entitlementView(environment: Environment, entitlement: StoredEntitlement) {
  return {
    featureId: entitlement.featureId,
    usageLimit: entitlement.usageLimit,
    hasUnlimitedUsage: entitlement.hasUnlimitedUsage,
    hasSoftLimit: entitlement.hasSoftLimit,
    resetPeriod: entitlement.resetPeriod,
    feature: featureView(environment, entitlement.featureId)
  };
}

/** The plan's prices for the subscription's billing period, with its overrides and quantities. */
function pricesOf(environment: Environment, subscription: StoredSubscription) {
  const plan = environment.plan(subscription.planId);
  return (plan?.prices ?? []).map((price) => {
    const featureId = price.featureId ?? null;
    const override = subscription.priceOverrides.find((candidate) =>
      price.billingModel === "FLAT_FEE"
        ? candidate.baseCharge
        : candidate.featureId === featureId && !candidate.baseCharge
    );
    const usageLimit =
      price.billingModel === "PER_UNIT"
        ? (subscription.billableFeatures.find((entry) => entry.featureId === featureId)?.quantity ??
          subscription.unitQuantity ??
          1)
        : null;
    return {
      billingModel: price.billingModel,
      featureId,
      usageLimit,
      price: {
        billingModel: price.billingModel,
        billingPeriod: subscription.billingPeriod,
        featureId,
        isOverridePrice: override !== undefined,
        price: {
          amount: override?.amount ?? price.amounts[subscription.billingPeriod] ?? 0,
          currency: override?.currency ?? CATALOG_CURRENCY
        }
      }
    };
  });
}

function scheduledChangeView(change: ScheduledChange) {
  return {
    subscriptionScheduleType: change.type,
    scheduleStatus: "Scheduled",
    scheduledExecutionTime: change.executeAt,
    scheduleVariables: change.variables
  };
}

export function subscriptionView(environment: Environment, subscription: StoredSubscription) {
  const ended = subscription.status === "CANCELED" || subscription.status === "EXPIRED";
  // An ended subscription shows the period it ended in.
  const period =
    ended && subscription.endDate !== null
      ? billingPeriodAt(
          Date.parse(subscription.billingAnchor),
          subscription.billingPeriod,
          Date.parse(subscription.endDate) - 1
        )
      : environment.currentPeriod(subscription);
  const scheduled = subscription.scheduledChanges.map(scheduledChangeView);
  return {
    subscriptionId: subscription.subscriptionId,
    refId: subscription.subscriptionId,
    status: subscription.status,
    salesforceId: subscription.salesforceId,
    customerId: subscription.customerId,
    resourceId: subscription.resourceId,
    plan: planView(environment, subscription.planId),
    addons: subscription.addons.map((addon) => {
      const definition = environment.addon(addon.addonId);
      return {
        addonId: addon.addonId,
        quantity: addon.quantity,
        addon: {
          refId: addon.addonId,
          displayName: definition?.displayName ?? addon.addonId,
          maxQuantity: definition?.maxQuantity ?? null
        }
      };
    }),
    billingPeriod: subscription.billingPeriod,
    startDate: subscription.startDate,
    endDate: subscription.endDate,
    effectiveEndDate: subscription.endDate,
    trialEndDate: subscription.trialEndDate,
    cancellationDate: subscription.cancellationDate,
    currentBillingPeriodStart: iso(period.startMs),
    currentBillingPeriodEnd: iso(period.endMs),
    paymentCollectionMethod: subscription.paymentCollectionMethod,
    additionalMetaData: subscription.additionalMetaData ?? {},
    prices: pricesOf(environment, subscription),
    subscriptionEntitlements: subscription.entitlements.map((entitlement) => entitlementView(environment, entitlement)),
    entitlements: [
      ...subscription.entitlements.map((entitlement) => ({
        __typename: "SubscriptionFeatureEntitlement",
        ...entitlementView(environment, entitlement)
      })),
      ...subscription.creditEntitlements.map((credit) => ({
        __typename: "SubscriptionCreditEntitlement",
        customCurrencyId: credit.currencyId,
        amount: credit.amount,
        cadence: credit.cadence,
        hasSoftLimit: false
      }))
    ],
    futureUpdates: scheduled,
    scheduledUpdates: scheduled
  };
}

export function customerView(environment: Environment, customer: StoredCustomer) {
  return {
    customerId: customer.customerId,
    name: customer.name,
    email: customer.email,
    salesforceId: customer.salesforceId,
    additionalMetaData: customer.additionalMetaData,
    environment: { slug: environment.slug },
    subscriptions: () =>
      environment.subscriptions
        .filter((subscription) => subscription.customerId === customer.customerId)
        .map((subscription) => subscriptionView(environment, subscription))
  };
}

export function creditGrantView(environment: Environment, grant: StoredCreditGrant) {
  return {
    grantId: grant.grantId,
    customerId: grant.customerId,
    currencyId: grant.currencyId,
    amount: grant.amount,
    consumedAmount: grant.consumedAmount,
    displayName: grant.displayName,
    grantType: grant.grantType,
    priority: grant.priority,
    effectiveAt: grant.effectiveAt,
    expireAt: grant.expireAt,
    status: environment.grantStatus(grant),
    comment: grant.comment,
    resourceId: grant.resourceId,
    additionalMetaData: grant.additionalMetaData,
    createdAt: grant.createdAt,
    voidedAt: grant.voidedAt
  };
}
