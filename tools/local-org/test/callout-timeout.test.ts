// A callout that outlives its timeout fails as on the platform.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { LocalOrg } from "../src/index.js";

test("a callout Stigg never answers fails with CalloutException 'Read timed out' after its timeout", async () => {
  // Accepts the connection and never answers.
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = silent.address() as net.AddressInfo;
    const org = LocalOrg.load({ sourceDirs: [] });
    const started = Date.now();
    const result = org.runAnonymous(
      `HttpRequest request = new HttpRequest();
       request.setEndpoint('http://127.0.0.1:${port}/graphql');
       request.setMethod('POST');
       request.setTimeout(500);
       try { new Http().send(request); } catch (CalloutException e) { System.debug(e.getMessage()); }`
    );
    assert.deepEqual(result.debugLog, ["Read timed out"]);
    assert.ok(Date.now() - started >= 500);
  } finally {
    silent.close();
  }
});
