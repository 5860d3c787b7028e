// Dispatch table for the system library. Each class family lives in its own file and
// registers its static methods, instance methods, properties and constructors here
// (library.ts installs them all).
import type { Loc } from "../parse/ast.js";
import type { DataEngine } from "../data/engine.js";
import type { RuntimeContext } from "../runtime/context.js";
import { typeName } from "../runtime/types.js";
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  ApexTime,
  EnumValue,
  NamespaceValue,
  NativeObject,
  SObjectValue,
  TypeValue,
  type Value,
  type ClassInfo,
  type RType
} from "../runtime/values.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { ApexScheduler } from "./apex-scheduler.js";
import { CredentialStore } from "./credential-store.js";
import { EventBus } from "./event-bus.js";
import { Outbox, type EmailDeliverability } from "./outbox.js";

export interface NamedCredentialConfig {
  /** Base URL; `callout:Name/path` becomes `<url>/path`. */
  url: string;
  /** Headers added to every request through this credential (e.g. an API key). Values may use
   * `{!$Credential.ExternalCredential.Parameter}` merge fields, filled from the credential values. */
  headers?: Record<string, string>;
}

export const NOT_FOUND: unique symbol = Symbol("not found");
export type Result = Value | typeof NOT_FOUND;

export type StaticFn = (args: Value[], loc: Loc) => Value;
export type InstanceFn<T = Value> = (self: T, args: Value[], loc: Loc) => Value;
export type PropFn<T = Value> = (self: T, loc: Loc, key: string) => Value;

export type Kind =
  | "string"
  | "integer"
  | "long"
  | "decimal"
  | "double"
  | "boolean"
  | "date"
  | "datetime"
  | "time"
  | "blob"
  | "list"
  | "set"
  | "map"
  | "sobject"
  | "enum"
  | "type"
  | "exception"
  | "object"
  | string;

export class Stdlib {
  /** Static methods by lower-case class name (String, Math, System, Test, Database, ...). */
  readonly statics = new Map<string, Map<string, StaticFn>>();
  /** Static properties by lower-case class name. */
  readonly staticProps = new Map<string, Map<string, (loc: Loc, key: string) => Value>>();
  /** Instance methods by value kind; native objects use their lower-case type name. */
  readonly methods = new Map<string, Map<string, InstanceFn>>();
  readonly props = new Map<string, Map<string, PropFn>>();
  readonly constructors = new Map<string, (args: Value[], loc: Loc) => Value>();
  /** Native type display names by lower-case simple and qualified name. */
  readonly nativeTypes = new Map<string, string>();
  readonly namespaces = new Set(["system", "schema", "database"]);
  readonly toStrings = new Map<string, (object: NativeObject) => string>();

  /** Custom label values by lower-case name. */
  readonly labels = new Map<string, string>();
  /** Named Credentials by lower-case name, from metadata and the caller's configuration. */
  readonly namedCredentials = new Map<string, NamedCredentialConfig>();
  /** External credential parameter values by lower-case `Credential.Parameter`. */
  readonly credentials = new Map<string, string>();
  /** External credentials and the values ConnectApi saved for their principals. */
  readonly externalCredentials = new CredentialStore();
  /** Scheduled Apex jobs and the Schedulables they run. */
  readonly scheduler: ApexScheduler;
  /** Platform events published and waiting for delivery. */
  readonly eventBus: EventBus;
  /** Emails and custom notifications that left the org (committed transactions). */
  readonly outbox: Outbox;
  /** Setup, Deliverability: whether Apex may send single emails. */
  emailDeliverability: EmailDeliverability = "all";

  constructor(
    readonly runtime: RuntimeContext,
    readonly data: DataEngine
  ) {
    this.scheduler = new ApexScheduler(runtime, data);
    this.eventBus = new EventBus(runtime, data);
    this.outbox = new Outbox();
  }

  // ---- registration ----

  static_(cls: string, methods: Record<string, StaticFn>) {
    const key = cls.toLowerCase();
    const m = this.statics.get(key) ?? new Map();
    for (const [key, f] of Object.entries(methods)) m.set(key.toLowerCase(), f);
    this.statics.set(key, m);
    if (!this.isTypeName(key)) this.namespaces.add(key);
  }

  staticProp(cls: string, props: Record<string, (loc: Loc, key: string) => Value>) {
    const key = cls.toLowerCase();
    const m = this.staticProps.get(key) ?? new Map();
    for (const [key, f] of Object.entries(props)) m.set(key.toLowerCase(), f);
    this.staticProps.set(key, m);
  }

  instance<T = Value>(kind: Kind, methods: Record<string, InstanceFn<T>>) {
    const m = this.methods.get(kind) ?? new Map();
    for (const [key, f] of Object.entries(methods)) m.set(key.toLowerCase(), f as InstanceFn);
    this.methods.set(kind, m);
  }

  prop<T = Value>(kind: Kind, props: Record<string, PropFn<T>>) {
    const m = this.props.get(kind) ?? new Map();
    for (const [key, f] of Object.entries(props)) m.set(key.toLowerCase(), f as PropFn);
    this.props.set(kind, m);
  }

  /** A system enum (RoundingMode, LoggingLevel, ...): its values are real enum values. */
  systemEnum(qualified: string, values: string[]) {
    this.runtime.systemTypes.defineEnum(qualified, values);
  }

  /** The value of a system enum by name, or null for a null name. */
  enumValue(simple: string, name: string | null): EnumValue | null {
    return this.runtime.systemTypes.enumValue(simple, name);
  }

  /** The name of a system enum value handed to a system method (null stays null). */
  enumName(value: Value | undefined): string | null {
    if (value === null || value === undefined) return null;
    if (value instanceof EnumValue) return value.name;
    return String(value);
  }

  nativeType(
    qualified: string,
    ctor?: (args: Value[], loc: Loc) => Value,
    toString?: (object: NativeObject) => string
  ) {
    const simple = qualified.split(".").pop()!;
    this.nativeTypes.set(qualified.toLowerCase(), simple);
    this.nativeTypes.set(simple.toLowerCase(), simple);
    if (ctor) this.constructors.set(simple.toLowerCase(), ctor);
    if (toString) this.toStrings.set(simple.toLowerCase(), toString);
  }

  private isTypeName(key: string): boolean {
    return [
      "string",
      "integer",
      "long",
      "decimal",
      "double",
      "boolean",
      "id",
      "date",
      "datetime",
      "time",
      "blob",
      "object"
    ].includes(key);
  }

  // ---- lookups used by the interpreter ----

  nativeTypeName(joined: string): string | null {
    return this.nativeTypes.get(joined) ?? null;
  }

  isNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  kindOf(value: Value): Kind {
    if (typeof value === "string") return "string";
    if (typeof value === "number") return "integer";
    if (typeof value === "bigint") return "long";
    if (typeof value === "boolean") return "boolean";
    if (value instanceof ApexDecimal) return "decimal";
    if (value instanceof ApexDouble) return "double";
    if (value instanceof ApexDate) return "date";
    if (value instanceof ApexDatetime) return "datetime";
    if (value instanceof ApexTime) return "time";
    if (value instanceof ApexBlob) return "blob";
    if (value instanceof ApexList) return "list";
    if (value instanceof ApexSet) return "set";
    if (value instanceof ApexMap) return "map";
    if (value instanceof SObjectValue) return "sobject";
    if (value instanceof EnumValue) return "enum";
    if (value instanceof TypeValue) return "type";
    if (value instanceof NativeObject) return value.typeName.toLowerCase();
    if (value instanceof ApexObject) return value.ex ? "exception" : "object";
    return "object";
  }

  callInstance(value: Value, lowerName: string, args: Value[], loc: Loc): Result {
    const kind = this.kindOf(value);
    const method = this.methods.get(kind)?.get(lowerName) ?? this.methods.get("any")?.get(lowerName);
    if (method) return this.guard(args, () => method(value, args, loc));
    return NOT_FOUND;
  }

  /** A system method handed null where it needs a value fails as the platform does. */
  private guard(args: Value[], call: () => Value): Value {
    try {
      return call();
    } catch (error) {
      if (error instanceof TypeError && args.includes(null)) nullPointer(this.runtime);
      throw error;
    }
  }

  callObjectBuiltin(obj: ApexObject, lowerName: string, args: Value[], loc: Loc): Result {
    if (obj.ex) {
      const method = this.methods.get("exception")?.get(lowerName);
      if (method) return method(obj, args, loc);
    }
    const f = this.methods.get("any")?.get(lowerName);
    if (f) return f(obj, args, loc);
    return NOT_FOUND;
  }

  getValueProperty(value: Value, key: string, loc: Loc): Result {
    const props = this.props.get(this.kindOf(value));
    const f = props?.get(key) ?? props?.get("*");
    if (f) return f(value, loc, key);
    return NOT_FOUND;
  }

  getStaticProperty(type: RType, key: string, loc: Loc): Result {
    if (type.kind === "sobject" && type.obj) {
      const f = this.props.get("sobjecttype-static")?.get(key);
      if (f) return f(new TypeValue(type), loc, key);
      return this.data.fieldToken(type.obj, key) ?? NOT_FOUND;
    }
    const props = this.staticProps.get(typeName(type).toLowerCase());
    const f = props?.get(key) ?? props?.get("*");
    if (f) return f(loc, key);
    return NOT_FOUND;
  }

  getNamespaceMember(ns: string, key: string, loc: Loc): Result {
    const props = this.staticProps.get(ns);
    const f = props?.get(key) ?? props?.get("*");
    if (f) return f(loc, key);
    if (this.namespaces.has(key)) return new NamespaceValue(key);
    return NOT_FOUND;
  }

  callStatic(type: RType, lowerName: string, args: Value[], loc: Loc): Result {
    if (type.kind === "sobject" && type.obj) {
      const method = this.methods.get("sobjecttype-static")?.get(lowerName);
      if (method) return method(new TypeValue(type), args, loc);
      return NOT_FOUND;
    }
    const key = type.kind === "class" ? type.cls.name.toLowerCase() : typeName(type).toLowerCase();
    const f = this.statics.get(key)?.get(lowerName);
    if (f) return this.guard(args, () => f(args, loc));
    return NOT_FOUND;
  }

  callNamespace(ns: string, lowerName: string, args: Value[], loc: Loc): Result {
    const method = this.statics.get(ns)?.get(lowerName);
    if (method) return this.guard(args, () => method(args, loc));
    return NOT_FOUND;
  }

  callEnumStatic(cls: ClassInfo, lowerName: string, args: Value[]): Result {
    if (lowerName === "values" && args.length === 0) {
      return new ApexList({ kind: "class", cls }, [...cls.enumValues]);
    }
    if (lowerName === "valueof" && args.length === 1) {
      const s = args[0];
      if (s === null) return null;
      const found = cls.enumValues.find((value) => (value as EnumValue).name === s);
      if (!found) throwApex(this.runtime, "NoSuchElementException", `No enum constant ${cls.name}.${String(s)}`);
      return found;
    }
    return NOT_FOUND;
  }

  construct(name: string, args: Value[], loc: Loc): Value {
    const c = this.constructors.get(name.toLowerCase());
    if (!c) unsupported(this.runtime, `new ${name}`, loc);
    return c(args, loc);
  }

  nativeToString(object: NativeObject): string {
    const f = this.toStrings.get(object.typeName.toLowerCase());
    return f ? f(object) : `${object.typeName}`;
  }
}
