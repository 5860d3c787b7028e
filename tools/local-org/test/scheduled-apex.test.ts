// Scheduled Apex: System.schedule and System.abortJob, the CronTrigger and CronJobDetail records,
// runs when the org clock passes NextFireTime (each its own transaction, as the job's owner), and
// a job scheduled between Test.startTest and Test.stopTest running once at Test.stopTest.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LocalOrg } from "../src/index.js";
import { org as loadOrg } from "./support.js";
import { createRecords, flow, formula, loadApp, recordStart, ref } from "./flow-support.js";

/** A Schedulable that records each run as an Account; it fails when a run's number is in failOn. */
const TICK = `
public class Tick implements Schedulable {
    public static Integer failOn = -1;
    public void execute(SchedulableContext context) {
        Integer run = [SELECT TimesTriggered FROM CronTrigger WHERE Id = :context.getTriggerId()].TimesTriggered;
        insert new Account(Name = 'run ' + run + ' at ' + System.now().formatGmt('yyyy-MM-dd HH:mm:ss')
            + ' by ' + UserInfo.getUserName() + (System.isScheduled() ? ' scheduled' : ''));
        if (run == 2 && context.getTriggerId() != null && [SELECT COUNT() FROM Account WHERE Name = 'fail second run'] > 0) {
            throw new IllegalArgumentException('second run refused');
        }
    }
}`;

const NOT_SCHEDULABLE = `public class NotSchedulable { public void execute(SchedulableContext context) {} }`;

function tickOrg(extra: Record<string, string> = {}): LocalOrg {
  return loadOrg({ "Tick.cls": TICK, "NotSchedulable.cls": NOT_SCHEDULABLE, ...extra });
}

function run(o: LocalOrg, code: string): string[] {
  const result = o.runAnonymous(code);
  if (!result.success) throw new Error(`${result.exceptionMessage}\n${result.stackTrace ?? ""}`);
  return result.debugLog;
}

const accountNames = (o: LocalOrg) =>
  (o.query("SELECT Name FROM Account ORDER BY Name") as { Name: string }[]).map((a) => a.Name);

test("System.schedule returns the CronTrigger id; the job is queryable as the platform shows it", () => {
  const o = tickOrg();
  const [id, row, detail, owner, start, next] = run(
    o,
    `Id jobId = System.schedule('Nightly', '0 30 2 * * ?', new Tick());
     System.debug(jobId);
     CronTrigger ct = [SELECT Id, CronExpression, State, TimesTriggered, NextFireTime, PreviousFireTime, StartTime, EndTime,
                              TimeZoneSidKey, OwnerId, CronJobDetail.Name, CronJobDetail.JobType
                       FROM CronTrigger WHERE Id = :jobId];
     System.debug(ct.CronExpression + ' ' + ct.State + ' ' + ct.TimesTriggered + ' ' + ct.PreviousFireTime + ' ' + ct.EndTime + ' ' + ct.TimeZoneSidKey);
     System.debug(ct.CronJobDetail.Name + ' ' + ct.CronJobDetail.JobType);
     System.debug(ct.OwnerId == UserInfo.getUserId());
     System.debug(Math.abs(ct.StartTime.getTime() - System.now().getTime()) < 5000);
     Datetime expected = Datetime.newInstanceGmt(System.now().dateGmt(), Time.newInstance(2, 30, 0, 0));
     if (expected <= System.now()) expected = expected.addDays(1);
     System.debug(ct.NextFireTime == expected);`
  );
  assert.match(id, /^08e[0-9A-Za-z]{15}$/);
  assert.deepEqual(
    [row, detail, owner, start, next],
    ["0 30 2 * * ? WAITING 0 null null GMT", "Nightly 7", "true", "true", "true"]
  );
  assert.deepEqual(
    o.query(`SELECT COUNT() FROM CronTrigger WHERE CronJobDetail.Name = 'Nightly' AND State != 'DELETED'`),
    1
  );
});

test("a second job with the same name is refused; after System.abortJob the name is free and the job DELETED", () => {
  const o = tickOrg();
  assert.deepEqual(
    run(
      o,
      `Id first = System.schedule('Reconcile', '0 0 1 * * ?', new Tick());
       try { System.schedule('Reconcile', '0 0 5 * * ?', new Tick()); }
       catch (AsyncException e) { System.debug(e.getMessage()); }
       System.abortJob(first);
       CronTrigger gone = [SELECT State, NextFireTime FROM CronTrigger WHERE Id = :first];
       System.debug(gone.State + ' ' + gone.NextFireTime);
       Id second = System.schedule('Reconcile', '0 0 5 * * ?', new Tick());
       System.debug([SELECT COUNT() FROM CronTrigger WHERE CronJobDetail.Name = 'Reconcile' AND State != 'DELETED']);
       System.abortJob(second); System.abortJob(second);
       try { System.abortJob('not an id'); } catch (StringException e) { System.debug(e.getMessage()); }`
    ),
    ['The Apex job named "Reconcile" is already scheduled for execution.', "DELETED null", "1", "Invalid id: not an id"]
  );
});

test("what System.schedule refuses: a bad expression, one that never fires, a class that is not Schedulable, DML on CronTrigger", () => {
  const o = tickOrg();
  const failure = (code: string) => o.runAnonymous(code).exceptionMessage;
  assert.equal(
    failure(`System.schedule('x', '0 0/15 * * * ?', new Tick());`),
    "System.StringException: Seconds and minutes must be specified as integers: 0 0/15 * * * ?"
  );
  assert.equal(
    failure(`System.schedule('x', '0 0 0 * * *', new Tick());`),
    "System.StringException: Support for specifying both a day-of-week AND a day-of-month parameter is not implemented."
  );
  assert.equal(
    failure(`System.schedule('x', '0 0 20 * * ? 2010', new Tick());`),
    "System.StringException: Based on configured schedule, the given trigger 'SCHEDULED_APEX_JOB_TYPE.000000000000000' will never fire."
  );
  assert.match(
    failure(`System.schedule('x', '0 0 1 * * ?', (Object) new NotSchedulable());`) ?? "",
    /^System\.TypeException: Scheduled Apex must implement the Schedulable interface/
  );
  assert.equal(
    failure(`System.schedule(null, '0 0 1 * * ?', new Tick());`),
    "System.NullPointerException: Argument cannot be null."
  );
  assert.equal(
    failure(`insert new CronTrigger();`),
    "System.TypeException: DML operation Insert not allowed on CronTrigger"
  );
  assert.equal(o.query("SELECT COUNT() FROM CronTrigger"), 0);
});

test("an org has at most 100 scheduled jobs at a time", () => {
  const o = tickOrg();
  assert.equal(
    o.runAnonymous(`for (Integer i = 0; i < 101; i++) System.schedule('Job ' + i, '0 0 1 * * ?', new Tick());`)
      .exceptionMessage,
    "System.AsyncException: You have exceeded the maximum number (100) of Apex scheduled jobs."
  );
  run(o, `for (Integer i = 0; i < 100; i++) System.schedule('Job ' + i, '0 0 1 * * ?', new Tick());`);
  assert.equal(o.query("SELECT COUNT() FROM CronTrigger"), 100);
});

test("a rolled-back transaction schedules nothing", () => {
  const o = tickOrg();
  const result = o.runAnonymous(`System.schedule('Doomed', '0 0 1 * * ?', new Tick()); Integer x = 1 / 0;`);
  assert.equal(result.success, false);
  assert.equal(o.query("SELECT COUNT() FROM CronTrigger"), 0);
  assert.equal(o.advanceClock({ days: 2 }), 0);
  assert.deepEqual(accountNames(o), []);
});

test("the job runs each time the org clock passes its NextFireTime, at that time, as its owner", () => {
  const o = tickOrg();
  // Start just after the hour, so that the next fire time is about an hour away.
  o.advanceClock({ milliseconds: 3600000 - (Date.parse(o.now()) % 3600000) + 1000 });
  const [id] = run(o, `System.debug(System.schedule('Hourly', '0 0 * * * ?', new Tick()));`);
  const [next] = o.query(`SELECT NextFireTime FROM CronTrigger WHERE Id = '${id}'`) as { NextFireTime: string }[];
  const firstFire = Date.parse(next.NextFireTime);
  assert.deepEqual(accountNames(o), []);
  o.advanceClock({ milliseconds: firstFire - Date.parse(o.now()) - 60000 });
  assert.deepEqual(accountNames(o), [], "a minute before the fire time nothing has run");
  o.advanceClock({ hours: 2, minutes: 1 });
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  assert.deepEqual(accountNames(o), [
    `run 1 at ${iso(firstFire)} by local.user@local-org.test scheduled`,
    `run 2 at ${iso(firstFire + 3600000)} by local.user@local-org.test scheduled`,
    `run 3 at ${iso(firstFire + 7200000)} by local.user@local-org.test scheduled`
  ]);
  assert.deepEqual(o.query(`SELECT State, TimesTriggered, PreviousFireTime, NextFireTime FROM CronTrigger`), [
    {
      Id: id,
      State: "WAITING",
      TimesTriggered: 3,
      PreviousFireTime: new Date(firstFire + 7200000).toISOString(),
      NextFireTime: new Date(firstFire + 3 * 3600000).toISOString()
    }
  ]);
  const created = o.query(`SELECT CreatedDate FROM Account WHERE Name LIKE 'run 1 %'`) as { CreatedDate: string }[];
  assert.equal(Date.parse(created[0].CreatedDate) - firstFire < 5000, true, "records carry the org clock's time");
  const runs = o.transactionUsage().filter((usage) => usage.description === "scheduled Apex: Hourly");
  assert.equal(runs.length, 3);
  assert.deepEqual(
    runs.map((usage) => usage.dmlStatements),
    [1, 1, 1],
    "each run is its own transaction with its own limits"
  );
});

test("a run that throws rolls back only its own work, is listed as failed, and the job keeps its schedule", () => {
  const o = tickOrg();
  run(o, `insert new Account(Name = 'fail second run'); System.schedule('Daily', '0 0 6 * * ?', new Tick());`);
  o.advanceClock({ days: 3 });
  assert.deepEqual(
    accountNames(o).map((name) => name.replace(/ at .* by/, " by")),
    ["fail second run", "run 1 by local.user@local-org.test scheduled", "run 3 by local.user@local-org.test scheduled"]
  );
  const failures = o.failedScheduledJobs();
  assert.equal(failures.length, 1);
  assert.equal(failures[0].name, "Daily");
  assert.equal(failures[0].message, "System.IllegalArgumentException: second run refused");
  assert.match(failures[0].firedAt, /T06:00:00\.000Z$/);
  const [trigger] = o.query(`SELECT State, TimesTriggered FROM CronTrigger`) as {
    State: string;
    TimesTriggered: number;
  }[];
  assert.deepEqual([trigger.State, trigger.TimesTriggered], ["WAITING", 3]);
});

test("a job scheduled for one moment runs once and is then DELETED; a job can abort itself", () => {
  const selfAborting = `
public class OneShot implements Schedulable {
    public void execute(SchedulableContext context) {
        insert new Account(Name = 'one shot');
        System.abortJob(context.getTriggerId());
    }
}`;
  const o = tickOrg({ "OneShot.cls": selfAborting });
  const year = new Date(Date.parse(o.now())).getUTCFullYear() + 1;
  run(
    o,
    `System.schedule('Once', '0 0 9 15 6 ? ${year}', new Tick());
     System.schedule('Stopper', '0 0 8 * * ?', new OneShot());`
  );
  o.advanceClock({ days: 800 });
  const names = accountNames(o);
  assert.deepEqual(names.filter((name) => name.startsWith("run")).length, 1);
  assert.match(
    names.find((name) => name.startsWith("run"))!,
    new RegExp(`^run 1 at ${year}-06-15 09:00:00`)
  );
  assert.deepEqual(names.filter((name) => name === "one shot").length, 1);
  assert.deepEqual(
    (
      o.query(
        `SELECT CronJobDetail.Name, State, NextFireTime, TimesTriggered FROM CronTrigger ORDER BY CronJobDetail.Name`
      ) as {
        State: string;
        NextFireTime: string | null;
        TimesTriggered: number;
      }[]
    ).map((r) => [r.State, r.NextFireTime, r.TimesTriggered]),
    [
      ["DELETED", null, 1],
      ["DELETED", null, 1]
    ]
  );
});

test("a job scheduled through Lightning runs as the user who scheduled it", () => {
  const controller = `
public with sharing class ScheduleController {
    @AuraEnabled
    public static String scheduleTick() { return System.schedule('Tick as admin', '0 0 3 * * ?', new Tick()); }
}`;
  const o = tickOrg({ "ScheduleController.cls": controller });
  const [profile] = o.query("SELECT Id FROM Profile WHERE Name = 'System Administrator'") as { Id: string }[];
  const [admin] = o.insert("User", [
    {
      LastName: "Admin",
      Username: "admin@example.test",
      Email: "admin@example.test",
      Alias: "adm",
      ProfileId: profile.Id,
      TimeZoneSidKey: "GMT",
      LocaleSidKey: "en_US",
      EmailEncodingKey: "UTF-8",
      LanguageLocaleKey: "en_US"
    }
  ]);
  const result = o.callAuraEnabled({ className: "ScheduleController", methodName: "scheduleTick", userId: admin });
  assert.equal(result.state, "SUCCESS");
  assert.deepEqual(
    (o.query("SELECT OwnerId FROM CronTrigger") as { OwnerId: string }[]).map((trigger) => trigger.OwnerId),
    [admin]
  );
  o.advanceClock({ days: 1 });
  assert.deepEqual(
    accountNames(o).map((name) => name.replace(/ at .* by/, " by")),
    ["run 1 by admin@example.test scheduled"]
  );
});

test("one org clock: scheduled Apex and scheduled flow paths run in the order their times come", () => {
  const o = loadApp({
    classes: {
      Tick: TICK,
      Sweep: `
public class Sweep implements Schedulable {
    public void execute(SchedulableContext context) {
        insert new Contact(LastName = 'sweep at ' + System.now().formatGmt('HH:mm') + ' sees ' + [SELECT COUNT() FROM Contact]);
    }
}`
    },
    flows: {
      Follow_Up: flow(`
        ${recordStart({
          object: "Account",
          recordTriggerType: "Create",
          scheduledPaths: `<scheduledPaths><name>Later</name><label>Later</label><connector><targetReference>Note</targetReference></connector><offsetNumber>90</offsetNumber><offsetUnit>Minutes</offsetUnit><timeSource>RecordTriggerEvent</timeSource></scheduledPaths>`
        })}
        ${createRecords("Note", { object: "Contact", fields: [["LastName", ref("Note_Name")]] })}
        ${formula("Note_Name", "String", '"follow up at " &amp; TEXT(NOW())')}`)
    }
  });
  const saved = Date.parse(o.now());
  o.insert("Account", [{ Name: "Acme" }]);
  // Every hour on the hour: the first sweep may come before the follow-up (due 90 minutes after the save) or after.
  run(o, `System.schedule('Sweep', '0 0 * * * ?', new Sweep());`);
  o.advanceClock({ hours: 3 });
  const contacts = (
    o.query("SELECT LastName, CreatedDate FROM Contact ORDER BY CreatedDate") as {
      LastName: string;
      CreatedDate: string;
    }[]
  ).map((c) => ({ name: c.LastName, at: Date.parse(c.CreatedDate) }));
  const followUp = contacts.find((c) => c.name.startsWith("follow up"))!;
  assert.ok(Math.abs(followUp.at - (saved + 90 * 60000)) < 5000, "the flow path runs when the clock reaches its time");
  const sweeps = contacts.filter((c) => c.name.startsWith("sweep"));
  assert.equal(sweeps.length, 3);
  for (const sweep of sweeps) {
    const seen = Number(/sees (\d+)/.exec(sweep.name)![1]);
    assert.equal(
      seen,
      contacts.filter((c) => c.at < sweep.at).length,
      `${sweep.name}: sees exactly what ran before it`
    );
  }
});

test("in an Apex test a job scheduled between startTest and stopTest runs once at stopTest; one scheduled before does not", () => {
  const testClass = `
@IsTest
private class TickTest {
    @IsTest
    static void runsAtStopTest() {
        String early = System.schedule('Early', '0 0 0 1 1 ? 2099', new Tick());
        Test.startTest();
        String jobId = System.schedule('Test job', '0 0 0 3 9 ? 2099', new Tick());
        CronTrigger ct = [SELECT Id, CronExpression, TimesTriggered, NextFireTime FROM CronTrigger WHERE Id = :jobId];
        Assert.areEqual('0 0 0 3 9 ? 2099', ct.CronExpression);
        Assert.areEqual(0, ct.TimesTriggered);
        Assert.areEqual('2099-09-03 00:00:00', String.valueOf(ct.NextFireTime));
        Assert.areEqual(0, [SELECT COUNT() FROM Account]);
        Test.stopTest();
        List<Account> runs = [SELECT Name FROM Account];
        Assert.areEqual(1, runs.size());
        Assert.isTrue(runs[0].Name.startsWith('run 1 at '), runs[0].Name);
        Assert.isTrue(runs[0].Name.endsWith(' scheduled'), runs[0].Name);
        Assert.areEqual(1, [SELECT TimesTriggered FROM CronTrigger WHERE Id = :jobId].TimesTriggered);
        Assert.areEqual(0, [SELECT TimesTriggered FROM CronTrigger WHERE Id = :early].TimesTriggered);
    }
    @IsTest
    static void aFrequentScheduleStillRunsOnce() {
        insert new Account(Name = 'fail second run');
        Test.startTest();
        System.schedule('Runs once', '0 0 * * * ?', new Tick());
        Test.stopTest();
        Assert.areEqual(1, [SELECT COUNT() FROM Account WHERE Name LIKE 'run %']);
    }
}`;
  const result = tickOrg({ "TickTest.cls": testClass }).runTests(["TickTest"]);
  assert.deepEqual(
    result.tests.map((t) => [t.methodName, t.outcome, t.message]),
    [
      ["runsAtStopTest", "Pass", null],
      ["aFrequentScheduleStillRunsOnce", "Pass", null]
    ]
  );
});
