// SObject methods, SObjectType statics (custom settings), and the Database class.
import type { Loc } from "../parse/ast.js";
import { parseSoqlString } from "../parse/convert.js";
import { ApexSyntaxError } from "../parse/syntax-error.js";
import { UnsupportedError } from "../runtime/errors.js";
import { prim } from "../runtime/types.js";
import {
  EnumValue,
  ApexList,
  ApexMap,
  ApexSet,
  NativeObject,
  SObjectValue,
  TypeValue,
  type Value
} from "../runtime/values.js";
import { mapEntries, str } from "../runtime/operators.js";
import type { DmlRowResult } from "../data/engine.js";
import { relationshipField, type SObjectDescribe } from "../runtime/describe.js";
import { mapPut } from "./collections.js";
import { ORG_ID, PROFILE_ID, USER_ID } from "../data/fixed-ids.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { runtimeTypeName } from "../runtime/conversion.js";

// The platform's StatusCode enum has hundreds of values; these are the DML ones code commonly
// checks, including every code the local engine reports (their ordinals are not the platform's).
const STATUS_CODES = [
  "ALREADY_IN_PROCESS",
  "CANNOT_DELETE_LAST_DATED_CONVERSION_RATE",
  "CANNOT_EXECUTE_FLOW_TRIGGER",
  "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
  "CANNOT_UPDATE_CONVERTED_LEAD",
  "CIRCULAR_DEPENDENCY",
  "DELETE_FAILED",
  "DEPENDENCY_EXISTS",
  "DUPLICATES_DETECTED",
  "DUPLICATE_EXTERNAL_ID",
  "DUPLICATE_VALUE",
  "ENTITY_IS_ARCHIVED",
  "ENTITY_IS_DELETED",
  "ENTITY_IS_LOCKED",
  "FIELD_CUSTOM_VALIDATION_EXCEPTION",
  "FIELD_FILTER_VALIDATION_EXCEPTION",
  "FIELD_INTEGRITY_EXCEPTION",
  "INACTIVE_OWNER_OR_USER",
  "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
  "INSUFFICIENT_ACCESS_OR_READONLY",
  "INVALID_CROSS_REFERENCE_KEY",
  "INVALID_EMAIL_ADDRESS",
  "INVALID_FIELD",
  "INVALID_FIELD_FOR_INSERT_UPDATE",
  "INVALID_ID_FIELD",
  "INVALID_INPUT",
  "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
  "INVALID_STATUS",
  "INVALID_TYPE",
  "LIMIT_EXCEEDED",
  "MALFORMED_ID",
  "MISSING_ARGUMENT",
  "NUMBER_OUTSIDE_VALID_RANGE",
  "REQUIRED_FIELD_MISSING",
  "STORAGE_LIMIT_EXCEEDED",
  "STRING_TOO_LONG",
  "TOO_MANY_ENUM_VALUE",
  "UNABLE_TO_LOCK_ROW",
  "UNKNOWN_EXCEPTION"
];

export function installSObjects(lib: Stdlib) {
  const runtime = lib.runtime;
  const data = lib.data;
  /** Dynamic SOQL: bad query text is a QueryException the code may catch. */
  const dynamicSoql = (text: string, loc: Loc) => {
    try {
      return parseSoqlString(text, loc.file, loc.line);
    } catch (error) {
      if (!(error instanceof ApexSyntaxError)) throw error;
      if (error.message.includes("not supported by local-org"))
        throw new UnsupportedError(error.message.replace(/ is not supported by local-org.*$/, ""), loc);
      return throwApex(runtime, "QueryException", error.message.replace(/ \([^)]*\)$/, ""));
    }
  };
  const fieldName = (value: Value, loc: Loc): string => {
    if (value === null) nullPointer(runtime);
    if (typeof value === "string") return value;
    if (value instanceof NativeObject && value.typeName === "SObjectField")
      return (value.data.f as { name: string }).name;
    unsupported(runtime, `field reference of type ${runtimeTypeName(value)}`, loc);
  };
  // get() reads a field, getSObject() a parent record, getSObjects() child records; names are
  // single API names (a path such as Account.Name is an invalid field, as on the platform).
  const member = (record: SObjectValue, name: string, kind: "field" | "parent" | "children", loc: Loc): Value => {
    const key = name.toLowerCase();
    const ok =
      kind === "field"
        ? record.type.fields.has(key)
        : kind === "parent"
          ? relationshipField(record.type, key) !== undefined
          : record.type.childRelationships.has(key);
    if (!ok)
      throwApex(
        runtime,
        "SObjectException",
        `Invalid ${kind === "field" ? "field" : "relationship"} ${name} for ${record.type.name}`
      );
    return data.getField(record, name, loc);
  };
  lib.instance<SObjectValue>("sobject", {
    get: (record, args, loc) => member(record, fieldName(args[0], loc), "field", loc),
    put: (record, args, loc) => {
      const name = fieldName(args[0], loc);
      if (!record.type.fields.has(name.toLowerCase()))
        throwApex(runtime, "SObjectException", `Invalid field ${name} for ${record.type.name}`);
      const old = record.fields.get(name.toLowerCase()) ?? null;
      data.setField(record, name, args[1], loc);
      return old;
    },
    getSObject: (record, args, loc) => member(record, fieldName(args[0], loc), "parent", loc),
    getSObjects: (record, args, loc) => member(record, fieldName(args[0], loc), "children", loc),
    putSObject: (record, args, loc) => {
      const old = record.fields.get(fieldName(args[0], loc).toLowerCase()) ?? null;
      data.setField(record, fieldName(args[0], loc), args[1], loc);
      return old;
    },
    getSObjectType: (record) => data.sobjectTypeToken(record.type),
    clone: (record, args) => data.cloneRecord(record, args[0] === true),
    isSet: (record, args, loc) => record.fields.has(fieldName(args[0], loc).toLowerCase()),
    getPopulatedFieldsAsMap: (record) => {
      const map = new ApexMap(prim("String"), { kind: "prim", name: "Object" });
      for (const [key, value] of record.fields) {
        const field = record.type.fields.get(key);
        const rel = relationshipField(record.type, key);
        mapPut(
          runtime,
          map,
          field?.name ?? rel?.relationshipName ?? record.type.childRelationships.get(key)?.name ?? key,
          value
        );
      }
      return map;
    },
    addError: (_r, _args, loc) => unsupported(runtime, "SObject.addError (triggers are not supported)", loc),
    equals: (record, args) => str(runtime, record) === str(runtime, args[0]),
    toString: (record: SObjectValue) => str(runtime, record)
  });

  const objOf = (typeValue: TypeValue): SObjectDescribe => {
    if (typeValue.type.kind !== "sobject" || !typeValue.type.obj)
      unsupported(runtime, "SObjectType statics on a generic SObject");
    return typeValue.type.obj;
  };
  const setting = (typeValue: TypeValue, loc: Loc, kind: "Hierarchy" | "List") => {
    const obj = objOf(typeValue);
    if (obj.customSettingType !== kind)
      unsupported(runtime, `${obj.name} is not a ${kind.toLowerCase()} custom setting`, loc);
    return obj;
  };
  const emptySetting = (obj: SObjectDescribe, owner: string | null) => {
    // The platform returns a record with default field values when none is stored.
    const record = data.newRecord(obj);
    for (const field of obj.fields.values())
      if (field.defaultValue !== null && !field.systemField)
        record.fields.set(field.name.toLowerCase(), field.defaultValue as Value);
    if (owner) record.fields.set("setupownerid", owner);
    return record;
  };
  lib.instance<TypeValue>("sobjecttype-static", {
    getOrgDefaults: (typeValue, _args, loc) => {
      const obj = setting(typeValue, loc, "Hierarchy");
      // Without a stored row the platform returns a new one owned by the org, ready to insert.
      return data.settingRecord(obj, ORG_ID, null) ?? emptySetting(obj, ORG_ID);
    },
    getInstance: (typeValue, args, loc) => {
      const obj = objOf(typeValue);
      if (obj.customSettingType === "List") return data.settingRecord(obj, null, String(args[0]));
      if (obj.customMetadata) return metadataRecord(obj, String(args[0]));
      setting(typeValue, loc, "Hierarchy");
      const who = args.length > 0 && args[0] !== null ? String(args[0]) : USER_ID;
      const direct = data.settingRecord(obj, who, null);
      if (direct) return direct;
      // A user's values come from their own profile's row, then the org's.
      const profileId = who.startsWith("005") ? data.findById(who)?.rec.get("profileid") : null;
      const chain = who.startsWith("005")
        ? [typeof profileId === "string" ? profileId : PROFILE_ID, ORG_ID]
        : who.startsWith("00e")
          ? [ORG_ID]
          : [];
      for (const owner of chain) {
        const r = data.settingRecord(obj, owner, null);
        if (r) {
          // Values come from the nearest level; the returned record is not that stored row.
          const copy = data.cloneRecord(r, false);
          copy.fields.set("setupownerid", who);
          return copy;
        }
      }
      return emptySetting(obj, who);
    },
    getValues: (typeValue, args) => {
      const obj = objOf(typeValue);
      if (obj.customMetadata) return metadataRecord(obj, String(args[0]));
      if (obj.customSettingType === "List") return data.settingRecord(obj, null, String(args[0]));
      return data.settingRecord(obj, String(args[0]), null);
    },
    getAll: (typeValue, _args, loc) => {
      const obj = objOf(typeValue);
      if (obj.customSettingType !== "List" && !obj.customMetadata) unsupported(runtime, `${obj.name}.getAll()`, loc);
      const map = new ApexMap(prim("String"), { kind: "sobject", obj });
      for (const record of data.table(obj).values()) {
        const key = String(obj.customMetadata ? record.get("developername") : record.get("name"));
        mapPut(runtime, map, key, data.toValue(obj, record));
      }
      return map;
    }
  });
  const metadataRecord = (obj: SObjectDescribe, name: string): Value => {
    for (const record of data.table(obj).values())
      if (record.get("developername") === name) return data.toValue(obj, record);
    return null;
  };
  lib.prop<TypeValue>("sobjecttype-static", {
    SObjectType: (typeValue) => data.sobjectTypeToken(objOf(typeValue))
  });

  // ---- Database ----
  const toRecords = (value: Value, loc: Loc): SObjectValue[] => {
    if (value === null) nullPointer(runtime);
    if (value instanceof SObjectValue) return [value];
    if (value instanceof ApexList)
      return value.items.map((item) => (item instanceof SObjectValue ? item : nullPointer(runtime)));
    unsupported(runtime, `Database DML on ${runtimeTypeName(value)}`, loc);
  };
  const allOrNone = (value: Value | undefined, loc: Loc) => {
    if (value === undefined || value === null || (value instanceof EnumValue && value.cls.name === "AccessLevel"))
      return true;
    if (typeof value === "boolean") return value;
    unsupported(runtime, "Database DML with DMLOptions or AccessLevel", loc);
  };
  const resultsOf = (type: string, rs: DmlRowResult[], single: boolean): Value => {
    const items = rs.map((result) => new NativeObject(type, { r: result }));
    return single ? items[0] : new ApexList({ kind: "native", name: type }, items);
  };
  const dml = (op: "insert" | "update" | "upsert" | "delete", type: string) => (args: Value[], loc: Loc) => {
    const recs = toRecords(args[0], loc);
    let ext: string | null = null;
    let optIdx = 1;
    if (op === "upsert" && args[1] instanceof NativeObject && args[1].typeName === "SObjectField") {
      ext = (args[1].data.f as { name: string }).name;
      optIdx = 2;
    }
    const aon = allOrNone(args[optIdx], loc);
    const rs = data.dml(op, recs, ext, aon, loc);
    const failed = rs.findIndex((result) => result.errors.length > 0);
    if (aon && failed >= 0) data.throwDml(op, rs, failed);
    return resultsOf(type, rs, args[0] instanceof SObjectValue);
  };
  lib.static_("Database", {
    insert: dml("insert", "SaveResult"),
    update: dml("update", "SaveResult"),
    upsert: dml("upsert", "UpsertResult"),
    delete: (args, loc) => {
      let value = args[0];
      if (typeof value === "string") {
        const found = data.findById(value);
        value = found ? data.toValue(found.obj, found.rec) : value;
      }
      return dml("delete", "DeleteResult")([value, ...args.slice(1)], loc);
    },
    query: (args, loc) => {
      const text = args[0];
      if (typeof text !== "string") nullPointer(runtime);
      const query = dynamicSoql(text, loc);
      return data.query(query, (expression) => runtime.evaluate(expression), loc);
    },
    queryWithBinds: (args, loc) => {
      const text = args[0];
      if (typeof text !== "string") nullPointer(runtime);
      const binds = args[1];
      if (!(binds instanceof ApexMap)) nullPointer(runtime);
      const query = dynamicSoql(text, loc);
      return data.query(
        query,
        (expression) => {
          if (expression.kind !== "Name")
            unsupported(runtime, "bind expressions other than plain names in Database.queryWithBinds", loc);
          for (const [key, value] of mapEntries(binds))
            if (typeof key === "string" && key.toLowerCase() === expression.name.toLowerCase()) return value;
          return throwApex(runtime, "QueryException", `Key '${expression.name}' does not exist in the bindMap`);
        },
        loc
      );
    },
    countQuery: (args, loc) => {
      const query = dynamicSoql(String(args[0]), loc);
      return data.query(query, (expression) => runtime.evaluate(expression), loc);
    },
    executeBatch: (_args, loc) => unsupported(runtime, "Database.executeBatch", loc),
    getQueryLocator: (_args, loc) => unsupported(runtime, "Database.getQueryLocator", loc),
    setSavepoint: () => {
      return new NativeObject("Savepoint", { snap: data.snapshot(), counter: data.idCounter });
    },
    rollback: (args) => {
      const property = args[0] as NativeObject;
      data.restore(property.data.snap as ReturnType<typeof data.snapshot>);
      return null;
    },
    undelete: (_args, loc) => unsupported(runtime, "Database.undelete", loc),
    merge: (_args, loc) => unsupported(runtime, "Database.merge", loc),
    emptyRecycleBin: (_args, loc) => unsupported(runtime, "Database.emptyRecycleBin", loc)
  });
  for (const t of ["SaveResult", "UpsertResult", "DeleteResult"]) {
    lib.nativeType(`Database.${t}`);
    lib.instance<NativeObject>(t.toLowerCase(), {
      isSuccess: (object) => (object.data.r as DmlRowResult).errors.length === 0,
      getId: (object) => (object.data.r as DmlRowResult).id,
      isCreated: (object) => (object.data.r as DmlRowResult).created,
      getErrors: (object) =>
        new ApexList(
          { kind: "native", name: "Error" },
          (object.data.r as DmlRowResult).errors.map((error) => new NativeObject("Error", { e: error }))
        )
    });
  }
  lib.nativeType("Database.Error");
  lib.instance<NativeObject>("error", {
    getMessage: (object) => (object.data.e as { message: string }).message,
    getStatusCode: (object) => lib.enumValue("StatusCode", (object.data.e as { statusCode: string }).statusCode),
    getFields: (object) => new ApexList(prim("String"), [...(object.data.e as { fields: string[] }).fields])
  });
  lib.nativeType("System.Savepoint");
  lib.nativeType("System.QueueableContext", () => new NativeObject("QueueableContext", { jobId: data.nextId("707") }));
  lib.instance<NativeObject>("queueablecontext", { getJobId: (object) => object.data.jobId as string });
  lib.systemEnum("System.StatusCode", STATUS_CODES);
  // Field-level security is not modelled: the running user can read and edit every field, so
  // stripInaccessible removes nothing.
  lib.systemEnum("System.AccessType", ["READABLE", "CREATABLE", "UPDATABLE", "UPSERTABLE"]);
  lib.static_("Security", {
    stripInaccessible: (args, loc) => {
      const records = toRecords(args[1], loc);
      return new NativeObject("SObjectAccessDecision", {
        records: records.map((record) => data.cloneRecord(record, true))
      });
    }
  });
  lib.nativeType("System.SObjectAccessDecision");
  lib.instance<NativeObject>("sobjectaccessdecision", {
    getRecords: (object) => new ApexList({ kind: "sobject", obj: null }, object.data.records as SObjectValue[]),
    getRemovedFields: () => new ApexMap(prim("String"), { kind: "set", elem: prim("String") }),
    getModifiedIndexes: () => new ApexSet(prim("Integer"))
  });
  // Sharing and field-level security are not modelled: both modes see every record and field.
  lib.systemEnum("System.AccessLevel", ["USER_MODE", "SYSTEM_MODE"]);
}
