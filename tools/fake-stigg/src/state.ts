/**
 * What the fake environment stores: plain data (JSON-serializable), so the control endpoint can return it as
 * it stands. Dates are ISO strings on the environment's clock.
 */
import type { BillingPeriod } from "./catalog";

export type SubscriptionStatus = "ACTIVE" | "IN_TRIAL" | "NOT_STARTED" | "CANCELED" | "EXPIRED" | "PAYMENT_PENDING";

/** Statuses in which a subscription grants access and can still change. */
export const LIVE_STATUSES: readonly SubscriptionStatus[] = ["ACTIVE", "IN_TRIAL", "NOT_STARTED"];

export interface StoredCustomer {
  customerId: string;
  name: string | null;
  email: string | null;
  salesforceId: string | null;
  additionalMetaData: unknown;
  createdAt: string;
}

export interface StoredAddon {
  addonId: string;
  quantity: number;
}

/** A custom entitlement of the subscription (it overrides the plan's for the same feature). */
export interface StoredEntitlement {
  id: string;
  featureId: string;
  usageLimit: number | null;
  hasUnlimitedUsage: boolean;
  hasSoftLimit: boolean;
  resetPeriod: string | null;
}

/** A recurring credit grant the subscription carries (Stigg's SubscriptionCreditEntitlementInput). */
export interface StoredCreditEntitlement {
  currencyId: string;
  amount: number;
  cadence: "MONTH" | "YEAR";
}

export interface StoredPriceOverride {
  baseCharge: boolean;
  featureId: string | null;
  addonId: string | null;
  amount: number;
  currency: string;
}

export type ScheduleType =
  | "Addon"
  | "UnitAmount"
  | "BillingPeriod"
  | "Plan"
  | "Downgrade"
  | "PriceOverride"
  | "AdditionalMetaData"
  | "RecurringCredits";

/** What a change sets on the subscription when it takes effect. */
export interface SubscriptionPatch {
  plan?: {
    planId: string;
    addons: StoredAddon[];
    billingPeriod: BillingPeriod;
    unitQuantity: number | null;
    billableFeatures: { featureId: string; quantity: number }[];
    entitlements: StoredEntitlement[];
    creditEntitlements: StoredCreditEntitlement[];
    priceOverrides: StoredPriceOverride[];
  };
  addon?: StoredAddon;
  unitQuantity?: number;
  billableFeature?: { featureId: string; quantity: number };
  billingPeriod?: BillingPeriod;
  priceOverride?: StoredPriceOverride;
  additionalMetaData?: unknown;
  creditEntitlement?: StoredCreditEntitlement;
}

/** A change waiting for its date (Stigg's futureUpdates). */
export interface ScheduledChange {
  type: ScheduleType;
  executeAt: string;
  /** Stigg's scheduleVariables, with the __typename of the ScheduleVariables member; null for metadata. */
  variables: ({ __typename: string } & Record<string, unknown>) | null;
  patch: SubscriptionPatch;
}

export interface StoredSubscription {
  subscriptionId: string;
  customerId: string;
  planId: string;
  status: SubscriptionStatus;
  salesforceId: string | null;
  resourceId: string | null;
  addons: StoredAddon[];
  /** Custom entitlements: subscriptionEntitlements and feature entries of entitlements. */
  entitlements: StoredEntitlement[];
  creditEntitlements: StoredCreditEntitlement[];
  priceOverrides: StoredPriceOverride[];
  billingPeriod: BillingPeriod;
  unitQuantity: number | null;
  billableFeatures: { featureId: string; quantity: number }[];
  startDate: string;
  /** Billing periods are counted from here: the start, the trial's end, or the last billing period change. */
  billingAnchor: string;
  trialEndDate: string | null;
  trialEndBehavior: "CONVERT_TO_PAID" | "CANCEL_SUBSCRIPTION";
  /** When the cancellation was asked for. */
  cancellationDate: string | null;
  /** When the subscription ends (or ended). */
  endDate: string | null;
  /** With REVOKE_ENTITLEMENTS, access ends when the cancellation is asked for, not when the subscription ends. */
  cancellationAction: "DEFAULT" | "REVOKE_ENTITLEMENTS" | null;
  paymentCollectionMethod: string | null;
  additionalMetaData: unknown;
  scheduledChanges: ScheduledChange[];
  createdAt: string;
  updatedAt: string;
}

export type CreditGrantType = "PAID" | "PROMOTIONAL" | "RECURRING" | "OVERDRAFT";

export interface StoredCreditGrant {
  grantId: string;
  customerId: string;
  currencyId: string;
  amount: number;
  consumedAmount: number;
  displayName: string;
  grantType: CreditGrantType;
  priority: number;
  effectiveAt: string;
  expireAt: string | null;
  voidedAt: string | null;
  comment: string | null;
  resourceId: string | null;
  additionalMetaData: unknown;
  paymentCollectionMethod: string | null;
  createdAt: string;
  /** For the grants a subscription's credit entitlement makes each period: the subscription. */
  subscriptionId: string | null;
}

export interface WorkflowRun {
  executionId: string;
  triggerId: string;
  payload: unknown;
  isTest: boolean;
  triggeredAt: string;
}

/**
 * A change made to a subscription by hand in the Stigg app, not through the API: what a drift check must notice.
 * Lists given replace the subscription's; status "CANCELED" cancels it now.
 */
export interface SubscriptionEdit {
  planId?: string;
  addons?: StoredAddon[];
  entitlements?: { featureId: string; usageLimit?: number | null; hasUnlimitedUsage?: boolean }[];
  creditEntitlements?: StoredCreditEntitlement[];
  unitQuantity?: number | null;
  billingPeriod?: BillingPeriod;
  status?: "CANCELED";
  salesforceId?: string | null;
  additionalMetaData?: unknown;
}
