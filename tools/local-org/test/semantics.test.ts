// Apex semantics checked against the platform's documented behaviour: system enums, standard
// child relationships and the corner cases of the language and library.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SAMPLE_APP, debug, failure } from "./support.js";

test("DmlException.getDmlType and Database.Error.getStatusCode return StatusCode values", () => {
  assert.deepEqual(
    debug(`try { insert new Account(); } catch (DmlException e) {
        System.assertEquals(StatusCode.REQUIRED_FIELD_MISSING, e.getDmlType(0));
        System.assert(e.getDmlType(0) == System.StatusCode.REQUIRED_FIELD_MISSING);
        System.assert(e.getDmlType(0) != StatusCode.DUPLICATE_VALUE);
        System.assertEquals('REQUIRED_FIELD_MISSING', e.getDmlStatusCode(0));
        switch on e.getDmlType(0) {
          when REQUIRED_FIELD_MISSING { System.debug('required'); }
          when else { System.debug('other'); }
        }
      }
      Database.SaveResult sr = Database.insert(new Contact(LastName = 'L', Email = 'not-an-email'), false);
      StatusCode code = sr.getErrors()[0].getStatusCode();
      System.assertEquals(StatusCode.INVALID_EMAIL_ADDRESS, code);
      System.debug(code); System.debug(code.name()); System.debug(String.valueOf(code));
      System.debug(StatusCode.valueOf('STRING_TOO_LONG') == StatusCode.STRING_TOO_LONG);
      Object o = code; System.debug(o instanceof StatusCode);
      Set<StatusCode> codes = new Set<StatusCode>{ StatusCode.FIELD_CUSTOM_VALIDATION_EXCEPTION, StatusCode.INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST };
      System.debug(codes.contains(StatusCode.FIELD_CUSTOM_VALIDATION_EXCEPTION));`),
    ["required", "INVALID_EMAIL_ADDRESS", "INVALID_EMAIL_ADDRESS", "INVALID_EMAIL_ADDRESS", "true", "true", "true"]
  );
});

test("system enums are enum values: name, ordinal, values, valueOf, equality, switch", () => {
  assert.deepEqual(
    debug(`RoundingMode m = RoundingMode.HALF_UP;
      System.debug(m.name()); System.debug(m.ordinal() == RoundingMode.values().indexOf(m)); System.debug(RoundingMode.values().size());
      System.debug(RoundingMode.valueOf('CEILING') == RoundingMode.CEILING); System.debug(m == RoundingMode.HALF_DOWN);
      System.debug(m.equals(System.RoundingMode.HALF_UP)); System.debug(String.valueOf(m)); System.debug('mode ' + m);
      switch on m { when HALF_DOWN { System.debug('down'); } when HALF_UP { System.debug('up'); } }
      System.debug((2.345).setScale(2, m)); System.debug((2.5).round(RoundingMode.HALF_DOWN));
      System.debug(LoggingLevel.ERROR.name()); System.debug(JSON.serialize(new List<RoundingMode>{ RoundingMode.FLOOR }));
      JSONParser p = JSON.createParser('{"a":1}'); System.debug(p.nextToken() == JSONToken.START_OBJECT);
      System.debug(Account.Name.getDescribe().getType() == Schema.DisplayType.STRING);`),
    [
      "HALF_UP",
      "true",
      "8",
      "true",
      "false",
      "true",
      "HALF_UP",
      "mode HALF_UP",
      "up",
      "2.35",
      "2",
      "ERROR",
      '["FLOOR"]',
      "true",
      "true"
    ]
  );
  assert.match(
    failure(`RoundingMode m = RoundingMode.valueOf('NOPE');`).exceptionMessage ?? "",
    /^System\.NoSuchElementException: /
  );
  assert.match(
    failure(`Decimal d = (1.25).setScale(1, RoundingMode.UNNECESSARY);`).exceptionMessage ?? "",
    /^System\.MathException: Rounding necessary$/
  );
});

test("standard child relationships in subqueries and parent fields both ways", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'Acme'); insert a;
      insert new Opportunity(Name = 'O1', AccountId = a.Id, StageName = 'Prospecting', CloseDate = Date.today());
      insert new Contact(LastName = 'C1', AccountId = a.Id);
      insert new Case(Subject = 'S', AccountId = a.Id);
      insert new Account(Name = 'Child', ParentId = a.Id);
      Product2 p = new Product2(Name = 'P'); insert p;
      PricebookEntry pbe = new PricebookEntry(Pricebook2Id = Test.getStandardPricebookId(), Product2Id = p.Id, UnitPrice = 10, IsActive = true);
      insert pbe;
      Account r = [SELECT Id, (SELECT Name FROM Opportunities), (SELECT LastName FROM Contacts), (SELECT Subject FROM Cases),
        (SELECT Name FROM ChildAccounts) FROM Account WHERE Id = :a.Id];
      System.debug(r.Opportunities[0].Name + r.Contacts[0].LastName + r.Cases[0].Subject + r.ChildAccounts[0].Name);
      Product2 rp = [SELECT Id, (SELECT UnitPrice FROM PricebookEntries) FROM Product2 WHERE Id = :p.Id];
      System.debug(rp.PricebookEntries[0].UnitPrice);
      Pricebook2 pb = [SELECT Id, (SELECT Id FROM PricebookEntries) FROM Pricebook2 WHERE Id = :Test.getStandardPricebookId()];
      System.debug(pb.PricebookEntries.size());
      Opportunity o = [SELECT Id, Account.Name, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Account.Name = 'Acme'];
      System.debug(o.Account.Name + ' ' + o.OpportunityLineItems.size());
      Account child = [SELECT Parent.Name FROM Account WHERE Parent.Name = 'Acme'];
      System.debug(child.Parent.Name);`),
    ["O1C1SChild", "10.00", "1", "Acme 0", "Acme"]
  );
  assert.match(
    failure(`List<Account> a = [SELECT Id, (SELECT Id FROM Opportunitys) FROM Account];`).exceptionMessage ?? "",
    /Didn't understand relationship 'Opportunitys'/
  );
});

test("custom lookups use their relationshipName with __r both ways", () => {
  assert.deepEqual(
    debug(
      `Account a = new Account(Name = 'Acme'); insert a;
      insert new Invoice__c(Name = 'I1', Account__c = a.Id, Amount__c = 5, Code__c = 'INV-0001');
      Account r = [SELECT Id, (SELECT Name, Account__r.Name FROM Invoices__r) FROM Account WHERE Id = :a.Id];
      System.debug(r.Invoices__r.size() + ' ' + r.Invoices__r[0].Account__r.Name);
      Invoice__c i = [SELECT Account__r.Name FROM Invoice__c WHERE Account__r.Name LIKE 'Ac%'];
      System.debug(i.Account__r.Name);`,
      {},
      [SAMPLE_APP]
    ),
    ["1 Acme", "Acme"]
  );
});

test("a null String concatenates as 'null' by its declared type", () => {
  assert.deepEqual(
    debug(`String n; Integer one = 1; Id none;
      System.assertEquals('null1', n + 1); System.assertEquals('1null', one + n); System.assertEquals('xnull', 'x' + n);
      System.assertEquals('nullnull', n + none); System.debug(n + 2.5);`),
    ["null2.5"]
  );
  assert.match(failure(`Integer a; Integer b = a + 1;`).exceptionMessage ?? "", /^System\.NullPointerException/);
});

test("static and instance initialisers run in source order, also on one line", () => {
  assert.deepEqual(
    debug(`Stat.touch(); new Stat();`, {
      "Stat.cls": `public class Stat { public static Integer a = next('a'); static { System.debug('block'); } public static Integer b = next('b');
        Integer x = next('x'); { System.debug('instance block'); } Integer y = next('y');
        static Integer next(String s) { System.debug(s); return 1; } public static void touch() {} }`
    }),
    ["a", "block", "b", "x", "instance block", "y"]
  );
});

test("classes declared in anonymous Apex extend and implement", () => {
  assert.deepEqual(
    debug(`public interface Shape { Decimal area(); }
      public virtual class Base { public Base() { System.debug('base'); } }
      public class Sq extends Base implements Shape { public Decimal area() { return 4; } }
      Shape s = new Sq(); System.debug(s.area()); System.debug(s instanceof Base);`),
    ["base", "4", "true"]
  );
  assert.match(
    failure(`public class Oops extends Exception {}`).exceptionMessage ?? "",
    /^exception class names must end with 'Exception' \(anonymous\.apex:1\)$/
  );
});

test("anonymous Apex that does not compile fails without running", () => {
  const r = failure(`System.debug('ran'); Integer x = ;`);
  assert.match(r.exceptionMessage ?? "", /^Syntax error: .*\(anonymous\.apex:1\)$/);
  assert.deepEqual(r.debugLog, []);
});

test("Math.round and roundToLong round a Decimal half-even and a Double half up", () => {
  assert.deepEqual(
    debug(`System.debug(Math.round(2.5)); System.debug(Math.round(3.5)); System.debug(Math.round(-2.5)); System.debug(Math.roundToLong(2.5));
      Double d = 2.5; System.debug(Math.round(d)); Double n = -2.5; System.debug(Math.round(n)); System.debug(Math.round(2.4999));`),
    ["2", "4", "-2", "2", "3", "-2", "2"]
  );
});

test("SOQL sorts nulls first by default in both directions", () => {
  assert.deepEqual(
    debug(`insert new List<Account>{ new Account(Name = 'A', NumberOfEmployees = 1), new Account(Name = 'B'), new Account(Name = 'C', NumberOfEmployees = 3) };
      String s = '';
      for (Account a : [SELECT Name FROM Account ORDER BY NumberOfEmployees DESC]) s += a.Name; s += '|';
      for (Account a : [SELECT Name FROM Account ORDER BY NumberOfEmployees]) s += a.Name; s += '|';
      for (Account a : [SELECT Name FROM Account ORDER BY NumberOfEmployees DESC NULLS LAST]) s += a.Name; s += '|';
      for (Account a : [SELECT Name FROM Account ORDER BY NumberOfEmployees ASC NULLS LAST, Name DESC]) s += a.Name;
      System.debug(s);`),
    ["BCA|BAC|CAB|ACB"]
  );
});

test("SOQL LIKE treats backslash-escaped _ and % literally", () => {
  assert.deepEqual(
    debug(`insert new List<Account>{ new Account(Name = 'Xa_1'), new Account(Name = 'Xab1'), new Account(Name = 'X%z') };
      System.debug([SELECT Id FROM Account WHERE Name LIKE 'xa_1'].size());
      String p = 'Xa\\\\_1'; System.debug([SELECT Id FROM Account WHERE Name LIKE :p].size());
      System.debug(Database.query('SELECT Id FROM Account WHERE Name LIKE \\'Xa\\\\_1\\'').size());
      System.debug(Database.query('SELECT Id FROM Account WHERE Name LIKE \\'X\\\\%%\\'').size());
      System.debug([SELECT Id FROM Account WHERE Name LIKE 'X(%'].size());`),
    ["2", "1", "1", "1", "0"]
  );
  assert.equal(
    failure(`List<Account> r = [SELECT Id FROM Account WHERE Name LIKE 'a\\_b'];`).exceptionMessage,
    "SOQL LIKE escape \\_ or \\% in an inline query is not supported by local-org (anonymous.apex:1)"
  );
});

test("SOQL rejects unknown fields and relationships even when no row matches", () => {
  for (const [q, msg] of [
    ["SELECT Nope__c FROM Account", /No such column 'Nope__c' on entity 'Account'/],
    ["SELECT Id FROM Account WHERE Nope__c = 1", /No such column 'Nope__c' on entity 'Account'/],
    ["SELECT Id FROM Account ORDER BY Nope__c", /No such column 'Nope__c' on entity 'Account'/],
    ["SELECT Owner.Nope__c FROM Account", /No such column 'Nope__c' on entity 'User'/],
    ["SELECT Id, (SELECT Nope__c FROM Contacts) FROM Account", /No such column 'Nope__c' on entity 'Contact'/]
  ] as const) {
    assert.match(failure(`List<SObject> r = Database.query('${q}');`).exceptionMessage ?? "", msg, q);
  }
});

test("upsert statement with Object.Field and DmlException.getDmlFields", () => {
  assert.deepEqual(
    debug(
      `insert new Invoice__c(Name = 'old', Amount__c = 1, Code__c = 'INV-1');
      Invoice__c u = new Invoice__c(Name = 'new', Amount__c = 2, Code__c = 'inv-1'.toUpperCase());
      upsert u Invoice__c.Code__c;
      System.debug([SELECT COUNT() FROM Invoice__c] + ' ' + [SELECT Name FROM Invoice__c].Name);
      try { insert new Invoice__c(Name = 'x'); } catch (DmlException e) {
        System.debug(e.getDmlFields(0)); System.assertEquals(Invoice__c.Amount__c, e.getDmlFields(0)[0]);
        System.debug(e.getDmlFieldNames(0)); System.debug(e.getDmlType(0));
      }`,
      {},
      [SAMPLE_APP]
    ),
    ["1 new", "(Amount__c)", "(Amount__c)", "REQUIRED_FIELD_MISSING"]
  );
});

test("switch on a null enum reaches when null, and Math.PI and Math.E exist", () => {
  assert.deepEqual(
    debug(`RoundingMode m; switch on m { when HALF_UP { System.debug('up'); } when null { System.debug('null'); } when else { System.debug('else'); } }
      m = null; switch on m { when UP, DOWN { System.debug('x'); } when else { System.debug('else'); } }
      System.debug(Math.PI); System.debug(Math.E);`),
    ["null", "else", "3.141592653589793", "2.718281828459045"]
  );
});

test("SOQL features outside the subset stop even when no row would be read", () => {
  for (const [q, msg] of [
    ["SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2024", /^SOQL function calendar_year\(\) in WHERE/],
    ["SELECT Id FROM Account WHERE CreatedDate = THIS_QUARTER", /^SOQL date literal THIS_QUARTER/],
    ["SELECT Id FROM Account WHERE CreatedDate > NEXT_N_WEEKS:2", /^SOQL date literal NEXT_N_WEEKS/],
    ["SELECT Id FROM Account WHERE CreatedDate IN (LAST_90_DAYS)", /^SOQL date literal LAST_90_DAYS/]
  ] as const) {
    const m = failure(`List<SObject> r = Database.query('${q}');`).exceptionMessage ?? "";
    assert.match(m, msg, q);
    assert.match(m, /is not supported by local-org \(anonymous\.apex:1\)$/, q);
  }
});

test("inserting the same record twice in one list fails before any row is saved", () => {
  const r = failure(`Account a = new Account(Name = 'a'); insert new List<Account>{ a, new Account(Name = 'b'), a };`);
  assert.equal(
    r.exceptionMessage,
    "System.ListException: Before Insert or Upsert list must not have two identically equal elements"
  );
  assert.deepEqual(
    debug(`List<Account> l = new List<Account>{ new Account(Name = 'same'), new Account(Name = 'same') }; insert l;
      System.debug([SELECT COUNT() FROM Account]);`),
    ["2"]
  );
});

test("standard fields carry the platform's labels in describes and DML messages", () => {
  assert.deepEqual(
    debug(`System.debug(Account.Name.getDescribe().getLabel()); System.debug(Account.Id.getDescribe().getLabel());
      System.debug(Contact.AccountId.getDescribe().getLabel()); System.debug(Opportunity.CloseDate.getDescribe().getLabel());
      try { insert new Account(Name = 'x'.repeat(256)); } catch (DmlException e) { System.debug(e.getDmlMessage(0).substringBefore(':')); }
      try { insert new Contact(LastName = 'c', AccountId = UserInfo.getUserId()); } catch (DmlException e) { System.debug(e.getDmlType(0) + ' ' + e.getDmlMessage(0).substringBefore(':')); }`),
    ["Account Name", "Account ID", "Account ID", "Close Date", "Account Name", "FIELD_INTEGRITY_EXCEPTION Account ID"]
  );
});

test("collection casts keep the element type: widening passes, changing it fails", () => {
  assert.deepEqual(
    debug(`Object o = new List<Integer>{ 1 };
      List<Object> lo = (List<Object>) o; System.debug(lo);
      try { List<String> ls = (List<String>) o; } catch (TypeException e) { System.debug(e.getMessage()); }
      Object m = new Map<String, Integer>{ 'a' => 1 };
      try { Map<String, String> ms = (Map<String, String>) m; } catch (TypeException e) { System.debug(e.getMessage()); }
      Object ids = new List<Id>{ UserInfo.getUserId() }; List<String> asText = (List<String>) ids; System.debug(asText.size());
      List<SObject> rows = [SELECT Id FROM User]; List<User> users = (List<User>) rows; System.debug(users.size() > 0);`),
    [
      "(1)",
      "Invalid conversion from runtime type List<Integer> to List<String>",
      "Invalid conversion from runtime type Map<String,Integer> to Map<String,String>",
      "1",
      "true"
    ]
  );
});

test("Datetime plus fractional days, Time arithmetic and more format letters", () => {
  assert.deepEqual(
    debug(`Datetime dt = Datetime.newInstanceGmt(2024, 1, 1, 0, 0, 0);
      System.debug(dt + 1); System.debug(dt + 0.5); Double quarter = 0.25; System.debug(dt - quarter); System.debug(dt + 2L);
      Time t = Time.newInstance(23, 30, 0, 0); System.debug(t.addHours(2)); System.debug(t.addMinutes(-45)); System.debug(t + 1000);
      System.debug(Datetime.newInstanceGmt(2024, 3, 1, 0, 5, 0).formatGmt('DDD u k K G'));`),
    [
      "2024-01-02 00:00:00",
      "2024-01-01 12:00:00",
      "2023-12-31 18:00:00",
      "2024-01-03 00:00:00",
      "01:30:00.000Z",
      "22:45:00.000Z",
      "23:30:01.000Z",
      "061 5 24 0 AD"
    ]
  );
  assert.match(
    failure(`String s = Datetime.now().format('w');`).exceptionMessage ?? "",
    /^Datetime format pattern letter 'w' is not supported by local-org \(anonymous\.apex:1\)$/
  );
});

test("JSON.deserialize restores parent records and child lists of SObjects", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'J'); insert a; insert new Contact(LastName = 'K', AccountId = a.Id);
      Account q = [SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Id = :a.Id];
      Account back = (Account) JSON.deserialize(JSON.serialize(q), Account.class);
      System.debug(back.Contacts.size() + ' ' + back.Contacts[0].LastName);
      Contact c = (Contact) JSON.deserialize('{"LastName":"x","Account":{"Name":"P"}}', Contact.class);
      System.debug(c.Account.Name);
      try { JSON.deserialize('{"Nope":1}', Contact.class); } catch (JSONException e) { System.debug(e.getMessage()); }`),
    ["1 K", "P", "No such column 'Nope' on sobject of type Contact"]
  );
});

test("Pattern.quote writes \\Q...\\E and regular expressions honour it", () => {
  assert.deepEqual(
    debug(`System.debug(Pattern.quote('a.b')); System.debug('xa.by'.replaceAll(Pattern.quote('a.b'), '-'));
      System.debug('a.b.c'.split(Pattern.quote('.'))); System.debug(Pattern.matches(Pattern.quote('1+1'), '1+1'));
      System.debug('1+1=2'.replaceAll('\\\\Q+\\\\E', ' plus '));`),
    ["\\Qa.b\\E", "x-y", "(a, b, c)", "true", "1 plus 1=2"]
  );
  assert.match(
    failure(`String s = 'aaa'.replaceAll('a*+', 'x');`).exceptionMessage ?? "",
    /^regular expression 'a\*\+' is not supported by local-org \(anonymous\.apex:1\)$/
  );
});

test("String.format stops on MessageFormat's typed arguments", () => {
  assert.deepEqual(
    debug(`System.debug(String.format('{1} {0} {1}', new List<Object>{ 'a', 'b' })); System.debug(String.format('{2}', new List<Object>{ 'a' }));
      System.debug(String.format('\\'{0}\\' {0}', new List<Object>{ 'a' }));`),
    ["b a b", "{2}", "{0} a"]
  );
  assert.match(
    failure(`String s = String.format('{0,number,#.##}', new List<Object>{ 3.14159 });`).exceptionMessage ?? "",
    /^String\.format argument \{0,number,#\.##\} is not supported by local-org \(anonymous\.apex:1\)$/
  );
});

test("instanceof on collections checks the element type", () => {
  assert.deepEqual(
    debug(`Object o = new List<String>{ 'a' };
      System.debug(o instanceof List<String>); System.debug(o instanceof List<Object>); System.debug(o instanceof List<Integer>);
      Object m = new Map<String, Integer>(); System.debug(m instanceof Map<String, Object>); System.debug(m instanceof Map<String, String>);
      Object u = JSON.deserializeUntyped('[1]'); System.debug(u instanceof List<Object>); System.debug(u instanceof List<Integer>);`),
    ["true", "true", "false", "true", "false", "true", "false"]
  );
});
