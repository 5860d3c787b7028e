// Formula fields: evaluated when records are read, through lookups, in SELECT and WHERE.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { debug, failure } from "./support.js";

const field = (name: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${name}</fullName><label>${name}</label>${body}</CustomField>`;

/** Product2 with a Stigg Type picklist and Stigg ID; line items copying them through formulas. */
function formulaApp(): string {
  const root = mkdtempSync(join(tmpdir(), "local-org-formula-"));
  const objects = join(root, "main", "default", "objects");
  const write = (object: string, name: string, body: string) => {
    mkdirSync(join(objects, object, "fields"), { recursive: true });
    writeFileSync(join(objects, object, "fields", `${name}.field-meta.xml`), field(name, body));
  };
  write(
    "Product2",
    "Stigg_Type__c",
    `<type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition><value><fullName>Plan</fullName><default>false</default><label>Plan</label></value><value><fullName>Add-on</fullName><default>false</default><label>Add-on</label></value></valueSetDefinition></valueSet>`
  );
  write("Product2", "Stigg_ID__c", `<type>Text</type><length>255</length>`);
  write("Product2", "Seats__c", `<type>Number</type><precision>18</precision><scale>0</scale>`);
  write(
    "OpportunityLineItem",
    "Stigg_Type__c",
    `<type>Text</type><formula>TEXT(Product2.Stigg_Type__c)</formula><formulaTreatBlanksAs>BlankAsZero</formulaTreatBlanksAs>`
  );
  write("OpportunityLineItem", "Stigg_ID__c", `<type>Text</type><formula>Product2.Stigg_ID__c</formula>`);
  write(
    "OpportunityLineItem",
    "Seat_Total__c",
    `<type>Number</type><precision>18</precision><scale>2</scale><formula>Quantity * Product2.Seats__c</formula><formulaTreatBlanksAs>BlankAsZero</formulaTreatBlanksAs>`
  );
  write(
    "OpportunityLineItem",
    "Seat_Total_Blank__c",
    `<type>Number</type><precision>18</precision><scale>2</scale><formula>Quantity * Product2.Seats__c</formula><formulaTreatBlanksAs>BlankAsBlank</formulaTreatBlanksAs>`
  );
  write(
    "OpportunityLineItem",
    "Is_Plan__c",
    `<type>Checkbox</type><formula>ISPICKVAL(Product2.Stigg_Type__c, "Plan")</formula>`
  );
  return root;
}

const SETUP = `
  Product2 plan = new Product2(Name = 'Pro', Stigg_Type__c = 'Plan', Stigg_ID__c = 'plan-pro', Seats__c = 5);
  Product2 other = new Product2(Name = 'Workshop');
  insert new List<Product2>{ plan, other };
  Account a = new Account(Name = 'Acme'); insert a;
  Opportunity o = new Opportunity(Name = 'Deal', StageName = 'Prospecting', CloseDate = Date.today(), AccountId = a.Id); insert o;
  insert new List<OpportunityLineItem>{
    new OpportunityLineItem(OpportunityId = o.Id, Product2Id = plan.Id, Quantity = 3, UnitPrice = 10),
    new OpportunityLineItem(OpportunityId = o.Id, Product2Id = other.Id, Quantity = 1, UnitPrice = 10)
  };`;

test("a formula field reads through the lookup and is evaluated in SELECT and WHERE", () => {
  const out = debug(
    `${SETUP}
     for (OpportunityLineItem l : [SELECT Stigg_Type__c, Stigg_ID__c, Is_Plan__c FROM OpportunityLineItem ORDER BY Quantity DESC])
       System.debug(l.Stigg_Type__c + ' ' + l.Stigg_ID__c + ' ' + l.Is_Plan__c);
     System.debug([SELECT COUNT() FROM OpportunityLineItem WHERE Stigg_Type__c = 'Plan']);
     System.debug([SELECT COUNT() FROM OpportunityLineItem WHERE Stigg_Type__c = null]);
     plan.Stigg_Type__c = 'Add-on'; update plan;
     System.debug([SELECT Stigg_Type__c FROM OpportunityLineItem WHERE Product2Id = :plan.Id].Stigg_Type__c);`,
    {},
    [formulaApp()]
  );
  assert.deepEqual(out, ["Plan plan-pro true", "null null false", "1", "1", "Add-on"]);
});

test("blank numbers read as zero unless the field treats blanks as blanks; results keep the field's scale", () => {
  const out = debug(
    `${SETUP}
     for (OpportunityLineItem l : [SELECT Seat_Total__c, Seat_Total_Blank__c FROM OpportunityLineItem ORDER BY Quantity DESC])
       System.debug(l.Seat_Total__c + ' ' + l.Seat_Total_Blank__c);`,
    {},
    [formulaApp()]
  );
  assert.deepEqual(out, ["15.00 15.00", "0.00 null"]);
});

test("a formula field cannot be written", () => {
  assert.match(
    failure(`OpportunityLineItem l = new OpportunityLineItem(); l.Stigg_Type__c = 'Plan';`, {}, [formulaApp()])
      .exceptionMessage ?? "",
    /Field Stigg_Type__c is not editable/
  );
});
