// Object and field metadata: standard objects from standard-objects.ts plus the
// project's objects/ folders.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { fieldDescribe, type FieldDescribe, type FieldType, type SObjectDescribe } from "../runtime/describe.js";
import { STANDARD_OBJECTS, type StandardObjectDef } from "./standard-objects.js";

export class Schema {
  readonly objects = new Map<string, SObjectDescribe>();
  /** The type of aggregate query rows; its fields are the aliases the queries use. */
  readonly aggregateResult: SObjectDescribe = {
    name: "AggregateResult",
    label: "AggregateResult",
    keyPrefix: "000",
    custom: false,
    customSettingType: null,
    customMetadata: false,
    fields: new Map(),
    childRelationships: new Map()
  };
  private customPrefixCounter = 0;
  private eventPrefixCounter = 0;

  constructor() {
    for (const def of STANDARD_OBJECTS) this.addStandard(def);
    this.linkRelationships();
  }

  get(name: string): SObjectDescribe | undefined {
    return this.objects.get(name.toLowerCase());
  }

  byPrefix(prefix: string): SObjectDescribe | undefined {
    for (const o of this.objects.values()) if (o.keyPrefix === prefix) return o;
    return undefined;
  }

  private addStandard(def: StandardObjectDef) {
    const fields = new Map<string, FieldDescribe>();
    const obj: SObjectDescribe = {
      name: def.name,
      label: def.label,
      keyPrefix: def.keyPrefix,
      custom: false,
      customSettingType: null,
      customMetadata: false,
      fields,
      childRelationships: new Map(),
      readOnly: def.readOnly === true
    };
    for (const field of systemFields()) fields.set(field.name.toLowerCase(), field);
    for (const [name, spec] of Object.entries(def.fields)) {
      const [type, ...flags] = spec.split(" ");
      const field = fieldDescribe(name, type as FieldType);
      for (const flag of flags) {
        if (flag === "required") field.required = true;
        else if (flag === "unique") field.unique = true;
        else if (flag === "readonly") field.systemField = true;
        else if (flag.startsWith("ref:")) {
          field.referenceTo = flag.slice(4).split(",");
          field.relationshipName = name.endsWith("Id") ? name.slice(0, -2) : name;
        } else if (flag.startsWith("values:")) {
          field.picklistValues = flag
            .slice(7)
            .split("|")
            .map((value) => value.replace(/_/g, " "));
        } else if (flag.startsWith("scale:")) {
          field.scale = Number(flag.slice(6));
        } else if (flag.startsWith("default:")) {
          const d = flag.slice(8);
          field.defaultValue = d === "true" ? true : d === "false" ? false : d.replace(/_/g, " ");
        }
      }
      field.label = STANDARD_FIELD_LABELS[`${def.name}.${name}`] ?? STANDARD_FIELD_LABELS[name] ?? name;
      fields.set(name.toLowerCase(), field);
    }
    for (const name of [
      "Id",
      "CreatedDate",
      "LastModifiedDate",
      "SystemModstamp",
      "CreatedById",
      "LastModifiedById",
      "IsDeleted"
    ])
      fields.get(name.toLowerCase())!.label = name === "Id" ? `${def.label} ID` : STANDARD_FIELD_LABELS[name];
    this.objects.set(def.name.toLowerCase(), obj);
  }

  /** Loads `objects/<Name>/` folders (object-meta.xml and fields/*.field-meta.xml). */
  loadObjectsFolder(dir: string) {
    if (!existsSync(dir)) return;
    const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === "value" });
    for (const objName of readdirSync(dir)) {
      const objDir = join(dir, objName);
      let obj = this.get(objName);
      if (!obj) {
        const metaFile = join(objDir, `${objName}.object-meta.xml`);
        const meta = existsSync(metaFile)
          ? (parser.parse(readFileSync(metaFile, "utf8")).CustomObject as Record<string, unknown>)
          : {};
        const isMdt = objName.endsWith("__mdt");
        const isEvent = objName.endsWith("__e");
        obj = {
          name: objName,
          label: String(meta.label ?? objName),
          keyPrefix: isMdt
            ? "m00"
            : isEvent
              ? `e${String(this.eventPrefixCounter++).padStart(2, "0")}`
              : `a${String(this.customPrefixCounter++).padStart(2, "0")}`,
          custom: true,
          customSettingType:
            meta.customSettingsType === "Hierarchy" ? "Hierarchy" : meta.customSettingsType === "List" ? "List" : null,
          customMetadata: isMdt,
          fields: new Map(),
          childRelationships: new Map()
        };
        for (const field of systemFields()) obj.fields.set(field.name.toLowerCase(), field);
        obj.fields.set("name", fieldDescribe("Name", "string"));
        if (obj.customSettingType === "Hierarchy") {
          const so = fieldDescribe("SetupOwnerId", "reference");
          so.referenceTo = ["User", "Profile", "Organization"];
          obj.fields.set("setupownerid", so);
        }
        if (isEvent) {
          // Published with EventBus.publish, delivered to subscribers; never saved or queried.
          obj.readOnly = true;
          obj.platformEvent = { publishImmediately: meta.publishBehavior !== "PublishAfterCommit" };
          obj.fields.delete("name");
          for (const name of ["ReplayId", "EventUuid"]) {
            const field = fieldDescribe(name, "string");
            field.systemField = true;
            obj.fields.set(name.toLowerCase(), field);
          }
        }
        if (isMdt) {
          obj.fields.set("developername", fieldDescribe("DeveloperName", "string"));
          obj.fields.set("masterlabel", fieldDescribe("MasterLabel", "string"));
          obj.fields.set("label", fieldDescribe("Label", "string"));
          obj.fields.set("qualifiedapiname", fieldDescribe("QualifiedApiName", "string"));
        }
        this.objects.set(objName.toLowerCase(), obj);
      }
      const fieldsDir = join(objDir, "fields");
      if (!existsSync(fieldsDir)) continue;
      for (const file of readdirSync(fieldsDir)) {
        if (!file.endsWith(".field-meta.xml")) continue;
        const cf = parser.parse(readFileSync(join(fieldsDir, file), "utf8")).CustomField as Record<string, unknown>;
        const field = customField(cf, file.replace(".field-meta.xml", ""));
        obj.fields.set(field.name.toLowerCase(), field);
      }
    }
    this.linkRelationships();
  }

  private linkRelationships() {
    for (const o of this.objects.values()) o.childRelationships.clear();
    for (const o of this.objects.values()) {
      for (const field of o.fields.values()) {
        if (field.type !== "reference" || field.systemField) continue;
        for (const target of field.referenceTo) {
          const parent = this.get(target);
          if (!parent) continue;
          const relName = field.custom
            ? `${field.childRelationshipName ?? o.name}__r`
            : STANDARD_CHILD_RELATIONSHIPS[`${o.name}.${field.name}`];
          // Standard lookups without a child relationship on the platform (owners, ...) have none here.
          if (!relName) continue;
          parent.childRelationships.set(relName.toLowerCase(), {
            childObject: o.name,
            field: field.name,
            name: relName
          });
        }
      }
    }
  }
}

// The platform's labels of standard fields (used in describes and DML error messages), by
// Object.Field or by field name alone; other fields are labelled with their API name.
const STANDARD_FIELD_LABELS: Record<string, string> = {
  CreatedDate: "Created Date",
  LastModifiedDate: "Last Modified Date",
  SystemModstamp: "System Modstamp",
  CreatedById: "Created By ID",
  LastModifiedById: "Last Modified By ID",
  IsDeleted: "Deleted",
  OwnerId: "Owner ID",
  AccountId: "Account ID",
  ContactId: "Contact ID",
  OpportunityId: "Opportunity ID",
  Pricebook2Id: "Price Book ID",
  PricebookEntryId: "Price Book Entry ID",
  Product2Id: "Product ID",
  ProfileId: "Profile ID",
  FirstName: "First Name",
  LastName: "Last Name",
  IsActive: "Active",
  "Account.Name": "Account Name",
  "Account.AccountNumber": "Account Number",
  "Account.Type": "Account Type",
  "Account.Phone": "Account Phone",
  "Account.Description": "Account Description",
  "Account.BillingStreet": "Billing Street",
  "Account.BillingCity": "Billing City",
  "Account.BillingState": "Billing State/Province",
  "Account.BillingPostalCode": "Billing Zip/Postal Code",
  "Account.BillingCountry": "Billing Country",
  "Account.ShippingCity": "Shipping City",
  "Account.ShippingCountry": "Shipping Country",
  "Account.AnnualRevenue": "Annual Revenue",
  "Account.NumberOfEmployees": "Employees",
  "Account.ParentId": "Parent Account ID",
  "Contact.Name": "Full Name",
  "Contact.Phone": "Business Phone",
  "Lead.Name": "Full Name",
  "Lead.Status": "Lead Status",
  "Lead.LeadSource": "Lead Source",
  "Lead.IsConverted": "Converted",
  "Opportunity.Name": "Name",
  "Opportunity.StageName": "Stage",
  "Opportunity.CloseDate": "Close Date",
  "Opportunity.Probability": "Probability (%)",
  "Opportunity.Type": "Opportunity Type",
  "Opportunity.IsClosed": "Closed",
  "Opportunity.IsWon": "Won",
  "Opportunity.CurrencyIsoCode": "Opportunity Currency",
  "Case.CaseNumber": "Case Number",
  "Case.Origin": "Case Origin",
  "Case.IsClosed": "Closed",
  "Case.Description": "Description",
  "Task.ActivityDate": "Due Date Only",
  "Task.WhatId": "Related To ID",
  "Task.WhoId": "Name ID",
  "Task.IsClosed": "Closed",
  "OpportunityLineItem.UnitPrice": "Sales Price",
  "OpportunityLineItem.TotalPrice": "Total Price",
  "OpportunityLineItem.ListPrice": "List Price",
  "OpportunityLineItem.ProductCode": "Product Code",
  "OpportunityLineItem.Name": "Opportunity Product Name",
  "Product2.Name": "Product Name",
  "Product2.ProductCode": "Product Code",
  "Product2.Family": "Product Family",
  "Product2.Description": "Product Description",
  "Pricebook2.Name": "Price Book Name",
  "Pricebook2.IsStandard": "Is Standard Price Book",
  "PricebookEntry.UnitPrice": "List Price",
  "PricebookEntry.UseStandardPrice": "Use Standard Price",
  "PricebookEntry.Name": "Product Name",
  "PricebookEntry.ProductCode": "Product Code"
};

// The platform's names for the standard objects' child relationships, by child field.
const STANDARD_CHILD_RELATIONSHIPS: Record<string, string> = {
  "Account.ParentId": "ChildAccounts",
  "Contact.AccountId": "Contacts",
  "Opportunity.AccountId": "Opportunities",
  "Opportunity.Pricebook2Id": "Opportunities",
  "Case.AccountId": "Cases",
  "Case.ContactId": "Cases",
  "Task.WhatId": "Tasks",
  "Task.WhoId": "Tasks",
  "OpportunityLineItem.OpportunityId": "OpportunityLineItems",
  "OpportunityHistory.OpportunityId": "OpportunityHistories",
  "OpportunityLineItem.PricebookEntryId": "OpportunityLineItems",
  "PricebookEntry.Pricebook2Id": "PricebookEntries",
  "PricebookEntry.Product2Id": "PricebookEntries",
  "User.ProfileId": "Users",
  "PermissionSetAssignment.AssigneeId": "PermissionSetAssignments",
  "PermissionSetAssignment.PermissionSetId": "Assignments",
  "SetupEntityAccess.ParentId": "SetupEntityAccessItems"
};

function systemFields(): FieldDescribe[] {
  const sys = (name: string, type: FieldType, ref?: string) => {
    const field = fieldDescribe(name, type);
    field.systemField = true;
    if (ref) {
      field.referenceTo = [ref];
      field.relationshipName = name.slice(0, -2);
    }
    return field;
  };
  return [
    sys("Id", "id"),
    sys("CreatedDate", "datetime"),
    sys("LastModifiedDate", "datetime"),
    sys("SystemModstamp", "datetime"),
    sys("CreatedById", "reference", "User"),
    sys("LastModifiedById", "reference", "User"),
    sys("IsDeleted", "boolean")
  ];
}

const XML_TYPES: Record<string, FieldType> = {
  Text: "string",
  TextArea: "textarea",
  LongTextArea: "textarea",
  Html: "textarea",
  Picklist: "picklist",
  MultiselectPicklist: "multipicklist",
  Checkbox: "boolean",
  Number: "double",
  Currency: "currency",
  Percent: "percent",
  Date: "date",
  DateTime: "datetime",
  Lookup: "reference",
  MasterDetail: "reference",
  Url: "url",
  Email: "email",
  Phone: "phone",
  AutoNumber: "string"
};

function customField(cf: Record<string, unknown>, fileName: string): FieldDescribe {
  const name = String(cf.fullName ?? fileName);
  const xmlType = String(cf.type ?? "Text");
  const type = XML_TYPES[xmlType];
  if (!type) throw new Error(`field type ${xmlType} of ${name} is not supported by local-org`);
  const field = fieldDescribe(name, type);
  field.label = String(cf.label ?? name);
  field.custom = true;
  field.required = cf.required === "true" || xmlType === "MasterDetail";
  field.unique = cf.unique === "true";
  field.externalId = cf.externalId === "true";
  field.caseSensitive = cf.caseSensitive === "true";
  if (cf.formula !== undefined) {
    field.formula = String(cf.formula);
    field.formulaBlankAsZero = cf.formulaTreatBlanksAs !== "BlankAsBlank";
    field.length = null;
  }
  if (cf.length) field.length = Number(cf.length);
  if (cf.scale) field.scale = Number(cf.scale);
  if (xmlType === "Checkbox") field.defaultValue = cf.defaultValue === "true";
  if (type === "reference") {
    field.referenceTo = [String(cf.referenceTo)];
    field.relationshipName = name.replace(/__c$/, "__r");
    field.childRelationshipName = String(cf.relationshipName ?? name.replace(/__c$/, ""));
  }
  const vs = cf.valueSet as Record<string, unknown> | undefined;
  if (vs) {
    field.restrictedPicklist = vs.restricted === "true";
    const def = vs.valueSetDefinition as Record<string, unknown> | undefined;
    const values = (def?.value ?? []) as Record<string, unknown>[];
    field.picklistValues = values.map((v) => String(v.fullName));
    const dflt = values.find((v) => v.default === "true");
    if (dflt) field.defaultValue = String(dflt.fullName);
  }
  return field;
}
