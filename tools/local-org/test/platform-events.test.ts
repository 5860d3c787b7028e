// Platform events: EventBus.publish with Publish Immediately (outside the transaction: it survives
// a rollback and is no DML) or Publish After Commit (with the transaction), and delivery to
// after insert triggers: as the Automated Process user, in a transaction of their own, up to
// 2,000 events a batch; in Apex tests at Test.getEventBus().deliver() and Test.stopTest only.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LocalOrg } from "../src/index.js";
import { loadApp, type TestApp } from "./flow-support.js";

const IMMEDIATE = "<eventType>HighVolume</eventType><publishBehavior>PublishImmediately</publishBehavior>";
const AFTER_COMMIT = "<eventType>HighVolume</eventType><publishBehavior>PublishAfterCommit</publishBehavior>";
const TEXT = "<type>Text</type><length>255</length>";

/** Each delivered Note__e becomes an Account named after its text, the batch size and the running user. */
const WRITER = `trigger NoteWriter on Note__e (after insert) {
    List<Account> accounts = new List<Account>();
    for (Note__e note : Trigger.new) {
        accounts.add(new Account(Name = note.Text__c + ' batch=' + Trigger.size + ' by=' + UserInfo.getName()
            + ' static=' + NoteState.seen));
    }
    NoteState.seen = true;
    insert accounts;
    if (Trigger.new[0].Text__c == 'explode') throw new IllegalArgumentException('subscriber refused');
}`;

function app(behaviour: string, extra: TestApp = {}): LocalOrg {
  return loadApp({
    objects: { Note__e: behaviour, Late__e: AFTER_COMMIT },
    fields: { Note__e: { Text__c: TEXT }, Late__e: { Text__c: TEXT } },
    triggers: { NoteWriter: WRITER },
    ...extra,
    classes: { NoteState: `public class NoteState { public static Boolean seen = false; }`, ...(extra.classes ?? {}) }
  });
}

const accounts = (o: LocalOrg) =>
  (o.query("SELECT Name FROM Account ORDER BY Name") as { Name: string }[]).map((account) => account.Name);

test("an event published immediately survives the rollback of its publisher and is delivered after it", () => {
  const o = app(IMMEDIATE);
  const result = o.runAnonymous(
    `EventBus.publish(new Note__e(Text__c = 'kept'));
     insert new Contact(LastName = 'rolled back');
     throw new IllegalArgumentException('the publisher fails after publishing');`
  );
  assert.equal(result.success, false);
  assert.deepEqual(accounts(o), ["kept batch=1 by=Automated Process static=false"]);
  assert.deepEqual(o.query("SELECT COUNT() FROM Contact"), 0, "the publisher's own work rolled back");
  assert.deepEqual(
    o.publishedEvents().map((event) => [event.event, event.fields.Text__c, typeof event.fields.ReplayId]),
    [["Note__e", "kept", "string"]]
  );
});

test("an event published after commit is dropped with a rollback and delivered after a commit", () => {
  const o = app(AFTER_COMMIT);
  const failed = o.runAnonymous(
    `EventBus.publish(new Note__e(Text__c = 'dropped'));
     throw new IllegalArgumentException('rolled back');`
  );
  assert.equal(failed.success, false);
  assert.deepEqual(accounts(o), []);
  const committed = o.runAnonymous(`EventBus.publish(new Note__e(Text__c = 'committed'));`);
  assert.equal(committed.success, true, committed.exceptionMessage ?? "");
  assert.deepEqual(accounts(o), ["committed batch=1 by=Automated Process static=false"]);
});

test("publishing immediately is no DML: a callout may follow; after commit it counts as one and blocks callouts", () => {
  const o = app(IMMEDIATE);
  const immediate = o.runAnonymous(
    `List<Database.SaveResult> results = EventBus.publish(new List<Note__e>{ new Note__e(Text__c = 'a'), new Note__e(Text__c = 'b') });
     System.debug(results.size() + ' ' + results[0].isSuccess() + ' ' + String.valueOf(results[0].getId()).left(3));
     System.debug(Limits.getDmlStatements() + ' ' + Limits.getPublishImmediateDML() + '/' + Limits.getLimitPublishImmediateDML());
     try { new Http().send(new HttpRequest()); } catch (CalloutException e) { System.debug(e.getMessage()); }`
  );
  assert.equal(immediate.debugLog[1], "0 1/150");
  assert.doesNotMatch(immediate.debugLog[2] ?? "", /uncommitted work pending/);
  const afterCommit = o.runAnonymous(
    `EventBus.publish(new Late__e(Text__c = 'a'));
     System.debug(Limits.getDmlStatements() + ' ' + Limits.getPublishImmediateDML());
     try { new Http().send(new HttpRequest()); } catch (CalloutException e) { System.debug(e.getMessage()); }`
  );
  assert.deepEqual(afterCommit.debugLog, [
    "1 0",
    "You have uncommitted work pending. Please commit or rollback before calling out"
  ]);
});

test("subscribers get batches of up to 2,000 events, each batch in a transaction of its own", () => {
  const o = app(IMMEDIATE);
  const result = o.runAnonymous(
    `List<Note__e> notes = new List<Note__e>();
     for (Integer i = 0; i < 2500; i++) notes.add(new Note__e(Text__c = 'n' + i));
     EventBus.publish(notes);`
  );
  assert.equal(result.success, true, result.exceptionMessage ?? "");
  const names = accounts(o);
  assert.equal(names.length, 2500);
  assert.equal(names.filter((name) => name.includes("batch=2000 ")).length, 2000);
  assert.equal(names.filter((name) => name.includes("batch=500 ")).length, 500);
  // Statics start fresh in each subscriber transaction.
  assert.ok(names.every((name) => name.endsWith("static=false")));
});

test("a subscriber that throws rolls its own work back; the publisher is not affected", () => {
  const o = app(IMMEDIATE);
  const result = o.runAnonymous(
    `EventBus.publish(new Note__e(Text__c = 'explode')); insert new Contact(LastName = 'kept');`
  );
  assert.equal(result.success, true);
  assert.deepEqual(accounts(o), []);
  assert.deepEqual(o.query("SELECT COUNT() FROM Contact"), 1);
  assert.deepEqual(o.failedEventDeliveries(), [
    {
      trigger: "NoteWriter",
      event: "Note__e",
      events: 1,
      message: "System.IllegalArgumentException: subscriber refused"
    }
  ]);
});

test("events are neither queried nor saved with DML, and only events are published", () => {
  const o = app(IMMEDIATE);
  const query = o.runAnonymous(`List<Note__e> notes = Database.query('SELECT Id FROM Note__e');`);
  assert.equal(query.exceptionMessage, "System.QueryException: sObject type 'Note__e' is not supported.");
  const dml = o.runAnonymous(`insert new Note__e(Text__c = 'x');`);
  assert.equal(dml.exceptionMessage, "System.TypeException: DML operation Insert not allowed on Note__e");
  const account = o.runAnonymous(`EventBus.publish(new Account(Name = 'x'));`);
  assert.equal(
    account.exceptionMessage,
    "System.TypeException: EventBus.publish accepts platform events only, not Account"
  );
});

test("in an Apex test, events wait for Test.getEventBus().deliver() or Test.stopTest", () => {
  const o = app(IMMEDIATE, {
    classes: {
      NoteTest: `@IsTest private class NoteTest {
          @IsTest static void waitsForDelivery() {
              Test.startTest();
              EventBus.publish(new Note__e(Text__c = 'first'));
              Assert.areEqual(0, [SELECT COUNT() FROM Account], 'not delivered yet');
              Test.getEventBus().deliver();
              Assert.areEqual(1, [SELECT COUNT() FROM Account], 'delivered');
              EventBus.publish(new Note__e(Text__c = 'second'));
              Test.stopTest();
              Assert.areEqual(2, [SELECT COUNT() FROM Account], 'delivered at stopTest');
              Assert.areEqual(1, [SELECT COUNT() FROM Account WHERE Name LIKE '%by=Automated Process%' AND Name LIKE 'second%'], 'as Automated Process');
          }
          @IsTest static void keepsAnImmediateEventThroughASavepointRollback() {
              Savepoint savepoint = Database.setSavepoint();
              EventBus.publish(new Note__e(Text__c = 'kept'));
              EventBus.publish(new Late__e(Text__c = 'dropped'));
              Database.rollback(savepoint);
              Test.getEventBus().deliver();
              Assert.areEqual(1, [SELECT COUNT() FROM Account], 'the immediate event only');
          }
          @IsTest static void neverDeliversWithoutBeingAsked() {
              EventBus.publish(new Note__e(Text__c = 'never'));
              Assert.areEqual(0, [SELECT COUNT() FROM Account], 'no delivery without deliver or stopTest');
          }
      }`
    }
  });
  const result = o.runTests(["NoteTest"]);
  assert.equal(result.failed, 0, JSON.stringify(result.tests.filter((t) => t.outcome === "Fail")));
  assert.deepEqual(accounts(o), [], "nothing a test did stays in the org");
});
