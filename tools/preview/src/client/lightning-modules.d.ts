// The toast container's static API, which @salesforce/lightning-types does not describe.
declare module "lightning/toastContainer" {
  import { LightningElement } from "lwc";
  export default class ToastContainer extends LightningElement {
    static instance(config?: { maxToasts?: number; toastPosition?: string; containerPosition?: string }): unknown;
  }
}
