// The methods of exceptions (getMessage, getDmlFields, ...) and the methods every object has.
import { ApexList, ApexObject, NativeObject, type Value } from "../runtime/values.js";
import { prim } from "../runtime/types.js";
import { str } from "../runtime/operators.js";
import type { Stdlib } from "./registry.js";
import { throwApex } from "../runtime/errors.js";

export function installExceptions(lib: Stdlib) {
  const runtime = lib.runtime;
  const data = lib.data;
  const exception = (object: ApexObject) => object.ex!;
  const dml = (object: ApexObject, i: Value) => {
    const errs = exception(object).dmlErrors ?? [];
    const e = errs[typeof i === "number" ? i : 0];
    if (!e) throwApex(runtime, "ListException", `List index out of bounds: ${String(i)}`);
    return e;
  };
  lib.instance<ApexObject>("exception", {
    getMessage: (object) => exception(object).message,
    setMessage: (object, args) => {
      exception(object).message = args[0] === null ? null : str(runtime, args[0]);
      return null;
    },
    getCause: (object) => exception(object).cause,
    initCause: (object, args) => {
      exception(object).cause = args[0];
      return null;
    },
    getTypeName: (object) => exception(object).typeName,
    getLineNumber: (object) => exception(object).line,
    getStackTraceString: (object) => exception(object).stack,
    getNumDml: (object) => (exception(object).dmlErrors ?? []).length,
    getDmlMessage: (object, args) => dml(object, args[0]).message,
    getDmlStatusCode: (object, args) => dml(object, args[0]).statusCode,
    getDmlType: (object, args) => lib.enumValue("StatusCode", dml(object, args[0]).statusCode),
    getDmlIndex: (object, args) => dml(object, args[0]).index,
    getDmlFieldNames: (object, args) => new ApexList(prim("String"), [...dml(object, args[0]).fields]),
    getDmlFields: (object, args) => {
      const e = dml(object, args[0]);
      const obj = e.object ? data.schema.get(e.object) : null;
      const tokens = obj ? e.fields.map((f) => data.fieldToken(obj, f.toLowerCase())) : [];
      return new ApexList(
        { kind: "native", name: "SObjectField" },
        tokens.filter((t): t is NativeObject => t !== null)
      );
    }
  });
  lib.instance("any", {
    toString: (o: Value) => str(runtime, o),
    hashCode: (o) => (o instanceof ApexObject ? o.identity : 0),
    equals: (o, args) => o === args[0]
  });
}
