import { LightningElement, api } from "lwc";

/** One button of a row. */
export interface StiggAction {
  /** Names the action in the `action` event; also the button's data-id. */
  name: string;
  label: string;
  /** `brand` for the main action of a section; neutral otherwise. */
  variant?: "brand" | "neutral";
  disabled?: boolean;
  /** A longer name, for a label that repeats on the page (a Fix button on every deal). */
  title?: string;
}

/** What the `action` event says: which button was clicked. */
export interface StiggActionDetail {
  name: string;
}

interface ButtonView {
  name: string;
  label: string;
  variant: "brand" | "neutral";
  disabled: boolean;
  title?: string;
  spacingClass: string;
}

/**
 * The row of buttons under a section of the Stigg pages: the main action first, then the others spaced
 * as SLDS spaces buttons. A click fires `action` with the button's name; the parent does the work, and
 * decides which buttons show and when they are disabled by the list it passes.
 */
export default class StiggActions extends LightningElement {
  @api actions: StiggAction[] = [];

  get buttons(): ButtonView[] {
    return (this.actions ?? []).map((action, index) => ({
      name: action.name,
      label: action.label,
      variant: action.variant ?? "neutral",
      disabled: Boolean(action.disabled),
      title: action.title,
      spacingClass: index > 0 ? "slds-m-left_x-small" : ""
    }));
  }

  handleClick(event: Event): void {
    const name = (event.currentTarget as HTMLElement).dataset.id ?? "";
    this.dispatchEvent(new CustomEvent<StiggActionDetail>("action", { detail: { name } }));
  }
}
