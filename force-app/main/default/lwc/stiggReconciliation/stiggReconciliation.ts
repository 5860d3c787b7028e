import { LightningElement } from "lwc";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import getState from "@salesforce/apex/StiggReconciliationController.getState";
import runNow from "@salesforce/apex/StiggReconciliationController.runNow";
import saveSchedule from "@salesforce/apex/StiggReconciliationController.saveSchedule";
import acknowledge from "@salesforce/apex/StiggReconciliationController.acknowledge";
import fixDrift from "@salesforce/apex/StiggReconciliationController.fixDrift";
import type { StiggAction, StiggActionDetail } from "c/stiggActions";
import type { StiggMessageTheme } from "c/stiggMessage";
import { errorMessage } from "c/stiggErrors";

type ViewState = "loading" | "ready" | "loadFailed";

interface DriftView extends StiggDriftRow {
  url: string;
  lines: { key: string; text: string }[];
  statusClass: string;
  checkedAtLabel: string;
  acknowledgedLabel: string;
  /** Fix, and Acknowledge for drift not acknowledged yet. */
  actions: StiggAction[];
}

const DAYS: Record<string, string> = {
  MON: "Monday",
  TUE: "Tuesday",
  WED: "Wednesday",
  THU: "Thursday",
  FRI: "Friday",
  SAT: "Saturday",
  SUN: "Sunday"
};

const STATUS_CLASSES: Record<StiggDriftRow["status"], string> = {
  Drift: "slds-badge slds-theme_warning",
  "Check Failed": "slds-badge slds-theme_error",
  Acknowledged: "slds-badge"
};

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "";
}

/**
 * The Reconciliation section of the Stigg Configuration tab: when the comparison of provisioned deals with Stigg
 * runs (daily by default), a run on demand, how the last run went, and the deals whose drift needs a look, each to
 * fix (push the contract to Stigg) or acknowledge.
 */
export default class StiggReconciliation extends LightningElement {
  viewState: ViewState = "loading";
  loadError = "";
  state?: StiggReconciliationState;
  includeAcknowledged = false;

  frequencyDraft = "Daily";
  hourDraft = "2";
  dayDraft = "MON";
  savingSchedule = false;
  scheduleError = "";
  starting = false;
  /** The deal whose Fix or Acknowledge is on its way, so its buttons wait. */
  busyDealId = "";

  override connectedCallback(): void {
    this.load();
  }

  async load(): Promise<void> {
    try {
      this.apply(await getState({ includeAcknowledged: this.includeAcknowledged }));
      this.viewState = "ready";
    } catch (error) {
      this.loadError = errorMessage(error);
      this.viewState = "loadFailed";
    }
  }

  apply(state: StiggReconciliationState): void {
    this.state = state;
    const schedule = state.schedule;
    // A deal-less org has nothing scheduled: the form proposes daily at night.
    this.frequencyDraft =
      schedule.frequency === "Off" || schedule.frequency === "Custom" ? "Daily" : schedule.frequency;
    this.hourDraft = String(schedule.hour ?? 2);
    this.dayDraft = schedule.dayOfWeek ?? "MON";
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

  get frequencyOptions(): { label: string; value: string }[] {
    return [
      { label: "Daily", value: "Daily" },
      { label: "Weekly", value: "Weekly" }
    ];
  }

  get hourOptions(): { label: string; value: string }[] {
    return Array.from({ length: 24 }, (_, hour) => ({ label: hourLabel(hour), value: String(hour) }));
  }

  get dayOptions(): { label: string; value: string }[] {
    return Object.entries(DAYS).map(([value, label]) => ({ label, value }));
  }

  get isWeeklyDraft(): boolean {
    return this.frequencyDraft === "Weekly";
  }

  get isScheduled(): boolean {
    return this.state?.schedule.frequency !== "Off";
  }

  get scheduleSummary(): string {
    const schedule = this.state?.schedule;
    if (!schedule || schedule.frequency === "Off") {
      return "Not scheduled: deals are compared with Stigg only when you click Run now.";
    }
    const next = schedule.nextRunAt ? ` Next run: ${when(schedule.nextRunAt)}.` : "";
    if (schedule.frequency === "Custom") return `Scheduled in Setup (${schedule.cronExpression}).${next}`;
    const at = hourLabel(schedule.hour ?? 0);
    const cadence =
      schedule.frequency === "Weekly" ? `every ${DAYS[schedule.dayOfWeek ?? "MON"]} at ${at}` : `every day at ${at}`;
    return `Runs ${cadence}.${next}`;
  }

  get saveScheduleLabel(): string {
    return this.savingSchedule ? "Saving…" : "Save schedule";
  }

  /** Save, and Turn off once a schedule runs; both wait while a schedule is being saved. */
  get scheduleActions(): StiggAction[] {
    const actions: StiggAction[] = [
      { name: "saveSchedule", label: this.saveScheduleLabel, variant: "brand", disabled: this.savingSchedule }
    ];
    if (this.isScheduled) actions.push({ name: "turnOff", label: "Turn off", disabled: this.savingSchedule });
    return actions;
  }

  get runActions(): StiggAction[] {
    return [
      { name: "runNow", label: this.runLabel, disabled: this.runDisabled },
      { name: "refresh", label: "Refresh" }
    ];
  }

  get runLabel(): string {
    if (this.starting) return "Starting…";
    return this.state?.lastRun?.status === "Interrupted" ? "Resume run" : "Run now";
  }

  get runDisabled(): boolean {
    return this.starting || this.state?.lastRun?.status === "Running";
  }

  get lastRunSummary(): string {
    const run = this.state?.lastRun;
    if (!run) return "No run yet.";
    const by = run.triggeredBy === "Scheduled" ? "scheduled" : "on demand";
    const counts = `${run.checked} deals checked, ${run.driftFound} with drift, ${run.checkFailed} could not be checked`;
    if (run.status === "Running")
      return `${run.name} is running (${by}, started ${when(run.startedAt)}): ${counts} so far.`;
    if (run.status === "Interrupted") return `${run.name} stopped (${by}, started ${when(run.startedAt)}): ${counts}.`;
    return `${run.name} completed (${by}, ${when(run.finishedAt)}): ${counts}.`;
  }

  get lastRunError(): string {
    return this.state?.lastRun?.lastError ?? "";
  }

  /** The last error of a run that stopped shows as an error; of any other run, as a warning. */
  get lastRunErrorTheme(): StiggMessageTheme {
    return this.state?.lastRun?.status === "Interrupted" ? "error" : "warning";
  }

  get hasDrifts(): boolean {
    return (this.state?.drifts.length ?? 0) > 0;
  }

  get driftHeading(): string {
    const count = this.state?.driftCount ?? 0;
    const shown = this.state?.drifts.length ?? 0;
    const what = count === 1 ? "1 deal needs a look" : `${count} deals need a look`;
    return shown < count ? `${what} (the ${shown} checked most recently are listed)` : what;
  }

  get noDriftText(): string {
    return this.state?.lastRun
      ? "No drift: Stigg grants what every checked deal sold."
      : "No drift found yet: run the reconciliation to compare the provisioned deals with Stigg.";
  }

  get drifts(): DriftView[] {
    return (this.state?.drifts ?? []).map((row) => {
      const actions: StiggAction[] = [
        {
          name: "fix",
          label: "Fix",
          title: `Fix ${row.opportunityName}: push its contract to Stigg`,
          disabled: Boolean(row.fixBlockedReason) || this.busyDealId === row.opportunityId
        }
      ];
      if (row.status === "Drift") actions.push({ name: "acknowledge", label: "Acknowledge" });
      return {
        ...row,
        url: `/lightning/r/Opportunity/${row.opportunityId}/view`,
        lines: (row.details ?? "").split("\n").map((text, index) => ({ key: `${row.opportunityId}-${index}`, text })),
        statusClass: STATUS_CLASSES[row.status] ?? "slds-badge",
        checkedAtLabel: row.checkedAt ? `Checked ${when(row.checkedAt)}` : "",
        acknowledgedLabel: row.acknowledgedBy
          ? `Acknowledged by ${row.acknowledgedBy} ${when(row.acknowledgedAt)}`
          : "",
        actions
      };
    });
  }

  handleFrequencyChange(event: CustomEvent<{ value: string }>): void {
    this.frequencyDraft = event.detail.value;
  }

  handleHourChange(event: CustomEvent<{ value: string }>): void {
    this.hourDraft = event.detail.value;
  }

  handleDayChange(event: CustomEvent<{ value: string }>): void {
    this.dayDraft = event.detail.value;
  }

  async handleScheduleAction(event: CustomEvent<StiggActionDetail>): Promise<void> {
    await this.saveScheduleAs(event.detail.name === "turnOff" ? "Off" : this.frequencyDraft);
  }

  async saveScheduleAs(frequency: string): Promise<void> {
    this.scheduleError = "";
    this.savingSchedule = true;
    try {
      this.apply(
        await saveSchedule({
          frequency,
          hour: frequency === "Off" ? null : Number(this.hourDraft),
          dayOfWeek: frequency === "Weekly" ? this.dayDraft : null,
          includeAcknowledged: this.includeAcknowledged
        })
      );
      this.toast("Reconciliation schedule saved", this.scheduleSummary, "success");
    } catch (error) {
      this.scheduleError = errorMessage(error);
      this.toast("Reconciliation schedule not saved", this.scheduleError, "error");
    } finally {
      this.savingSchedule = false;
    }
  }

  async handleRunAction(event: CustomEvent<StiggActionDetail>): Promise<void> {
    if (event.detail.name === "refresh") await this.load();
    else await this.startRun();
  }

  async startRun(): Promise<void> {
    this.starting = true;
    try {
      this.apply(await runNow({ includeAcknowledged: this.includeAcknowledged }));
      this.toast(
        "Reconciliation started",
        "Deals are compared with Stigg in the background. Refresh to follow it.",
        "success"
      );
    } catch (error) {
      this.toast("Reconciliation not started", errorMessage(error), "error");
    } finally {
      this.starting = false;
    }
  }

  async handleToggleAcknowledged(event: CustomEvent<{ checked: boolean }>): Promise<void> {
    this.includeAcknowledged = event.detail.checked;
    await this.load();
  }

  /** Fix or Acknowledge on a deal's row: the row's element carries the deal. */
  async handleDriftAction(event: CustomEvent<StiggActionDetail>): Promise<void> {
    const dealId = (event.currentTarget as HTMLElement).dataset.dealId ?? "";
    if (event.detail.name === "acknowledge") await this.acknowledgeDrift(dealId);
    else await this.fix(dealId);
  }

  async fix(dealId: string): Promise<void> {
    this.busyDealId = dealId;
    try {
      const result = await fixDrift({ opportunityId: dealId });
      this.toast(
        result.success ? "Drift fixed" : "Drift not fixed",
        result.message,
        result.success ? "success" : "error"
      );
      await this.load();
    } catch (error) {
      this.toast("Drift not fixed", errorMessage(error), "error");
    } finally {
      this.busyDealId = "";
    }
  }

  async acknowledgeDrift(dealId: string): Promise<void> {
    this.busyDealId = dealId;
    try {
      this.apply(await acknowledge({ opportunityId: dealId, includeAcknowledged: this.includeAcknowledged }));
      this.toast("Drift acknowledged", "It stays acknowledged until the differences change.", "success");
    } catch (error) {
      this.toast("Drift not acknowledged", errorMessage(error), "error");
    } finally {
      this.busyDealId = "";
    }
  }

  toast(title: string, message: string, variant: "success" | "error"): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
