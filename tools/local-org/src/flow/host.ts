// The narrow interface through which the flow engine reaches the rest of the org: records
// (query, insert, update, delete, describe), invocable Apex actions, the clock and the running
// user, and transaction boundaries. The local org implements it in one adapter; flow code
// depends only on this and the run-time value classes.
import type { ApexList, SObjectValue, Value } from "../runtime/values.js";
import type { FlowDataType } from "./model.js";

export interface FieldDescription {
  name: string;
  /** The platform's field type as describes name it: string, textarea, picklist, multipicklist,
   * boolean, int, double, currency, percent, date, datetime, reference, id, url, email, phone. */
  type: string;
  relationshipName: string | null;
  referenceTo: string[];
  /** False for system fields and formula fields. */
  writable: boolean;
  scale: number | null;
}

export interface ObjectDescription {
  name: string;
  /** Fields by lower-case API name. */
  fields: Map<string, FieldDescription>;
}

export type QueryOperator = "=" | "!=" | "<" | ">" | "<=" | ">=" | "like" | "in" | "not in";

export type QueryCondition =
  | { kind: "and"; items: QueryCondition[] }
  | { kind: "or"; items: QueryCondition[] }
  | { kind: "not"; item: QueryCondition }
  | { kind: "compare"; field: string; operator: QueryOperator; value: Value | Value[] };

export interface RecordQuery {
  object: string;
  condition: QueryCondition | null;
  /** Field API names to read (Id always comes along), or every field of the object. */
  fields: string[] | "all";
  orderBy: { field: string; descending: boolean } | null;
  limit: number | null;
  /** Read by the flow runtime itself (an asynchronous path reloading $Record), not by an element:
   * not counted against the query limits. */
  internal?: boolean;
}

export interface DmlError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** An Apex type as an invocable method declares it. */
export type ApexType =
  | { kind: "primitive"; name: string }
  | { kind: "list"; element: ApexType }
  | { kind: "sobject"; object: string | null }
  | { kind: "class"; name: string }
  | { kind: "other"; name: string };

export interface ApexParameter {
  name: string;
  type: ApexType;
  required: boolean;
}

export interface ActionDescription {
  name: string;
  /** Request fields (@InvocableVariable) by lower-case name. */
  inputs: Map<string, ApexParameter>;
  /** Result fields by lower-case name. */
  outputs: Map<string, ApexParameter>;
}

export type ActionOutcome =
  | { kind: "results"; results: Map<string, Value>[] }
  /** The action threw: every interview of the call faults with this message. */
  | { kind: "fault"; message: string };

/** Work that runs in its own transaction: fresh limits, rolled back when it throws. */
export interface TransactionJob {
  description: string;
  run(): void;
  /** Called after a rollback caused by an Apex error (a limit, an uncaught exception). */
  failed(message: string): void;
}

export interface FlowHost {
  describeObject(name: string): ObjectDescription | null;
  newRecord(object: string): SObjectValue;
  /** A flow collection value: a list of this flow data type (and object, for records). */
  newCollection(dataType: FlowDataType, objectType: string | null, items: Value[]): ApexList;
  /** Runs the queries of one bulk Get Records as one SOQL statement against the limits. */
  queryRecords(queries: RecordQuery[]): SObjectValue[][];
  /** One DML statement over the records of several interviews. Each group is saved whole or not
   * at all: failed groups are left out and the others saved again, as the platform retries a bulk
   * save. Inserted records get their new ids. Returns each group's first error, or null. */
  saveRecords(operation: "insert" | "update" | "delete", groups: SObjectValue[][]): (DmlError | null)[];
  /** The @InvocableMethod of an Apex class, or null when the class has none. */
  describeApexAction(className: string): ActionDescription | null;
  /** Calls the invocable method once with one request per interview, values already of the
   * declared Apex types; the results come back in request order. */
  invokeApexAction(className: string, requests: Map<string, Value>[]): ActionOutcome;
  /** Epoch milliseconds on the org's clock. */
  now(): number;
  currentUser(): SObjectValue;
  organization(): SObjectValue;
  /** A custom label's value, or null. */
  label(name: string): string | null;
  /** Queues work to run after the current transaction commits; a rollback drops it. */
  enqueueAfterCommit(job: TransactionJob): void;
  /** Runs work now as its own transaction, outside any other. */
  runTransaction(job: TransactionJob): void;
  /** Runs synchronous record-triggered automation, where callouts are refused. */
  whileSavingRecords<T>(body: () => T): T;
  /** True for errors no fault path catches: governor limits, unsupported features. */
  isFatal(error: unknown): boolean;
  /** An Apex exception as the platform names it: `System.NullPointerException: message`. */
  describeError(error: unknown): string;
  /** True while an Apex test method runs. */
  inApexTest(): boolean;
}
