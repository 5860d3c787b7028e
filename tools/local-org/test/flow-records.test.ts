// Get, Create, Update and Delete Records in flows: filters and logic, sort, first or all,
// fields chosen or all, outputs, fault connectors with $Flow.FaultMessage.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assignment,
  createRecords,
  deleteRecords,
  filter,
  flow,
  getRecords,
  loadApp,
  num,
  ref,
  start,
  text,
  updateRecords,
  variable
} from "./flow-support.js";
import type { LocalOrg } from "../src/index.js";

function seedAccounts(org: LocalOrg) {
  return org.insert("Account", [
    { Name: "Acme", Industry: "Energy", AnnualRevenue: 500, NumberOfEmployees: 10 },
    { Name: "Acme Labs", Industry: "Biotech", AnnualRevenue: 900, NumberOfEmployees: 3 },
    { Name: "Globex", Industry: "Energy", AnnualRevenue: 100 },
    { Name: "Initech", Industry: null, AnnualRevenue: 700 }
  ]);
}

const names = (value: unknown) => (value as { Name: string }[] | null)?.map((r) => r.Name) ?? null;

test("Get Records: filters with custom logic, sort, all records or the first, limit, none found is blank", () => {
  const org = loadApp({
    flows: {
      Find: flow(`
        ${start("All")}
        ${getRecords("All", "Account", {
          filters:
            filter("Name", "StartsWith", ref("Prefix")) +
            filter("Industry", "EqualTo", text("energy")) +
            filter("AnnualRevenue", "GreaterThan", num(800)),
          logic: "1 AND (2 OR 3)",
          sort: "AnnualRevenue",
          order: "Desc",
          next: "First"
        })}
        ${getRecords("First", "Account", { filters: filter("Industry", "IsNull", "<booleanValue>false</booleanValue>"), first: true, sort: "Name", next: "Top" })}
        ${getRecords("Top", "Account", { filters: filter("Name", "Contains", text("e")), sort: "AnnualRevenue", order: "Desc", limit: 2, next: "Nothing" })}
        ${getRecords("Nothing", "Account", { filters: filter("Name", "EqualTo", text("Umbrella")), next: "Out" })}
        ${assignment("Out", [
          ["Matches", "Assign", ref("All")],
          ["FirstName", "Assign", ref("First.Name")],
          ["Highest", "Assign", ref("Top")],
          ["NothingFound", "Assign", ref("Nothing")]
        ])}
        ${variable("Prefix", "String", { input: true })}
        ${variable("Matches", "SObject", { collection: true, output: true, objectType: "Account" })}
        ${variable("Highest", "SObject", { collection: true, output: true, objectType: "Account" })}
        ${variable("NothingFound", "SObject", { collection: true, output: true, objectType: "Account" })}
        ${variable("FirstName", "String", { output: true })}`)
    }
  });
  seedAccounts(org);
  const { outputs, fault } = org.startFlow("Find", { Prefix: "acme" });
  assert.equal(fault, null);
  assert.deepEqual(names(outputs.Matches), ["Acme Labs", "Acme"]);
  assert.equal(outputs.FirstName, "Acme");
  assert.deepEqual(names(outputs.Highest), ["Acme Labs", "Initech"]);
  assert.equal(outputs.NothingFound, null);
});

test("Get Records stores the chosen fields, or every field when storing automatically without a choice", () => {
  const org = loadApp({
    flows: {
      Fields: flow(`
        ${start("Chosen")}
        ${getRecords("Chosen", "Account", { filters: filter("Name", "EqualTo", text("Globex")), first: true, fields: ["Id", "Name"], next: "Every" })}
        ${getRecords("Every", "Account", { filters: filter("Name", "EqualTo", text("Globex")), first: true, next: "Out" })}
        ${assignment("Out", [
          ["ChosenRecord", "Assign", ref("Chosen")],
          ["Revenue", "Assign", ref("Every.AnnualRevenue")]
        ])}
        ${variable("ChosenRecord", "SObject", { output: true, objectType: "Account" })}
        ${variable("Revenue", "Currency", { output: true, scale: 2 })}`)
    }
  });
  seedAccounts(org);
  const { outputs } = org.startFlow("Fields");
  assert.deepEqual(Object.keys(outputs.ChosenRecord as object).sort(), ["Id", "Name"]);
  assert.equal(outputs.Revenue, 100);
});

test("Create Records from field values stores the new Id; from a collection variable sets each record's Id", () => {
  const org = loadApp({
    flows: {
      Make: flow(`
        ${start("One")}
        ${createRecords("One", {
          object: "Account",
          fields: [
            ["Name", ref("Name")],
            ["NumberOfEmployees", num(5)]
          ],
          next: "Contact1"
        })}
        ${assignment(
          "Contact1",
          [
            ["Person.LastName", "Assign", text("Lovelace")],
            ["Person.AccountId", "Assign", ref("One")],
            ["People", "Add", ref("Person")]
          ],
          "Contact2"
        )}
        ${assignment(
          "Contact2",
          [
            ["Other.LastName", "Assign", text("Hopper")],
            ["Other.AccountId", "Assign", ref("One")],
            ["People", "Add", ref("Other")]
          ],
          "Many"
        )}
        ${createRecords("Many", { inputReference: "People", next: "Out" })}
        ${assignment("Out", [
          ["AccountId", "Assign", ref("One")],
          ["Created", "Assign", ref("People")]
        ])}
        ${variable("Name", "String", { input: true })}
        ${variable("Person", "SObject", { objectType: "Contact" })}
        ${variable("Other", "SObject", { objectType: "Contact" })}
        ${variable("People", "SObject", { collection: true, objectType: "Contact", output: true })}
        ${variable("AccountId", "String", { output: true })}
        ${variable("Created", "SObject", { collection: true, objectType: "Contact", output: true })}`)
    }
  });
  const result = org.startFlow("Make", { Name: "Stark" });
  assert.equal(result.fault, null);
  const [account] = org.query("SELECT Id, Name, NumberOfEmployees FROM Account") as { Id: string; Name: string }[];
  assert.deepEqual(account, { Id: result.outputs.AccountId, Name: "Stark", NumberOfEmployees: 5 });
  const created = result.outputs.Created as { Id: string; LastName: string; AccountId: string }[];
  assert.deepEqual(
    created.map((c) => [c.LastName, c.AccountId, c.Id.slice(0, 3)]),
    [
      ["Lovelace", account.Id, "003"],
      ["Hopper", account.Id, "003"]
    ]
  );
  assert.equal(org.query(`SELECT COUNT() FROM Contact WHERE AccountId = '${account.Id}'`), 2);
});

test("Update Records by filters and by a record variable; Delete Records by filters and by reference", () => {
  const org = loadApp({
    flows: {
      Change: flow(`
        ${start("ByFilter")}
        ${updateRecords("ByFilter", { object: "Account", filters: filter("Industry", "EqualTo", text("Energy")), fields: [["Description", text("power")]], next: "Find" })}
        ${getRecords("Find", "Account", { filters: filter("Name", "EqualTo", text("Initech")), first: true, next: "Edit" })}
        ${assignment("Edit", [["Find.Description", "Assign", text("edited")]], "ByReference")}
        ${updateRecords("ByReference", { inputReference: "Find", next: "Remove" })}
        ${deleteRecords("Remove", { object: "Account", filters: filter("Name", "EqualTo", text("Acme Labs")), next: "FindGlobex" })}
        ${getRecords("FindGlobex", "Account", { filters: filter("Name", "EqualTo", text("Globex")), first: true, next: "RemoveGlobex" })}
        ${deleteRecords("RemoveGlobex", { inputReference: "FindGlobex" })}`)
    }
  });
  seedAccounts(org);
  assert.equal(org.startFlow("Change").fault, null);
  assert.deepEqual(org.query("SELECT Name, Description FROM Account ORDER BY Name"), [
    {
      Id: (org.query("SELECT Id FROM Account WHERE Name = 'Acme'") as { Id: string }[])[0].Id,
      Name: "Acme",
      Description: "power"
    },
    {
      Id: (org.query("SELECT Id FROM Account WHERE Name = 'Initech'") as { Id: string }[])[0].Id,
      Name: "Initech",
      Description: "edited"
    }
  ]);
});

test("a failed save takes the fault connector with the platform's $Flow.FaultMessage; without one the interview fails", () => {
  const failing = (withFault: boolean) =>
    flow(`
      ${start("First")}
      ${createRecords("First", { object: "Account", fields: [["Name", text("Made first")]], next: "Make" })}
      ${createRecords("Make", { object: "Contact", fields: [["FirstName", text("No")]], next: "Done", fault: withFault ? "Caught" : undefined })}
      ${assignment("Caught", [["Message", "Assign", ref("$Flow.FaultMessage")]])}
      ${assignment("Done", [["Message", "Assign", text("created")]])}
      ${variable("Message", "String", { output: true })}`);
  const org = loadApp({ flows: { Caught: failing(true), Uncaught: failing(false) } });
  const expected =
    "This error occurred when the flow tried to create records: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]. You can look up ExceptionCode values in the SOAP API Developer Guide.";
  assert.deepEqual(org.startFlow("Caught").outputs, { Message: expected });
  assert.equal(org.query("SELECT COUNT() FROM Account"), 1);
  const uncaught = org.startFlow("Uncaught");
  assert.deepEqual(uncaught.fault, { element: "Make", message: expected });
  assert.equal(uncaught.success, false);
  assert.equal(uncaught.exceptionMessage, `An unhandled fault has occurred in this flow: ${expected}`);
  // The unhandled fault rolls back the interview's earlier work.
  assert.equal(org.query("SELECT COUNT() FROM Account"), 1);
  assert.equal(org.query("SELECT COUNT() FROM Contact"), 0);
});

test("Delete Records with filters that match nothing faults, as the platform does", () => {
  const org = loadApp({
    flows: {
      Nothing: flow(
        `${start("Remove")}${deleteRecords("Remove", { object: "Account", filters: filter("Name", "EqualTo", text("Nobody")) })}`
      )
    }
  });
  assert.deepEqual(org.startFlow("Nothing").fault, {
    element: "Remove",
    message: "DELETE --- There is nothing in Salesforce matching your delete criteria."
  });
});

test("an empty record collection saves nothing; a record variable with no record faults", () => {
  const org = loadApp({
    flows: {
      Empty: flow(`
        ${start("Save_All")}
        ${updateRecords("Save_All", { inputReference: "Accounts", next: "Save_One" })}
        ${updateRecords("Save_One", { inputReference: "Account", fault: "Caught" })}
        ${assignment("Caught", [["Message", "Assign", ref("$Flow.FaultMessage")]])}
        ${variable("Accounts", "SObject", { collection: true, objectType: "Account" })}
        ${variable("Account", "SObject", { objectType: "Account" })}
        ${variable("Message", "String", { output: true })}`)
    }
  });
  assert.deepEqual(org.startFlow("Empty").outputs, {
    Message: "The flow failed to access the value for Account because it hasn't been set or assigned."
  });
});
