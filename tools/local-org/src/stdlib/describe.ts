// Schema describes: SObjectType and SObjectField tokens, DescribeSObjectResult,
// DescribeFieldResult, PicklistEntry and Schema.getGlobalDescribe().
import { prim } from "../runtime/types.js";
import { ApexList, ApexMap, NativeObject, type Value } from "../runtime/values.js";
import type { FieldDescribe, SObjectDescribe } from "../runtime/describe.js";
import { mapPut } from "./collections.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported } from "../runtime/errors.js";

const DISPLAY_TYPES: Record<string, string> = {
  id: "ID",
  string: "STRING",
  textarea: "TEXTAREA",
  picklist: "PICKLIST",
  multipicklist: "MULTIPICKLIST",
  boolean: "BOOLEAN",
  int: "INTEGER",
  double: "DOUBLE",
  currency: "CURRENCY",
  percent: "PERCENT",
  date: "DATE",
  datetime: "DATETIME",
  reference: "REFERENCE",
  url: "URL",
  email: "EMAIL",
  phone: "PHONE"
};

export function installDescribe(lib: Stdlib) {
  const rt = lib.runtime;
  const data = lib.data;
  const objToken = (obj: SObjectDescribe) => data.sobjectTypeToken(obj);
  const fieldToken = (obj: SObjectDescribe, f: FieldDescribe) => data.fieldToken(obj, f.name.toLowerCase())!;
  const objOf = (o: NativeObject) => o.data.obj as SObjectDescribe;
  const fOf = (o: NativeObject) => o.data.f as FieldDescribe;
  const describeObj = (obj: SObjectDescribe) => new NativeObject("DescribeSObjectResult", { obj });
  const describeField = (obj: SObjectDescribe, f: FieldDescribe) => new NativeObject("DescribeFieldResult", { obj, f });
  const fieldByName = (obj: SObjectDescribe, key: string) => {
    const f = obj.fields.get(key.toLowerCase());
    if (!f) throwApex(rt, "SObjectException", `Invalid field ${key} for ${obj.name}`);
    return f;
  };

  lib.nativeType("Schema.SObjectType", undefined, (v) => objOf(v).name);
  lib.nativeType("Schema.SObjectField", undefined, (v) => fOf(v).name);
  lib.nativeType("Schema.DescribeSObjectResult", undefined, (v) => `Schema.DescribeSObjectResult[${objOf(v).name}]`);
  lib.nativeType("Schema.DescribeFieldResult", undefined, (v) => `Schema.DescribeFieldResult[${fOf(v).name}]`);
  lib.nativeType("Schema.PicklistEntry");

  lib.instance<NativeObject>("sobjecttype", {
    getDescribe: (o) => describeObj(objOf(o)),
    newSObject: (o) => data.newRecord(objOf(o)),
    toString: (o: NativeObject) => objOf(o).name
  });
  lib.instance<NativeObject>("sobjectfield", {
    getDescribe: (o) => describeField(objOf(o), fOf(o)),
    toString: (o: NativeObject) => fOf(o).name
  });
  const yes = () => true;
  lib.instance<NativeObject>("describesobjectresult", {
    getName: (o) => objOf(o).name,
    getLocalName: (o) => objOf(o).name,
    getLabel: (o) => objOf(o).label,
    getKeyPrefix: (o) => objOf(o).keyPrefix,
    isCustom: (o) => objOf(o).custom,
    isCustomSetting: (o) => objOf(o).customSettingType !== null,
    getSObjectType: (o) => objToken(objOf(o)),
    isAccessible: yes,
    isCreateable: yes,
    isUpdateable: yes,
    isDeletable: yes,
    isQueryable: yes
  });
  lib.prop<NativeObject>("describesobjectresult", {
    fields: (o) => new NativeObject("FieldsOf", { obj: objOf(o) })
  });
  lib.instance<NativeObject>("fieldsof", {
    getMap: (o) => {
      const m = new ApexMap(prim("String"), { kind: "native", name: "SObjectField" });
      m.ignoreKeyCase = true;
      for (const f of objOf(o).fields.values()) mapPut(rt, m, f.name.toLowerCase(), fieldToken(objOf(o), f));
      return m;
    }
  });
  lib.prop<NativeObject>("fieldsof", {
    "*": (o, _l, key) => describeField(objOf(o), fieldByName(objOf(o), key))
  });
  lib.instance<NativeObject>("describefieldresult", {
    getName: (o) => fOf(o).name,
    getLocalName: (o) => fOf(o).name,
    getLabel: (o) => fOf(o).label,
    getType: (o) => lib.enumValue("DisplayType", DISPLAY_TYPES[fOf(o).type]),
    getLength: (o) => fOf(o).length ?? 0,
    getScale: (o) => fOf(o).scale ?? 0,
    isNillable: (o) => !fOf(o).required && fOf(o).type !== "boolean",
    isUnique: (o) => fOf(o).unique,
    isExternalId: (o) => fOf(o).externalId,
    isCustom: (o) => fOf(o).custom,
    isRestrictedPicklist: (o) => fOf(o).restrictedPicklist,
    isAccessible: yes,
    isCreateable: (o) => !fOf(o).systemField,
    isUpdateable: (o) => !fOf(o).systemField,
    getRelationshipName: (o) => fOf(o).relationshipName,
    getReferenceTo: (o) =>
      new ApexList(
        { kind: "native", name: "SObjectType" },
        fOf(o)
          .referenceTo.map((n) => data.schema.get(n))
          .filter((x): x is SObjectDescribe => !!x)
          .map(objToken)
      ),
    getSObjectField: (o) => fieldToken(objOf(o), fOf(o)),
    getDefaultValue: (o) => (fOf(o).defaultValue as Value) ?? null,
    getInlineHelpText: () => null,
    getPicklistValues: (o) =>
      new ApexList(
        { kind: "native", name: "PicklistEntry" },
        fOf(o).picklistValues.map(
          (v) => new NativeObject("PicklistEntry", { value: v, isDefault: fOf(o).defaultValue === v })
        )
      )
  });
  lib.instance<NativeObject>("picklistentry", {
    getValue: (o) => o.data.value as string,
    getLabel: (o) => o.data.value as string,
    isActive: yes,
    isDefaultValue: (o) => o.data.isDefault as boolean
  });

  lib.static_("Schema", {
    getGlobalDescribe: () => {
      const m = new ApexMap(prim("String"), { kind: "native", name: "SObjectType" });
      m.ignoreKeyCase = true;
      for (const o of data.schema.objects.values()) mapPut(rt, m, o.name.toLowerCase(), objToken(o));
      return m;
    },
    describeSObjects: (a) => {
      const names = a[0] instanceof ApexList ? a[0].items : [];
      return new ApexList(
        { kind: "native", name: "DescribeSObjectResult" },
        names.map((n) => {
          const o = data.schema.get(String(n));
          if (!o) throwApex(rt, "InvalidParameterValueException", `Invalid SObject type: ${String(n)}`);
          return describeObj(o);
        })
      );
    }
  });
  lib.staticProp("Schema", {
    SObjectType: () => new NativeObject("SchemaSObjectTypes", {})
  });
  const describeByName = (key: string) => {
    const obj = data.schema.get(key);
    if (!obj) unsupported(rt, `Schema.SObjectType.${key}`);
    return describeObj(obj);
  };
  lib.prop<NativeObject>("schemasobjecttypes", { "*": (_o, _l, key) => describeByName(key) });
  lib.staticProp("SObjectType", { "*": (_l, key) => describeByName(key) });
  // Schema.SObjectType.Account.fields.Name goes through a DescribeSObjectResult.
  lib.prop<NativeObject>("sobjecttype", {
    fields: (o) => new NativeObject("FieldsOf", { obj: objOf(o) })
  });
  lib.systemEnum("System.SObjectDescribeOptions", ["DEFERRED", "FULL", "DEFAULT"]);
  lib.systemEnum("Schema.DisplayType", [
    "ADDRESS",
    "ANYTYPE",
    "BASE64",
    "BOOLEAN",
    "COMBOBOX",
    "CURRENCY",
    "DATACATEGORYGROUPREFERENCE",
    "DATE",
    "DATETIME",
    "DOUBLE",
    "EMAIL",
    "ENCRYPTEDSTRING",
    "ID",
    "INTEGER",
    "JSON",
    "LONG",
    "MULTIPICKLIST",
    "PERCENT",
    "PHONE",
    "PICKLIST",
    "REFERENCE",
    "STRING",
    "TEXTAREA",
    "TIME",
    "URL"
  ]);
}
