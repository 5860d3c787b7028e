// Record-triggered flows on DML from Apex and from the API: before-save and after-save, entry
// conditions, "only when updated to meet", IsChanged, $Record__Prior, parent fields, faults,
// Custom Error, before-delete, trigger order, templates, bulk counts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  assignment,
  bool,
  condition,
  createRecords,
  decision,
  filter,
  flow,
  formula,
  loadApp,
  num,
  recordStart,
  ref,
  text,
  updateRecords,
  writeApp
} from "./flow-support.js";
import type { LocalOrg } from "../src/index.js";

function apex(org: LocalOrg, code: string): string[] {
  const result = org.runAnonymous(code);
  if (!result.success) throw new Error(`${result.exceptionMessage}\n${result.stackTrace ?? ""}`);
  return result.debugLog;
}

test("a before-save flow changes $Record without DML; Create runs on insert only, CreateAndUpdate on both", () => {
  const org = loadApp({
    flows: {
      Stamp_On_Create: flow(`
        ${recordStart({ object: "Account", triggerType: "RecordBeforeSave", recordTriggerType: "Create", target: "Stamp" })}
        ${assignment("Stamp", [["$Record.Description", "Assign", ref("Summary")]])}
        ${formula("Summary", "String", '"Created as " &amp; {!$Record.Name} &amp; " with " &amp; TEXT({!$Record.NumberOfEmployees}) &amp; " people"')}`),
      Count_Saves: flow(`
        ${recordStart({ object: "Account", triggerType: "RecordBeforeSave", recordTriggerType: "CreateAndUpdate", target: "Count" })}
        ${assignment("Count", [["$Record.NumberOfEmployees", "Add", num(1)]])}`)
    }
  });
  const out = apex(
    org,
    `Account a = new Account(Name = 'Acme', NumberOfEmployees = 10); insert a;
     System.debug(Limits.getDmlStatements());
     a = [SELECT Description, NumberOfEmployees FROM Account WHERE Id = :a.Id];
     System.debug(a.Description + ' / ' + a.NumberOfEmployees);
     a.Name = 'Acme Corp'; update a;
     a = [SELECT Description, NumberOfEmployees FROM Account WHERE Id = :a.Id];
     System.debug(a.Description + ' / ' + a.NumberOfEmployees);`
  );
  // Count_Saves runs before Stamp_On_Create only by API name order; both see the other's change.
  assert.deepEqual(out, ["1", "Created as Acme with 11 people / 11", "Created as Acme with 11 people / 12"]);
});

test("trigger order runs flows 1-1000 first, then those without an order, by API name", () => {
  const stamp = (name: string, order: number | null) =>
    flow(`
      ${recordStart({ object: "Account", triggerType: "RecordBeforeSave", target: "Add" })}
      ${assignment("Add", [["$Record.Description", "Add", `<stringValue>${name};</stringValue>`]])}
      ${order === null ? "" : `<triggerOrder>${order}</triggerOrder>`}`);
  const org = loadApp({
    flows: { A_Last: stamp("a", null), B_Second: stamp("b", 20), C_First: stamp("c", 10), D_Late: stamp("d", 1500) }
  });
  org.insert("Account", [{ Name: "Acme" }]);
  assert.deepEqual(org.query("SELECT Description FROM Account"), [
    { Id: (org.query("SELECT Id FROM Account") as { Id: string }[])[0].Id, Description: "c;b;a;d;" }
  ]);
});

test("entry conditions with OR and custom logic decide which records start an after-save flow", () => {
  const org = loadApp({
    flows: {
      Add_Contact: flow(`
        ${recordStart({
          object: "Account",
          recordTriggerType: "Create",
          target: "Make",
          filterLogic: "(1 OR 2) AND NOT 3",
          filters:
            filter("Industry", "EqualTo", text("ENERGY")) +
            filter("AnnualRevenue", "GreaterThan", num(1000)) +
            filter("Name", "StartsWith", text("Test"))
        })}
        ${createRecords("Make", {
          object: "Contact",
          fields: [
            ["LastName", ref("$Record.Name")],
            ["AccountId", ref("$Record.Id")]
          ]
        })}`)
    }
  });
  org.insert("Account", [
    { Name: "Energy Co", Industry: "Energy" },
    { Name: "Rich Co", AnnualRevenue: 5000 },
    { Name: "Small Co", AnnualRevenue: 10 },
    { Name: "Test Energy", Industry: "Energy" }
  ]);
  assert.deepEqual(
    (org.query("SELECT LastName FROM Contact ORDER BY LastName") as { LastName: string }[]).map((c) => c.LastName),
    ["Energy Co", "Rich Co"]
  );
});

test("only when updated to meet the conditions: runs when the record starts meeting them, not while it keeps meeting them", () => {
  const org = loadApp({
    flows: {
      Won: flow(`
        ${recordStart({
          object: "Opportunity",
          recordTriggerType: "CreateAndUpdate",
          target: "Make",
          changedToMeet: true,
          filters: filter("IsWon", "EqualTo", bool(true))
        })}
        ${createRecords("Make", { object: "Account", fields: [["Name", ref("WonName")]] })}
        ${formula("WonName", "String", '"Won: " &amp; {!$Record.Name} &amp; " (was " &amp; BLANKVALUE({!$Record__Prior.StageName}, "new") &amp; ")"')}`)
    }
  });
  const [id] = org.insert("Opportunity", [{ Name: "Deal", StageName: "Prospecting", CloseDate: "2026-06-30" }]);
  org.update("Opportunity", [{ Id: id, StageName: "Closed Won" }]);
  org.update("Opportunity", [{ Id: id, Description: "still won" }]);
  org.update("Opportunity", [{ Id: id, StageName: "Prospecting" }]);
  org.update("Opportunity", [{ Id: id, StageName: "Closed Won" }]);
  org.insert("Opportunity", [{ Name: "Born won", StageName: "Closed Won", CloseDate: "2026-06-30" }]);
  assert.deepEqual(
    (org.query("SELECT Name FROM Account ORDER BY CreatedDate, Name") as { Name: string }[]).map((a) => a.Name).sort(),
    ["Won: Born won (was new)", "Won: Deal (was Prospecting)", "Won: Deal (was Prospecting)"]
  );
});

test("IsChanged in entry conditions and decisions compares $Record with $Record__Prior; false on create", () => {
  const org = loadApp({
    flows: {
      Industry_Changed: flow(`
        ${recordStart({ object: "Account", recordTriggerType: "CreateAndUpdate", target: "Check", filters: filter("Industry", "IsChanged", bool(true)) })}
        ${decision("Check", [{ name: "Revenue_Changed", conditions: condition("$Record.AnnualRevenue", "IsChanged", bool(true)), next: "Both" }], "Only")}
        ${createRecords("Both", {
          object: "Contact",
          fields: [
            ["LastName", text("industry and revenue")],
            ["AccountId", ref("$Record.Id")]
          ]
        })}
        ${createRecords("Only", {
          object: "Contact",
          fields: [
            ["LastName", text("industry only")],
            ["AccountId", ref("$Record.Id")]
          ]
        })}`)
    }
  });
  const [id] = org.insert("Account", [{ Name: "Acme", Industry: "Energy" }]);
  org.update("Account", [{ Id: id, Name: "Acme 2" }]);
  org.update("Account", [{ Id: id, Industry: "Biotech" }]);
  org.update("Account", [{ Id: id, Industry: "Media", AnnualRevenue: 10 }]);
  org.update("Account", [{ Id: id, Industry: "media" }]);
  assert.deepEqual(
    (org.query("SELECT LastName FROM Contact ORDER BY LastName") as { LastName: string }[]).map((c) => c.LastName),
    ["industry and revenue", "industry only", "industry only"]
  );
});

test("an entry condition formula with ISCHANGED and parent fields", () => {
  const org = loadApp({
    flows: {
      Formula_Start: flow(`
        ${recordStart({
          object: "Contact",
          recordTriggerType: "CreateAndUpdate",
          target: "Mark",
          filterFormula: "ISCHANGED({!$Record.Title}) &amp;&amp; CONTAINS({!$Record.Account.Name}, &quot;Acme&quot;)"
        })}
        ${updateRecords("Mark", { object: "Account", filters: filter("Id", "EqualTo", ref("$Record.AccountId")), fields: [["Description", ref("$Record.Title")]] })}`)
    }
  });
  const [acme, other] = org.insert("Account", [{ Name: "Acme" }, { Name: "Other" }]);
  const [c1, c2] = org.insert("Contact", [
    { LastName: "A", AccountId: acme, Title: "CEO" },
    { LastName: "B", AccountId: other, Title: "CEO" }
  ]);
  org.update("Contact", [
    { Id: c1, Title: "CTO" },
    { Id: c2, Title: "CTO" }
  ]);
  assert.deepEqual(
    (
      org.query("SELECT Name, Description FROM Account ORDER BY Name") as { Name: string; Description: string | null }[]
    ).map((a) => [a.Name, a.Description ?? null]),
    [
      ["Acme", "CTO"],
      ["Other", null]
    ]
  );
});

test("200 records in one DML: one query for $Record.Account.Name, one DML per element, for the whole batch", () => {
  const org = loadApp({
    flows: {
      Works_At: flow(`
        ${recordStart({ object: "Contact", recordTriggerType: "Create", target: "Set" })}
        ${updateRecords("Set", { inputReference: "$Record", fields: [["Title", ref("Title")]] })}
        ${formula("Title", "String", '"Works at " &amp; {!$Record.Account.Name}')}`)
    }
  });
  const out = apex(
    org,
    `List<Account> accounts = new List<Account>();
     for (Integer i = 0; i < 10; i++) accounts.add(new Account(Name = 'Account ' + i));
     insert accounts;
     Integer queriesBefore = Limits.getQueries(); Integer dmlBefore = Limits.getDmlStatements();
     List<Contact> contacts = new List<Contact>();
     for (Integer i = 0; i < 200; i++) contacts.add(new Contact(LastName = 'C' + i, AccountId = accounts[Math.mod(i, 10)].Id));
     insert contacts;
     System.debug((Limits.getQueries() - queriesBefore) + ' ' + (Limits.getDmlStatements() - dmlBefore));
     System.debug([SELECT COUNT() FROM Contact WHERE Title LIKE 'Works at Account %']);
     System.debug([SELECT Title FROM Contact WHERE LastName = 'C13'].Title);`
  );
  assert.deepEqual(out, ["1 2", "200", "Works at Account 3"]);
});

test("an unhandled fault fails the triggering save with the platform's error and rolls it back", () => {
  const org = loadApp({
    flows: {
      Broken: flow(
        `
        ${recordStart({ object: "Account", recordTriggerType: "Create", target: "Make", filters: filter("Name", "StartsWith", text("Bad")) })}
        ${createRecords("Make", { object: "Contact", fields: [["FirstName", text("No last name")]] })}`,
        { label: "Account Follow-up" }
      )
    }
  });
  const failed = org.runAnonymous(`insert new Account(Name = 'Bad One');`);
  assert.equal(
    failed.exceptionMessage,
    "System.DmlException: Insert failed. First exception on row 0; first error: CANNOT_EXECUTE_FLOW_TRIGGER, We can't save this record because the “Account Follow-up” process failed. Give your Salesforce admin these details. This error occurred when the flow tried to create records: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]. You can look up ExceptionCode values in the SOAP API Developer Guide.: []"
  );
  assert.equal(org.query("SELECT COUNT() FROM Account"), 0);
  // With partial success, only the rows whose flow failed fail; the others are saved.
  const out = apex(
    org,
    `List<Database.SaveResult> results = Database.insert(new List<Account>{ new Account(Name = 'Good'), new Account(Name = 'Bad Two'), new Account(Name = 'Fine') }, false);
     for (Database.SaveResult r : results) System.debug(r.isSuccess() + ' ' + (r.isSuccess() ? '' : String.valueOf(r.getErrors()[0].getStatusCode())));
     System.debug([SELECT COUNT() FROM Account]);`
  );
  assert.deepEqual(out, ["true ", "false CANNOT_EXECUTE_FLOW_TRIGGER", "true ", "2"]);
});

test("Custom Error fails the save with the message on the chosen field", () => {
  const org = loadApp({
    flows: {
      No_Negative: flow(`
        ${recordStart({ object: "Account", triggerType: "RecordBeforeSave", target: "Check" })}
        ${decision("Check", [{ name: "Negative", conditions: condition("$Record.AnnualRevenue", "LessThan", num(0)), next: "Refuse" }])}
        <customErrors><name>Refuse</name><label>Refuse</label><locationX>0</locationX><locationY>0</locationY>
          <customErrorMessages><errorMessage>Annual revenue of {!$Record.Name} cannot be negative.</errorMessage><fieldSelection>AnnualRevenue</fieldSelection><isFieldError>true</isFieldError></customErrorMessages>
        </customErrors>`)
    }
  });
  const out = apex(
    org,
    `try { insert new Account(Name = 'Acme', AnnualRevenue = -5); } catch (DmlException e) {
       System.debug(e.getDmlType(0) + ' | ' + e.getDmlMessage(0) + ' | ' + e.getDmlFieldNames(0)); }
     insert new Account(Name = 'Fine', AnnualRevenue = 5);
     System.debug([SELECT COUNT() FROM Account]);`
  );
  assert.deepEqual(out, [
    "FIELD_CUSTOM_VALIDATION_EXCEPTION | Annual revenue of Acme cannot be negative. | (AnnualRevenue)",
    "1"
  ]);
});

test("a before-delete flow sees the record being deleted", () => {
  const org = loadApp({
    flows: {
      Audit_Delete: flow(`
        ${recordStart({ object: "Contact", triggerType: "RecordBeforeDelete", recordTriggerType: "Delete", target: "Log" })}
        ${createRecords("Log", { object: "Account", fields: [["Name", ref("Note")]] })}
        ${formula("Note", "String", '"Deleted " &amp; {!$Record.LastName}')}`)
    }
  });
  const [id] = org.insert("Contact", [{ LastName: "Gone" }]);
  apex(org, `delete [SELECT Id FROM Contact WHERE Id = '${id}'];`);
  assert.deepEqual(
    (org.query("SELECT Name FROM Account") as { Name: string }[]).map((a) => a.Name),
    ["Deleted Gone"]
  );
});

test("a template runs only when activated, and its FlowDefinitionView row shows it active", () => {
  const template = flow(
    `<isTemplate>true</isTemplate>
     ${recordStart({ object: "Account", triggerType: "RecordBeforeSave", target: "Mark" })}
     ${assignment("Mark", [["$Record.Description", "Assign", text("templated")]])}`,
    { status: "Draft" }
  );
  const inactive = loadApp({ flows: { Account_Template: template } });
  inactive.insert("Account", [{ Name: "A" }]);
  assert.deepEqual(
    (inactive.query("SELECT Description FROM Account") as { Description: unknown }[]).map((a) => a.Description ?? null),
    [null]
  );
  const active = loadApp({ flows: { Account_Template: template } }, ["Account_Template"]);
  active.insert("Account", [{ Name: "A" }]);
  assert.deepEqual(
    (active.query("SELECT Description FROM Account") as { Description: unknown }[]).map((a) => a.Description),
    ["templated"]
  );
  assert.deepEqual(active.query("SELECT IsActive FROM FlowDefinitionView WHERE ApiName = 'Account_Template'"), [
    { Id: (active.query("SELECT Id FROM FlowDefinitionView") as { Id: string }[])[0].Id, IsActive: true }
  ]);
});

test("command line: --activate-flow runs a template in the Apex tests; an unknown name stops the run", () => {
  const dir = writeApp({
    flows: {
      Stamp_Template: flow(
        `<isTemplate>true</isTemplate>
         ${recordStart({ object: "Account", triggerType: "RecordBeforeSave", target: "Mark" })}
         ${assignment("Mark", [["$Record.Description", "Assign", text("stamped")]])}`,
        { status: "Draft" }
      )
    },
    classes: {
      StampTest: `@IsTest private class StampTest { @IsTest static void stamps() {
        Account a = new Account(Name = 'A'); insert a;
        Assert.areEqual('stamped', [SELECT Description FROM Account WHERE Id = :a.Id].Description); } }`
    }
  });
  const cli = join(__dirname, "..", "src", "cli.ts");
  const tsx = join(__dirname, "..", "..", "..", "node_modules", ".bin", "tsx");
  const inactive = spawnSync(tsx, [cli, "test", "--source-dir", dir], { encoding: "utf8" });
  assert.match(inactive.stdout, /^FAIL {2}StampTest\.stamps/m);
  const active = spawnSync(tsx, [cli, "test", "--source-dir", dir, "--activate-flow", "Stamp_Template"], {
    encoding: "utf8"
  });
  assert.equal(active.status, 0, active.stdout + active.stderr);
  assert.match(active.stdout, /^PASS {2}StampTest\.stamps/m);
  const unknown = spawnSync(tsx, [cli, "test", "--source-dir", dir, "--activate-flow", "Nope"], { encoding: "utf8" });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /cannot activate flow Nope: no such flow in the source folders/);
});

test("an entry condition formula that cannot be evaluated fails the save with the platform's error", () => {
  const org = loadApp({
    flows: {
      Ratio: flow(
        `${recordStart({ object: "Account", triggerType: "RecordBeforeSave", target: "Mark", filterFormula: "{!$Record.AnnualRevenue} / {!$Record.NumberOfEmployees} &gt; 10" })}
         ${assignment("Mark", [["$Record.Description", "Assign", text("big")]])}`,
        { label: "Revenue Ratio" }
      )
    }
  });
  org.insert("Account", [{ Name: "Fine", AnnualRevenue: 1000, NumberOfEmployees: 10 }]);
  assert.throws(
    () => org.insert("Account", [{ Name: "Nobody", AnnualRevenue: 1000, NumberOfEmployees: 0 }]),
    /CANNOT_EXECUTE_FLOW_TRIGGER, We can't save this record because the “Revenue Ratio” process failed\. Give your Salesforce admin these details\. The formula of the entry conditions could not be evaluated: Division by zero/
  );
  assert.deepEqual(
    (org.query("SELECT Description FROM Account") as { Description: string }[]).map((a) => a.Description),
    ["big"]
  );
});

test("an active record-triggered flow that could never start stops the load", () => {
  const onDelete =
    flow(`${recordStart({ object: "Account", triggerType: "RecordAfterSave", recordTriggerType: "Delete", target: "Mark" })}
    ${assignment("Mark", [["$Record.Description", "Assign", text("x")]])}`);
  assert.throws(
    () => loadApp({ flows: { After_Delete: onDelete } }),
    /Flow After_Delete: a flow runs on delete only before the record is deleted/
  );
  const unknownObject = flow(`${recordStart({ object: "Invoice__c", target: "Mark" })}${assignment("Mark", [])}`);
  assert.throws(
    () => loadApp({ flows: { On_Invoice: unknownObject } }),
    /Flow On_Invoice: it is triggered by Invoice__c, which is not an object of the org/
  );
});

test("an after-save flow that keeps updating its own record runs again on each save until the trigger depth limit", () => {
  const org = loadApp({
    flows: {
      Echo: flow(`
        ${recordStart({ object: "Account", recordTriggerType: "Update", target: "Again" })}
        ${updateRecords("Again", { inputReference: "$Record", fields: [["NumberOfEmployees", ref("Next")]] })}
        ${formula("Next", "Number", "BLANKVALUE({!$Record.NumberOfEmployees}, 0) + 1", 0)}`),
      Echo_Until_Five: flow(`
        ${recordStart({ object: "Contact", recordTriggerType: "Update", target: "Again", filters: filter("Title", "NotEqualTo", text("5")) })}
        ${updateRecords("Again", { inputReference: "$Record", fields: [["Title", ref("Next")]] })}
        ${formula("Next", "String", "TEXT(VALUE(BLANKVALUE({!$Record.Title}, &quot;0&quot;)) + 1)")}`)
    }
  });
  const [account] = org.insert("Account", [{ Name: "Loop" }]);
  assert.throws(
    () => org.update("Account", [{ Id: account, Name: "Loop 2" }]),
    /System\.LimitException: Maximum trigger depth exceeded/
  );
  const [contact] = org.insert("Contact", [{ LastName: "Counter" }]);
  org.update("Contact", [{ Id: contact, Title: "1" }]);
  assert.deepEqual(
    (org.query("SELECT Title FROM Contact") as { Title: string }[]).map((c) => c.Title),
    ["5"]
  );
});
