import { LightningElement, api } from "lwc";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import retry from "@salesforce/apex/StiggOpportunityRetryController.retry";
import { errorMessage } from "c/stiggErrors";

/**
 * The Retry Stigg Provisioning action of the Opportunity page (a headless quick action): starts the failed deal's
 * provisioning again through the active Stigg flow, and says so in a toast, or why not.
 */
export default class StiggRetryProvisioning extends LightningElement {
  @api recordId?: string;

  /** Whether a retry is on its way: a second click waits for it. */
  running = false;

  @api
  async invoke(): Promise<void> {
    if (this.running || !this.recordId) return;
    this.running = true;
    try {
      const message = await retry({ opportunityId: this.recordId });
      this.toast("Stigg provisioning retried", message, "success");
    } catch (error) {
      this.toast("Stigg provisioning not retried", errorMessage(error), "error");
    } finally {
      this.running = false;
    }
  }

  toast(title: string, message: string, variant: "success" | "error"): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
