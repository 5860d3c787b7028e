// The preview's own parts that need no browser: finding Chromium, the command line, the server's routes
// and its checks on Apex calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BrowserNotFoundError, INSTALL_INSTRUCTION, findChromium } from "../src/browser";
import { parsePreviewArguments } from "../src/cli";
import { entryFileName, tagName } from "../src/bundle";
import {
  parseApexRequest,
  recordPageHtml,
  startServer,
  tabPageHtml,
  type ApexActionRequest,
  type RecordSummary,
  type SiteOptions
} from "../src/server";

const SITE: SiteOptions = {
  appLabel: "Stigg",
  tab: { label: "A <b> & C", component: "c/someTab" },
  recordPage: { component: "c/someCard", objects: ["Account"] }
};

function executable(dir: string, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
  return file;
}

test("findChromium takes CHROMIUM_PATH first, then the first known location that is executable", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-browser-"));
  const notExecutable = path.join(dir, "plain");
  fs.writeFileSync(notExecutable, "");
  const second = executable(dir, "second");
  const explicit = executable(dir, "explicit");
  assert.equal(findChromium({}, [notExecutable, path.join(dir, "missing"), second]), second);
  assert.equal(findChromium({ CHROMIUM_PATH: explicit }, [second]), explicit);
});

test("without a browser, findChromium stops with one line that says what to install", () => {
  assert.throws(
    () => findChromium({}, ["/nonexistent/chromium"]),
    (error: unknown) => {
      assert.ok(error instanceof BrowserNotFoundError);
      assert.equal(error.message, INSTALL_INSTRUCTION);
      assert.ok(!error.message.includes("\n"));
      assert.match(error.message, /apt-get install -y chromium/);
      return true;
    }
  );
  assert.throws(
    () => findChromium({ CHROMIUM_PATH: "/nonexistent/chrome" }, []),
    /CHROMIUM_PATH=\/nonexistent\/chrome is not an executable file/
  );
});

test("the command line takes a port, a Stigg URL and an API key, and names what it refuses", () => {
  assert.deepEqual(
    parsePreviewArguments(["--port", "4200", "--stigg-url", "https://api.stigg.io/", "--api-key", "server-x"]),
    {
      port: 4200,
      stiggUrl: "https://api.stigg.io",
      apiKey: "server-x"
    }
  );
  assert.deepEqual(parsePreviewArguments(["--records", "--port", "0"]), { records: true, port: 0 });
  assert.throws(
    () => parsePreviewArguments(["--records", "--stigg-url", "https://api.stigg.io"]),
    /--records provisions demo customers in fake-stigg: leave out --stigg-url/
  );
  assert.throws(() => parsePreviewArguments(["--port", "http"]), /--port must be a port number, not http/);
  assert.throws(() => parsePreviewArguments(["--stigg-url", "api.stigg.io"]), /--stigg-url must be an http\(s\) URL/);
  assert.throws(() => parsePreviewArguments(["--api-key"]), /--api-key needs a value/);
  assert.throws(() => parsePreviewArguments(["--verbose", "1"]), /unknown option --verbose/);
});

test("a component specifier becomes its custom element name and its entry file", () => {
  assert.equal(tagName("c/stiggConfiguration"), "c-stigg-configuration");
  assert.equal(entryFileName("c/stiggCard"), "stiggCard.js");
});

test("the tab page escapes its labels, loads its component's entry and gives it a place to mount", () => {
  const html = tabPageHtml(SITE, "someTab.js");
  assert.match(html, /<title>A &#60;b&#62; &#38; C \| Salesforce<\/title>/);
  assert.match(html, /<script type="module" src="\/bundle\/someTab.js"><\/script>/);
  assert.match(html, /<div data-mount="c-some-tab"><\/div>/);
});

const RECORD: RecordSummary = {
  objectLabel: "Account",
  icon: "account",
  name: "Smith & <Sons>",
  highlights: [{ label: "Stigg Customer ID", value: "acme" }],
  fields: [{ label: "Account Name", value: "Smith & <Sons>" }]
};

test("a record page names the record, escapes its fields, and gives the card recordId and objectApiName", () => {
  const html = recordPageHtml(SITE, "someCard.js", "Account", "001000000000001AAA", RECORD);
  assert.match(html, /<title>Smith &#38; &#60;Sons&#62; \| Salesforce<\/title>/);
  assert.match(html, /<script type="module" src="\/bundle\/someCard.js"><\/script>/);
  assert.ok(!html.includes("<Sons>"), "the record's name is escaped");
  assert.match(
    html,
    /<div data-mount="c-some-card" data-props="\{&#34;recordId&#34;:&#34;001000000000001AAA&#34;,&#34;objectApiName&#34;:&#34;Account&#34;\}"><\/div>/
  );
  assert.match(
    html,
    /<div class="slds-text-title slds-truncate">Stigg Customer ID<\/div>\s*<div class="slds-truncate">acme<\/div>/
  );
  assert.match(html, /<dt class="slds-text-title">Account Name<\/dt>\s*<dd [^>]*>Smith &#38; &#60;Sons&#62;<\/dd>/);
});

test("an Apex call needs a class, a method and named parameters", () => {
  assert.equal(parseApexRequest("{"), "the request body is not JSON");
  assert.equal(parseApexRequest(`{"className":"A"}`), "the request needs className and methodName");
  assert.equal(
    parseApexRequest(`{"className":"A","methodName":"b","params":[1]}`),
    "params must be an object of named parameters"
  );
  assert.deepEqual(parseApexRequest(`{"className":"A","methodName":"b"}`), {
    className: "A",
    methodName: "b",
    params: {}
  });
});

test("the server answers Apex calls from its own page only, and serves the bundle and SLDS", async () => {
  const calls: ApexActionRequest[] = [];
  const server = await startServer({
    bundle: {
      files: new Map([
        ["someTab.js", "export {};"],
        ["someCard.js", "export {};"]
      ]),
      entries: { "c/someTab": "someTab.js", "c/someCard": "someCard.js" },
      apexMethods: [],
      durationMs: 0,
      cached: true
    },
    backend: {
      callApex: (request) => (calls.push(request), { state: "SUCCESS", returnValue: 42 }),
      recordSummary: (objectApiName, recordId) =>
        objectApiName === "Account" && recordId === "001000000000001AAA" ? RECORD : null
    },
    site: SITE
  });
  try {
    const origin = server.url.replace(/\/$/, "");
    const body = JSON.stringify({ className: "Foo", methodName: "bar", params: { x: 1 } });
    const own = await fetch(`${server.url}apex`, { method: "POST", body, headers: { Origin: origin } });
    assert.deepEqual(await own.json(), { state: "SUCCESS", returnValue: 42 });
    assert.deepEqual(calls, [{ className: "Foo", methodName: "bar", params: { x: 1 } }]);
    const foreign = await fetch(`${server.url}apex`, {
      method: "POST",
      body,
      headers: { Origin: "http://example.com" }
    });
    assert.equal(foreign.status, 403);
    assert.equal(calls.length, 1);
    assert.equal((await fetch(`${server.url}apex`)).status, 405);
    assert.equal(await (await fetch(`${server.url}bundle/someTab.js`)).text(), "export {};");
    assert.match(await (await fetch(server.url)).text(), /data-mount="c-some-tab"/);
    const recordPage = await fetch(`${server.url}lightning/r/Account/001000000000001AAA/view`);
    assert.equal(recordPage.status, 200);
    assert.match(await recordPage.text(), /data-mount="c-some-card"/);
    // No such record, an object the card is not placed on, an address that is no record id.
    assert.equal((await fetch(`${server.url}lightning/r/Account/001000000000002AAA/view`)).status, 404);
    assert.equal((await fetch(`${server.url}lightning/r/Contact/003000000000001AAA/view`)).status, 404);
    assert.equal((await fetch(`${server.url}lightning/r/Account/..%2F..%2Fetc/view`)).status, 404);
    assert.equal((await fetch(`${server.url}bundle/missing.js`)).status, 404);
    const css = await fetch(`${server.url}assets/styles/salesforce-lightning-design-system.min.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get("content-type") ?? "", /text\/css/);
    assert.equal((await fetch(`${server.url}assets/..%2F..%2Fpackage.json`)).status, 404);
  } finally {
    await server.close();
  }
});
