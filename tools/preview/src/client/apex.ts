/**
 * What `@salesforce/apex/Class.method` gives a component in the preview: a function that calls the method
 * on the server with the given parameters and resolves with its result, or rejects with the error object
 * Lightning gives a component (`{ status, body, headers, ok, statusText, errorType }`, `body.message`
 * holding what a person should read).
 *
 * The same function can be wired (`@wire(getCard, { recordId: "$recordId" })`), as in Lightning Experience:
 * the wire calls the method when every parameter is defined (null counts; undefined does not), answers from the
 * page's cache of earlier answers to the same call, and provisions `{ data }` or `{ error }`, read-only.
 * `refreshApex(provisioned)` (the `@salesforce/apex` module) asks the server again, past the cache, and
 * provisions the new answer.
 */

/** The error a component receives from an Apex call that failed, as Lightning shapes it. */
export interface ApexCallError {
  status: number;
  body: { message: string; [detail: string]: unknown };
  headers: Record<string, string>;
  ok: false;
  statusText: string;
  errorType: "fetchResponse";
}

/** What the preview server answers for one Apex action. */
export type ApexActionResponse =
  | { state: "SUCCESS"; returnValue: unknown }
  | { state: "ERROR"; status: number; statusText: string; body: ApexCallError["body"] };

export const APEX_ENDPOINT = "/apex";

function failure(status: number, statusText: string, body: ApexCallError["body"]): ApexCallError {
  return { status, body, headers: {}, ok: false, statusText, errorType: "fetchResponse" };
}

async function callApex(className: string, methodName: string, params: object | undefined): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(APEX_ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ className, methodName, params: params ?? {} })
    });
  } catch (error) {
    // The server is gone: Lightning reports a network failure with status 0.
    throw failure(0, "", { message: `Disconnected or canceled: ${String(error)}` });
  }
  let answer: ApexActionResponse;
  try {
    answer = (await response.json()) as ApexActionResponse;
  } catch {
    throw failure(response.status, response.statusText, { message: `The server answered HTTP ${response.status}` });
  }
  if (answer.state === "SUCCESS") return answer.returnValue;
  throw failure(answer.status, answer.statusText, answer.body);
}

/** What a wire provisions. */
interface Provisioned {
  data?: unknown;
  error?: ApexCallError;
}

/** Answers of wired calls, by method and parameters, for as long as the page lives. */
const answers = new Map<string, Promise<unknown>>();
/** The wire that provisioned each value, for refreshApex. */
const wireOf = new WeakMap<object, ApexWire>();

function cacheKey(className: string, methodName: string, params: Record<string, unknown>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((name) => [name, params[name]]);
  return `${className}.${methodName}:${JSON.stringify(sorted)}`;
}

/** Wired data cannot be changed by the component, as in Lightning Experience. */
function readOnly<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) readOnly(item);
  }
  return value;
}

/** The wire adapter of one `@wire` of an Apex method in one component. */
class ApexWire {
  private params: Record<string, unknown> | null = null;
  private connected = false;

  constructor(
    private readonly className: string,
    private readonly methodName: string,
    private readonly provision: (value: Provisioned) => void
  ) {}

  update(config: Record<string, unknown> | undefined): void {
    const params = { ...(config ?? {}) };
    // An undefined parameter (a "$property" not set yet) means no call; null is a value.
    this.params = Object.values(params).some((value) => value === undefined) ? null : params;
    if (this.connected) void this.load(false);
  }

  connect(): void {
    this.connected = true;
    if (this.params) void this.load(false);
  }

  disconnect(): void {
    this.connected = false;
  }

  /** Calls the method (or takes the cached answer) and provisions what it gives. */
  async load(refresh: boolean): Promise<void> {
    const params = this.params;
    if (!params) return;
    const key = cacheKey(this.className, this.methodName, params);
    let answer = refresh ? undefined : answers.get(key);
    if (!answer) {
      answer = callApex(this.className, this.methodName, params);
      answers.set(key, answer);
      // Errors are not kept: the next wire asks again.
      answer.catch(() => answers.delete(key));
    }
    let value: Provisioned;
    try {
      value = { data: readOnly(await answer), error: undefined };
    } catch (error) {
      value = { data: undefined, error: error as ApexCallError };
    }
    if (params !== this.params) return; // the configuration changed meanwhile: its own call provisions
    wireOf.set(value, this);
    this.provision(value);
  }
}

/** The default export of `@salesforce/apex/Class.method`: a function, and a wire adapter for `@wire`. */
export function apexMethod(
  className: string,
  methodName: string
): ((params?: object) => Promise<unknown>) & { adapter: unknown } {
  const method = (params?: object) => callApex(className, methodName, params);
  return Object.assign(method, {
    adapter: class {
      private readonly wire: ApexWire;
      constructor(provision: (value: Provisioned) => void) {
        this.wire = new ApexWire(className, methodName, provision);
      }
      update(config: Record<string, unknown>): void {
        this.wire.update(config);
      }
      connect(): void {
        this.wire.connect();
      }
      disconnect(): void {
        this.wire.disconnect();
      }
    }
  });
}

/**
 * `refreshApex` of `@salesforce/apex`: asks the server again for a value a wire provisioned, past the cache, and
 * resolves once the new answer is provisioned. A value no wire provisioned resolves with nothing to do.
 */
export async function refreshApex(provisioned: unknown): Promise<void> {
  const wire = provisioned && typeof provisioned === "object" ? wireOf.get(provisioned) : undefined;
  if (wire) await wire.load(true);
}
