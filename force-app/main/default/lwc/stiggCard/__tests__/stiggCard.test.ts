import { createElement } from "lwc";
import { registerSa11yMatcher } from "@sa11y/jest";
import { refreshApex } from "@salesforce/apex";
import StiggCard, { NO_PERMISSION_MESSAGE } from "c/stiggCard";
import getCard from "@salesforce/apex/StiggCardController.getCard";

jest.mock(
  "@salesforce/apex/StiggCardController.getCard",
  () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApexTestWireAdapter } = require("@salesforce/sfdx-lwc-jest");
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock("@salesforce/apex", () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

/** The test adapter sfdx-lwc-jest puts in place of the Apex method: it emits what Apex would answer. */
const getCardAdapter = getCard as unknown as {
  emit(value: StiggCardAnswer): void;
  error(body?: unknown, status?: number, statusText?: string): void;
  getLastConfig(): Record<string, unknown> | null;
};
const mockRefreshApex = refreshApex as jest.MockedFunction<typeof refreshApex>;

const ACCOUNT_ID = "001Dn00000AbCdEIAV";

function answer(overrides: Partial<StiggCardAnswer> = {}): StiggCardAnswer {
  return {
    state: "ready",
    customerId: "acme-corp",
    customerName: "Acme Corp",
    customerUrl: "https://app.stigg.io/acme-production/customers/acme-corp",
    subscriptions: [
      {
        subscriptionId: "subscription-pro-acme",
        planId: "plan-pro",
        planName: "Pro",
        status: "ACTIVE",
        billingPeriod: "MONTHLY",
        url: "https://app.stigg.io/acme-production/subscriptions/subscription-pro-acme",
        isThisDeal: true,
        addons: [{ addonId: "addon-extra-seats", name: "Extra seats", quantity: 5 }]
      },
      {
        subscriptionId: "subscription-basic-acme",
        planId: "plan-basic",
        planName: "Basic",
        status: "IN_TRIAL",
        billingPeriod: "ANNUALLY",
        trialEndDate: "2030-01-29T00:00:00.000Z",
        isThisDeal: false,
        addons: []
      }
    ],
    entitlements: [
      {
        featureId: "feature-api-calls",
        name: "API calls",
        featureType: "NUMBER",
        granted: true,
        unlimited: false,
        usageLimit: 50000,
        currentUsage: 12500,
        units: "calls",
        resetPeriod: "MONTH"
      },
      {
        featureId: "feature-storage-gb",
        name: "Storage",
        featureType: "NUMBER",
        granted: true,
        unlimited: true,
        currentUsage: 40,
        units: "GB"
      },
      { featureId: "feature-sso", name: "Single sign-on", featureType: "BOOLEAN", granted: true, unlimited: false }
    ],
    credits: [{ currencyId: "credits-ai-tokens", name: "AI tokens", balance: 750, granted: 1000, consumed: 250 }],
    fetchedAt: new Date().toISOString(),
    cacheSeconds: 60,
    ...overrides
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

type CardElement = HTMLElement & { shadowRoot: ShadowRoot; recordId?: string };

async function render(): Promise<CardElement> {
  const element = createElement("c-stigg-card", { is: StiggCard }) as CardElement;
  element.recordId = ACCOUNT_ID;
  document.body.appendChild(element);
  await flush();
  return element;
}

const find = (element: CardElement, id: string) =>
  element.shadowRoot.querySelector(`[data-id="${id}"]`) as (HTMLElement & Record<string, unknown>) | null;

/** What the message part with this data-id shows (its alert or box). */
const messagePart = (element: CardElement, id: string) =>
  find(element, id)?.shadowRoot?.querySelector<HTMLElement>('[data-id="message"]') ?? null;

const texts = (element: CardElement, selector: string) =>
  Array.from(element.shadowRoot.querySelectorAll(selector)).map((node) => node.textContent?.trim() ?? "");

beforeAll(() => {
  registerSa11yMatcher();
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe("c-stigg-card", () => {
  it("asks Apex for the record it is on and shows a labelled spinner until Stigg answers", async () => {
    const element = await render();

    expect(getCardAdapter.getLastConfig()).toEqual({ recordId: ACCOUNT_ID });
    const spinner = element.shadowRoot.querySelector("lightning-spinner") as
      (HTMLElement & Record<string, unknown>) | null;
    expect(spinner?.alternativeText).toBe("Loading Stigg data");
    await expect(element).toBeAccessible();
  });

  it("shows the live subscriptions with status, billing period, trial end, add-ons and links into Stigg", async () => {
    const element = await render();
    getCardAdapter.emit(answer());
    await flush();

    expect(find(element, "customer")?.textContent).toContain("Acme Corp (acme-corp)");
    const customerLink = find(element, "customerLink") as HTMLAnchorElement | null;
    expect(customerLink?.getAttribute("href")).toBe("https://app.stigg.io/acme-production/customers/acme-corp");
    expect(customerLink?.textContent).toBe("Open Acme Corp in Stigg");
    expect(customerLink?.getAttribute("target")).toBe("_blank");

    const rows = Array.from(element.shadowRoot.querySelectorAll("li[data-key^='subscription-']")) as HTMLElement[];
    expect(rows.map((row) => row.dataset.key)).toEqual(["subscription-pro-acme", "subscription-basic-acme"]);
    const pro = rows[0];
    expect(pro.querySelector("a")?.getAttribute("href")).toBe(
      "https://app.stigg.io/acme-production/subscriptions/subscription-pro-acme"
    );
    expect(pro.querySelector("a")?.textContent).toBe("Pro");
    expect(pro.querySelector("[data-id='status']")?.textContent).toBe("Active");
    expect(pro.querySelector("[data-id='thisDeal']")?.textContent).toBe("This deal");
    expect(pro.querySelector("[data-id='details']")?.textContent).toBe("Monthly");
    expect(pro.querySelector("ul[aria-label='Add-ons']")?.textContent).toBe("Extra seats × 5");

    const basic = rows[1];
    expect(basic.querySelector("a")).toBeNull();
    expect(basic.querySelector("[data-id='status']")?.textContent).toBe("In trial");
    expect(basic.querySelector("[data-id='thisDeal']")).toBeNull();
    expect(basic.querySelector("[data-id='details']")?.textContent).toBe(
      `Annually · trial ends ${new Date("2030-01-29T00:00:00.000Z").toLocaleDateString(undefined, {
        timeZone: "UTC",
        dateStyle: "medium"
      })}`
    );
    await expect(element).toBeAccessible();
  });

  it("shows each entitlement's limit and usage, a meter for limited ones, and the credit balances", async () => {
    const element = await render();
    getCardAdapter.emit(answer());
    await flush();

    expect(texts(element, "[data-id='entitlements'] > li > p")).toEqual([
      `API calls: ${(12500).toLocaleString()} of ${(50000).toLocaleString()} calls used per month`,
      "Storage: Unlimited (40 GB used)",
      "Single sign-on: Included"
    ]);
    const meters = Array.from(element.shadowRoot.querySelectorAll("[role='progressbar']")) as HTMLElement[];
    expect(meters).toHaveLength(1);
    expect(meters[0].getAttribute("aria-valuenow")).toBe("25");
    expect(meters[0].getAttribute("aria-label")).toBe("API calls: 25% of the limit used");
    expect(texts(element, "[data-id='credits'] > li")).toEqual([
      `AI tokens: 750 left of ${(1000).toLocaleString()} granted (250 used)`
    ]);
    expect(find(element, "fetchedAt")?.textContent).toMatch(/^As of /);
    await expect(element).toBeAccessible();
  });

  it("says so when the customer has no live subscription and shows no empty sections", async () => {
    const element = await render();
    getCardAdapter.emit(answer({ subscriptions: [], entitlements: [], credits: [] }));
    await flush();

    expect(find(element, "noSubscriptions")?.textContent).toBe("No live subscription in Stigg.");
    expect(find(element, "entitlements")).toBeNull();
    expect(find(element, "credits")).toBeNull();
  });

  it("says the account has no Stigg customer yet", async () => {
    const message =
      "This account is not linked to a Stigg customer yet. It is linked when its first deal is provisioned in Stigg (the Stigg Customer ID on the account).";
    const element = await render();
    getCardAdapter.emit(answer({ state: "noCustomer", message, subscriptions: [], entitlements: [], credits: [] }));
    await flush();

    expect(find(element, "noCustomer")?.textContent).toBe(message);
    expect(find(element, "subscriptions")).toBeNull();
    expect(find(element, "retry")).toBeNull();
    await expect(element).toBeAccessible();
  });

  it("says Stigg could not be reached, with the reason, what to do and the trace, and retries on request", async () => {
    const element = await render();
    getCardAdapter.emit(
      answer({
        state: "unreachable",
        code: "StiggUnavailable",
        message: "Stigg is unavailable (HTTP 503).",
        advice: "Stigg had a server error or is down for maintenance: retry in a few minutes.",
        traceId: "trace-9",
        retryable: true,
        subscriptions: [],
        entitlements: [],
        credits: []
      })
    );
    await flush();

    expect(messagePart(element, "unreachable")?.getAttribute("role")).toBe("alert");
    expect(messagePart(element, "unreachable")?.textContent).toBe("Stigg could not be reached");
    expect(find(element, "reason")?.textContent).toBe("Stigg is unavailable (HTTP 503).");
    expect(find(element, "advice")?.textContent).toBe(
      "Stigg had a server error or is down for maintenance: retry in a few minutes."
    );
    expect(find(element, "failureDetail")?.textContent?.trim()).toBe(
      "Error code StiggUnavailable, trace trace-9. This is usually temporary: try again in a moment."
    );
    await expect(element).toBeAccessible();

    let finish: () => void = () => undefined;
    mockRefreshApex.mockReturnValueOnce(new Promise<void>((resolve) => (finish = resolve)));
    find(element, "retry")?.click();
    await flush();
    expect(mockRefreshApex).toHaveBeenCalledTimes(1);
    expect(find(element, "retry")?.label).toBe("Retrying…");
    // It stays enabled, so it keeps the keyboard focus; a second click while retrying asks nothing more.
    expect(find(element, "retry")?.disabled).toBeFalsy();
    find(element, "retry")?.click();
    await flush();
    expect(mockRefreshApex).toHaveBeenCalledTimes(1);

    getCardAdapter.emit(answer());
    finish();
    await flush();
    expect(find(element, "unreachable")).toBeNull();
    expect(texts(element, "[data-id='status']")).toEqual(["Active", "In trial"]);
  });

  it("says retrying alone will not help when a setting must change first", async () => {
    const element = await render();
    getCardAdapter.emit(
      answer({
        state: "unreachable",
        code: "Unauthorized",
        message: "Stigg rejected the API key (401).",
        advice: "Enter a valid Stigg server API key on the Stigg Configuration tab.",
        retryable: false,
        subscriptions: [],
        entitlements: [],
        credits: []
      })
    );
    await flush();

    expect(find(element, "failureDetail")?.textContent?.trim()).toBe(
      "Error code Unauthorized. Retrying will not help until this is fixed."
    );
  });

  it("tells a viewer without the Stigg permission which permission sets to ask for", async () => {
    const message =
      "You need the Stigg User, Stigg Viewer or Stigg Admin permission set to see this customer's Stigg subscriptions. Ask your Salesforce admin to assign one.";
    const element = await render();
    getCardAdapter.emit(answer({ state: "noPermission", message, subscriptions: [], entitlements: [], credits: [] }));
    await flush();

    expect(messagePart(element, "noPermission")?.textContent).toBe(message);
    expect(messagePart(element, "noPermission")?.getAttribute("role")).toBe("status");
    expect(find(element, "customer")).toBeNull();
    await expect(element).toBeAccessible();
  });

  it("shows the same permission message when Salesforce refuses the Apex class itself", async () => {
    const element = await render();
    getCardAdapter.error({ message: "You do not have access to the Apex class named 'StiggCardController'." }, 403);
    await flush();

    expect(messagePart(element, "noPermission")?.textContent).toBe(NO_PERMISSION_MESSAGE);
  });

  it("shows Apex's refusal when the card is placed on a page it does not support", async () => {
    const element = await render();
    getCardAdapter.error({ message: "The Stigg card works on Account and Opportunity record pages only." });
    await flush();

    expect(messagePart(element, "loadFailed")?.textContent).toBe(
      "The Stigg card could not load: The Stigg card works on Account and Opportunity record pages only."
    );
    expect(find(element, "retry")).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it("asks again once when Lightning serves an answer older than the card keeps it", async () => {
    const element = await render();
    const stale = answer({ fetchedAt: new Date(Date.now() - 61_000).toISOString(), cacheSeconds: 60 });
    getCardAdapter.emit(stale);
    await flush();
    expect(mockRefreshApex).toHaveBeenCalledTimes(1);

    getCardAdapter.emit({ ...stale });
    await flush();
    expect(mockRefreshApex).toHaveBeenCalledTimes(1);
    expect(find(element, "customer")).not.toBeNull();
  });

  it("does not ask again for a fresh answer, and refreshes from the header button", async () => {
    const element = await render();
    getCardAdapter.emit(answer());
    await flush();
    expect(mockRefreshApex).not.toHaveBeenCalled();

    const refresh = find(element, "refresh");
    expect(refresh?.alternativeText).toBe("Refresh Stigg data");
    refresh?.click();
    await flush();
    expect(mockRefreshApex).toHaveBeenCalledTimes(1);
  });
});
