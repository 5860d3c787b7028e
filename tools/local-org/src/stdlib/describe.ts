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
  const runtime = lib.runtime;
  const data = lib.data;
  const objToken = (obj: SObjectDescribe) => data.sobjectTypeToken(obj);
  const fieldToken = (obj: SObjectDescribe, field: FieldDescribe) => data.fieldToken(obj, field.name.toLowerCase())!;
  const objOf = (object: NativeObject) => object.data.obj as SObjectDescribe;
  const fOf = (object: NativeObject) => object.data.f as FieldDescribe;
  const describeObj = (obj: SObjectDescribe) => new NativeObject("DescribeSObjectResult", { obj });
  const describeField = (obj: SObjectDescribe, field: FieldDescribe) =>
    new NativeObject("DescribeFieldResult", { obj, f: field });
  const fieldByName = (obj: SObjectDescribe, key: string) => {
    const field = obj.fields.get(key.toLowerCase());
    if (!field) throwApex(runtime, "SObjectException", `Invalid field ${key} for ${obj.name}`);
    return field;
  };

  lib.nativeType("Schema.SObjectType", undefined, (object) => objOf(object).name);
  lib.nativeType("Schema.SObjectField", undefined, (object) => fOf(object).name);
  lib.nativeType(
    "Schema.DescribeSObjectResult",
    undefined,
    (object) => `Schema.DescribeSObjectResult[${objOf(object).name}]`
  );
  lib.nativeType(
    "Schema.DescribeFieldResult",
    undefined,
    (object) => `Schema.DescribeFieldResult[${fOf(object).name}]`
  );
  lib.nativeType("Schema.PicklistEntry");

  lib.instance<NativeObject>("sobjecttype", {
    getDescribe: (object) => describeObj(objOf(object)),
    newSObject: (object) => data.newRecord(objOf(object)),
    toString: (object: NativeObject) => objOf(object).name
  });
  lib.instance<NativeObject>("sobjectfield", {
    getDescribe: (object) => describeField(objOf(object), fOf(object)),
    toString: (object: NativeObject) => fOf(object).name
  });
  const yes = () => true;
  lib.instance<NativeObject>("describesobjectresult", {
    getName: (object) => objOf(object).name,
    getLocalName: (object) => objOf(object).name,
    getLabel: (object) => objOf(object).label,
    getKeyPrefix: (object) => objOf(object).keyPrefix,
    isCustom: (object) => objOf(object).custom,
    isCustomSetting: (object) => objOf(object).customSettingType !== null,
    getSObjectType: (object) => objToken(objOf(object)),
    isAccessible: yes,
    isCreateable: yes,
    isUpdateable: yes,
    isDeletable: yes,
    isQueryable: yes
  });
  lib.prop<NativeObject>("describesobjectresult", {
    fields: (object) => new NativeObject("FieldsOf", { obj: objOf(object) })
  });
  lib.instance<NativeObject>("fieldsof", {
    getMap: (object) => {
      const map = new ApexMap(prim("String"), { kind: "native", name: "SObjectField" });
      map.ignoreKeyCase = true;
      for (const field of objOf(object).fields.values())
        mapPut(runtime, map, field.name.toLowerCase(), fieldToken(objOf(object), field));
      return map;
    }
  });
  lib.prop<NativeObject>("fieldsof", {
    "*": (object, _loc, key) => describeField(objOf(object), fieldByName(objOf(object), key))
  });
  lib.instance<NativeObject>("describefieldresult", {
    getName: (object) => fOf(object).name,
    getLocalName: (object) => fOf(object).name,
    getLabel: (object) => fOf(object).label,
    getType: (object) => lib.enumValue("DisplayType", DISPLAY_TYPES[fOf(object).type]),
    getLength: (object) => fOf(object).length ?? 0,
    getScale: (object) => fOf(object).scale ?? 0,
    isNillable: (object) => !fOf(object).required && fOf(object).type !== "boolean",
    isUnique: (object) => fOf(object).unique,
    isExternalId: (object) => fOf(object).externalId,
    isCustom: (object) => fOf(object).custom,
    isRestrictedPicklist: (object) => fOf(object).restrictedPicklist,
    isAccessible: yes,
    isCreateable: (object) => !fOf(object).systemField,
    isUpdateable: (object) => !fOf(object).systemField,
    getRelationshipName: (object) => fOf(object).relationshipName,
    getReferenceTo: (object) =>
      new ApexList(
        { kind: "native", name: "SObjectType" },
        fOf(object)
          .referenceTo.map((name) => data.schema.get(name))
          .filter((x): x is SObjectDescribe => !!x)
          .map(objToken)
      ),
    getSObjectField: (object) => fieldToken(objOf(object), fOf(object)),
    getDefaultValue: (object) => (fOf(object).defaultValue as Value) ?? null,
    getInlineHelpText: () => null,
    getPicklistValues: (object) =>
      new ApexList(
        { kind: "native", name: "PicklistEntry" },
        fOf(object).picklistValues.map(
          (value) => new NativeObject("PicklistEntry", { value, isDefault: fOf(object).defaultValue === value })
        )
      )
  });
  lib.instance<NativeObject>("picklistentry", {
    getValue: (object) => object.data.value as string,
    getLabel: (object) => object.data.value as string,
    isActive: yes,
    isDefaultValue: (object) => object.data.isDefault as boolean
  });

  lib.static_("Schema", {
    getGlobalDescribe: () => {
      const map = new ApexMap(prim("String"), { kind: "native", name: "SObjectType" });
      map.ignoreKeyCase = true;
      for (const o of data.schema.objects.values()) mapPut(runtime, map, o.name.toLowerCase(), objToken(o));
      return map;
    },
    describeSObjects: (args) => {
      const names = args[0] instanceof ApexList ? args[0].items : [];
      return new ApexList(
        { kind: "native", name: "DescribeSObjectResult" },
        names.map((n) => {
          const o = data.schema.get(String(n));
          if (!o) throwApex(runtime, "InvalidParameterValueException", `Invalid SObject type: ${String(n)}`);
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
    if (!obj) unsupported(runtime, `Schema.SObjectType.${key}`);
    return describeObj(obj);
  };
  lib.prop<NativeObject>("schemasobjecttypes", { "*": (_object, _loc, key) => describeByName(key) });
  lib.staticProp("SObjectType", { "*": (_loc, key) => describeByName(key) });
  // Schema.SObjectType.Account.fields.Name goes through a DescribeSObjectResult.
  lib.prop<NativeObject>("sobjecttype", {
    fields: (object) => new NativeObject("FieldsOf", { obj: objOf(object) })
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
