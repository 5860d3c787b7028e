import { createElement } from "lwc";
import { registerSa11yMatcher } from "@sa11y/jest";
import StiggProvisioning, { duration } from "c/stiggProvisioning";
import getState from "@salesforce/apex/StiggProvisioningController.getState";
import retry from "@salesforce/apex/StiggProvisioningController.retry";
import setJobScheduled from "@salesforce/apex/StiggProvisioningController.setJobScheduled";

jest.mock("@salesforce/apex/StiggProvisioningController.getState", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggProvisioningController.retry", () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock("@salesforce/apex/StiggProvisioningController.setJobScheduled", () => ({ default: jest.fn() }), {
  virtual: true
});

const mockGetState = getState as jest.MockedFunction<typeof getState>;
const mockRetry = retry as jest.MockedFunction<typeof retry>;
const mockSetJobScheduled = setJobScheduled as jest.MockedFunction<typeof setJobScheduled>;

const GALACTIC_DEAL = "006Dn00000XyZwQIAV";
const DOWN_DEAL = "006Dn00000XyZwRIAV";

function quiet(overrides: Partial<StiggProvisioningState> = {}): StiggProvisioningState {
  return {
    lastDay: { provisioned: 0, failed: 0, waiting: 0, timed: 0 },
    last30Days: { provisioned: 0, failed: 0, waiting: 0, timed: 0 },
    failures: [],
    failedCount: 0,
    job: { scheduled: false, maxAttempts: 8, firstDelayMinutes: 5 },
    alerts: { channel: "Email and Notification", periodMinutes: 60 },
    logRetentionDays: 90,
    ...overrides
  };
}

const GALACTIC: StiggFailedDeal = {
  opportunityId: GALACTIC_DEAL,
  opportunityName: "Acme - Galactic",
  accountName: "Acme Corp",
  errorCode: "PlanNotFound",
  reason:
    "Stigg provisioning failed [PlanNotFound]: PlanNotFound: Plan not found (trace trace-7f3a) To fix: check the Stigg ID.",
  attempts: 1,
  lastAttemptAt: "2030-01-15T02:00:00.000Z",
  finalFailureAt: "2030-01-15T02:00:00.000Z"
};

const DOWN: StiggFailedDeal = {
  opportunityId: DOWN_DEAL,
  opportunityName: "Globex - Pro",
  accountName: "Globex",
  errorCode: "StiggUnavailable",
  reason: "Stigg provisioning failed [StiggUnavailable]: Stigg is unavailable (HTTP 503).",
  attempts: 2,
  lastAttemptAt: "2030-01-15T02:10:00.000Z",
  nextRetryAt: "2030-01-15T02:25:00.000Z"
};

const busy = (): StiggProvisioningState =>
  quiet({
    lastDay: { provisioned: 12, failed: 1, waiting: 1, timed: 12, medianSeconds: 4, p95Seconds: 95 },
    last30Days: { provisioned: 310, failed: 3, waiting: 1, timed: 310, medianSeconds: 5, p95Seconds: 7260 },
    failures: [DOWN, GALACTIC],
    failedCount: 2,
    job: { scheduled: true, nextRunAt: "2030-01-15T02:25:00.000Z", maxAttempts: 8, firstDelayMinutes: 5 },
    alerts: {
      channel: "Email",
      recipients: "ops@acme.example",
      periodMinutes: 60,
      lastAlertAt: "2030-01-15T02:01:00.000Z",
      lastAlertDelivered: true,
      lastAlertMessage: "Alert about 1 deal that failed for good sent to 1 user (Email)."
    }
  });

function apexError(message: string) {
  return { body: { message }, status: 500 };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

type PanelElement = HTMLElement & { shadowRoot: ShadowRoot };

async function render(): Promise<{ element: PanelElement; toasts: CustomEvent[] }> {
  const element = createElement("c-stigg-provisioning", { is: StiggProvisioning }) as PanelElement;
  const toasts: CustomEvent[] = [];
  element.addEventListener("lightning__showtoast", (event) => toasts.push(event as CustomEvent));
  document.body.appendChild(element);
  await flush();
  return { element, toasts };
}

const find = (root: ParentNode, id: string) =>
  root.querySelector(`[data-id="${id}"]`) as (HTMLElement & Record<string, unknown>) | null;

function row(element: PanelElement, dealId: string): HTMLElement {
  const found = element.shadowRoot.querySelector(`li[data-deal-id="${dealId}"]`) as HTMLElement | null;
  if (!found) throw new Error(`No row for ${dealId}`);
  return found;
}

function counts(element: PanelElement): string[][] {
  return Array.from(element.shadowRoot.querySelectorAll("tr[data-count]")).map((tr) =>
    Array.from(tr.querySelectorAll("th, td")).map((cell) => cell.textContent ?? "")
  );
}

function tick(element: PanelElement, dealId: string, checked: boolean): void {
  find(row(element, dealId), "select")?.dispatchEvent(new CustomEvent("change", { detail: { checked } }));
}

beforeAll(() => {
  registerSa11yMatcher();
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe("c-stigg-provisioning", () => {
  it("shows a spinner while the state loads", async () => {
    let answer: (state: StiggProvisioningState) => void = () => undefined;
    mockGetState.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { element } = await render();

    expect(element.shadowRoot.querySelector("lightning-spinner")).not.toBeNull();
    expect(find(element.shadowRoot, "counts")).toBeNull();
    await expect(element).toBeAccessible();

    answer(quiet());
    await flush();
    expect(element.shadowRoot.querySelector("lightning-spinner")).toBeNull();
    expect(find(element.shadowRoot, "counts")).not.toBeNull();
  });

  it("says there is nothing to retry and that automatic retry is off when nothing failed", async () => {
    mockGetState.mockResolvedValue(quiet());
    const { element } = await render();

    expect(counts(element)).toEqual([
      ["Provisioned", "0", "0"],
      ["Failed, needs a fix", "0", "0"],
      ["Waiting for an automatic retry", "0", "0"]
    ]);
    expect(find(element.shadowRoot, "timingLastDay")?.textContent).toBe("Last day: no won deal provisioned yet.");
    expect(find(element.shadowRoot, "noFailures")?.textContent?.trim()).toBe("No failed deal right now.");
    expect(find(element.shadowRoot, "retrySelected")).toBeNull();
    expect(find(element.shadowRoot, "jobSummary")?.textContent).toMatch(
      /^Off: nothing is retried automatically and nobody is alerted\. A failure that passes on its own/
    );
    expect(find(element.shadowRoot, "toggleJob")?.label).toBe("Turn on");
    expect(find(element.shadowRoot, "alertSummary")?.textContent).toBe(
      "When deals fail for good, an alert goes by email and Salesforce notification to every active user with the Stigg Admin permission set, at most once every 60 minutes, listing every deal that failed meanwhile. Provisioning log entries are kept 90 days. Change these in Setup, Custom Settings, Stigg Settings."
    );
    expect(find(element.shadowRoot, "lastAlert")?.textContent).toBe("No alert sent yet.");
    await expect(element).toBeAccessible();
  });

  it("lists the counts, the time to provision and each failed deal with its reason and next retry", async () => {
    mockGetState.mockResolvedValue(busy());
    const { element } = await render();

    expect(counts(element)).toEqual([
      ["Provisioned", "12", "310"],
      ["Failed, needs a fix", "1", "3"],
      ["Waiting for an automatic retry", "1", "1"]
    ]);
    expect(find(element.shadowRoot, "timingLastDay")?.textContent).toBe(
      "Last day: median 4 s, 95th percentile 1 min 35 s (12 deals)."
    );
    expect(find(element.shadowRoot, "timingLast30Days")?.textContent).toBe(
      "Last 30 days: median 5 s, 95th percentile 2 h 1 min (310 deals)."
    );
    expect(find(element.shadowRoot, "failureHeading")?.textContent).toBe("2 failed deals");
    const down = row(element, DOWN_DEAL);
    expect(down.querySelector("a")?.getAttribute("href")).toBe(`/lightning/r/Opportunity/${DOWN_DEAL}/view`);
    expect(down.querySelector("a")?.textContent).toBe("Globex - Pro");
    expect(find(down, "errorCode")?.textContent).toBe("StiggUnavailable");
    expect(find(down, "reason")?.textContent).toBe(DOWN.reason);
    expect(find(down, "attempts")?.textContent).toBe("2 attempts");
    expect(find(down, "next")?.textContent).toBe(
      `Next automatic retry: ${new Date("2030-01-15T02:25:00.000Z").toLocaleString()}`
    );
    const galactic = row(element, GALACTIC_DEAL);
    expect(find(galactic, "attempts")?.textContent).toBe("1 attempt");
    expect(find(galactic, "next")?.textContent).toBe(
      "Not retried automatically: fix what the reason says, then retry."
    );
    expect(find(element.shadowRoot, "jobSummary")?.textContent).toContain(
      `On: the Stigg Provisioning job runs as you and next checks at ${new Date("2030-01-15T02:25:00.000Z").toLocaleString()}.`
    );
    expect(find(element.shadowRoot, "toggleJob")?.label).toBe("Turn off");
    expect(find(element.shadowRoot, "lastAlert")?.textContent).toBe(
      `Last alert, ${new Date("2030-01-15T02:01:00.000Z").toLocaleString()}: Alert about 1 deal that failed for good sent to 1 user (Email).`
    );
    expect(find(element.shadowRoot, "retrySelected")?.disabled).toBe(true);
    await expect(element).toBeAccessible();
  });

  it("retries one deal, waits while it is on its way, then shows the panel afterwards", async () => {
    mockGetState.mockResolvedValue(busy());
    let answer: (result: StiggRetryResult) => void = () => undefined;
    mockRetry.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { element, toasts } = await render();

    find(row(element, GALACTIC_DEAL), "retry")?.click();
    await flush();

    expect(mockRetry).toHaveBeenCalledWith({ opportunityIds: [GALACTIC_DEAL] });
    expect(find(row(element, GALACTIC_DEAL), "retry")?.label).toBe("Retrying…");
    expect(find(row(element, GALACTIC_DEAL), "retry")?.disabled).toBe(true);
    expect(find(row(element, DOWN_DEAL), "retry")?.disabled).toBe(true);
    expect(find(element.shadowRoot, "retryProgress")?.textContent).toBe("Starting provisioning again for 1 deal…");
    await expect(element).toBeAccessible();

    answer({ started: 1, refused: [], state: { ...busy(), failures: [DOWN], failedCount: 1 } });
    await flush();

    expect(find(element.shadowRoot, "retryProgress")).toBeNull();
    expect(find(element.shadowRoot, "retryOutcome")?.textContent).toBe(
      "Provisioning of 1 deal starts again through the active Stigg flow."
    );
    expect(element.shadowRoot.querySelector(`li[data-deal-id="${GALACTIC_DEAL}"]`)).toBeNull();
    expect(find(row(element, DOWN_DEAL), "retry")?.disabled).toBe(false);
    expect(toasts[0].detail).toEqual({
      title: "Retry started",
      message: "Provisioning of 1 deal starts again through the active Stigg flow.",
      variant: "success"
    });
  });

  it("retries the selection and lists the deals that could not be retried", async () => {
    mockGetState.mockResolvedValue(busy());
    mockRetry.mockResolvedValue({
      started: 1,
      refused: [
        {
          opportunityId: DOWN_DEAL,
          opportunityName: "Globex - Pro",
          reason: "Globex - Pro is already provisioned in Stigg: there is nothing to retry."
        }
      ],
      state: { ...busy(), failures: [], failedCount: 0 }
    });
    const { element, toasts } = await render();

    tick(element, DOWN_DEAL, true);
    tick(element, GALACTIC_DEAL, true);
    tick(element, GALACTIC_DEAL, false);
    tick(element, GALACTIC_DEAL, true);
    await flush();
    expect(find(element.shadowRoot, "retrySelected")?.label).toBe("Retry selected (2)");
    expect(find(element.shadowRoot, "retrySelected")?.disabled).toBe(false);

    find(element.shadowRoot, "retrySelected")?.click();
    await flush();

    expect(mockRetry).toHaveBeenCalledWith({ opportunityIds: [DOWN_DEAL, GALACTIC_DEAL] });
    expect(find(element.shadowRoot, "retryOutcome")?.textContent).toBe(
      "Provisioning of 1 deal starts again through the active Stigg flow. 1 could not be retried: see below."
    );
    expect(
      Array.from(element.shadowRoot.querySelectorAll("[data-id='refusals'] li")).map((item) => item.textContent)
    ).toEqual(["Globex - Pro is already provisioned in Stigg: there is nothing to retry."]);
    expect(find(element.shadowRoot, "noFailures")).not.toBeNull();
    expect(toasts[0].detail.title).toBe("Retry started");
    await expect(element).toBeAccessible();
  });

  it("says why a retry failed and keeps the deal to try again", async () => {
    mockGetState.mockResolvedValue(busy());
    mockRetry.mockRejectedValue(
      apexError("You need the Stigg Admin permission set to see and retry Stigg provisioning.")
    );
    const { element, toasts } = await render();

    find(row(element, GALACTIC_DEAL), "retry")?.click();
    await flush();

    expect(find(element.shadowRoot, "retryError")?.textContent).toBe(
      "You need the Stigg Admin permission set to see and retry Stigg provisioning."
    );
    expect(find(element.shadowRoot, "retryOutcome")).toBeNull();
    expect(row(element, GALACTIC_DEAL)).not.toBeNull();
    expect(find(row(element, GALACTIC_DEAL), "retry")?.label).toBe("Retry");
    expect(find(row(element, GALACTIC_DEAL), "retry")?.disabled).toBe(false);
    expect(toasts[0].detail).toEqual({
      title: "Retry failed",
      message: "You need the Stigg Admin permission set to see and retry Stigg provisioning.",
      variant: "error"
    });
    await expect(element).toBeAccessible();
  });

  it("turns automatic retry on, and shows Salesforce's refusal inline", async () => {
    mockGetState.mockResolvedValue(quiet());
    mockSetJobScheduled.mockResolvedValueOnce(
      quiet({ job: { scheduled: true, nextRunAt: "2030-01-15T02:01:00.000Z", maxAttempts: 8, firstDelayMinutes: 5 } })
    );
    mockSetJobScheduled.mockRejectedValueOnce(
      apexError("Salesforce could not schedule the Stigg Provisioning job: too many scheduled jobs.")
    );
    const { element, toasts } = await render();

    find(element.shadowRoot, "toggleJob")?.click();
    await flush();
    expect(mockSetJobScheduled).toHaveBeenLastCalledWith({ scheduled: true });
    expect(find(element.shadowRoot, "toggleJob")?.label).toBe("Turn off");
    expect(toasts[0].detail.title).toBe("Automatic retry on");

    find(element.shadowRoot, "toggleJob")?.click();
    await flush();
    expect(mockSetJobScheduled).toHaveBeenLastCalledWith({ scheduled: false });
    expect(find(element.shadowRoot, "jobError")?.textContent).toBe(
      "Salesforce could not schedule the Stigg Provisioning job: too many scheduled jobs."
    );
    expect(toasts[1].detail.variant).toBe("error");
  });

  it("warns that waiting deals will not be retried while automatic retry is off", async () => {
    mockGetState.mockResolvedValue(
      quiet({ last30Days: { provisioned: 0, failed: 0, waiting: 3, timed: 0 }, failedCount: 3 })
    );
    const { element } = await render();

    expect(find(element.shadowRoot, "jobSummary")?.textContent).toContain(
      "3 deals wait for a retry that will not run until it is on."
    );
  });

  it("shows only the refusal to someone who is not a Stigg admin", async () => {
    mockGetState.mockRejectedValue(
      apexError(
        "You need the Stigg Admin permission set to see and retry Stigg provisioning. Ask your Salesforce admin to assign it."
      )
    );
    const { element } = await render();

    expect(find(element.shadowRoot, "loadError")?.textContent).toBe(
      "You need the Stigg Admin permission set to see and retry Stigg provisioning. Ask your Salesforce admin to assign it."
    );
    expect(find(element.shadowRoot, "failures")).toBeNull();
    await expect(element).toBeAccessible();
  });

  it("writes durations as a person reads them", () => {
    expect(duration(45)).toBe("45 s");
    expect(duration(60)).toBe("1 min");
    expect(duration(200)).toBe("3 min 20 s");
    expect(duration(3600)).toBe("1 h");
    expect(duration(7500)).toBe("2 h 5 min");
    expect(duration(97200)).toBe("1 d 3 h");
  });
});
