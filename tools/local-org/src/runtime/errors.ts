// Errors raised while running Apex, and the free functions that raise them: an Apex
// exception code can catch, a feature outside the supported subset, code the compiler would
// refuse.
import type { Loc } from "../parse/ast.js";
import { locationSuffix } from "../parse/location.js";
import type { RuntimeContext } from "./context.js";
import { ApexObject, type ClassInfo, type Value } from "./values.js";

/** An Apex exception in flight; `obj` is the Apex exception instance. */
export class ApexThrow extends Error {
  constructor(readonly obj: ApexObject) {
    super(String(obj.ex?.message ?? ""));
  }
}

/** A feature outside the subset local-org runs. Never caught by Apex code. */
export class UnsupportedError extends Error {
  constructor(feature: string, loc: Loc | null) {
    super(`${feature} is not supported by local-org${locationSuffix(loc)}`);
  }
}

/** Code the Apex compiler would refuse (the runtime reports it when it reaches it). */
export class CompileError extends Error {
  constructor(message: string, loc: Loc | null) {
    super(`${message}${locationSuffix(loc)}`);
  }
}

/** A new instance of an exception class, with the line and stack of the running code. */
export function newException(runtime: RuntimeContext, cls: ClassInfo, message: Value, cause: Value = null): ApexObject {
  const exception = new ApexObject(cls);
  exception.ex = {
    message,
    cause,
    line: runtime.currentLocation()?.line ?? 0,
    stack: runtime.stackTrace(),
    // System exceptions outside the System namespace carry their own (ConnectApi.NotFoundException).
    typeName: cls.decl || cls.name.includes(".") ? cls.name : `System.${cls.name}`
  };
  return exception;
}

/** Throws a system exception, e.g. `throwApex(runtime, "ListException", "List index out of bounds: 3")`. */
export function throwApex(runtime: RuntimeContext, exceptionName: string, message: string): never {
  throw new ApexThrow(newException(runtime, runtime.systemTypes.exception(exceptionName), message));
}

/** Stops with "<feature> is not supported by local-org (File.cls:12)", at `loc` or the running line. */
export function unsupported(runtime: RuntimeContext, feature: string, loc?: Loc | null): never {
  throw new UnsupportedError(feature, loc ?? runtime.currentLocation());
}

export function nullPointer(runtime: RuntimeContext): never {
  throwApex(runtime, "NullPointerException", "Attempt to de-reference a null object");
}
