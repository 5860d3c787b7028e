// Records as Apex sees them: field access on SObjects, DML with the platform's checks and
// errors, the seeded org, custom settings, describe tokens and the entry point for SOQL.
import type { Loc, SoqlQuery, Expr } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import { coerce, fieldType, runtimeTypeName } from "../runtime/conversion.js";
import { relationshipField, type FieldDescribe, type SObjectDescribe } from "../runtime/describe.js";
import { ApexThrow, newException, throwApex, unsupported } from "../runtime/errors.js";
import { countLimit } from "../runtime/governor.js";
import { ApexDatetime, ApexDecimal, ApexList, Dec, NativeObject, SObjectValue, type Value } from "../runtime/values.js";
import { AUTOMATED_PROCESS_USER_ID, ORG_ID, PROFILE_ID, USER_ID, currentUserId } from "./fixed-ids.js";
import type { Schema } from "./schema.js";
import { runQuery } from "./soql.js";
import { RecordStore, type StoredRecord } from "./store.js";
import { STANDARD_OPPORTUNITY_STAGES } from "./standard-objects.js";
import { DescribeTokens } from "./tokens.js";
import { failedRules, type ValidationRule } from "./validation-rules.js";

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

/** A row of a save as record-triggered automation sees it: its new values (which before-save
 * automation may change) and, for updates and deletes, the values before. */
export interface SaveRow {
  index: number;
  stored: StoredRecord;
  old: StoredRecord | null;
}

/** Automation around a save; each returns the rows it failed, by index in the DML list. */
export interface RecordSaveHooks {
  beforeSave(object: SObjectDescribe, operation: "insert" | "update", rows: SaveRow[]): Map<number, DmlError>;
  afterSave(object: SObjectDescribe, operation: "insert" | "update", rows: SaveRow[]): Map<number, DmlError>;
  beforeDelete(object: SObjectDescribe, rows: SaveRow[]): Map<number, DmlError>;
  /** After the rows are deleted (after delete triggers); optional. */
  afterDelete?(object: SObjectDescribe, rows: SaveRow[]): Map<number, DmlError>;
}

/** How many jobs were queued at a point of the transaction (see DataEngine.queuedWork). */
export interface QueuedWorkMark {
  async: number;
  test: number;
  /** Emails and notifications sent so far (see Transaction.outgoing). */
  outgoing: number;
}

interface PreparedRow {
  index: number;
  kind: "insert" | "update" | "delete";
  object: SObjectDescribe;
  stored: StoredRecord;
  old: StoredRecord | null;
  id: string | null;
}

export class DataEngine extends RecordStore {
  private stdPricebookId: string | null = null;
  readonly validationRules = new Map<string, ValidationRule[]>();
  private readonly tokens = new DescribeTokens();
  /** Record-triggered automation (flows) run around saves when set. */
  saveHooks: RecordSaveHooks | null = null;

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
      const record: StoredRecord = new Map<string, Value>([["id", id]]);
      for (const [key, value] of Object.entries(fields)) record.set(key.toLowerCase(), value);
      this.stampNew(record);
      this.table(obj).set(id, record);
    };
    put("Organization", ORG_ID, { Name: "Local Org", IsSandbox: true });
    put("Profile", PROFILE_ID, { Name: "System Administrator" });
    put("Profile", this.nextId("00e"), { Name: "Standard User" });
    STANDARD_OPPORTUNITY_STAGES.forEach(([name, probability, closed, won, forecast], index) =>
      put("OpportunityStage", this.nextId("01J"), {
        ApiName: name,
        MasterLabel: name,
        IsActive: true,
        IsClosed: closed,
        IsWon: won,
        DefaultProbability: ApexDecimal.parse(String(probability)),
        ForecastCategoryName: forecast,
        SortOrder: index + 1
      })
    );
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

  /** The Automated Process user platform event triggers run as, created when first needed. */
  automatedProcessUserId(): string {
    const users = this.table(this.schema.get("User")!);
    if (!users.has(AUTOMATED_PROCESS_USER_ID)) {
      const record: StoredRecord = new Map<string, Value>([["id", AUTOMATED_PROCESS_USER_ID]]);
      for (const [key, value] of Object.entries({
        username: "autoproc@local-org.test",
        lastname: "Process",
        firstname: "Automated",
        name: "Automated Process",
        alias: "autoproc",
        email: "autoproc@local-org.test",
        timezonesidkey: "GMT",
        localesidkey: "en_US",
        emailencodingkey: "UTF-8",
        languagelocalekey: "en_US",
        profileid: PROFILE_ID,
        isactive: true
      }))
        record.set(key, value);
      this.stampNew(record);
      users.set(AUTOMATED_PROCESS_USER_ID, record);
    }
    return AUTOMATED_PROCESS_USER_ID;
  }

  standardPricebookId(): string {
    if (this.stdPricebookId) return this.stdPricebookId;
    const pb = this.schema.get("Pricebook2")!;
    const id = this.nextId(pb.keyPrefix);
    const record: StoredRecord = new Map<string, Value>([
      ["id", id],
      ["name", "Standard Price Book"],
      ["isactive", true],
      ["isstandard", true]
    ]);
    this.stampNew(record);
    this.table(pb).set(id, record);
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
    const field = obj.fields.get(key);
    return field ? this.tokens.fieldToken(obj, field) : null;
  }

  private notQueried(record: SObjectValue, name: string): never {
    throwApex(
      this.runtime,
      "SObjectException",
      `SObject row was retrieved via SOQL without querying the requested field: ${record.type.name}.${name}`
    );
  }

  getField(record: SObjectValue, name: string, loc: Loc): Value {
    const key = name.toLowerCase();
    const field = record.type.fields.get(key);
    if (field) {
      if (record.readable && !record.readable.has(key) && !record.fields.has(key)) this.notQueried(record, field.name);
      return record.fields.get(key) ?? null;
    }
    const lookup = relationshipField(record.type, key);
    const child = record.type.childRelationships.get(key);
    if (lookup || child) {
      if (record.readable && !record.readable.has(key) && !record.fields.has(key))
        this.notQueried(record, lookup?.relationshipName ?? child!.name);
      return record.fields.get(key) ?? null;
    }
    unsupported(this.runtime, `field ${name} on ${record.type.name} (not in the object metadata)`, loc);
  }

  setField(record: SObjectValue, name: string, value: Value, loc: Loc): Value {
    if (record.frozen) throwApex(this.runtime, "FinalException", "Record is read-only");
    const key = name.toLowerCase();
    const field = record.type.fields.get(key);
    if (field) {
      if ((field.systemField || field.formula !== null) && key !== "id") {
        throwApex(this.runtime, "SObjectException", `Field ${field.name} is not editable`);
      }
      const converted = coerce(this.runtime, value, fieldType(field));
      record.fields.set(key, converted);
      record.readable?.add(key);
      return converted;
    }
    const lookup = relationshipField(record.type, key);
    if (lookup) {
      if (value !== null && !(value instanceof SObjectValue))
        coerce(this.runtime, value, { kind: "sobject", obj: null });
      record.fields.set(key, value);
      record.readable?.add(key);
      return value;
    }
    unsupported(this.runtime, `field ${name} on ${record.type.name} (not in the object metadata)`, loc);
  }

  cloneRecord(record: SObjectValue, preserveId: boolean): SObjectValue {
    const c = new SObjectValue(record.type);
    for (const [key, value] of record.fields) {
      if (!preserveId && key === "id") continue;
      c.fields.set(key, value instanceof SObjectValue ? this.cloneRecord(value, true) : value);
    }
    c.readable = record.readable ? new Set(record.readable) : null;
    return c;
  }

  // ---- SOQL ----

  query(query: SoqlQuery, bind: (expression: Expr) => Value, loc: Loc): Value {
    return runQuery(this, this.runtime, query, bind, loc);
  }

  // ---- DML ----

  private records(value: Value, loc: Loc): SObjectValue[] {
    if (value === null) throwApex(this.runtime, "DmlException", "Argument cannot be null");
    if (value instanceof SObjectValue) return [value];
    if (value instanceof ApexList) {
      return value.items.map((item) => {
        if (!(item instanceof SObjectValue)) throwApex(this.runtime, "DmlException", "Argument cannot be null");
        return item;
      });
    }
    unsupported(this.runtime, `DML on ${runtimeTypeName(value)}`, loc);
  }

  /** A DML statement: all or none, throwing DmlException on the first failure. */
  dmlStatement(operation: DmlOp, value: Value, extField: string | null, loc: Loc) {
    const recs = this.records(value, loc);
    const results = this.dml(operation, recs, extField, true, loc);
    const failed = results.findIndex((result) => result.errors.length > 0);
    if (failed >= 0) this.throwDml(operation, results, failed);
  }

  throwDml(operation: DmlOp, results: DmlRowResult[], failed: number): never {
    const first = results[failed].errors[0];
    const verb = {
      insert: "Insert",
      update: "Update",
      upsert: "Upsert",
      delete: "Delete",
      undelete: "Undelete",
      merge: "Merge"
    }[operation];
    const fields = first.fields.length ? `: [${first.fields.join(", ")}]` : ": []";
    const exception = newException(
      this.runtime,
      this.runtime.systemTypes.exception("DmlException"),
      `${verb} failed. First exception on row ${failed}; first error: ${first.statusCode}, ${first.message}${fields}`
    );
    exception.ex!.dmlErrors = results.flatMap((result, i) =>
      result.errors.slice(0, 1).map((error) => ({ ...error, index: i }))
    );
    throw new ApexThrow(exception);
  }

  /** Runs DML on records. With allOrNone, nothing is saved when any row fails. */
  dml(operation: DmlOp, recs: SObjectValue[], extField: string | null, allOrNone: boolean, loc: Loc): DmlRowResult[] {
    if (operation === "undelete" || operation === "merge") unsupported(this.runtime, operation, loc);
    const readOnly = recs.find((record) => record.type.readOnly);
    if (readOnly) {
      const verb = operation[0].toUpperCase() + operation.slice(1);
      throwApex(this.runtime, "TypeException", `DML operation ${verb} not allowed on ${readOnly.type.name}`);
    }
    if ((operation === "insert" || operation === "upsert") && new Set(recs).size !== recs.length)
      throwApex(
        this.runtime,
        "ListException",
        "Before Insert or Upsert list must not have two identically equal elements"
      );
    if (operation !== "insert") {
      const seen = new Set<string>();
      for (const record of recs) {
        const id = record.fields.get("id");
        if (typeof id !== "string") continue;
        if (seen.has(id)) throwApex(this.runtime, "ListException", `Duplicate id in list: ${id}`);
        seen.add(id);
      }
    }
    countLimit(this.runtime, "dmlStatements");
    countLimit(this.runtime, "dmlRows", recs.length);
    const before = this.snapshot();
    const counter = this.idCounter;
    const queued = this.queuedWork();
    // With partial success, rows that record-triggered automation failed are left out and the
    // others saved again (up to three times), as the platform retries a bulk save.
    let attempt = this.attemptSave(operation, recs, extField, new Map());
    for (let retry = 0; !allOrNone && retry < 3 && attempt.automationFailed; retry++) {
      this.restore(before, counter);
      this.dropQueuedWork(queued);
      attempt = this.attemptSave(operation, recs, extField, attempt.failures);
    }
    const results: DmlRowResult[] = recs.map((record, i) => {
      const errors = attempt.failures.get(i);
      if (errors)
        return {
          id: null,
          created: false,
          errors: errors.map((error) => ({ ...error, index: i, object: record.type.name }))
        };
      return attempt.saved.get(i)!;
    });
    if (attempt.failures.size > 0 && allOrNone) {
      this.restore(before, counter);
      this.dropQueuedWork(queued);
      return results;
    }
    for (const [i, result] of attempt.saved) {
      if (!result.created || !result.id) continue;
      recs[i].fields.set("id", result.id);
      recs[i].readable?.add("id");
    }
    this.runtime.transaction.uncommittedDml = true;
    return results;
  }

  /** One pass over the rows: prepare, before-save automation, save, after-save automation. */
  private attemptSave(
    operation: DmlOp,
    recs: SObjectValue[],
    extField: string | null,
    earlierFailures: Map<number, DmlError[]>
  ): { saved: Map<number, DmlRowResult>; failures: Map<number, DmlError[]>; automationFailed: boolean } {
    const failures = new Map(earlierFailures);
    const saved = new Map<number, DmlRowResult>();
    const prepared: PreparedRow[] = [];
    for (let i = 0; i < recs.length; i++) {
      if (failures.has(i)) continue;
      try {
        prepared.push(this.prepareRow(operation, recs[i], extField, i));
      } catch (error) {
        if (error instanceof RowError) failures.set(i, error.errors);
        else throw error;
      }
    }
    let automationFailed = false;
    const runHooks = (phase: "before" | "after", rows: PreparedRow[]) => {
      const hooks = this.saveHooks;
      if (!hooks) return;
      // Rows of one object and operation run together, in the order their first row appears.
      const groups = new Map<string, PreparedRow[]>();
      for (const row of rows) {
        const key = `${row.object.name}:${row.kind}`;
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      for (const group of groups.values()) {
        const { object, kind } = group[0];
        const saveRows = group.map((row) => ({ index: row.index, stored: row.stored, old: row.old }));
        const errors =
          kind === "delete"
            ? phase === "before"
              ? hooks.beforeDelete(object, saveRows)
              : (hooks.afterDelete?.(object, saveRows) ?? new Map<number, DmlError>())
            : phase === "before"
              ? hooks.beforeSave(object, kind, saveRows)
              : hooks.afterSave(object, kind, saveRows);
        for (const [index, error] of errors) {
          failures.set(index, [error]);
          if (phase === "after") automationFailed = true;
        }
      }
    };
    runHooks("before", prepared);
    const stored: PreparedRow[] = [];
    for (const row of prepared) {
      if (failures.has(row.index)) continue;
      try {
        saved.set(row.index, this.saveRow(row));
        stored.push(row);
      } catch (error) {
        if (error instanceof RowError) failures.set(row.index, error.errors);
        else throw error;
      }
    }
    runHooks("after", stored);
    for (const index of failures.keys()) saved.delete(index);
    return { saved, failures, automationFailed };
  }

  /** Jobs queued so far, so that a failed DML statement can drop those its automation queued. */
  queuedWork(): QueuedWorkMark {
    const transaction = this.runtime.transaction;
    return {
      async: transaction.asyncQueue.length,
      test: transaction.test?.queued.length ?? 0,
      outgoing: transaction.outgoing.length
    };
  }

  /** Drops the jobs queued after `mark`. */
  dropQueuedWork(mark: QueuedWorkMark) {
    const transaction = this.runtime.transaction;
    transaction.asyncQueue.length = Math.min(transaction.asyncQueue.length, mark.async);
    if (transaction.test) transaction.test.queued.length = Math.min(transaction.test.queued.length, mark.test);
    transaction.outgoing.length = Math.min(transaction.outgoing.length, mark.outgoing);
  }

  /** Resolves what a row does (upsert becomes insert or update) and builds its new field values. */
  private prepareRow(operation: DmlOp, record: SObjectValue, extField: string | null, index: number): PreparedRow {
    const obj = record.type;
    const table = this.table(obj);
    const idVal = record.fields.get("id");
    const id = typeof idVal === "string" ? idVal : null;
    if (operation === "delete") {
      if (!id) rowError("MISSING_ARGUMENT", "Id not specified in a delete request", [], index);
      const existing = table.get(id);
      if (!existing) rowError("ENTITY_IS_DELETED", "entity is deleted", [], index);
      return { index, kind: "delete", object: obj, stored: existing, old: existing, id };
    }
    if (operation === "upsert") {
      let existing: string | null = null;
      if (extField) {
        const field = obj.fields.get(extField.toLowerCase());
        if (!field || (!field.externalId && field.name !== "Id"))
          rowError(
            "INVALID_FIELD",
            `Invalid field for upsert, must be an External Id custom or standard indexed field: ${extField}`,
            [],
            index
          );
        if (field.name === "Id") existing = id;
        else {
          const v = record.fields.get(field.name.toLowerCase()) ?? null;
          if (v === null) rowError("MISSING_ARGUMENT", `${field.name} not specified`, [], index);
          const matches = [...table.values()].filter((x) =>
            sameValue(x.get(field.name.toLowerCase()) ?? null, v, field)
          );
          if (matches.length > 1)
            rowError(
              "DUPLICATE_EXTERNAL_ID",
              `${field.name}: more than one record found for external id field`,
              [],
              index
            );
          existing = matches.length === 1 ? (matches[0].get("id") as string) : null;
        }
      } else existing = id;
      if (existing) {
        record.fields.set("id", existing);
        return this.prepareRow("update", record, null, index);
      }
      if (id) rowError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [], index);
      return this.prepareRow("insert", record, null, index);
    }
    if (operation === "insert") {
      if (id) rowError("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"], index);
      const rec: StoredRecord = new Map();
      for (const field of obj.fields.values())
        if (field.defaultValue !== null && !field.systemField)
          rec.set(field.name.toLowerCase(), field.defaultValue as Value);
      this.copyFields(record, rec, index);
      return { index, kind: "insert", object: obj, stored: rec, old: null, id: null };
    }
    // update
    if (!id) rowError("MISSING_ARGUMENT", "Id not specified in an update call", [], index);
    const old = table.get(id);
    if (!old) rowError("ENTITY_IS_DELETED", "entity is deleted", [], index);
    const rec = new Map(old);
    this.copyFields(record, rec, index);
    return { index, kind: "update", object: obj, stored: rec, old, id };
  }

  /** Validates and stores a prepared row (or deletes it). */
  private saveRow(row: PreparedRow): DmlRowResult {
    const { object: obj, stored: rec, index } = row;
    const table = this.table(obj);
    if (row.kind === "delete") {
      table.delete(row.id!);
      this.cascadeDelete(obj, row.id!);
      return { id: row.id, created: false, errors: [] };
    }
    if (row.kind === "insert") {
      const newId = this.nextId(obj.keyPrefix);
      rec.set("id", newId);
      this.stampNew(rec);
      this.derive(obj, rec);
      this.validate(obj, rec, null, index, table);
      table.set(newId, rec);
      this.trackHistory(obj, rec, null);
      return { id: newId, created: true, errors: [] };
    }
    rec.set("lastmodifieddate", new ApexDatetime(this.runtime.clock.now()));
    rec.set("systemmodstamp", new ApexDatetime(this.runtime.clock.now()));
    this.derive(obj, rec);
    this.validate(obj, rec, row.old, index, table);
    table.set(row.id!, rec);
    this.trackHistory(obj, rec, row.old);
    return { id: row.id, created: false, errors: [] };
  }

  /** The platform's stage history: an OpportunityHistory row for an opportunity created, or saved
   * with a new stage, amount, probability or close date. */
  private trackHistory(obj: SObjectDescribe, rec: StoredRecord, old: StoredRecord | null) {
    if (obj.name !== "Opportunity") return;
    const tracked = ["stagename", "amount", "probability", "closedate"];
    if (old && tracked.every((key) => String(rec.get(key) ?? null) === String(old.get(key) ?? null))) return;
    const history = this.schema.get("OpportunityHistory")!;
    const id = this.insertSystemRecord(history, {
      OpportunityId: rec.get("id") as string,
      StageName: rec.get("stagename") ?? null,
      Amount: rec.get("amount") ?? null,
      CloseDate: rec.get("closedate") ?? null,
      Probability: rec.get("probability") ?? null
    });
    this.table(history).get(id)!.set("createdbyid", currentUserId(this.runtime.transaction));
  }

  private copyFields(record: SObjectValue, rec: StoredRecord, index: number) {
    for (const [key, value] of record.fields) {
      const field = record.type.fields.get(key);
      if (!field) continue; // relationship values are not saved
      if (field.systemField || field.formula !== null) continue;
      if (field.type === "reference" && typeof value === "string") {
        const target = this.findById(value);
        if (!target || !field.referenceTo.some((name) => name.toLowerCase() === target.obj.name.toLowerCase())) {
          rowError(
            "FIELD_INTEGRITY_EXCEPTION",
            `${field.label}: id value of incorrect type: ${value}`,
            [field.name],
            index
          );
        }
      }
      rec.set(key, this.storedValue(field, value));
    }
  }

  /** Numbers are stored with the field's decimal places, as the database rounds them; empty text is stored as null. */
  private storedValue(field: FieldDescribe, value: Value): Value {
    if (value === "") return null;
    if (!(value instanceof ApexDecimal)) return value;
    const scale = field.scale ?? (!field.custom && (field.type === "currency" || field.type === "percent") ? 2 : null);
    if (scale === null) return value;
    return new ApexDecimal(value.d.toDecimalPlaces(scale, Dec.ROUND_HALF_UP), scale);
  }

  private stampNew(record: StoredRecord) {
    const now = new ApexDatetime(this.runtime.clock.now());
    record.set("createddate", now);
    record.set("lastmodifieddate", now);
    record.set("systemmodstamp", now);
    record.set("createdbyid", USER_ID);
    record.set("lastmodifiedbyid", USER_ID);
    record.set("isdeleted", false);
  }

  /** Values the platform computes: names, Opportunity stage flags, line item lookups. */
  private derive(obj: SObjectDescribe, record: StoredRecord) {
    const name = obj.name;
    if (obj.fields.has("ownerid") && !record.get("ownerid"))
      record.set("ownerid", currentUserId(this.runtime.transaction));
    if (name === "Case" && !record.get("casenumber"))
      record.set("casenumber", String(1000 + this.idCounter).padStart(8, "0"));
    if (name === "Case") record.set("isclosed", record.get("status") === "Closed");
    if (name === "Task") record.set("isclosed", record.get("status") === "Completed");
    if (name === "Contact" || name === "User" || name === "Lead") {
      const first = record.get("firstname");
      record.set("name", [first, record.get("lastname")].filter((x) => x !== null && x !== undefined).join(" "));
    }
    if (name === "Opportunity") {
      const stage = String(record.get("stagename") ?? "");
      record.set("isclosed", stage.startsWith("Closed"));
      record.set("iswon", stage === "Closed Won");
    }
    if ((name === "OpportunityLineItem" || name === "PricebookEntry") && !record.get("product2id")) {
      const pbeId = record.get("pricebookentryid");
      const pbe = typeof pbeId === "string" ? this.findById(pbeId) : null;
      if (pbe) record.set("product2id", pbe.rec.get("product2id") ?? null);
    }
    if (name === "OpportunityLineItem" || name === "PricebookEntry") {
      const prodId = record.get("product2id");
      const prod = typeof prodId === "string" ? this.findById(prodId) : null;
      if (prod) {
        record.set("name", prod.rec.get("name") ?? null);
        record.set("productcode", prod.rec.get("productcode") ?? null);
      }
    }
  }

  private validate(
    obj: SObjectDescribe,
    record: StoredRecord,
    old: StoredRecord | null,
    index: number,
    table: Map<string, StoredRecord>
  ) {
    const missing: string[] = [];
    for (const field of obj.fields.values()) {
      if (!field.required) continue;
      const value = record.get(field.name.toLowerCase());
      if (value === undefined || value === null || value === "") missing.push(field.name);
    }
    if (obj.name === "OpportunityLineItem" && !record.get("pricebookentryid") && !record.get("product2id"))
      missing.push("PricebookEntryId");
    if (missing.length)
      rowError("REQUIRED_FIELD_MISSING", `Required fields are missing: [${missing.join(", ")}]`, missing, index);
    for (const field of obj.fields.values()) {
      const key = field.name.toLowerCase();
      const value = record.get(key);
      if (value === undefined || value === null) continue;
      if (
        field.type === "picklist" &&
        field.restrictedPicklist &&
        typeof value === "string" &&
        value !== "" &&
        !field.picklistValues.includes(value)
      ) {
        rowError(
          "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
          `${field.label}: bad value for restricted picklist field: ${value}`,
          [field.name],
          index
        );
      }
      if (
        field.type === "email" &&
        typeof value === "string" &&
        value !== "" &&
        !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)
      ) {
        rowError("INVALID_EMAIL_ADDRESS", `${field.label}: invalid email address: ${value}`, [field.name], index);
      }
      if (
        typeof value === "string" &&
        field.length !== null &&
        value.length > field.length &&
        field.type !== "picklist"
      ) {
        rowError(
          "STRING_TOO_LONG",
          `${field.label}: data value too large: ${value.slice(0, 40)} (max length=${field.length})`,
          [field.name],
          index
        );
      }
      if (field.unique && value !== "") {
        for (const other of table.values()) {
          if (other.get("id") === record.get("id")) continue;
          if (sameValue(other.get(key) ?? null, value, field)) {
            rowError(
              "DUPLICATE_VALUE",
              `duplicate value found: ${field.name} duplicates value on record with id: ${String(other.get("id"))}`,
              [field.name],
              index
            );
          }
        }
      }
    }
    // Custom validation rules run after the platform's own checks; every rule that fails is reported.
    const rules = this.validationRules.get(obj.name.toLowerCase()) ?? [];
    const failures = rules.length > 0 ? failedRules(this, this.runtime, rules, obj, record, old) : [];
    if (failures.length > 0) throw new RowError(failures.map((failure) => ({ ...failure, index })));
  }

  private cascadeDelete(obj: SObjectDescribe, id: string) {
    for (const [, rel] of obj.childRelationships) {
      const child = this.schema.get(rel.childObject)!;
      const field = child.fields.get(rel.field.toLowerCase())!;
      // Master-detail children go with their parent, and so do the standard children the
      // platform deletes along (an Account's contacts, opportunities, cases and tasks).
      const cascade = (field.required && field.custom) || CASCADES.has(`${child.name}.${field.name}`);
      if (!cascade) continue;
      const t = this.table(child);
      for (const [cid, record] of [...t])
        if (record.get(rel.field.toLowerCase()) === id) {
          t.delete(cid);
          this.cascadeDelete(child, cid);
        }
    }
  }

  // ---- records the platform keeps ----

  /** Adds a record the platform itself creates (a CronTrigger), with a new id and timestamps; no DML runs. */
  insertSystemRecord(obj: SObjectDescribe, fields: Record<string, Value>): string {
    const id = this.nextId(obj.keyPrefix);
    const record: StoredRecord = new Map<string, Value>([["id", id]]);
    for (const [key, value] of Object.entries(fields)) record.set(key.toLowerCase(), value);
    this.stampNew(record);
    this.table(obj).set(id, record);
    return id;
  }

  /** Changes fields of a record the platform keeps; no DML runs. */
  updateSystemRecord(id: string, fields: Record<string, Value>) {
    const found = this.findById(id);
    if (!found) return;
    const record = new Map(found.rec);
    for (const [key, value] of Object.entries(fields)) record.set(key.toLowerCase(), value);
    record.set("lastmodifieddate", new ApexDatetime(this.runtime.clock.now()));
    record.set("systemmodstamp", new ApexDatetime(this.runtime.clock.now()));
    this.table(found.obj).set(id, record);
  }

  // ---- custom settings ----

  settingRecord(obj: SObjectDescribe, ownerId: string | null, name: string | null): SObjectValue | null {
    const t = this.table(obj);
    for (const record of t.values()) {
      if (ownerId !== null && record.get("setupownerid") === ownerId) return this.toValue(obj, record);
      if (name !== null && record.get("name") === name) return this.toValue(obj, record);
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

/** The errors that fail one row of a DML statement. */
class RowError extends Error {
  constructor(readonly errors: DmlError[]) {
    super(errors[0].message);
  }
}

function rowError(statusCode: string, message: string, fields: string[], index: number): never {
  throw new RowError([{ statusCode, message, fields, index }]);
}

function sameValue(a: Value, b: Value, field: FieldDescribe): boolean {
  if (a === null || b === null) return false;
  if (typeof a === "string" && typeof b === "string") {
    // Unique text fields are case-insensitive unless marked case-sensitive in metadata.
    return field.type === "id" || field.type === "reference" || field.caseSensitive
      ? a === b
      : a.toLowerCase() === b.toLowerCase();
  }
  return String(a) === String(b);
}
