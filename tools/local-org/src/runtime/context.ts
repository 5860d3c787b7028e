// The few things the data and library layers need from the interpreter that runs them. The
// interpreter implements this interface; code below it never imports the interpreter.
import type { Expr, Loc, TypeRef } from "../parse/ast.js";
import type { OrgClock } from "./clock.js";
import type { SystemTypes } from "./system-types.js";
import type { Transaction } from "./transaction.js";
import type { ApexObject, ClassInfo, NativeObject, RType, Value } from "./values.js";

/** Returned by `callDeclaredMethod` when the object's class does not declare the method. */
export const NO_METHOD: unique symbol = Symbol("no method");

export interface RuntimeContext {
  /** Limits, running user, test state and queued jobs of the running transaction. */
  readonly transaction: Transaction;
  /** The org's clock, which LocalOrg.advanceClock moves. */
  readonly clock: OrgClock;
  /** System exception classes, interfaces and enums. */
  readonly systemTypes: SystemTypes;
  /** The file and line running now, or null outside Apex code. */
  currentLocation(): Loc | null;
  /** The Apex stack, innermost frame first, as exceptions report it. */
  stackTrace(): string;
  /** Calls a method the object's own class (or a superclass) declares with that arity, such as
   * toString, equals, hashCode or compareTo; NO_METHOD when there is none. */
  callDeclaredMethod(object: ApexObject, lowerName: string, args: Value[]): Value | typeof NO_METHOD;
  /** Calls an instance method by name, with virtual dispatch and the system methods as fallback. */
  callMethod(object: ApexObject, name: string, args: Value[], loc: Loc): Value;
  /** `new Cls(args)`. */
  instantiate(cls: ClassInfo, args: Value[], loc: Loc): ApexObject;
  /** Reads a field or property of an object, running its getter. */
  readProperty(object: ApexObject, name: string, loc: Loc): Value;
  /** Evaluates an expression in the frame of the running method (bind variables of dynamic SOQL). */
  evaluate(expression: Expr): Value;
  /** Resolves a type written in source, seen from a class (null: from the top level). */
  resolveType(ref: TypeRef, from: ClassInfo | null, loc: Loc): RType;
  /** Finds a type by lower-case qualified name; null when there is none. */
  lookupType(lowerNames: string[], from: ClassInfo | null): RType | null;
  /** String.valueOf of a system object (HttpRequest, SObjectType, ...). */
  nativeToString(value: NativeObject): string;
}
