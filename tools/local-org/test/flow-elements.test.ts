// Flow elements in autolaunched flows started through the API: assignments, decisions, loops,
// formulas, text templates, constants, globals, and input and output variables.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assignment,
  bool,
  condition,
  decision,
  flow,
  formula,
  loadApp,
  loop,
  num,
  ref,
  start,
  text,
  variable
} from "./flow-support.js";

test("Assign, Add and Subtract on numbers, text and dates; a Number keeps its decimal places", () => {
  const org = loadApp({
    flows: {
      Calc: flow(`
        ${start("Do")}
        ${assignment("Do", [
          ["Count", "Add", num(1)],
          ["Count", "Add", num("2.5")],
          ["Count", "Subtract", num("0.25")],
          ["Greeting", "Add", text("Hello ")],
          ["Greeting", "Add", ref("Name")],
          ["Due", "Add", num(10)],
          ["Due", "Subtract", num(3)],
          ["Whole", "Assign", num("2.5")]
        ])}
        ${variable("Count", "Number", { output: true, scale: 2 })}
        ${variable("Whole", "Number", { output: true, scale: 0 })}
        ${variable("Greeting", "String", { output: true })}
        ${variable("Name", "String", { input: true })}
        ${variable("Due", "Date", { input: true, output: true })}`)
    }
  });
  const result = org.startFlow("Calc", { Name: "Ada", Due: "2026-01-28" });
  assert.equal(result.fault, null);
  assert.deepEqual(result.outputs, { Count: 3.25, Whole: 3, Greeting: "Hello Ada", Due: "2026-02-04" });
});

test("collection operators: Add, AddAtStart, RemoveFirst, RemoveAll, RemoveAfterFirst, RemoveBeforeFirst, RemoveUncommon, RemovePosition, AssignCount", () => {
  const org = loadApp({
    flows: {
      Lists: flow(`
        ${start("Build")}
        ${assignment("Build", [
          ["Items", "Add", text("b")],
          ["Items", "Add", text("c")],
          ["Items", "Add", text("b")],
          ["Items", "AddAtStart", text("a")],
          ["Snapshot", "Assign", ref("Items")],
          ["Items", "RemoveFirst", text("b")],
          ["AfterFirstRemoval", "Assign", ref("Items")],
          ["Items", "Add", text("d")],
          ["Items", "RemoveAll", text("b")],
          ["AllRemoved", "Assign", ref("Items")],
          ["Cut", "Assign", ref("Snapshot")],
          ["Cut", "RemoveAfterFirst", text("c")],
          ["Tail", "Assign", ref("Snapshot")],
          ["Tail", "RemoveBeforeFirst", text("c")],
          ["Common", "Assign", ref("Snapshot")],
          ["Common", "RemoveUncommon", ref("Keep")],
          ["Positioned", "Assign", ref("Snapshot")],
          ["Positioned", "RemovePosition", num(2)],
          ["Size", "AssignCount", ref("Snapshot")]
        ])}
        ${variable("Items", "String", { collection: true, output: true })}
        ${variable("Snapshot", "String", { collection: true, output: true })}
        ${variable("AfterFirstRemoval", "String", { collection: true, output: true })}
        ${variable("AllRemoved", "String", { collection: true, output: true })}
        ${variable("Cut", "String", { collection: true, output: true })}
        ${variable("Tail", "String", { collection: true, output: true })}
        ${variable("Common", "String", { collection: true, output: true })}
        ${variable("Keep", "String", { collection: true, input: true })}
        ${variable("Positioned", "String", { collection: true, output: true })}
        ${variable("Size", "Number", { output: true, scale: 0 })}`)
    }
  });
  const { outputs, fault } = org.startFlow("Lists", { Keep: ["b", "x"] });
  assert.equal(fault, null);
  assert.deepEqual(outputs.Snapshot, ["a", "b", "c", "b"]);
  assert.deepEqual(outputs.AfterFirstRemoval, ["a", "c", "b"]);
  assert.deepEqual(outputs.AllRemoved, ["a", "c", "d"]);
  assert.deepEqual(outputs.Cut, ["a", "b", "c"]);
  assert.deepEqual(outputs.Tail, ["c", "b"]);
  assert.deepEqual(outputs.Common, ["b", "b"]);
  assert.deepEqual(outputs.Positioned, ["a", "c", "b"]);
  assert.equal(outputs.Size, 4);
});

test("Decision: first outcome that holds, custom condition logic, default outcome; text comparisons ignore case", () => {
  const org = loadApp({
    flows: {
      Route: flow(`
        ${start("Which")}
        ${decision(
          "Which",
          [
            {
              name: "Big",
              conditions:
                condition("Amount", "GreaterThan", num(1000)) + condition("Stage", "EqualTo", text("closed won")),
              next: "SetBig"
            },
            {
              name: "Custom",
              logic: "1 AND (2 OR NOT 3)",
              conditions:
                condition("Amount", "GreaterThanOrEqualTo", num(10)) +
                condition("Stage", "StartsWith", text("PRO")) +
                condition("Stage", "Contains", text("won")),
              next: "SetCustom"
            }
          ],
          "SetDefault"
        )}
        ${assignment("SetBig", [["Route", "Assign", text("big")]])}
        ${assignment("SetCustom", [["Route", "Assign", text("custom")]])}
        ${assignment("SetDefault", [["Route", "Assign", text("default")]])}
        ${variable("Amount", "Number", { input: true, scale: 2 })}
        ${variable("Stage", "String", { input: true })}
        ${variable("Route", "String", { output: true })}`)
    }
  });
  const route = (Amount: number, Stage: string) => org.startFlow("Route", { Amount, Stage }).outputs.Route;
  assert.equal(route(5000, "Closed Won"), "big");
  assert.equal(route(50, "Prospecting"), "custom");
  assert.equal(route(50, "Closed Won"), "default");
  assert.equal(route(5000, "Closed Lost"), "custom");
  assert.equal(route(5, "Prospecting"), "default");
});

test("operators IsNull, IsBlank, IsEmpty, EndsWith, In; a blank value equals blank text; outcomes read as Booleans", () => {
  const org = loadApp({
    flows: {
      Checks: flow(`
        ${start("D1")}
        ${decision("D1", [{ name: "IsNullText", conditions: condition("Text", "IsNull", bool(true)), next: "D2" }], "D2")}
        ${decision("D2", [{ name: "IsBlankText", conditions: condition("Text", "IsBlank", bool(true)), next: "D3" }], "D3")}
        ${decision("D3", [{ name: "EmptyList", conditions: condition("List", "IsEmpty", bool(true)), next: "D4" }], "D4")}
        ${decision("D4", [{ name: "EqualsBlank", conditions: condition("Text", "EqualTo", ""), next: "D5" }], "D5")}
        ${decision("D5", [{ name: "EndsLace", conditions: condition("Name", "EndsWith", text("LACE")), next: "D6" }], "D6")}
        ${decision("D6", [{ name: "InList", conditions: condition("Name", "In", ref("List")), next: "Collect" }], "Collect")}
        ${assignment("Collect", [["Out", "Assign", ref("Result")]])}
        ${formula(
          "Result",
          "String",
          'IF({!IsNullText}, "null ", "") &amp; IF({!IsBlankText}, "blank ", "") &amp; IF({!EmptyList}, "empty ", "") &amp; IF({!EqualsBlank}, "equals-blank ", "") &amp; IF({!EndsLace}, "ends ", "") &amp; IF({!InList}, "in", "")'
        )}
        ${variable("Text", "String", { input: true })}
        ${variable("Name", "String", { input: true })}
        ${variable("List", "String", { input: true, collection: true })}
        ${variable("Out", "String", { output: true })}`)
    }
  });
  const out = (inputs: Record<string, string | string[] | null>) => org.startFlow("Checks", inputs).outputs.Out;
  assert.equal(out({ Text: null, Name: "Ada Lovelace", List: [] }), "null blank empty equals-blank ends ");
  assert.equal(out({ Text: "", Name: "Ada", List: ["ADA"] }), "blank equals-blank in");
  assert.equal(out({ Text: "x", Name: "Bob", List: ["Ada"] }), "");
});

test("Loop walks a collection in order or reversed; its current item is the loop's own output", () => {
  const org = loadApp({
    flows: {
      Walk: flow(`
        ${start("Each")}
        ${loop("Each", "Names", "Append", "Reverse")}
        ${assignment("Append", [["Forward", "Add", ref("Each")]], "Each")}
        ${loop("Reverse", "Names", "AppendBack", undefined, { order: "Desc", assignTo: "Current" })}
        ${assignment("AppendBack", [["Backward", "Add", ref("Current")]], "Reverse")}
        ${variable("Names", "String", { collection: true, input: true })}
        ${variable("Current", "String")}
        ${variable("Forward", "String", { output: true })}
        ${variable("Backward", "String", { output: true })}`)
    }
  });
  assert.deepEqual(org.startFlow("Walk", { Names: ["a", "b", "c"] }).outputs, { Forward: "abc", Backward: "cba" });
  assert.deepEqual(org.startFlow("Walk", { Names: null }).outputs, { Forward: null, Backward: null });
});

test("formulas, text templates, constants and globals", () => {
  const org = loadApp({
    flows: {
      Words: flow(`
        ${start("Set")}
        ${assignment("Set", [
          ["Summary", "Assign", ref("Template")],
          ["Total", "Assign", ref("TotalFormula")],
          ["Stamp", "Assign", ref("$Flow.CurrentDate")],
          ["Empty", "Assign", ref("$GlobalConstant.EmptyString")],
          ["Yes", "Assign", ref("$GlobalConstant.True")],
          ["UserName", "Assign", ref("$User.Username")],
          ["Org", "Assign", ref("$Organization.Name")]
        ])}
        ${formula("TotalFormula", "Number", "{!Quantity} * {!Price} + {!Shipping}", 2)}
        <textTemplates><name>Template</name><isViewedAsPlainText>true</isViewedAsPlainText><text>{!Quantity} x {!Item} = {!TotalFormula}</text></textTemplates>
        <constants><name>Shipping</name><dataType>Number</dataType><value>${num("4.5")}</value></constants>
        ${variable("Quantity", "Number", { input: true, scale: 0 })}
        ${variable("Price", "Number", { input: true, scale: 2 })}
        ${variable("Item", "String", { input: true })}
        ${variable("Summary", "String", { output: true })}
        ${variable("Total", "Currency", { output: true, scale: 2 })}
        ${variable("Stamp", "Date", { output: true })}
        ${variable("Empty", "String", { output: true })}
        ${variable("Yes", "Boolean", { output: true })}
        ${variable("UserName", "String", { output: true })}
        ${variable("Org", "String", { output: true })}`)
    }
  });
  const { outputs, fault } = org.startFlow("Words", { Quantity: 3, Price: 9.99, Item: "seats" });
  assert.equal(fault, null);
  assert.equal(outputs.Summary, "3 x seats = 34.47");
  assert.equal(outputs.Total, 34.47);
  assert.equal(outputs.Stamp, new Date().toISOString().slice(0, 10));
  assert.equal(outputs.Empty, "");
  assert.equal(outputs.Yes, true);
  assert.equal(outputs.UserName, "local.user@local-org.test");
  assert.equal(outputs.Org, "Local Org");
});

test("a formula that cannot be evaluated faults; without a fault connector the interview fails with the message", () => {
  const org = loadApp({
    flows: {
      Divide: flow(`
        ${start("Set")}
        ${assignment("Set", [["Out", "Assign", ref("Ratio")]])}
        ${formula("Ratio", "Number", "{!A} / {!B}", 2)}
        ${variable("A", "Number", { input: true, scale: 0 })}
        ${variable("B", "Number", { input: true, scale: 0 })}
        ${variable("Out", "Number", { output: true, scale: 2 })}`)
    }
  });
  assert.equal(org.startFlow("Divide", { A: 1, B: 3 }).outputs.Out, 0.33);
  const failed = org.startFlow("Divide", { A: 1, B: 0 });
  assert.deepEqual(failed.fault, {
    element: "Set",
    message: "The formula Ratio could not be evaluated: Division by zero"
  });
});

test("a flow that is not active does not start until activated; unknown inputs are refused", () => {
  const xml = flow(
    `${start("Set")}${assignment("Set", [["Out", "Assign", text("ran")]])}${variable("Out", "String", { output: true })}`,
    {
      status: "Draft"
    }
  );
  assert.throws(() => loadApp({ flows: { Quiet: xml } }).startFlow("Quiet"), /Flow Quiet has no active version/);
  const activated = loadApp({ flows: { Quiet: xml } }, ["Quiet"]);
  assert.equal(activated.startFlow("Quiet").outputs.Out, "ran");
  assert.throws(() => activated.startFlow("Quiet", { Nope: 1 }), /Nope is not an input variable of flow Quiet/);
  assert.throws(() => loadApp({ flows: {} }, ["Missing"]), /cannot activate flow Missing: no such flow/);
});

test("an element outside the supported subset stops the flow before it runs, naming flow, element and feature", () => {
  const org = loadApp({
    flows: {
      Waits: flow(`${start("Set")}${assignment("Set", [["Out", "Assign", text("x")]])}
        <waits><name>Pause_1</name><label>Pause 1</label><locationX>0</locationX><locationY>0</locationY></waits>
        ${variable("Out", "String", { output: true })}`)
    }
  });
  assert.throws(
    () => org.startFlow("Waits"),
    /Flow Waits, element Pause_1: a Wait or Pause element is not supported by local-org/
  );
});

test("an active flow that would start by itself but cannot run here stops the load", () => {
  const scheduled =
    flow(`<start><locationX>0</locationX><locationY>0</locationY><connector><targetReference>Set</targetReference></connector>
      <schedule><frequency>Daily</frequency><startDate>2026-01-01</startDate><startTime>01:00:00.000Z</startTime></schedule><triggerType>Scheduled</triggerType></start>
      ${assignment("Set", [["Out", "Assign", text("x")]])}${variable("Out", "String")}`);
  assert.throws(
    () => loadApp({ flows: { Nightly: scheduled } }),
    /Flow Nightly: flows triggered by Scheduled is not supported by local-org/
  );
  // Inactive, it is only listed.
  assert.doesNotThrow(() =>
    loadApp({ flows: { Nightly: scheduled.replace("<status>Active</status>", "<status>Draft</status>") } })
  );
});

test("references and formulas are checked before the flow runs, so nothing runs halfway", () => {
  const org = loadApp({
    flows: {
      Typo: flow(`
        ${start("Make")}
        <recordCreates><name>Make</name><label>Make</label><locationX>0</locationX><locationY>0</locationY>
          <connector><targetReference>Set</targetReference></connector>
          <inputAssignments><field>Name</field><value>${text("made")}</value></inputAssignments><object>Account</object>
          <storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
        ${assignment("Set", [["Out", "Assign", ref("Nmae")]])}
        ${variable("Out", "String", { output: true })}`),
      Unknown_Function: flow(`
        ${start("Set")}
        ${assignment("Set", [["Out", "Assign", ref("Odd")]])}
        ${formula("Odd", "String", 'VLOOKUP("a", "b", "c")')}
        ${variable("Out", "String", { output: true })}`),
      Bad_Global: flow(
        `${start("Set")}${assignment("Set", [["Out", "Assign", ref("$Api.Session_ID")]])}${variable("Out", "String", { output: true })}`
      )
    }
  });
  assert.throws(
    () => org.startFlow("Typo"),
    /^Error: Flow Typo, element Set: Nmae refers to no resource or element of the flow$/
  );
  assert.equal(org.query("SELECT COUNT() FROM Account"), 0);
  assert.throws(
    () => org.startFlow("Unknown_Function"),
    /Flow Unknown_Function, element Odd: the formula function VLOOKUP is not supported by local-org/
  );
  assert.throws(
    () => org.startFlow("Bad_Global"),
    /Flow Bad_Global, element Set: the global \$Api is not supported by local-org/
  );
});

test("variables start blank, Booleans False; Add to a blank number starts from zero", () => {
  const org = loadApp({
    flows: {
      Defaults: flow(`
        ${start("Check")}
        ${decision("Check", [{ name: "IsFalse", conditions: condition("Flag", "EqualTo", bool(false)), next: "Count" }], "Count")}
        ${assignment("Count", [
          ["Total", "Add", num(2)],
          ["Seen", "Assign", ref("IsFalse")],
          ["Blank", "Assign", ref("Text")]
        ])}
        ${variable("Flag", "Boolean")}
        ${variable("Text", "String")}
        ${variable("Total", "Number", { output: true, scale: 0 })}
        ${variable("Seen", "Boolean", { output: true })}
        ${variable("Blank", "String", { output: true })}`)
    }
  });
  assert.deepEqual(org.startFlow("Defaults").outputs, { Total: 2, Seen: true, Blank: null });
});
