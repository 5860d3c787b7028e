// Asynchronous and scheduled paths of record-triggered flows: after the triggering transaction
// commits, in their own transactions; callouts refused on the synchronous path and allowed on
// the asynchronous one; scheduled paths with an offset run when the clock is advanced.
import { test } from "node:test";
import assert from "node:assert/strict";
import { action, createRecords, filter, flow, formula, loadApp, recordStart, ref, text } from "./flow-support.js";

const PROBE = `
global with sharing class CalloutProbe {
    global class Request {
        @InvocableVariable(required=true)
        global Id accountId;
    }
    global class Result {
        @InvocableVariable
        global String outcome;
    }
    @InvocableMethod(label='Probe' callout=true)
    global static List<Result> probe(List<Request> requests) {
        Integer dmlBefore = Limits.getDmlStatements();
        String outcome;
        try {
            HttpRequest request = new HttpRequest();
            request.setEndpoint('https://example.com/ping');
            request.setMethod('GET');
            outcome = new Http().send(request).getBody();
        } catch (CalloutException e) {
            outcome = 'refused: ' + e.getMessage();
        }
        List<Result> results = new List<Result>();
        List<Account> updates = new List<Account>();
        for (Request r : requests) {
            Result result = new Result();
            result.outcome = outcome;
            results.add(result);
            updates.add(new Account(Id = r.accountId, Description = outcome + ' | requests=' + requests.size() + ' | dml before=' + dmlBefore));
        }
        update updates;
        return results;
    }
}`;

const PROBE_TEST = `
@IsTest
private class CalloutProbeTest {
    private class Pong implements HttpCalloutMock {
        public HttpResponse respond(HttpRequest request) {
            HttpResponse response = new HttpResponse();
            response.setStatusCode(200);
            response.setBody('pong');
            return response;
        }
    }
    @IsTest
    static void refusedWhileSavingAllowedAfterCommit() {
        Test.setMock(HttpCalloutMock.class, new Pong());
        Test.startTest();
        insert new List<Account>{ new Account(Name = 'Sync 1'), new Account(Name = 'Async 1') };
        Assert.areEqual('refused: Callout from triggers are currently not supported. | requests=1 | dml before=1',
            [SELECT Description FROM Account WHERE Name = 'Sync 1'].Description);
        Assert.isNull([SELECT Description FROM Account WHERE Name = 'Async 1'].Description, 'the asynchronous path waits for the commit');
        Test.stopTest();
        Assert.areEqual('pong | requests=1 | dml before=0', [SELECT Description FROM Account WHERE Name = 'Async 1'].Description);
    }
}`;

const flows = {
  Sync_Probe: flow(`
    ${recordStart({ object: "Account", recordTriggerType: "Create", target: "Probe", filters: filter("Name", "StartsWith", text("Sync")) })}
    ${action("Probe", "CalloutProbe", [["accountId", ref("$Record.Id")]])}`),
  Async_Probe: flow(`
    ${recordStart({
      object: "Account",
      recordTriggerType: "Create",
      filters: filter("Name", "StartsWith", text("Async")),
      scheduledPaths: `<scheduledPaths><connector><targetReference>Probe</targetReference></connector><pathType>AsyncAfterCommit</pathType></scheduledPaths>`
    })}
    ${action("Probe", "CalloutProbe", [["accountId", ref("$Record.Id")]])}`)
};

test("in an Apex test the synchronous path refuses callouts with the platform's error; the asynchronous path runs at Test.stopTest", () => {
  const org = loadApp({ flows, classes: { CalloutProbe: PROBE, CalloutProbeTest: PROBE_TEST } });
  const result = org.runTests(["CalloutProbeTest"]);
  assert.deepEqual(
    result.tests.map((t) => [t.methodName, t.outcome, t.message]),
    [["refusedWhileSavingAllowedAfterCommit", "Pass", null]]
  );
});

test("200 records saved in one DML: the asynchronous path runs after commit, in its own transaction, with one call of 200 requests", () => {
  const org = loadApp({
    flows: {
      Async_Only: flow(`
        ${recordStart({
          object: "Account",
          recordTriggerType: "Create",
          scheduledPaths: `<scheduledPaths><connector><targetReference>Note</targetReference></connector><pathType>AsyncAfterCommit</pathType></scheduledPaths>`
        })}
        ${createRecords("Note", {
          object: "Contact",
          fields: [
            ["LastName", ref("$Record.Name")],
            ["AccountId", ref("$Record.Id")]
          ]
        })}`)
    }
  });
  const out = org.runAnonymous(`
    List<Account> accounts = new List<Account>();
    for (Integer i = 0; i < 200; i++) accounts.add(new Account(Name = 'A' + i));
    insert accounts;
    System.debug(Limits.getDmlStatements() + ' ' + [SELECT COUNT() FROM Contact]);`);
  assert.equal(out.success, true);
  // Inside the transaction: one DML, and the path has not run yet.
  assert.deepEqual(out.debugLog, ["1 0"]);
  assert.equal(org.query("SELECT COUNT() FROM Contact"), 200);
});

test("an Apex error on the asynchronous path rolls back that path only and is listed as a failed interview", () => {
  const org = loadApp({
    flows: {
      Async_Fail: flow(
        `
        ${recordStart({
          object: "Account",
          recordTriggerType: "Create",
          scheduledPaths: `<scheduledPaths><connector><targetReference>Note</targetReference></connector><pathType>AsyncAfterCommit</pathType></scheduledPaths>`
        })}
        ${createRecords("Note", { object: "Contact", fields: [["FirstName", text("no last name")]] })}`,
        { label: "Async Fail" }
      )
    }
  });
  org.insert("Account", [{ Name: "Kept" }]);
  assert.equal(org.query("SELECT COUNT() FROM Account"), 1);
  assert.equal(org.query("SELECT COUNT() FROM Contact"), 0);
  const [failure] = org.failedFlowInterviews();
  assert.equal(failure.flow, "Async_Fail");
  assert.equal(failure.path, "Run Asynchronously");
  assert.equal(failure.element, "Note");
  assert.match(failure.message, /^This error occurred when the flow tried to create records: REQUIRED_FIELD_MISSING/);
});

test("a scheduled path with an offset waits for the clock and runs when advanced past its time", () => {
  const org = loadApp({
    flows: {
      Follow_Up: flow(`
        ${recordStart({
          object: "Account",
          recordTriggerType: "Create",
          filters: filter("Industry", "EqualTo", text("Energy")),
          scheduledPaths: `<scheduledPaths><name>Three_Days_Later</name><label>Three Days Later</label><connector><targetReference>Note</targetReference></connector><offsetNumber>3</offsetNumber><offsetUnit>Days</offsetUnit><timeSource>RecordTriggerEvent</timeSource></scheduledPaths>`
        })}
        ${createRecords("Note", {
          object: "Contact",
          fields: [
            ["LastName", ref("Note_Name")],
            ["AccountId", ref("$Record.Id")]
          ]
        })}
        ${formula("Note_Name", "String", '"Follow up " &amp; {!$Record.Name}')}`)
    }
  });
  const [keep, leave] = org.insert("Account", [
    { Name: "Acme", Industry: "Energy" },
    { Name: "Globex", Industry: "Energy" }
  ]);
  assert.deepEqual(
    org.pendingScheduledPaths().map((p) => [p.path, p.timing, p.recordId]),
    [
      ["Three Days Later", "3 Days after the record is saved", keep],
      ["Three Days Later", "3 Days after the record is saved", leave]
    ]
  );
  // A record that no longer meets the entry conditions when its time comes leaves the schedule.
  org.update("Account", [{ Id: leave, Industry: "Media" }]);
  assert.equal(org.advanceClock({ days: 2 }), 0);
  assert.equal(org.query("SELECT COUNT() FROM Contact"), 0);
  assert.equal(org.advanceClock({ days: 1, minutes: 1 }), 2);
  assert.deepEqual(
    (org.query("SELECT LastName FROM Contact") as { LastName: string }[]).map((c) => c.LastName),
    ["Follow up Acme"]
  );
  assert.equal(org.pendingScheduledPaths().length, 0);
});

test("in an Apex test a scheduled path with an offset stops with a clear error instead of being ignored", () => {
  const org = loadApp({
    flows: {
      Later: flow(`
        ${recordStart({
          object: "Account",
          recordTriggerType: "Create",
          scheduledPaths: `<scheduledPaths><name>Later</name><label>One Hour Later</label><connector><targetReference>Note</targetReference></connector><offsetNumber>1</offsetNumber><offsetUnit>Hours</offsetUnit><timeSource>RecordTriggerEvent</timeSource></scheduledPaths>`
        })}
        ${createRecords("Note", { object: "Contact", fields: [["LastName", text("x")]] })}`)
    },
    classes: {
      LaterTest: `@IsTest private class LaterTest { @IsTest static void saves() { insert new Account(Name = 'A'); } }`
    }
  });
  const [result] = org.runTests(["LaterTest"]).tests;
  assert.equal(result.outcome, "Fail");
  assert.equal(
    result.message,
    "Flow Later: the scheduled path One Hour Later (1 Hours after the record is saved) waits for the clock, which an Apex test run by local-org cannot advance; start the save through LocalOrg and call advanceClock"
  );
});
