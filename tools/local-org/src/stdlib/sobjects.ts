// SObject methods, SObjectType statics (custom settings), and the Database class.
import type { Loc } from "../parse/ast.js";
import { ApexSyntaxError, parseSoqlString } from "../parse/convert.js";
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
  const rt = lib.runtime;
  const data = lib.data;
  /** Dynamic SOQL: bad query text is a QueryException the code may catch. */
  const dynamicSoql = (text: string, loc: Loc) => {
    try {
      return parseSoqlString(text, loc.file, loc.line);
    } catch (e) {
      if (!(e instanceof ApexSyntaxError)) throw e;
      if (e.message.includes("not supported by local-org"))
        throw new UnsupportedError(e.message.replace(/ is not supported by local-org.*$/, ""), loc);
      return throwApex(rt, "QueryException", e.message.replace(/ \([^)]*\)$/, ""));
    }
  };
  const fieldName = (v: Value, loc: Loc): string => {
    if (v === null) nullPointer(rt);
    if (typeof v === "string") return v;
    if (v instanceof NativeObject && v.typeName === "SObjectField") return (v.data.f as { name: string }).name;
    unsupported(rt, `field reference of type ${runtimeTypeName(v)}`, loc);
  };
  // get() reads a field, getSObject() a parent record, getSObjects() child records; names are
  // single API names (a path such as Account.Name is an invalid field, as on the platform).
  const member = (rec: SObjectValue, name: string, kind: "field" | "parent" | "children", loc: Loc): Value => {
    const k = name.toLowerCase();
    const ok =
      kind === "field"
        ? rec.type.fields.has(k)
        : kind === "parent"
          ? relationshipField(rec.type, k) !== undefined
          : rec.type.childRelationships.has(k);
    if (!ok)
      throwApex(
        rt,
        "SObjectException",
        `Invalid ${kind === "field" ? "field" : "relationship"} ${name} for ${rec.type.name}`
      );
    return data.getField(rec, name, loc);
  };
  lib.instance<SObjectValue>("sobject", {
    get: (r, a, l) => member(r, fieldName(a[0], l), "field", l),
    put: (r, a, l) => {
      const name = fieldName(a[0], l);
      if (!r.type.fields.has(name.toLowerCase()))
        throwApex(rt, "SObjectException", `Invalid field ${name} for ${r.type.name}`);
      const old = r.fields.get(name.toLowerCase()) ?? null;
      data.setField(r, name, a[1], l);
      return old;
    },
    getSObject: (r, a, l) => member(r, fieldName(a[0], l), "parent", l),
    getSObjects: (r, a, l) => member(r, fieldName(a[0], l), "children", l),
    putSObject: (r, a, l) => {
      const old = r.fields.get(fieldName(a[0], l).toLowerCase()) ?? null;
      data.setField(r, fieldName(a[0], l), a[1], l);
      return old;
    },
    getSObjectType: (r) => data.sobjectTypeToken(r.type),
    clone: (r, a) => data.cloneRecord(r, a[0] === true),
    isSet: (r, a, l) => r.fields.has(fieldName(a[0], l).toLowerCase()),
    getPopulatedFieldsAsMap: (r) => {
      const m = new ApexMap(prim("String"), { kind: "prim", name: "Object" });
      for (const [k, v] of r.fields) {
        const f = r.type.fields.get(k);
        const rel = relationshipField(r.type, k);
        mapPut(rt, m, f?.name ?? rel?.relationshipName ?? r.type.childRelationships.get(k)?.name ?? k, v);
      }
      return m;
    },
    addError: (_r, _a, l) => unsupported(rt, "SObject.addError (triggers are not supported)", l),
    equals: (r, a) => str(rt, r) === str(rt, a[0]),
    toString: (r: SObjectValue) => str(rt, r)
  });

  const objOf = (t: TypeValue): SObjectDescribe => {
    if (t.type.kind !== "sobject" || !t.type.obj) unsupported(rt, "SObjectType statics on a generic SObject");
    return t.type.obj;
  };
  const setting = (t: TypeValue, loc: Loc, kind: "Hierarchy" | "List") => {
    const obj = objOf(t);
    if (obj.customSettingType !== kind)
      unsupported(rt, `${obj.name} is not a ${kind.toLowerCase()} custom setting`, loc);
    return obj;
  };
  const emptySetting = (obj: SObjectDescribe, owner: string | null) => {
    // The platform returns a record with default field values when none is stored.
    const r = data.newRecord(obj);
    for (const f of obj.fields.values())
      if (f.defaultValue !== null && !f.systemField) r.fields.set(f.name.toLowerCase(), f.defaultValue as Value);
    if (owner) r.fields.set("setupownerid", owner);
    return r;
  };
  lib.instance<TypeValue>("sobjecttype-static", {
    getOrgDefaults: (t, _a, l) => {
      const obj = setting(t, l, "Hierarchy");
      // Without a stored row the platform returns a new one owned by the org, ready to insert.
      return data.settingRecord(obj, ORG_ID, null) ?? emptySetting(obj, ORG_ID);
    },
    getInstance: (t, a, l) => {
      const obj = objOf(t);
      if (obj.customSettingType === "List") return data.settingRecord(obj, null, String(a[0]));
      if (obj.customMetadata) return metadataRecord(obj, String(a[0]));
      setting(t, l, "Hierarchy");
      const who = a.length > 0 && a[0] !== null ? String(a[0]) : USER_ID;
      const direct = data.settingRecord(obj, who, null);
      if (direct) return direct;
      const chain = who.startsWith("005") ? [PROFILE_ID, ORG_ID] : who.startsWith("00e") ? [ORG_ID] : [];
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
    getValues: (t, a) => {
      const obj = objOf(t);
      if (obj.customMetadata) return metadataRecord(obj, String(a[0]));
      if (obj.customSettingType === "List") return data.settingRecord(obj, null, String(a[0]));
      return data.settingRecord(obj, String(a[0]), null);
    },
    getAll: (t, _a, l) => {
      const obj = objOf(t);
      if (obj.customSettingType !== "List" && !obj.customMetadata) unsupported(rt, `${obj.name}.getAll()`, l);
      const m = new ApexMap(prim("String"), { kind: "sobject", obj });
      for (const r of data.table(obj).values()) {
        const key = String(obj.customMetadata ? r.get("developername") : r.get("name"));
        mapPut(rt, m, key, data.toValue(obj, r));
      }
      return m;
    }
  });
  const metadataRecord = (obj: SObjectDescribe, name: string): Value => {
    for (const r of data.table(obj).values()) if (r.get("developername") === name) return data.toValue(obj, r);
    return null;
  };
  lib.prop<TypeValue>("sobjecttype-static", {
    SObjectType: (t) => data.sobjectTypeToken(objOf(t))
  });

  // ---- Database ----
  const toRecords = (v: Value, loc: Loc): SObjectValue[] => {
    if (v === null) nullPointer(rt);
    if (v instanceof SObjectValue) return [v];
    if (v instanceof ApexList) return v.items.map((x) => (x instanceof SObjectValue ? x : nullPointer(rt)));
    unsupported(rt, `Database DML on ${runtimeTypeName(v)}`, loc);
  };
  const allOrNone = (v: Value | undefined, loc: Loc) => {
    if (v === undefined || v === null || (v instanceof EnumValue && v.cls.name === "AccessLevel")) return true;
    if (typeof v === "boolean") return v;
    unsupported(rt, "Database DML with DMLOptions or AccessLevel", loc);
  };
  const resultsOf = (type: string, rs: DmlRowResult[], single: boolean): Value => {
    const items = rs.map((r) => new NativeObject(type, { r }));
    return single ? items[0] : new ApexList({ kind: "native", name: type }, items);
  };
  const dml = (op: "insert" | "update" | "upsert" | "delete", type: string) => (a: Value[], loc: Loc) => {
    const recs = toRecords(a[0], loc);
    let ext: string | null = null;
    let optIdx = 1;
    if (op === "upsert" && a[1] instanceof NativeObject && a[1].typeName === "SObjectField") {
      ext = (a[1].data.f as { name: string }).name;
      optIdx = 2;
    }
    const aon = allOrNone(a[optIdx], loc);
    const rs = data.dml(op, recs, ext, aon, loc);
    const failed = rs.findIndex((r) => r.errors.length > 0);
    if (aon && failed >= 0) data.throwDml(op, rs, failed);
    return resultsOf(type, rs, a[0] instanceof SObjectValue);
  };
  lib.static_("Database", {
    insert: dml("insert", "SaveResult"),
    update: dml("update", "SaveResult"),
    upsert: dml("upsert", "UpsertResult"),
    delete: (a, loc) => {
      let v = a[0];
      if (typeof v === "string") {
        const found = data.findById(v);
        v = found ? data.toValue(found.obj, found.rec) : v;
      }
      return dml("delete", "DeleteResult")([v, ...a.slice(1)], loc);
    },
    query: (a, loc) => {
      const text = a[0];
      if (typeof text !== "string") nullPointer(rt);
      const q = dynamicSoql(text, loc);
      return data.query(q, (e) => rt.evaluate(e), loc);
    },
    queryWithBinds: (a, loc) => {
      const text = a[0];
      if (typeof text !== "string") nullPointer(rt);
      const binds = a[1];
      if (!(binds instanceof ApexMap)) nullPointer(rt);
      const q = dynamicSoql(text, loc);
      return data.query(
        q,
        (e) => {
          if (e.kind !== "Name")
            unsupported(rt, "bind expressions other than plain names in Database.queryWithBinds", loc);
          for (const [k, v] of mapEntries(binds))
            if (typeof k === "string" && k.toLowerCase() === e.name.toLowerCase()) return v;
          return throwApex(rt, "QueryException", `Key '${e.name}' does not exist in the bindMap`);
        },
        loc
      );
    },
    countQuery: (a, loc) => {
      const q = dynamicSoql(String(a[0]), loc);
      return data.query(q, (e) => rt.evaluate(e), loc);
    },
    executeBatch: (_a, loc) => unsupported(rt, "Database.executeBatch", loc),
    getQueryLocator: (_a, loc) => unsupported(rt, "Database.getQueryLocator", loc),
    setSavepoint: () => {
      return new NativeObject("Savepoint", { snap: data.snapshot(), counter: data.idCounter });
    },
    rollback: (a) => {
      const sp = a[0] as NativeObject;
      data.restore(sp.data.snap as ReturnType<typeof data.snapshot>);
      return null;
    },
    undelete: (_a, loc) => unsupported(rt, "Database.undelete", loc),
    merge: (_a, loc) => unsupported(rt, "Database.merge", loc),
    emptyRecycleBin: (_a, loc) => unsupported(rt, "Database.emptyRecycleBin", loc)
  });
  for (const t of ["SaveResult", "UpsertResult", "DeleteResult"]) {
    lib.nativeType(`Database.${t}`);
    lib.instance<NativeObject>(t.toLowerCase(), {
      isSuccess: (o) => (o.data.r as DmlRowResult).errors.length === 0,
      getId: (o) => (o.data.r as DmlRowResult).id,
      isCreated: (o) => (o.data.r as DmlRowResult).created,
      getErrors: (o) =>
        new ApexList(
          { kind: "native", name: "Error" },
          (o.data.r as DmlRowResult).errors.map((e) => new NativeObject("Error", { e }))
        )
    });
  }
  lib.nativeType("Database.Error");
  lib.instance<NativeObject>("error", {
    getMessage: (o) => (o.data.e as { message: string }).message,
    getStatusCode: (o) => lib.enumValue("StatusCode", (o.data.e as { statusCode: string }).statusCode),
    getFields: (o) => new ApexList(prim("String"), [...(o.data.e as { fields: string[] }).fields])
  });
  lib.nativeType("System.Savepoint");
  lib.nativeType("System.QueueableContext", () => new NativeObject("QueueableContext", { jobId: data.nextId("707") }));
  lib.instance<NativeObject>("queueablecontext", { getJobId: (o) => o.data.jobId as string });
  lib.systemEnum("System.StatusCode", STATUS_CODES);
  // Field-level security is not modelled: the running user can read and edit every field, so
  // stripInaccessible removes nothing.
  lib.systemEnum("System.AccessType", ["READABLE", "CREATABLE", "UPDATABLE", "UPSERTABLE"]);
  lib.static_("Security", {
    stripInaccessible: (a, loc) => {
      const records = toRecords(a[1], loc);
      return new NativeObject("SObjectAccessDecision", { records: records.map((r) => data.cloneRecord(r, true)) });
    }
  });
  lib.nativeType("System.SObjectAccessDecision");
  lib.instance<NativeObject>("sobjectaccessdecision", {
    getRecords: (o) => new ApexList({ kind: "sobject", obj: null }, o.data.records as SObjectValue[]),
    getRemovedFields: () => new ApexMap(prim("String"), { kind: "set", elem: prim("String") }),
    getModifiedIndexes: () => new ApexSet(prim("Integer"))
  });
  // Sharing and field-level security are not modelled: both modes see every record and field.
  lib.systemEnum("System.AccessLevel", ["USER_MODE", "SYSTEM_MODE"]);
}
