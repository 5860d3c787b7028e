// Apex triggers: the `.trigger` files of the package, run around saves of their object and on
// the delivery of their platform event.
//
// On a save (the order of execution of the Apex Developer Guide): before-save flows, then before
// triggers; the platform's checks and validation rules; the save; after triggers, then after-save
// flows. Triggers run in chunks of 200 records, in system mode, as the user who saved. A before
// trigger may change the records of Trigger.new, which are then saved; in an after trigger they
// are read-only. An exception a trigger does not catch fails every record of its chunk with
// `<Trigger>: execution of <Event> caused by: <Exception>: <message>`.
//
// A platform event trigger (after insert only) receives batches of up to 2,000 events, runs as the
// Automated Process user in a transaction of its own (fresh limits and statics; an exception rolls
// back what it did), and never runs in the transaction that published.
import type { TriggerDecl } from "./parse/ast.js";
import { TRIGGER_CLASS_PREFIX } from "./parse/location.js";
import type { Interpreter } from "./interpreter/interpreter.js";
import type { DmlError, SaveRow } from "./data/engine.js";
import type { StoredRecord } from "./data/store.js";
import type { SObjectDescribe } from "./runtime/describe.js";
import { ApexThrow, CompileError, throwApex } from "./runtime/errors.js";
import { Limits } from "./runtime/limits.js";
import { str } from "./runtime/operators.js";
import type { TriggerFrame } from "./runtime/transaction.js";
import { ApexList, ApexMap, SObjectValue, type ClassInfo, type Value } from "./runtime/values.js";
import { mapPut } from "./stdlib/collections.js";
import { prim } from "./runtime/types.js";
import type { BusEvent } from "./stdlib/event-bus.js";

/** Records a trigger receives at once on a save. */
const SAVE_CHUNK = 200;
/** Saves nested in trigger and flow automation, at most (the platform's maximum trigger depth). */
const MAX_DEPTH = 16;

type Operation = "insert" | "update" | "delete";

interface LoadedTrigger {
  decl: TriggerDecl;
  cls: ClassInfo;
}

/** A platform event delivery whose trigger threw: its work was rolled back. */
export interface FailedEventDelivery {
  trigger: string;
  event: string;
  /** How many events the batch held. */
  events: number;
  message: string;
}

export class ApexTriggers {
  private readonly byObject = new Map<string, LoadedTrigger[]>();
  private depth = 0;
  readonly failedDeliveries: FailedEventDelivery[] = [];

  constructor(private readonly interpreter: Interpreter) {}

  /** Loads the triggers (their bodies are already registered as classes); a trigger the platform
   * would refuse to save stops the load. */
  load(decls: TriggerDecl[]) {
    for (const decl of decls) {
      const object = this.interpreter.schema.get(decl.objectName);
      const where = `${decl.name}.trigger`;
      if (!object) throw new Error(`${where}: trigger on unknown object ${decl.objectName}`);
      if (object.platformEvent && decl.events.some((event) => event.timing !== "after" || event.operation !== "insert"))
        throw new Error(`${where}: a platform event trigger can only be after insert`);
      if (decl.events.some((event) => event.operation === "undelete"))
        throw new Error(`${where}: after undelete triggers are not supported by local-org`);
      const cls = this.interpreter.classes.get(decl.body.name.toLowerCase());
      if (!cls) throw new Error(`${where}: the trigger's body did not load`);
      const key = object.name.toLowerCase();
      this.byObject.set(key, [...(this.byObject.get(key) ?? []), { decl, cls }]);
    }
  }

  private triggersFor(object: SObjectDescribe, timing: "before" | "after", operation: Operation): LoadedTrigger[] {
    return (this.byObject.get(object.name.toLowerCase()) ?? []).filter((trigger) =>
      trigger.decl.events.some((event) => event.timing === timing && event.operation === operation)
    );
  }

  /** Whether an event object has a trigger to deliver to. */
  subscribes(object: SObjectDescribe): boolean {
    return this.triggersFor(object, "after", "insert").length > 0;
  }

  /** Runs the triggers of a save; returns the rows they failed. Before triggers' changes to
   * Trigger.new are written back to the rows to save. */
  runForSave(
    object: SObjectDescribe,
    timing: "before" | "after",
    operation: Operation,
    rows: SaveRow[]
  ): Map<number, DmlError> {
    const errors = new Map<number, DmlError>();
    const triggers = this.triggersFor(object, timing, operation);
    if (triggers.length === 0 || rows.length === 0) return errors;
    if (this.depth >= MAX_DEPTH) throwApex(this.interpreter, "LimitException", "Maximum trigger depth exceeded");
    this.depth++;
    const transaction = this.interpreter.transaction;
    // A trigger runs synchronously in the save: no callout.
    transaction.refuseCallouts++;
    try {
      for (let start = 0; start < rows.length; start += SAVE_CHUNK) {
        const chunk = rows.slice(start, start + SAVE_CHUNK);
        for (const trigger of triggers) {
          const failure = this.runChunk(trigger, object, timing, operation, chunk);
          if (failure)
            for (const row of chunk)
              errors.set(row.index, {
                message: failure,
                statusCode: "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
                fields: [],
                index: row.index
              });
        }
      }
    } finally {
      transaction.refuseCallouts--;
      this.depth--;
    }
    return errors;
  }

  /** One trigger over one chunk: null, or the failure of every record of the chunk. */
  private runChunk(
    trigger: LoadedTrigger,
    object: SObjectDescribe,
    timing: "before" | "after",
    operation: Operation,
    rows: SaveRow[]
  ): string | null {
    const newRecords =
      operation === "delete" ? null : rows.map((row) => this.record(object, row.stored, timing === "after"));
    const oldRecords = operation === "insert" ? null : rows.map((row) => this.record(object, row.old!, true));
    const frame = this.frame(trigger, object, timing, operation, newRecords, oldRecords);
    try {
      this.invoke(trigger, frame);
    } catch (error) {
      if (!(error instanceof ApexThrow) || error.obj.cls.uncatchable === true) throw error;
      const ex = error.obj.ex!;
      const event = `${timing === "before" ? "Before" : "After"}${operation[0].toUpperCase()}${operation.slice(1)}`;
      const message = ex.message === null ? "Script-thrown exception" : str(this.interpreter, ex.message);
      // As the platform words it: where the exception was thrown comes last.
      const where = ex.stack ? `: ${ex.stack.split("\n")[0]}` : "";
      return `${trigger.decl.name}: execution of ${event} caused by: ${ex.typeName}: ${message}${where}`;
    }
    if (timing === "before" && newRecords) rows.forEach((row, i) => this.writeBack(object, newRecords[i], row.stored));
    return null;
  }

  /** Delivers a batch of events to the event's triggers, each in a transaction of its own. */
  deliver(object: SObjectDescribe, events: BusEvent[]) {
    for (const trigger of this.triggersFor(object, "after", "insert")) {
      const interpreter = this.interpreter;
      const transaction = interpreter.transaction;
      const records = events.map((event) => this.record(object, event.record, true));
      const inTest = transaction.test !== null;
      const data = interpreter.data;
      const automatedProcess = data.automatedProcessUserId();
      const snapshot = data.snapshot();
      const counter = data.idCounter;
      const queued = data.queuedWork();
      const previousLimits = transaction.limits;
      const previousUser = transaction.runAsUserId;
      const previousUncommitted = transaction.uncommittedDml;
      const previousTriggers = transaction.triggers;
      if (!inTest) interpreter.resetStatics();
      transaction.limits = new Limits();
      transaction.uncommittedDml = false;
      transaction.triggers = [];
      transaction.runAsUserId = automatedProcess;
      const frame = this.frame(trigger, object, "after", "insert", records, null);
      try {
        this.invoke(trigger, frame);
      } catch (error) {
        if (error instanceof CompileError) throw error;
        if (!(error instanceof ApexThrow)) throw error;
        data.restore(snapshot, counter);
        data.dropQueuedWork(queued);
        const ex = error.obj.ex!;
        this.failedDeliveries.push({
          trigger: trigger.decl.name,
          event: object.name,
          events: events.length,
          message: `${ex.typeName}: ${ex.message === null ? "Script-thrown exception" : str(interpreter, ex.message)}`
        });
        // In an Apex test the failure of a subscriber fails the test, as it surfaces there.
        if (inTest) throw error;
      } finally {
        interpreter.frames.length = 0;
        transaction.limits = inTest ? previousLimits : transaction.limits;
        transaction.runAsUserId = previousUser;
        transaction.uncommittedDml = previousUncommitted;
        transaction.triggers = previousTriggers;
      }
    }
  }

  private frame(
    trigger: LoadedTrigger,
    object: SObjectDescribe,
    timing: "before" | "after",
    operation: Operation,
    newRecords: SObjectValue[] | null,
    oldRecords: SObjectValue[] | null
  ): TriggerFrame {
    const list = (records: SObjectValue[] | null): Value =>
      records ? new ApexList({ kind: "sobject", obj: object }, records) : null;
    // Trigger.newMap needs the records' ids: none before an insert.
    const map = (records: SObjectValue[] | null): Value => {
      if (!records || (timing === "before" && operation === "insert")) return null;
      const result = new ApexMap(prim("Id"), { kind: "sobject", obj: object });
      for (const record of records) mapPut(this.interpreter, result, record.fields.get("id") ?? null, record);
      return result;
    };
    return {
      name: trigger.decl.name,
      timing,
      operation,
      newList: list(newRecords),
      oldList: list(oldRecords),
      newMap: map(newRecords),
      oldMap: map(oldRecords),
      size: (newRecords ?? oldRecords ?? []).length
    };
  }

  private invoke(trigger: LoadedTrigger, frame: TriggerFrame) {
    const transaction = this.interpreter.transaction;
    const method = trigger.cls.decl!.methods.find((candidate) => candidate.name === "run")!;
    transaction.triggers.push(frame);
    try {
      this.interpreter.invoke(trigger.cls, method, null, [], null);
    } finally {
      transaction.triggers.pop();
    }
  }

  /** A stored record as the trigger sees it; read-only in after triggers and for Trigger.old. */
  private record(object: SObjectDescribe, stored: StoredRecord, frozen: boolean): SObjectValue {
    const record = new SObjectValue(object);
    for (const field of object.fields.values()) {
      const key = field.name.toLowerCase();
      record.fields.set(key, stored.get(key) ?? null);
    }
    record.frozen = frozen;
    return record;
  }

  /** A before trigger's changes to a record go into the row that is saved. */
  private writeBack(object: SObjectDescribe, record: SObjectValue, stored: StoredRecord) {
    for (const field of object.fields.values()) {
      if (field.systemField || field.formula !== null) continue;
      const key = field.name.toLowerCase();
      const value = record.fields.get(key) ?? null;
      if (value !== (stored.get(key) ?? null)) stored.set(key, value);
    }
  }
}

/** Whether a class is the body of a trigger (its frames print as the trigger's). */
export function isTriggerClass(cls: ClassInfo): boolean {
  return cls.name.startsWith(TRIGGER_CLASS_PREFIX);
}

/** Puts Apex triggers into the org's saves, around the record-triggered flows the save hooks
 * already run, and makes them the subscribers of their platform events. */
export function installTriggers(interpreter: Interpreter, triggers: ApexTriggers) {
  const flows = interpreter.data.saveHooks;
  const merge = (into: Map<number, DmlError>, more: Map<number, DmlError>) => {
    for (const [index, error] of more) if (!into.has(index)) into.set(index, error);
    return into;
  };
  const without = (rows: SaveRow[], failed: Map<number, DmlError>) => rows.filter((row) => !failed.has(row.index));
  interpreter.data.saveHooks = {
    beforeSave: (object, operation, rows) => {
      const failed = flows?.beforeSave(object, operation, rows) ?? new Map<number, DmlError>();
      return merge(failed, triggers.runForSave(object, "before", operation, without(rows, failed)));
    },
    afterSave: (object, operation, rows) => {
      const failed = triggers.runForSave(object, "after", operation, rows);
      return merge(failed, flows?.afterSave(object, operation, without(rows, failed)) ?? new Map());
    },
    beforeDelete: (object, rows) => {
      const failed = flows?.beforeDelete(object, rows) ?? new Map<number, DmlError>();
      return merge(failed, triggers.runForSave(object, "before", "delete", without(rows, failed)));
    },
    afterDelete: (object, rows) => triggers.runForSave(object, "after", "delete", rows)
  };
  interpreter.stdlib.eventBus.deliverer = (object, events) => triggers.deliver(object, events);
}
