/**
 * What `@salesforce/apex/Class.method` gives a component in the preview: a function that calls the method
 * on the server with the given parameters and resolves with its result, or rejects with the error object
 * Lightning gives a component (`{ status, body, headers, ok, statusText, errorType }`, `body.message`
 * holding what a person should read).
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

/** The default export of `@salesforce/apex/Class.method`. */
export function apexMethod(className: string, methodName: string): (params?: object) => Promise<unknown> {
  return (params?: object) => callApex(className, methodName, params);
}
