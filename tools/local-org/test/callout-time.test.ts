// The transaction's cumulative callout time, as Salesforce limits it: 120 seconds for all callouts of a
// transaction. Once it is spent, every further callout throws a CalloutException (code can catch it), and a
// callout that would run past it is stopped when the time runs out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { LocalOrg } from "../src/index.js";
import { LIMITS } from "../src/runtime/limits.js";

/**
 * A server in its own process (a callout blocks this one): `/fast` answers at once, `/slow` after delayMs and
 * `/hang` never, so the tests do not depend on how busy the machine is.
 */
async function slowServer(delayMs: number) {
  const server = spawn(
    process.execPath,
    [
      "-e",
      `require("http").createServer((req, res) => {
         const answer = () => { res.writeHead(200); res.end("ok"); };
         if (req.url === "/fast") answer();
         else if (req.url === "/slow") setTimeout(answer, ${delayMs});
       }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`
    ],
    { stdio: ["ignore", "pipe", "inherit"] }
  );
  const port = await new Promise<string>((resolve) => server.stdout!.once("data", (d) => resolve(String(d).trim())));
  return { url: `http://127.0.0.1:${port}`, close: () => server.kill() };
}

const call = (path: string) =>
  `HttpRequest req = new HttpRequest(); req.setEndpoint('callout:Svc/${path}'); req.setMethod('GET');`;

test("callout time: the limit is shared by the transaction's callouts and stops them when spent", async () => {
  const server = await slowServer(400);
  // 120 s of real waiting would be too slow for a test: the same rule, with a limit of one second.
  const limits = LIMITS as { calloutTime: number };
  const realLimit = limits.calloutTime;
  limits.calloutTime = 1000;
  try {
    const o = LocalOrg.load({ sourceDirs: [], namedCredentials: { Svc: { url: server.url } } });
    const r = o.runAnonymous(`${call("fast")} req.setTimeout(10000);
      System.debug(new Http().send(req).getBody());
      System.debug(new Http().send(req).getBody());
      req.setEndpoint('callout:Svc/hang');
      for (Integer i = 0; i < 2; i++) {
        try { new Http().send(req); System.debug('answered'); } catch (CalloutException e) { System.debug(e.getMessage()); }
      }
      System.debug(Limits.getCallouts());`);
    assert.equal(r.exceptionMessage, null);
    assert.deepEqual(r.debugLog, [
      "ok",
      "ok",
      // The third callout hangs: it may wait only what is left of the second, and is stopped there.
      "Exceeded maximum time allotted for callout (1000 ms)",
      // Nothing is left: refused before it starts, and not counted as a callout.
      "Exceeded maximum time allotted for callout (1000 ms)",
      "3"
    ]);
    // A new transaction has its own callout time.
    assert.deepEqual(o.runAnonymous(`${call("fast")} System.debug(new Http().send(req).getBody());`).debugLog, ["ok"]);
  } finally {
    limits.calloutTime = realLimit;
    server.close();
  }
});

test("callout time: a callout's own timeout, within the limit, reads as a timeout", async () => {
  const server = await slowServer(400);
  try {
    const o = LocalOrg.load({ sourceDirs: [], namedCredentials: { Svc: { url: server.url } } });
    const r = o.runAnonymous(`${call("slow")} req.setTimeout(100);
      try { new Http().send(req); } catch (CalloutException e) { System.debug(e.getMessage()); }`);
    assert.deepEqual(r.debugLog, ["Read timed out"]);
  } finally {
    server.close();
  }
});
