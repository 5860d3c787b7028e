// The in-memory org database: records by object and id, new ids, and the snapshots that
// savepoints, test methods and failed transactions roll back to.
import type { SObjectDescribe } from "../runtime/describe.js";
import { makeId } from "../runtime/ids.js";
import { SObjectValue, type Value } from "../runtime/values.js";
import type { Schema } from "./schema.js";

/** A saved record: field values by lower-case API name. */
export type StoredRecord = Map<string, Value>;

export type StoreSnapshot = Map<string, Map<string, StoredRecord>>;

export class RecordStore {
  /** Records by lower-case object name, then by 18-character id. */
  tables = new Map<string, Map<string, StoredRecord>>();
  private counter = 0;

  constructor(readonly schema: Schema) {}

  nextId(prefix: string): string {
    return makeId(prefix, ++this.counter);
  }

  get idCounter() {
    return this.counter;
  }

  table(obj: SObjectDescribe): Map<string, StoredRecord> {
    const key = obj.name.toLowerCase();
    let table = this.tables.get(key);
    if (!table) this.tables.set(key, (table = new Map()));
    return table;
  }

  findById(id: string): { obj: SObjectDescribe; rec: StoredRecord } | null {
    const obj = this.schema.byPrefix(id.slice(0, 3));
    if (!obj) return null;
    const rec = this.tables.get(obj.name.toLowerCase())?.get(id);
    return rec ? { obj, rec } : null;
  }

  snapshot(): StoreSnapshot {
    const copy: StoreSnapshot = new Map();
    for (const [name, table] of this.tables) {
      const tableCopy = new Map<string, StoredRecord>();
      for (const [id, record] of table) tableCopy.set(id, new Map(record));
      copy.set(name, tableCopy);
    }
    return copy;
  }

  restore(snapshot: StoreSnapshot, counter?: number) {
    this.tables = new Map();
    for (const [name, table] of snapshot) {
      const tableCopy = new Map<string, StoredRecord>();
      for (const [id, record] of table) tableCopy.set(id, new Map(record));
      this.tables.set(name, tableCopy);
    }
    if (counter !== undefined) this.counter = counter;
  }

  /** A saved record as an SObject value with every field readable. */
  toValue(obj: SObjectDescribe, record: StoredRecord): SObjectValue {
    const value = new SObjectValue(obj);
    for (const [name, fieldValue] of record) value.fields.set(name, fieldValue);
    return value;
  }
}
