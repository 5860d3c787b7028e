import { LightningElement } from "lwc";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import getStatus from "@salesforce/apex/StiggConfigurationController.getStatus";
import saveApiKey from "@salesforce/apex/StiggConfigurationController.saveApiKey";
import testConnection from "@salesforce/apex/StiggConfigurationController.testConnection";
import saveCustomerUrlPattern from "@salesforce/apex/StiggConfigurationController.saveCustomerUrlPattern";
import type { StiggAction, StiggActionDetail } from "c/stiggActions";
import type { StiggMessageTheme } from "c/stiggMessage";
import { errorMessage } from "c/stiggErrors";

type ViewState = "loading" | "ready" | "loadFailed";

interface ChecklistRow extends StiggChecklistItem {
  iconName: string;
  iconVariant: string;
  stateLabel: string;
}

const STATE_ICONS: Record<StiggChecklistItem["state"], { iconName: string; iconVariant: string; stateLabel: string }> =
  {
    done: { iconName: "utility:success", iconVariant: "success", stateLabel: "Done" },
    todo: { iconName: "utility:error", iconVariant: "error", stateLabel: "To do" },
    warning: { iconName: "utility:warning", iconVariant: "warning", stateLabel: "Needs attention" },
    unknown: { iconName: "utility:question", iconVariant: "", stateLabel: "Not checked yet" }
  };

/**
 * The Stigg Configuration tab: the admin saves the Stigg API key (sent once to Apex, never shown
 * again), tests the connection, sets the customer deep-link pattern and follows the setup checklist.
 */
export default class StiggConfiguration extends LightningElement {
  viewState: ViewState = "loading";
  loadError = "";
  status?: StiggConfigurationStatus;

  replacingKey = false;
  savingKey = false;
  keyError = "";

  testing = false;
  connection?: StiggConnectionResult;

  urlPatternDraft = "";
  savingPattern = false;
  patternError = "";

  /** The control to focus once the key section has re-rendered, so a keyboard user keeps their place. */
  focusAfterRender: "apiKey" | "replaceKey" | null = null;

  override connectedCallback(): void {
    this.load();
  }

  override renderedCallback(): void {
    if (!this.focusAfterRender) return;
    const selector =
      this.focusAfterRender === "apiKey"
        ? "lightning-input[data-id='apiKey']"
        : "lightning-button[data-id='replaceKey']";
    const target = this.template?.querySelector<HTMLElement>(selector);
    if (target) {
      this.focusAfterRender = null;
      target.focus();
    }
  }

  async load(): Promise<void> {
    this.viewState = "loading";
    try {
      this.applyStatus(await getStatus());
      this.viewState = "ready";
    } catch (error) {
      this.loadError = errorMessage(error);
      this.viewState = "loadFailed";
    }
  }

  applyStatus(status: StiggConfigurationStatus): void {
    this.status = status;
    this.urlPatternDraft = status.customerUrlPattern;
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

  /** Set when this user lacks a permission that saving the key needs: the message names it. */
  get keyBlockedReason(): string {
    return this.status?.apiKeyBlockedReason ?? "";
  }

  get settingsBlockedReason(): string {
    return this.status?.settingsBlockedReason ?? "";
  }

  get showKeyForm(): boolean {
    return !this.keyBlockedReason && (!this.status?.apiKeySet || this.replacingKey);
  }

  get showKeySummary(): boolean {
    return !this.showKeyForm && Boolean(this.status?.apiKeySet);
  }

  get canReplaceKey(): boolean {
    return !this.keyBlockedReason;
  }

  get keySavedSummary(): string {
    const status = this.status;
    if (!status?.apiKeySet) return "";
    if (!status.apiKeySavedAt) return "An API key is saved.";
    const when = new Date(status.apiKeySavedAt).toLocaleString();
    return `An API key is saved. Saved ${when}${status.apiKeySavedBy ? ` by ${status.apiKeySavedBy}` : ""}.`;
  }

  get keyInputLabel(): string {
    return this.replacingKey ? "New Stigg server API key" : "Stigg server API key";
  }

  get saveKeyLabel(): string {
    return this.savingKey ? "Saving…" : "Save key";
  }

  /** Save, and Cancel while a saved key is being replaced; both wait while the key is on its way. */
  get keyActions(): StiggAction[] {
    const actions: StiggAction[] = [
      { name: "saveKey", label: this.saveKeyLabel, variant: "brand", disabled: this.savingKey }
    ];
    if (this.replacingKey) actions.push({ name: "cancelReplace", label: "Cancel", disabled: this.savingKey });
    return actions;
  }

  get testLabel(): string {
    return this.testing ? "Testing…" : "Test connection";
  }

  get testDisabled(): boolean {
    return this.testing || !this.status?.apiKeySet;
  }

  get urlPatternHelp(): string {
    return "Written to Stigg Customer URL on Accounts. {customerId} and {environmentSlug} are filled in for each customer.";
  }

  get savePatternLabel(): string {
    return this.savingPattern ? "Saving…" : "Save link pattern";
  }

  get savePatternDisabled(): boolean {
    return this.savingPattern || Boolean(this.settingsBlockedReason);
  }

  get connectionTheme(): StiggMessageTheme {
    return this.connection?.success ? "success" : "error";
  }

  get connectionText(): string {
    const result = this.connection;
    if (!result) return "";
    if (result.success) return `Connected to Stigg${result.environment ? ` (environment ${result.environment})` : ""}.`;
    return result.code ? `${result.message} (${result.code})` : result.message;
  }

  get checklist(): ChecklistRow[] {
    return (this.status?.checklist ?? []).map((item) => {
      // The connection line reflects the last test run on this page, which the server cannot know.
      const current = item.key === "connection" && this.connection ? this.connectionItem(item, this.connection) : item;
      return { ...current, ...STATE_ICONS[current.state] };
    });
  }

  connectionItem(item: StiggChecklistItem, result: StiggConnectionResult): StiggChecklistItem {
    return result.success
      ? { ...item, state: "done", detail: this.connectionText, nextStep: undefined }
      : {
          ...item,
          state: "todo",
          detail: this.connectionText,
          nextStep: "Fix the problem above, then test the connection again."
        };
  }

  handleKeyAction(event: CustomEvent<StiggActionDetail>): void {
    if (event.detail.name === "cancelReplace") this.handleCancelReplace();
    else this.handleSaveKey();
  }

  handleReplaceKey(): void {
    this.replacingKey = true;
    this.keyError = "";
    this.focusAfterRender = "apiKey";
  }

  handleCancelReplace(): void {
    this.replacingKey = false;
    this.keyError = "";
    this.focusAfterRender = "replaceKey";
  }

  async handleSaveKey(): Promise<void> {
    const input = this.template?.querySelector<HTMLInputElement>("lightning-input[data-id='apiKey']");
    const apiKey = input?.value ?? "";
    this.keyError = "";
    this.savingKey = true;
    try {
      const status = await saveApiKey({ apiKey });
      // The key leaves the page with the request: nothing keeps it afterwards.
      if (input) input.value = "";
      this.applyStatus(status);
      this.replacingKey = false;
      this.focusAfterRender = "replaceKey";
      this.connection = undefined;
      this.toast("Stigg API key saved", "Test the connection to check it.", "success");
    } catch (error) {
      this.keyError = errorMessage(error);
      this.toast("Stigg API key not saved", this.keyError, "error");
    } finally {
      this.savingKey = false;
    }
  }

  async handleTestConnection(): Promise<void> {
    this.testing = true;
    try {
      this.connection = await testConnection();
    } catch (error) {
      this.connection = { success: false, message: errorMessage(error) };
    } finally {
      this.testing = false;
    }
    if (this.connection.success) this.toast("Connected to Stigg", this.connectionText, "success");
    else this.toast("Stigg connection failed", this.connectionText, "error");
  }

  handlePatternChange(event: CustomEvent<{ value: string }>): void {
    this.urlPatternDraft = event.detail.value;
  }

  async handleSavePattern(): Promise<void> {
    this.patternError = "";
    this.savingPattern = true;
    try {
      this.applyStatus(await saveCustomerUrlPattern({ pattern: this.urlPatternDraft }));
      this.toast("Customer link pattern saved", "New Stigg customer links on Accounts use it.", "success");
    } catch (error) {
      this.patternError = errorMessage(error);
      this.toast("Customer link pattern not saved", this.patternError, "error");
    } finally {
      this.savingPattern = false;
    }
  }

  toast(title: string, message: string, variant: "success" | "error"): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
