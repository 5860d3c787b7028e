// What the interpreter's parts run on: the state of the running org (classes, frames, data,
// library) and the three entry points through which statements, expressions and method calls
// recurse into each other. The Interpreter class implements it; each part (classes, methods,
// members, calls, expressions, statements) is a set of functions over it.
//
// The parts bind the functions they import from other modules once, at the top of the file
// (`const { evaluate } = expressionsModule`), rather than calling through the import: tsx
// compiles every export to a getter, which would otherwise run on every call. Imports never
// form a cycle, so each module is initialised by then.
import type { BlockStmt, Expr, Stmt, TypeRef } from "../parse/ast.js";
import type { DataEngine } from "../data/engine.js";
import type { RuntimeContext } from "../runtime/context.js";
import { throwApex } from "../runtime/errors.js";
import type { ApexObject, ClassInfo, RType, Value } from "../runtime/values.js";
import type { Stdlib } from "../stdlib/registry.js";
import type { Coverage } from "./coverage.js";

/** A local variable: its declared type and current value. */
export interface Variable {
  type: RType;
  value: Value;
}

/** One running method, constructor, initialiser or accessor. */
export interface Frame {
  cls: ClassInfo;
  method: string;
  thisObject: ApexObject | null;
  scopes: Map<string, Variable>[];
  line: number;
  /** Property whose accessor is running: reading it inside reads the backing value. */
  accessor: string | null;
}

/** How a statement ended when it did not just run to its end. */
export type Completion = { kind: "break" } | { kind: "continue" } | { kind: "return"; value: Value } | undefined;
export const BREAK: Completion = { kind: "break" };
export const CONTINUE: Completion = { kind: "continue" };

/** Declared type of an argument: a type, null for the null literal, undefined when unknown. */
export type ArgType = RType | null | undefined;

export interface BrokenClass {
  name: string;
  message: string;
  isTest: boolean;
}

export interface Evaluator extends RuntimeContext {
  /** Top-level classes by lower-case name. */
  readonly classes: Map<string, ClassInfo>;
  /** Classes whose source could not be parsed, by lower-case name. */
  readonly brokenClasses: Map<string, BrokenClass>;
  readonly frames: Frame[];
  readonly data: DataEngine;
  readonly stdlib: Stdlib;
  readonly coverage: Coverage;
  readonly typeCache: WeakMap<TypeRef, RType>;
  /** Set while a queued job's own entry point is being started, so @future runs instead of queueing. */
  startingJob: boolean;
  evaluateExpression(expression: Expr, frame: Frame): Value;
  executeBlock(block: BlockStmt, frame: Frame): Completion;
  executeStatements(statements: Stmt[], frame: Frame): Completion;
}

const MAX_DEPTH = 1000;

export function pushFrame(evaluator: Evaluator, frame: Frame) {
  if (evaluator.frames.length >= MAX_DEPTH) throwApex(evaluator, "LimitException", "Maximum stack depth reached: 1001");
  evaluator.frames.push(frame);
}

/** The local variable of that lower-case name visible in the frame, innermost scope first. */
export function lookupLocal(frame: Frame, key: string): Variable | undefined {
  for (let i = frame.scopes.length - 1; i >= 0; i--) {
    const variable = frame.scopes[i].get(key);
    if (variable) return variable;
  }
  return undefined;
}
