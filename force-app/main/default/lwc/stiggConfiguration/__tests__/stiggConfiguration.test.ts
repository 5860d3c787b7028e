import { createElement } from "lwc";
import { registerSa11yMatcher } from "@sa11y/jest";
import StiggConfiguration from "c/stiggConfiguration";
import getStatus from "@salesforce/apex/StiggConfigurationController.getStatus";
import saveApiKey from "@salesforce/apex/StiggConfigurationController.saveApiKey";
import testConnection from "@salesforce/apex/StiggConfigurationController.testConnection";
import saveCustomerUrlPattern from "@salesforce/apex/StiggConfigurationController.saveCustomerUrlPattern";
import getReconciliationState from "@salesforce/apex/StiggReconciliationController.getState";

jest.mock("@salesforce/apex/StiggConfigurationController.getStatus", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggConfigurationController.saveApiKey", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggConfigurationController.testConnection", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggConfigurationController.saveCustomerUrlPattern", () => ({ default: jest.fn() }), {
  virtual: true
});

// The tab holds the Reconciliation section, which loads on its own: it is shown with nothing scheduled yet.
jest.mock("@salesforce/apex/StiggReconciliationController.getState", () => ({ default: jest.fn() }), {
  virtual: true
});

const mockGetStatus = getStatus as jest.MockedFunction<typeof getStatus>;
const mockSaveApiKey = saveApiKey as jest.MockedFunction<typeof saveApiKey>;
const mockTestConnection = testConnection as jest.MockedFunction<typeof testConnection>;
const mockSavePattern = saveCustomerUrlPattern as jest.MockedFunction<typeof saveCustomerUrlPattern>;
const mockGetReconciliationState = getReconciliationState as jest.MockedFunction<typeof getReconciliationState>;

const DEFAULT_PATTERN = "https://app.stigg.io/{environmentSlug}/customers/{customerId}";

const CHECKLIST: StiggChecklistItem[] = [
  {
    key: "apiKey",
    label: "API key saved",
    state: "todo",
    detail: "No Stigg API key is saved.",
    nextStep: "Paste a server API key above."
  },
  {
    key: "connection",
    label: "Connection works",
    state: "unknown",
    detail: "Not tested yet.",
    nextStep: "Click Test connection."
  },
  {
    key: "products",
    label: "Products mapped",
    state: "warning",
    detail: "3 active products mapped. With a Stigg Type but no Stigg ID: Gold Support.",
    nextStep: "Enter the Stigg ID of each product listed."
  },
  {
    key: "flow",
    label: "Subscription flow active",
    state: "todo",
    detail: "Opportunity - Stigg Subscription Template is inactive.",
    nextStep: "Open it in Flow Builder, Save As a new flow and activate the copy.",
    linkUrl: "/builder_platform_interaction/flowBuilder.app?flowId=301000000000001AAA",
    linkLabel: "Open in Flow Builder"
  },
  { key: "users", label: "Users can provision", state: "done", detail: "4 users have the Stigg User permission set." }
];

/** The checklist once setup is complete: every line done, no next step. */
const SETUP_DONE: StiggChecklistItem[] = CHECKLIST.map(({ key, label }) => ({
  key,
  label,
  state: "done",
  detail: "Done."
}));

function status(overrides: Partial<StiggConfigurationStatus> = {}): StiggConfigurationStatus {
  return {
    apiKeySet: false,
    customerUrlPattern: DEFAULT_PATTERN,
    defaultCustomerUrlPattern: DEFAULT_PATTERN,
    checklist: CHECKLIST,
    ...overrides
  };
}

const configured = (): StiggConfigurationStatus =>
  status({ apiKeySet: true, apiKeySavedAt: "2026-11-20T10:15:00.000Z", apiKeySavedBy: "Ada Admin" });

function apexError(message: string) {
  return { body: { message }, status: 500 };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

type ConfigurationElement = HTMLElement & { shadowRoot: ShadowRoot };

async function render(): Promise<{ element: ConfigurationElement; toasts: CustomEvent[] }> {
  const element = createElement("c-stigg-configuration", { is: StiggConfiguration }) as ConfigurationElement;
  const toasts: CustomEvent[] = [];
  element.addEventListener("lightning__showtoast", (event) => toasts.push(event as CustomEvent));
  document.body.appendChild(element);
  await flush();
  return { element, toasts };
}

const find = (element: ConfigurationElement, id: string) =>
  element.shadowRoot.querySelector(`[data-id="${id}"]`) as (HTMLElement & Record<string, unknown>) | null;

/** What the message part with this data-id shows (its alert, box or error text). */
const messagePart = (element: ConfigurationElement, id: string) =>
  find(element, id)?.shadowRoot?.querySelector<HTMLElement>('[data-id="message"]') ?? null;

/** The button with this data-id in one of the tab's rows of actions. */
const button = (element: ConfigurationElement, id: string) =>
  (Array.from(element.shadowRoot.querySelectorAll("c-stigg-actions"))
    .map((actions) => actions.shadowRoot?.querySelector(`[data-id="${id}"]`))
    .find(Boolean) ?? null) as (HTMLElement & Record<string, unknown>) | null;

function click(element: ConfigurationElement, id: string): void {
  const target = find(element, id) ?? button(element, id);
  if (!target) throw new Error(`No element with data-id ${id}`);
  target.click();
}

function typeApiKey(element: ConfigurationElement, value: string): void {
  const input = find(element, "apiKey");
  if (!input) throw new Error("The API key input is not shown");
  input.value = value;
}

beforeAll(() => {
  registerSa11yMatcher();
});

beforeEach(() => {
  mockGetReconciliationState.mockResolvedValue({
    schedule: { frequency: "Off" },
    drifts: [],
    driftCount: 0,
    includesAcknowledged: false
  });
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe("c-stigg-configuration", () => {
  it("shows a labelled spinner while the configuration loads", async () => {
    mockGetStatus.mockReturnValue(new Promise(() => undefined));
    const element = createElement("c-stigg-configuration", { is: StiggConfiguration }) as ConfigurationElement;
    document.body.appendChild(element);
    await flush();

    const spinner = element.shadowRoot.querySelector("lightning-spinner") as
      (HTMLElement & Record<string, unknown>) | null;
    expect(spinner?.alternativeText).toBe("Loading the Stigg configuration");
    expect(find(element, "apiKey")).toBeNull();
  });

  it("shows only the refusal to a user without the Stigg Admin permission", async () => {
    mockGetStatus.mockRejectedValue(apexError("You need the Stigg Admin permission set to configure Stigg."));
    const { element } = await render();

    expect(messagePart(element, "loadError")?.textContent).toBe(
      "You need the Stigg Admin permission set to configure Stigg."
    );
    expect(find(element, "apiKey")).toBeNull();
    expect(find(element, "testConnection")).toBeNull();
    expect(find(element, "checklist")).toBeNull();
  });

  it("asks for a key when none is saved, in a password field, and cannot test the connection yet", async () => {
    mockGetStatus.mockResolvedValue(status());
    const { element } = await render();

    const input = find(element, "apiKey");
    expect(input?.type).toBe("password");
    expect(input?.label).toBe("Stigg server API key");
    expect(find(element, "keySaved")).toBeNull();
    expect(find(element, "testConnection")?.disabled).toBe(true);
  });

  it("shows when and by whom a saved key was set, never the key, and offers Replace", async () => {
    mockGetStatus.mockResolvedValue(configured());
    const { element } = await render();

    const summary = find(element, "keySaved")?.textContent ?? "";
    expect(summary).toContain("An API key is saved. Saved ");
    expect(summary).toContain(new Date("2026-11-20T10:15:00.000Z").toLocaleString());
    expect(summary).toContain("by Ada Admin.");
    expect(find(element, "apiKey")).toBeNull();
    expect(find(element, "testConnection")?.disabled).toBe(false);

    click(element, "replaceKey");
    await flush();
    expect(find(element, "apiKey")?.label).toBe("New Stigg server API key");
    click(element, "cancelReplace");
    await flush();
    expect(find(element, "apiKey")).toBeNull();
  });

  it("sends the typed key to Apex once, disables Save while saving, then shows the saved state instead of the field", async () => {
    mockGetStatus.mockResolvedValue(status());
    let finishSave: (value: StiggConfigurationStatus) => void = () => undefined;
    mockSaveApiKey.mockReturnValue(new Promise((resolve) => (finishSave = resolve)));
    const { element, toasts } = await render();

    typeApiKey(element, "server-7a1b2c3d");
    click(element, "saveKey");
    await flush();
    expect(mockSaveApiKey).toHaveBeenCalledTimes(1);
    expect(mockSaveApiKey).toHaveBeenCalledWith({ apiKey: "server-7a1b2c3d" });
    expect(button(element, "saveKey")?.disabled).toBe(true);
    expect(button(element, "saveKey")?.label).toBe("Saving…");

    finishSave(configured());
    await flush();
    expect(find(element, "apiKey")).toBeNull();
    expect(find(element, "keySaved")?.textContent).toContain("by Ada Admin.");
    expect(toasts.map((toast) => toast.detail)).toEqual([
      { title: "Stigg API key saved", message: "Test the connection to check it.", variant: "success" }
    ]);
  });

  it("keeps the form and says what to fix when Apex refuses the key", async () => {
    mockGetStatus.mockResolvedValue(status());
    mockSaveApiKey.mockRejectedValue(
      apexError("This is a client key. Paste a server API key from Stigg: it starts with server-.")
    );
    const { element, toasts } = await render();

    typeApiKey(element, "client-abc");
    click(element, "saveKey");
    await flush();

    expect(messagePart(element, "keyError")?.textContent).toBe(
      "This is a client key. Paste a server API key from Stigg: it starts with server-."
    );
    expect(find(element, "apiKey")).not.toBeNull();
    expect(button(element, "saveKey")?.disabled).toBe(false);
    expect(toasts[0].detail).toEqual({
      title: "Stigg API key not saved",
      message: "This is a client key. Paste a server API key from Stigg: it starts with server-.",
      variant: "error"
    });
  });

  it("reports a working connection with the environment and marks the checklist line done", async () => {
    mockGetStatus.mockResolvedValue(configured());
    mockTestConnection.mockResolvedValue({ success: true, message: "Connected", environment: "production" });
    const { element, toasts } = await render();

    click(element, "testConnection");
    await flush();

    expect(mockTestConnection).toHaveBeenCalledTimes(1);
    expect(messagePart(element, "connectionResult")?.textContent).toBe("Connected to Stigg (environment production).");
    expect(messagePart(element, "connectionResult")?.className).toContain("slds-theme_success");
    const line = element.shadowRoot.querySelector('li[data-key="connection"]') as HTMLElement;
    expect(line.dataset.state).toBe("done");
    expect(toasts[0].detail).toEqual({
      title: "Connected to Stigg",
      message: "Connected to Stigg (environment production).",
      variant: "success"
    });
  });

  it("reports the exact connection failure with its code", async () => {
    mockGetStatus.mockResolvedValue(configured());
    mockTestConnection.mockResolvedValue({
      success: false,
      code: "Unauthorized",
      message: "Stigg rejected the API key (401). Save a valid server API key."
    });
    const { element, toasts } = await render();

    click(element, "testConnection");
    await flush();

    const result = messagePart(element, "connectionResult");
    expect(result?.textContent).toBe("Stigg rejected the API key (401). Save a valid server API key. (Unauthorized)");
    expect(result?.className).toContain("slds-theme_error");
    const line = element.shadowRoot.querySelector('li[data-key="connection"]') as HTMLElement;
    expect(line.dataset.state).toBe("todo");
    expect(toasts[0].detail.variant).toBe("error");
  });

  it("lists every checklist line with its state, next step and link", async () => {
    mockGetStatus.mockResolvedValue(status());
    const { element } = await render();

    const lines = Array.from(element.shadowRoot.querySelectorAll("li[data-key]")) as HTMLElement[];
    expect(lines.map((line) => [line.dataset.key, line.dataset.state])).toEqual([
      ["apiKey", "todo"],
      ["connection", "unknown"],
      ["products", "warning"],
      ["flow", "todo"],
      ["users", "done"]
    ]);
    const products = lines[2];
    expect(products.textContent).toContain("With a Stigg Type but no Stigg ID: Gold Support.");
    expect(products.textContent).toContain("Next step: Enter the Stigg ID of each product listed.");
    const icon = products.querySelector("lightning-icon") as HTMLElement & Record<string, unknown>;
    expect(icon.alternativeText).toBe("Needs attention");
    const link = lines[3].querySelector("a") as HTMLAnchorElement;
    expect(link.getAttribute("href")).toBe("/builder_platform_interaction/flowBuilder.app?flowId=301000000000001AAA");
    expect(link.textContent).toBe("Open in Flow Builder");
  });

  it("saves the edited customer link pattern and shows Apex's refusal inline", async () => {
    mockGetStatus.mockResolvedValue(configured());
    mockSavePattern.mockRejectedValueOnce(apexError("The pattern must contain {customerId}."));
    const { element } = await render();

    const input = find(element, "urlPattern");
    expect(input?.value).toBe(DEFAULT_PATTERN);
    input?.dispatchEvent(new CustomEvent("change", { detail: { value: "https://app.stigg.io/acme/customers" } }));
    click(element, "savePattern");
    await flush();
    expect(mockSavePattern).toHaveBeenCalledWith({ pattern: "https://app.stigg.io/acme/customers" });
    expect(messagePart(element, "patternError")?.textContent).toBe("The pattern must contain {customerId}.");

    const saved = "https://app.stigg.io/acme/customers/{customerId}";
    mockSavePattern.mockResolvedValueOnce(status({ apiKeySet: true, customerUrlPattern: saved }));
    input?.dispatchEvent(new CustomEvent("change", { detail: { value: saved } }));
    click(element, "savePattern");
    await flush();
    expect(mockSavePattern).toHaveBeenLastCalledWith({ pattern: saved });
    expect(find(element, "patternError")).toBeNull();
    expect(find(element, "urlPattern")?.value).toBe(saved);
  });

  it("names the permission to ask for instead of offering a key form the user cannot save", async () => {
    const reason =
      "To save the API key you need the Manage Named Credentials permission (or Customize Application): Salesforce requires it to store a key in the Stigg external credential. Ask your Salesforce admin to grant it in your profile or in a permission set of your org: a package cannot grant it.";
    mockGetStatus.mockResolvedValue(status({ apiKeyBlockedReason: reason }));
    const { element } = await render();

    expect(messagePart(element, "keyBlocked")?.textContent).toBe(reason);
    expect(messagePart(element, "keyBlocked")?.getAttribute("role")).toBe("status");
    expect(find(element, "apiKey")).toBeNull();
    expect(button(element, "saveKey")).toBeNull();
    expect(mockSaveApiKey).not.toHaveBeenCalled();
  });

  it("keeps showing a saved key but offers no Replace to a user who cannot save one", async () => {
    const reason = "To save the API key you need the Customize Application permission.";
    mockGetStatus.mockResolvedValue({ ...configured(), apiKeyBlockedReason: reason });
    const { element } = await render();

    expect(find(element, "keySaved")?.textContent).toContain("by Ada Admin.");
    expect(messagePart(element, "keyBlocked")?.textContent).toBe(reason);
    expect(find(element, "replaceKey")).toBeNull();
    expect(find(element, "testConnection")?.disabled).toBe(false);
  });

  it("says which permission the link pattern needs and disables its Save", async () => {
    const reason =
      "To change the Stigg settings you need to edit the Stigg Settings custom setting, and only the Customize Application permission allows it.";
    mockGetStatus.mockResolvedValue({ ...configured(), settingsBlockedReason: reason });
    const { element } = await render();

    expect(messagePart(element, "settingsBlocked")?.textContent).toBe(reason);
    expect(find(element, "savePattern")?.disabled).toBe(true);
    expect(find(element, "keyBlocked")).toBeNull();
    expect(find(element, "replaceKey")).not.toBeNull();
  });
});

/**
 * Every state an admin can meet on the tab, each reached as they reach it and checked with axe (sa11y's
 * rules). Each state first proves it is the one on screen, so the check cannot run on another.
 */
describe("c-stigg-configuration accessibility", () => {
  /** Renders the tab once getStatus answered (or is still loading). */
  async function tab(answer: Promise<StiggConfigurationStatus>): Promise<ConfigurationElement> {
    mockGetStatus.mockReturnValue(answer);
    return (await render()).element;
  }

  /** The state of each checklist line, in order. */
  function lineStates(element: ConfigurationElement): (string | undefined)[] {
    return Array.from(element.shadowRoot.querySelectorAll<HTMLElement>("li[data-key]")).map(
      (line) => line.dataset.state
    );
  }

  /** A connection test that failed with this result (or whose Apex call failed with this error), after a key was saved. */
  async function connectionFailed(
    answer: { result: StiggConnectionResult } | { error: unknown }
  ): Promise<ConfigurationElement> {
    if ("result" in answer) mockTestConnection.mockResolvedValue(answer.result);
    else mockTestConnection.mockRejectedValue(answer.error);
    const element = await tab(Promise.resolve(configured()));
    click(element, "testConnection");
    await flush();
    expect(messagePart(element, "connectionResult")?.className).toContain("slds-theme_error");
    const line = element.shadowRoot.querySelector('li[data-key="connection"]') as HTMLElement;
    expect(line.dataset.state).toBe("todo");
    return element;
  }

  const states: [string, () => Promise<ConfigurationElement>][] = [
    [
      "loading",
      async () => {
        const element = await tab(new Promise(() => undefined));
        expect(element.shadowRoot.querySelector("lightning-spinner")).not.toBeNull();
        return element;
      }
    ],
    [
      "no permission to configure Stigg",
      async () => {
        const element = await tab(
          Promise.reject(apexError("You need the Stigg Admin permission set to configure Stigg."))
        );
        expect(messagePart(element, "loadError")?.textContent).toBe(
          "You need the Stigg Admin permission set to configure Stigg."
        );
        return element;
      }
    ],
    [
      "no key saved",
      async () => {
        const element = await tab(Promise.resolve(status()));
        expect(find(element, "apiKey")).not.toBeNull();
        return element;
      }
    ],
    [
      "key saved",
      async () => {
        const element = await tab(Promise.resolve(configured()));
        expect(find(element, "keySaved")).not.toBeNull();
        return element;
      }
    ],
    [
      "replacing the saved key",
      async () => {
        const element = await tab(Promise.resolve(configured()));
        click(element, "replaceKey");
        await flush();
        expect(button(element, "cancelReplace")).not.toBeNull();
        return element;
      }
    ],
    [
      "saving the key",
      async () => {
        mockSaveApiKey.mockReturnValue(new Promise(() => undefined));
        const element = await tab(Promise.resolve(status()));
        typeApiKey(element, "server-7a1b2c3d");
        click(element, "saveKey");
        await flush();
        expect(button(element, "saveKey")?.label).toBe("Saving…");
        return element;
      }
    ],
    [
      "key refused",
      async () => {
        mockSaveApiKey.mockRejectedValue(
          apexError("This is a client key. Paste a server API key from Stigg: it starts with server-.")
        );
        const element = await tab(Promise.resolve(status()));
        typeApiKey(element, "client-abc");
        click(element, "saveKey");
        await flush();
        expect(find(element, "keyError")).not.toBeNull();
        return element;
      }
    ],
    [
      "no key saved, and no permission to save one",
      async () => {
        const element = await tab(
          Promise.resolve(
            status({ apiKeyBlockedReason: "To save the API key you need the Manage Named Credentials permission." })
          )
        );
        expect(find(element, "keyBlocked")).not.toBeNull();
        expect(find(element, "apiKey")).toBeNull();
        return element;
      }
    ],
    [
      "key saved, and no permission to replace it",
      async () => {
        const element = await tab(
          Promise.resolve({
            ...configured(),
            apiKeyBlockedReason: "To save the API key you need the Customize Application permission."
          })
        );
        expect(find(element, "keyBlocked")).not.toBeNull();
        expect(find(element, "keySaved")).not.toBeNull();
        return element;
      }
    ],
    [
      "testing the connection",
      async () => {
        mockTestConnection.mockReturnValue(new Promise(() => undefined));
        const element = await tab(Promise.resolve(configured()));
        click(element, "testConnection");
        await flush();
        expect(find(element, "testConnection")?.label).toBe("Testing…");
        return element;
      }
    ],
    [
      "connection works",
      async () => {
        mockTestConnection.mockResolvedValue({ success: true, message: "Connected", environment: "production" });
        const element = await tab(Promise.resolve(configured()));
        click(element, "testConnection");
        await flush();
        expect(messagePart(element, "connectionResult")?.className).toContain("slds-theme_success");
        return element;
      }
    ],
    [
      "connection failed: key rejected",
      () =>
        connectionFailed({
          result: {
            success: false,
            code: "Unauthorized",
            message: "Stigg rejected the API key (401). Save a valid server API key from Stigg."
          }
        })
    ],
    [
      "connection failed: key lacks permission",
      () =>
        connectionFailed({
          result: {
            success: false,
            code: "Forbidden",
            message:
              "The API key lacks permission (403). Use a server API key, not a client key, of the right Stigg environment."
          }
        })
    ],
    [
      "connection failed: Stigg unreachable",
      () =>
        connectionFailed({
          result: {
            success: false,
            code: "CalloutFailed",
            message: "Stigg is unreachable: Unable to tunnel through proxy."
          }
        })
    ],
    [
      "connection failed: timeout",
      () =>
        connectionFailed({
          result: {
            success: false,
            code: "CalloutFailed",
            message:
              "Stigg did not answer in time (timeout). Try again; if it persists, raise the callout timeout in Stigg Settings."
          }
        })
    ],
    [
      "connection failed: the Apex call itself failed",
      () => connectionFailed({ error: apexError("You need the Stigg Admin permission set to configure Stigg.") })
    ],
    [
      "saving the link pattern",
      async () => {
        mockSavePattern.mockReturnValue(new Promise(() => undefined));
        const element = await tab(Promise.resolve(configured()));
        click(element, "savePattern");
        await flush();
        expect(find(element, "savePattern")?.label).toBe("Saving…");
        return element;
      }
    ],
    [
      "link pattern saved",
      async () => {
        const saved = "https://app.stigg.io/acme/customers/{customerId}";
        mockSavePattern.mockResolvedValue({ ...configured(), customerUrlPattern: saved });
        const element = await tab(Promise.resolve(configured()));
        find(element, "urlPattern")?.dispatchEvent(new CustomEvent("change", { detail: { value: saved } }));
        click(element, "savePattern");
        await flush();
        expect(find(element, "urlPattern")?.value).toBe(saved);
        expect(find(element, "patternError")).toBeNull();
        return element;
      }
    ],
    [
      "link pattern refused",
      async () => {
        mockSavePattern.mockRejectedValue(apexError("The pattern must contain {customerId}."));
        const element = await tab(Promise.resolve(configured()));
        click(element, "savePattern");
        await flush();
        expect(find(element, "patternError")).not.toBeNull();
        return element;
      }
    ],
    [
      "no permission to change the link pattern",
      async () => {
        const element = await tab(
          Promise.resolve({
            ...configured(),
            settingsBlockedReason: "To change the Stigg settings you need the Customize Application permission."
          })
        );
        expect(find(element, "settingsBlocked")).not.toBeNull();
        return element;
      }
    ],
    [
      "checklist with every line state, next steps and a link",
      async () => {
        const element = await tab(Promise.resolve(status()));
        expect(new Set(lineStates(element))).toEqual(new Set(["todo", "unknown", "warning", "done"]));
        expect(element.shadowRoot.querySelector("li[data-key] a")).not.toBeNull();
        return element;
      }
    ],
    [
      "checklist all done",
      async () => {
        const element = await tab(Promise.resolve({ ...configured(), checklist: SETUP_DONE }));
        expect(lineStates(element)).toEqual(["done", "done", "done", "done", "done"]);
        return element;
      }
    ]
  ];

  it.each(states)("is accessible: %s", async (_state, reach) => {
    const element = await reach();
    await expect(element).toBeAccessible();
  });
});
