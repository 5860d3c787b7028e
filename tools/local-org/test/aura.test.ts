// Calling @AuraEnabled methods as a Lightning component does: named parameters, a transaction per
// call, results as Lightning serialises them, the error bodies a component receives, cacheable methods.
import { test } from "node:test";
import assert from "node:assert/strict";
import { org } from "./support.js";

const CONTROLLER = `
public with sharing class WidgetController {
    public class Widget {
        @AuraEnabled public String name;
        @AuraEnabled public Integer count;
        @AuraEnabled public Decimal price;
        @AuraEnabled public Datetime savedAt;
        @AuraEnabled public Date due;
        @AuraEnabled public List<String> tags;
        @AuraEnabled public String missing;
        public String internalNote = 'never sent';
        @AuraEnabled public String label { get { return 'Widget ' + name; } }
    }
    public class WidgetInput {
        @AuraEnabled public String name;
        @AuraEnabled public Integer count;
        public String ignored;
    }
    public class WidgetException extends Exception {}

    @AuraEnabled
    public static Widget describe(String name, Integer count) {
        Widget w = new Widget();
        w.name = name;
        w.count = count;
        w.price = 12.50;
        w.savedAt = Datetime.newInstanceGmt(2026, 3, 4, 5, 6, 7);
        w.due = Date.newInstance(2026, 3, 31);
        w.tags = new List<String>{ 'a', 'b' };
        return w;
    }
    @AuraEnabled
    public static Map<String, Object> echo(WidgetInput input, List<Integer> numbers, Map<String, Boolean> flags, Id accountId) {
        return new Map<String, Object>{ 'name' => input.name, 'count' => input.count, 'ignored' => input.ignored,
            'numbers' => numbers, 'flags' => flags, 'accountId' => accountId };
    }
    @AuraEnabled
    public static Account createThenFail(String name, Boolean fail) {
        Account a = new Account(Name = name);
        insert a;
        if (fail) { throw new AuraHandledException('Could not finish ' + name); }
        return [SELECT Id, Name, Website FROM Account WHERE Id = :a.Id];
    }
    @AuraEnabled
    public static Integer countAccounts() { return [SELECT COUNT() FROM Account]; }
    @AuraEnabled
    public static void handled(Boolean replaceMessage) {
        AuraHandledException e = new AuraHandledException('Shown to the user');
        if (replaceMessage) { e.setMessage('Replaced message'); }
        throw e;
    }
    @AuraEnabled
    public static void unhandled() { String s; s.length(); }
    @AuraEnabled
    public static void custom() { throw new WidgetException('Custom failure'); }
    @AuraEnabled(cacheable=true)
    public static Integer cachedCount() { return [SELECT COUNT() FROM Account]; }
    @AuraEnabled(cacheable=true)
    public static void cachedWrite() { insert new Account(Name = 'From cache'); }
    @AuraEnabled
    public static String whoAmI() { return UserInfo.getUserId(); }
    public static String notAuraEnabled() { return 'x'; }
    @AuraEnabled
    private static String privateAction() { return 'x'; }
    @AuraEnabled
    public static void noReturn() { }
}`;

function controllerOrg() {
  return org({ "WidgetController.cls": CONTROLLER });
}

function call(o: ReturnType<typeof controllerOrg>, methodName: string, params: Record<string, unknown> = {}) {
  return o.callAuraEnabled({ className: "WidgetController", methodName, params: params as never });
}

test("an Apex object reaches the component with its @AuraEnabled members only, null members left out", () => {
  const result = call(controllerOrg(), "describe", { name: "Bolt", count: 3 });
  assert.deepEqual(result, {
    state: "SUCCESS",
    returnValue: {
      name: "Bolt",
      count: 3,
      price: 12.5,
      savedAt: "2026-03-04T05:06:07.000Z",
      due: "2026-03-31",
      tags: ["a", "b"],
      label: "Widget Bolt"
    }
  });
});

test("named parameters are converted to the parameters' types; members without @AuraEnabled are not filled", () => {
  const o = controllerOrg();
  const [accountId] = o.insert("Account", [{ Name: "Acme" }]);
  const result = call(o, "echo", {
    input: { name: "Nut", count: "7", ignored: "set by the page" },
    numbers: [1, 2],
    flags: { on: true },
    accountId: accountId.slice(0, 15)
  });
  assert.deepEqual(result, {
    state: "SUCCESS",
    // A map keeps its null values; only an object's null members are left out.
    returnValue: { name: "Nut", count: 7, ignored: null, numbers: [1, 2], flags: { on: true }, accountId }
  });
});

test("a parameter of the wrong type is refused with the message Lightning gives", () => {
  const result = call(controllerOrg(), "describe", { name: "Bolt", count: "three" });
  assert.equal(result.state, "ERROR");
  assert.deepEqual(result.state === "ERROR" && result.body, {
    message: "Value provided is invalid for action parameter 'count' of type 'Integer'"
  });
});

test("a missing parameter arrives as null", () => {
  const result = call(controllerOrg(), "describe", { name: "Bolt" });
  assert.equal(result.state === "SUCCESS" && (result.returnValue as { count?: number }).count, undefined);
});

test("AuraHandledException gives the component its message and nothing else, and rolls the call back", () => {
  const o = controllerOrg();
  const result = call(o, "createThenFail", { name: "Globex", fail: true });
  assert.deepEqual(result, {
    state: "ERROR",
    status: 500,
    statusText: "Server Error",
    body: { message: "Could not finish Globex" }
  });
  assert.deepEqual(call(o, "countAccounts"), { state: "SUCCESS", returnValue: 0 });
});

test("setMessage replaces what the component reads of an AuraHandledException", () => {
  const o = controllerOrg();
  const original = call(o, "handled", { replaceMessage: false });
  assert.deepEqual(original.state === "ERROR" && original.body, { message: "Shown to the user" });
  const replaced = call(o, "handled", { replaceMessage: true });
  assert.deepEqual(replaced.state === "ERROR" && replaced.body, { message: "Replaced message" });
});

test("an unhandled system exception reaches the component with its type, message and Apex stack", () => {
  const result = call(controllerOrg(), "unhandled");
  assert.equal(result.state, "ERROR");
  assert.deepEqual(result.state === "ERROR" && result.body, {
    exceptionType: "System.NullPointerException",
    isUserDefinedException: false,
    message: "Attempt to de-reference a null object",
    stackTrace: "Class.WidgetController.unhandled: line 53, column 1"
  });
});

test("a custom exception is marked user-defined", () => {
  const result = call(controllerOrg(), "custom");
  assert.equal(result.state === "ERROR" && result.body.exceptionType, "WidgetController.WidgetException");
  assert.equal(result.state === "ERROR" && result.body.isUserDefinedException, true);
  assert.equal(result.state === "ERROR" && result.body.message, "Custom failure");
});

test("each call is its own transaction: committed work stays, an SObject comes back without null fields", () => {
  const o = controllerOrg();
  const created = call(o, "createThenFail", { name: "Initech", fail: false });
  assert.equal(created.state, "SUCCESS");
  const account = (created as { returnValue: Record<string, unknown> }).returnValue;
  assert.deepEqual(Object.keys(account).sort(), ["Id", "Name"]);
  assert.equal(account.Name, "Initech");
  assert.deepEqual(call(o, "countAccounts"), { state: "SUCCESS", returnValue: 1 });
});

test("a cacheable method may read but its first DML statement fails with the platform's limit", () => {
  const o = controllerOrg();
  assert.deepEqual(call(o, "cachedCount"), { state: "SUCCESS", returnValue: 0 });
  const write = call(o, "cachedWrite");
  assert.equal(write.state === "ERROR" && write.body.exceptionType, "System.LimitException");
  assert.equal(write.state === "ERROR" && write.body.message, "Too many DML statements: 1");
  assert.deepEqual(call(o, "countAccounts"), { state: "SUCCESS", returnValue: 0 });
});

test("only public or global static @AuraEnabled methods can be called", () => {
  const o = controllerOrg();
  for (const methodName of ["notAuraEnabled", "privateAction", "doesNotExist"]) {
    assert.deepEqual(call(o, methodName), {
      state: "ERROR",
      status: 500,
      statusText: "Server Error",
      body: { message: `No apex action available for WidgetController.${methodName}` }
    });
  }
  assert.deepEqual(call(o, "noReturn"), { state: "SUCCESS", returnValue: null });
});

test("the call runs as the given user", () => {
  const o = controllerOrg();
  const [profile] = o.query("SELECT Id FROM Profile WHERE Name = 'Standard User'") as { Id: string }[];
  const [userId] = o.insert("User", [
    {
      LastName: "Ng",
      ProfileId: profile.Id,
      Email: "ng@example.com",
      Username: "ng@example.com.test",
      Alias: "ng",
      TimeZoneSidKey: "GMT",
      LocaleSidKey: "en_US",
      EmailEncodingKey: "UTF-8",
      LanguageLocaleKey: "en_US"
    }
  ]);
  assert.deepEqual(o.callAuraEnabled({ className: "WidgetController", methodName: "whoAmI", userId }), {
    state: "SUCCESS",
    returnValue: userId
  });
  assert.notEqual((call(o, "whoAmI") as { returnValue: string }).returnValue, userId);
});
