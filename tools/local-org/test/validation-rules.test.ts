// Validation rules: error condition formulas in the formula language, evaluated on every insert
// and update after the platform's own checks, with the record before the save for ISCHANGED.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalOrg } from "../src/index.js";
import { debug, failure } from "./support.js";

interface Rule {
  object: string;
  name: string;
  formula: string;
  message: string;
  field?: string;
  active?: boolean;
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A package folder with these validation rules (and a custom permission with a permission set). */
function rulesApp(rules: Rule[]): string {
  const root = mkdtempSync(join(tmpdir(), "local-org-rules-"));
  const main = join(root, "main", "default");
  for (const rule of rules) {
    const folder = join(main, "objects", rule.object, "validationRules");
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, `${rule.name}.validationRule-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?><ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${rule.name}</fullName><active>${rule.active ?? true}</active><errorConditionFormula>${xml(rule.formula)}</errorConditionFormula>${rule.field ? `<errorDisplayField>${rule.field}</errorDisplayField>` : ""}<errorMessage>${xml(rule.message)}</errorMessage></ValidationRule>`
    );
  }
  mkdirSync(join(main, "customPermissions"), { recursive: true });
  writeFileSync(
    join(main, "customPermissions", "Bypass_Rules.customPermission-meta.xml"),
    `<?xml version="1.0" encoding="UTF-8"?><CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata"><label>Bypass Rules</label></CustomPermission>`
  );
  mkdirSync(join(main, "permissionsets"), { recursive: true });
  writeFileSync(
    join(main, "permissionsets", "Rule_Bypass.permissionset-meta.xml"),
    `<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata"><label>Rule Bypass</label><customPermissions><enabled>true</enabled><name>Bypass_Rules</name></customPermissions></PermissionSet>`
  );
  return root;
}

const run = (rules: Rule[], code: string) => debug(code, {}, [rulesApp(rules)]);

test("every rule whose condition holds fails the record; the save result lists each with its field", () => {
  const rules: Rule[] = [
    { object: "Account", name: "A_Needs_Phone", formula: "ISBLANK(Phone)", message: "Give a phone.", field: "Phone" },
    { object: "Account", name: "B_No_Test_Names", formula: 'BEGINS(Name, "Test")', message: "No test accounts." },
    { object: "Account", name: "C_Inactive", formula: "true", message: "Never shown.", active: false }
  ];
  assert.deepEqual(
    run(
      rules,
      `Database.SaveResult r = Database.insert(new Account(Name = 'Test Co'), false);
       for (Database.Error e : r.getErrors()) System.debug(e.getStatusCode() + ' ' + e.getMessage() + ' ' + e.getFields());
       try { insert new Account(Name = 'Test Co'); } catch (DmlException e) { System.debug(e.getMessage()); }
       insert new Account(Name = 'Acme', Phone = '555'); System.debug([SELECT COUNT() FROM Account]);`
    ),
    [
      "FIELD_CUSTOM_VALIDATION_EXCEPTION Give a phone. (Phone)",
      "FIELD_CUSTOM_VALIDATION_EXCEPTION No test accounts. ()",
      "Insert failed. First exception on row 0; first error: FIELD_CUSTOM_VALIDATION_EXCEPTION, Give a phone.: [Phone]",
      "1"
    ]
  );
});

test("ISNEW, ISCHANGED and PRIORVALUE see the record as it was before the update", () => {
  const rules: Rule[] = [
    {
      object: "Opportunity",
      name: "Stage_Locked",
      formula: 'AND(NOT(ISNEW()), ISCHANGED(StageName), ISPICKVAL(PRIORVALUE(StageName), "Closed Lost"))',
      message: "A lost deal stays lost."
    },
    {
      object: "Opportunity",
      name: "Amount_Only_Grows",
      formula: "AND(ISCHANGED(Amount), Amount < PRIORVALUE(Amount))",
      message: "The amount cannot go down."
    }
  ];
  assert.deepEqual(
    run(
      rules,
      `Opportunity o = new Opportunity(Name = 'D', StageName = 'Closed Lost', CloseDate = Date.today(), Amount = 100);
       insert o; System.debug('inserted');
       o.Amount = 150; update o; System.debug('grew');
       o.Amount = 120;
       try { update o; } catch (DmlException e) { System.debug(e.getDmlMessage(0)); }
       o.Amount = 150; o.StageName = 'Prospecting';
       try { update o; } catch (DmlException e) { System.debug(e.getDmlMessage(0)); }
       o.StageName = 'Closed Lost'; o.Name = 'Renamed'; update o;
       System.debug([SELECT Name, Amount FROM Opportunity].Amount);`
    ),
    ["inserted", "grew", "The amount cannot go down.", "A lost deal stays lost.", "150.00"]
  );
});

test("a rule reads parent fields through lookups and formula fields", () => {
  const rules: Rule[] = [
    {
      object: "Contact",
      name: "Energy_Needs_Email",
      formula: 'AND(TEXT(Account.Industry) = "Energy", ISBLANK(Email))',
      message: "Energy contacts need an email.",
      field: "Email"
    }
  ];
  assert.deepEqual(
    run(
      rules,
      `Account energy = new Account(Name = 'E', Industry = 'Energy'); Account other = new Account(Name = 'O');
       insert new List<Account>{ energy, other };
       insert new Contact(LastName = 'Free', AccountId = other.Id);
       insert new Contact(LastName = 'Free');
       try { insert new Contact(LastName = 'Held', AccountId = energy.Id); } catch (DmlException e) { System.debug(e.getDmlMessage(0)); System.debug(e.getDmlFieldNames(0)); }
       System.debug([SELECT COUNT() FROM Contact]);`
    ),
    ["Energy contacts need an email.", "(Email)", "2"]
  );
});

test("blank numbers stay blank in a rule; text compares case-sensitively", () => {
  const rules: Rule[] = [
    { object: "Opportunity", name: "Needs_Amount", formula: "ISBLANK(Amount)", message: "Amount is blank." },
    { object: "Opportunity", name: "No_Negative", formula: "Amount < 0", message: "Amount is negative." },
    { object: "Account", name: "Not_Acme", formula: 'Name = "acme"', message: "Lower-case acme." }
  ];
  assert.deepEqual(
    run(
      rules,
      `Database.SaveResult r = Database.insert(new Opportunity(Name = 'D', StageName = 'Prospecting', CloseDate = Date.today()), false);
       for (Database.Error e : r.getErrors()) System.debug(e.getMessage());
       insert new Account(Name = 'Acme');
       try { insert new Account(Name = 'acme'); } catch (DmlException e) { System.debug(e.getDmlMessage(0)); }`
    ),
    ["Amount is blank.", "Lower-case acme."]
  );
});

test("the running user's globals: $User, $Profile and $Permission", () => {
  const rules: Rule[] = [
    {
      object: "Account",
      name: "Only_Admins_Set_Revenue",
      formula:
        'AND(NOT(ISBLANK(AnnualRevenue)), $Profile.Name <> "System Administrator", NOT($Permission.Bypass_Rules))',
      message: "Only administrators set the revenue."
    },
    {
      object: "Account",
      name: "Owner_Named",
      formula: 'AND(CONTAINS(Name, "mine"), $User.Email <> "local.user@local-org.test")',
      message: "Never: the local user has that email."
    }
  ];
  assert.deepEqual(
    run(
      rules,
      `insert new Account(Name = 'mine', AnnualRevenue = 5);
       Profile standard = [SELECT Id FROM Profile WHERE Name = 'Standard User'];
       User rep = new User(LastName = 'Rep', Username = 'rep@example.test', Email = 'rep@example.test', Alias = 'rep', ProfileId = standard.Id,
         TimeZoneSidKey = 'GMT', LocaleSidKey = 'en_US', EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US');
       insert rep;
       System.runAs(rep) {
         try { insert new Account(Name = 'Rep account', AnnualRevenue = 5); } catch (DmlException e) { System.debug(e.getDmlMessage(0)); }
       }
       insert new PermissionSetAssignment(AssigneeId = rep.Id, PermissionSetId = [SELECT Id FROM PermissionSet WHERE Name = 'Rule_Bypass'].Id);
       System.runAs(rep) { insert new Account(Name = 'Rep account', AnnualRevenue = 5); }
       System.debug([SELECT COUNT() FROM Account]);`
    ),
    ["Only administrators set the revenue.", "2"]
  );
});

test("a rule that fails to evaluate keeps the record from being saved, naming the rule and the problem", () => {
  const rules: Rule[] = [
    {
      object: "Account",
      name: "Revenue_Per_Employee",
      formula: "AnnualRevenue / NumberOfEmployees > 1000",
      message: "x"
    }
  ];
  assert.deepEqual(
    run(
      rules,
      `Database.SaveResult r = Database.insert(new Account(Name = 'A', AnnualRevenue = 10, NumberOfEmployees = 0), false);
       System.debug(r.isSuccess()); System.debug(r.getErrors()[0].getMessage());
       insert new Account(Name = 'B', AnnualRevenue = 10, NumberOfEmployees = 1); System.debug([SELECT COUNT() FROM Account]);`
    ),
    ["false", "Validation rule Revenue_Per_Employee could not be evaluated: Division by zero", "1"]
  );
});

test("a rule whose formula is not valid stops the load, naming the file and the rule", () => {
  assert.throws(
    () =>
      LocalOrg.load({
        sourceDirs: [rulesApp([{ object: "Account", name: "Broken", formula: "AND(Name = 'x'", message: "x" }])]
      }),
    /^Error: Broken\.validationRule-meta\.xml: validation rule Account\.Broken: the error condition formula is not valid: /
  );
});

test("a rule that reads a field its object lacks, or is no condition, stops the load as a deploy would", () => {
  const load = (rule: Rule) => () => LocalOrg.load({ sourceDirs: [rulesApp([rule])] });
  assert.throws(
    load({ object: "Account", name: "Tier", formula: 'Tier__c = "Gold"', message: "x" }),
    /^Error: Tier\.validationRule-meta\.xml: validation rule Account\.Tier: Field Tier__c does not exist on Account\. Check spelling\.$/
  );
  assert.throws(
    load({ object: "Contact", name: "Parent", formula: 'Acount.Name = "x"', message: "x" }),
    /validation rule Contact\.Parent: Field Acount does not exist on Contact\. Check spelling\.$/
  );
  assert.throws(
    load({ object: "Account", name: "Revenue", formula: "AnnualRevenue * 2", message: "x" }),
    /validation rule Account\.Revenue: the error condition formula must return a Checkbox \(true or false\)$/
  );
  assert.throws(
    load({ object: "Account", name: "Site", formula: "Website", message: "x" }),
    /validation rule Account\.Site: the error condition formula must return a Checkbox/
  );
});

test("a condition that turns out not to be a Checkbox when run, or a global local-org lacks, stops the save", () => {
  const notCondition = failure(`insert new Account(Name = 'x');`, {}, [
    rulesApp([{ object: "Account", name: "Either", formula: "IF(ISBLANK(Phone), 1, 2)", message: "x" }])
  ]);
  assert.equal(
    notCondition.exceptionMessage,
    "validation rule Account.Either: the error condition formula must return a Checkbox (true or false) (Either.validationRule-meta.xml:1)"
  );
  const setup = failure(`insert new Account(Name = 'x');`, {}, [
    rulesApp([{ object: "Account", name: "Setting", formula: "$Setup.Prefs__c.Off__c", message: "x" }])
  ]);
  assert.equal(
    setup.exceptionMessage,
    "validation rule Account.Setting: the global $Setup.Prefs__c.Off__c is not supported by local-org (Setting.validationRule-meta.xml:1)"
  );
});

test("rules run on update of a record loaded through the API too", () => {
  const org = LocalOrg.load({
    sourceDirs: [
      rulesApp([
        {
          object: "Account",
          name: "No_Blank_Site",
          formula: "ISCHANGED(Website) && ISBLANK(Website)",
          message: "Keep the website."
        }
      ])
    ]
  });
  const [id] = org.insert("Account", [{ Name: "Acme", Website: "https://acme.test" }]);
  assert.throws(() => org.update("Account", [{ Id: id, Website: null }]), /Keep the website\./);
  org.update("Account", [{ Id: id, Website: "https://acme.example" }]);
  assert.deepEqual(org.query("SELECT Website FROM Account"), [{ Website: "https://acme.example", Id: id }]);
});
