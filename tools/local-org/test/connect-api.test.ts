// ConnectApi.NamedCredentials against the local org's credential store: the external credential's
// principals come from metadata, and a saved value is what the next callout's merge field sends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalOrg } from "../src/index.js";

/** A package with a Custom external credential (one named principal) and a named credential using it. */
function credentialApp(): string {
  const root = mkdtempSync(join(tmpdir(), "local-org-credentials-"));
  const base = join(root, "main", "default");
  mkdirSync(join(base, "externalCredentials"), { recursive: true });
  mkdirSync(join(base, "namedCredentials"), { recursive: true });
  writeFileSync(
    join(base, "externalCredentials", "Billing.externalCredential-meta.xml"),
    `<?xml version="1.0" encoding="UTF-8"?><ExternalCredential xmlns="http://soap.sforce.com/2006/04/metadata">
      <authenticationProtocol>Custom</authenticationProtocol>
      <externalCredentialParameters><parameterGroup>Main</parameterGroup><parameterName>Main</parameterName>
        <parameterType>NamedPrincipal</parameterType><sequenceNumber>1</sequenceNumber></externalCredentialParameters>
      <label>Billing</label></ExternalCredential>`
  );
  writeFileSync(
    join(base, "namedCredentials", "Billing.namedCredential-meta.xml"),
    `<?xml version="1.0" encoding="UTF-8"?><NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">
      <label>Billing</label>
      <namedCredentialParameters><parameterName>Url</parameterName><parameterType>Url</parameterType>
        <parameterValue>https://billing.example.com</parameterValue></namedCredentialParameters>
      <namedCredentialParameters><externalCredential>Billing</externalCredential><parameterName>ExternalCredential</parameterName>
        <parameterType>Authentication</parameterType></namedCredentialParameters>
      <namedCredentialParameters><parameterName>X-Key</parameterName><parameterType>HttpHeader</parameterType>
        <parameterValue>{!$Credential.Billing.Key}</parameterValue></namedCredentialParameters>
      <namedCredentialType>SecuredEndpoint</namedCredentialType></NamedCredential>`
  );
  return root;
}

const SAVE = (method: string, key: string) => `
  ConnectApi.CredentialValueInput value = new ConnectApi.CredentialValueInput();
  value.value = '${key}';
  value.encrypted = true;
  ConnectApi.CredentialInput input = new ConnectApi.CredentialInput();
  input.externalCredential = 'Billing';
  input.principalName = 'Main';
  input.principalType = ConnectApi.CredentialPrincipalType.NamedPrincipal;
  input.authenticationProtocol = ConnectApi.CredentialAuthenticationProtocol.Custom;
  input.credentials = new Map<String, ConnectApi.CredentialValueInput>{ 'Key' => value };
  ConnectApi.Credential saved = ConnectApi.NamedCredentials.${method}(input);
  System.debug(saved.authenticationStatus + ' ' + saved.credentials.keySet() + ' ' + saved.credentials.get('Key').encrypted + ' ' + saved.credentials.get('Key').value);`;

const READ = `
  ConnectApi.Credential c = ConnectApi.NamedCredentials.getCredential('Billing', 'Main', ConnectApi.CredentialPrincipalType.NAMEDPRINCIPAL);
  System.debug(c.externalCredential + ' ' + c.principalName + ' ' + c.principalType + ' ' + c.authenticationProtocol + ' ' + c.authenticationStatus + ' ' + c.credentials.keySet());`;

function run(o: LocalOrg, code: string): string[] {
  const result = o.runAnonymous(code);
  if (!result.success) throw new Error(`${result.exceptionMessage}\n${result.stackTrace ?? ""}`);
  return result.debugLog;
}

test("a principal without a saved value reads as NotConfigured with no credentials", () => {
  const o = LocalOrg.load({ sourceDirs: [credentialApp()] });
  assert.deepEqual(run(o, READ), ["Billing Main NamedPrincipal Custom NotConfigured {}"]);
});

test("createCredential saves the value, which then reads back masked", () => {
  const o = LocalOrg.load({ sourceDirs: [credentialApp()] });
  assert.deepEqual(run(o, SAVE("createCredential", "first-key")), ["Configured {Key} true null"]);
  assert.deepEqual(run(o, READ), ["Billing Main NamedPrincipal Custom Configured {Key}"]);
});

test("createCredential refuses a principal that has one; updateCredential refuses one that has none", () => {
  const o = LocalOrg.load({ sourceDirs: [credentialApp()] });
  const update = o.runAnonymous(SAVE("updateCredential", "k"));
  assert.match(update.exceptionMessage ?? "", /^ConnectApi\.NotFoundException: .*no credential to update/);
  run(o, SAVE("createCredential", "k"));
  const again = o.runAnonymous(SAVE("createCredential", "k"));
  assert.match(again.exceptionMessage ?? "", /^ConnectApi\.ConnectApiException: .*already has a credential/);
});

test("an unknown external credential or principal is ConnectApi.NotFoundException, which Apex can catch", () => {
  const o = LocalOrg.load({ sourceDirs: [credentialApp()] });
  const out = run(
    o,
    `try { ConnectApi.NamedCredentials.getCredential('stigg__Billing', 'Main', ConnectApi.CredentialPrincipalType.NamedPrincipal); }
     catch (ConnectApi.NotFoundException e) { System.debug(e.getTypeName() + ': ' + e.getMessage()); }
     try { ConnectApi.NamedCredentials.getCredential('Billing', 'Other', ConnectApi.CredentialPrincipalType.NamedPrincipal); }
     catch (ConnectApi.NotFoundException e) { System.debug(e.getMessage()); }`
  );
  assert.deepEqual(out, [
    "ConnectApi.NotFoundException: No external credential named stigg__Billing exists.",
    "External credential Billing has no named principal Other."
  ]);
});

test("the credential input must use the external credential's protocol and give each value", () => {
  const o = LocalOrg.load({ sourceDirs: [credentialApp()] });
  const oauth = o.runAnonymous(
    SAVE("createCredential", "k").replace(
      "CredentialAuthenticationProtocol.Custom",
      "CredentialAuthenticationProtocol.OAuth"
    )
  );
  assert.match(oauth.exceptionMessage ?? "", /uses the Custom authentication protocol, not OAuth/);
  const noValue = o.runAnonymous(SAVE("createCredential", "k").replace("value.value = 'k';", ""));
  assert.match(noValue.exceptionMessage ?? "", /The credential value Key needs both value and encrypted/);
});

test("ConnectApi.NamedCredentials in an Apex test stops as not supported", () => {
  const o = LocalOrg.load({
    sourceDirs: [credentialApp()],
    classSources: [
      {
        file: "CredentialTest.cls",
        source: `@IsTest private class CredentialTest { @IsTest static void reads() { ${READ} } }`
      }
    ]
  });
  const result = o.runTests(["CredentialTest"]);
  assert.equal(result.failed, 1);
  assert.match(
    result.tests[0].message ?? "",
    /ConnectApi\.NamedCredentials in an Apex test is not supported by local-org/
  );
});

/** A server in another process that answers each request with the X-Key header it received. */
function echoServer(): Promise<{ url: string; stop: () => void }> {
  const script = `require("http").createServer((q, s) => s.end(String(q.headers["x-key"]))).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) => {
    child.stdout
      .setEncoding("utf8")
      .once("data", (port: string) => resolve({ url: `http://127.0.0.1:${port.trim()}`, stop: () => child.kill() }));
  });
}

test("the value saved is the one the next callout through the named credential sends, and a replacement wins", async () => {
  const server = await echoServer();
  try {
    const o = LocalOrg.load({
      sourceDirs: [credentialApp()],
      namedCredentials: { Billing: { url: server.url } },
      credentials: { "Billing.Key": "key-from-load" }
    });
    const send = `HttpRequest r = new HttpRequest(); r.setEndpoint('callout:Billing/x'); r.setMethod('GET');
      System.debug(new Http().send(r).getBody());`;
    // A value given to LocalOrg.load belongs to the only named principal.
    assert.deepEqual(run(o, READ), ["Billing Main NamedPrincipal Custom Configured {Key}"]);
    assert.deepEqual(run(o, send), ["key-from-load"]);
    run(o, SAVE("updateCredential", "replaced-key"));
    assert.deepEqual(run(o, send), ["replaced-key"]);
    run(
      o,
      "ConnectApi.NamedCredentials.deleteCredential('Billing', 'Main', ConnectApi.CredentialPrincipalType.NamedPrincipal);"
    );
    assert.match(o.runAnonymous(send).exceptionMessage ?? "", /No value for credential Billing\.Key/);
  } finally {
    server.stop();
  }
});
