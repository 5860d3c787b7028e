// Runs Apex test classes: @TestSetup once per class, each test method in its own
// transaction on a copy of the setup data, with statics and limits reset.
import type { Interpreter } from "../interpreter/interpreter.js";
import { ApexThrow, CompileError, UnsupportedError } from "../runtime/errors.js";
import type { ClassInfo } from "../runtime/values.js";
import type { MethodDecl } from "../parse/ast.js";
import { ApexSyntaxError } from "../parse/syntax-error.js";
import { str } from "../runtime/operators.js";

export interface TestResult {
  className: string;
  methodName: string;
  outcome: "Pass" | "Fail";
  message: string | null;
  stackTrace: string | null;
  durationMs: number;
}

export interface CoverageEntry {
  covered: number;
  total: number;
  uncoveredLines: number[];
}

export interface TestRunResult {
  tests: TestResult[];
  coverage: Record<string, CoverageEntry>;
  passed: number;
  failed: number;
  durationMs: number;
}

const isAnnotated = (method: MethodDecl, name: string) =>
  method.modifiers.annotations.some((annotation) => annotation.name === name);

const seesAllData = (annotations: { name: string; params: Record<string, string> }[]) =>
  annotations.some((a) => a.name === "istest" && (a.params["seealldata"] ?? "").toLowerCase() === "true");

export function testMethodsOf(cls: ClassInfo): MethodDecl[] {
  return (cls.decl?.methods ?? []).filter(
    (method) => isAnnotated(method, "istest") || method.modifiers.keywords.has("testmethod")
  );
}

export function testClasses(interpreter: Interpreter): ClassInfo[] {
  return [...interpreter.classes.values()]
    .filter((current) => current.isTest && testMethodsOf(current).length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Describes a failure the way the platform reports it. */
export function describeError(
  interpreter: Interpreter,
  error: unknown
): { message: string; stackTrace: string | null } {
  if (error instanceof ApexThrow) {
    const exception = error.obj.ex!;
    const message = exception.message === null ? "Script-thrown exception" : str(interpreter, exception.message);
    return { message: `${exception.typeName}: ${message}`, stackTrace: exception.stack || null };
  }
  if (error instanceof UnsupportedError || error instanceof CompileError || error instanceof ApexSyntaxError) {
    return { message: error.message, stackTrace: interpreter.stackTrace() || null };
  }
  const err = error as Error;
  return {
    message: `local-org internal error: ${err?.message ?? String(error)}`,
    stackTrace: interpreter.stackTrace() || err?.stack || null
  };
}

export function runTests(interpreter: Interpreter, classFilter?: string[]): TestRunResult {
  const started = Date.now();
  const results: TestResult[] = [];
  const baseline = interpreter.data.snapshot();
  const baselineCounter = interpreter.data.idCounter;
  let classes = testClasses(interpreter);
  if (classFilter && classFilter.length > 0) {
    const wanted = new Set(classFilter.map((character) => character.toLowerCase()));
    const unknown = classFilter.filter(
      (character) =>
        !interpreter.classes.has(character.toLowerCase()) && !interpreter.brokenClasses.has(character.toLowerCase())
    );
    if (unknown.length) throw new Error(`no such test class: ${unknown.join(", ")}`);
    classes = classes.filter((current) => wanted.has(current.name.toLowerCase()));
  }
  // Test classes that could not be parsed fail as a whole.
  for (const b of interpreter.brokenClasses.values()) {
    if (
      !b.isTest ||
      (classFilter &&
        classFilter.length > 0 &&
        !classFilter.some((character) => character.toLowerCase() === b.name.toLowerCase()))
    )
      continue;
    results.push({
      className: b.name,
      methodName: "(class)",
      outcome: "Fail",
      message: b.message,
      stackTrace: null,
      durationMs: 0
    });
  }
  for (const cls of classes) {
    interpreter.data.restore(baseline, baselineCounter);
    interpreter.data.resetStandardPricebook(null);
    const setups = (cls.decl?.methods ?? []).filter((method) => isAnnotated(method, "testsetup"));
    let setupError: { message: string; stackTrace: string | null } | null = null;
    for (const method of setups) {
      beginTransaction(interpreter);
      try {
        interpreter.invoke(cls, method, null, [], null);
      } catch (error) {
        setupError = describeError(interpreter, error);
      } finally {
        interpreter.frames.length = 0;
      }
    }
    const snap = interpreter.data.snapshot();
    const counter = interpreter.data.idCounter;
    const stdPb = interpreter.data.standardPricebook;
    for (const method of testMethodsOf(cls)) {
      const t0 = performance.now();
      interpreter.data.restore(snap, counter);
      interpreter.data.resetStandardPricebook(stdPb);
      let failure: { message: string; stackTrace: string | null } | null = setupError;
      if (!failure) {
        beginTransaction(interpreter);
        try {
          if (!method.isStatic)
            throw new UnsupportedError(`non-static test method ${cls.name}.${method.name}`, {
              file: method.file,
              line: method.line
            });
          // Tests that see the org's data need an org; there is none here to see.
          if (seesAllData(method.modifiers.annotations) || seesAllData(cls.decl?.modifiers.annotations ?? []))
            throw new UnsupportedError(`@IsTest(SeeAllData=true) on ${cls.name}.${method.name}`, {
              file: method.file,
              line: method.line
            });
          interpreter.invoke(cls, method, null, [], null);
          // Jobs still queued (no Test.stopTest) run when the method ends; their failures fail it.
          interpreter.transaction.runQueued();
        } catch (error) {
          failure = describeError(interpreter, error);
        } finally {
          interpreter.frames.length = 0;
          interpreter.transaction.test = null;
          // What the test published and did not deliver is not delivered (the test event bus).
          interpreter.stdlib.eventBus.forgetTestEvents();
        }
      }
      results.push({
        className: cls.name,
        methodName: method.name,
        outcome: failure ? "Fail" : "Pass",
        message: failure ? failure.message : null,
        stackTrace: failure ? failure.stackTrace : null,
        durationMs: Math.round((performance.now() - t0) * 10) / 10
      });
    }
  }
  interpreter.data.restore(baseline, baselineCounter);
  const passed = results.filter((r) => r.outcome === "Pass").length;
  return {
    tests: results,
    coverage: coverage(interpreter),
    passed,
    failed: results.length - passed,
    durationMs: Date.now() - started
  };
}

function beginTransaction(interpreter: Interpreter) {
  interpreter.resetStatics();
  interpreter.transaction.beginTest();
}

/** Line coverage of non-test classes, counting the lines that hold executable code. */
export function coverage(interpreter: Interpreter): Record<string, CoverageEntry> {
  const out: Record<string, CoverageEntry> = {};
  for (const cls of [...interpreter.classes.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (cls.isTest || !cls.decl || cls.kind !== "class") continue;
    const lines = cls.decl.executableLines;
    if (lines.size === 0) continue;
    const hit = interpreter.coverage.covered.get(cls.name) ?? new Set<number>();
    const uncovered = [...lines].filter((l) => !hit.has(l)).sort((a, b) => a - b);
    out[cls.name] = { covered: lines.size - uncovered.length, total: lines.size, uncoveredLines: uncovered };
  }
  return out;
}
