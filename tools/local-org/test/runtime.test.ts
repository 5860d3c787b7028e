// Test runner, transactions, governor limits, async work and callouts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalOrg } from "../src/index.js";
import { SAMPLE_APP, org } from "./support.js";

/** Runs one test class given as source and returns its results by method name. */
function runTestClass(source: string, extra: Record<string, string> = {}) {
  const result = org({ "T.cls": source, ...extra }).runTests();
  return Object.fromEntries(result.tests.map((t) => [t.methodName, t]));
}

test("runner: @TestSetup data is restored for every method and statics are reset", () => {
  const r = runTestClass(`@IsTest private class T {
    static Integer counter = 0;
    @TestSetup static void setup() { insert new Account(Name = 'S'); }
    @IsTest static void first() { counter++; delete [SELECT Id FROM Account]; Assert.areEqual(1, counter); }
    @IsTest static void second() { counter++; Assert.areEqual(1, counter); Assert.areEqual(1, [SELECT COUNT() FROM Account]); }
  }`);
  assert.equal(r.first.outcome, "Pass");
  assert.equal(r.second.outcome, "Pass", r.second.message ?? "");
});

test("runner: a failing test reports the message and the Apex stack", () => {
  const r = runTestClass(
    `@IsTest private class T {
    @IsTest static void fails() {
      Checker.check(2);
    }
  }`,
    {
      "Checker.cls": `public class Checker {\n  public static void check(Integer n) {\n    System.assertEquals(1, n, 'n');\n  }\n}`
    }
  );
  assert.equal(r.fails.outcome, "Fail");
  assert.equal(r.fails.message, "System.AssertException: Assertion Failed: n: Expected: 1, Actual: 2");
  assert.equal(r.fails.stackTrace, "Class.Checker.check: line 3, column 1\nClass.T.fails: line 3, column 1");
});

test("limits: the 101st SOQL query throws a LimitException that catch blocks cannot stop", () => {
  const r = runTestClass(`@IsTest private class T {
    @IsTest static void tooMany() {
      try { for (Integer i = 0; i < 101; i++) { List<Account> a = [SELECT Id FROM Account]; } } catch (Exception e) { System.debug('caught'); }
    }
    @IsTest static void freshAfterStartTest() {
      for (Integer i = 0; i < 100; i++) { List<Account> a = [SELECT Id FROM Account]; }
      Test.startTest();
      Assert.areEqual(0, Limits.getQueries());
      List<Account> b = [SELECT Id FROM Account];
      Assert.areEqual(1, Limits.getQueries());
      Test.stopTest();
      Assert.areEqual(100, Limits.getQueries());
    }
  }`);
  assert.equal(r.tooMany.outcome, "Fail");
  assert.equal(r.tooMany.message, "System.LimitException: Too many SOQL queries: 101");
  assert.equal(r.freshAfterStartTest.outcome, "Pass", r.freshAfterStartTest.message ?? "");
});

test("limits: DML statements are counted per transaction", () => {
  const r = runTestClass(`@IsTest private class T {
    @IsTest static void dml() {
      for (Integer i = 0; i < 151; i++) insert new Account(Name = 'a' + i);
    }
  }`);
  assert.equal(r.dml.message, "System.LimitException: Too many DML statements: 151");
});

test("Queueable jobs run at Test.stopTest", () => {
  const r = runTestClass(
    `@IsTest private class T {
    @IsTest static void runsAtStop() {
      Test.startTest();
      Id jobId = System.enqueueJob(new Renamer('After'));
      Assert.areEqual(0, [SELECT COUNT() FROM Account]);
      Test.stopTest();
      Assert.areEqual('After', [SELECT Name FROM Account].Name);
      Assert.areEqual('707', String.valueOf(jobId).left(3));
    }
  }`,
    {
      "Renamer.cls": `public class Renamer implements Queueable {
      String name; public Renamer(String name) { this.name = name; }
      public void execute(QueueableContext ctx) { insert new Account(Name = name); }
    }`
    }
  );
  assert.equal(r.runsAtStop.outcome, "Pass", r.runsAtStop.message ?? "");
});

test("@future methods run at Test.stopTest in their own transaction and cannot chain", () => {
  const r = runTestClass(
    `@IsTest private class T {
    @IsTest static void future() {
      Test.startTest();
      Later.rename('Done');
      Assert.areEqual(0, [SELECT COUNT() FROM Account]);
      Assert.areEqual(1, Limits.getFutureCalls());
      Test.stopTest();
      Assert.areEqual('Done', [SELECT Name FROM Account].Name);
    }
    @IsTest static void chained() {
      Test.startTest();
      Later.chain();
      Test.stopTest();
    }
  }`,
    {
      "Later.cls": `public class Later {
      @future public static void rename(String name) { Assert.isTrue(System.isFuture()); insert new Account(Name = name); }
      @future public static void chain() { rename('x'); }
    }`
    }
  );
  assert.equal(r.future.outcome, "Pass", r.future.message ?? "");
  assert.equal(
    r.chained.message,
    "System.AsyncException: Future method cannot be called from a future or batch method: Later.rename"
  );
});

test("a job still queued when the test method ends runs then, and its failure fails the test", () => {
  const r = runTestClass(
    `@IsTest private class T {
    @IsTest static void noStopTest() { System.enqueueJob(new Failing()); }
  }`,
    {
      "Failing.cls": `public class Failing implements Queueable { public void execute(QueueableContext ctx) { insert new Account(); } }`
    }
  );
  assert.match(
    r.noStopTest.message ?? "",
    /^System\.DmlException: Insert failed\. First exception on row 0; first error: REQUIRED_FIELD_MISSING/
  );
  assert.match(r.noStopTest.stackTrace ?? "", /^Class\.Failing\.execute: line 1, column 1$/);
});

test("anonymous Apex frames print as AnonymousBlock", () => {
  const r = org({
    "Thrower.cls": `public class Thrower {\n  public static void go() {\n    throw new DmlException('x');\n  }\n}`
  }).runAnonymous(`Integer a = 1;\nThrower.go();`);
  assert.equal(r.stackTrace, "Class.Thrower.go: line 3, column 1\nAnonymousBlock: line 2, column 1");
});

const MOCK = {
  "EchoMock.cls": `@IsTest public class EchoMock implements HttpCalloutMock {
    public HttpResponse respond(HttpRequest req) {
      HttpResponse res = new HttpResponse(); res.setStatusCode(200); res.setHeader('Content-Type', 'application/json');
      res.setBody('{"method":"' + req.getMethod() + '","endpoint":"' + req.getEndpoint() + '"}'); return res;
    }
  }`
};

test("callouts: the mock answers in tests; without one the callout is refused", () => {
  const r = runTestClass(
    `@IsTest private class T {
    static HttpResponse call() { HttpRequest req = new HttpRequest(); req.setEndpoint('callout:Svc/x'); req.setMethod('GET'); return new Http().send(req); }
    @IsTest static void mocked() {
      Test.setMock(HttpCalloutMock.class, new EchoMock());
      HttpResponse res = call();
      Assert.areEqual(200, res.getStatusCode());
      Map<String, Object> body = (Map<String, Object>) JSON.deserializeUntyped(res.getBody());
      Assert.areEqual('callout:Svc/x', body.get('endpoint'));
      Assert.areEqual('application/json', res.getHeader('Content-Type'));
      Assert.areEqual(1, Limits.getCallouts());
    }
    @IsTest static void unmocked() { call(); }
    @IsTest static void afterDml() {
      Test.setMock(HttpCalloutMock.class, new EchoMock());
      insert new Account(Name = 'x');
      try { call(); Assert.fail('expected CalloutException'); } catch (CalloutException e) { Assert.isTrue(e.getMessage().contains('uncommitted work pending')); }
    }
    @IsTest static void dmlBeforeStartTestIsCommitted() {
      insert new Account(Name = 'x');
      Test.setMock(HttpCalloutMock.class, new EchoMock());
      Test.startTest();
      call();
      Test.stopTest();
    }
  }`,
    MOCK
  );
  assert.equal(r.mocked.outcome, "Pass", r.mocked.message ?? "");
  assert.equal(
    r.unmocked.message,
    "System.CalloutException: Methods defined as TestMethod do not support Web service callouts"
  );
  assert.equal(r.afterDml.outcome, "Pass", r.afterDml.message ?? "");
  assert.equal(r.dmlBeforeStartTestIsCommitted.outcome, "Pass", r.dmlBeforeStartTestIsCommitted.message ?? "");
});

test("callouts outside tests go over HTTP through the Named Credential", async () => {
  // The server runs in its own process: a callout blocks this one until the response arrives.
  const server = spawn(
    process.execPath,
    [
      "-e",
      `require("http").createServer((req, res) => { let b = ""; req.on("data", (c) => (b += c)); req.on("end", () => {
         res.writeHead(201, { "content-type": "application/json" });
         res.end(JSON.stringify({ id: "bill-9", path: req.url, key: req.headers["x-api-key"], body: b })); }); })
       .listen(0, "127.0.0.1", function () { console.log(this.address().port); });`
    ],
    { stdio: ["ignore", "pipe", "inherit"] }
  );
  try {
    const port = await new Promise<string>((resolve) => server.stdout!.once("data", (d) => resolve(String(d).trim())));
    const o = LocalOrg.load({
      sourceDirs: [SAMPLE_APP],
      namedCredentials: { Billing: { url: `http://127.0.0.1:${port}/api`, headers: { "X-Api-Key": "k1" } } }
    });
    const [accountId] = o.insert("Account", [{ Name: "Http Co" }]);
    // DML and a callout in one transaction is refused, as in an org.
    assert.match(
      o.runAnonymous(`InvoiceService.send(InvoiceService.create('${accountId}', 1));`).exceptionMessage ?? "",
      /uncommitted work pending/
    );
    const [inv] = o.insert("Invoice__c", [{ Name: "I", Amount__c: 7.25, Account__c: accountId }]);
    const r = o.runAnonymous(`System.debug(InvoiceService.send('${inv}'));
      HttpRequest req = new HttpRequest(); req.setEndpoint('callout:Billing/echo'); req.setMethod('POST'); req.setBody('hi');
      Map<String, Object> m = (Map<String, Object>) JSON.deserializeUntyped(new Http().send(req).getBody());
      System.debug(m.get('path')); System.debug(m.get('key')); System.debug(m.get('body'));`);
    assert.equal(r.exceptionMessage, null);
    assert.deepEqual(r.debugLog, ["bill-9", "/api/echo", "k1", "hi"]);
  } finally {
    server.kill();
  }
});

test("anonymous Apex rolls back its DML when it throws", () => {
  const o = org();
  const r = o.runAnonymous(`insert new Account(Name = 'gone'); Integer x = 1 / 0;`);
  assert.equal(r.exceptionMessage, "System.MathException: Divide by 0");
  assert.equal(o.query("SELECT COUNT() FROM Account"), 0);
});

test("invoking an @InvocableMethod with request objects", () => {
  const o = org({
    "Greet.cls": `public class Greet {
      public class Request { @InvocableVariable(required=true) public String name; @InvocableVariable public Integer times; }
      public class Result { @InvocableVariable public String text; }
      @InvocableMethod(label='Greet')
      public static List<Result> run(List<Request> requests) {
        List<Result> out = new List<Result>();
        for (Request r : requests) { Result res = new Result(); res.text = ('Hi ' + r.name + ' ').repeat(r.times == null ? 1 : r.times).trim(); out.add(res); }
        return out;
      }
    }`
  });
  const { outputs, result } = o.invokeInvocable("Greet", [{ name: "Ada", times: 2 }, { name: "Bob" }]);
  assert.equal(result.success, true);
  assert.deepEqual(outputs, [{ text: "Hi Ada Hi Ada" }, { text: "Hi Bob" }]);
});

test("coverage counts executable lines of non-test classes", () => {
  const result = org({
    "Calc.cls": `public class Calc {\n  public static Integer twice(Integer n) {\n    return n * 2;\n  }\n  public static Integer never() {\n    Integer x = 1;\n    return x;\n  }\n}`,
    "CalcTest.cls": `@IsTest private class CalcTest { @IsTest static void t() { Assert.areEqual(4, Calc.twice(2)); } }`
  }).runTests();
  assert.deepEqual(result.coverage.Calc, { covered: 1, total: 3, uncoveredLines: [6, 7] });
  assert.equal(result.coverage.CalcTest, undefined);
});

test("command line: output lines, exit status and the JSON report", () => {
  const dir = mkdtempSync(join(tmpdir(), "local-org-"));
  const jsonFile = join(dir, "result.json");
  const cli = join(__dirname, "..", "src", "cli.ts");
  const tsx = join(__dirname, "..", "..", "..", "node_modules", ".bin", "tsx");
  const run = spawnSync(tsx, [cli, "test", "--source-dir", SAMPLE_APP, "--json", jsonFile], { encoding: "utf8" });
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stdout.trim().split("\n");
  assert.match(lines[0], /^PASS {2}InvoiceServiceTest\.createsAndSends {2}\(\d+(\.\d+)? ms\)$/);
  assert.ok(lines.some((l) => /^FAIL {2}InvoiceServiceTest\.failsOnPurpose/.test(l)));
  assert.ok(run.stdout.includes("    Class.InvoiceServiceTest.failsOnPurpose: line 45, column 1"));
  assert.equal(lines[lines.length - 1], "3 passed, 1 failed");
  const json = JSON.parse(readFileSync(jsonFile, "utf8"));
  assert.deepEqual(Object.keys(json), ["tests", "coverage"]);
  assert.deepEqual(Object.keys(json.tests[0]), ["className", "methodName", "outcome", "message", "durationMs"]);
  assert.deepEqual(
    json.tests.map((t: { methodName: string; outcome: string }) => `${t.methodName}:${t.outcome}`),
    ["createsAndSends:Pass", "deletesDoNotLeakIntoOtherTests:Pass", "setupDataIsRestored:Pass", "failsOnPurpose:Fail"]
  );
  assert.deepEqual(json.coverage, { InvoiceService: { covered: 14, total: 17 } });
  const deep = mkdtempSync(join(tmpdir(), "local-org-deep-"));
  writeFileSync(
    join(deep, "DeepTest.cls"),
    `@IsTest private class DeepTest {
      static Integer down(Integer n) { if (n == 0) return 0; return 1 + down(n - 1); }
      @IsTest static void deep990() { Assert.areEqual(990, down(990)); }
      @IsTest static void tooDeep() { down(1500); }
    }`
  );
  // The command line gives the interpreter a stack deep enough for Apex's 1000-frame limit.
  const depth = spawnSync(tsx, [cli, "test", "--source-dir", deep], { encoding: "utf8" });
  assert.match(depth.stdout, /^PASS {2}DeepTest\.deep990/m);
  assert.match(depth.stdout, /System\.LimitException: Maximum stack depth reached: 1001/);
  const one = spawnSync(tsx, [cli, "test", "--source-dir", SAMPLE_APP, "--class", "NoSuchTest"], { encoding: "utf8" });
  assert.equal(one.status, 2);
  assert.match(one.stderr, /no such test class: NoSuchTest/);
});

test("a class that cannot be parsed fails only the tests that need it", () => {
  const result = org({
    "Broken.cls": `public class Broken { public void f( { } }`,
    "BrokenTest.cls": `@IsTest private class BrokenTest { @IsTest static void t( { } }`,
    "UsesBroken.cls": `@IsTest private class UsesBroken { @IsTest static void t() { Broken b = new Broken(); } }`,
    "Fine.cls": `@IsTest private class Fine { @IsTest static void t() { Assert.areEqual(2, 1 + 1); } }`
  }).runTests();
  const byName = Object.fromEntries(result.tests.map((t) => [`${t.className}.${t.methodName}`, t]));
  assert.equal(byName["Fine.t"].outcome, "Pass");
  assert.match(byName["BrokenTest.(class)"].message ?? "", /^Syntax error: .* \(BrokenTest\.cls:1\)$/);
  assert.match(byName["UsesBroken.t"].message ?? "", /^Syntax error: .* \(Broken\.cls:1\)$/);
});

test("dynamic SOQL with bad text throws a QueryException that code can catch", () => {
  assert.deepEqual(
    org().runAnonymous(
      `try { Database.query('SELECT FROM WHERE'); } catch (QueryException e) { System.debug('caught'); }`
    ).debugLog,
    ["caught"]
  );
});
