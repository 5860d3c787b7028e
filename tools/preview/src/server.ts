/**
 * The preview's web server, on 127.0.0.1 only: the pages (a Lightning Experience tab around its component at `/`,
 * and record pages with a component in the sidebar at `/lightning/r/Object/id/view`, the addresses Lightning
 * Experience uses), their bundled modules, SLDS's assets, and `POST /apex`, where each `@salesforce/apex` call of
 * a page is answered by an Apex backend (the local org running the package's controllers).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { tagName, type Bundle } from "./bundle";

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

/** What a record page shows around the component: the header and the details panel, read from the org. */
export interface RecordSummary {
  /** The object's label, as the page header shows it above the name ("Opportunity"). */
  objectLabel: string;
  /** The SLDS standard icon of the object ("opportunity"). */
  icon: string;
  name: string;
  /** The header's fields, as the highlights panel shows them. */
  highlights: { label: string; value: string }[];
  /** The details panel's fields. */
  fields: { label: string; value: string }[];
}

export interface ApexBackend {
  callApex(request: ApexActionRequest): ApexActionResult;
  /** The record a record page shows, or null when there is no such record. */
  recordSummary?(objectApiName: string, recordId: string): RecordSummary | null;
}

/** The app the preview serves: its tab, and the record pages a component is placed on. */
export interface SiteOptions {
  /** The app's name in the navigation bar. */
  appLabel: string;
  /** The app's tab, served at `/`: its label (also the browser tab's title) and its component. */
  tab: { label: string; component: string };
  /** Record pages, at `/lightning/r/Object/id/view`, with the component at the top of the sidebar. */
  recordPage?: { component: string; objects: string[] };
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

const SLDS_ASSETS = path.join(path.dirname(require.resolve("@salesforce-ux/design-system/package.json")), "assets");
const MAX_REQUEST_BYTES = 1_000_000;
const RECORD_PAGE = /^\/lightning\/r\/([A-Za-z][A-Za-z0-9_]*)\/([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})\/view$/;

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

/** The page's frame: the app's navigation bar, then the content on the page background. */
function frame(options: {
  title: string;
  appLabel: string;
  tabLabel: string;
  /** The record open in the navigation bar, when the page is a record's. */
  current?: string;
  entry: string | null;
  body: string;
}): string {
  const app = escapeHtml(options.appLabel);
  const onTab = options.current === undefined;
  const items = [
    `<li class="preview-nav__item${onTab ? " preview-nav__item_active" : ""} slds-p-horizontal_small"><a href="/"${onTab ? ' aria-current="page"' : ""}>${escapeHtml(options.tabLabel)}</a></li>`,
    ...(onTab
      ? []
      : [
          `<li class="preview-nav__item preview-nav__item_active slds-p-horizontal_small"><span aria-current="page">${escapeHtml(options.current!)}</span></li>`
        ])
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} | Salesforce</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #b0c4df; min-height: 100vh; }
  .preview-band { background: linear-gradient(#b0c4df, #f3f3f3 12rem); min-height: calc(100vh - 2.5rem); }
  .preview-nav { background: #fff; border-bottom: 3px solid #0176d3; height: 2.5rem; }
  .preview-nav__item { line-height: 2.5rem; }
  .preview-nav__item_active { border-bottom: 3px solid #0176d3; }
</style>
${options.entry ? `<script type="module" src="/bundle/${options.entry}"></script>\n` : ""}</head>
<body>
<div class="slds-scope">
  <header class="preview-nav slds-grid slds-grid_vertical-align-center slds-p-horizontal_medium" role="banner">
    <span class="slds-text-heading_small slds-p-right_large">${app}</span>
    <nav aria-label="${app}">
      <ul class="slds-grid">
        ${items.join("\n        ")}
      </ul>
    </nav>
  </header>
  <div class="preview-band slds-p-around_small">
    <main>
${options.body}
    </main>
  </div>
</div>
</body>
</html>
`;
}

/** The app's tab: its component alone on the page, as a Lightning component tab shows it. */
export function tabPageHtml(site: SiteOptions, entry: string): string {
  return frame({
    title: site.tab.label,
    appLabel: site.appLabel,
    tabLabel: site.tab.label,
    entry,
    body: `      <h1 class="slds-assistive-text">${escapeHtml(site.tab.label)}</h1>
      <div data-mount="${tagName(site.tab.component)}"></div>`
  });
}

/** The highlights panel's fields, in the page header's detail row. */
function highlightList(fields: { label: string; value: string }[]): string {
  return fields
    .map(
      (field) => `<li class="slds-page-header__detail-block">
              <div class="slds-text-title slds-truncate">${escapeHtml(field.label)}</div>
              <div class="slds-truncate">${escapeHtml(field.value)}</div>
            </li>`
    )
    .join("\n            ");
}

/** The details panel's fields, two columns of label and value. */
function detailList(fields: { label: string; value: string }[]): string {
  return fields
    .map(
      (field) => `<div class="slds-col slds-size_1-of-2 slds-p-bottom_small">
                  <dt class="slds-text-title">${escapeHtml(field.label)}</dt>
                  <dd class="slds-text-body_regular" style="white-space: pre-line">${escapeHtml(field.value)}</dd>
                </div>`
    )
    .join("\n                ");
}

/**
 * A record page as the package's record pages lay it out (the standard page with the component at the top of the
 * sidebar): the record's header and details (stand-ins for the highlights and details panels, read from the org),
 * and the component, given `recordId` and `objectApiName` as a record page gives them.
 */
export function recordPageHtml(
  site: SiteOptions,
  entry: string,
  objectApiName: string,
  recordId: string,
  record: RecordSummary
): string {
  const props = escapeHtml(JSON.stringify({ recordId, objectApiName }));
  return frame({
    title: record.name,
    appLabel: site.appLabel,
    tabLabel: site.tab.label,
    current: record.name,
    entry,
    body: `      <div class="slds-page-header slds-page-header_record-home">
        <div class="slds-page-header__row">
          <div class="slds-page-header__col-title">
            <div class="slds-media">
              <div class="slds-media__figure">
                <span class="slds-icon_container slds-icon-standard-${escapeHtml(record.icon)}">
                  <svg class="slds-icon slds-page-header__icon" aria-hidden="true"><use href="/assets/icons/standard-sprite/svg/symbols.svg#${escapeHtml(record.icon)}"></use></svg>
                </span>
              </div>
              <div class="slds-media__body">
                <h1>
                  <span>${escapeHtml(record.objectLabel)}</span>
                  <span class="slds-page-header__title slds-truncate" data-id="recordName">${escapeHtml(record.name)}</span>
                </h1>
              </div>
            </div>
          </div>
        </div>
        <div class="slds-page-header__row slds-page-header__row_gutters">
          <div class="slds-page-header__col-details">
            <ul class="slds-page-header__detail-row" aria-label="Highlights">
            ${highlightList(record.highlights)}
            </ul>
          </div>
        </div>
      </div>
      <div class="slds-grid slds-gutters_x-small slds-m-top_small">
        <div class="slds-col slds-size_2-of-3">
          <article class="slds-card" aria-labelledby="preview-details-heading">
            <div class="slds-card__header">
              <h2 id="preview-details-heading" class="slds-card__header-title">Details</h2>
            </div>
            <div class="slds-card__body slds-card__body_inner">
              <dl class="slds-grid slds-wrap" data-id="recordDetails">
                ${detailList(record.fields)}
              </dl>
            </div>
          </article>
        </div>
        <div class="slds-col slds-size_1-of-3" data-region="sidebar">
          <div data-mount="${tagName(site.recordPage!.component)}" data-props="${props}"></div>
        </div>
      </div>`
  });
}

/** What Lightning Experience shows for a record that does not exist or that the user cannot see. */
function missingRecordHtml(site: SiteOptions): string {
  return frame({
    title: "Record not found",
    appLabel: site.appLabel,
    tabLabel: site.tab.label,
    current: "Record not found",
    entry: null,
    body: `      <div class="slds-box slds-theme_default">
        <h1 class="slds-text-heading_medium">Looks like there's a problem.</h1>
        <p>The record you're trying to view has been deleted, or you don't have access to it.</p>
      </div>`
  });
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
  site: SiteOptions;
  port?: number;
}): Promise<PreviewServer> {
  const { bundle, backend, site } = options;
  const entryOf = (component: string): string => {
    const entry = bundle.entries[component];
    if (!entry) throw new Error(`the bundle has no entry for ${component}`);
    return entry;
  };
  const tabHtml = tabPageHtml(site, entryOf(site.tab.component));
  let origin = "";
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    try {
      if (request.method === "GET" && (url.pathname === "/" || url.pathname === "/index.html")) {
        return send(response, 200, "text/html; charset=utf-8", tabHtml);
      }
      const recordPage = RECORD_PAGE.exec(url.pathname);
      if (request.method === "GET" && recordPage && site.recordPage) {
        const [, objectApiName, recordId] = recordPage;
        const record = site.recordPage.objects.includes(objectApiName)
          ? (backend.recordSummary?.(objectApiName, recordId) ?? null)
          : null;
        return record
          ? send(
              response,
              200,
              "text/html; charset=utf-8",
              recordPageHtml(site, entryOf(site.recordPage.component), objectApiName, recordId, record)
            )
          : send(response, 404, "text/html; charset=utf-8", missingRecordHtml(site));
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
