/**
 * The preview's web server, on 127.0.0.1 only: the page (a Lightning Experience tab around the component),
 * its bundled modules, SLDS's assets, and `POST /apex`, where each `@salesforce/apex` call of the page is
 * answered by an Apex backend (the local org running the package's controller).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Bundle } from "./bundle";

/** One `@salesforce/apex/Class.method` call, with its named parameters. */
export interface ApexActionRequest {
  className: string;
  methodName: string;
  params: Record<string, unknown>;
}

/** The answer Lightning gives the component: the method's result, or the error body and status. */
export type ApexActionResult =
  | { state: "SUCCESS"; returnValue: unknown }
  | { state: "ERROR"; status: number; statusText: string; body: { message: string; [detail: string]: unknown } };

export interface ApexBackend {
  callApex(request: ApexActionRequest): ApexActionResult;
}

export interface PageOptions {
  /** The browser tab's title and the tab's name in the navigation bar. */
  tabLabel: string;
  /** The app's name in the navigation bar. */
  appLabel: string;
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

const SLDS_ASSETS = path.join(path.dirname(require.resolve("@salesforce-ux/design-system/package.json")), "assets");
const MAX_REQUEST_BYTES = 1_000_000;

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2"
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A one-region Lightning app page: the app's navigation bar, then the tab's component on the page background. */
export function pageHtml(options: PageOptions, entry: string): string {
  const tab = escapeHtml(options.tabLabel);
  const app = escapeHtml(options.appLabel);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${tab} | Salesforce</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #b0c4df; min-height: 100vh; }
  .preview-band { background: linear-gradient(#b0c4df, #f3f3f3 12rem); min-height: calc(100vh - 2.5rem); }
  .preview-nav { background: #fff; border-bottom: 3px solid #0176d3; height: 2.5rem; }
  .preview-nav__item { line-height: 2.5rem; border-bottom: 3px solid #0176d3; }
</style>
<script type="module" src="/bundle/${entry}"></script>
</head>
<body>
<div class="slds-scope">
  <header class="preview-nav slds-grid slds-grid_vertical-align-center slds-p-horizontal_medium" role="banner">
    <span class="slds-text-heading_small slds-p-right_large">${app}</span>
    <nav aria-label="${app}">
      <ul class="slds-grid">
        <li class="preview-nav__item slds-p-horizontal_small"><a href="/" aria-current="page">${tab}</a></li>
      </ul>
    </nav>
  </header>
  <div class="preview-band slds-p-around_small">
    <main data-region="main">
      <h1 class="slds-assistive-text">${tab}</h1>
    </main>
  </div>
</div>
</body>
</html>
`;
}

function send(response: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff"
  });
  response.end(body);
}

function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  send(response, status, "application/json; charset=utf-8", JSON.stringify(value));
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error("request too large"));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Reads and checks an Apex call; returns why it is refused, or the request. */
export function parseApexRequest(text: string): ApexActionRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "the request body is not JSON";
  }
  const candidate = value as Partial<ApexActionRequest> | null;
  if (!candidate || typeof candidate.className !== "string" || typeof candidate.methodName !== "string") {
    return "the request needs className and methodName";
  }
  const params = candidate.params ?? {};
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return "params must be an object of named parameters";
  }
  return { className: candidate.className, methodName: candidate.methodName, params };
}

export function startServer(options: {
  bundle: Bundle;
  backend: ApexBackend;
  page: PageOptions;
  port?: number;
}): Promise<PreviewServer> {
  const { bundle, backend } = options;
  const html = pageHtml(options.page, bundle.entry);
  let origin = "";
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    try {
      if (request.method === "GET" && (url.pathname === "/" || url.pathname === "/index.html")) {
        return send(response, 200, "text/html; charset=utf-8", html);
      }
      if (request.method === "GET" && url.pathname.startsWith("/bundle/")) {
        const code = bundle.files.get(url.pathname.slice("/bundle/".length));
        return code === undefined
          ? send(response, 404, "text/plain", "not found")
          : send(response, 200, CONTENT_TYPES[".js"], code);
      }
      if (request.method === "GET" && url.pathname.startsWith("/assets/")) {
        const file = path.normalize(path.join(SLDS_ASSETS, decodeURIComponent(url.pathname.slice("/assets/".length))));
        if (!file.startsWith(SLDS_ASSETS + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
          return send(response, 404, "text/plain", "not found");
        }
        return send(
          response,
          200,
          CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
          fs.readFileSync(file)
        );
      }
      if (url.pathname === "/apex") {
        if (request.method !== "POST") return send(response, 405, "text/plain", "POST only");
        // Only the page itself may call Apex: no other site open in the same browser.
        if (request.headers.origin !== undefined && request.headers.origin !== origin) {
          return send(response, 403, "text/plain", "cross-origin Apex calls are refused");
        }
        const parsed = parseApexRequest(await readBody(request));
        if (typeof parsed === "string") return send(response, 400, "text/plain", parsed);
        return sendJson(response, 200, backend.callApex(parsed));
      }
      if (request.method === "GET" && url.pathname === "/favicon.ico") return send(response, 204, "text/plain", "");
      return send(response, 404, "text/plain", "not found");
    } catch (error) {
      return send(response, 500, "text/plain", `preview: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      origin = `http://127.0.0.1:${port}`;
      resolve({
        url: `${origin}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          })
      });
    });
  });
}
