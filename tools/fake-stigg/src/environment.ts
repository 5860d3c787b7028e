/**
 * The Stigg environment behind the fake's API: customers, subscriptions, credit grants and workflow runs, the
 * operations that read and change them, and Stigg's error codes (extensions.code, traceId) for what Stigg refuses.
 *
 * Time runs on the environment's clock: catchUp() brings every subscription to "now" (a start date reached, a
 * trial ended, a scheduled change or a cancellation due, a new period of recurring credits) and runs before
 * each request and whenever the clock moves.
 */
import { GraphQLError } from "graphql";
import { addMonths, billingMonthEndAt, billingPeriodAt, iso, periodAt } from "./billing";
import { type BillingPeriod, CATALOG_CURRENCY, type Catalog, type ScheduleTime } from "./catalog";
import { EnvironmentClock } from "./clock";
import {
  type CreditGrantType,
  LIVE_STATUSES,
  type ScheduledChange,
  type StoredAddon,
  type StoredCreditEntitlement,
  type StoredCreditGrant,
  type StoredCustomer,
  type StoredEntitlement,
  type StoredPriceOverride,
  type StoredSubscription,
  type SubscriptionEdit,
  type SubscriptionPatch,
  type WorkflowRun
} from "./state";
import { creditGrantView, customerView, featureView, subscriptionView } from "./views";

export type Input = Record<string, unknown>;
type Plan = Catalog["plans"][number];
type PlanPackage = NonNullable<SubscriptionPatch["plan"]>;

/** A change asked of the environment from a test or the control endpoint that it cannot make; says why. */
export class StateEditError extends Error {
  constructor(
    message: string,
    readonly notFound = false
  ) {
    super(message);
  }
}

export function stiggError(code: string, message: string, traceId: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, traceId } });
}

function list<T = Input>(value: unknown): T[] {
  return (value as T[] | null | undefined) ?? [];
}

function optional<T>(value: unknown): T | undefined {
  return value === null ? undefined : (value as T | undefined);
}

/** A change the update asks for, before it is applied now or scheduled. */
interface PendingChange {
  type: ScheduledChange["type"];
  downgrade: boolean;
  variables: ScheduledChange["variables"];
  patch: SubscriptionPatch;
}

export class Environment {
  readonly customers = new Map<string, StoredCustomer>();
  readonly subscriptions: StoredSubscription[] = [];
  readonly creditGrants: StoredCreditGrant[] = [];
  readonly workflowRuns: WorkflowRun[] = [];
  /** Current usage per customer and feature ("customerId|featureId"), as reported to Stigg by the product. */
  readonly usage = new Map<string, number>();
  private counters = { trace: 0, entitlement: 0, grant: 0, execution: 0 };

  constructor(
    readonly slug: string,
    readonly catalog: Catalog,
    private readonly paymentRequiredPlans: Set<string>,
    readonly clock: EnvironmentClock = new EnvironmentClock()
  ) {}

  /**
   * Forgets everything stored and starts the clock over (the collections stay the same objects, so references
   * to them stay valid).
   */
  reset(): void {
    this.customers.clear();
    this.subscriptions.length = 0;
    this.creditGrants.length = 0;
    this.workflowRuns.length = 0;
    this.usage.clear();
    this.counters = { trace: 0, entitlement: 0, grant: 0, execution: 0 };
    this.clock.restart();
  }

  nextTraceId(): string {
    return `trace-${String(++this.counters.trace).padStart(6, "0")}`;
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  private now(): string {
    return iso(this.nowMs());
  }

  /** Root resolvers, in the shape graphql-js's default resolver calls with (args). */
  rootValue(): Record<string, (args: Input) => unknown> {
    return {
      currentEnvironment: () => this.slug,
      provisionCustomer: (args) => this.provisionCustomer(args.input as Input),
      provisionSubscriptionV2: (args) => this.provisionSubscription(args.input as Input),
      updateOneSubscription: (args) => this.updateSubscription(args.input as Input),
      cancelSubscription: (args) => this.cancelSubscription(args.input as Input),
      createCreditGrant: (args) => this.createCreditGrant(args.input as Input),
      triggerWorkflow: (args) => this.triggerWorkflow(args.input as Input),
      subscriptions: (args) => this.findSubscriptions(args.filter as Input | undefined),
      getSubscription: (args) => subscriptionView(this, this.subscriptionOrFail((args.input as Input).subscriptionId)),
      getActiveSubscriptions: (args) => this.activeSubscriptions(args.input as Input),
      getCustomerByRefId: (args) => customerView(this, this.customerOrFail((args.input as Input).customerId as string)),
      creditBalanceSummary: (args) => this.creditBalanceSummary(args.input as Input),
      creditGrants: (args) => this.creditGrantsOf(args.input as Input),
      entitlementsState: (args) => this.entitlementsState(args.query as Input)
    };
  }

  // ---------------------------------------------------------------- catalog lookups

  plan(planId: string): Plan | undefined {
    return this.catalog.plans.find((plan) => plan.planId === planId);
  }

  addon(addonId: string) {
    return this.catalog.addons.find((addon) => addon.addonId === addonId);
  }

  feature(featureId: string) {
    return this.catalog.features.find((feature) => feature.featureId === featureId);
  }

  currency(currencyId: string) {
    return this.catalog.currencies.find((currency) => currency.currencyId === currencyId);
  }

  private productOf(plan: Plan) {
    return this.catalog.products.find((product) => product.productId === plan.productId) ?? this.catalog.products[0];
  }

  // ---------------------------------------------------------------- time

  /** The billing period the subscription is in now: the trial while it lasts, otherwise counted from its anchor. */
  currentPeriod(subscription: StoredSubscription): { startMs: number; endMs: number } {
    if (subscription.status === "IN_TRIAL" && subscription.trialEndDate !== null) {
      return { startMs: Date.parse(subscription.startDate), endMs: Date.parse(subscription.trialEndDate) };
    }
    return billingPeriodAt(Date.parse(subscription.billingAnchor), subscription.billingPeriod, this.nowMs());
  }

  private scheduleAt(subscription: StoredSubscription, when: ScheduleTime | "END_OF_BILLING_MONTH"): number {
    if (when === "END_OF_BILLING_MONTH" && subscription.status !== "IN_TRIAL") {
      return billingMonthEndAt(Date.parse(subscription.billingAnchor), this.nowMs());
    }
    return this.currentPeriod(subscription).endMs;
  }

  /** Brings every subscription to the clock's now, event by event in time order, and grants recurring credits. */
  catchUp(): void {
    const now = this.nowMs();
    for (const subscription of this.subscriptions) {
      for (;;) {
        const event = this.nextEvent(subscription, now);
        if (!event) break;
        event();
      }
    }
    this.grantRecurringCredits(now);
  }

  private nextEvent(subscription: StoredSubscription, now: number): (() => void) | null {
    if (!LIVE_STATUSES.includes(subscription.status)) return null;
    const candidates: [number, () => void][] = [];
    if (subscription.status === "NOT_STARTED") {
      candidates.push([Date.parse(subscription.startDate), () => (subscription.status = "ACTIVE")]);
    }
    if (subscription.status === "IN_TRIAL" && subscription.trialEndDate !== null) {
      const trialEnd = subscription.trialEndDate;
      candidates.push([
        Date.parse(trialEnd),
        () => {
          if (subscription.trialEndBehavior === "CANCEL_SUBSCRIPTION") {
            subscription.status = "EXPIRED";
            subscription.endDate = trialEnd;
            subscription.scheduledChanges = [];
          } else {
            subscription.status = "ACTIVE";
          }
        }
      ]);
    }
    if (subscription.endDate !== null) {
      candidates.push([
        Date.parse(subscription.endDate),
        () => {
          subscription.status = "CANCELED";
          subscription.scheduledChanges = [];
        }
      ]);
    }
    for (const change of subscription.scheduledChanges) {
      candidates.push([
        Date.parse(change.executeAt),
        () => {
          subscription.scheduledChanges = subscription.scheduledChanges.filter((other) => other !== change);
          this.applyPatch(subscription, change.patch, change.executeAt);
        }
      ]);
    }
    const due = candidates.filter(([at]) => at <= now).sort((a, b) => a[0] - b[0]);
    return due.length > 0 ? due[0][1] : null;
  }

  private grantRecurringCredits(now: number): void {
    for (const subscription of this.subscriptions) {
      if (!this.grantsAccess(subscription)) continue;
      for (const credit of subscription.creditEntitlements) {
        const period = this.creditPeriod(subscription, credit, now);
        if (!period) continue;
        const effectiveAt = iso(period.startMs);
        const exists = this.creditGrants.some(
          (grant) =>
            grant.subscriptionId === subscription.subscriptionId &&
            grant.currencyId === credit.currencyId &&
            grant.effectiveAt === effectiveAt
        );
        if (exists) continue;
        this.creditGrants.push({
          grantId: this.nextGrantId(),
          customerId: subscription.customerId,
          currencyId: credit.currencyId,
          amount: credit.amount,
          consumedAmount: 0,
          displayName: `${this.plan(subscription.planId)?.displayName ?? subscription.planId} recurring credits`,
          grantType: "RECURRING",
          priority: 0,
          effectiveAt,
          expireAt: iso(period.endMs),
          voidedAt: null,
          comment: null,
          resourceId: subscription.resourceId,
          additionalMetaData: null,
          paymentCollectionMethod: null,
          createdAt: iso(now),
          subscriptionId: subscription.subscriptionId
        });
      }
    }
  }

  /** The period of a recurring credit entitlement that holds now, counted from the subscription's start. */
  private creditPeriod(subscription: StoredSubscription, credit: StoredCreditEntitlement, now: number) {
    const anchor = Date.parse(subscription.startDate);
    return now < anchor ? null : periodAt(anchor, credit.cadence === "YEAR" ? 12 : 1, now);
  }

  /** Whether the subscription grants its entitlements now. */
  grantsAccess(subscription: StoredSubscription): boolean {
    if (subscription.status !== "ACTIVE" && subscription.status !== "IN_TRIAL") return false;
    return subscription.cancellationAction !== "REVOKE_ENTITLEMENTS";
  }

  // ---------------------------------------------------------------- customers

  customerOrFail(customerId: string): StoredCustomer {
    const customer = this.customers.get(customerId);
    if (!customer) throw stiggError("CustomerNotFound", `Customer not found: ${customerId}`, this.nextTraceId());
    return customer;
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
      additionalMetaData: input.additionalMetaData ?? existing?.additionalMetaData ?? null,
      createdAt: existing?.createdAt ?? this.now()
    };
    this.customers.set(customerId, customer);
    return { customer: customerView(this, customer) };
  }

  // ---------------------------------------------------------------- subscriptions: checks shared by every write

  private nextEntitlementId(): string {
    return `00000000-0000-4000-8000-${(++this.counters.entitlement).toString(16).padStart(12, "0")}`;
  }

  private checkAddons(plan: Plan, entries: Input[], trace: string): StoredAddon[] {
    const addons: StoredAddon[] = [];
    for (const entry of entries) {
      const addonId = entry.addonId as string;
      const quantity = optional<number>(entry.quantity) ?? 1;
      const addon = this.addon(addonId);
      if (!addon) throw stiggError("AddonNotFound", `Addon not found: ${addonId}`, trace);
      if (plan.compatibleAddons !== null && !plan.compatibleAddons.includes(addonId)) {
        throw stiggError(
          "IncompatibleSubscriptionAddon",
          `Addon ${addonId} is not compatible with plan ${plan.planId}`,
          trace
        );
      }
      if (addons.some((other) => other.addonId === addonId)) {
        throw stiggError("DuplicateAddonProvisionedError", `Addon ${addonId} is listed more than once`, trace);
      }
      if (quantity < 1) throw stiggError("InvalidQuantity", `Quantity of addon ${addonId} must be at least 1`, trace);
      if (addon.maxQuantity !== null && quantity > addon.maxQuantity) {
        throw stiggError(
          "AddonQuantityExceedsLimitError",
          `Quantity ${quantity} of addon ${addonId} exceeds its limit of ${addon.maxQuantity}`,
          trace
        );
      }
      addons.push({ addonId, quantity });
    }
    return addons;
  }

  /** Custom entitlements from subscriptionEntitlements and the feature entries of entitlements. */
  private checkEntitlements(
    input: Input,
    existing: StoredEntitlement[],
    trace: string
  ): StoredEntitlement[] | undefined {
    const legacy = optional<Input[]>(input.subscriptionEntitlements);
    const v2 = optional<Input[]>(input.entitlements);
    if (legacy === undefined && v2 === undefined) return undefined;
    const entries = [...list(legacy), ...list(v2).flatMap((entry) => (entry.feature ? [entry.feature as Input] : []))];
    const entitlements: StoredEntitlement[] = [];
    for (const entry of entries) {
      const byId =
        typeof entry.id === "string" ? existing.find((entitlement) => entitlement.id === entry.id) : undefined;
      const featureId = (entry.featureId as string | undefined) ?? byId?.featureId;
      if (featureId === undefined) {
        throw stiggError(
          "BadUserInput",
          "A subscription entitlement needs featureId, or the id of an existing one",
          trace
        );
      }
      if (!this.feature(featureId)) throw stiggError("FeatureNotFound", `Feature not found: ${featureId}`, trace);
      const usageLimit = optional<number>(entry.usageLimit);
      if (usageLimit !== undefined && usageLimit < 0) {
        throw stiggError("InvalidArgumentError", `usageLimit of ${featureId} cannot be negative`, trace);
      }
      const previous = byId ?? existing.find((entitlement) => entitlement.featureId === featureId);
      const stored: StoredEntitlement = {
        id: previous?.id ?? this.nextEntitlementId(),
        featureId,
        usageLimit: usageLimit ?? null,
        hasUnlimitedUsage: optional<boolean>(entry.hasUnlimitedUsage) ?? false,
        hasSoftLimit: optional<boolean>(entry.hasSoftLimit) ?? false,
        resetPeriod: optional<string>(entry.resetPeriod) ?? null
      };
      const duplicate = entitlements.findIndex((entitlement) => entitlement.featureId === featureId);
      if (duplicate >= 0) entitlements[duplicate] = stored;
      else entitlements.push(stored);
    }
    return entitlements;
  }

  private checkCreditEntitlements(input: Input, trace: string): StoredCreditEntitlement[] | undefined {
    const v2 = optional<Input[]>(input.entitlements);
    if (v2 === undefined) return undefined;
    return v2.flatMap((entry) => {
      if (!entry.credit) return [];
      const credit = entry.credit as Input;
      const currencyId = credit.customCurrencyId as string;
      if (!this.currency(currencyId)) {
        throw stiggError("CustomCurrencyNotFound", `Custom currency not found: ${currencyId}`, trace);
      }
      const amount = credit.amount as number;
      if (!(amount > 0)) {
        throw stiggError("InvalidArgumentError", `The amount of ${currencyId} credits must be positive`, trace);
      }
      return [{ currencyId, amount, cadence: credit.cadence as StoredCreditEntitlement["cadence"] }];
    });
  }

  private checkPriceOverrides(
    plan: Plan,
    addons: StoredAddon[],
    entries: Input[],
    trace: string
  ): StoredPriceOverride[] {
    return entries.map((entry) => {
      const price = entry.price as Input | undefined;
      const baseCharge = entry.baseCharge === true;
      const featureId = optional<string>(entry.featureId) ?? null;
      const addonId = optional<string>(entry.addonId) ?? null;
      const target = baseCharge ? "the base charge" : addonId !== null ? `addon ${addonId}` : `feature ${featureId}`;
      if (!price) throw stiggError("InvalidArgumentError", `The price override of ${target} needs a price`, trace);
      const currency = (optional<string>(price.currency) ?? CATALOG_CURRENCY) as string;
      if (currency !== CATALOG_CURRENCY) {
        throw stiggError("PriceNotFound", `Plan ${plan.planId} has no price in ${currency}`, trace);
      }
      const priced = baseCharge
        ? plan.prices.some((candidate) => candidate.billingModel === "FLAT_FEE")
        : addonId !== null
          ? addons.some((addon) => addon.addonId === addonId)
          : plan.prices.some((candidate) => candidate.featureId === featureId);
      if (!priced) throw stiggError("PriceNotFound", `Plan ${plan.planId} has no price for ${target}`, trace);
      return { baseCharge, featureId, addonId, amount: price.amount as number, currency };
    });
  }

  private checkQuantity(value: unknown, what: string, trace: string): number | undefined {
    const quantity = optional<number>(value);
    if (quantity !== undefined && !(quantity > 0)) {
      throw stiggError("InvalidQuantity", `${what} must be greater than 0, not ${quantity}`, trace);
    }
    return quantity;
  }

  private checkBillableFeatures(entries: Input[], trace: string): { featureId: string; quantity: number }[] {
    return entries.map((entry) => {
      const featureId = entry.featureId as string;
      if (!this.feature(featureId)) throw stiggError("FeatureNotFound", `Feature not found: ${featureId}`, trace);
      return { featureId, quantity: this.checkQuantity(entry.quantity, `Quantity of ${featureId}`, trace) as number };
    });
  }

  private checkBillingPeriod(plan: Plan, period: BillingPeriod, trace: string): void {
    if (plan.prices.length > 0 && plan.prices.every((price) => price.amounts[period] === undefined)) {
      throw stiggError("PriceNotFound", `Plan ${plan.planId} has no ${period} price`, trace);
    }
  }

  /** The whole package a provisioning asks for, checked against the catalog. */
  private packageOf(plan: Plan, input: Input, trace: string): PlanPackage {
    const addons = this.checkAddons(plan, list(input.addons), trace);
    const entitlements = this.checkEntitlements(input, [], trace) ?? [];
    const creditEntitlements = this.checkCreditEntitlements(input, trace) ?? [];
    const billingPeriod = (optional<BillingPeriod>(input.billingPeriod) ?? "MONTHLY") as BillingPeriod;
    this.checkBillingPeriod(plan, billingPeriod, trace);
    return {
      planId: plan.planId,
      addons,
      billingPeriod,
      unitQuantity: this.checkQuantity(input.unitQuantity, "unitQuantity", trace) ?? null,
      billableFeatures: this.checkBillableFeatures(list(input.billableFeatures), trace),
      entitlements,
      creditEntitlements,
      priceOverrides: this.checkPriceOverrides(plan, addons, list(input.priceOverrides), trace)
    };
  }

  // ---------------------------------------------------------------- subscriptions: writes

  subscriptionOrFail(subscriptionId: unknown, trace = this.nextTraceId()): StoredSubscription {
    if (typeof subscriptionId !== "string" || subscriptionId === "") {
      throw stiggError("BadUserInput", "subscriptionId is required", trace);
    }
    const subscription = this.subscriptions.find((candidate) => candidate.subscriptionId === subscriptionId);
    if (!subscription) throw stiggError("SubscriptionNotFound", `Subscription not found: ${subscriptionId}`, trace);
    return subscription;
  }

  private liveOrFail(subscription: StoredSubscription, trace: string): void {
    if (!LIVE_STATUSES.includes(subscription.status)) {
      throw stiggError(
        "SubscriptionAlreadyCanceledOrExpired",
        `Subscription ${subscription.subscriptionId} is already ${subscription.status === "EXPIRED" ? "expired" : "canceled"}`,
        trace
      );
    }
  }

  private provisionSubscription(input: Input) {
    const trace = this.nextTraceId();
    const customerId = input.customerId as string;
    if (!this.customers.has(customerId)) {
      throw stiggError("CustomerNotFound", `Customer not found: ${customerId}`, trace);
    }
    const plan = this.plan(input.planId as string);
    if (!plan) throw stiggError("PlanNotFound", `Plan not found: ${String(input.planId)}`, trace);
    const planPackage = this.packageOf(plan, input, trace);
    if (this.paymentRequiredPlans.has(plan.planId)) {
      return {
        status: "PAYMENT_REQUIRED",
        checkoutUrl: `https://checkout.example.test/${trace}`,
        isScheduled: false,
        subscription: null
      };
    }
    const requestedId = optional<string>(input.subscriptionId) ?? optional<string>(input.refId);
    let target: StoredSubscription | undefined;
    if (requestedId !== undefined) {
      target = this.subscriptions.find((subscription) => subscription.subscriptionId === requestedId);
      if (target && target.customerId !== customerId) {
        throw stiggError(
          "DuplicatedEntityNotAllowed",
          `Subscription ${requestedId} belongs to another customer`,
          trace
        );
      }
      if (target) this.liveOrFail(target, trace);
    } else if (!this.productOf(plan).multipleSubscriptions) {
      target = this.subscriptions.find(
        (subscription) =>
          subscription.customerId === customerId &&
          LIVE_STATUSES.includes(subscription.status) &&
          this.plan(subscription.planId)?.productId === plan.productId
      );
    }
    if (target) return this.changePlan(target, plan, planPackage, input);
    return this.createSubscription(requestedId, customerId, planPackage, input);
  }

  private createSubscription(
    requestedId: string | undefined,
    customerId: string,
    planPackage: PlanPackage,
    input: Input
  ) {
    const trial = optional<Input>(input.trialOverrideConfiguration);
    const now = this.now();
    const startDate = optional<string>(input.startDate) ?? now;
    const isTrial = trial?.isTrial === true && input.skipTrial !== true;
    const trialEndDate = isTrial
      ? (optional<string>(trial?.trialEndDate) ?? iso(addMonths(Date.parse(startDate), 1)))
      : null;
    const status: StoredSubscription["status"] = isTrial
      ? "IN_TRIAL"
      : Date.parse(startDate) > this.nowMs()
        ? "NOT_STARTED"
        : "ACTIVE";
    // Like Stigg, provisioning again creates another subscription: callers must look before they write.
    const subscription: StoredSubscription = {
      subscriptionId: requestedId ?? `subscription-${planPackage.planId}-${this.subscriptions.length + 1}`,
      customerId,
      planId: planPackage.planId,
      status,
      salesforceId: optional<string>(input.salesforceId) ?? null,
      resourceId: optional<string>(input.resourceId) ?? null,
      addons: planPackage.addons,
      entitlements: planPackage.entitlements,
      creditEntitlements: planPackage.creditEntitlements,
      priceOverrides: planPackage.priceOverrides,
      billingPeriod: planPackage.billingPeriod,
      unitQuantity: planPackage.unitQuantity,
      billableFeatures: planPackage.billableFeatures,
      startDate,
      billingAnchor: trialEndDate ?? startDate,
      trialEndDate,
      trialEndBehavior: (optional<string>(trial?.trialEndBehavior) ??
        "CONVERT_TO_PAID") as StoredSubscription["trialEndBehavior"],
      cancellationDate: null,
      endDate: optional<string>(input.cancellationDate) ?? null,
      cancellationAction: null,
      paymentCollectionMethod: optional<string>(input.paymentCollectionMethod) ?? null,
      additionalMetaData: input.additionalMetaData ?? null,
      scheduledChanges: [],
      createdAt: now,
      updatedAt: now
    };
    this.subscriptions.push(subscription);
    return {
      status: "SUCCESS",
      checkoutUrl: null,
      isScheduled: false,
      subscription: subscriptionView(this, subscription)
    };
  }

  /** Provisioning onto an existing subscription: a plan change, now or when the schedule says. */
  private changePlan(subscription: StoredSubscription, plan: Plan, planPackage: PlanPackage, input: Input) {
    const current = this.plan(subscription.planId);
    const downgrade = current !== undefined && plan.rank < current.rank;
    const strategy = optional<string>(input.scheduleStrategy);
    const when = strategy ?? (downgrade ? this.productOf(plan).downgradesAt : "IMMEDIATE");
    // Stigg: a new update replaces the updates scheduled before it.
    subscription.scheduledChanges = [];
    if (input.salesforceId !== undefined && input.salesforceId !== null) {
      subscription.salesforceId = input.salesforceId as string;
    }
    const patch: SubscriptionPatch = { plan: planPackage };
    if (input.additionalMetaData !== undefined) patch.additionalMetaData = input.additionalMetaData;
    if (when === "IMMEDIATE") {
      this.applyPatch(subscription, patch, this.now());
      return {
        status: "SUCCESS",
        checkoutUrl: null,
        isScheduled: false,
        subscription: subscriptionView(this, subscription)
      };
    }
    const addons = planPackage.addons.map((addon) => ({ addonRefId: addon.addonId, quantity: addon.quantity }));
    subscription.scheduledChanges.push({
      type: downgrade ? "Downgrade" : "Plan",
      executeAt: iso(this.scheduleAt(subscription, when as ScheduleTime | "END_OF_BILLING_MONTH")),
      variables: downgrade
        ? {
            __typename: "DowngradeChangeVariables",
            downgradePlanRefId: plan.planId,
            billingPeriod: planPackage.billingPeriod,
            addons
          }
        : {
            __typename: "PlanChangeVariables",
            planRefId: plan.planId,
            changeType: current === undefined || plan.rank === current.rank ? "NONE" : "UPGRADE",
            billingPeriod: planPackage.billingPeriod,
            addons
          },
      patch
    });
    subscription.updatedAt = this.now();
    return {
      status: "SUCCESS",
      checkoutUrl: null,
      isScheduled: true,
      subscription: subscriptionView(this, subscription)
    };
  }

  private updateSubscription(input: Input) {
    const trace = this.nextTraceId();
    const subscription = this.subscriptionOrFail(
      optional<string>(input.subscriptionId) ?? optional<string>(input.refId),
      trace
    );
    this.liveOrFail(subscription, trace);
    const plan = this.plan(subscription.planId) as Plan;
    const changes: PendingChange[] = [];

    const addonEntries = optional<Input[]>(input.addons);
    const addons = addonEntries === undefined ? undefined : this.checkAddons(plan, addonEntries, trace);
    if (addons !== undefined) {
      const ids = new Set([...subscription.addons, ...addons].map((addon) => addon.addonId));
      for (const addonId of ids) {
        const before = subscription.addons.find((addon) => addon.addonId === addonId)?.quantity ?? 0;
        const after = addons.find((addon) => addon.addonId === addonId)?.quantity ?? 0;
        if (before === after) continue;
        changes.push({
          type: "Addon",
          downgrade: after < before,
          variables: { __typename: "AddonChangeVariables", addonRefId: addonId, newQuantity: after },
          patch: { addon: { addonId, quantity: after } }
        });
      }
    }
    const unitQuantity = this.checkQuantity(input.unitQuantity, "unitQuantity", trace);
    if (unitQuantity !== undefined && unitQuantity !== subscription.unitQuantity) {
      changes.push({
        type: "UnitAmount",
        downgrade: unitQuantity < (subscription.unitQuantity ?? 0),
        variables: {
          __typename: "UnitAmountChangeVariables",
          featureId: plan.prices.find((price) => price.billingModel === "PER_UNIT")?.featureId ?? null,
          newUnitAmount: unitQuantity
        },
        patch: { unitQuantity }
      });
    }
    for (const billable of this.checkBillableFeatures(list(input.billableFeatures), trace)) {
      const before =
        subscription.billableFeatures.find((entry) => entry.featureId === billable.featureId)?.quantity ?? 0;
      if (before === billable.quantity) continue;
      changes.push({
        type: "UnitAmount",
        downgrade: billable.quantity < before,
        variables: {
          __typename: "UnitAmountChangeVariables",
          featureId: billable.featureId,
          newUnitAmount: billable.quantity
        },
        patch: { billableFeature: billable }
      });
    }
    const billingPeriod = optional<BillingPeriod>(input.billingPeriod);
    if (billingPeriod !== undefined && billingPeriod !== subscription.billingPeriod) {
      this.checkBillingPeriod(plan, billingPeriod, trace);
      changes.push({
        type: "BillingPeriod",
        downgrade: billingPeriod === "MONTHLY",
        variables: { __typename: "BillingPeriodChangeVariables", billingPeriod },
        patch: { billingPeriod }
      });
    }
    const overrides = optional<Input[]>(input.priceOverrides);
    if (overrides !== undefined) {
      for (const override of this.checkPriceOverrides(plan, addons ?? subscription.addons, overrides, trace)) {
        changes.push({
          type: "PriceOverride",
          downgrade: false,
          variables:
            override.addonId !== null
              ? {
                  __typename: "AddonPriceOverrideChangeVariables",
                  addonRefId: override.addonId,
                  featureId: override.featureId
                }
              : {
                  __typename: "PlanPriceOverrideChangeVariables",
                  planRefId: plan.planId,
                  featureId: override.featureId
                },
          patch: { priceOverride: override }
        });
      }
    }
    if (input.additionalMetaData !== undefined && input.additionalMetaData !== null) {
      changes.push({
        type: "AdditionalMetaData",
        downgrade: false,
        variables: null,
        patch: { additionalMetaData: input.additionalMetaData }
      });
    }
    const credits = this.checkCreditEntitlements(input, trace);
    if (credits !== undefined) {
      const currencies = new Set([...subscription.creditEntitlements, ...credits].map((credit) => credit.currencyId));
      for (const currencyId of currencies) {
        const before = subscription.creditEntitlements.find((credit) => credit.currencyId === currencyId);
        const after = credits.find((credit) => credit.currencyId === currencyId);
        if (before?.amount === after?.amount && before?.cadence === after?.cadence) continue;
        changes.push({
          type: "RecurringCredits",
          downgrade: (after?.amount ?? 0) < (before?.amount ?? 0),
          variables: {
            __typename: "RecurringCreditsChangeVariables",
            customCurrencyId: currencyId,
            newQuantity: after?.amount ?? 0
          },
          patch: { creditEntitlement: after ?? { currencyId, amount: 0, cadence: before?.cadence ?? "MONTH" } }
        });
      }
    }
    const entitlements = this.checkEntitlements(input, subscription.entitlements, trace);
    const cancellationDate = optional<string>(input.cancellationDate);
    if (cancellationDate !== undefined && Date.parse(cancellationDate) <= this.nowMs()) {
      throw stiggError("InvalidCancellationDate", `cancellationDate ${cancellationDate} is not in the future`, trace);
    }

    // Everything is checked: now change the subscription. Like Stigg, an update of what can be scheduled
    // replaces the updates scheduled before it, even when it asks for what the subscription has now.
    const now = this.now();
    const strategy = optional<string>(input.scheduleStrategy);
    const schedulable = [
      "addons",
      "unitQuantity",
      "billableFeatures",
      "billingPeriod",
      "priceOverrides",
      "entitlements"
    ];
    if (changes.length > 0 || schedulable.some((key) => optional(input[key]) !== undefined)) {
      subscription.scheduledChanges = [];
    }
    for (const change of changes) {
      const when = strategy ?? (change.downgrade ? this.productOf(plan).downgradesAt : "IMMEDIATE");
      if (when === "IMMEDIATE") {
        this.applyPatch(subscription, change.patch, now);
      } else {
        subscription.scheduledChanges.push({
          type: change.type,
          executeAt: iso(this.scheduleAt(subscription, when as ScheduleTime | "END_OF_BILLING_MONTH")),
          variables: change.variables,
          patch: change.patch
        });
      }
    }
    if (entitlements !== undefined) subscription.entitlements = entitlements;
    if (input.salesforceId !== undefined && input.salesforceId !== null) {
      subscription.salesforceId = input.salesforceId as string;
    }
    const trialEndDate = optional<string>(input.trialEndDate);
    if (trialEndDate !== undefined && subscription.status === "IN_TRIAL") {
      subscription.trialEndDate = trialEndDate;
      subscription.billingAnchor = trialEndDate;
    }
    if (cancellationDate !== undefined) subscription.endDate = cancellationDate;
    subscription.updatedAt = now;
    return subscriptionView(this, subscription);
  }

  /** Sets what a change sets; `at` is when it takes effect (a billing period change starts a new period there). */
  private applyPatch(subscription: StoredSubscription, patch: SubscriptionPatch, at: string): void {
    if (patch.plan) {
      const planPackage = patch.plan;
      if (planPackage.billingPeriod !== subscription.billingPeriod) subscription.billingAnchor = at;
      subscription.planId = planPackage.planId;
      subscription.addons = planPackage.addons.map((addon) => ({ ...addon }));
      subscription.billingPeriod = planPackage.billingPeriod;
      subscription.unitQuantity = planPackage.unitQuantity;
      subscription.billableFeatures = planPackage.billableFeatures.map((entry) => ({ ...entry }));
      subscription.entitlements = planPackage.entitlements.map((entitlement) => ({ ...entitlement }));
      subscription.creditEntitlements = planPackage.creditEntitlements.map((credit) => ({ ...credit }));
      subscription.priceOverrides = planPackage.priceOverrides.map((override) => ({ ...override }));
    }
    if (patch.addon) {
      const { addonId, quantity } = patch.addon;
      const existing = subscription.addons.find((addon) => addon.addonId === addonId);
      if (quantity === 0) subscription.addons = subscription.addons.filter((addon) => addon.addonId !== addonId);
      else if (existing) existing.quantity = quantity;
      else subscription.addons.push({ addonId, quantity });
    }
    if (patch.unitQuantity !== undefined) subscription.unitQuantity = patch.unitQuantity;
    if (patch.billableFeature) {
      const { featureId, quantity } = patch.billableFeature;
      subscription.billableFeatures = [
        ...subscription.billableFeatures.filter((entry) => entry.featureId !== featureId),
        { featureId, quantity }
      ];
    }
    if (patch.billingPeriod !== undefined && patch.billingPeriod !== subscription.billingPeriod) {
      subscription.billingPeriod = patch.billingPeriod;
      subscription.billingAnchor = at;
    }
    if (patch.priceOverride) {
      const override = patch.priceOverride;
      subscription.priceOverrides = [
        ...subscription.priceOverrides.filter(
          (other) =>
            other.baseCharge !== override.baseCharge ||
            other.featureId !== override.featureId ||
            other.addonId !== override.addonId
        ),
        override
      ];
    }
    if (patch.additionalMetaData !== undefined) subscription.additionalMetaData = patch.additionalMetaData;
    if (patch.creditEntitlement) {
      const credit = patch.creditEntitlement;
      subscription.creditEntitlements = subscription.creditEntitlements.filter(
        (other) => other.currencyId !== credit.currencyId
      );
      if (credit.amount > 0) subscription.creditEntitlements.push({ ...credit });
    }
    subscription.updatedAt = at;
  }

  private cancelSubscription(input: Input) {
    const trace = this.nextTraceId();
    const subscription = this.subscriptionOrFail(input.subscriptionRefId, trace);
    this.liveOrFail(subscription, trace);
    const time = optional<string>(input.subscriptionCancellationTime) ?? "IMMEDIATE";
    const now = this.nowMs();
    let endMs: number;
    if (time === "SPECIFIC_DATE") {
      const endDate = optional<string>(input.endDate);
      if (endDate === undefined) {
        throw stiggError("InvalidCancellationDate", "endDate is required to cancel on a SPECIFIC_DATE", trace);
      }
      endMs = Date.parse(endDate);
      if (Number.isNaN(endMs) || endMs <= now) {
        throw stiggError("InvalidCancellationDate", `endDate ${endDate} is not a date in the future`, trace);
      }
    } else if (time === "END_OF_BILLING_PERIOD" && subscription.status !== "NOT_STARTED") {
      endMs = this.currentPeriod(subscription).endMs;
    } else {
      endMs = now;
    }
    subscription.cancellationDate = iso(now);
    subscription.endDate = iso(endMs);
    subscription.cancellationAction = (optional<string>(input.subscriptionCancellationAction) ??
      "DEFAULT") as StoredSubscription["cancellationAction"];
    subscription.scheduledChanges = [];
    subscription.updatedAt = iso(now);
    if (endMs <= now) subscription.status = "CANCELED";
    return subscriptionView(this, subscription);
  }

  // ---------------------------------------------------------------- subscriptions: reads

  private findSubscriptions(filter: Input | undefined) {
    const fields: Record<string, (subscription: StoredSubscription) => string | null> = {
      salesforceId: (subscription) => subscription.salesforceId,
      customerId: (subscription) => subscription.customerId,
      subscriptionId: (subscription) => subscription.subscriptionId,
      resourceId: (subscription) => subscription.resourceId,
      status: (subscription) => subscription.status
    };
    const comparisons = ["eq", "neq", "in", "notIn"];
    for (const [key, comparison] of Object.entries(filter ?? {})) {
      if (!fields[key]) {
        throw stiggError("BadUserInput", `fake-stigg does not filter subscriptions by ${key}`, this.nextTraceId());
      }
      for (const operator of Object.keys(comparison as Input)) {
        if (!comparisons.includes(operator)) {
          throw stiggError(
            "BadUserInput",
            `fake-stigg compares ${key} with ${comparisons.join(", ")} only`,
            this.nextTraceId()
          );
        }
      }
    }
    const matches = (value: string | null, comparison: Input): boolean =>
      Object.entries(comparison).every(([operator, operand]) => {
        if (operator === "eq") return value === operand;
        if (operator === "neq") return value !== operand;
        if (operator === "in") return (operand as string[]).includes(value ?? "");
        return !(operand as string[]).includes(value ?? "");
      });
    const found = this.subscriptions.filter((subscription) =>
      Object.entries(filter ?? {}).every(([key, comparison]) => matches(fields[key](subscription), comparison as Input))
    );
    return { edges: found.map((subscription) => ({ node: subscriptionView(this, subscription) })) };
  }

  private activeSubscriptions(input: Input) {
    this.customerOrFail(input.customerId as string);
    const resources = [
      ...(optional<string>(input.resourceId) === undefined ? [] : [input.resourceId as string]),
      ...list<string>(input.resourceIds)
    ];
    return this.subscriptions
      .filter(
        (subscription) =>
          subscription.customerId === input.customerId &&
          (subscription.status === "ACTIVE" || subscription.status === "IN_TRIAL") &&
          (resources.length === 0 || resources.includes(subscription.resourceId ?? ""))
      )
      .map((subscription) => subscriptionView(this, subscription));
  }

  // ---------------------------------------------------------------- credits

  private nextGrantId(): string {
    return `grant-${String(++this.counters.grant).padStart(6, "0")}`;
  }

  private createCreditGrant(input: Input) {
    const trace = this.nextTraceId();
    const customerId = input.customerId as string;
    if (!this.customers.has(customerId))
      throw stiggError("CustomerNotFound", `Customer not found: ${customerId}`, trace);
    const currencyId = input.currencyId as string;
    if (!this.currency(currencyId)) {
      throw stiggError("CustomCurrencyNotFound", `Custom currency not found: ${currencyId}`, trace);
    }
    const amount = input.amount as number;
    if (!(amount > 0)) throw stiggError("InvalidArgumentError", `amount must be positive, not ${amount}`, trace);
    const now = this.now();
    const effectiveAt = optional<string>(input.effectiveAt) ?? now;
    const expireAt = optional<string>(input.expireAt) ?? null;
    if (Number.isNaN(Date.parse(effectiveAt)) || (expireAt !== null && Number.isNaN(Date.parse(expireAt)))) {
      throw stiggError("BadUserInput", "effectiveAt and expireAt must be ISO date-times", trace);
    }
    if (expireAt !== null && Date.parse(expireAt) <= Date.parse(effectiveAt)) {
      throw stiggError(
        "ExpireAtMustBeLaterThanEffectiveAtError",
        `expireAt ${expireAt} must be later than effectiveAt ${effectiveAt}`,
        trace
      );
    }
    // Like Stigg, the same grant asked twice is granted twice: callers must look before they write.
    const grant: StoredCreditGrant = {
      grantId: this.nextGrantId(),
      customerId,
      currencyId,
      amount,
      consumedAmount: 0,
      displayName: input.displayName as string,
      grantType: input.grantType as CreditGrantType,
      priority: optional<number>(input.priority) ?? 0,
      effectiveAt,
      expireAt,
      voidedAt: null,
      comment: optional<string>(input.comment) ?? null,
      resourceId: optional<string>(input.resourceId) ?? null,
      additionalMetaData: input.additionalMetaData ?? null,
      paymentCollectionMethod: optional<string>(input.paymentCollectionMethod) ?? null,
      createdAt: now,
      subscriptionId: null
    };
    this.creditGrants.push(grant);
    return creditGrantView(this, grant);
  }

  /** ACTIVE, SCHEDULED, EXPIRED or VOIDED, on the environment's clock. */
  grantStatus(grant: StoredCreditGrant): string {
    const now = this.nowMs();
    if (grant.voidedAt !== null) return "VOIDED";
    if (grant.expireAt !== null && Date.parse(grant.expireAt) <= now) return "EXPIRED";
    if (Date.parse(grant.effectiveAt) > now) return "SCHEDULED";
    return "ACTIVE";
  }

  private grantsOf(input: Input): StoredCreditGrant[] {
    const trace = this.nextTraceId();
    this.customerOrFail(input.customerId as string);
    const currencyId = optional<string>(input.currencyId);
    if (currencyId !== undefined && !this.currency(currencyId)) {
      throw stiggError("CustomCurrencyNotFound", `Custom currency not found: ${currencyId}`, trace);
    }
    const resourceId = optional<string>(input.resourceId);
    return this.creditGrants.filter(
      (grant) =>
        grant.customerId === input.customerId &&
        (currencyId === undefined || grant.currencyId === currencyId) &&
        (resourceId === undefined || grant.resourceId === resourceId)
    );
  }

  private creditGrantsOf(input: Input) {
    return { edges: this.grantsOf(input).map((grant) => ({ node: creditGrantView(this, grant) })) };
  }

  private creditBalanceSummary(input: Input) {
    const active = this.grantsOf(input).filter((grant) => this.grantStatus(grant) === "ACTIVE");
    const currencies = [...new Set(active.map((grant) => grant.currencyId))];
    return {
      customerId: input.customerId,
      resourceId: optional<string>(input.resourceId) ?? null,
      balances: currencies.map((currencyId) => {
        const grants = active.filter((grant) => grant.currencyId === currencyId);
        const totalGranted = grants.reduce((sum, grant) => sum + grant.amount, 0);
        const totalConsumed = grants.reduce((sum, grant) => sum + grant.consumedAmount, 0);
        const currency = this.currency(currencyId);
        return {
          currencyId,
          currentBalance: totalGranted - totalConsumed,
          totalGranted,
          totalConsumed,
          currency: { currencyId, displayName: currency?.displayName ?? currencyId }
        };
      })
    };
  }

  // ---------------------------------------------------------------- workflows

  private triggerWorkflow(input: Input) {
    const trace = this.nextTraceId();
    const triggerId = input.triggerId as string;
    if (!this.catalog.workflowTriggers.includes(triggerId)) {
      throw stiggError("WorkflowTriggerNotFound", `Workflow trigger not found: ${triggerId}`, trace);
    }
    const run: WorkflowRun = {
      executionId: `execution-${String(++this.counters.execution).padStart(6, "0")}`,
      triggerId,
      payload: input.payload ?? null,
      isTest: input.isTest === true,
      triggeredAt: this.now()
    };
    this.workflowRuns.push(run);
    return { success: true, response: { executionId: run.executionId, triggerId, isTest: run.isTest } };
  }

  // ---------------------------------------------------------------- entitlements and usage

  /**
   * What the customer may use now, summed over its subscriptions that grant access: the plan's entitlements (a
   * custom entitlement of the subscription replaces the plan's for its feature), the per-unit feature counted by
   * the unit quantity, and each add-on's entitlements times its quantity. Unlimited wins over any limit.
   */
  private entitlementsState(query: Input) {
    const customer = this.customerOrFail(query.customerId as string);
    const resourceId = optional<string>(query.resourceId);
    const granted = new Map<string, { usageLimit: number; unlimited: boolean; resetPeriod: string | null }>();
    const grant = (
      featureId: string,
      usageLimit: number | null | undefined,
      unlimited: boolean,
      resetPeriod: string | null
    ) => {
      const entry = granted.get(featureId) ?? { usageLimit: 0, unlimited: false, resetPeriod: null };
      entry.usageLimit += usageLimit ?? 0;
      entry.unlimited ||= unlimited;
      entry.resetPeriod ??= resetPeriod;
      granted.set(featureId, entry);
    };
    for (const subscription of this.subscriptions) {
      if (subscription.customerId !== customer.customerId || !this.grantsAccess(subscription)) continue;
      if (resourceId !== undefined && subscription.resourceId !== resourceId) continue;
      const plan = this.plan(subscription.planId);
      const own = new Map<string, { usageLimit: number | null; unlimited: boolean; resetPeriod: string | null }>();
      for (const entitlement of plan?.entitlements ?? []) {
        own.set(entitlement.featureId, {
          usageLimit: entitlement.usageLimit ?? null,
          unlimited: entitlement.hasUnlimitedUsage ?? false,
          resetPeriod: null
        });
      }
      for (const price of plan?.prices ?? []) {
        if (price.billingModel !== "PER_UNIT" || price.featureId === undefined) continue;
        const quantity =
          subscription.billableFeatures.find((entry) => entry.featureId === price.featureId)?.quantity ??
          subscription.unitQuantity ??
          1;
        own.set(price.featureId, { usageLimit: quantity, unlimited: false, resetPeriod: null });
      }
      for (const entitlement of subscription.entitlements) {
        own.set(entitlement.featureId, {
          usageLimit: entitlement.usageLimit,
          unlimited: entitlement.hasUnlimitedUsage,
          resetPeriod: entitlement.resetPeriod
        });
      }
      for (const [featureId, entry] of own) grant(featureId, entry.usageLimit, entry.unlimited, entry.resetPeriod);
      for (const addon of subscription.addons) {
        for (const entitlement of this.addon(addon.addonId)?.entitlements ?? []) {
          grant(
            entitlement.featureId,
            entitlement.usageLimit === null || entitlement.usageLimit === undefined
              ? null
              : entitlement.usageLimit * addon.quantity,
            entitlement.hasUnlimitedUsage ?? false,
            null
          );
        }
      }
    }
    const entitlements = this.catalog.features
      .filter((feature) => granted.has(feature.featureId))
      .map((feature) => {
        const entry = granted.get(feature.featureId) as {
          usageLimit: number;
          unlimited: boolean;
          resetPeriod: string | null;
        };
        const counted = feature.featureType === "NUMBER";
        return {
          feature: featureView(this, feature.featureId),
          isGranted: true,
          usageLimit: counted && !entry.unlimited ? entry.usageLimit : null,
          hasUnlimitedUsage: counted && entry.unlimited,
          currentUsage: counted ? (this.usage.get(`${customer.customerId}|${feature.featureId}`) ?? 0) : null,
          resetPeriod: entry.resetPeriod,
          usagePeriodEnd: null
        };
      });
    return { entitlements };
  }

  /** Sets the current usage of a feature, as the customer's product reports it to Stigg. */
  setUsage(customerId: string, featureId: string, currentUsage: number): void {
    if (!this.customers.has(customerId)) throw new StateEditError(`No customer ${customerId}`, true);
    if (!this.feature(featureId)) throw new StateEditError(`No feature ${featureId} in the catalog`);
    if (typeof currentUsage !== "number" || !Number.isFinite(currentUsage) || currentUsage < 0) {
      throw new StateEditError(`Usage must be a number of at least 0, not ${JSON.stringify(currentUsage)}`);
    }
    this.usage.set(`${customerId}|${featureId}`, currentUsage);
  }

  /** Consumes credits from the customer's active grants: lowest priority number first, then the soonest to expire. */
  consumeCredits(customerId: string, currencyId: string, amount: number): void {
    if (!this.customers.has(customerId)) throw new StateEditError(`No customer ${customerId}`, true);
    if (typeof amount !== "number" || !(amount > 0)) {
      throw new StateEditError(`The amount to consume must be a positive number, not ${JSON.stringify(amount)}`);
    }
    this.catchUp();
    const grants = this.creditGrants
      .filter(
        (grant) =>
          grant.customerId === customerId && grant.currencyId === currencyId && this.grantStatus(grant) === "ACTIVE"
      )
      .sort(
        (a, b) =>
          a.priority - b.priority ||
          (a.expireAt === null ? Infinity : Date.parse(a.expireAt)) -
            (b.expireAt === null ? Infinity : Date.parse(b.expireAt))
      );
    const available = grants.reduce((sum, grant) => sum + grant.amount - grant.consumedAmount, 0);
    if (amount > available) {
      throw new StateEditError(`${customerId} has ${available} ${currencyId} credits, fewer than ${amount}`);
    }
    let left = amount;
    for (const grant of grants) {
      const taken = Math.min(left, grant.amount - grant.consumedAmount);
      grant.consumedAmount += taken;
      left -= taken;
      if (left === 0) break;
    }
  }

  // ---------------------------------------------------------------- edits by hand

  /** Changes a subscription as someone editing it in the Stigg app would: no API call, no request recorded. */
  editSubscription(subscriptionId: string, edit: SubscriptionEdit): StoredSubscription {
    const subscription = this.subscriptions.find((candidate) => candidate.subscriptionId === subscriptionId);
    if (!subscription) throw new StateEditError(`No subscription ${subscriptionId}`, true);
    const known = [
      "planId",
      "addons",
      "entitlements",
      "creditEntitlements",
      "unitQuantity",
      "billingPeriod",
      "status",
      "salesforceId",
      "additionalMetaData"
    ];
    const unknown = Object.keys(edit).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      throw new StateEditError(`A subscription edit has no ${unknown.join(", ")}; it takes ${known.join(", ")}`);
    }
    if (!LIVE_STATUSES.includes(subscription.status)) {
      throw new StateEditError(
        `Subscription ${subscriptionId} is ${subscription.status}: the Stigg app cannot edit it`
      );
    }
    // Check everything before changing anything.
    if (edit.planId !== undefined && !this.plan(edit.planId))
      throw new StateEditError(`No plan ${edit.planId} in the catalog`);
    for (const addon of edit.addons ?? []) {
      if (!this.addon(addon.addonId)) throw new StateEditError(`No add-on ${addon.addonId} in the catalog`);
      if (!Number.isInteger(addon.quantity) || addon.quantity < 1) {
        throw new StateEditError(`The quantity of ${addon.addonId} must be a whole number of at least 1`);
      }
    }
    for (const entitlement of edit.entitlements ?? []) {
      if (!this.feature(entitlement.featureId))
        throw new StateEditError(`No feature ${entitlement.featureId} in the catalog`);
    }
    for (const credit of edit.creditEntitlements ?? []) {
      if (!this.currency(credit.currencyId))
        throw new StateEditError(`No custom currency ${credit.currencyId} in the catalog`);
    }
    if (edit.status !== undefined && edit.status !== "CANCELED") {
      throw new StateEditError(`status can only be set to CANCELED (cancelled by hand), not ${String(edit.status)}`);
    }
    if (edit.billingPeriod !== undefined && edit.billingPeriod !== "MONTHLY" && edit.billingPeriod !== "ANNUALLY") {
      throw new StateEditError(`billingPeriod is MONTHLY or ANNUALLY, not ${String(edit.billingPeriod)}`);
    }

    const now = this.now();
    if (edit.planId !== undefined) subscription.planId = edit.planId;
    if (edit.addons !== undefined) subscription.addons = edit.addons.map((addon) => ({ ...addon }));
    if (edit.entitlements !== undefined) {
      subscription.entitlements = edit.entitlements.map((entitlement) => ({
        id:
          subscription.entitlements.find((other) => other.featureId === entitlement.featureId)?.id ??
          this.nextEntitlementId(),
        featureId: entitlement.featureId,
        usageLimit: entitlement.usageLimit ?? null,
        hasUnlimitedUsage: entitlement.hasUnlimitedUsage ?? false,
        hasSoftLimit: false,
        resetPeriod: null
      }));
    }
    if (edit.creditEntitlements !== undefined) {
      subscription.creditEntitlements = edit.creditEntitlements.map((credit) => ({ ...credit }));
    }
    if (edit.unitQuantity !== undefined) subscription.unitQuantity = edit.unitQuantity;
    if (edit.billingPeriod !== undefined && edit.billingPeriod !== subscription.billingPeriod) {
      subscription.billingPeriod = edit.billingPeriod;
      subscription.billingAnchor = now;
    }
    if (edit.salesforceId !== undefined) subscription.salesforceId = edit.salesforceId;
    if (edit.additionalMetaData !== undefined) subscription.additionalMetaData = edit.additionalMetaData;
    if (edit.status === "CANCELED") {
      subscription.status = "CANCELED";
      subscription.cancellationDate = now;
      subscription.endDate = now;
      subscription.scheduledChanges = [];
    }
    subscription.updatedAt = now;
    return subscription;
  }
}
