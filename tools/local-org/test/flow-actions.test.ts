// Invocable Apex actions and subflows: flow and Apex types meeting as on the platform, outputs
// stored automatically or assigned, exceptions and result counts, one call for a whole batch.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  action,
  assignment,
  filter,
  flow,
  getRecords,
  loadApp,
  recordStart,
  ref,
  start,
  text,
  variable
} from "./flow-support.js";

const TYPED = `
global with sharing class Typed {
    public static Integer calls = 0;
    global class Request {
        @InvocableVariable(required=true)
        global String label;
        @InvocableVariable
        global Integer count;
        @InvocableVariable
        global Decimal amount;
        @InvocableVariable
        global List<Integer> quantities;
        @InvocableVariable
        global List<Decimal> usageLimits;
        @InvocableVariable
        global Date day;
        @InvocableVariable
        global Datetime moment;
        @InvocableVariable
        global List<String> names;
        @InvocableVariable
        global Boolean fail;
    }
    global class Result {
        @InvocableVariable
        global String summary;
        @InvocableVariable
        global Integer doubled;
        @InvocableVariable
        global List<String> echoed;
        @InvocableVariable
        global Date nextDay;
    }
    @InvocableMethod(label='Typed')
    global static List<Result> run(List<Request> requests) {
        calls++;
        List<Result> results = new List<Result>();
        for (Request r : requests) {
            if (r.fail == true) {
                throw new IllegalArgumentException('asked to fail');
            }
            Result result = new Result();
            result.summary = r.label + ' count=' + r.count + ' amount=' + r.amount + ' quantities=' + r.quantities +
                ' limits=' + r.usageLimits + ' day=' + r.day + ' moment=' + r.moment + ' batch=' + requests.size() + ' calls=' + calls;
            result.doubled = r.count == null ? null : r.count * 2;
            result.echoed = r.names;
            result.nextDay = r.day == null ? null : r.day.addDays(1);
            results.add(result);
        }
        return results;
    }
}`;

const SHORT = `
global with sharing class Short {
    global class Request { @InvocableVariable global String label; }
    global class Result { @InvocableVariable global String label; }
    @InvocableMethod
    global static List<Result> run(List<Request> requests) { return new List<Result>(); }
}`;

function typedFlow(inputs: [string, string][]) {
  return flow(`
    ${start("Run")}
    ${action("Run", "Typed", inputs, { next: "Out", fault: "Caught" })}
    ${assignment("Out", [
      ["Summary", "Assign", ref("Run.summary")],
      ["Doubled", "Assign", ref("Run.doubled")],
      ["Echoed", "Assign", ref("Run.echoed")],
      ["NextDay", "Assign", ref("Run.nextDay")]
    ])}
    ${assignment("Caught", [["Fault", "Assign", ref("$Flow.FaultMessage")]])}
    ${variable("Count", "Number", { input: true, scale: 2 })}
    ${variable("Quantities", "Number", { input: true, collection: true, scale: 0 })}
    ${variable("Limits", "Number", { input: true, collection: true, scale: 2 })}
    ${variable("Day", "Date", { input: true })}
    ${variable("Moment", "DateTime", { input: true })}
    ${variable("Names", "String", { input: true, collection: true })}
    ${variable("Label", "String", { input: true })}
    ${variable("Fail", "Boolean", { input: true })}
    ${variable("Summary", "String", { output: true })}
    ${variable("Doubled", "Number", { output: true, scale: 0 })}
    ${variable("Echoed", "String", { output: true, collection: true })}
    ${variable("NextDay", "Date", { output: true })}
    ${variable("Fault", "String", { output: true })}`);
}

const ALL_INPUTS: [string, string][] = [
  ["label", ref("Label")],
  ["count", ref("Count")],
  ["amount", ref("Count")],
  ["quantities", ref("Quantities")],
  ["usageLimits", ref("Limits")],
  ["day", ref("Day")],
  ["moment", ref("Moment")],
  ["names", ref("Names")],
  ["fail", ref("Fail")]
];

test("numbers reach Integer, Decimal and List inputs, dates stay dates; outputs are stored as Action.field", () => {
  const org = loadApp({ flows: { Act: typedFlow(ALL_INPUTS) }, classes: { Typed: TYPED } });
  const { outputs, fault } = org.startFlow("Act", {
    Label: "x",
    Count: 4,
    Quantities: [1, 2],
    Limits: [1.5, 10],
    Day: "2026-02-28",
    Moment: "2026-02-28T10:30:00Z",
    Names: ["a", "b"]
  });
  assert.equal(fault, null);
  assert.equal(outputs.Fault, null);
  assert.equal(
    outputs.Summary,
    "x count=4 amount=4.00 quantities=(1, 2) limits=(1.50, 10.00) day=2026-02-28 00:00:00 moment=2026-02-28 10:30:00 batch=1 calls=1"
  );
  assert.equal(outputs.Doubled, 8);
  assert.deepEqual(outputs.Echoed, ["a", "b"]);
  assert.equal(outputs.NextDay, "2026-03-01");
});

test("a value the platform refuses faults the action: a fractional Number for an Integer, a single value for a List", () => {
  const org = loadApp({
    flows: {
      Act: typedFlow(ALL_INPUTS),
      Wrong_List: typedFlow([
        ["label", ref("Label")],
        ["names", ref("Label")]
      ]),
      Missing_Label: typedFlow([["count", ref("Count")]]),
      Fraction_List: typedFlow([
        ["label", ref("Label")],
        ["quantities", ref("Limits")]
      ])
    },
    classes: { Typed: TYPED }
  });
  assert.equal(
    org.startFlow("Act", { Label: "x", Count: 2.5 }).outputs.Fault,
    "Input count of Typed is Integer and cannot take 2.50: the number has decimal places"
  );
  assert.equal(
    org.startFlow("Fraction_List", { Label: "x", Limits: [1, 2.5] }).outputs.Fault,
    "Input quantities of Typed[2] is Integer and cannot take 2.50: the number has decimal places"
  );
  // A Number variable with no decimal places holds 2.5 as 3, which an Integer takes.
  assert.match(
    String(org.startFlow("Act", { Label: "x", Quantities: [1, 2.5] }).outputs.Summary),
    /quantities=\(1, 3\)/
  );
  assert.equal(
    org.startFlow("Wrong_List", { Label: "x" }).outputs.Fault,
    'Input names of Typed is List<String> and cannot take "x"'
  );
  assert.equal(org.startFlow("Missing_Label", { Count: 1 }).outputs.Fault, "Missing required input parameter: label");
});

test("an exception in the action faults the interview with the platform's message", () => {
  const org = loadApp({ flows: { Act: typedFlow(ALL_INPUTS) }, classes: { Typed: TYPED } });
  assert.equal(
    org.startFlow("Act", { Label: "x", Fail: true }).outputs.Fault,
    "An Apex error occurred: System.IllegalArgumentException: asked to fail"
  );
});

test("an action that returns fewer results than requests faults every interview", () => {
  const org = loadApp({
    flows: {
      Act: flow(`
        ${start("Run")}
        ${action("Run", "Short", [["label", text("x")]], { fault: "Caught" })}
        ${assignment("Caught", [["Fault", "Assign", ref("$Flow.FaultMessage")]])}
        ${variable("Fault", "String", { output: true })}`)
    },
    classes: { Short: SHORT }
  });
  assert.equal(
    org.startFlow("Act").outputs.Fault,
    "The number of results does not match the number of interviews that were executed in a single bulk execution request."
  );
});

test("200 records in one DML make one call of the action with 200 requests", () => {
  const org = loadApp({
    flows: {
      On_Account: flow(`
        ${recordStart({ object: "Account", recordTriggerType: "Create", target: "Run" })}
        ${action("Run", "Typed", [
          ["label", ref("$Record.Name")],
          ["count", ref("$Record.NumberOfEmployees")]
        ])}`)
    },
    classes: { Typed: TYPED }
  });
  const out = org.runAnonymous(`
    List<Account> accounts = new List<Account>();
    for (Integer i = 0; i < 200; i++) accounts.add(new Account(Name = 'A' + i, NumberOfEmployees = i));
    insert accounts;
    System.debug(Typed.calls);`);
  assert.equal(out.success, true, out.exceptionMessage ?? "");
  assert.deepEqual(out.debugLog, ["1"]);
});

test("a subflow takes inputs, gives outputs, and runs its elements in bulk with its callers", () => {
  const org = loadApp({
    flows: {
      Lookup_Industry: flow(`
        ${start("Find")}
        ${getRecords("Find", "Account", { filters: filter("Name", "EqualTo", ref("AccountName")), first: true, next: "Set" })}
        ${assignment("Set", [["Industry", "Assign", ref("Find.Industry")]])}
        ${variable("AccountName", "String", { input: true })}
        ${variable("Industry", "String", { output: true })}`),
      Tag_Contact: flow(`
        ${recordStart({ object: "Contact", recordTriggerType: "Create", target: "Call" })}
        <subflows><name>Call</name><label>Call</label><locationX>0</locationX><locationY>0</locationY>
          <connector><targetReference>Save</targetReference></connector><flowName>Lookup_Industry</flowName>
          <inputAssignments><name>AccountName</name><value>${ref("$Record.Account.Name")}</value></inputAssignments>
          <storeOutputAutomatically>true</storeOutputAutomatically></subflows>
        <recordUpdates><name>Save</name><label>Save</label><locationX>0</locationX><locationY>0</locationY>
          <inputAssignments><field>Title</field><value>${ref("Call.Industry")}</value></inputAssignments>
          <inputReference>$Record</inputReference></recordUpdates>`)
    }
  });
  const out = org.runAnonymous(`
    List<Account> accounts = new List<Account>{ new Account(Name = 'Acme', Industry = 'Energy'), new Account(Name = 'Globex', Industry = 'Media') };
    insert accounts;
    List<Contact> contacts = new List<Contact>();
    for (Integer i = 0; i < 100; i++) contacts.add(new Contact(LastName = 'C' + i, AccountId = accounts[Math.mod(i, 2)].Id));
    Integer before = Limits.getQueries();
    insert contacts;
    System.debug(Limits.getQueries() - before);
    System.debug([SELECT COUNT() FROM Contact WHERE Title = 'Energy'] + ' ' + [SELECT COUNT() FROM Contact WHERE Title = 'Media']);`);
  assert.equal(out.success, true, out.exceptionMessage ?? "");
  // One query for $Record.Account.Name and one for the subflow's Get Records, for 100 records.
  assert.deepEqual(out.debugLog, ["2", "50 50"]);
});

test("Apex starts flows with Flow.Interview: createInterview or Flow.Interview.<Name>, start, getVariableValue", () => {
  const org = loadApp({
    flows: {
      Greet: flow(`
        ${start("Make")}
        <recordCreates><name>Make</name><label>Make</label><locationX>0</locationX><locationY>0</locationY>
          <connector><targetReference>Set</targetReference></connector>
          <inputAssignments><field>Name</field><value>${ref("Name")}</value></inputAssignments><object>Account</object>
          <storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
        ${assignment("Set", [
          ["Greeting", "Assign", text("Hello ")],
          ["Greeting", "Add", ref("Name")],
          ["Doubled", "Assign", ref("Count")],
          ["Doubled", "Add", ref("Count")]
        ])}
        ${variable("Name", "String", { input: true })}
        ${variable("Count", "Number", { input: true, scale: 0 })}
        ${variable("Greeting", "String", { output: true })}
        ${variable("Doubled", "Number", { output: true, scale: 0 })}`),
      Fails: flow(`
        ${start("Make")}
        <recordCreates><name>Make</name><label>Make</label><locationX>0</locationX><locationY>0</locationY>
          <connector><targetReference>Broken</targetReference></connector>
          <inputAssignments><field>Name</field><value>${text("kept?")}</value></inputAssignments><object>Account</object>
          <storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
        <recordCreates><name>Broken</name><label>Broken</label><locationX>0</locationX><locationY>0</locationY>
          <inputAssignments><field>FirstName</field><value>${text("x")}</value></inputAssignments><object>Contact</object>
          <storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>`)
    }
  });
  const out = org.runAnonymous(`
    Flow.Interview greet = Flow.Interview.createInterview('Greet', new Map<String, Object>{ 'Name' => 'Ada', 'Count' => 21 });
    System.debug(greet.getVariableValue('Greeting'));
    greet.start();
    System.debug(greet.getVariableValue('Greeting') + ' ' + greet.getVariableValue('Doubled'));
    Flow.Interview.Greet typed = new Flow.Interview.Greet(new Map<String, Object>{ 'Name' => 'Bob' });
    typed.start();
    System.debug(typed.getVariableValue('Greeting'));
    System.debug([SELECT COUNT() FROM Account]);
    try { new Flow.Interview.Fails(new Map<String, Object>()).start(); } catch (FlowException e) { System.debug(e.getMessage()); }
    System.debug([SELECT COUNT() FROM Account]);
    try { Flow.Interview.createInterview('Nope', null); } catch (FlowException e) { System.debug(e.getMessage()); }
    try { Flow.Interview.createInterview('Greet', new Map<String, Object>{ 'Greeting' => 'x' }).start(); } catch (FlowException e) { System.debug(e.getMessage()); }`);
  assert.equal(out.success, true, out.exceptionMessage ?? "");
  assert.deepEqual(out.debugLog, [
    "null",
    "Hello Ada 42",
    "Hello Bob",
    "2",
    "An unhandled fault has occurred in this flow",
    "2",
    "No active autolaunched flow named Nope",
    "The flow variable Greeting of Greet isn't available for input"
  ]);
});
