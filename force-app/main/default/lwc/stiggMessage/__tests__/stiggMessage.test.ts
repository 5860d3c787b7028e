import { createElement } from "lwc";
import { registerSa11yMatcher } from "@sa11y/jest";
import StiggMessage, { type StiggMessageTheme, type StiggMessageVariant } from "c/stiggMessage";

type MessageElement = HTMLElement & {
  shadowRoot: ShadowRoot;
  variant?: StiggMessageVariant;
  message?: string;
  theme?: StiggMessageTheme;
};

function render(properties: { variant?: StiggMessageVariant; message: string; theme?: StiggMessageTheme }) {
  const element = createElement("c-stigg-message", { is: StiggMessage }) as MessageElement;
  Object.assign(element, properties);
  document.body.appendChild(element);
  return element;
}

const shown = (element: MessageElement) => element.shadowRoot.querySelector<HTMLElement>('[data-id="message"]');

beforeAll(() => {
  registerSa11yMatcher();
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe("c-stigg-message", () => {
  it("shows a load failure as an SLDS error alert, its text the heading, read out at once", async () => {
    const element = render({ variant: "alert", message: "Stigg could not be reached" });

    const alert = shown(element);
    expect(alert?.getAttribute("role")).toBe("alert");
    expect(alert?.className).toBe("slds-notify slds-notify_alert slds-alert_error");
    expect(alert?.querySelector("h2")?.textContent).toBe("Stigg could not be reached");
    await expect(element).toBeAccessible();
  });

  it("shows a notice, such as a missing permission, in a warning box announced as a status", async () => {
    const element = render({
      variant: "notice",
      message: "To save the API key you need the Customize Application permission."
    });

    const notice = shown(element);
    expect(notice?.getAttribute("role")).toBe("status");
    expect(notice?.className).toBe("slds-box slds-box_x-small slds-theme_warning");
    expect(notice?.textContent).toBe("To save the API key you need the Customize Application permission.");
    await expect(element).toBeAccessible();
  });

  it("shows what was refused in a form as red text, read out at once", async () => {
    const element = render({ variant: "fieldError", message: "The pattern must contain {customerId}." });

    const error = shown(element);
    expect(error?.tagName).toBe("P");
    expect(error?.getAttribute("role")).toBe("alert");
    expect(error?.className).toBe("slds-text-color_error");
    expect(error?.textContent).toBe("The pattern must contain {customerId}.");
    await expect(element).toBeAccessible();
  });

  it.each(["success", "warning", "error"] as const)(
    "shows the outcome of an action in a box themed %s, with no role of its own",
    async (theme) => {
      const element = render({ variant: "result", theme, message: "Connected to Stigg." });

      const result = shown(element);
      expect(result?.hasAttribute("role")).toBe(false);
      expect(result?.className).toBe(`slds-box slds-box_x-small slds-theme_${theme}`);
      expect(result?.textContent).toBe("Connected to Stigg.");
      await expect(element).toBeAccessible();
    }
  );

  it("is a notice when no variant is given", () => {
    const element = render({ message: "You need the Stigg Admin permission set." });

    expect(shown(element)?.getAttribute("role")).toBe("status");
  });

  it("shows a result of an unknown theme as an error, never unstyled", () => {
    const element = render({ variant: "result", theme: "info" as StiggMessageTheme, message: "Stigg answered." });

    expect(shown(element)?.className).toBe("slds-box slds-box_x-small slds-theme_error");
  });

  it("follows a new message and variant", async () => {
    const element = render({ variant: "fieldError", message: "First refusal." });
    element.message = "Second refusal.";
    element.variant = "alert";
    await Promise.resolve();

    expect(shown(element)?.getAttribute("role")).toBe("alert");
    expect(shown(element)?.textContent).toBe("Second refusal.");
  });
});
