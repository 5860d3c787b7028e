// The in-memory database: DML, SOQL, metadata rules, custom settings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLE_APP, debug, failure, org } from "./support.js";

const app = (code: string) => debug(code, {}, [SAMPLE_APP]);
const appFailure = (code: string) => failure(code, {}, [SAMPLE_APP]);

test("insert assigns ids with the object's key prefix", () => {
  assert.deepEqual(
    app(`Account a = new Account(Name = 'Acme'); insert a; System.debug(String.valueOf(a.Id).left(3)); System.debug(String.valueOf(a.Id).length());
      Invoice__c i = new Invoice__c(Name = 'I', Amount__c = 1); insert i; System.debug(i.Id.getSObjectType());`),
    ["001", "18", "Invoice__c"]
  );
});

test("required fields are enforced with the platform's message", () => {
  assert.equal(
    failure(`insert new Account();`).exceptionMessage,
    "System.DmlException: Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [Name]: [Name]"
  );
  assert.deepEqual(
    debug(
      `try { insert new Opportunity(Name = 'x'); } catch (DmlException e) { System.debug(e.getDmlMessage(0)); System.debug(e.getDmlFieldNames(0)); System.debug(e.getNumDml()); }`
    ),
    ["Required fields are missing: [StageName, CloseDate]", "(StageName, CloseDate)", "1"]
  );
});

test("restricted picklists refuse unknown values; defaults apply", () => {
  assert.equal(
    appFailure(`insert new Invoice__c(Name = 'I', Amount__c = 1, Status__c = 'Paid');`).exceptionMessage,
    "System.DmlException: Insert failed. First exception on row 0; first error: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, Status: bad value for restricted picklist field: Paid: [Status__c]"
  );
  assert.deepEqual(
    app(
      `Invoice__c i = new Invoice__c(Name = 'I', Amount__c = 1); insert i; System.debug([SELECT Status__c FROM Invoice__c WHERE Id = :i.Id].Status__c);`
    ),
    ["Draft"]
  );
});

test("validation rules from metadata run on save", () => {
  assert.deepEqual(
    app(`try { insert new Invoice__c(Name = 'I', Amount__c = 1, Code__c = 'bad'); } catch (DmlException e) { System.debug(e.getDmlMessage(0)); System.debug(e.getDmlStatusCode(0)); }
      insert new Invoice__c(Name = 'I', Amount__c = 1, Code__c = 'INV-1'); System.debug([SELECT COUNT() FROM Invoice__c]);`),
    ["Code must look like INV-123.", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "1"]
  );
});

test("unique fields and upsert by external id", () => {
  assert.deepEqual(
    app(`insert new Invoice__c(Name = 'A', Amount__c = 1, Code__c = 'INV-1');
      try { insert new Invoice__c(Name = 'B', Amount__c = 2, Code__c = 'inv-1'); } catch (DmlException e) { System.debug(e.getDmlStatusCode(0)); }
      Invoice__c up = new Invoice__c(Name = 'A2', Amount__c = 5, Code__c = 'INV-1'); upsert up Code__c;
      List<Invoice__c> all = [SELECT Name, Amount__c FROM Invoice__c]; System.debug(all.size()); System.debug(all[0].Name + ' ' + all[0].Amount__c);`),
    ["DUPLICATE_VALUE", "1", "A2 5.00"]
  );
});

test("Database.insert with allOrNone false saves the good rows and reports the bad", () => {
  assert.deepEqual(
    debug(`List<Database.SaveResult> rs = Database.insert(new List<Account>{ new Account(Name = 'ok'), new Account() }, false);
      System.debug(rs[0].isSuccess()); System.debug(rs[1].isSuccess()); System.debug(rs[1].getErrors()[0].getStatusCode()); System.debug(rs[1].getErrors()[0].getFields());
      System.debug([SELECT COUNT() FROM Account]); System.debug(rs[0].getId() != null);`),
    ["true", "false", "REQUIRED_FIELD_MISSING", "(Name)", "1", "true"]
  );
});

test("an all-or-none failure saves nothing", () => {
  assert.deepEqual(
    debug(`try { insert new List<Account>{ new Account(Name = 'ok'), new Account() }; } catch (DmlException e) { System.debug(e.getMessage().startsWith('Insert failed. First exception on row 1')); }
      System.debug([SELECT COUNT() FROM Account]);`),
    ["true", "0"]
  );
});

test("update, delete and reading back", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'Old'); insert a; a.Name = 'New'; update a; System.debug([SELECT Name FROM Account WHERE Id = :a.Id].Name);
      delete a; System.debug([SELECT COUNT() FROM Account]);
      try { update new Account(Id = a.Id, Name = 'x'); } catch (DmlException e) { System.debug(e.getDmlStatusCode(0)); }`),
    ["New", "0", "ENTITY_IS_DELETED"]
  );
});

test("SOQL: WHERE with AND/OR/NOT, IN, LIKE, comparisons, ORDER BY, LIMIT, OFFSET", () => {
  assert.deepEqual(
    debug(`List<Account> rows = new List<Account>();
      for (Integer i = 1; i <= 6; i++) rows.add(new Account(Name = 'Acct ' + i, NumberOfEmployees = i * 10, Industry = Math.mod(i, 2) == 0 ? 'Tech' : null));
      insert rows;
      Set<String> names = new Set<String>{ 'Acct 1', 'acct 2' };
      System.debug([SELECT COUNT() FROM Account WHERE Name IN :names]);
      System.debug([SELECT COUNT() FROM Account WHERE Name NOT IN :names]);
      System.debug([SELECT COUNT() FROM Account WHERE Name LIKE 'acct%' AND (NumberOfEmployees > 40 OR Industry = 'tech')]);
      System.debug([SELECT COUNT() FROM Account WHERE NOT Name = 'Acct 1']);
      System.debug([SELECT COUNT() FROM Account WHERE Industry != null]);
      System.debug([SELECT COUNT() FROM Account WHERE Industry = null]);
      List<String> ordered = new List<String>();
      for (Account a : [SELECT Name FROM Account WHERE NumberOfEmployees >= 20 ORDER BY NumberOfEmployees DESC LIMIT 3 OFFSET 1]) ordered.add(a.Name);
      System.debug(ordered);
      Integer lim = 2; System.debug([SELECT Id FROM Account ORDER BY Name LIMIT :lim].size());
      System.debug([SELECT Name FROM Account ORDER BY Industry NULLS LAST, Name LIMIT 1][0].Name);`),
    ["2", "4", "4", "5", "3", "3", "(Acct 5, Acct 4, Acct 3)", "2", "Acct 2"]
  );
});

test("SOQL: parent fields come back as nested records and child subqueries as lists", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'Parent'); insert a;
      insert new List<Contact>{ new Contact(LastName = 'B', AccountId = a.Id), new Contact(LastName = 'A', AccountId = a.Id) };
      Contact c = [SELECT Id, LastName, Account.Name FROM Contact WHERE LastName = 'A'];
      System.debug(c.Account.Name);
      Account withKids = [SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account];
      System.debug(withKids.Contacts.size()); System.debug(withKids.Contacts[0].LastName);
      System.debug([SELECT COUNT() FROM Contact WHERE Account.Name = 'Parent']);`),
    ["Parent", "2", "A", "2"]
  );
});

test("SOQL: semi-join subqueries in WHERE", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'with'); Account b = new Account(Name = 'without'); insert new List<Account>{ a, b };
      insert new Contact(LastName = 'c', AccountId = a.Id);
      System.debug([SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)].Name);
      System.debug([SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact WHERE LastName = 'c')].Name);`),
    ["with", "without"]
  );
});

test("SOQL: reading an unqueried field throws SObjectException", () => {
  assert.equal(
    failure(`insert new Account(Name = 'x'); Account a = [SELECT Id FROM Account]; String n = a.Name;`)
      .exceptionMessage,
    "System.SObjectException: SObject row was retrieved via SOQL without querying the requested field: Account.Name"
  );
});

test("SOQL: assigning zero or several rows to a single record throws QueryException", () => {
  assert.equal(
    failure(`Account a = [SELECT Id FROM Account];`).exceptionMessage,
    "System.QueryException: List has no rows for assignment to SObject"
  );
  assert.equal(
    failure(
      `insert new List<Account>{ new Account(Name = 'a'), new Account(Name = 'b') }; Account a = [SELECT Id FROM Account];`
    ).exceptionMessage,
    "System.QueryException: List has more than 1 row for assignment to SObject"
  );
});

test("SOQL: aggregate functions and GROUP BY; currency values come back with the field's scale", () => {
  assert.deepEqual(
    debug(`insert new List<Opportunity>{
        new Opportunity(Name = 'a', StageName = 'Prospecting', CloseDate = Date.today(), Amount = 100),
        new Opportunity(Name = 'b', StageName = 'Prospecting', CloseDate = Date.today(), Amount = 50.5),
        new Opportunity(Name = 'c', StageName = 'Closed Won', CloseDate = Date.today(), Amount = 10) };
      AggregateResult total = [SELECT SUM(Amount) total, COUNT(Id) n, MAX(Amount) FROM Opportunity][0];
      System.debug(total.get('total')); System.debug(total.get('n')); System.debug(total.get('expr0'));
      for (AggregateResult r : [SELECT StageName, COUNT(Id) c FROM Opportunity GROUP BY StageName ORDER BY StageName]) System.debug(r.get('StageName') + '=' + r.get('c'));
      System.debug([SELECT COUNT() FROM Opportunity WHERE IsWon = true]);`),
    ["160.50", "3", "100.00", "Closed Won=1", "Prospecting=2", "1"]
  );
});

test("dynamic SOQL with Database.query and bind variables", () => {
  assert.deepEqual(
    debug(
      `insert new Account(Name = 'Dyn'); String n = 'Dyn'; List<Account> r = Database.query('SELECT Name FROM Account WHERE Name = :n'); System.debug(r[0].Name);`
    ),
    ["Dyn"]
  );
});

test("hierarchy custom setting: getOrgDefaults with and without a stored record", () => {
  assert.deepEqual(
    app(`System.debug(Billing_Settings__c.getOrgDefaults().Batch_Size__c); System.debug(InvoiceService.batchSize());
      insert new Billing_Settings__c(SetupOwnerId = UserInfo.getOrganizationId(), Batch_Size__c = 25);
      System.debug(InvoiceService.batchSize()); System.debug(Billing_Settings__c.getInstance().Batch_Size__c);`),
    ["null", "10", "25", "25"]
  );
});

test("Schema describes expose labels, picklist values and key prefixes", () => {
  assert.deepEqual(
    app(`Schema.DescribeFieldResult f = Schema.SObjectType.Invoice__c.fields.Status__c;
      System.debug(f.getLabel()); List<String> vals = new List<String>(); for (Schema.PicklistEntry e : f.getPicklistValues()) vals.add(e.getValue()); System.debug(vals);
      System.debug(Account.SObjectType.getDescribe().getKeyPrefix()); System.debug(Invoice__c.Amount__c.getDescribe().getName());
      System.debug(new Account().getSObjectType() == Account.SObjectType); System.debug(Schema.getGlobalDescribe().containsKey('invoice__c'));`),
    ["Status", "(Draft, Sent)", "001", "Amount__c", "true", "true"]
  );
});

test("SObject get/put and field type conversion", () => {
  assert.deepEqual(
    debug(`Account a = new Account(); a.put('Name', 'Dyn'); a.put(Account.NumberOfEmployees, 5); System.debug(a.get('name')); System.debug(a.get('NumberOfEmployees'));
      Opportunity o = new Opportunity(Amount = 5); System.debug(o.Amount); System.debug(a);`),
    ["Dyn", "5", "5", "Account:{Name=Dyn, NumberOfEmployees=5}"]
  );
});

test("the programmatic API inserts and queries records", () => {
  const o = org({}, [SAMPLE_APP]);
  const [id] = o.insert("Account", [{ Name: "Api Co", NumberOfEmployees: 3 }]);
  assert.equal(id.slice(0, 3), "001");
  const rows = o.query("SELECT Id, Name, NumberOfEmployees FROM Account WHERE Name = 'Api Co'");
  assert.deepEqual(rows, [{ Id: id, Name: "Api Co", NumberOfEmployees: 3 }]);
  assert.throws(() => o.insert("Account", [{}]), /REQUIRED_FIELD_MISSING/);
});

test("Id-keyed maps and sets find 15-character ids; describe maps ignore key case", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'x'); insert a; String id15 = String.valueOf(a.Id).substring(0, 15);
      Map<Id, String> m = new Map<Id, String>{ a.Id => 'v' }; System.debug(m.get(id15)); System.debug(new Set<Id>{ id15 }.contains(a.Id));
      System.debug([SELECT COUNT() FROM Account WHERE Id = :id15]);
      System.debug(Schema.getGlobalDescribe().get('Account') == Account.SObjectType); System.debug(Account.SObjectType.getDescribe().fields.getMap().get('NAME') == Account.Name);`),
    ["v", "true", "1", "true", "true"]
  );
});

test("price books, line items and the standard price book", () => {
  assert.deepEqual(
    debug(`Id std = Test.getStandardPricebookId(); Product2 p = new Product2(Name = 'Widget', IsActive = true); insert p;
      PricebookEntry pbe = new PricebookEntry(Pricebook2Id = std, Product2Id = p.Id, UnitPrice = 10, IsActive = true); insert pbe;
      Opportunity o = new Opportunity(Name = 'Deal', StageName = 'Prospecting', CloseDate = Date.today(), Pricebook2Id = std); insert o;
      insert new OpportunityLineItem(OpportunityId = o.Id, PricebookEntryId = pbe.Id, Quantity = 2, UnitPrice = 10);
      OpportunityLineItem li = [SELECT Product2Id, Product2.Name, Quantity FROM OpportunityLineItem WHERE OpportunityId = :o.Id];
      System.debug(li.Product2Id == p.Id); System.debug(li.Product2.Name); System.debug(li.Quantity);
      System.debug([SELECT Id, (SELECT Id FROM OpportunityLineItems) FROM Opportunity].OpportunityLineItems.size());
      System.debug([SELECT IsStandard FROM Pricebook2 WHERE Id = :std].IsStandard);`),
    ["true", "Widget", "2.00", "1", "true"]
  );
});

test("Lead, Case and Task: picklist defaults, derived names and numbers, owners and polymorphic lookups", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'A'); insert a; insert new Lead(FirstName = 'Ada', LastName = 'Lee', Company = 'Co');
      insert new Case(Subject = 'Help', AccountId = a.Id); insert new Task(Subject = 'Call', WhatId = a.Id);
      Lead l = [SELECT Name, Status FROM Lead]; System.debug(l.Name + ' / ' + l.Status);
      Case c = [SELECT Status, Priority, IsClosed FROM Case]; System.debug(c.Status + ' ' + c.Priority + ' ' + c.IsClosed);
      Task t = [SELECT What.Name, Owner.Name, Status FROM Task]; System.debug(t.What.Name + ' ' + t.Owner.Name + ' ' + t.Status);
      System.debug([SELECT Id, (SELECT Id FROM Tasks), (SELECT Id FROM Cases) FROM Account].Cases.size());`),
    ["Ada Lee / Open - Not Contacted", "New Medium false", "A Local User Not Started", "1"]
  );
});

test("email fields are validated on save; get/getSObject take single API names", () => {
  assert.equal(
    failure(`insert new Contact(LastName = 'x', Email = 'not-an-email');`).exceptionMessage,
    "System.DmlException: Insert failed. First exception on row 0; first error: INVALID_EMAIL_ADDRESS, Email: invalid email address: not-an-email: [Email]"
  );
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'P'); insert a; insert new Contact(LastName = 'x', AccountId = a.Id);
      Contact c = [SELECT Account.Name FROM Contact]; System.debug(c.getSObject('Account').get('Name'));
      try { c.get('Account.Name'); } catch (SObjectException e) { System.debug(e.getMessage()); }`),
    ["P", "Invalid field Account.Name for Contact"]
  );
});

test("updating the same record twice in one list throws ListException", () => {
  assert.match(
    failure(
      `Account a = new Account(Name = 'x'); insert a; update new List<Account>{ a, new Account(Id = a.Id, Name = 'y') };`
    ).exceptionMessage ?? "",
    /^System\.ListException: Duplicate id in list: 001\w{15}$/
  );
});

test("Database.setSavepoint and rollback undo DML", () => {
  assert.deepEqual(
    debug(`insert new Account(Name = 'keep'); Savepoint sp = Database.setSavepoint(); insert new Account(Name = 'drop'); System.debug([SELECT COUNT() FROM Account]);
      Database.rollback(sp); System.debug([SELECT COUNT() FROM Account]);`),
    ["2", "1"]
  );
});

test("SOQL: date literals and more aggregate functions", () => {
  assert.deepEqual(
    debug(`insert new List<Opportunity>{
        new Opportunity(Name = 'past', StageName = 'Prospecting', CloseDate = Date.today().addDays(-10), Amount = 10),
        new Opportunity(Name = 'today', StageName = 'Prospecting', CloseDate = Date.today(), Amount = 20),
        new Opportunity(Name = 'soon', StageName = 'Closed Won', CloseDate = Date.today().addDays(3), Amount = 30) };
      System.debug([SELECT Name FROM Opportunity WHERE CloseDate = TODAY].Name);
      System.debug([SELECT COUNT() FROM Opportunity WHERE CloseDate = LAST_N_DAYS:30]);
      System.debug([SELECT COUNT() FROM Opportunity WHERE CloseDate > TODAY]);
      System.debug([SELECT COUNT() FROM Opportunity WHERE CreatedDate = TODAY]);
      AggregateResult r = [SELECT AVG(Amount) a, MIN(CloseDate) first, COUNT_DISTINCT(StageName) stages FROM Opportunity];
      System.debug(r.get('a')); System.debug(r.get('first') == Date.today().addDays(-10)); System.debug(r.get('stages'));`),
    ["today", "2", "1", "3", "20.00", "true", "2"]
  );
});

test("JSON: SObjects serialize with attributes and deserialize from JSON; serializePretty", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'J'); insert a; Account q = [SELECT Id, Name FROM Account];
      System.debug(JSON.serialize(q) == '{"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/' + a.Id + '"},"Id":"' + a.Id + '","Name":"J"}');
      Account back = (Account) JSON.deserialize('{"attributes":{"type":"Account"},"Name":"From JSON","NumberOfEmployees":7}', Account.class);
      System.debug(back.Name + ' ' + back.NumberOfEmployees);
      System.debug(JSON.serializePretty(new Map<String, Object>{ 'a' => new List<Integer>{ 1, 2 }, 'b' => new Map<String, Object>() }));`),
    ["true", "From JSON 7", '{\n  "a" : [ 1, 2 ],\n  "b" : { }\n}']
  );
});

test("SObject clone, getPopulatedFieldsAsMap and isSet", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'A', NumberOfEmployees = 2); insert a; Account c = a.clone(false); Account k = a.clone(true);
      System.debug(c.Id); System.debug(k.Id == a.Id); System.debug(c.Name);
      System.debug(new Account(Name = 'x').getPopulatedFieldsAsMap()); System.debug(new Account(Name = 'x').isSet('Phone'));`),
    ["null", "true", "A", "{Name=x}", "false"]
  );
});

test("list custom settings and getInstance through the profile level", () => {
  const root = (name: string, type: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><customSettingsType>${type}</customSettingsType><label>${name}</label></CustomObject>`;
  const field = `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Code__c</fullName><label>Code</label><length>10</length><type>Text</type></CustomField>`;
  const dir = mkdtempSync(join(tmpdir(), "local-org-settings-"));
  for (const [name, type] of [
    ["Region__c", "List"],
    ["Prefs__c", "Hierarchy"]
  ]) {
    mkdirSync(join(dir, "objects", name, "fields"), { recursive: true });
    writeFileSync(join(dir, "objects", name, `${name}.object-meta.xml`), root(name, type));
    writeFileSync(join(dir, "objects", name, "fields", "Code__c.field-meta.xml"), field);
  }
  assert.deepEqual(
    debug(
      `insert new List<Region__c>{ new Region__c(Name = 'EU', Code__c = 'e'), new Region__c(Name = 'US', Code__c = 'u') };
       System.debug(Region__c.getInstance('EU').Code__c); System.debug(Region__c.getAll().keySet()); System.debug(Region__c.getValues('XX'));
       insert new Prefs__c(SetupOwnerId = UserInfo.getOrganizationId(), Code__c = 'org');
       insert new Prefs__c(SetupOwnerId = UserInfo.getProfileId(), Code__c = 'profile');
       System.debug(Prefs__c.getInstance().Code__c); System.debug(Prefs__c.getOrgDefaults().Code__c);
       Profile standard = [SELECT Id FROM Profile WHERE Name = 'Standard User'];
       User rep = new User(ProfileId = standard.Id, LastName = 'Rep', Email = 'rep@example.com', Username = 'rep@example.com.local',
         Alias = 'rep', TimeZoneSidKey = 'GMT', LocaleSidKey = 'en_US', EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US');
       insert rep;
       System.debug(Prefs__c.getInstance(rep.Id).Code__c);
       insert new Prefs__c(SetupOwnerId = standard.Id, Code__c = 'standard');
       System.debug(Prefs__c.getInstance(rep.Id).Code__c);`,
      {},
      [dir]
    ),
    ["e", "{EU, US}", "null", "profile", "org", "org", "standard"]
  );
});

test("deleting an Account deletes its contacts and opportunities; an Opportunity its line items", () => {
  assert.deepEqual(
    debug(`Account a = new Account(Name = 'A'); insert a; insert new Contact(LastName = 'c', AccountId = a.Id);
      insert new Opportunity(Name = 'o', StageName = 'Prospecting', CloseDate = Date.today(), AccountId = a.Id);
      delete a; System.debug([SELECT COUNT() FROM Contact] + [SELECT COUNT() FROM Opportunity]);`),
    ["0"]
  );

  assert.deepEqual(
    debug(`Id std = Test.getStandardPricebookId(); Product2 p = new Product2(Name = 'W'); insert p;
      PricebookEntry pbe = new PricebookEntry(Pricebook2Id = std, Product2Id = p.Id, UnitPrice = 1, IsActive = true); insert pbe;
      Opportunity o = new Opportunity(Name = 'D', StageName = 'Prospecting', CloseDate = Date.today()); insert o;
      insert new OpportunityLineItem(OpportunityId = o.Id, PricebookEntryId = pbe.Id, Quantity = 1, UnitPrice = 1);
      delete o; System.debug([SELECT COUNT() FROM OpportunityLineItem]);`),
    ["0"]
  );
});

test("SOQL: HAVING, and ORDER BY / LIMIT over groups", () => {
  assert.deepEqual(
    debug(`List<Contact> cs = new List<Contact>();
      for (String n : new List<String>{ 'Ng', 'Ng', 'Ng', 'Ali', 'Ali', 'Bo' }) cs.add(new Contact(LastName = n));
      insert cs;
      for (AggregateResult r : [SELECT LastName, COUNT(Id) n FROM Contact GROUP BY LastName HAVING COUNT(Id) > 1 ORDER BY LastName DESC]) System.debug(r.get('LastName') + '=' + r.get('n'));
      System.debug([SELECT LastName FROM Contact GROUP BY LastName ORDER BY LastName LIMIT 1][0].get('LastName'));`),
    ["Ng=3", "Ali=2", "Ali"]
  );
});
