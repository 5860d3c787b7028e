// Apex triggers on records: the order of execution around a save (before-save flows, before
// triggers, validation, save, after triggers, after-save flows), the context variables, changes a
// before trigger makes, read-only records after the save, chunks of 200, failures, and what the
// platform refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LocalOrg } from "../src/index.js";
import { createRecords, flow, loadApp, recordStart, type TestApp } from "./flow-support.js";

/** Records every trigger run as a debug line (static list, printed by the anonymous block). */
const LOG = `public class TriggerLog { public static List<String> lines = new List<String>(); }`;

function app(triggers: Record<string, string>, extra: TestApp = {}): LocalOrg {
  return loadApp({ ...extra, classes: { TriggerLog: LOG, ...(extra.classes ?? {}) }, triggers });
}

function run(o: LocalOrg, code: string): string[] {
  const result = o.runAnonymous(code);
  if (!result.success) throw new Error(`${result.exceptionMessage}\n${result.stackTrace ?? ""}`);
  return result.debugLog;
}

test("context variables say which event runs, with Trigger.new, old and the maps of each", () => {
  const o = app({
    Watch: `trigger Watch on Account (before insert, after insert, before update, after update, before delete, after delete) {
        TriggerLog.lines.add(Trigger.operationType + ' before=' + Trigger.isBefore + ' after=' + Trigger.isAfter
            + ' insert=' + Trigger.isInsert + ' update=' + Trigger.isUpdate + ' delete=' + Trigger.isDelete
            + ' size=' + Trigger.size + ' executing=' + Trigger.isExecuting
            + ' new=' + (Trigger.new == null ? 'null' : Trigger.new[0].Name)
            + ' old=' + (Trigger.old == null ? 'null' : Trigger.old[0].Name)
            + ' newMap=' + (Trigger.newMap == null ? 'null' : String.valueOf(Trigger.newMap.size()))
            + ' oldMap=' + (Trigger.oldMap == null ? 'null' : String.valueOf(Trigger.oldMap.size())));
    }`
  });
  const lines = run(
    o,
    `System.debug('outside executing=' + Trigger.isExecuting + ' new=' + Trigger.new);
     Account a = new Account(Name = 'Acme');
     insert a;
     a.Name = 'Acme Corp';
     update a;
     delete a;
     for (String line : TriggerLog.lines) System.debug(line);`
  );
  assert.deepEqual(lines, [
    "outside executing=false new=null",
    "BEFORE_INSERT before=true after=false insert=true update=false delete=false size=1 executing=true new=Acme old=null newMap=null oldMap=null",
    "AFTER_INSERT before=false after=true insert=true update=false delete=false size=1 executing=true new=Acme old=null newMap=1 oldMap=null",
    "BEFORE_UPDATE before=true after=false insert=false update=true delete=false size=1 executing=true new=Acme Corp old=Acme newMap=1 oldMap=1",
    "AFTER_UPDATE before=false after=true insert=false update=true delete=false size=1 executing=true new=Acme Corp old=Acme newMap=1 oldMap=1",
    "BEFORE_DELETE before=true after=false insert=false update=false delete=true size=1 executing=true new=null old=Acme Corp newMap=null oldMap=1",
    "AFTER_DELETE before=false after=true insert=false update=false delete=true size=1 executing=true new=null old=Acme Corp newMap=null oldMap=1"
  ]);
});

test("a before trigger's changes are saved; an after trigger's records are read-only", () => {
  const o = app({
    Stamp: `trigger Stamp on Account (before insert, before update) {
        for (Account a : Trigger.new) { a.Description = 'stamped ' + a.Name; }
    }`,
    Freeze: `trigger Freeze on Account (after update) {
        try { Trigger.new[0].Description = 'late'; } catch (FinalException e) { TriggerLog.lines.add(e.getMessage()); }
        try { Trigger.old[0].Name = 'late'; } catch (FinalException e) { TriggerLog.lines.add(e.getMessage()); }
    }`
  });
  const lines = run(
    o,
    `Account a = new Account(Name = 'Acme');
     insert a;
     System.debug(a.Description);
     System.debug([SELECT Description FROM Account WHERE Id = :a.Id].Description);
     update new Account(Id = a.Id, Name = 'Globex');
     System.debug([SELECT Description FROM Account WHERE Id = :a.Id].Description);
     for (String line : TriggerLog.lines) System.debug(line);`
  );
  assert.deepEqual(lines, ["null", "stamped Acme", "stamped Globex", "Record is read-only", "Record is read-only"]);
});

test("before-save flows run before before triggers, after triggers before after-save flows", () => {
  const o = app(
    {
      Order: `trigger Order on Account (before insert, after insert) {
          TriggerLog.lines.add((Trigger.isBefore ? 'before trigger sees ' : 'after trigger sees ') + Trigger.new[0].Description);
          if (Trigger.isAfter) insert new Contact(LastName = 'from trigger', AccountId = Trigger.new[0].Id);
      }`
    },
    {
      flows: {
        Before_Save: flow(
          `${recordStart({ object: "Account", triggerType: "RecordBeforeSave", recordTriggerType: "Create", target: "Set" })}
           <assignments><name>Set</name><label>Set</label><locationX>0</locationX><locationY>0</locationY>
             <assignmentItems><assignToReference>$Record.Description</assignToReference><operator>Assign</operator>
               <value><stringValue>flow first</stringValue></value></assignmentItems></assignments>`,
          { processType: "AutoLaunchedFlow" }
        ),
        After_Save: flow(
          `${recordStart({ object: "Account", triggerType: "RecordAfterSave", recordTriggerType: "Create", target: "Contacts" })}
           ${createRecords("Contacts", {
             object: "Contact",
             fields: [
               ["LastName", "<stringValue>from flow</stringValue>"],
               ["AccountId", "<elementReference>$Record.Id</elementReference>"]
             ]
           })}`
        )
      }
    }
  );
  const lines = run(
    o,
    `insert new Account(Name = 'Acme');
     for (String line : TriggerLog.lines) System.debug(line);
     for (Contact c : [SELECT LastName FROM Contact ORDER BY CreatedDate, Id]) System.debug(c.LastName);`
  );
  assert.deepEqual(lines, [
    "before trigger sees flow first",
    "after trigger sees flow first",
    "from trigger",
    "from flow"
  ]);
});

test("a trigger receives the records of a save in chunks of 200", () => {
  const o = app({
    Count: `trigger Count on Account (before insert) { TriggerLog.lines.add(String.valueOf(Trigger.size)); }`
  });
  const lines = run(
    o,
    `List<Account> accounts = new List<Account>();
     for (Integer i = 0; i < 450; i++) accounts.add(new Account(Name = 'A' + i));
     insert accounts;
     System.debug(String.join(TriggerLog.lines, ','));`
  );
  assert.deepEqual(lines, ["200,200,50"]);
});

test("an exception a trigger does not catch fails its chunk with the trigger's name and event", () => {
  const o = app({
    Guard: `trigger Guard on Account (before update) {
        for (Account a : Trigger.new) if (a.Name == 'Refused') throw new IllegalArgumentException('not that name');
    }`
  });
  const lines = run(
    o,
    `Account a = new Account(Name = 'Acme');
     insert a;
     try { update new Account(Id = a.Id, Name = 'Refused'); }
     catch (DmlException e) { System.debug(e.getDmlStatusCode(0) + ' | ' + e.getDmlMessage(0)); }
     Database.SaveResult r = Database.update(new Account(Id = a.Id, Name = 'Refused'), false);
     System.debug(r.isSuccess() + ' ' + r.getErrors()[0].getMessage());
     System.debug([SELECT Name FROM Account WHERE Id = :a.Id].Name);`
  );
  assert.deepEqual(lines, [
    "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY | Guard: execution of BeforeUpdate caused by: System.IllegalArgumentException: not that name: Trigger.Guard: line 2, column 1",
    "false Guard: execution of BeforeUpdate caused by: System.IllegalArgumentException: not that name: Trigger.Guard: line 2, column 1",
    "Acme"
  ]);
});

test("a trigger makes no callout: it runs inside the save", () => {
  const o = app({
    Call: `trigger Call on Account (after insert) {
        try { new Http().send(new HttpRequest()); } catch (CalloutException e) { TriggerLog.lines.add(e.getMessage()); }
    }`
  });
  assert.deepEqual(run(o, `insert new Account(Name = 'Acme'); System.debug(TriggerLog.lines[0]);`), [
    "Callout from triggers are currently not supported."
  ]);
});

test("a trigger that saves its own object again stops at the maximum trigger depth", () => {
  const o = app({
    Loop: `trigger Loop on Account (after insert) { insert new Account(Name = 'again'); }`
  });
  const result = o.runAnonymous(`insert new Account(Name = 'first');`);
  assert.equal(result.success, false);
  assert.match(result.exceptionMessage ?? "", /Maximum trigger depth exceeded/);
});

test("the platform's refusals stop the load: unknown object, a platform event trigger other than after insert", () => {
  assert.throws(
    () => app({ Ghost: `trigger Ghost on Nowhere__c (before insert) {}` }),
    /Ghost\.trigger: trigger on unknown object Nowhere__c/
  );
  assert.throws(
    () =>
      app(
        { Early: `trigger Early on Ping__e (before insert) {}` },
        {
          objects: { Ping__e: "<eventType>HighVolume</eventType><publishBehavior>PublishImmediately</publishBehavior>" }
        }
      ),
    /Early\.trigger: a platform event trigger can only be after insert/
  );
});

test("an Apex test covers a trigger's lines, reported as Trigger.Name", () => {
  const o = app(
    {
      Stamp: `trigger Stamp on Account (before insert) {\n    for (Account a : Trigger.new) {\n        a.Description = 'x';\n    }\n}`
    },
    {
      classes: {
        StampTest: `@IsTest private class StampTest {
            @IsTest static void stamps() { insert new Account(Name = 'A'); Assert.areEqual('x', [SELECT Description FROM Account].Description); }
        }`
      }
    }
  );
  const result = o.runTests(["StampTest"]);
  assert.equal(result.failed, 0, JSON.stringify(result.tests));
  assert.deepEqual(result.coverage["Trigger.Stamp"], { covered: 2, total: 2, uncoveredLines: [] });
});
