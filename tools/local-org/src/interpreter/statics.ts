// Static fields and initialisers: run in source order on a class's first use in a transaction,
// reset between transactions.
import type { BlockStmt, Expr } from "../parse/ast.js";
import { coerce } from "../runtime/conversion.js";
import { ApexObject, type ClassInfo, type Value } from "../runtime/values.js";
import { pushFrame, type Evaluator, type Frame } from "./evaluator.js";
import { resolveType } from "./type-resolution.js";

export function resetStatics(evaluator: Evaluator) {
  const walk = (c: ClassInfo) => {
    c.statics = null;
    for (const i of c.inner.values()) walk(i);
  };
  for (const c of evaluator.classes.values()) walk(c);
}

export function ensureStatics(evaluator: Evaluator, ci: ClassInfo) {
  if (ci.statics || !ci.decl) return;
  ci.statics = new Map();
  if (ci.parent) ensureStatics(evaluator, ci.parent);
  const d = ci.decl;
  for (const f of d.fields) {
    if (!f.isStatic) continue;
    ci.staticTypes.set(f.name.toLowerCase(), resolveType(evaluator, f.type, ci, f));
    ci.statics.set(f.name.toLowerCase(), null);
  }
  // Static initialisers and field initialisers run in source order.
  const items: { order: number; run: () => void }[] = [];
  for (const [i, f] of d.fields.entries()) {
    if (!f.isStatic || !f.init) continue;
    const init = f.init;
    items.push({
      order: 2 * i + 1,
      run: () => {
        const k = f.name.toLowerCase();
        const v = evaluateInitializer(evaluator, ci, null, "<clinit>", init);
        ci.statics!.set(k, coerce(evaluator, v, ci.staticTypes.get(k)!));
      }
    });
  }
  for (const init of d.initializers) {
    if (!init.isStatic) continue;
    items.push({
      order: 2 * init.afterFields,
      run: () => runInitializerBlock(evaluator, ci, null, "<clinit>", init.body)
    });
  }
  items.sort((a, b) => a.order - b.order);
  for (const it of items) it.run();
}

export function evaluateInitializer(
  evaluator: Evaluator,
  ci: ClassInfo,
  thisObj: ApexObject | null,
  method: string,
  e: Expr
): Value {
  const frame: Frame = { cls: ci, method, thisObj, scopes: [new Map()], line: e.line, accessor: null };
  pushFrame(evaluator, frame);
  try {
    evaluator.coverage.cover(frame, e.line);
    return evaluator.evaluateExpression(e, frame);
  } finally {
    evaluator.frames.pop();
  }
}

export function runInitializerBlock(
  evaluator: Evaluator,
  ci: ClassInfo,
  thisObj: ApexObject | null,
  method: string,
  b: BlockStmt
) {
  const frame: Frame = { cls: ci, method, thisObj, scopes: [new Map()], line: b.line, accessor: null };
  pushFrame(evaluator, frame);
  try {
    evaluator.executeBlock(b, frame);
  } finally {
    evaluator.frames.pop();
  }
}
