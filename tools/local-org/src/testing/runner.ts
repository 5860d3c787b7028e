// Runs Apex test classes: @TestSetup once per class, each test method in its own
// transaction on a copy of the setup data, with statics and limits reset.
import type { Interpreter } from "../interpreter/interpreter.js";
import { ApexThrow, CompileError, UnsupportedError } from "../runtime/errors.js";
import type { ClassInfo } from "../runtime/values.js";
import type { MethodDecl } from "../parse/ast.js";
import { ApexSyntaxError } from "../parse/convert.js";
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

const isAnnotated = (m: MethodDecl, name: string) => m.mods.annotations.some((a) => a.name === name);

const seesAllData = (annotations: { name: string; params: Record<string, string> }[]) =>
  annotations.some((a) => a.name === "istest" && (a.params["seealldata"] ?? "").toLowerCase() === "true");

export function testMethodsOf(ci: ClassInfo): MethodDecl[] {
  return (ci.decl?.methods ?? []).filter((m) => isAnnotated(m, "istest") || m.mods.keywords.has("testmethod"));
}

export function testClasses(rt: Interpreter): ClassInfo[] {
  return [...rt.classes.values()]
    .filter((c) => c.isTest && testMethodsOf(c).length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Describes a failure the way the platform reports it. */
export function describeError(rt: Interpreter, e: unknown): { message: string; stackTrace: string | null } {
  if (e instanceof ApexThrow) {
    const ex = e.obj.ex!;
    const msg = ex.message === null ? "Script-thrown exception" : str(rt, ex.message);
    return { message: `${ex.typeName}: ${msg}`, stackTrace: ex.stack || null };
  }
  if (e instanceof UnsupportedError || e instanceof CompileError || e instanceof ApexSyntaxError) {
    return { message: e.message, stackTrace: rt.stackTrace() || null };
  }
  const err = e as Error;
  return {
    message: `local-org internal error: ${err?.message ?? String(e)}`,
    stackTrace: rt.stackTrace() || err?.stack || null
  };
}

export function runTests(rt: Interpreter, classFilter?: string[]): TestRunResult {
  const started = Date.now();
  const results: TestResult[] = [];
  const baseline = rt.data.snapshot();
  const baselineCounter = rt.data.idCounter;
  let classes = testClasses(rt);
  if (classFilter && classFilter.length > 0) {
    const wanted = new Set(classFilter.map((c) => c.toLowerCase()));
    const unknown = classFilter.filter(
      (c) => !rt.classes.has(c.toLowerCase()) && !rt.brokenClasses.has(c.toLowerCase())
    );
    if (unknown.length) throw new Error(`no such test class: ${unknown.join(", ")}`);
    classes = classes.filter((c) => wanted.has(c.name.toLowerCase()));
  }
  // Test classes that could not be parsed fail as a whole.
  for (const b of rt.brokenClasses.values()) {
    if (
      !b.isTest ||
      (classFilter && classFilter.length > 0 && !classFilter.some((c) => c.toLowerCase() === b.name.toLowerCase()))
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
  for (const ci of classes) {
    rt.data.restore(baseline, baselineCounter);
    rt.data.resetStandardPricebook(null);
    const setups = (ci.decl?.methods ?? []).filter((m) => isAnnotated(m, "testsetup"));
    let setupError: { message: string; stackTrace: string | null } | null = null;
    for (const m of setups) {
      beginTransaction(rt);
      try {
        rt.invoke(ci, m, null, [], null);
      } catch (e) {
        setupError = describeError(rt, e);
      } finally {
        rt.frames.length = 0;
      }
    }
    const snap = rt.data.snapshot();
    const counter = rt.data.idCounter;
    const stdPb = rt.data.standardPricebook;
    for (const m of testMethodsOf(ci)) {
      const t0 = performance.now();
      rt.data.restore(snap, counter);
      rt.data.resetStandardPricebook(stdPb);
      let failure: { message: string; stackTrace: string | null } | null = setupError;
      if (!failure) {
        beginTransaction(rt);
        try {
          if (!m.isStatic)
            throw new UnsupportedError(`non-static test method ${ci.name}.${m.name}`, { file: m.file, line: m.line });
          // Tests that see the org's data need an org; there is none here to see.
          if (seesAllData(m.mods.annotations) || seesAllData(ci.decl?.mods.annotations ?? []))
            throw new UnsupportedError(`@IsTest(SeeAllData=true) on ${ci.name}.${m.name}`, {
              file: m.file,
              line: m.line
            });
          rt.invoke(ci, m, null, [], null);
          // Jobs still queued (no Test.stopTest) run when the method ends; their failures fail it.
          rt.transaction.runQueued();
        } catch (e) {
          failure = describeError(rt, e);
        } finally {
          rt.frames.length = 0;
          rt.transaction.test = null;
        }
      }
      results.push({
        className: ci.name,
        methodName: m.name,
        outcome: failure ? "Fail" : "Pass",
        message: failure ? failure.message : null,
        stackTrace: failure ? failure.stackTrace : null,
        durationMs: Math.round((performance.now() - t0) * 10) / 10
      });
    }
  }
  rt.data.restore(baseline, baselineCounter);
  const passed = results.filter((r) => r.outcome === "Pass").length;
  return {
    tests: results,
    coverage: coverage(rt),
    passed,
    failed: results.length - passed,
    durationMs: Date.now() - started
  };
}

function beginTransaction(rt: Interpreter) {
  rt.resetStatics();
  rt.transaction.beginTest();
}

/** Line coverage of non-test classes, counting the lines that hold executable code. */
export function coverage(rt: Interpreter): Record<string, CoverageEntry> {
  const out: Record<string, CoverageEntry> = {};
  for (const ci of [...rt.classes.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (ci.isTest || !ci.decl || ci.kind !== "class") continue;
    const lines = ci.decl.executableLines;
    if (lines.size === 0) continue;
    const hit = rt.coverage.covered.get(ci.name) ?? new Set<number>();
    const uncovered = [...lines].filter((l) => !hit.has(l)).sort((a, b) => a - b);
    out[ci.name] = { covered: lines.size - uncovered.length, total: lines.size, uncoveredLines: uncovered };
  }
  return out;
}
