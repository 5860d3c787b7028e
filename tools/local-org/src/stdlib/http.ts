// HttpRequest, HttpResponse and Http: mocked callouts in tests, real HTTP otherwise.
import { execFileSync } from "node:child_process";
import type { Loc } from "../parse/ast.js";
import { prim } from "../runtime/types.js";
import { ApexBlob, ApexList, ApexObject, NativeObject, type Value } from "../runtime/values.js";
import { str } from "../runtime/operators.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { countLimit } from "../runtime/governor.js";
import { LIMITS } from "../runtime/limits.js";

interface ReqData extends Record<string, unknown> {
  endpoint: string | null;
  method: string | null;
  headers: Map<string, string>;
  body: string | null;
  timeout: number;
}

interface ResData extends Record<string, unknown> {
  statusCode: number;
  status: string | null;
  headers: Map<string, string>;
  body: string | null;
}

function headerGet(h: Map<string, string>, k: string): string | null {
  if (h.has(k)) return h.get(k)!;
  for (const [key, value] of h) if (key.toLowerCase() === k.toLowerCase()) return value;
  return null;
}

export function newResponse(): NativeObject {
  const d: ResData = { statusCode: 0, status: null, headers: new Map(), body: null };
  return new NativeObject("HttpResponse", d);
}

export function installHttp(lib: Stdlib) {
  const runtime = lib.runtime;
  lib.nativeType(
    "System.HttpRequest",
    () => {
      const d: ReqData = { endpoint: null, method: null, headers: new Map(), body: null, timeout: 10000 };
      return new NativeObject("HttpRequest", d);
    },
    (object) =>
      `System.HttpRequest[Endpoint=${(object.data as ReqData).endpoint}, Method=${(object.data as ReqData).method}]`
  );
  lib.nativeType(
    "System.HttpResponse",
    () => newResponse(),
    (object) =>
      `System.HttpResponse[Status=${(object.data as ResData).status}, StatusCode=${(object.data as ResData).statusCode}]`
  );
  lib.nativeType("System.Http", () => new NativeObject("Http", {}));

  const s = (value: Value) => (value === null ? null : str(runtime, value));
  const request = (object: NativeObject) => object.data as ReqData;
  const result = (object: NativeObject) => object.data as ResData;
  lib.instance<NativeObject>("httprequest", {
    setEndpoint: (object, args) => ((request(object).endpoint = s(args[0])), null),
    getEndpoint: (object) => request(object).endpoint,
    setMethod: (object, args) => ((request(object).method = s(args[0])), null),
    getMethod: (object) => request(object).method,
    setHeader: (object, args) => (request(object).headers.set(String(args[0]), String(args[1])), null),
    getHeader: (object, args) => headerGet(request(object).headers, String(args[0])),
    setBody: (object, args) => ((request(object).body = s(args[0])), null),
    getBody: (object) => request(object).body ?? "",
    setBodyAsBlob: (object, args) => (
      (request(object).body = args[0] instanceof ApexBlob ? args[0].bytes.toString("utf8") : null),
      null
    ),
    getBodyAsBlob: (object) => new ApexBlob(Buffer.from(request(object).body ?? "", "utf8")),
    setTimeout: (object, args) => ((request(object).timeout = Number(args[0])), null),
    setCompressed: () => null,
    toString: (object: NativeObject) => runtime.nativeToString(object)
  });
  lib.instance<NativeObject>("httpresponse", {
    setStatusCode: (object, args) => ((result(object).statusCode = Number(args[0])), null),
    getStatusCode: (object) => result(object).statusCode,
    setStatus: (object, args) => ((result(object).status = s(args[0])), null),
    getStatus: (object) => result(object).status,
    setHeader: (object, args) => (result(object).headers.set(String(args[0]), String(args[1])), null),
    getHeader: (object, args) => headerGet(result(object).headers, String(args[0])),
    getHeaderKeys: (object) => new ApexList(prim("String"), [...result(object).headers.keys()]),
    setBody: (object, args) => ((result(object).body = s(args[0])), null),
    getBody: (object) => result(object).body,
    setBodyAsBlob: (object, args) => (
      (result(object).body = args[0] instanceof ApexBlob ? args[0].bytes.toString("utf8") : null),
      null
    ),
    getBodyAsBlob: (object) => new ApexBlob(Buffer.from(result(object).body ?? "", "utf8")),
    toString: (object: NativeObject) => runtime.nativeToString(object)
  });
  lib.instance<NativeObject>("http", {
    send: (_object, args, loc) => send(lib, args[0], loc)
  });
}

function send(lib: Stdlib, request: Value, loc: Loc): Value {
  const runtime = lib.runtime;
  if (!(request instanceof NativeObject) || request.typeName !== "HttpRequest") nullPointer(runtime);
  const r = request.data as ReqData;
  if (runtime.transaction.refuseCallouts > 0)
    throwApex(runtime, "CalloutException", "Callout from triggers are currently not supported.");
  if (runtime.transaction.uncommittedDml) {
    throwApex(
      runtime,
      "CalloutException",
      "You have uncommitted work pending. Please commit or rollback before calling out"
    );
  }
  // The transaction's callouts share 120 s: once spent, Salesforce refuses every further callout (catchably).
  const calloutTimeLeft = LIMITS.calloutTime - runtime.transaction.limits.calloutTime;
  if (calloutTimeLeft <= 0) throwApex(runtime, "CalloutException", calloutTimeExceeded());
  countLimit(runtime, "callouts");
  if (!r.endpoint) throwApex(runtime, "CalloutException", "Endpoint URL is not set");
  if (runtime.transaction.test) {
    const mock = runtime.transaction.test.mock;
    if (mock === null)
      throwApex(runtime, "CalloutException", "Methods defined as TestMethod do not support Web service callouts");
    if (!(mock instanceof ApexObject)) unsupported(runtime, "Test.setMock with a non-HttpCalloutMock", loc);
    const response = runtime.callMethod(mock, "respond", [request], loc);
    if (!(response instanceof NativeObject) || response.typeName !== "HttpResponse") {
      throwApex(runtime, "CalloutException", "The mock did not return an HttpResponse");
    }
    return response;
  }
  return realCallout(lib, r, calloutTimeLeft);
}

function calloutTimeExceeded(): string {
  return `Exceeded maximum time allotted for callout (${LIMITS.calloutTime} ms)`;
}

/** Resolves `callout:Name/...` through the configured Named Credentials. */
export function resolveEndpoint(lib: Stdlib, endpoint: string): { url: string; headers: Record<string, string> } {
  const runtime = lib.runtime;
  const match = /^callout:([A-Za-z0-9_]+(?:__[A-Za-z0-9_]+)?)(.*)$/.exec(endpoint);
  if (!match) return { url: endpoint, headers: {} };
  const nc = lib.namedCredentials.get(match[1].toLowerCase());
  if (!nc || !nc.url) {
    throwApex(runtime, "CalloutException", `Unable to resolve named credential ${match[1]}: give local-org its URL`);
  }
  const headers: Record<string, string> = {};
  for (const [key, v] of Object.entries(nc.headers ?? {})) {
    headers[key] = v.replace(
      /\{!\$Credential\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}/g,
      (_all, cred: string, param: string) => {
        const value = lib.credentials.get(`${cred}.${param}`.toLowerCase());
        if (value === undefined) {
          throwApex(
            runtime,
            "CalloutException",
            `No value for credential ${cred}.${param} of named credential ${match[1]}: give it to local-org`
          );
        }
        return value;
      }
    );
  }
  return { url: nc.url.replace(/\/$/, "") + match[2], headers };
}

// Callouts are synchronous in Apex; a child process performs the request so that the
// interpreter can wait for it without an event loop.
const FETCH_SCRIPT = `
let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", async () => {
  const r = JSON.parse(input);
  const started = Date.now();
  try {
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body ?? undefined, signal: AbortSignal.timeout(r.timeout) });
    const headers = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const body = await res.text();
    process.stdout.write(JSON.stringify({ ok: true, status: res.status, statusText: res.statusText, headers, body, elapsed: Date.now() - started }));
  } catch (e) {
    const timedOut = Boolean(e && e.name === "TimeoutError");
    process.stdout.write(JSON.stringify({ ok: false, timedOut, error: String(e && e.cause ? e.cause : e), elapsed: Date.now() - started }));
  }
});`;

function realCallout(lib: Stdlib, r: ReqData, calloutTimeLeft: number): Value {
  const runtime = lib.runtime;
  const { url, headers } = resolveEndpoint(lib, r.endpoint!);
  const allHeaders: Record<string, string> = { ...headers };
  for (const [key, value] of r.headers) allHeaders[key] = value;
  // A callout waits no longer than its own timeout nor than what is left of the transaction's callout time.
  const wait = Math.min(r.timeout, calloutTimeLeft);
  const input = JSON.stringify({
    url,
    method: r.method ?? "GET",
    headers: allHeaders,
    body: r.body,
    timeout: wait
  });
  const out = execFileSync(process.execPath, ["-e", FETCH_SCRIPT], {
    input,
    encoding: "utf8",
    timeout: wait + 5000
  });
  const result = JSON.parse(out) as
    | { ok: true; status: number; statusText: string; headers: Record<string, string>; body: string; elapsed: number }
    | { ok: false; timedOut: boolean; error: string; elapsed: number };
  runtime.transaction.limits.calloutTime += result.elapsed;
  if (!result.ok && result.timedOut) {
    throwApex(runtime, "CalloutException", wait < r.timeout ? calloutTimeExceeded() : "Read timed out");
  }
  if (!result.ok) throwApex(runtime, "CalloutException", `Unable to tunnel through proxy or connect: ${result.error}`);
  const resp = newResponse();
  const d = resp.data as ResData;
  d.statusCode = result.status;
  d.status = result.statusText;
  d.body = result.body;
  for (const [key, value] of Object.entries(result.headers)) d.headers.set(key, value);
  return resp;
}
