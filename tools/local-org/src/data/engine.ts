// Records as Apex sees them: field access on SObjects, DML with the platform's checks and
// errors, the seeded org, custom settings, describe tokens and the entry point for SOQL.
import type { Loc, SoqlQuery, Expr } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import { coerce, fieldType, runtimeTypeName } from "../runtime/conversion.js";
import { relationshipField, type FieldDescribe, type SObjectDescribe } from "../runtime/describe.js";
import { ApexThrow, newException, throwApex, unsupported } from "../runtime/errors.js";
import { countLimit } from "../runtime/governor.js";
import { ApexDatetime, ApexDecimal, ApexList, Dec, NativeObject, SObjectValue, type Value } from "../runtime/values.js";
import { ORG_ID, PROFILE_ID, USER_ID, currentUserId } from "./fixed-ids.js";
import type { Schema } from "./schema.js";
import { runQuery } from "./soql.js";
import { RecordStore, type StoredRecord } from "./store.js";
import { DescribeTokens } from "./tokens.js";
import { evaluateRule, type ValidationRule } from "./validation-rules.js";

export interface DmlError {
  message: string;
  statusCode: string;
  fields: string[];
  index: number;
  /** The failed record's object, for the field tokens of DmlException.getDmlFields. */
  object?: string;
}

export interface DmlRowResult {
  id: string | null;
  created: boolean;
  errors: DmlError[];
}

type DmlOp = "insert" | "update" | "upsert" | "delete" | "undelete" | "merge";

export class DataEngine extends RecordStore {
  private stdPricebookId: string | null = null;
  readonly validationRules = new Map<string, ValidationRule[]>();
  private readonly tokens = new DescribeTokens();

  constructor(
    schema: Schema,
    readonly runtime: RuntimeContext
  ) {
    super(schema);
    this.seed();
  }

  /** The org, the running user and the standard profiles exist before any test data. */
  private seed() {
    const put = (objName: string, id: string, fields: Record<string, Value>) => {
      const obj = this.schema.get(objName)!;
      const rec: StoredRecord = new Map<string, Value>([["id", id]]);
      for (const [k, v] of Object.entries(fields)) rec.set(k.toLowerCase(), v);
      this.stampNew(rec);
      this.table(obj).set(id, rec);
    };
    put("Organization", ORG_ID, { Name: "Local Org", IsSandbox: true });
    put("Profile", PROFILE_ID, { Name: "System Administrator" });
    put("Profile", this.nextId("00e"), { Name: "Standard User" });
    put("User", USER_ID, {
      Username: "local.user@local-org.test",
      LastName: "User",
      FirstName: "Local",
      Name: "Local User",
      Email: "local.user@local-org.test",
      Alias: "luser",
      TimeZoneSidKey: "GMT",
      LocaleSidKey: "en_US",
      EmailEncodingKey: "UTF-8",
      LanguageLocaleKey: "en_US",
      ProfileId: PROFILE_ID,
      IsActive: true
    });
  }

  standardPricebookId(): string {
    if (this.stdPricebookId) return this.stdPricebookId;
    const pb = this.schema.get("Pricebook2")!;
    const id = this.nextId(pb.keyPrefix);
    const rec: StoredRecord = new Map<string, Value>([
      ["id", id],
      ["name", "Standard Price Book"],
      ["isactive", true],
      ["isstandard", true]
    ]);
    this.stampNew(rec);
    this.table(pb).set(id, rec);
    this.stdPricebookId = id;
    return id;
  }

  /** Forgets the standard price book id when the store is reset between tests. */
  resetStandardPricebook(id: string | null) {
    this.stdPricebookId = id;
  }
  get standardPricebook() {
    return this.stdPricebookId;
  }

  // ---- SObject values ----

  newRecord(obj: SObjectDescribe): SObjectValue {
    return new SObjectValue(obj);
  }

  sobjectTypeToken(obj: SObjectDescribe): NativeObject {
    return this.tokens.objectToken(obj);
  }

  /** The token of a field by lower-case name; null when the object has no such field. */
  fieldToken(obj: SObjectDescribe, key: string): NativeObject | null {
    const f = obj.fields.get(key);
    return f ? this.tokens.fieldToken(obj, f) : null;
  }

  private notQueried(rec: SObjectValue, name: string): never {
    throwApex(
      this.runtime,
      "SObjectException",
      `SObject row was retrieved via SOQL without querying the requested field: ${rec.type.name}.${name}`
    );
  }

  getField(rec: SObjectValue, name: string, loc: Loc): Value {
    const key = name.toLowerCase();
    const f = rec.type.fields.get(key);
    if (f) {
      if (rec.readable && !rec.readable.has(key) && !rec.fields.has(key)) this.notQueried(rec, f.name);
      return rec.fields.get(key) ?? null;
    }
    const pf = relationshipField(rec.type, key);
    const child = rec.type.childRelationships.get(key);
    if (pf || child) {
      if (rec.readable && !rec.readable.has(key) && !rec.fields.has(key))
        this.notQueried(rec, pf?.relationshipName ?? child!.name);
      return rec.fields.get(key) ?? null;
    }
    unsupported(this.runtime, `field ${name} on ${rec.type.name} (not in the object metadata)`, loc);
  }

  setField(rec: SObjectValue, name: string, v: Value, loc: Loc): Value {
    const key = name.toLowerCase();
    const f = rec.type.fields.get(key);
    if (f) {
      if (f.systemField && key !== "id") {
        throwApex(this.runtime, "SObjectException", `Field ${f.name} is not editable`);
      }
      const cv = coerce(this.runtime, v, fieldType(f));
      rec.fields.set(key, cv);
      rec.readable?.add(key);
      return cv;
    }
    const pf = relationshipField(rec.type, key);
    if (pf) {
      if (v !== null && !(v instanceof SObjectValue)) coerce(this.runtime, v, { kind: "sobject", obj: null });
      rec.fields.set(key, v);
      rec.readable?.add(key);
      return v;
    }
    unsupported(this.runtime, `field ${name} on ${rec.type.name} (not in the object metadata)`, loc);
  }

  cloneRecord(rec: SObjectValue, preserveId: boolean): SObjectValue {
    const c = new SObjectValue(rec.type);
    for (const [k, v] of rec.fields) {
      if (!preserveId && k === "id") continue;
      c.fields.set(k, v instanceof SObjectValue ? this.cloneRecord(v, true) : v);
    }
    c.readable = rec.readable ? new Set(rec.readable) : null;
    return c;
  }

  // ---- SOQL ----

  query(q: SoqlQuery, bind: (e: Expr) => Value, loc: Loc): Value {
    return runQuery(this, this.runtime, q, bind, loc);
  }

  // ---- DML ----

  private records(v: Value, loc: Loc): SObjectValue[] {
    if (v === null) throwApex(this.runtime, "DmlException", "Argument cannot be null");
    if (v instanceof SObjectValue) return [v];
    if (v instanceof ApexList) {
      return v.items.map((x) => {
        if (!(x instanceof SObjectValue)) throwApex(this.runtime, "DmlException", "Argument cannot be null");
        return x;
      });
    }
    unsupported(this.runtime, `DML on ${runtimeTypeName(v)}`, loc);
  }

  /** A DML statement: all or none, throwing DmlException on the first failure. */
  dmlStatement(op: DmlOp, v: Value, extField: string | null, loc: Loc) {
    const recs = this.records(v, loc);
    const results = this.dml(op, recs, extField, true, loc);
    const failed = results.findIndex((r) => r.errors.length > 0);
    if (failed >= 0) this.throwDml(op, results, failed);
  }

  throwDml(op: DmlOp, results: DmlRowResult[], failed: number): never {
    const first = results[failed].errors[0];
    const verb = {
      insert: "Insert",
      update: "Update",
      upsert: "Upsert",
      delete: "Delete",
      undelete: "Undelete",
      merge: "Merge"
    }[op];
    const fields = first.fields.length ? `: [${first.fields.join(", ")}]` : ": []";
    const ex = newException(
      this.runtime,
      this.runtime.systemTypes.exception("DmlException"),
      `${verb} failed. First exception on row ${failed}; first error: ${first.statusCode}, ${first.message}${fields}`
    );
    ex.ex!.dmlErrors = results.flatMap((r, i) => r.errors.slice(0, 1).map((e) => ({ ...e, index: i })));
    throw new ApexThrow(ex);
  }

  /** Runs DML on records. With allOrNone, nothing is saved when any row fails. */
  dml(op: DmlOp, recs: SObjectValue[], extField: string | null, allOrNone: boolean, loc: Loc): DmlRowResult[] {
    if (op === "undelete" || op === "merge") unsupported(this.runtime, op, loc);
    if ((op === "insert" || op === "upsert") && new Set(recs).size !== recs.length)
      throwApex(
        this.runtime,
        "ListException",
        "Before Insert or Upsert list must not have two identically equal elements"
      );
    if (op !== "insert") {
      const seen = new Set<string>();
      for (const r of recs) {
        const id = r.fields.get("id");
        if (typeof id !== "string") continue;
        if (seen.has(id)) throwApex(this.runtime, "ListException", `Duplicate id in list: ${id}`);
        seen.add(id);
      }
    }
    countLimit(this.runtime, "dmlStatements");
    countLimit(this.runtime, "dmlRows", recs.length);
    const before = this.snapshot();
    const counter = this.idCounter;
    const results: DmlRowResult[] = [];
    const assigned: [SObjectValue, string][] = [];
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i];
      let res: DmlRowResult;
      try {
        res = this.dmlRow(op, r, extField, i);
      } catch (e) {
        if (e instanceof RowError)
          res = { id: null, created: false, errors: [{ ...e.err, index: i, object: r.type.name }] };
        else throw e;
      }
      results.push(res);
      if (res.errors.length === 0 && res.created && res.id) assigned.push([r, res.id]);
    }
    const anyFailed = results.some((r) => r.errors.length > 0);
    if (anyFailed && allOrNone) {
      this.restore(before, counter);
      return results;
    }
    for (const [r, id] of assigned) {
      r.fields.set("id", id);
      r.readable?.add("id");
    }
    this.runtime.transaction.uncommittedDml = true;
    return results;
  }

  private dmlRow(op: DmlOp, r: SObjectValue, extField: string | null, index: number): DmlRowResult {
    const obj = r.type;
    const table = this.table(obj);
    const idVal = r.fields.get("id");
    const id = typeof idVal === "string" ? idVal : null;
    if (op === "delete") {
      if (!id) rowError("MISSING_ARGUMENT", "Id not specified in a delete request", [], index);
      if (!table.has(id)) rowError("ENTITY_IS_DELETED", "entity is deleted", [], index);
      table.delete(id);
      this.cascadeDelete(obj, id);
      return { id, created: false, errors: [] };
    }
    if (op === "upsert") {
      let existing: string | null = null;
      if (extField) {
        const f = obj.fields.get(extField.toLowerCase());
        if (!f || (!f.externalId && f.name !== "Id"))
          rowError(
            "INVALID_FIELD",
            `Invalid field for upsert, must be an External Id custom or standard indexed field: ${extField}`,
            [],
            index
          );
        if (f.name === "Id") existing = id;
        else {
          const v = r.fields.get(f.name.toLowerCase()) ?? null;
          if (v === null) rowError("MISSING_ARGUMENT", `${f.name} not specified`, [], index);
          const matches = [...table.values()].filter((x) => sameValue(x.get(f.name.toLowerCase()) ?? null, v, f));
          if (matches.length > 1)
            rowError("DUPLICATE_EXTERNAL_ID", `${f.name}: more than one record found for external id field`, [], index);
          existing = matches.length === 1 ? (matches[0].get("id") as string) : null;
        }
      } else existing = id;
      if (existing) {
        r.fields.set("id", existing);
        return this.dmlRow("update", r, null, index);
      }
      if (id) rowError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [], index);
      return this.dmlRow("insert", r, null, index);
    }
    if (op === "insert") {
      if (id) rowError("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"], index);
      const rec: StoredRecord = new Map();
      for (const f of obj.fields.values())
        if (f.defaultValue !== null && !f.systemField) rec.set(f.name.toLowerCase(), f.defaultValue as Value);
      this.copyFields(r, rec, index);
      const newId = this.nextId(obj.keyPrefix);
      rec.set("id", newId);
      this.stampNew(rec);
      this.derive(obj, rec);
      this.validate(obj, rec, null, index, table);
      table.set(newId, rec);
      return { id: newId, created: true, errors: [] };
    }
    // update
    if (!id) rowError("MISSING_ARGUMENT", "Id not specified in an update call", [], index);
    const old = table.get(id);
    if (!old) rowError("ENTITY_IS_DELETED", "entity is deleted", [], index);
    const rec = new Map(old);
    this.copyFields(r, rec, index);
    rec.set("lastmodifieddate", new ApexDatetime(Date.now()));
    rec.set("systemmodstamp", new ApexDatetime(Date.now()));
    this.derive(obj, rec);
    this.validate(obj, rec, old, index, table);
    table.set(id, rec);
    return { id, created: false, errors: [] };
  }

  private copyFields(r: SObjectValue, rec: StoredRecord, index: number) {
    for (const [k, v] of r.fields) {
      const f = r.type.fields.get(k);
      if (!f) continue; // relationship values are not saved
      if (f.systemField) continue;
      if (f.type === "reference" && typeof v === "string") {
        const target = this.findById(v);
        if (!target || !f.referenceTo.some((n) => n.toLowerCase() === target.obj.name.toLowerCase())) {
          rowError("FIELD_INTEGRITY_EXCEPTION", `${f.label}: id value of incorrect type: ${v}`, [f.name], index);
        }
      }
      rec.set(k, this.storedValue(f, v));
    }
  }

  /** Numbers are stored with the field's decimal places, as the database rounds them. */
  private storedValue(f: FieldDescribe, v: Value): Value {
    if (!(v instanceof ApexDecimal)) return v;
    const scale = f.scale ?? (!f.custom && (f.type === "currency" || f.type === "percent") ? 2 : null);
    if (scale === null) return v;
    return new ApexDecimal(v.d.toDecimalPlaces(scale, Dec.ROUND_HALF_UP), scale);
  }

  private stampNew(rec: StoredRecord) {
    const now = new ApexDatetime(Date.now());
    rec.set("createddate", now);
    rec.set("lastmodifieddate", now);
    rec.set("systemmodstamp", now);
    rec.set("createdbyid", USER_ID);
    rec.set("lastmodifiedbyid", USER_ID);
    rec.set("isdeleted", false);
  }

  /** Values the platform computes: names, Opportunity stage flags, line item lookups. */
  private derive(obj: SObjectDescribe, rec: StoredRecord) {
    const n = obj.name;
    if (obj.fields.has("ownerid") && !rec.get("ownerid")) rec.set("ownerid", currentUserId(this.runtime.transaction));
    if (n === "Case" && !rec.get("casenumber")) rec.set("casenumber", String(1000 + this.idCounter).padStart(8, "0"));
    if (n === "Case") rec.set("isclosed", rec.get("status") === "Closed");
    if (n === "Task") rec.set("isclosed", rec.get("status") === "Completed");
    if (n === "Contact" || n === "User" || n === "Lead") {
      const first = rec.get("firstname");
      rec.set("name", [first, rec.get("lastname")].filter((x) => x !== null && x !== undefined).join(" "));
    }
    if (n === "Opportunity") {
      const stage = String(rec.get("stagename") ?? "");
      rec.set("isclosed", stage.startsWith("Closed"));
      rec.set("iswon", stage === "Closed Won");
    }
    if ((n === "OpportunityLineItem" || n === "PricebookEntry") && !rec.get("product2id")) {
      const pbeId = rec.get("pricebookentryid");
      const pbe = typeof pbeId === "string" ? this.findById(pbeId) : null;
      if (pbe) rec.set("product2id", pbe.rec.get("product2id") ?? null);
    }
    if (n === "OpportunityLineItem" || n === "PricebookEntry") {
      const prodId = rec.get("product2id");
      const prod = typeof prodId === "string" ? this.findById(prodId) : null;
      if (prod) {
        rec.set("name", prod.rec.get("name") ?? null);
        rec.set("productcode", prod.rec.get("productcode") ?? null);
      }
    }
  }

  private validate(
    obj: SObjectDescribe,
    rec: StoredRecord,
    old: StoredRecord | null,
    index: number,
    table: Map<string, StoredRecord>
  ) {
    const missing: string[] = [];
    for (const f of obj.fields.values()) {
      if (!f.required) continue;
      const v = rec.get(f.name.toLowerCase());
      if (v === undefined || v === null || v === "") missing.push(f.name);
    }
    if (obj.name === "OpportunityLineItem" && !rec.get("pricebookentryid") && !rec.get("product2id"))
      missing.push("PricebookEntryId");
    if (missing.length)
      rowError("REQUIRED_FIELD_MISSING", `Required fields are missing: [${missing.join(", ")}]`, missing, index);
    for (const f of obj.fields.values()) {
      const k = f.name.toLowerCase();
      const v = rec.get(k);
      if (v === undefined || v === null) continue;
      if (
        f.type === "picklist" &&
        f.restrictedPicklist &&
        typeof v === "string" &&
        v !== "" &&
        !f.picklistValues.includes(v)
      ) {
        rowError(
          "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
          `${f.label}: bad value for restricted picklist field: ${v}`,
          [f.name],
          index
        );
      }
      if (f.type === "email" && typeof v === "string" && v !== "" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) {
        rowError("INVALID_EMAIL_ADDRESS", `${f.label}: invalid email address: ${v}`, [f.name], index);
      }
      if (typeof v === "string" && f.length !== null && v.length > f.length && f.type !== "picklist") {
        rowError(
          "STRING_TOO_LONG",
          `${f.label}: data value too large: ${v.slice(0, 40)} (max length=${f.length})`,
          [f.name],
          index
        );
      }
      if (f.unique && v !== "") {
        for (const other of table.values()) {
          if (other.get("id") === rec.get("id")) continue;
          if (sameValue(other.get(k) ?? null, v, f)) {
            rowError(
              "DUPLICATE_VALUE",
              `duplicate value found: ${f.name} duplicates value on record with id: ${String(other.get("id"))}`,
              [f.name],
              index
            );
          }
        }
      }
    }
    for (const rule of this.validationRules.get(obj.name.toLowerCase()) ?? []) {
      if (evaluateRule(this.runtime, rule, obj, rec, old)) {
        rowError(
          "FIELD_CUSTOM_VALIDATION_EXCEPTION",
          rule.errorMessage,
          rule.errorDisplayField ? [rule.errorDisplayField] : [],
          index
        );
      }
    }
  }

  private cascadeDelete(obj: SObjectDescribe, id: string) {
    for (const [, rel] of obj.childRelationships) {
      const child = this.schema.get(rel.childObject)!;
      const f = child.fields.get(rel.field.toLowerCase())!;
      // Master-detail children go with their parent, and so do the standard children the
      // platform deletes along (an Account's contacts, opportunities, cases and tasks).
      const cascade = (f.required && f.custom) || CASCADES.has(`${child.name}.${f.name}`);
      if (!cascade) continue;
      const t = this.table(child);
      for (const [cid, r] of [...t])
        if (r.get(rel.field.toLowerCase()) === id) {
          t.delete(cid);
          this.cascadeDelete(child, cid);
        }
    }
  }

  // ---- custom settings ----

  settingRecord(obj: SObjectDescribe, ownerId: string | null, name: string | null): SObjectValue | null {
    const t = this.table(obj);
    for (const r of t.values()) {
      if (ownerId !== null && r.get("setupownerid") === ownerId) return this.toValue(obj, r);
      if (name !== null && r.get("name") === name) return this.toValue(obj, r);
    }
    return null;
  }

  orgId() {
    return ORG_ID;
  }
}

const CASCADES = new Set([
  "Contact.AccountId",
  "Opportunity.AccountId",
  "Case.AccountId",
  "Task.WhatId",
  "Task.WhoId",
  "OpportunityLineItem.OpportunityId",
  "PricebookEntry.Product2Id",
  "PricebookEntry.Pricebook2Id"
]);

class RowError extends Error {
  constructor(readonly err: DmlError) {
    super(err.message);
  }
}

function rowError(statusCode: string, message: string, fields: string[], index: number): never {
  throw new RowError({ statusCode, message, fields, index });
}

function sameValue(a: Value, b: Value, f: FieldDescribe): boolean {
  if (a === null || b === null) return false;
  if (typeof a === "string" && typeof b === "string") {
    // Unique text fields are case-insensitive unless marked case-sensitive in metadata.
    return f.type === "id" || f.type === "reference" || f.caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
  }
  return String(a) === String(b);
}
