// The interpreter of one org: its classes, call stack, data and library, and the entry points
// the layers above use (register classes, invoke a method, reset statics). Implements the
// RuntimeContext the data and library layers run on, and the Evaluator the interpreter's
// parts run on.
import type { BlockStmt, Expr, Loc, MethodDecl, Stmt, TypeDecl, TypeRef } from "../parse/ast.js";
import * as locationModule from "../parse/location.js";
import { DataEngine } from "../data/engine.js";
import type { Schema } from "../data/schema.js";
import { OrgClock } from "../runtime/clock.js";
import { NO_METHOD } from "../runtime/context.js";
import { SystemTypes } from "../runtime/system-types.js";
import { Transaction } from "../runtime/transaction.js";
import type { ApexObject, ClassInfo, NativeObject, RType, Value } from "../runtime/values.js";
import * as libraryModule from "../stdlib/library.js";
import type { Stdlib } from "../stdlib/registry.js";
import * as callsModule from "./calls.js";
import * as classesModule from "./classes.js";
import { Coverage } from "./coverage.js";
import type { BrokenClass, Completion, Evaluator, Frame } from "./evaluator.js";
import * as expressionsModule from "./expressions.js";
import * as methodsModule from "./methods.js";
import * as statementsModule from "./statements.js";
import * as staticsModule from "./statics.js";
import * as typeResolutionModule from "./type-resolution.js";

// Imported functions, bound once (see evaluator.ts).
const { ANONYMOUS_CLASS, TRIGGER_CLASS_PREFIX } = locationModule;
const { createStdlib } = libraryModule;
const { getMember } = callsModule;
const { instantiate, link, makeClass, registerTypes } = classesModule;
const { evaluate } = expressionsModule;
const { callObjectMethod, findUserMethod, invoke } = methodsModule;
const { executeBlock, executeStatements } = statementsModule;
const { resetStatics } = staticsModule;
const { lookupType, resolveType } = typeResolutionModule;

export class Interpreter implements Evaluator {
  readonly classes = new Map<string, ClassInfo>();
  readonly brokenClasses = new Map<string, BrokenClass>();
  readonly systemTypes = new SystemTypes();
  readonly transaction = new Transaction();
  readonly clock = new OrgClock();
  readonly frames: Frame[] = [];
  readonly coverage = new Coverage();
  readonly typeCache = new WeakMap<TypeRef, RType>();
  readonly data: DataEngine;
  readonly stdlib: Stdlib;
  startingJob = false;

  constructor(readonly schema: Schema) {
    this.data = new DataEngine(schema, this);
    this.stdlib = createStdlib(this, this.data);
  }

  // ---------- entry points for project loading, the test runner and the API ----------

  registerTypes(decls: TypeDecl[]) {
    registerTypes(this, decls);
  }

  /** Class metadata for a declaration that is not registered (anonymous Apex). */
  makeClass(decl: TypeDecl, outer: ClassInfo | null): ClassInfo {
    return makeClass(this, decl, outer);
  }

  link(cls: ClassInfo) {
    link(this, cls);
  }

  /** Calls a method; `thisObject` null for statics. */
  invoke(cls: ClassInfo, method: MethodDecl, thisObject: ApexObject | null, args: Value[], loc: Loc | null): Value {
    return invoke(this, cls, method, thisObject, args, loc);
  }

  resetStatics() {
    resetStatics(this);
  }

  // ---------- the Evaluator's recursion ----------

  evaluateExpression(expression: Expr, frame: Frame): Value {
    return evaluate(this, expression, frame);
  }

  executeBlock(block: BlockStmt, frame: Frame): Completion {
    return executeBlock(this, block, frame);
  }

  executeStatements(statements: Stmt[], frame: Frame): Completion {
    return executeStatements(this, statements, frame);
  }

  // ---------- the RuntimeContext of the data and library layers ----------

  resolveType(ref: TypeRef, from: ClassInfo | null, loc: Loc): RType {
    return resolveType(this, ref, from, loc);
  }

  lookupType(lowerNames: string[], from: ClassInfo | null): RType | null {
    return lookupType(this, lowerNames, from);
  }

  stackTrace(): string {
    const lines: string[] = [];
    // Very deep stacks (runaway recursion) are cut to their innermost frames.
    const shown = 100;
    for (let i = this.frames.length - 1; i >= Math.max(0, this.frames.length - shown); i--) {
      const frame = this.frames[i];
      lines.push(
        frame.cls.name === ANONYMOUS_CLASS
          ? `AnonymousBlock: line ${frame.line}, column 1`
          : frame.cls.name.startsWith(TRIGGER_CLASS_PREFIX)
            ? `${frame.cls.name}: line ${frame.line}, column 1`
            : `Class.${frame.cls.name}.${frame.method}: line ${frame.line}, column 1`
      );
    }
    if (this.frames.length > shown) lines.push(`(${this.frames.length - shown} more frames)`);
    return lines.join("\n");
  }

  currentLocation(): Loc | null {
    const frame = this.frames[this.frames.length - 1];
    return frame ? { file: frame.cls.file, line: frame.line } : null;
  }

  callDeclaredMethod(object: ApexObject, lowerName: string, args: Value[]): Value | typeof NO_METHOD {
    const found = findUserMethod(object.cls, lowerName, args.length);
    return found ? invoke(this, found.cls, found.method, object, args, null) : NO_METHOD;
  }

  callMethod(object: ApexObject, name: string, args: Value[], loc: Loc): Value {
    return callObjectMethod(this, object, name, args, loc);
  }

  instantiate(cls: ClassInfo, args: Value[], loc: Loc): ApexObject {
    return instantiate(this, cls, args, loc);
  }

  readProperty(object: ApexObject, name: string, loc: Loc): Value {
    return getMember(this, object, name, false, loc, null);
  }

  evaluate(expression: Expr): Value {
    return evaluate(this, expression, this.frames[this.frames.length - 1]);
  }

  nativeToString(value: NativeObject): string {
    return this.stdlib.nativeToString(value);
  }
}
