import { LightningElement, api, wire } from "lwc";
import { refreshApex } from "@salesforce/apex";
import getCard from "@salesforce/apex/StiggCardController.getCard";
import { errorMessage } from "c/stiggErrors";

type ViewState = "loading" | "ready" | "noCustomer" | "unreachable" | "noPermission" | "loadFailed";

interface SubscriptionRow {
  key: string;
  planLabel: string;
  url?: string;
  statusLabel: string;
  statusClass: string;
  details: string;
  isThisDeal: boolean;
  addons: { key: string; label: string }[];
  hasAddons: boolean;
}

interface EntitlementRow {
  key: string;
  name: string;
  summary: string;
  /** Share of the limit used, 0 to 100, for features with a limit. */
  percent?: number;
  hasMeter: boolean;
  meterLabel: string;
  meterStyle: string;
  overLimit: boolean;
}

interface CreditRow {
  key: string;
  name: string;
  summary: string;
}

const STATUS_LABELS: Record<StiggCardSubscription["status"], string> = {
  ACTIVE: "Active",
  IN_TRIAL: "In trial",
  NOT_STARTED: "Not started",
  PAYMENT_PENDING: "Payment pending"
};

const STATUS_CLASSES: Partial<Record<StiggCardSubscription["status"], string>> = {
  ACTIVE: "slds-badge slds-theme_success",
  PAYMENT_PENDING: "slds-badge slds-theme_warning"
};

const BILLING_PERIODS: Record<string, string> = { MONTHLY: "Monthly", ANNUALLY: "Annually" };

const RESET_PERIODS: Record<string, string> = {
  HOUR: "per hour",
  DAY: "per day",
  WEEK: "per week",
  MONTH: "per month",
  YEAR: "per year"
};

/** Salesforce's words when the user's profile or permission sets do not grant the Apex class. */
const NO_CLASS_ACCESS = /do not have access to the Apex class/i;

/** What the card says when an error carries no message: its header has a refresh button. */
const REFRESH_AND_RETRY = "Something went wrong. Refresh the page and try again.";

export const NO_PERMISSION_MESSAGE =
  "You need the Stigg User, Stigg Viewer or Stigg Admin permission set to see this customer's Stigg subscriptions. Ask your Salesforce admin to assign one.";

function number(value: number | undefined): string {
  return value === undefined || value === null ? "0" : value.toLocaleString();
}

function day(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleDateString(undefined, { timeZone: "UTC", dateStyle: "medium" }) : "";
}

/**
 * The Stigg card of Account and Opportunity pages: what the customer has in Stigg right now (live subscriptions,
 * entitlements with limits and usage, credit balances) with links into the Stigg app. Read only. Apex answers from
 * one call to Stigg and Lightning caches it; the card asks again when the answer is older than Apex says it should
 * be kept, and when the viewer clicks Refresh.
 */
export default class StiggCard extends LightningElement {
  @api recordId?: string;
  @api objectApiName?: string;

  card?: StiggCardAnswer;
  loadError = "";
  refreshing = false;
  /** The provisioned value of the wire, which refreshApex needs. */
  wired?: StiggWireResult<StiggCardAnswer>;
  /** The answer already refreshed for being stale, so a stale answer is refreshed once, not in a loop. */
  refreshedAnswer = "";

  @wire(getCard, { recordId: "$recordId" })
  wiredCard(result: StiggWireResult<StiggCardAnswer>): void {
    this.wired = result;
    if (result.data) {
      this.card = result.data;
      this.loadError = "";
      this.refreshIfStale(result.data);
    } else if (result.error) {
      this.card = undefined;
      this.loadError = errorMessage(result.error, REFRESH_AND_RETRY);
    }
  }

  /** Lightning may serve a cached answer: one older than the card keeps answers is asked for again, once. */
  refreshIfStale(card: StiggCardAnswer): void {
    const age = Date.now() - new Date(card.fetchedAt).getTime();
    if (age > card.cacheSeconds * 1000 && this.refreshedAnswer !== card.fetchedAt) {
      this.refreshedAnswer = card.fetchedAt;
      this.refresh();
    }
  }

  async refresh(): Promise<void> {
    if (!this.wired) return;
    this.refreshing = true;
    try {
      await refreshApex(this.wired);
    } catch (error) {
      this.loadError = errorMessage(error, REFRESH_AND_RETRY);
      this.card = undefined;
    } finally {
      this.refreshing = false;
    }
  }

  /**
   * The refresh and Retry buttons stay enabled while a refresh runs (a disabled button loses the keyboard focus);
   * a click meanwhile asks nothing more.
   */
  handleRefresh(): void {
    if (this.refreshing) return;
    this.refresh();
  }

  get viewState(): ViewState {
    if (this.loadError) return NO_CLASS_ACCESS.test(this.loadError) ? "noPermission" : "loadFailed";
    return this.card ? this.card.state : "loading";
  }

  get isLoading(): boolean {
    return this.viewState === "loading";
  }

  get isReady(): boolean {
    return this.viewState === "ready";
  }

  get isNoCustomer(): boolean {
    return this.viewState === "noCustomer";
  }

  get isUnreachable(): boolean {
    return this.viewState === "unreachable";
  }

  get isNoPermission(): boolean {
    return this.viewState === "noPermission";
  }

  get isLoadFailed(): boolean {
    return this.viewState === "loadFailed";
  }

  get message(): string {
    if (this.viewState === "noPermission" && this.loadError) return NO_PERMISSION_MESSAGE;
    if (this.viewState === "loadFailed") return `The Stigg card could not load: ${this.loadError}`;
    return this.card?.message ?? "";
  }

  get advice(): string {
    return this.card?.advice ?? "";
  }

  get failureDetail(): string {
    const card = this.card;
    if (!card?.code) return "";
    return card.traceId ? `Error code ${card.code}, trace ${card.traceId}` : `Error code ${card.code}`;
  }

  get retryHint(): string {
    return this.card?.retryable === false
      ? "Retrying will not help until this is fixed."
      : "This is usually temporary: try again in a moment.";
  }

  get refreshLabel(): string {
    return this.refreshing ? "Refreshing Stigg data" : "Refresh Stigg data";
  }

  get retryLabel(): string {
    return this.refreshing ? "Retrying…" : "Retry";
  }

  get customerLabel(): string {
    const card = this.card;
    if (!card) return "";
    return card.customerName ? `${card.customerName} (${card.customerId})` : (card.customerId ?? "");
  }

  get customerLinkLabel(): string {
    return `Open ${this.card?.customerName ?? this.card?.customerId ?? "the customer"} in Stigg`;
  }

  get hasSubscriptions(): boolean {
    return (this.card?.subscriptions.length ?? 0) > 0;
  }

  get hasEntitlements(): boolean {
    return (this.card?.entitlements.length ?? 0) > 0;
  }

  get hasCredits(): boolean {
    return (this.card?.credits.length ?? 0) > 0;
  }

  get subscriptions(): SubscriptionRow[] {
    return (this.card?.subscriptions ?? []).map((subscription) => {
      const details = [BILLING_PERIODS[subscription.billingPeriod ?? ""]];
      if (subscription.status === "IN_TRIAL" && subscription.trialEndDate) {
        details.push(`trial ends ${day(subscription.trialEndDate)}`);
      }
      if (subscription.status === "NOT_STARTED" && subscription.startDate) {
        details.push(`starts ${day(subscription.startDate)}`);
      }
      if (subscription.endDate) details.push(`ends ${day(subscription.endDate)}`);
      const addons = subscription.addons.map((addon) => ({
        key: `${subscription.subscriptionId}-${addon.addonId}`,
        label: `${addon.name ?? addon.addonId} × ${number(addon.quantity)}`
      }));
      return {
        key: subscription.subscriptionId,
        planLabel: subscription.planName ?? subscription.planId ?? subscription.subscriptionId,
        url: subscription.url,
        statusLabel: STATUS_LABELS[subscription.status] ?? subscription.status,
        statusClass: STATUS_CLASSES[subscription.status] ?? "slds-badge",
        details: details.filter(Boolean).join(" · "),
        isThisDeal: subscription.isThisDeal,
        addons,
        hasAddons: addons.length > 0
      };
    });
  }

  get entitlements(): EntitlementRow[] {
    return (this.card?.entitlements ?? []).map((entitlement) => {
      const name = entitlement.name ?? entitlement.featureId;
      const units = entitlement.units ? ` ${entitlement.units}` : "";
      const reset = entitlement.resetPeriod ? ` ${RESET_PERIODS[entitlement.resetPeriod]}` : "";
      let summary: string;
      let percent: number | undefined;
      if (entitlement.featureType === "BOOLEAN") {
        summary = entitlement.granted ? "Included" : "Not included";
      } else if (entitlement.unlimited) {
        summary = `Unlimited (${number(entitlement.currentUsage)}${units} used)`;
      } else {
        const limit = entitlement.usageLimit ?? 0;
        summary = `${number(entitlement.currentUsage)} of ${number(limit)}${units} used${reset}`;
        percent = limit > 0 ? Math.min(100, Math.round(((entitlement.currentUsage ?? 0) / limit) * 100)) : 100;
      }
      return {
        key: entitlement.featureId,
        name,
        summary,
        percent,
        hasMeter: percent !== undefined,
        meterLabel: `${name}: ${percent ?? 0}% of the limit used`,
        meterStyle: `width: ${percent ?? 0}%`,
        overLimit: !entitlement.unlimited && (entitlement.currentUsage ?? 0) > (entitlement.usageLimit ?? Infinity)
      };
    });
  }

  get credits(): CreditRow[] {
    return (this.card?.credits ?? []).map((credit) => ({
      key: credit.currencyId,
      name: credit.name ?? credit.currencyId,
      summary: `${number(credit.balance)} left of ${number(credit.granted)} granted (${number(credit.consumed)} used)`
    }));
  }

  get fetchedAtLabel(): string {
    return this.card?.fetchedAt ? `As of ${new Date(this.card.fetchedAt).toLocaleTimeString()}` : "";
  }
}
