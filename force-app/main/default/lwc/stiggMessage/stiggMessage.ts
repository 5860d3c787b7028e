import { LightningElement, api } from "lwc";

/**
 * How a message shows and how a screen reader meets it:
 * - `alert`: the view could not load. An SLDS error alert with the message as its heading, read out at once.
 * - `notice`: something stays unavailable, such as a permission the user lacks. A warning box, read out politely.
 * - `fieldError`: what was refused in the form just above. Red text, read out at once.
 * - `result`: the outcome of an action, in a box of its `theme`. No role of its own: the live region around
 *   it announces it.
 */
export type StiggMessageVariant = "alert" | "notice" | "fieldError" | "result";

export type StiggMessageTheme = "success" | "warning" | "error";

const THEMES: readonly StiggMessageTheme[] = ["success", "warning", "error"];

/**
 * One message of the Stigg pages in its SLDS form, so the tab, the card and the Reconciliation section say
 * errors and notices the same way. The parent decides whether it shows and where (margins go on the element).
 */
export default class StiggMessage extends LightningElement {
  @api variant: StiggMessageVariant = "notice";
  @api message = "";
  /** The colour of a `result`; the other variants have theirs. */
  @api theme: StiggMessageTheme = "error";

  get isAlert(): boolean {
    return this.variant === "alert";
  }

  get isFieldError(): boolean {
    return this.variant === "fieldError";
  }

  get isResult(): boolean {
    return this.variant === "result";
  }

  get resultClass(): string {
    const theme = THEMES.includes(this.theme) ? this.theme : "error";
    return `slds-box slds-box_x-small slds-theme_${theme}`;
  }
}
