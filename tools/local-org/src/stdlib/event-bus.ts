// Platform events: EventBus.publish and the event bus that delivers what it publishes.
//
// An event of an object whose publish behaviour is Publish Immediately goes on the bus at once,
// outside the transaction: a rollback of the publisher keeps it, and the publish is no DML
// statement (a callout may follow it; it counts against its own limit of 150 calls). An event
// published after commit is part of the transaction: it is held with the transaction's records
// (a rollback drops it; the publish counts as a DML statement) and goes on the bus when the
// transaction commits (`commit`).
//
// The bus delivers to subscribers through a deliverer the layers above install (Apex triggers on
// the event): in publish order, up to 2,000 events per batch. Outside tests the org delivers what
// is on the bus after each transaction; in an Apex test events are delivered only by
// Test.getEventBus().deliver() and at Test.stopTest, as the platform's test event bus does, and
// what a test published is forgotten when it ends.
import { randomUUID } from "node:crypto";
import type { Loc } from "../parse/ast.js";
import type { SObjectDescribe } from "../runtime/describe.js";
import { throwApex, nullPointer, unsupported } from "../runtime/errors.js";
import { countLimit } from "../runtime/governor.js";
import { LIMITS } from "../runtime/limits.js";
import { runtimeTypeName } from "../runtime/conversion.js";
import { ApexDatetime, ApexList, NativeObject, SObjectValue, type Value } from "../runtime/values.js";
import type { StoredRecord } from "../data/store.js";
import { currentUserId } from "../data/fixed-ids.js";
import type { RuntimeContext } from "../runtime/context.js";
import type { DataEngine } from "../data/engine.js";

/** The most events one subscriber receives in one batch. */
export const MAX_EVENT_BATCH = 2000;

/** An event on the bus: its object and its field values (ReplayId set on the bus). */
export interface BusEvent {
  object: SObjectDescribe;
  record: StoredRecord;
}

/** Delivers a batch of events of one object to its subscribers. */
export type EventDeliverer = (object: SObjectDescribe, events: BusEvent[]) => void;

export class EventBus {
  /** Events on the bus, not yet delivered, in publish order. */
  private onBus: BusEvent[] = [];
  /** Every event that went on the bus, in order (LocalOrg.publishedEvents). */
  readonly published: BusEvent[] = [];
  private replayCounter = 0;
  private idCounter = 0;
  /** Installed by the layers above: runs the subscribers of an event object. */
  deliverer: EventDeliverer | null = null;

  constructor(
    private readonly runtime: RuntimeContext,
    private readonly data: DataEngine
  ) {}

  /** EventBus.publish(event) or EventBus.publish(events): a SaveResult per event. */
  publish(args: Value[], loc: Loc): Value {
    const { runtime, data } = this;
    const value = args[0];
    if (value === null || value === undefined) nullPointer(runtime);
    if (args.length > 1) unsupported(runtime, "EventBus.publish with a publish callback", loc);
    const single = value instanceof SObjectValue;
    const records = single
      ? [value]
      : value instanceof ApexList
        ? value.items.map((item) => (item instanceof SObjectValue ? item : nullPointer(runtime)))
        : unsupported(runtime, `EventBus.publish of ${runtimeTypeName(value)}`, loc);
    const transaction = runtime.transaction;
    const immediate: BusEvent[] = [];
    const results = records.map((record) => {
      const event = record.type.platformEvent;
      if (!event)
        throwApex(runtime, "TypeException", `EventBus.publish accepts platform events only, not ${record.type.name}`);
      const id = `${record.type.keyPrefix}${String(++this.idCounter).padStart(12, "0")}`;
      const stored: StoredRecord = new Map();
      for (const [key, fieldValue] of record.fields) if (record.type.fields.has(key)) stored.set(key, fieldValue);
      stored.set("id", id);
      stored.set("eventuuid", randomUUID());
      stored.set("createddate", new ApexDatetime(runtime.clock.now()));
      stored.set("createdbyid", currentUserId(transaction));
      if (event.publishImmediately) immediate.push({ object: record.type, record: stored });
      // After commit: held with the transaction's records, so a rollback drops it.
      else data.table(record.type).set(id, stored);
      return new NativeObject("SaveResult", { r: { id, created: true, errors: [] } });
    });
    const afterCommit = records.length - immediate.length;
    if (immediate.length > 0) {
      const limits = transaction.limits;
      if (limits.publishImmediateDml >= LIMITS.publishImmediateDml)
        throwApex(
          runtime,
          "LimitException",
          `Too many immediate EventBus.publish calls: ${LIMITS.publishImmediateDml + 1}`
        );
      limits.publishImmediateDml++;
      if (transaction.test) transaction.test.events.push(...immediate);
      else this.toBus(immediate);
    }
    if (afterCommit > 0) {
      countLimit(runtime, "dmlStatements", 1);
      countLimit(runtime, "dmlRows", afterCommit);
      transaction.uncommittedDml = true;
    }
    return single ? results[0] : new ApexList({ kind: "native", name: "SaveResult" }, results);
  }

  private toBus(events: BusEvent[]) {
    for (const event of events) {
      event.record.set("replayid", String(++this.replayCounter));
      this.onBus.push(event);
      this.published.push(event);
    }
  }

  /** The transaction committed: its events published after commit go on the bus. */
  commit() {
    const { data } = this;
    for (const object of data.schema.objects.values()) {
      if (!object.platformEvent || object.platformEvent.publishImmediately) continue;
      const table = data.table(object);
      if (table.size === 0) continue;
      const held = [...table.values()];
      table.clear();
      this.toBus(held.map((record) => ({ object, record })));
    }
  }

  /** Whether events wait on the bus for delivery. */
  hasPending(): boolean {
    return this.onBus.length > 0;
  }

  /** Delivers what is on the bus now: per event object, in batches of up to 2,000. */
  deliver() {
    const events = this.onBus;
    this.onBus = [];
    const byObject = new Map<SObjectDescribe, BusEvent[]>();
    for (const event of events) byObject.set(event.object, [...(byObject.get(event.object) ?? []), event]);
    for (const [object, list] of byObject)
      for (let start = 0; start < list.length; start += MAX_EVENT_BATCH)
        this.deliverer?.(object, list.slice(start, start + MAX_EVENT_BATCH));
  }

  /** Test.getEventBus().deliver() and Test.stopTest: what the test published goes on the bus and is
   * delivered, and what the subscribers publish in turn, until nothing is left. */
  deliverInTest() {
    const test = this.runtime.transaction.test;
    if (!test) return;
    for (let round = 0; round < 100; round++) {
      this.commit();
      const pending = test.events.splice(0) as BusEvent[];
      this.toBus(pending);
      if (!this.hasPending()) return;
      this.deliver();
    }
  }

  /** A test method ended: nothing it published is delivered. */
  forgetTestEvents() {
    this.onBus = [];
  }
}
