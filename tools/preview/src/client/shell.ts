/**
 * The page around the component: mounts it where the page says (the element with `data-mount` naming its tag,
 * with the public properties in `data-props`, as a record page gives `recordId` and `objectApiName`) and shows the
 * toasts it raises.
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
  const slot = document.querySelector<HTMLElement>(`[data-mount='${tag}']`);
  if (!slot) throw new Error(`the page has no place to mount ${tag} in`);
  slot.addEventListener(SHOW_TOAST_EVENT, showPlatformToast);
  const element = createElement(tag, { is: component });
  Object.assign(element, JSON.parse(slot.dataset.props ?? "{}") as Record<string, unknown>);
  slot.appendChild(element);
}
