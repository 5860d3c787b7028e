// Programmatic API: load a project, run anonymous Apex and tests, insert, update and query
// records, invoke an invocable method, call @AuraEnabled methods, start flows, and move the org
// clock, which runs the scheduled Apex and scheduled flow paths it passes.
import { loadProject, type LoadOptions } from "./project.js";
import { parseAnonymous, parseSoqlString } from "./parse/convert.js";
import { ApexSyntaxError } from "./parse/syntax-error.js";
import type { Interpreter } from "./interpreter/interpreter.js";
import { fieldDisplayName, prim, typeName } from "./runtime/types.js";
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  EnumValue,
  SObjectValue,
  type ClassInfo,
  type RType,
  type Value
} from "./runtime/values.js";
import { mapEntries, setItems, str } from "./runtime/operators.js";
import { describeError, runTests, type TestRunResult } from "./testing/runner.js";
import { ApexThrow } from "./runtime/errors.js";
import { unsupported } from "./runtime/errors.js";
import { coerce, fieldType } from "./runtime/conversion.js";
import { relationshipField } from "./runtime/describe.js";
import { callAuraEnabled, type AuraActionRequest, type AuraActionResult } from "./aura.js";
import type { FlowEngine, FailedInterview, PendingScheduledPath } from "./flow/engine.js";
import type { FlowEvent } from "./flow/interview.js";
import { FlowConfigurationError } from "./flow/errors.js";
import { flowInputValue, type LocalOrgFlowHost, type TransactionUsage } from "./flow-host.js";
import type { JsValue } from "./js-value.js";
import type { FailedScheduledJob } from "./stdlib/apex-scheduler.js";
import { deliverOutgoing } from "./stdlib/messaging.js";
import type { SentEmail, SentNotification } from "./stdlib/outbox.js";
import type { ApexTriggers, FailedEventDelivery } from "./apex-triggers.js";

export type { LoadOptions } from "./project.js";
export type { TestRunResult, TestResult, CoverageEntry } from "./testing/runner.js";
export type { NamedCredentialConfig } from "./stdlib/registry.js";
export type { SentEmail, SentNotification, EmailDeliverability } from "./stdlib/outbox.js";
export type { FailedEventDelivery } from "./apex-triggers.js";
export type { AuraActionRequest, AuraActionResult, AuraErrorBody } from "./aura.js";
export type { JsValue } from "./js-value.js";
export type { FailedInterview, PendingScheduledPath } from "./flow/engine.js";
export type { FlowEvent } from "./flow/interview.js";
export type { TransactionUsage } from "./flow-host.js";
export type { FailedScheduledJob } from "./stdlib/apex-scheduler.js";

export interface AnonymousResult {
  success: boolean;
  /** `System.XxxException: message` when the code threw. */
  exceptionMessage: string | null;
  stackTrace: string | null;
  debugLog: string[];
}

export interface FlowRunResult extends AnonymousResult {
  /** Output variables of the flow. */
  outputs: Record<string, JsValue>;
  /** The element and $Flow.FaultMessage of an unhandled fault, or null. */
  fault: { element: string; message: string } | null;
}

/** An interview ended with an unhandled fault: its transaction is rolled back. */
class UnhandledFlowFault extends Error {}

export class LocalOrg {
  private constructor(
    readonly interpreter: Interpreter,
    private readonly flows: { engine: FlowEngine; host: LocalOrgFlowHost },
    private readonly triggers: ApexTriggers
  ) {}

  static load(options: LoadOptions = {}): LocalOrg {
    const project = loadProject(options);
    return new LocalOrg(project.interpreter, project.flows, project.triggers);
  }

  runTests(classNames?: string[]): TestRunResult {
    return runTests(this.interpreter, classNames);
  }

  /** Runs anonymous Apex as one transaction, then any Queueable jobs it enqueued. */
  runAnonymous(source: string): AnonymousResult {
    const interpreter = this.interpreter;
    let decl: ReturnType<typeof parseAnonymous>;
    try {
      decl = parseAnonymous(source, "anonymous.apex");
    } catch (error) {
      // Code that does not compile does not run, as with the platform's anonymous Apex.
      if (error instanceof ApexSyntaxError)
        return { success: false, exceptionMessage: error.message, stackTrace: null, debugLog: [] };
      throw error;
    }
    const cls = interpreter.makeClass(decl, null);
    cls.isTest = true; // anonymous code does not count towards coverage
    return this.transaction(() => {
      // Classes declared in the block extend and implement like any other class.
      interpreter.link(cls);
      interpreter.invoke(
        cls,
        decl.methods.find((method) => method.name === "run")!,
        null,
        [],
        null
      );
      return null;
    });
  }

  /** Inserts records and returns their ids. Fields use API names. */
  insert(objectName: string, records: Record<string, JsValue>[]): string[] {
    const obj = this.interpreter.schema.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    const recs = records.map((r) => {
      const record = this.interpreter.data.newRecord(obj);
      for (const [key, value] of Object.entries(r)) {
        const field = obj.fields.get(key.toLowerCase());
        if (!field) throw new Error(`unknown field ${objectName}.${key}`);
        this.interpreter.data.setField(record, key, this.fromJs(value, fieldType(field)), { file: "api", line: 0 });
      }
      return record;
    });
    const result = this.transaction(() => {
      this.interpreter.data.dmlStatement("insert", new ApexList({ kind: "sobject", obj }, recs), null, {
        file: "api",
        line: 0
      });
      return null;
    });
    if (!result.success) throw new Error(result.exceptionMessage ?? "insert failed");
    return recs.map((record) => String(record.fields.get("id")));
  }

  /** Updates records (each with its Id) in one DML statement, as one save of a user or an import. */
  update(objectName: string, records: Record<string, JsValue>[]): void {
    const obj = this.interpreter.schema.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    const recs = records.map((r) => {
      const record = this.interpreter.data.newRecord(obj);
      for (const [key, value] of Object.entries(r)) {
        const field = obj.fields.get(key.toLowerCase());
        if (!field) throw new Error(`unknown field ${objectName}.${key}`);
        this.interpreter.data.setField(record, key, this.fromJs(value, fieldType(field)), { file: "api", line: 0 });
      }
      return record;
    });
    const result = this.transaction(() => {
      this.interpreter.data.dmlStatement("update", new ApexList({ kind: "sobject", obj }, recs), null, {
        file: "api",
        line: 0
      });
      return null;
    });
    if (!result.success) throw new Error(result.exceptionMessage ?? "update failed");
  }

  /** Starts an autolaunched flow with input variables, as one transaction, and returns its
   * outputs; an unhandled fault rolls the transaction back and is returned as `fault`. */
  startFlow(apiName: string, inputs: Record<string, JsValue> = {}): FlowRunResult {
    const { engine, host } = this.flows;
    const flow = engine.all().find((f) => f.apiName.toLowerCase() === apiName.toLowerCase());
    if (!flow) throw new Error(`no flow ${apiName} in the source folders`);
    const values = new Map<string, Value>();
    for (const [name, value] of Object.entries(inputs)) {
      const variable = flow.resources.get(name.toLowerCase());
      if (!variable || variable.kind !== "variable" || !variable.isInput)
        throw new Error(`${name} is not an input variable of flow ${apiName}`);
      values.set(name, flowInputValue(host, variable, value));
    }
    let outputs: Record<string, JsValue> = {};
    let fault: { element: string; message: string } | null = null;
    const result = this.transaction(() => {
      const run = engine.startAutolaunched(apiName, values);
      outputs = Object.fromEntries([...run.outputs].map(([name, value]) => [name, this.toJs(value)]));
      fault = run.failure;
      if (fault) throw new UnhandledFlowFault(`An unhandled fault has occurred in this flow: ${fault.message}`);
      return null;
    });
    return { ...result, outputs, fault };
  }

  /** Moves the org clock forward. Scheduled Apex jobs and scheduled flow paths whose time it
   * passes run in the order their times come, the clock standing at each time while it runs;
   * returns how many records the flow paths ran for. */
  advanceClock(by: { days?: number; hours?: number; minutes?: number; milliseconds?: number }): number {
    const ms =
      (by.days ?? 0) * 86400000 + (by.hours ?? 0) * 3600000 + (by.minutes ?? 0) * 60000 + (by.milliseconds ?? 0);
    if (!(ms >= 0)) throw new Error("the clock only moves forward");
    const clock = this.interpreter.clock;
    const scheduler = this.interpreter.stdlib.scheduler;
    const target = clock.now() + ms;
    let records = 0;
    try {
      for (;;) {
        const nextJob = scheduler.nextDue();
        const nextPath = Math.min(...this.flows.engine.pendingScheduledPaths().map((path) => path.dueAt));
        const next = Math.min(nextJob ?? Infinity, nextPath);
        if (next > target) break;
        clock.moveTo(next);
        if (nextJob !== null && nextJob <= nextPath) {
          for (const job of scheduler.dueJobs(clock.now()))
            scheduler.runDue(job, (description, body) => {
              const result = this.transaction(() => {
                body();
                return null;
              }, description);
              return result.success ? null : (result.exceptionMessage ?? "the job failed");
            });
        } else records += this.flows.engine.runDueScheduledPaths();
      }
      clock.moveTo(target);
      return records + this.flows.engine.runDueScheduledPaths();
    } finally {
      this.interpreter.frames.length = 0;
    }
  }

  /** The org clock (real time plus what advanceClock added), as an ISO date/time. */
  now(): string {
    return new Date(this.interpreter.clock.now()).toISOString();
  }

  /** Scheduled Apex runs that ended with an unhandled exception (their work rolled back), oldest first. */
  failedScheduledJobs(): FailedScheduledJob[] {
    return [...this.interpreter.stdlib.scheduler.failures];
  }

  /** Records waiting on a scheduled path with a time offset. */
  pendingScheduledPaths(): PendingScheduledPath[] {
    return this.flows.engine.pendingScheduledPaths();
  }

  /** Interviews of asynchronous and scheduled paths that failed, with their fault messages. */
  failedFlowInterviews(): FailedInterview[] {
    return [...this.flows.engine.failedInterviews];
  }

  /** What each API transaction and each flow path transaction used against its limits, oldest first. */
  transactionUsage(): TransactionUsage[] {
    return [...this.flows.host.transactions];
  }

  /** What flows did: each element an interview ran, decisions taken, faults. */
  flowEvents(): FlowEvent[] {
    return [...this.flows.engine.events];
  }

  /** Runs a SOQL query; records come back as plain objects keyed by API name. */
  query(soql: string): JsValue[] | number {
    const query = parseSoqlString(soql, "api", 0);
    let out: Value = null;
    const result = this.transaction(() => {
      out = this.interpreter.data.query(
        query,
        () => unsupported(this.interpreter, "bind variables in LocalOrg.query"),
        {
          file: "api",
          line: 0
        }
      );
      return null;
    });
    if (!result.success) throw new Error(result.exceptionMessage ?? "query failed");
    if (typeof out === "number") return out;
    return (out as unknown as ApexList).items.map((r) => this.toJs(r));
  }

  /** Calls the @InvocableMethod of a class with a list of inputs, as a Flow would. */
  invokeInvocable(
    className: string,
    inputs: Record<string, JsValue>[]
  ): { outputs: JsValue[]; result: AnonymousResult } {
    const interpreter = this.interpreter;
    const ci = interpreter.classes.get(className.toLowerCase());
    if (!ci || !ci.decl) throw new Error(`unknown class ${className}`);
    const method = ci.decl.methods.find((x) =>
      x.modifiers.annotations.some((annotation) => annotation.name === "invocablemethod")
    );
    if (!method) throw new Error(`${className} has no @InvocableMethod`);
    let outputs: JsValue[] = [];
    const result = this.transaction(() => {
      const paramType = method.params.length ? interpreter.resolveType(method.params[0].type, ci, method) : null;
      const args: Value[] = paramType ? [this.fromJs(inputs as JsValue, paramType, ci)] : [];
      const r = interpreter.invoke(ci, method, null, args, null);
      outputs = r instanceof ApexList ? r.items.map((item) => this.toJs(item)) : [];
      return null;
    });
    return { outputs, result };
  }

  /** Calls an @AuraEnabled method as a Lightning component does, in its own transaction (see aura.ts). */
  callAuraEnabled(request: AuraActionRequest): AuraActionResult {
    return callAuraEnabled(this.interpreter, (body) => this.transaction(body), request);
  }

  private transaction(body: () => null, description = "api"): AnonymousResult {
    const interpreter = this.interpreter;
    interpreter.resetStatics();
    interpreter.transaction.begin();
    interpreter.transaction.debugLog = [];
    const snap = interpreter.data.snapshot();
    const counter = interpreter.data.idCounter;
    try {
      body();
      this.flows.host.recordUsage(description);
      this.settle();
      return { success: true, exceptionMessage: null, stackTrace: null, debugLog: interpreter.transaction.debugLog };
    } catch (error) {
      // An unhandled exception rolls the transaction back: its records, its jobs, its emails and
      // the events it published after commit; the events it published immediately are delivered.
      interpreter.data.restore(snap, counter);
      interpreter.transaction.asyncQueue = [];
      interpreter.transaction.outgoing = [];
      if (!(error instanceof FlowConfigurationError)) this.settle();
      if (error instanceof FlowConfigurationError) throw error;
      const d =
        error instanceof UnhandledFlowFault
          ? { message: error.message, stackTrace: null }
          : describeError(interpreter, error);
      if (!(error instanceof ApexThrow) && !(error instanceof Error)) throw error;
      return {
        success: false,
        exceptionMessage: d.message,
        stackTrace: d.stackTrace,
        debugLog: interpreter.transaction.debugLog
      };
    } finally {
      interpreter.frames.length = 0;
    }
  }

  /** After a transaction commits: what it sent leaves the org, its queued jobs run (each in a
   * transaction of its own), and the event bus delivers, each subscriber in a transaction of its
   * own, until nothing is left to run or deliver. */
  private settle() {
    const interpreter = this.interpreter;
    const library = interpreter.stdlib;
    const bus = library.eventBus;
    for (let round = 0; round < 10000; round++) {
      bus.commit();
      deliverOutgoing(library, this.now());
      const transaction = interpreter.transaction;
      if (transaction.asyncQueue.length > 0) {
        transaction.runJob(transaction.asyncQueue.shift()!);
        continue;
      }
      if (!bus.hasPending()) return;
      bus.deliver();
    }
    throw new Error("local-org: jobs and platform events kept queuing more work for 10,000 rounds");
  }

  /** Emails that left the org (committed transactions), oldest first. */
  sentEmails(): SentEmail[] {
    return [...this.interpreter.stdlib.outbox.emails];
  }

  /** Custom notifications that left the org, oldest first. */
  sentNotifications(): SentNotification[] {
    return [...this.interpreter.stdlib.outbox.notifications];
  }

  /** Platform events that went on the event bus, oldest first, with their field values. */
  publishedEvents(): { event: string; fields: Record<string, JsValue> }[] {
    return this.interpreter.stdlib.eventBus.published.map((published) => ({
      event: published.object.name,
      fields: Object.fromEntries(
        [...published.object.fields.values()]
          .filter((field) => published.record.has(field.name.toLowerCase()))
          .map((field) => [field.name, this.toJs(published.record.get(field.name.toLowerCase()) ?? null)])
      )
    }));
  }

  /** Platform event deliveries whose trigger threw (their work was rolled back), oldest first. */
  failedEventDeliveries(): FailedEventDelivery[] {
    return [...this.triggers.failedDeliveries];
  }

  /** Converts a JavaScript value to an Apex value of the given type. */
  fromJs(value: JsValue | undefined, type: RType, from: ClassInfo | null = null): Value {
    const interpreter = this.interpreter;
    if (value === null || value === undefined) return null;
    if (type.kind === "list" || type.kind === "set") {
      if (!Array.isArray(value)) throw new Error(`expected an array for ${type.kind}`);
      if (type.kind === "list")
        return new ApexList(
          type.elem,
          value.map((item) => this.fromJs(item, type.elem, from))
        );
      const set = new ApexSet(type.elem);
      for (const item of value)
        interpreter.stdlib.callInstance(set, "add", [this.fromJs(item, type.elem, from)], { file: "api", line: 0 });
      return set;
    }
    if (type.kind === "map") {
      const map = new ApexMap(type.key, type.value);
      for (const [key, item] of Object.entries(value as Record<string, JsValue>)) {
        interpreter.stdlib.callInstance(
          map,
          "put",
          [this.fromJs(key, type.key, from), this.fromJs(item, type.value, from)],
          {
            file: "api",
            line: 0
          }
        );
      }
      return map;
    }
    if (type.kind === "class" && type.cls.decl) {
      const obj = interpreter.instantiate(type.cls, [], { file: "api", line: 0 });
      for (const [key, item] of Object.entries(value as Record<string, JsValue>)) {
        let owner: ClassInfo | null = null;
        for (let current: ClassInfo | null = type.cls; current && !owner; current = current.parent)
          if (current.fields.has(key.toLowerCase())) owner = current;
        if (!owner) throw new Error(`${type.cls.name} has no field ${key}`);
        const field = owner.fields.get(key.toLowerCase())!;
        obj.fields.set(
          field.name.toLowerCase(),
          this.fromJs(item, interpreter.resolveType(field.type, owner, field), owner)
        );
      }
      return obj;
    }
    if (type.kind === "prim") {
      switch (type.name) {
        case "Integer":
          return Number(value) | 0;
        case "Long":
          return BigInt(Math.trunc(Number(value)));
        case "Decimal":
          return ApexDecimal.parse(String(value));
        case "Double":
          return new ApexDouble(Number(value));
        case "Boolean":
          return Boolean(value);
        case "Date": {
          const [y, m, d] = String(value).slice(0, 10).split("-").map(Number);
          return new ApexDate(y, m, d);
        }
        case "Datetime":
          return new ApexDatetime(Date.parse(String(value)));
        case "String":
        case "Id":
          return coerce(interpreter, String(value), type);
        case "Object":
          if (typeof value === "number") return Number.isInteger(value) ? value : ApexDecimal.parse(String(value));
          if (typeof value === "string" || typeof value === "boolean") return value;
          return this.fromJs(
            value,
            Array.isArray(value)
              ? { kind: "list", elem: prim("Object") }
              : { kind: "map", key: prim("String"), value: prim("Object") },
            from
          );
      }
    }
    throw new Error(`cannot convert a JavaScript value to ${typeName(type)}`);
  }

  /** Converts an Apex value to plain JavaScript (Decimals become numbers, dates ISO text). */
  toJs(value: Value): JsValue {
    const interpreter = this.interpreter;
    if (value === null) return null;
    if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
    if (typeof value === "bigint") return Number(value);
    if (value instanceof ApexDecimal) return value.d.toNumber();
    if (value instanceof ApexDouble) return value.v;
    if (value instanceof ApexDate) return value.toString();
    if (value instanceof ApexDatetime) return new Date(value.ms).toISOString();
    if (value instanceof ApexList) return value.items.map((item) => this.toJs(item));
    if (value instanceof ApexSet) return setItems(value).map((item) => this.toJs(item));
    if (value instanceof ApexMap)
      return Object.fromEntries(mapEntries(value).map(([key, item]) => [str(interpreter, key), this.toJs(item)]));
    if (value instanceof EnumValue) return value.name;
    if (value instanceof SObjectValue) {
      const out: Record<string, JsValue> = {};
      for (const [key, item] of value.fields) {
        const field = value.type.fields.get(key);
        const rel = relationshipField(value.type, key);
        out[field?.name ?? rel?.relationshipName ?? value.type.childRelationships.get(key)?.name ?? key] =
          this.toJs(item);
      }
      return out;
    }
    if (value instanceof ApexObject) {
      const out: Record<string, JsValue> = {};
      for (const [key, item] of value.fields) out[fieldDisplayName(value.cls, key)] = this.toJs(item);
      if (value.ex) out.message = value.ex.message === null ? null : str(interpreter, value.ex.message);
      return out;
    }
    return str(interpreter, value);
  }
}
