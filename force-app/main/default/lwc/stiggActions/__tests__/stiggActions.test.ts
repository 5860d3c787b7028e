import { createElement } from "lwc";
import { registerSa11yMatcher } from "@sa11y/jest";
import StiggActions, { type StiggAction, type StiggActionDetail } from "c/stiggActions";

type ActionsElement = HTMLElement & { shadowRoot: ShadowRoot; actions?: StiggAction[] };
type ButtonElement = HTMLElement & { label?: string; variant?: string; disabled?: boolean; title: string };

function render(actions: StiggAction[]): { element: ActionsElement; clicked: string[] } {
  const element = createElement("c-stigg-actions", { is: StiggActions }) as ActionsElement;
  element.actions = actions;
  const clicked: string[] = [];
  element.addEventListener("action", (event) => clicked.push((event as CustomEvent<StiggActionDetail>).detail.name));
  document.body.appendChild(element);
  return { element, clicked };
}

const buttons = (element: ActionsElement) =>
  Array.from(element.shadowRoot.querySelectorAll<ButtonElement>("lightning-button"));

const SAVE_AND_CANCEL: StiggAction[] = [
  { name: "saveKey", label: "Save key", variant: "brand" },
  { name: "cancelReplace", label: "Cancel" }
];

beforeAll(() => {
  registerSa11yMatcher();
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe("c-stigg-actions", () => {
  it("shows one button per action, in order, the main one brand and the others neutral", async () => {
    const { element } = render(SAVE_AND_CANCEL);

    expect(buttons(element).map((button) => [button.dataset.id, button.label, button.variant])).toEqual([
      ["saveKey", "Save key", "brand"],
      ["cancelReplace", "Cancel", "neutral"]
    ]);
    await expect(element).toBeAccessible();
  });

  it("spaces every button after the first, as SLDS spaces a row of buttons", () => {
    const { element } = render([...SAVE_AND_CANCEL, { name: "third", label: "Third" }]);

    expect(buttons(element).map((button) => button.classList.contains("slds-m-left_x-small"))).toEqual([
      false,
      true,
      true
    ]);
  });

  it("disables the buttons the parent says are busy or unavailable, and passes their title", () => {
    const { element } = render([
      { name: "fix", label: "Fix", title: "Fix Acme - Pro: push its contract to Stigg", disabled: true },
      { name: "acknowledge", label: "Acknowledge" }
    ]);

    const [fix, acknowledge] = buttons(element);
    expect(fix.disabled).toBe(true);
    expect(fix.title).toBe("Fix Acme - Pro: push its contract to Stigg");
    expect(acknowledge.disabled).toBe(false);
  });

  it("says which button was clicked", () => {
    const { element, clicked } = render(SAVE_AND_CANCEL);

    buttons(element)[1].click();
    buttons(element)[0].click();

    expect(clicked).toEqual(["cancelReplace", "saveKey"]);
  });

  it("keeps each button when its label or state changes, so keyboard focus stays on it", async () => {
    const { element } = render(SAVE_AND_CANCEL);
    const [save] = buttons(element);

    element.actions = [
      { name: "saveKey", label: "Saving…", variant: "brand", disabled: true },
      { name: "cancelReplace", label: "Cancel", disabled: true }
    ];
    await Promise.resolve();

    expect(buttons(element)[0]).toBe(save);
    expect(save.label).toBe("Saving…");
    expect(save.disabled).toBe(true);
  });

  it("shows no button for an empty list", async () => {
    const { element } = render([]);

    expect(buttons(element)).toEqual([]);
    await expect(element).toBeAccessible();
  });
});
