import { createElement } from "lwc";
import StiggRetryProvisioning from "c/stiggRetryProvisioning";
import retry from "@salesforce/apex/StiggOpportunityRetryController.retry";

jest.mock("@salesforce/apex/StiggOpportunityRetryController.retry", () => ({ default: jest.fn() }), {
  virtual: true
});

const mockRetry = retry as jest.MockedFunction<typeof retry>;

const DEAL = "006Dn00000XyZwQIAV";

type ActionElement = HTMLElement & { recordId?: string; invoke: () => Promise<void> };

function render(): { element: ActionElement; toasts: CustomEvent[] } {
  const element = createElement("c-stigg-retry-provisioning", { is: StiggRetryProvisioning }) as ActionElement;
  element.recordId = DEAL;
  const toasts: CustomEvent[] = [];
  element.addEventListener("lightning__showtoast", (event) => toasts.push(event as CustomEvent));
  document.body.appendChild(element);
  return { element, toasts };
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe("c-stigg-retry-provisioning", () => {
  it("starts the deal's provisioning again and says what happens next", async () => {
    mockRetry.mockResolvedValue("Stigg provisioning of Acme - Pro starts again through the active Stigg flow.");
    const { element, toasts } = render();

    await element.invoke();

    expect(mockRetry).toHaveBeenCalledWith({ opportunityId: DEAL });
    expect(toasts.map((toast) => toast.detail)).toEqual([
      {
        title: "Stigg provisioning retried",
        message: "Stigg provisioning of Acme - Pro starts again through the active Stigg flow.",
        variant: "success"
      }
    ]);
  });

  it("says why the deal was not retried", async () => {
    mockRetry.mockRejectedValue({
      body: { message: "Acme - Pro is already provisioned in Stigg: there is nothing to retry." }
    });
    const { element, toasts } = render();

    await element.invoke();

    expect(toasts[0].detail).toEqual({
      title: "Stigg provisioning not retried",
      message: "Acme - Pro is already provisioned in Stigg: there is nothing to retry.",
      variant: "error"
    });
  });

  it("sends one retry when clicked twice while the first is on its way", async () => {
    let answer: (message: string) => void = () => undefined;
    mockRetry.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { element, toasts } = render();

    const first = element.invoke();
    await element.invoke();
    answer("Stigg provisioning of Acme - Pro starts again through the active Stigg flow.");
    await first;

    expect(mockRetry).toHaveBeenCalledTimes(1);
    expect(toasts).toHaveLength(1);
  });
});
