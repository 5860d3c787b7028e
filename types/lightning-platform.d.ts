// Platform modules that @salesforce/lightning-types does not (yet) describe. A script file, not a
// module, so that these declarations are ambient.

declare module "lightning/platformShowToastEvent" {
  export interface ToastOptions {
    title: string;
    message?: string;
    variant?: "info" | "success" | "warning" | "error";
    mode?: "dismissible" | "pester" | "sticky";
  }
  export class ShowToastEvent extends CustomEvent<ToastOptions> {
    constructor(options: ToastOptions);
  }
}
