/**
 * `lightning/platformShowToastEvent`, which Lightning Experience provides and the base components package
 * does not. The event is the platform's: `lightning__showtoast`, bubbling and composed, with the toast's
 * options as its detail. The preview's shell shows it with the real `lightning/toast`, as Lightning
 * Experience does.
 */
export interface ToastOptions {
  title: string;
  message?: string;
  messageData?: unknown[] | Record<string, unknown>;
  variant?: "info" | "success" | "warning" | "error";
  mode?: "dismissible" | "pester" | "sticky";
}

export const SHOW_TOAST_EVENT = "lightning__showtoast";

export class ShowToastEvent extends CustomEvent<ToastOptions> {
  constructor(toast: ToastOptions) {
    super(SHOW_TOAST_EVENT, { bubbles: true, cancelable: true, composed: true, detail: toast });
  }
}
