// The methods of exceptions (getMessage, getDmlFields, ...) and the methods every object has.
import { ApexList, ApexObject, NativeObject, type Value } from "../runtime/values.js";
import { prim } from "../runtime/types.js";
import { str } from "../runtime/operators.js";
import type { Stdlib } from "./registry.js";
import { throwApex } from "../runtime/errors.js";

export function installExceptions(lib: Stdlib) {
  const rt = lib.runtime;
  const data = lib.data;
  const ex = (o: ApexObject) => o.ex!;
  const dml = (o: ApexObject, i: Value) => {
    const errs = ex(o).dmlErrors ?? [];
    const e = errs[typeof i === "number" ? i : 0];
    if (!e) throwApex(rt, "ListException", `List index out of bounds: ${String(i)}`);
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
      const obj = e.object ? data.schema.get(e.object) : null;
      const tokens = obj ? e.fields.map((f) => data.fieldToken(obj, f.toLowerCase())) : [];
      return new ApexList(
        { kind: "native", name: "SObjectField" },
        tokens.filter((t): t is NativeObject => t !== null)
      );
    }
  });
  lib.instance("any", {
    toString: (o: Value) => str(rt, o),
    hashCode: (o) => (o instanceof ApexObject ? o.identity : 0),
    equals: (o, a) => o === a[0]
  });
}
