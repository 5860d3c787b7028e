// HttpRequest, HttpResponse and Http: mocked callouts in tests, real HTTP otherwise.
import { execFileSync } from "node:child_process";
import type { Loc } from "../parse/ast.js";
import { prim } from "../runtime/types.js";
import { ApexBlob, ApexList, ApexObject, NativeObject, type Value } from "../runtime/values.js";
import { str } from "../runtime/operators.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { countLimit } from "../runtime/governor.js";

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
  for (const [key, v] of h) if (key.toLowerCase() === k.toLowerCase()) return v;
  return null;
}

export function newResponse(): NativeObject {
  const d: ResData = { statusCode: 0, status: null, headers: new Map(), body: null };
  return new NativeObject("HttpResponse", d);
}

export function installHttp(lib: Stdlib) {
  const rt = lib.runtime;
  lib.nativeType(
    "System.HttpRequest",
    () => {
      const d: ReqData = { endpoint: null, method: null, headers: new Map(), body: null, timeout: 10000 };
      return new NativeObject("HttpRequest", d);
    },
    (v) => `System.HttpRequest[Endpoint=${(v.data as ReqData).endpoint}, Method=${(v.data as ReqData).method}]`
  );
  lib.nativeType(
    "System.HttpResponse",
    () => newResponse(),
    (v) => `System.HttpResponse[Status=${(v.data as ResData).status}, StatusCode=${(v.data as ResData).statusCode}]`
  );
  lib.nativeType("System.Http", () => new NativeObject("Http", {}));

  const s = (v: Value) => (v === null ? null : str(rt, v));
  const req = (o: NativeObject) => o.data as ReqData;
  const res = (o: NativeObject) => o.data as ResData;
  lib.instance<NativeObject>("httprequest", {
    setEndpoint: (o, a) => ((req(o).endpoint = s(a[0])), null),
    getEndpoint: (o) => req(o).endpoint,
    setMethod: (o, a) => ((req(o).method = s(a[0])), null),
    getMethod: (o) => req(o).method,
    setHeader: (o, a) => (req(o).headers.set(String(a[0]), String(a[1])), null),
    getHeader: (o, a) => headerGet(req(o).headers, String(a[0])),
    setBody: (o, a) => ((req(o).body = s(a[0])), null),
    getBody: (o) => req(o).body ?? "",
    setBodyAsBlob: (o, a) => ((req(o).body = a[0] instanceof ApexBlob ? a[0].bytes.toString("utf8") : null), null),
    getBodyAsBlob: (o) => new ApexBlob(Buffer.from(req(o).body ?? "", "utf8")),
    setTimeout: (o, a) => ((req(o).timeout = Number(a[0])), null),
    setCompressed: () => null,
    toString: (o: NativeObject) => rt.nativeToString(o)
  });
  lib.instance<NativeObject>("httpresponse", {
    setStatusCode: (o, a) => ((res(o).statusCode = Number(a[0])), null),
    getStatusCode: (o) => res(o).statusCode,
    setStatus: (o, a) => ((res(o).status = s(a[0])), null),
    getStatus: (o) => res(o).status,
    setHeader: (o, a) => (res(o).headers.set(String(a[0]), String(a[1])), null),
    getHeader: (o, a) => headerGet(res(o).headers, String(a[0])),
    getHeaderKeys: (o) => new ApexList(prim("String"), [...res(o).headers.keys()]),
    setBody: (o, a) => ((res(o).body = s(a[0])), null),
    getBody: (o) => res(o).body,
    setBodyAsBlob: (o, a) => ((res(o).body = a[0] instanceof ApexBlob ? a[0].bytes.toString("utf8") : null), null),
    getBodyAsBlob: (o) => new ApexBlob(Buffer.from(res(o).body ?? "", "utf8")),
    toString: (o: NativeObject) => rt.nativeToString(o)
  });
  lib.instance<NativeObject>("http", {
    send: (_o, a, loc) => send(lib, a[0], loc)
  });
}

function send(lib: Stdlib, request: Value, loc: Loc): Value {
  const rt = lib.runtime;
  if (!(request instanceof NativeObject) || request.typeName !== "HttpRequest") nullPointer(rt);
  const r = request.data as ReqData;
  if (rt.transaction.uncommittedDml) {
    throwApex(
      rt,
      "CalloutException",
      "You have uncommitted work pending. Please commit or rollback before calling out"
    );
  }
  countLimit(rt, "callouts");
  if (!r.endpoint) throwApex(rt, "CalloutException", "Endpoint URL is not set");
  if (rt.transaction.test) {
    const mock = rt.transaction.test.mock;
    if (mock === null)
      throwApex(rt, "CalloutException", "Methods defined as TestMethod do not support Web service callouts");
    if (!(mock instanceof ApexObject)) unsupported(rt, "Test.setMock with a non-HttpCalloutMock", loc);
    const response = rt.callMethod(mock, "respond", [request], loc);
    if (!(response instanceof NativeObject) || response.typeName !== "HttpResponse") {
      throwApex(rt, "CalloutException", "The mock did not return an HttpResponse");
    }
    return response;
  }
  return realCallout(lib, r);
}

/** Resolves `callout:Name/...` through the configured Named Credentials. */
export function resolveEndpoint(lib: Stdlib, endpoint: string): { url: string; headers: Record<string, string> } {
  const rt = lib.runtime;
  const m = /^callout:([A-Za-z0-9_]+(?:__[A-Za-z0-9_]+)?)(.*)$/.exec(endpoint);
  if (!m) return { url: endpoint, headers: {} };
  const nc = lib.namedCredentials.get(m[1].toLowerCase());
  if (!nc || !nc.url) {
    throwApex(rt, "CalloutException", `Unable to resolve named credential ${m[1]}: give local-org its URL`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(nc.headers ?? {})) {
    headers[k] = v.replace(
      /\{!\$Credential\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}/g,
      (_all, cred: string, param: string) => {
        const value = lib.credentials.get(`${cred}.${param}`.toLowerCase());
        if (value === undefined) {
          throwApex(
            rt,
            "CalloutException",
            `No value for credential ${cred}.${param} of named credential ${m[1]}: give it to local-org`
          );
        }
        return value;
      }
    );
  }
  return { url: nc.url.replace(/\/$/, "") + m[2], headers };
}

// Callouts are synchronous in Apex; a child process performs the request so that the
// interpreter can wait for it without an event loop.
const FETCH_SCRIPT = `
let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", async () => {
  const r = JSON.parse(input);
  try {
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body ?? undefined, signal: AbortSignal.timeout(r.timeout) });
    const headers = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    process.stdout.write(JSON.stringify({ ok: true, status: res.status, statusText: res.statusText, headers, body: await res.text() }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.cause ? e.cause : e) }));
  }
});`;

function realCallout(lib: Stdlib, r: ReqData): Value {
  const rt = lib.runtime;
  const { url, headers } = resolveEndpoint(lib, r.endpoint!);
  const allHeaders: Record<string, string> = { ...headers };
  for (const [k, v] of r.headers) allHeaders[k] = v;
  const input = JSON.stringify({
    url,
    method: r.method ?? "GET",
    headers: allHeaders,
    body: r.body,
    timeout: r.timeout
  });
  const out = execFileSync(process.execPath, ["-e", FETCH_SCRIPT], {
    input,
    encoding: "utf8",
    timeout: r.timeout + 5000
  });
  const result = JSON.parse(out) as
    | { ok: true; status: number; statusText: string; headers: Record<string, string>; body: string }
    | { ok: false; error: string };
  if (!result.ok) throwApex(rt, "CalloutException", `Unable to tunnel through proxy or connect: ${result.error}`);
  const resp = newResponse();
  const d = resp.data as ResData;
  d.statusCode = result.status;
  d.status = result.statusText;
  d.body = result.body;
  for (const [k, v] of Object.entries(result.headers)) d.headers.set(k, v);
  return resp;
}
