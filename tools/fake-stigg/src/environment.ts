/**
 * The Stigg environment behind the fake's API: customers and subscriptions, and the resolvers that read and
 * change them with Stigg's error codes (extensions.code and traceId).
 */
import { GraphQLError } from "graphql";

export interface Catalog {
  plans: string[];
  addons: string[];
  features: string[];
}

export interface StoredCustomer {
  customerId: string;
  name: string | null;
  email: string | null;
  salesforceId: string | null;
  additionalMetaData: unknown;
}

export interface StoredSubscription {
  subscriptionId: string;
  customerId: string;
  planId: string;
  status: "ACTIVE" | "IN_TRIAL" | "NOT_STARTED" | "CANCELED" | "EXPIRED" | "PAYMENT_PENDING";
  salesforceId: string | null;
  addons: { addonId: string; quantity: number }[];
  entitlements: { featureId: string; usageLimit: number | null; hasUnlimitedUsage: boolean }[];
  billingPeriod: string | null;
  unitQuantity: number | null;
  startDate: string | null;
  trialEndDate: string | null;
  additionalMetaData: unknown;
}

export const DEFAULT_CATALOG: Catalog = {
  plans: ["plan-basic", "plan-pro", "plan-enterprise"],
  addons: ["addon-extra-seats", "addon-premium-support"],
  features: ["feature-api-calls", "feature-storage-gb", "feature-projects"]
};

export function stiggError(code: string, message: string, traceId: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, traceId } });
}

export type Input = Record<string, unknown>;

/** The environment behind the API: customers, subscriptions and the resolvers that change them. */
export class Environment {
  readonly customers = new Map<string, StoredCustomer>();
  readonly subscriptions: StoredSubscription[] = [];
  private traceCounter = 0;

  constructor(
    private readonly slug: string,
    private readonly catalog: Catalog,
    private readonly paymentRequiredPlans: Set<string>
  ) {}

  /** Forgets every customer and subscription (the objects stay the same, so references to them stay valid). */
  reset(): void {
    this.customers.clear();
    this.subscriptions.length = 0;
    this.traceCounter = 0;
  }

  nextTraceId(): string {
    this.traceCounter++;
    return `trace-${String(this.traceCounter).padStart(6, "0")}`;
  }

  /** Root resolvers, in the shape graphql-js's default resolver calls with (args). */
  rootValue(): Record<string, (args: Input) => unknown> {
    return {
      currentEnvironment: () => this.slug,
      provisionCustomer: (args) => this.provisionCustomer(args.input as Input),
      provisionSubscriptionV2: (args) => this.provisionSubscription(args.input as Input),
      subscriptions: (args) => this.findSubscriptions(args.filter as Input | undefined)
    };
  }

  private customerView(customer: StoredCustomer) {
    return { ...customer, environment: { slug: this.slug } };
  }

  private provisionCustomer(input: Input) {
    const customerId = (input.customerId as string | undefined) ?? `customer-${this.customers.size + 1}`;
    const existing = this.customers.get(customerId);
    // provisionCustomer creates or updates: a field left out keeps its value.
    const customer: StoredCustomer = {
      customerId,
      name: (input.name as string | undefined) ?? existing?.name ?? null,
      email: (input.email as string | undefined) ?? existing?.email ?? null,
      salesforceId: (input.salesforceId as string | undefined) ?? existing?.salesforceId ?? null,
      additionalMetaData: input.additionalMetaData ?? existing?.additionalMetaData ?? null
    };
    this.customers.set(customerId, customer);
    return { customer: this.customerView(customer) };
  }

  private provisionSubscription(input: Input) {
    const trace = this.nextTraceId();
    const customerId = input.customerId as string;
    const planId = input.planId as string;
    if (!this.customers.has(customerId)) {
      throw stiggError("CustomerNotFound", `Customer not found: ${customerId}`, trace);
    }
    if (!this.catalog.plans.includes(planId)) {
      throw stiggError("PlanNotFound", `Plan not found: ${planId}`, trace);
    }
    const addons = ((input.addons as Input[] | undefined) ?? []).map((addon) => ({
      addonId: addon.addonId as string,
      quantity: (addon.quantity as number | undefined) ?? 1
    }));
    const unknownAddon = addons.find((addon) => !this.catalog.addons.includes(addon.addonId));
    if (unknownAddon) {
      throw stiggError("AddonNotFound", `Addon not found: ${unknownAddon.addonId}`, trace);
    }
    const entitlements = ((input.subscriptionEntitlements as Input[] | undefined) ?? []).map((entitlement) => ({
      featureId: entitlement.featureId as string,
      usageLimit: (entitlement.usageLimit as number | undefined) ?? null,
      hasUnlimitedUsage: (entitlement.hasUnlimitedUsage as boolean | undefined) ?? false
    }));
    const unknownFeature = entitlements.find((entitlement) => !this.catalog.features.includes(entitlement.featureId));
    if (unknownFeature) {
      throw stiggError("FeatureNotFound", `Feature not found: ${unknownFeature.featureId}`, trace);
    }
    if (this.paymentRequiredPlans.has(planId)) {
      return { status: "PAYMENT_REQUIRED", checkoutUrl: `https://checkout.example.test/${trace}`, subscription: null };
    }
    const trial = input.trialOverrideConfiguration as Input | undefined;
    const startDate = (input.startDate as string | undefined) ?? null;
    const status: StoredSubscription["status"] = trial?.isTrial
      ? "IN_TRIAL"
      : startDate !== null && Date.parse(startDate) > Date.now()
        ? "NOT_STARTED"
        : "ACTIVE";
    // Like Stigg, provisioning again creates another subscription: callers must look before they write.
    const subscription: StoredSubscription = {
      subscriptionId: `subscription-${planId}-${this.subscriptions.length + 1}`,
      customerId,
      planId,
      status,
      salesforceId: (input.salesforceId as string | undefined) ?? null,
      addons,
      entitlements,
      billingPeriod: (input.billingPeriod as string | undefined) ?? null,
      unitQuantity: (input.unitQuantity as number | undefined) ?? null,
      startDate,
      trialEndDate: (trial?.trialEndDate as string | undefined) ?? null,
      additionalMetaData: input.additionalMetaData ?? null
    };
    this.subscriptions.push(subscription);
    return { status: "SUCCESS", checkoutUrl: null, subscription: this.subscriptionView(subscription) };
  }

  private subscriptionView(subscription: StoredSubscription) {
    return { ...subscription, plan: { refId: subscription.planId } };
  }

  private findSubscriptions(filter: Input | undefined) {
    const supported = new Set(["salesforceId", "customerId"]);
    for (const key of Object.keys(filter ?? {})) {
      if (!supported.has(key)) {
        throw stiggError("BadUserInput", `fake-stigg does not filter subscriptions by ${key}`, this.nextTraceId());
      }
    }
    const matches = (value: string | null, comparison: Input | undefined): boolean => {
      if (!comparison) return true;
      if ("eq" in comparison) return value === comparison.eq;
      if ("in" in comparison) return (comparison.in as string[]).includes(value ?? "");
      throw stiggError("BadUserInput", "fake-stigg compares ids with eq or in only", this.nextTraceId());
    };
    const found = this.subscriptions.filter(
      (subscription) =>
        matches(subscription.salesforceId, filter?.salesforceId as Input | undefined) &&
        matches(subscription.customerId, filter?.customerId as Input | undefined)
    );
    return { edges: found.map((subscription) => ({ node: this.subscriptionView(subscription) })) };
  }
}
