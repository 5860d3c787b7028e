// System exception classes, system interfaces and the Exception methods.
import type { Interpreter } from "../interpreter/interpreter.js";
import type { ClassInfo } from "../interpreter/types.js";
import { ApexList, ApexObject, type Value } from "../interpreter/values.js";
import { prim } from "../interpreter/types.js";
import { str } from "../interpreter/ops.js";
import type { Stdlib } from "./registry.js";

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

export function installExceptions(rt: Interpreter, lib: Stdlib) {
  const base = systemClass("Exception", "class", null);
  rt.systemClasses.set("exception", base);
  rt.systemClasses.set("system.exception", base);
  for (const name of SYSTEM_EXCEPTIONS) {
    const ci = systemClass(name, "class", base);
    if (name === "LimitException" || name === "AssertException") ci.uncatchable = true;
    rt.systemClasses.set(name.toLowerCase(), ci);
    rt.systemClasses.set(`system.${name.toLowerCase()}`, ci);
  }
  for (const name of SYSTEM_INTERFACES) {
    const simple = name.split(".").pop()!;
    const ci = systemClass(simple, "interface", null);
    ci.isException = false;
    rt.systemClasses.set(name.toLowerCase(), ci);
    if (!name.includes(".")) rt.systemClasses.set(`system.${name.toLowerCase()}`, ci);
  }

  const ex = (o: ApexObject) => o.ex!;
  const dml = (o: ApexObject, i: Value) => {
    const errs = ex(o).dmlErrors ?? [];
    const e = errs[typeof i === "number" ? i : 0];
    if (!e) rt.throwApex("ListException", `List index out of bounds: ${String(i)}`);
    return e;
  };
  lib.instance<ApexObject>("exception", {
    getMessage: (o) => ex(o).message,
    setMessage: (o, a) => {
      ex(o).message = a[0] === null ? null : str(rt, a[0]);
      return null;
    },
    getCause: (o) => ex(o).cause,
    initCause: (o, a) => {
      ex(o).cause = a[0];
      return null;
    },
    getTypeName: (o) => ex(o).typeName,
    getLineNumber: (o) => ex(o).line,
    getStackTraceString: (o) => ex(o).stack,
    getNumDml: (o) => (ex(o).dmlErrors ?? []).length,
    getDmlMessage: (o, a) => dml(o, a[0]).message,
    getDmlStatusCode: (o, a) => dml(o, a[0]).statusCode,
    getDmlType: (o, a) => lib.enumValue("StatusCode", dml(o, a[0]).statusCode),
    getDmlIndex: (o, a) => dml(o, a[0]).index,
    getDmlFieldNames: (o, a) => new ApexList(prim("String"), [...dml(o, a[0]).fields]),
    getDmlFields: (o, a) => {
      const e = dml(o, a[0]);
      const obj = e.object ? rt.schema.get(e.object) : null;
      const tokens = obj ? e.fields.map((f) => rt.data.fieldToken(obj, f.toLowerCase())) : [];
      return new ApexList(
        { k: "native", name: "SObjectField" },
        tokens.filter((t): t is Value => typeof t !== "symbol")
      );
    }
  });
  lib.instance("any", {
    toString: (o: Value) => str(rt, o),
    hashCode: (o) => (o instanceof ApexObject ? o.identity : 0),
    equals: (o, a) => o === a[0]
  });
}
