// Platform behaviour beyond the core language: users and permissions, System.Type,
// Database.queryWithBinds, collection casts and AuraHandledException.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLE_APP, debug, failure } from "./support.js";

/** A package directory with a custom permission granted by one permission set. */
function permissionsApp(): string {
  const root = mkdtempSync(join(tmpdir(), "local-org-perm-"));
  const base = join(root, "main", "default");
  mkdirSync(join(base, "customPermissions"), { recursive: true });
  mkdirSync(join(base, "permissionsets"), { recursive: true });
  writeFileSync(
    join(base, "customPermissions", "Manage_Things.customPermission-meta.xml"),
    `<?xml version="1.0" encoding="UTF-8"?><CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata"><label>Manage Things</label></CustomPermission>`
  );
  writeFileSync(
    join(base, "permissionsets", "Thing_Admin.permissionset-meta.xml"),
    `<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata"><label>Thing Admin</label>
       <customPermissions><enabled>true</enabled><name>Manage_Things</name></customPermissions></PermissionSet>`
  );
  return root;
}

test("System.runAs switches the running user; custom permissions come from assigned permission sets", () => {
  const out = debug(
    `Profile p = [SELECT Id FROM Profile WHERE Name = 'Standard User'];
     User u = new User(ProfileId = p.Id, LastName = 'Ng', FirstName = 'Ana', Email = 'ana@example.com', Username = 'ana@example.com.local',
       Alias = 'ana', TimeZoneSidKey = 'GMT', LocaleSidKey = 'en_US', EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US');
     insert u;
     System.debug(FeatureManagement.checkPermission('Manage_Things'));
     System.runAs(u) { System.debug(UserInfo.getName()); System.debug(FeatureManagement.checkPermission('Manage_Things')); }
     PermissionSet ps = [SELECT Id FROM PermissionSet WHERE Name = 'Thing_Admin'];
     insert new PermissionSetAssignment(AssigneeId = u.Id, PermissionSetId = ps.Id);
     System.runAs(u) { System.debug(UserInfo.getUserId() == u.Id); System.debug(FeatureManagement.checkPermission('Manage_Things')); }
     System.debug(UserInfo.getUserId() == u.Id);
     System.debug([SELECT COUNT() FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Thing_Admin' AND Assignee.IsActive = true]);`,
    {},
    [permissionsApp()]
  );
  assert.deepEqual(out, ["false", "Ana Ng", "false", "true", "true", "false", "1"]);
});

test("Foo.class is a System.Type with a name", () => {
  const classes = { "Widget.cls": `public class Widget { public class Part {} }` };
  assert.deepEqual(
    debug(
      `System.debug(Widget.class.getName()); System.debug(Widget.Part.class.getName()); System.debug(Type.forName('Widget').newInstance() instanceof Widget);`,
      classes
    ),
    ["Widget", "Widget.Part", "true"]
  );
});

test("Database.queryWithBinds takes its bind values from a map", () => {
  assert.deepEqual(
    debug(`insert new List<Account>{ new Account(Name = 'A'), new Account(Name = 'B') };
      List<Account> r = Database.queryWithBinds('SELECT Name FROM Account WHERE Name IN :names', new Map<String, Object>{ 'names' => new Set<String>{ 'B' } }, AccessLevel.USER_MODE);
      System.debug(r.size()); System.debug(r[0].Name);`),
    ["1", "B"]
  );
});

test("a List<Object> from JSON cannot be cast to List<String>", () => {
  assert.equal(
    failure(
      `Map<String, Object> m = (Map<String, Object>) JSON.deserializeUntyped('{"a":["x"]}'); List<String> l = (List<String>) m.get('a');`
    ).exceptionMessage,
    "System.TypeException: Invalid conversion from runtime type List<ANY> to List<String>"
  );
  assert.deepEqual(
    debug(`List<Object> raw = (List<Object>) JSON.deserializeUntyped('["x"]'); System.debug((String) raw[0]);`),
    ["x"]
  );
});

test("AuraHandledException hides its constructor message until setMessage", () => {
  assert.deepEqual(
    debug(
      `AuraHandledException e = new AuraHandledException('secret'); System.debug(e.getMessage()); e.setMessage('shown'); System.debug(e.getMessage());`
    ),
    ["Script-thrown exception", "shown"]
  );
});

test("String <, > and <= ignore case like ==", () => {
  assert.deepEqual(
    debug(
      `System.debug('Hello' < 'hello'); System.debug('Hello' <= 'hello'); System.debug('apple' < 'Banana'); System.debug('b' > 'A');`
    ),
    ["false", "true", "true", "true"]
  );
});

test("exception classes keep the message/cause constructors next to their own", () => {
  const classes = {
    "CodeException.cls": `public class CodeException extends Exception {
      public Integer code;
      public CodeException(String m, Integer code) { this(m + ' #' + code); this.code = code; }
    }`
  };
  assert.deepEqual(
    debug(
      `CodeException e = new CodeException('bad', 7); System.debug(e.getMessage()); System.debug(e.code); System.debug(new CodeException().getMessage());`,
      classes
    ),
    ["bad #7", "7", "null"]
  );
});

test("for-each over a user Iterable and List.sort with a Comparator", () => {
  const classes = {
    "Countdown.cls": `public class Countdown implements Iterable<Integer>, Iterator<Integer> {
      Integer n; public Countdown(Integer n) { this.n = n; }
      public Iterator<Integer> iterator() { return this; }
      public Boolean hasNext() { return n > 0; }
      public Integer next() { return n--; }
    }`,
    "ByLength.cls": `public class ByLength implements Comparator<String> {
      public Integer compare(String a, String b) { return a.length() - b.length(); }
    }`
  };
  assert.deepEqual(
    debug(
      `List<Integer> seen = new List<Integer>(); for (Integer i : new Countdown(3)) seen.add(i); System.debug(seen);
      List<String> words = new List<String>{ 'ccc', 'a', 'bb', 'd' }; words.sort(new ByLength()); System.debug(words);`,
      classes
    ),
    ["(3, 2, 1)", "(a, d, bb, ccc)"]
  );
});

test("custom metadata records, flows and an org-defaults setting saved with insert", () => {
  assert.deepEqual(
    debug(
      `System.debug(Billing_Tier__mdt.getInstance('Gold').Limit__c); System.debug(Billing_Tier__mdt.getAll().keySet());
       System.debug([SELECT Label, IsActive FROM FlowDefinitionView WHERE ApiName = 'Send_Invoice'].Label);
       Billing_Settings__c s = Billing_Settings__c.getOrgDefaults(); s.Batch_Size__c = 5; insert s;
       System.debug(Billing_Settings__c.getOrgDefaults().Batch_Size__c); System.debug(Billing_Settings__c.getOrgDefaults().Id == s.Id);`,
      {},
      [SAMPLE_APP]
    ),
    ["2500.50", "{Gold}", "Send Invoice", "5", "true"]
  );
});

test("the org starts with the System Administrator and Standard User profiles; the running user is an administrator", () => {
  assert.deepEqual(
    debug(
      `for (Profile p : [SELECT Name FROM Profile ORDER BY Name]) System.debug(p.Name);
       System.debug([SELECT Profile.Name FROM User WHERE Id = :UserInfo.getUserId()].Profile.Name);
       System.debug([SELECT Name FROM Profile WHERE Id = :UserInfo.getProfileId()].Name);`
    ),
    ["Standard User", "System Administrator", "System Administrator", "System Administrator"]
  );
});

test("a validation rule using an unsupported formula function stops DML with a message naming it", () => {
  const dir = mkdtempSync(join(tmpdir(), "local-org-rule-"));
  mkdirSync(join(dir, "objects", "Account", "validationRules"), { recursive: true });
  writeFileSync(
    join(dir, "objects", "Account", "validationRules", "Uses_Vlookup.validationRule-meta.xml"),
    `<?xml version="1.0" encoding="UTF-8"?><ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Uses_Vlookup</fullName><active>true</active>
     <errorConditionFormula>VLOOKUP(Name, Name, Name) = 'x'</errorConditionFormula><errorMessage>no</errorMessage></ValidationRule>`
  );
  assert.match(
    failure(`insert new Account(Name = 'x');`, {}, [dir]).exceptionMessage ?? "",
    /^formula function VLOOKUP in validation rule Account\.Uses_Vlookup is not supported by local-org \(Uses_Vlookup\.validationRule-meta\.xml:1\)$/
  );
});

test("custom labels come from the project's labels metadata", () => {
  assert.deepEqual(
    debug(`System.debug(System.Label.Invoice_Sent); System.debug(Label.invoice_sent);`, {}, [SAMPLE_APP]),
    ["The invoice was sent.", "The invoice was sent."]
  );
  assert.match(
    failure(`String s = System.Label.Missing_Label;`, {}, [SAMPLE_APP]).exceptionMessage ?? "",
    /^custom label Missing_Label \(not in the project's labels\) is not supported by local-org/
  );
});

test("Security.stripInaccessible keeps every field, as field-level security is not modelled", () => {
  assert.deepEqual(
    debug(`insert new Account(Name = 'S', Phone = '1'); SObjectAccessDecision d = Security.stripInaccessible(AccessType.READABLE, [SELECT Name, Phone FROM Account]);
      Account a = (Account) d.getRecords()[0]; System.debug(a.Name + ' ' + a.Phone); System.debug(d.getRemovedFields().isEmpty());`),
    ["S 1", "true"]
  );
});
