// The local org as the flow engine's host: records through the data engine and SOQL, invocable
// Apex through the interpreter, the org clock, the running user, and transactions. It also
// hooks record-triggered flows into every save. This is the one place where flow code meets the
// interpreter and the data engine.
import type { Loc, SoqlCond, SoqlQuery, Expr } from "./parse/ast.js";
import { coerce } from "./runtime/conversion.js";
import type { SObjectDescribe } from "./runtime/describe.js";
import { ApexThrow, CompileError, throwApex } from "./runtime/errors.js";
import { countLimit } from "./runtime/governor.js";
import { Limits } from "./runtime/limits.js";
import { str } from "./runtime/operators.js";
import type { AsyncJob } from "./runtime/transaction.js";
import { fieldDisplayName, prim } from "./runtime/types.js";
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexList,
  ApexObject,
  SObjectValue,
  type ClassInfo,
  type RType,
  type Value
} from "./runtime/values.js";
import type { DmlError as DataDmlError, QueuedWorkMark, SaveRow } from "./data/engine.js";
import { currentUserId, ORG_ID } from "./data/fixed-ids.js";
import { fieldValue } from "./data/formula-fields.js";
import type { StoreSnapshot, StoredRecord } from "./data/store.js";
import { installFlowInterview } from "./stdlib/flow-interview.js";
import type { Interpreter } from "./interpreter/interpreter.js";
import { FlowConfigurationError } from "./flow/errors.js";
import { FlowEngine } from "./flow/engine.js";
import type {
  ActionDescription,
  ActionOutcome,
  ApexParameter,
  ApexType,
  DmlError,
  FieldDescription,
  FlowHost,
  ObjectDescription,
  QueryCondition,
  RecordQuery,
  TransactionJob
} from "./flow/host.js";
import type { FlowDataType, FlowDefinition, FlowVariable } from "./flow/model.js";
import type { TriggerRow } from "./flow/triggers.js";

const FLOW_LOC: Loc = { file: "flow", line: 0 };

/** The platform stops saves that trigger each other deeper than this. */
const MAX_TRIGGER_DEPTH = 16;

function apexType(type: RType): ApexType {
  switch (type.kind) {
    case "prim":
      return { kind: "primitive", name: type.name };
    case "list":
      return { kind: "list", element: apexType(type.elem) };
    case "sobject":
      return { kind: "sobject", object: type.obj?.name ?? null };
    case "class":
      return { kind: "class", name: type.cls.name };
    default:
      return { kind: "other", name: type.kind === "native" ? type.name : type.kind };
  }
}

/** What one transaction used against its limits. */
export interface TransactionUsage {
  description: string;
  soqlQueries: number;
  queryRows: number;
  dmlStatements: number;
  dmlRows: number;
  callouts: number;
  cpuMs: number;
}

export class LocalOrgFlowHost implements FlowHost {
  /** Usage of API transactions and flow path transactions, in the order they ran. */
  readonly transactions: TransactionUsage[] = [];
  private triggerDepth = 0;
  private readonly descriptions = new Map<string, ObjectDescription | null>();

  constructor(readonly interpreter: Interpreter) {}

  private get transaction() {
    return this.interpreter.transaction;
  }

  private object(name: string): SObjectDescribe {
    const object = this.interpreter.schema.get(name);
    if (!object) throw new FlowConfigurationError(`the object ${name} is not in the org's metadata`);
    return object;
  }

  describeObject(name: string): ObjectDescription | null {
    const key = name.toLowerCase();
    if (!this.descriptions.has(key)) {
      const object = this.interpreter.schema.get(name);
      const fields = new Map<string, FieldDescription>();
      for (const [fieldKey, field] of object?.fields ?? [])
        fields.set(fieldKey, {
          name: field.name,
          type: field.type,
          relationshipName: field.relationshipName,
          referenceTo: field.referenceTo,
          writable: !field.systemField && field.formula === null,
          scale: field.scale
        });
      this.descriptions.set(key, object ? { name: object.name, fields } : null);
    }
    return this.descriptions.get(key)!;
  }

  newRecord(object: string): SObjectValue {
    return this.interpreter.data.newRecord(this.object(object));
  }

  newCollection(dataType: FlowDataType, objectType: string | null, items: Value[]): ApexList {
    const element: Record<FlowDataType, RType> = {
      String: prim("String"),
      Picklist: prim("String"),
      Multipicklist: prim("String"),
      Number: prim("Decimal"),
      Currency: prim("Decimal"),
      Boolean: prim("Boolean"),
      Date: prim("Date"),
      DateTime: prim("Datetime"),
      Time: prim("Time"),
      SObject: { kind: "sobject", obj: objectType ? (this.interpreter.schema.get(objectType) ?? null) : null },
      Apex: prim("Object")
    };
    return new ApexList(element[dataType], items);
  }

  /** A stored record as a value with every field, formula fields evaluated. */
  recordValue(object: SObjectDescribe, stored: StoredRecord): SObjectValue {
    const record = new SObjectValue(object);
    for (const field of object.fields.values()) {
      const key = field.name.toLowerCase();
      if (field.formula !== null)
        record.fields.set(key, fieldValue(this.interpreter.data, this.interpreter, object, stored, field));
      else if (stored.has(key)) record.fields.set(key, stored.get(key)!);
      else record.fields.set(key, null);
    }
    return record;
  }

  private soql(query: RecordQuery, binds: Map<Expr, Value>): SoqlQuery {
    const object = this.object(query.object);
    const bind = (value: Value): { kind: "bind"; expression: Expr } => {
      const expression: Expr = { kind: "Unsupported", feature: "flow value", file: "flow", line: 0 };
      binds.set(expression, value);
      return { kind: "bind", expression };
    };
    const condition = (c: QueryCondition): SoqlCond => {
      switch (c.kind) {
        case "and":
        case "or":
          return { kind: c.kind, items: c.items.map(condition) };
        case "not":
          return { kind: "not", item: condition(c.item) };
        case "compare":
          return {
            kind: "cmp",
            path: c.field.split("."),
            operator: c.operator,
            value: bind(Array.isArray(c.value) ? new ApexList(prim("Object"), c.value) : c.value)
          };
      }
    };
    const fields =
      query.fields === "all"
        ? [...object.fields.values()].map((f) => f.name)
        : ["Id", ...query.fields.filter((f) => f.toLowerCase() !== "id")];
    return {
      select: fields.map((f) => ({ kind: "field", path: f.split(".") })),
      from: object.name,
      where: query.condition ? condition(query.condition) : undefined,
      orderBy: query.orderBy
        ? [
            {
              path: query.orderBy.field.split("."),
              descending: query.orderBy.descending,
              nullsFirst: !query.orderBy.descending
            }
          ]
        : [],
      limit:
        query.limit === null ? undefined : { kind: "literal", value: { kind: "number", text: String(query.limit) } },
      allRows: false,
      forUpdate: false,
      file: "flow",
      line: 0
    };
  }

  queryRecords(queries: RecordQuery[]): SObjectValue[][] {
    const limits = this.transaction.limits;
    const before = limits.queries;
    // The interviews' queries of one element go to the database as one SOQL statement.
    const results = queries.map((query) => {
      const binds = new Map<Expr, Value>();
      const rows = this.interpreter.data.query(
        this.soql(query, binds),
        (expression) => binds.get(expression) ?? null,
        FLOW_LOC
      );
      limits.queries = before;
      return rows instanceof ApexList ? (rows.items as SObjectValue[]) : [];
    });
    if (queries.length > 0 && !queries.every((q) => q.internal)) countLimit(this.interpreter, "queries");
    return results;
  }

  saveRecords(operation: "insert" | "update" | "delete", groups: SObjectValue[][]): (DmlError | null)[] {
    // One row per record; a record two interviews update is saved once with both changes.
    const rows: SObjectValue[] = [];
    const rowOf = new Map<SObjectValue, number>();
    const byId = new Map<string, number>();
    const newRecords = new Set<SObjectValue>();
    for (const record of groups.flat()) {
      if (rowOf.has(record)) continue;
      const id = record.fields.get("id");
      if (operation !== "insert" && typeof id === "string" && byId.has(id)) {
        const merged = rows[byId.get(id)!];
        if (operation === "update") for (const [key, value] of record.fields) merged.fields.set(key, value);
        rowOf.set(record, byId.get(id)!);
        continue;
      }
      if (typeof id === "string") byId.set(id, rows.length);
      else if (operation === "insert") newRecords.add(record);
      rowOf.set(record, rows.length);
      rows.push(record);
    }
    const errors: (DmlError | null)[] = groups.map(() => null);
    if (rows.length === 0) return errors;
    const data = this.interpreter.data;
    const snapshot = data.snapshot();
    const counter = data.idCounter;
    const queued = data.queuedWork();
    // Groups whose records fail are left out and the others saved again, until none fails.
    for (let attempt = 0; ; attempt++) {
      const included = new Set<number>();
      groups.forEach((group, index) => {
        if (errors[index] === null) for (const record of group) included.add(rowOf.get(record)!);
      });
      for (const record of newRecords) record.fields.delete("id");
      const attemptRows = rows.filter((_, index) => included.has(index));
      if (attemptRows.length === 0) break;
      // A retry is the same statement again: it counts once against the limits.
      if (attempt > 0) this.transaction.limits.dmlStatements--;
      const results = data.dml(operation, attemptRows, null, false, FLOW_LOC);
      const resultOf = new Map(attemptRows.map((record, index) => [record, results[index]]));
      let failed = false;
      groups.forEach((group, index) => {
        if (errors[index] !== null) return;
        const error = group.map((record) => resultOf.get(rows[rowOf.get(record)!])!.errors[0]).find((e) => e);
        if (!error) return;
        errors[index] = { statusCode: error.statusCode, message: error.message, fields: error.fields };
        failed = true;
      });
      if (!failed) break;
      this.restore(snapshot, counter, queued);
    }
    return errors;
  }

  private restore(snapshot: StoreSnapshot, counter: number, queued: QueuedWorkMark) {
    this.interpreter.data.restore(snapshot, counter);
    this.interpreter.data.dropQueuedWork(queued);
  }

  private invocable(className: string) {
    const cls: ClassInfo | undefined = this.interpreter.classes.get(className.toLowerCase());
    const method = cls?.decl?.methods.find((m) =>
      m.modifiers.annotations.some((annotation) => annotation.name === "invocablemethod")
    );
    return cls && method ? { cls, method } : null;
  }

  describeApexAction(className: string): ActionDescription | null {
    const found = this.invocable(className);
    if (!found) return null;
    const { cls, method } = found;
    const fieldsOf = (type: RType | null, what: string): Map<string, ApexParameter> => {
      const out = new Map<string, ApexParameter>();
      if (type === null) return out;
      if (type.kind !== "list" || type.elem.kind !== "class")
        throw new FlowConfigurationError(
          `${cls.name}: an invocable method whose ${what} is not a list of a class with @InvocableVariable fields is not supported by local-org`
        );
      for (let c: ClassInfo | null = type.elem.cls; c; c = c.parent)
        for (const field of c.fields.values()) {
          const annotation = field.modifiers.annotations.find((a) => a.name === "invocablevariable");
          if (!annotation || out.has(field.name.toLowerCase())) continue;
          out.set(field.name.toLowerCase(), {
            name: field.name,
            type: apexType(this.interpreter.resolveType(field.type, c, field)),
            required: (annotation.params["required"] ?? "").toLowerCase() === "true"
          });
        }
      return out;
    };
    const parameter = method.params[0] ? this.interpreter.resolveType(method.params[0].type, cls, method) : null;
    const result = method.returnType ? this.interpreter.resolveType(method.returnType, cls, method) : null;
    return { name: cls.name, inputs: fieldsOf(parameter, "parameter"), outputs: fieldsOf(result, "result") };
  }

  invokeApexAction(className: string, requests: Map<string, Value>[]): ActionOutcome {
    const { cls, method } = this.invocable(className)!;
    const interpreter = this.interpreter;
    const listType = interpreter.resolveType(method.params[0].type, cls, method);
    const requestType = (listType as Extract<RType, { kind: "list" }>).elem as Extract<RType, { kind: "class" }>;
    try {
      const list = new ApexList(
        requestType,
        requests.map((request) => {
          const object = interpreter.instantiate(requestType.cls, [], FLOW_LOC);
          for (const [name, value] of request) {
            let owner: ClassInfo | null = requestType.cls;
            while (owner && !owner.fields.has(name.toLowerCase())) owner = owner.parent;
            const field = owner!.fields.get(name.toLowerCase())!;
            const type = interpreter.resolveType(field.type, owner, field);
            const typed =
              value instanceof ApexList && type.kind === "list" ? new ApexList(type.elem, value.items) : value;
            object.fields.set(name.toLowerCase(), coerce(interpreter, typed, type));
          }
          return object;
        })
      );
      const returned = interpreter.invoke(cls, method, null, [list], null);
      const results = returned instanceof ApexList ? returned.items : [];
      return {
        kind: "results",
        results: results.map((result) => {
          const out = new Map<string, Value>();
          if (result instanceof ApexObject)
            for (const [key, value] of result.fields) out.set(fieldDisplayName(result.cls, key), value);
          return out;
        })
      };
    } catch (error) {
      if (this.isFatal(error)) throw error;
      return { kind: "fault", message: `An Apex error occurred: ${this.describeError(error)}` };
    } finally {
      interpreter.frames.length = 0;
    }
  }

  now(): number {
    return this.interpreter.clock.now();
  }

  private stored(id: string): SObjectValue {
    const found = this.interpreter.data.findById(id);
    if (!found) throw new Error(`local-org has no record ${id}`);
    return this.recordValue(found.obj, found.rec);
  }

  currentUser(): SObjectValue {
    return this.stored(currentUserId(this.transaction));
  }

  organization(): SObjectValue {
    return this.stored(ORG_ID);
  }

  label(name: string): string | null {
    return this.interpreter.stdlib.labels.get(name.toLowerCase()) ?? null;
  }

  /** Notes what the current transaction used, for benchmarks and tests. */
  recordUsage(description: string): void {
    const limits = this.transaction.limits;
    this.transactions.push({
      description,
      soqlQueries: limits.queries,
      queryRows: limits.queryRows,
      dmlStatements: limits.dmlStatements,
      dmlRows: limits.dmlRows,
      callouts: limits.callouts,
      cpuMs: limits.cpuTime()
    });
  }

  /** Runs a job's body with a savepoint: an Apex error rolls the job back and is reported to it. */
  private isolated(job: TransactionJob): void {
    const data = this.interpreter.data;
    const snapshot = data.snapshot();
    const counter = data.idCounter;
    const queued = data.queuedWork();
    try {
      job.run();
    } catch (error) {
      this.restore(snapshot, counter, queued);
      // In an Apex test, a flow that cannot run fails the test with its own message.
      if (error instanceof FlowConfigurationError && this.transaction.test) throw new CompileError(error.message, null);
      if (!(error instanceof ApexThrow)) throw error;
      job.failed(this.describeError(error));
    } finally {
      this.interpreter.frames.length = 0;
      this.recordUsage(job.description);
    }
  }

  enqueueAfterCommit(job: TransactionJob): void {
    const asyncJob: AsyncJob = { kind: "flow", run: () => this.isolated(job) };
    this.transaction.enqueue(asyncJob);
  }

  runTransaction(job: TransactionJob): void {
    const transaction = this.transaction;
    this.interpreter.resetStatics();
    transaction.limits = new Limits();
    transaction.uncommittedDml = false;
    this.isolated(job);
    // Work the job queued runs after it commits, each in its own transaction.
    while (transaction.asyncQueue.length > 0) transaction.runJob(transaction.asyncQueue.shift()!);
  }

  whileSavingRecords<T>(body: () => T): T {
    this.transaction.refuseCallouts++;
    try {
      return body();
    } finally {
      this.transaction.refuseCallouts--;
    }
  }

  isFatal(error: unknown): boolean {
    return !(error instanceof ApexThrow) || error.obj.cls.uncatchable === true;
  }

  describeError(error: unknown): string {
    if (error instanceof ApexThrow) {
      const ex = error.obj.ex!;
      return `${ex.typeName}: ${ex.message === null ? "Script-thrown exception" : str(this.interpreter, ex.message)}`;
    }
    return error instanceof Error ? error.message : String(error);
  }

  inApexTest(): boolean {
    return this.transaction.test !== null;
  }

  /** Flow.Interview.start(): runs in the current transaction; an unhandled fault rolls back the
   * interview's changes and returns null. */
  startFromApex(engine: FlowEngine, apiName: string, inputs: Map<string, Value>): Map<string, Value> | null {
    const flow = engine.findFlow(apiName)!;
    for (const name of inputs.keys()) {
      const variable = flow.resources.get(name.toLowerCase());
      if (!variable || variable.kind !== "variable" || !variable.isInput)
        throwApex(
          this.interpreter,
          "FlowException",
          `The flow variable ${name} of ${apiName} isn't available for input`
        );
    }
    const data = this.interpreter.data;
    const snapshot = data.snapshot();
    const counter = data.idCounter;
    const queued = data.queuedWork();
    let result;
    try {
      result = engine.startAutolaunched(apiName, inputs);
    } catch (error) {
      if (error instanceof FlowConfigurationError) throw new CompileError(error.message, null);
      throw error;
    }
    if (result.failure) {
      this.restore(snapshot, counter, queued);
      return null;
    }
    return new Map([...result.outputs].map(([name, value]) => [name.toLowerCase(), value]));
  }

  /** Runs record-triggered flows for the rows of a save and returns the rows they fail. */
  trigger(
    engine: FlowEngine,
    object: SObjectDescribe,
    when: "beforeSave" | "afterSave" | "beforeDelete",
    operation: "insert" | "update" | "delete",
    rows: SaveRow[]
  ): Map<number, DataDmlError> {
    const errors = new Map<number, DataDmlError>();
    if (!engine.hasRecordTriggeredFlows(object.name, when, operation)) return errors;
    if (this.triggerDepth >= MAX_TRIGGER_DEPTH)
      throwApex(this.interpreter, "LimitException", "Maximum trigger depth exceeded");
    this.triggerDepth++;
    try {
      const triggerRows: TriggerRow[] = rows.map((row) => ({
        index: row.index,
        record: this.recordValue(object, row.stored),
        prior: row.old && operation !== "delete" ? this.recordValue(object, row.old) : null
      }));
      let result;
      try {
        result = engine.recordTriggered(object.name, when, operation, triggerRows);
      } catch (error) {
        // A flow that cannot run stops the save with its own message.
        if (error instanceof FlowConfigurationError) throw new CompileError(error.message, null);
        throw error;
      }
      for (const [index, error] of result) errors.set(index, { ...error, index });
      if (when === "beforeSave")
        triggerRows.forEach((row, i) => {
          const stored = rows[i].stored;
          for (const field of object.fields.values()) {
            const key = field.name.toLowerCase();
            if (field.systemField || field.formula !== null) continue;
            const value = row.record.fields.get(key) ?? null;
            if (value !== (stored.get(key) ?? null)) stored.set(key, value);
          }
        });
    } finally {
      this.triggerDepth--;
    }
    return errors;
  }
}

/** Loads flows into an engine over the local org and hooks record-triggered flows into saves. */
export function installFlows(
  interpreter: Interpreter,
  flows: FlowDefinition[],
  activate: string[]
): { engine: FlowEngine; host: LocalOrgFlowHost } {
  const host = new LocalOrgFlowHost(interpreter);
  const engine = new FlowEngine(host);
  for (const flow of flows) engine.add(flow);
  for (const name of activate) engine.activate(name);
  engine.checkActiveFlows();
  installFlowInterview(interpreter.stdlib, {
    names: () =>
      engine
        .all()
        .filter((flow) => engine.isActive(flow) && flow.start.kind === "autolaunched")
        .map((flow) => flow.apiName),
    start: (apiName, inputs) => host.startFromApex(engine, apiName, inputs)
  });
  interpreter.data.saveHooks = {
    beforeSave: (object, operation, rows) => host.trigger(engine, object, "beforeSave", operation, rows),
    afterSave: (object, operation, rows) => host.trigger(engine, object, "afterSave", operation, rows),
    beforeDelete: (object, rows) => host.trigger(engine, object, "beforeDelete", "delete", rows)
  };
  return { engine, host };
}

/** A JavaScript value given to LocalOrg.startFlow, as the flow variable's data type. */
export function flowInputValue(host: LocalOrgFlowHost, variable: FlowVariable, value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (variable.isCollection) {
    if (!Array.isArray(value)) throw new Error(`input ${variable.name} is a collection: give an array`);
    return host.newCollection(
      variable.dataType,
      variable.objectType,
      value.map((item) => flowInputValue(host, { ...variable, isCollection: false }, item))
    );
  }
  switch (variable.dataType) {
    case "Number":
    case "Currency":
      return ApexDecimal.parse(String(value));
    case "Boolean":
      return Boolean(value);
    case "Date": {
      const [y, m, d] = String(value).slice(0, 10).split("-").map(Number);
      return new ApexDate(y, m, d);
    }
    case "DateTime":
      return new ApexDatetime(Date.parse(String(value)));
    case "SObject": {
      if (typeof value !== "object")
        throw new Error(`input ${variable.name} is a record: give an object of field values`);
      const record = host.newRecord(variable.objectType ?? "");
      const description = host.describeObject(variable.objectType ?? "")!;
      for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
        const described = description.fields.get(name.toLowerCase());
        if (!described) throw new Error(`input ${variable.name}: ${variable.objectType} has no field ${name}`);
        record.fields.set(
          name.toLowerCase(),
          flowInputValue(host, { ...variable, dataType: fieldDataType(described.type), objectType: null }, field)
        );
      }
      return record;
    }
    default:
      return String(value);
  }
}

function fieldDataType(type: string): FlowDataType {
  if (["double", "currency", "percent", "int"].includes(type)) return "Number";
  if (type === "boolean") return "Boolean";
  if (type === "date") return "Date";
  if (type === "datetime") return "DateTime";
  return "String";
}
