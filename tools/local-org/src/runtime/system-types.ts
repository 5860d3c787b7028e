// System classes: the Exception hierarchy Apex code can see and catch, the system
// interfaces user classes implement, and the system enums the library defines.
import { EnumValue, type ClassInfo } from "./values.js";

const SYSTEM_EXCEPTIONS = [
  "AssertException",
  "AuraHandledException",
  "AsyncException",
  "CalloutException",
  "DmlException",
  "EmailException",
  "FinalException",
  "FlowException",
  "HandledException",
  "IllegalArgumentException",
  "InvalidParameterValueException",
  "JSONException",
  "LimitException",
  "ListException",
  "MathException",
  "NoAccessException",
  "NoDataFoundException",
  "NoSuchElementException",
  "NullPointerException",
  "QueryException",
  "RequiredFeatureMissingException",
  "SecurityException",
  "SerializationException",
  "SObjectException",
  "StringException",
  "TypeException",
  "UnexpectedException",
  "XmlException"
];

const SYSTEM_INTERFACES = [
  "HttpCalloutMock",
  "Queueable",
  "Comparable",
  "Schedulable",
  "Callable",
  "Iterator",
  "Iterable",
  "Comparator",
  "Database.Batchable",
  "Database.AllowsCallouts",
  "Database.Stateful",
  "Database.RaisesPlatformEvents",
  "Finalizer",
  "StubProvider"
];

export function systemClass(name: string, kind: ClassInfo["kind"], parent: ClassInfo | null): ClassInfo {
  return {
    name,
    kind,
    decl: null,
    parent,
    interfaces: [],
    outer: null,
    inner: new Map(),
    methods: new Map(),
    fields: new Map(),
    isException: kind === "class",
    isTest: false,
    statics: null,
    staticTypes: new Map(),
    enumValues: [],
    linked: true,
    file: "System"
  };
}

export class SystemTypes {
  /** By lower-case simple and qualified name (`dmlexception`, `system.dmlexception`). */
  readonly classes = new Map<string, ClassInfo>();
  /** System enums (RoundingMode, StatusCode, ...) by lower-case simple name. */
  readonly enums = new Map<string, ClassInfo>();

  constructor() {
    const base = systemClass("Exception", "class", null);
    this.classes.set("exception", base);
    this.classes.set("system.exception", base);
    for (const name of SYSTEM_EXCEPTIONS) {
      const cls = systemClass(name, "class", base);
      if (name === "LimitException" || name === "AssertException") cls.uncatchable = true;
      this.classes.set(name.toLowerCase(), cls);
      this.classes.set(`system.${name.toLowerCase()}`, cls);
    }
    for (const name of SYSTEM_INTERFACES) {
      const simple = name.split(".").pop()!;
      const cls = systemClass(simple, "interface", null);
      cls.isException = false;
      this.classes.set(name.toLowerCase(), cls);
      if (!name.includes(".")) this.classes.set(`system.${name.toLowerCase()}`, cls);
    }
  }

  get(lowerName: string): ClassInfo | undefined {
    return this.classes.get(lowerName);
  }

  exception(name: string): ClassInfo {
    const cls = this.classes.get(name.toLowerCase());
    if (!cls) throw new Error(`unknown system exception ${name}`);
    return cls;
  }

  /** Defines a system enum (RoundingMode, LoggingLevel, ...) whose values are real enum values. */
  defineEnum(qualified: string, values: string[]): ClassInfo {
    const simple = qualified.split(".").pop()!;
    const cls = systemClass(simple, "enum", null);
    cls.isException = false;
    cls.enumValues = values.map((name, ordinal) => new EnumValue(cls, name, ordinal));
    this.enums.set(simple.toLowerCase(), cls);
    this.classes.set(simple.toLowerCase(), cls);
    this.classes.set(qualified.toLowerCase(), cls);
    return cls;
  }

  /** The value of a system enum by name, or null for a null name. */
  enumValue(simple: string, name: string | null): EnumValue | null {
    if (name === null) return null;
    const cls = this.enums.get(simple.toLowerCase());
    const value = cls?.enumValues.find((candidate) => (candidate as EnumValue).name === name);
    if (!value) throw new Error(`unknown ${simple} value ${name}`);
    return value as EnumValue;
  }
}
