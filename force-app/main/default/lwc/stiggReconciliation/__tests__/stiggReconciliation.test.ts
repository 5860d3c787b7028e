import { createElement } from "lwc";
import { registerSa11yMatcher } from "@sa11y/jest";
import StiggReconciliation from "c/stiggReconciliation";
import getState from "@salesforce/apex/StiggReconciliationController.getState";
import runNow from "@salesforce/apex/StiggReconciliationController.runNow";
import saveSchedule from "@salesforce/apex/StiggReconciliationController.saveSchedule";
import acknowledge from "@salesforce/apex/StiggReconciliationController.acknowledge";
import fixDrift from "@salesforce/apex/StiggReconciliationController.fixDrift";

jest.mock("@salesforce/apex/StiggReconciliationController.getState", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggReconciliationController.runNow", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggReconciliationController.saveSchedule", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggReconciliationController.acknowledge", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggReconciliationController.fixDrift", () => ({ default: jest.fn() }), {
  virtual: true
});

const mockGetState = getState as jest.MockedFunction<typeof getState>;
const mockRunNow = runNow as jest.MockedFunction<typeof runNow>;
const mockSaveSchedule = saveSchedule as jest.MockedFunction<typeof saveSchedule>;
const mockAcknowledge = acknowledge as jest.MockedFunction<typeof acknowledge>;
const mockFixDrift = fixDrift as jest.MockedFunction<typeof fixDrift>;

const PRO_DEAL = "006Dn00000XyZwQIAV";
const BASIC_DEAL = "006Dn00000XyZwRIAV";

function state(overrides: Partial<StiggReconciliationState> = {}): StiggReconciliationState {
  return {
    schedule: { frequency: "Off", hour: 2 },
    drifts: [],
    driftCount: 0,
    includesAcknowledged: false,
    ...overrides
  };
}

const drifted = (): StiggReconciliationState =>
  state({
    schedule: { frequency: "Daily", hour: 2, nextRunAt: "2030-01-16T02:00:00.000Z" },
    lastRun: {
      name: "RUN-00007",
      status: "Completed",
      triggeredBy: "Scheduled",
      startedAt: "2030-01-15T02:00:00.000Z",
      finishedAt: "2030-01-15T02:01:00.000Z",
      checked: 200,
      driftFound: 2,
      checkFailed: 0
    },
    driftCount: 2,
    drifts: [
      {
        opportunityId: PRO_DEAL,
        opportunityName: "Acme - Pro",
        accountName: "Acme Corp",
        subscriptionId: "subscription-acme",
        status: "Drift",
        details:
          "add-on addon-extra-seats: sold 5, Stigg grants 3\nentitlement feature-api-calls: sold 50000, Stigg grants 20000",
        checkedAt: "2030-01-15T02:01:00.000Z"
      },
      {
        opportunityId: BASIC_DEAL,
        opportunityName: "Acme - Basic",
        accountName: "Acme Corp",
        status: "Drift",
        details: "plan: sold plan-basic, Stigg grants plan-pro",
        checkedAt: "2030-01-15T02:01:00.000Z",
        fixBlockedReason: 'Pushing the contract cannot fix "plan: sold plan-basic, Stigg grants plan-pro".'
      }
    ]
  });

function apexError(message: string) {
  return { body: { message }, status: 500 };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

type SectionElement = HTMLElement & { shadowRoot: ShadowRoot };

async function render(): Promise<{ element: SectionElement; toasts: CustomEvent[] }> {
  const element = createElement("c-stigg-reconciliation", { is: StiggReconciliation }) as SectionElement;
  const toasts: CustomEvent[] = [];
  element.addEventListener("lightning__showtoast", (event) => toasts.push(event as CustomEvent));
  document.body.appendChild(element);
  await flush();
  return { element, toasts };
}

const find = (root: ParentNode, id: string) =>
  root.querySelector(`[data-id="${id}"]`) as (HTMLElement & Record<string, unknown>) | null;

/** What the message part with this data-id shows (its box or error text). */
const messagePart = (root: ParentNode, id: string) =>
  find(root, id)?.shadowRoot?.querySelector<HTMLElement>('[data-id="message"]') ?? null;

/** The button with this data-id in one of the rows of actions under root. */
const button = (root: ParentNode, id: string) =>
  (Array.from(root.querySelectorAll("c-stigg-actions"))
    .map((actions) => actions.shadowRoot?.querySelector(`[data-id="${id}"]`))
    .find(Boolean) ?? null) as (HTMLElement & Record<string, unknown>) | null;

function row(element: SectionElement, dealId: string): HTMLElement {
  const found = element.shadowRoot.querySelector(`li[data-deal-id="${dealId}"]`) as HTMLElement | null;
  if (!found) throw new Error(`No row for ${dealId}`);
  return found;
}

function choose(element: SectionElement, id: string, value: string): void {
  find(element.shadowRoot, id)?.dispatchEvent(new CustomEvent("change", { detail: { value } }));
}

beforeAll(() => {
  registerSa11yMatcher();
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe("c-stigg-reconciliation", () => {
  it("proposes a daily run at 02:00 when nothing is scheduled and says no deal was checked yet", async () => {
    mockGetState.mockResolvedValue(state());
    const { element } = await render();

    expect(mockGetState).toHaveBeenCalledWith({ includeAcknowledged: false });
    expect(find(element.shadowRoot, "scheduleSummary")?.textContent).toBe(
      "Not scheduled: deals are compared with Stigg only when you click Run now."
    );
    expect(find(element.shadowRoot, "frequency")?.value).toBe("Daily");
    expect(find(element.shadowRoot, "hour")?.value).toBe("2");
    expect(find(element.shadowRoot, "day")).toBeNull();
    expect(button(element.shadowRoot, "turnOff")).toBeNull();
    expect(find(element.shadowRoot, "lastRun")?.textContent).toBe("No run yet.");
    expect(find(element.shadowRoot, "noDrift")?.textContent).toBe(
      "No drift found yet: run the reconciliation to compare the provisioned deals with Stigg."
    );
    await expect(element).toBeAccessible();
  });

  it("saves a weekly schedule with the day and hour chosen, then shows it", async () => {
    mockGetState.mockResolvedValue(state());
    mockSaveSchedule.mockResolvedValue(
      state({ schedule: { frequency: "Weekly", hour: 22, dayOfWeek: "SUN", nextRunAt: "2030-01-20T22:00:00.000Z" } })
    );
    const { element, toasts } = await render();

    choose(element, "frequency", "Weekly");
    await flush();
    choose(element, "day", "SUN");
    choose(element, "hour", "22");
    button(element.shadowRoot, "saveSchedule")?.click();
    await flush();

    expect(mockSaveSchedule).toHaveBeenCalledWith({
      frequency: "Weekly",
      hour: 22,
      dayOfWeek: "SUN",
      includeAcknowledged: false
    });
    const summary = `Runs every Sunday at 22:00. Next run: ${new Date("2030-01-20T22:00:00.000Z").toLocaleString()}.`;
    expect(find(element.shadowRoot, "scheduleSummary")?.textContent).toBe(summary);
    expect(toasts[0].detail).toEqual({ title: "Reconciliation schedule saved", message: summary, variant: "success" });
    expect(button(element.shadowRoot, "turnOff")).not.toBeNull();
  });

  it("turns the schedule off and shows Apex's refusal of a schedule inline", async () => {
    mockGetState.mockResolvedValue(drifted());
    mockSaveSchedule.mockRejectedValueOnce(apexError("Choose the hour of the run, from 0 to 23."));
    mockSaveSchedule.mockResolvedValueOnce(state());
    const { element } = await render();

    button(element.shadowRoot, "saveSchedule")?.click();
    await flush();
    expect(messagePart(element.shadowRoot, "scheduleError")?.textContent).toBe(
      "Choose the hour of the run, from 0 to 23."
    );

    button(element.shadowRoot, "turnOff")?.click();
    await flush();
    expect(mockSaveSchedule).toHaveBeenLastCalledWith({
      frequency: "Off",
      hour: null,
      dayOfWeek: null,
      includeAcknowledged: false
    });
    expect(find(element.shadowRoot, "scheduleError")).toBeNull();
    expect(button(element.shadowRoot, "turnOff")).toBeNull();
  });

  it("lists each deal with drift, one line per difference, and offers Fix only where pushing the contract helps", async () => {
    mockGetState.mockResolvedValue(drifted());
    const { element } = await render();

    expect(find(element.shadowRoot, "driftHeading")?.textContent).toBe("2 deals need a look");
    const pro = row(element, PRO_DEAL);
    expect(pro.querySelector("a")?.getAttribute("href")).toBe(`/lightning/r/Opportunity/${PRO_DEAL}/view`);
    expect(pro.querySelector("a")?.textContent).toBe("Acme - Pro");
    expect(Array.from(pro.querySelectorAll("ul[aria-label='Differences'] li")).map((line) => line.textContent)).toEqual(
      [
        "add-on addon-extra-seats: sold 5, Stigg grants 3",
        "entitlement feature-api-calls: sold 50000, Stigg grants 20000"
      ]
    );
    expect((button(pro, "fix") as Record<string, unknown>).disabled).toBe(false);
    expect(button(pro, "acknowledge")).not.toBeNull();
    const basic = row(element, BASIC_DEAL);
    expect((button(basic, "fix") as Record<string, unknown>).disabled).toBe(true);
    expect(find(basic, "fixBlocked")?.textContent).toBe(
      'Pushing the contract cannot fix "plan: sold plan-basic, Stigg grants plan-pro".'
    );
    expect(find(element.shadowRoot, "lastRun")?.textContent).toBe(
      `RUN-00007 completed (scheduled, ${new Date("2030-01-15T02:01:00.000Z").toLocaleString()}): 200 deals checked, 2 with drift, 0 could not be checked.`
    );
    await expect(element).toBeAccessible();
  });

  it("fixes a drift from Salesforce and reloads the list", async () => {
    mockGetState.mockResolvedValueOnce(drifted());
    mockGetState.mockResolvedValueOnce(state({ driftCount: 1, drifts: [drifted().drifts[1]] }));
    mockFixDrift.mockResolvedValue({
      success: true,
      message: "Stigg now grants what Acme - Pro sold.",
      status: "In Sync"
    });
    const { element, toasts } = await render();

    button(row(element, PRO_DEAL), "fix")?.click();
    await flush();

    expect(mockFixDrift).toHaveBeenCalledWith({ opportunityId: PRO_DEAL });
    expect(toasts[0].detail).toEqual({
      title: "Drift fixed",
      message: "Stigg now grants what Acme - Pro sold.",
      variant: "success"
    });
    expect(element.shadowRoot.querySelector(`li[data-deal-id="${PRO_DEAL}"]`)).toBeNull();
    expect(find(element.shadowRoot, "driftHeading")?.textContent).toBe("1 deal needs a look");
  });

  it("says why a fix did not happen", async () => {
    mockGetState.mockResolvedValue(drifted());
    mockFixDrift.mockResolvedValue({
      success: false,
      message: "Stigg could not be read, nothing was changed: Stigg is unavailable (HTTP 503)."
    });
    const { element, toasts } = await render();

    button(row(element, PRO_DEAL), "fix")?.click();
    await flush();

    expect(toasts[0].detail).toEqual({
      title: "Drift not fixed",
      message: "Stigg could not be read, nothing was changed: Stigg is unavailable (HTTP 503).",
      variant: "error"
    });
    expect(row(element, PRO_DEAL)).not.toBeNull();
  });

  it("acknowledges a drift and lists acknowledged drift on request", async () => {
    mockGetState.mockResolvedValueOnce(drifted());
    mockAcknowledge.mockResolvedValue(state({ driftCount: 1, drifts: [drifted().drifts[1]] }));
    const acknowledgedRow: StiggDriftRow = {
      ...drifted().drifts[0],
      status: "Acknowledged",
      acknowledgedBy: "Ada Admin",
      acknowledgedAt: "2030-01-15T09:00:00.000Z"
    };
    mockGetState.mockResolvedValueOnce(
      state({ driftCount: 2, includesAcknowledged: true, drifts: [acknowledgedRow, drifted().drifts[1]] })
    );
    const { element, toasts } = await render();

    button(row(element, PRO_DEAL), "acknowledge")?.click();
    await flush();
    expect(mockAcknowledge).toHaveBeenCalledWith({ opportunityId: PRO_DEAL, includeAcknowledged: false });
    expect(toasts[0].detail.title).toBe("Drift acknowledged");
    expect(element.shadowRoot.querySelector(`li[data-deal-id="${PRO_DEAL}"]`)).toBeNull();

    find(element.shadowRoot, "includeAcknowledged")?.dispatchEvent(
      new CustomEvent("change", { detail: { checked: true } })
    );
    await flush();
    expect(mockGetState).toHaveBeenLastCalledWith({ includeAcknowledged: true });
    const acknowledged = row(element, PRO_DEAL);
    expect(find(acknowledged, "driftStatus")?.textContent).toBe("Acknowledged");
    expect(find(acknowledged, "acknowledged")?.textContent).toBe(
      `Acknowledged by Ada Admin ${new Date("2030-01-15T09:00:00.000Z").toLocaleString()}`
    );
    expect(button(acknowledged, "acknowledge")).toBeNull();
  });

  it("shows why a run stopped and offers to resume it", async () => {
    const interrupted = drifted();
    interrupted.lastRun = {
      name: "RUN-00008",
      status: "Interrupted",
      triggeredBy: "On Demand",
      startedAt: "2030-01-15T10:00:00.000Z",
      checked: 100,
      driftFound: 1,
      checkFailed: 0,
      lastError:
        "Stopped after 100 deals: Stigg could not be read [StiggUnavailable]: Stigg is unavailable (HTTP 503). To fix: retry in a few minutes."
    };
    mockGetState.mockResolvedValue(interrupted);
    mockRunNow.mockResolvedValue({
      ...interrupted,
      lastRun: { ...interrupted.lastRun, status: "Running", lastError: undefined }
    });
    const { element, toasts } = await render();

    expect(messagePart(element.shadowRoot, "lastRunError")?.textContent).toBe(interrupted.lastRun.lastError);
    expect(messagePart(element.shadowRoot, "lastRunError")?.className).toContain("slds-theme_error");
    const resume = button(element.shadowRoot, "runNow");
    expect(resume?.label).toBe("Resume run");

    resume?.click();
    await flush();
    expect(mockRunNow).toHaveBeenCalledWith({ includeAcknowledged: false });
    expect(toasts[0].detail.title).toBe("Reconciliation started");
    expect(find(element.shadowRoot, "lastRunError")).toBeNull();
    expect(button(element.shadowRoot, "runNow")?.disabled).toBe(true);
    await expect(element).toBeAccessible();
  });

  it("shows only the refusal to someone who is not a Stigg admin", async () => {
    mockGetState.mockRejectedValue(
      apexError("You need the Stigg Admin permission set to reconcile Stigg. Ask your Salesforce admin to assign it.")
    );
    const { element } = await render();

    expect(messagePart(element.shadowRoot, "loadError")?.textContent).toBe(
      "You need the Stigg Admin permission set to reconcile Stigg. Ask your Salesforce admin to assign it."
    );
    expect(button(element.shadowRoot, "runNow")).toBeNull();
  });
});

/**
 * The section's states the tests above do not already check with axe, each reached as an admin reaches it
 * and proved to be on screen first.
 */
describe("c-stigg-reconciliation accessibility", () => {
  const finishedWithError = (): StiggReconciliationState => {
    const finished = drifted();
    finished.lastRun = {
      ...finished.lastRun!,
      checkFailed: 1,
      lastError: "Acme - Basic could not be checked: Stigg is unavailable (HTTP 503)."
    };
    return finished;
  };

  const states: [string, () => Promise<SectionElement>][] = [
    [
      "loading",
      async () => {
        mockGetState.mockReturnValue(new Promise(() => undefined));
        const { element } = await render();
        expect(element.shadowRoot.querySelector("lightning-spinner")).not.toBeNull();
        return element;
      }
    ],
    [
      "no permission to reconcile",
      async () => {
        mockGetState.mockRejectedValue(apexError("You need the Stigg Admin permission set to reconcile Stigg."));
        const { element } = await render();
        expect(find(element.shadowRoot, "loadError")).not.toBeNull();
        return element;
      }
    ],
    [
      "weekly schedule being chosen, with its day",
      async () => {
        mockGetState.mockResolvedValue(state());
        const { element } = await render();
        choose(element, "frequency", "Weekly");
        await flush();
        expect(find(element.shadowRoot, "day")).not.toBeNull();
        return element;
      }
    ],
    [
      "schedule refused",
      async () => {
        mockGetState.mockResolvedValue(drifted());
        mockSaveSchedule.mockRejectedValue(apexError("Choose the hour of the run, from 0 to 23."));
        const { element } = await render();
        button(element.shadowRoot, "saveSchedule")?.click();
        await flush();
        expect(find(element.shadowRoot, "scheduleError")).not.toBeNull();
        return element;
      }
    ],
    [
      "a run that stopped, with its error",
      async () => {
        const interrupted = drifted();
        interrupted.lastRun = { ...interrupted.lastRun!, status: "Interrupted", lastError: "Stopped after 100 deals." };
        mockGetState.mockResolvedValue(interrupted);
        const { element } = await render();
        expect(messagePart(element.shadowRoot, "lastRunError")?.className).toContain("slds-theme_error");
        return element;
      }
    ],
    [
      "a finished run with an error",
      async () => {
        mockGetState.mockResolvedValue(finishedWithError());
        const { element } = await render();
        expect(messagePart(element.shadowRoot, "lastRunError")?.className).toContain("slds-theme_warning");
        return element;
      }
    ],
    [
      "a fix on its way",
      async () => {
        mockGetState.mockResolvedValue(drifted());
        mockFixDrift.mockReturnValue(new Promise(() => undefined));
        const { element } = await render();
        button(row(element, PRO_DEAL), "fix")?.click();
        await flush();
        expect(button(row(element, PRO_DEAL), "fix")?.disabled).toBe(true);
        return element;
      }
    ],
    [
      "acknowledged drift listed",
      async () => {
        mockGetState.mockResolvedValue(
          state({
            driftCount: 1,
            includesAcknowledged: true,
            drifts: [
              {
                ...drifted().drifts[0],
                status: "Acknowledged",
                acknowledgedBy: "Ada Admin",
                acknowledgedAt: "2030-01-15T09:00:00.000Z"
              }
            ]
          })
        );
        const { element } = await render();
        expect(find(row(element, PRO_DEAL), "driftStatus")?.textContent).toBe("Acknowledged");
        return element;
      }
    ]
  ];

  it.each(states)("is accessible: %s", async (_state, reach) => {
    const element = await reach();
    await expect(element).toBeAccessible();
  });
});
