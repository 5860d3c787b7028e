import { LightningElement } from "lwc";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import getState from "@salesforce/apex/StiggProvisioningController.getState";
import retry from "@salesforce/apex/StiggProvisioningController.retry";
import setJobScheduled from "@salesforce/apex/StiggProvisioningController.setJobScheduled";
import { errorMessage } from "c/stiggErrors";

type ViewState = "loading" | "ready" | "loadFailed";

interface CountRow {
  key: string;
  label: string;
  lastDay: number;
  last30Days: number;
}

interface FailedView extends StiggFailedDeal {
  url: string;
  selected: boolean;
  selectLabel: string;
  retryLabel: string;
  retryTitle: string;
  retryDisabled: boolean;
  attemptsLabel: string;
  nextLabel: string;
  nextClass: string;
}

/** A duration in words a person reads at a glance: 45 s, 3 min 20 s, 2 h 5 min, 1 d 3 h. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const rest = seconds % 60;
    return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ""}`;
  }
  if (seconds < 86400) {
    const minutes = Math.floor((seconds % 3600) / 60);
    return `${Math.floor(seconds / 3600)} h${minutes ? ` ${minutes} min` : ""}`;
  }
  const hours = Math.floor((seconds % 86400) / 3600);
  return `${Math.floor(seconds / 86400)} d${hours ? ` ${hours} h` : ""}`;
}

function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "";
}

function timing(window: StiggProvisioningWindow, period: string): string {
  if (!window.timed || window.medianSeconds === undefined || window.p95Seconds === undefined) {
    return `${period}: no won deal provisioned yet.`;
  }
  const deals = window.timed === 1 ? "1 deal" : `${window.timed} deals`;
  return `${period}: median ${duration(window.medianSeconds)}, 95th percentile ${duration(window.p95Seconds)} (${deals}).`;
}

/**
 * The Provisioning panel of the Stigg Configuration tab: deals provisioned, failed and waiting for an automatic retry
 * over the last day and 30 days, how long a won deal takes to be provisioned, the Stigg Provisioning job (automatic
 * retry, alerts, log retention), and the failed deals, each to retry alone or with the others selected.
 */
export default class StiggProvisioning extends LightningElement {
  viewState: ViewState = "loading";
  loadError = "";
  state?: StiggProvisioningState;
  /** The deals ticked for Retry selected. */
  selectedIds: string[] = [];
  /** The deals whose retry is on its way: their buttons wait. */
  retryingIds: string[] = [];
  retryError = "";
  retryOutcome = "";
  refusals: StiggRetryRefusal[] = [];
  savingJob = false;
  jobError = "";

  override connectedCallback(): void {
    this.load();
  }

  async load(): Promise<void> {
    try {
      this.apply(await getState());
      this.viewState = "ready";
    } catch (error) {
      this.loadError = errorMessage(error);
      this.viewState = "loadFailed";
    }
  }

  apply(state: StiggProvisioningState): void {
    this.state = state;
    const listed = new Set(state.failures.map((deal) => deal.opportunityId));
    this.selectedIds = this.selectedIds.filter((id) => listed.has(id));
  }

  get isLoading(): boolean {
    return this.viewState === "loading";
  }

  get isLoadFailed(): boolean {
    return this.viewState === "loadFailed";
  }

  get isReady(): boolean {
    return this.viewState === "ready";
  }

  get counts(): CountRow[] {
    const day = this.state?.lastDay;
    const month = this.state?.last30Days;
    if (!day || !month) return [];
    return [
      { key: "provisioned", label: "Provisioned", lastDay: day.provisioned, last30Days: month.provisioned },
      { key: "failed", label: "Failed, needs a fix", lastDay: day.failed, last30Days: month.failed },
      { key: "waiting", label: "Waiting for an automatic retry", lastDay: day.waiting, last30Days: month.waiting }
    ];
  }

  get timingLastDay(): string {
    return this.state ? timing(this.state.lastDay, "Last day") : "";
  }

  get timingLast30Days(): string {
    return this.state ? timing(this.state.last30Days, "Last 30 days") : "";
  }

  get jobScheduled(): boolean {
    return this.state?.job.scheduled === true;
  }

  get jobSummary(): string {
    const job = this.state?.job;
    if (!job) return "";
    if (job.maxAttempts <= 1) {
      return "Automatic retry is off in Stigg Settings (Retry Max Attempts is 1): failed deals wait for a person.";
    }
    const policy = `A failure that passes on its own (Stigg unavailable, rate limited, a timeout) is retried up to ${job.maxAttempts} attempts in all, the first retry after ${job.firstDelayMinutes} minutes, each later one three times longer (at most 8 hours), never sooner than Stigg's Retry-After.`;
    if (!job.scheduled) {
      const waiting = this.state?.last30Days.waiting ?? 0;
      const stuck = waiting
        ? ` ${waiting === 1 ? "1 deal waits" : `${waiting} deals wait`} for a retry that will not run until it is on.`
        : "";
      return `Off: nothing is retried automatically and nobody is alerted.${stuck} ${policy}`;
    }
    return `On: the Stigg Provisioning job runs as you and next checks at ${when(job.nextRunAt)}. ${policy}`;
  }

  get jobButtonLabel(): string {
    if (this.savingJob) return "Saving…";
    return this.jobScheduled ? "Turn off" : "Turn on";
  }

  get alertSummary(): string {
    const alerts = this.state?.alerts;
    if (!alerts) return "";
    const to = alerts.recipients ? alerts.recipients : "every active user with the Stigg Admin permission set";
    const by =
      alerts.channel === "Email"
        ? "by email"
        : alerts.channel === "Notification"
          ? "by Salesforce notification"
          : "by email and Salesforce notification";
    return `When deals fail for good, an alert goes ${by} to ${to}, at most once every ${alerts.periodMinutes} minutes, listing every deal that failed meanwhile. Provisioning log entries are kept ${this.state?.logRetentionDays} days. Change these in Setup, Custom Settings, Stigg Settings.`;
  }

  get lastAlert(): string {
    const alerts = this.state?.alerts;
    if (!alerts?.lastAlertAt) return "No alert sent yet.";
    return `Last alert, ${when(alerts.lastAlertAt)}: ${alerts.lastAlertMessage ?? ""}`;
  }

  get lastAlertClass(): string {
    return this.state?.alerts.lastAlertAt && this.state.alerts.lastAlertDelivered === false
      ? "slds-text-color_error"
      : "slds-text-color_weak";
  }

  get hasFailures(): boolean {
    return (this.state?.failures.length ?? 0) > 0;
  }

  get failureHeading(): string {
    const count = this.state?.failedCount ?? 0;
    const shown = this.state?.failures.length ?? 0;
    const what = count === 1 ? "1 failed deal" : `${count} failed deals`;
    return shown < count ? `${what} (the ${shown} that failed last are listed)` : what;
  }

  get failures(): FailedView[] {
    return (this.state?.failures ?? []).map((deal) => {
      const retrying = this.retryingIds.includes(deal.opportunityId);
      return {
        ...deal,
        url: `/lightning/r/Opportunity/${deal.opportunityId}/view`,
        selected: this.selectedIds.includes(deal.opportunityId),
        selectLabel: `Select ${deal.opportunityName}`,
        retryLabel: retrying ? "Retrying…" : "Retry",
        retryTitle: `Retry provisioning of ${deal.opportunityName}`,
        retryDisabled: this.retryingIds.length > 0,
        attemptsLabel: deal.attempts === 1 ? "1 attempt" : `${deal.attempts} attempts`,
        nextLabel: deal.nextRetryAt
          ? `Next automatic retry: ${when(deal.nextRetryAt)}`
          : "Not retried automatically: fix what the reason says, then retry.",
        nextClass: deal.nextRetryAt ? "slds-text-body_small" : "slds-text-body_small slds-text-color_error"
      };
    });
  }

  get selectedCount(): number {
    return this.selectedIds.length;
  }

  get retrySelectedLabel(): string {
    if (this.retryingIds.length > 1) return "Retrying…";
    return this.selectedIds.length ? `Retry selected (${this.selectedIds.length})` : "Retry selected";
  }

  get retrySelectedDisabled(): boolean {
    return this.selectedIds.length === 0 || this.retryingIds.length > 0;
  }

  get retryProgress(): string {
    const count = this.retryingIds.length;
    if (!count) return "";
    return count === 1 ? "Starting provisioning again for 1 deal…" : `Starting provisioning again for ${count} deals…`;
  }

  get hasRefusals(): boolean {
    return this.refusals.length > 0;
  }

  handleSelect(event: CustomEvent<{ checked: boolean }>): void {
    const dealId = (event.currentTarget as HTMLElement).dataset.dealId ?? "";
    const others = this.selectedIds.filter((id) => id !== dealId);
    this.selectedIds = event.detail.checked ? [...others, dealId] : others;
  }

  async handleRetryOne(event: Event): Promise<void> {
    const dealId = (event.currentTarget as HTMLElement).dataset.dealId ?? "";
    await this.retryDeals([dealId]);
  }

  async handleRetrySelected(): Promise<void> {
    await this.retryDeals([...this.selectedIds]);
  }

  async retryDeals(dealIds: string[]): Promise<void> {
    if (!dealIds.length || this.retryingIds.length) return;
    this.retryingIds = dealIds;
    this.retryError = "";
    this.retryOutcome = "";
    this.refusals = [];
    try {
      const result = await retry({ opportunityIds: dealIds });
      this.apply(result.state);
      this.refusals = result.refused;
      const started =
        result.started === 1
          ? "Provisioning of 1 deal starts again"
          : `Provisioning of ${result.started} deals starts again`;
      this.retryOutcome = `${started} through the active Stigg flow.${
        result.refused.length ? ` ${result.refused.length} could not be retried: see below.` : ""
      }`;
      this.toast(
        result.started ? "Retry started" : "Nothing retried",
        this.retryOutcome,
        result.started ? "success" : "error"
      );
    } catch (error) {
      this.retryError = errorMessage(error);
      this.toast("Retry failed", this.retryError, "error");
    } finally {
      this.retryingIds = [];
    }
  }

  async handleToggleJob(): Promise<void> {
    const turnOn = !this.jobScheduled;
    this.savingJob = true;
    this.jobError = "";
    try {
      this.apply(await setJobScheduled({ scheduled: turnOn }));
      this.toast(
        turnOn ? "Automatic retry on" : "Automatic retry off",
        turnOn ? "Failed deals are retried and admins alerted by the Stigg Provisioning job." : this.jobSummary,
        "success"
      );
    } catch (error) {
      this.jobError = errorMessage(error);
      this.toast(turnOn ? "Automatic retry not turned on" : "Automatic retry not turned off", this.jobError, "error");
    } finally {
      this.savingJob = false;
    }
  }

  async handleRefresh(): Promise<void> {
    await this.load();
  }

  toast(title: string, message: string, variant: "success" | "error"): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
