/**
 * The page around the component: mounts it in the page's main region and shows the toasts it raises.
 * A `lightning/platformShowToastEvent` event is handed to the real toast container the way Lightning
 * Experience hands it over (the toast's attributes on the event, the `lightning/toast` class in its
 * detail), so the toast looks and behaves as in an org: error toasts stay until closed, success toasts
 * close by themselves.
 */
import { createElement } from "lwc";
import Toast from "lightning/toast";
import ToastContainer from "lightning/toastContainer";
import { SHOW_TOAST_EVENT, type ToastOptions } from "./platformShowToastEvent";

/** What `createElement` accepts: a component class. */
type ComponentConstructor = Parameters<typeof createElement>[1]["is"];

interface PlatformToastEvent extends CustomEvent {
  toastAttributes?: { title: string; message?: string; messageData?: unknown; mode?: string; type?: string };
}

function showPlatformToast(event: Event): void {
  const detail = (event as CustomEvent<(ToastOptions & { toast?: unknown }) | null>).detail;
  // Events from lightning/toast itself already carry the toast class: the container handles them.
  if (!detail || detail.toast) return;
  event.stopPropagation();
  ToastContainer.instance();
  const forwarded: PlatformToastEvent = new CustomEvent(SHOW_TOAST_EVENT, {
    bubbles: true,
    cancelable: true,
    composed: true,
    detail: { toast: Toast }
  });
  forwarded.toastAttributes = {
    title: detail.title,
    message: detail.message,
    messageData: detail.messageData,
    mode: detail.mode === "pester" ? "dismissible" : detail.mode,
    type: detail.variant
  };
  document.body.dispatchEvent(forwarded);
}

export function mount(tag: string, component: ComponentConstructor): void {
  const region = document.querySelector<HTMLElement>("[data-region='main']");
  if (!region) throw new Error("the page has no main region to mount the component in");
  region.addEventListener(SHOW_TOAST_EVENT, showPlatformToast);
  region.appendChild(createElement(tag, { is: component }));
}
