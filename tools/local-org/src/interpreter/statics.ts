// Static fields and initialisers: run in source order on a class's first use in a transaction,
// reset between transactions.
import type { BlockStmt, Expr } from "../parse/ast.js";
import * as conversionModule from "../runtime/conversion.js";
import { ApexObject, type ClassInfo, type Value } from "../runtime/values.js";
import type { Evaluator, Frame } from "./evaluator.js";
import * as evaluatorModule from "./evaluator.js";
import * as typeResolutionModule from "./type-resolution.js";

// Imported functions, bound once (see evaluator.ts).
const { coerce } = conversionModule;
const { pushFrame } = evaluatorModule;
const { resolveType } = typeResolutionModule;

export function resetStatics(evaluator: Evaluator) {
  const walk = (current: ClassInfo) => {
    current.statics = null;
    for (const i of current.inner.values()) walk(i);
  };
  for (const current of evaluator.classes.values()) walk(current);
}

export function ensureStatics(evaluator: Evaluator, cls: ClassInfo) {
  if (cls.statics || !cls.decl) return;
  cls.statics = new Map();
  if (cls.parent) ensureStatics(evaluator, cls.parent);
  const decl = cls.decl;
  for (const field of decl.fields) {
    if (!field.isStatic) continue;
    cls.staticTypes.set(field.name.toLowerCase(), resolveType(evaluator, field.type, cls, field));
    cls.statics.set(field.name.toLowerCase(), null);
  }
  // Static initialisers and field initialisers run in source order.
  const items: { order: number; run: () => void }[] = [];
  for (const [i, field] of decl.fields.entries()) {
    if (!field.isStatic || !field.initializer) continue;
    const init = field.initializer;
    items.push({
      order: 2 * i + 1,
      run: () => {
        const key = field.name.toLowerCase();
        const value = evaluateInitializer(evaluator, cls, null, "<clinit>", init);
        cls.statics!.set(key, coerce(evaluator, value, cls.staticTypes.get(key)!));
      }
    });
  }
  for (const init of decl.initializers) {
    if (!init.isStatic) continue;
    items.push({
      order: 2 * init.afterFields,
      run: () => runInitializerBlock(evaluator, cls, null, "<clinit>", init.body)
    });
  }
  items.sort((a, b) => a.order - b.order);
  for (const it of items) it.run();
}

export function evaluateInitializer(
  evaluator: Evaluator,
  cls: ClassInfo,
  thisObject: ApexObject | null,
  method: string,
  expression: Expr
): Value {
  const frame: Frame = {
    cls,
    method,
    thisObject,
    scopes: [new Map()],
    line: expression.line,
    accessor: null
  };
  pushFrame(evaluator, frame);
  try {
    evaluator.coverage.cover(frame, expression.line);
    return evaluator.evaluateExpression(expression, frame);
  } finally {
    evaluator.frames.pop();
  }
}

export function runInitializerBlock(
  evaluator: Evaluator,
  cls: ClassInfo,
  thisObject: ApexObject | null,
  method: string,
  b: BlockStmt
) {
  const frame: Frame = { cls, method, thisObject, scopes: [new Map()], line: b.line, accessor: null };
  pushFrame(evaluator, frame);
  try {
    evaluator.executeBlock(b, frame);
  } finally {
    evaluator.frames.pop();
  }
}
