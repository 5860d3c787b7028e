// The class registry and construction: class metadata from syntax trees, linking superclasses
// and interfaces, and `new` with constructors, this(...)/super(...) and instance initialisers.
import type { CallExpr, Loc, MethodDecl, TypeDecl } from "../parse/ast.js";
import { ANONYMOUS_CLASS, baseName } from "../parse/location.js";
import { coerce } from "../runtime/conversion.js";
import { CompileError, UnsupportedError, unsupported, newException } from "../runtime/errors.js";
import { str } from "../runtime/operators.js";
import { ApexObject, EnumValue, type ClassInfo, type Value } from "../runtime/values.js";
import { pushFrame, type ArgType, type Evaluator, type Frame } from "./evaluator.js";
import { resolveType } from "./type-resolution.js";
import { ensureStatics } from "./statics.js";
import { bindParams, pickOverload } from "./methods.js";

export function registerTypes(evaluator: Evaluator, decls: TypeDecl[]) {
  for (const d of decls) {
    const ci = makeClass(evaluator, d, null);
    const key = d.name.toLowerCase();
    if (evaluator.classes.has(key)) throw new Error(`duplicate class ${d.name} (${baseName(d.file)})`);
    evaluator.classes.set(key, ci);
  }
  for (const ci of evaluator.classes.values()) link(evaluator, ci);
}

export function makeClass(evaluator: Evaluator, d: TypeDecl, outer: ClassInfo | null): ClassInfo {
  const ci: ClassInfo = {
    name: outer ? `${outer.name}.${d.name}` : d.name,
    kind: d.kind,
    decl: d,
    parent: null,
    interfaces: [],
    outer,
    inner: new Map(),
    methods: new Map(),
    fields: new Map(),
    isException: false,
    isTest: d.mods.annotations.some((a) => a.name === "istest") || (outer?.isTest ?? false),
    statics: null,
    staticTypes: new Map(),
    enumValues: [],
    linked: false,
    file: d.file
  };
  for (const m of d.methods) {
    const k = m.name.toLowerCase();
    const list = ci.methods.get(k) ?? [];
    list.push(m);
    ci.methods.set(k, list);
  }
  for (const f of d.fields) ci.fields.set(f.name.toLowerCase(), f);
  for (const inner of d.inner) ci.inner.set(inner.name.toLowerCase(), makeClass(evaluator, inner, ci));
  if (d.kind === "enum") ci.enumValues = d.enumValues.map((n, i) => new EnumValue(ci, n, i));
  return ci;
}

export function link(evaluator: Evaluator, ci: ClassInfo) {
  if (ci.linked) return;
  ci.linked = true;
  const d = ci.decl;
  if (d) {
    const loc = { file: d.file, line: d.line };
    if (d.extends) {
      const p = resolveType(evaluator, d.extends, ci.outer ?? ci, loc);
      if (p.kind !== "class") throw new UnsupportedError(`extending ${d.extends.text}`, loc);
      ci.parent = p.cls;
      link(evaluator, p.cls);
      ci.isException = p.cls.isException;
    }
    for (const i of d.implements) {
      const t = resolveType(evaluator, i, ci.outer ?? ci, loc);
      if (t.kind === "class") ci.interfaces.push(t.cls);
    }
    // Apex allows inner classes one level deep (classes declared in anonymous Apex count as top level).
    if (ci.outer?.outer && ci.outer.outer.name !== ANONYMOUS_CLASS)
      throw new UnsupportedError(`inner class ${ci.name} inside an inner class`, loc);
    if (ci.isException && !ci.name.toLowerCase().endsWith("exception")) {
      throw new CompileError("exception class names must end with 'Exception'", loc);
    }
  }
  for (const inner of ci.inner.values()) link(evaluator, inner);
}

export function instantiate(
  evaluator: Evaluator,
  ci: ClassInfo,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
): ApexObject {
  if (ci.kind === "interface") unsupported(evaluator, `new on interface ${ci.name}`, loc);
  if (ci.decl?.mods.keywords.has("abstract")) unsupported(evaluator, `new on abstract class ${ci.name}`, loc);
  if (ci.isException && !ci.decl) {
    return newSystemException(evaluator, ci, args);
  }
  ensureStatics(evaluator, ci);
  const obj = new ApexObject(ci);
  if (ci.isException) {
    obj.ex = {
      message: null,
      cause: null,
      line: evaluator.frames[evaluator.frames.length - 1]?.line ?? loc.line,
      stack: evaluator.stackTrace(),
      typeName: ci.name
    };
  }
  // Every field of the hierarchy starts null.
  for (let c: ClassInfo | null = ci; c && c.decl; c = c.parent) {
    for (const f of c.decl.fields) if (!f.isStatic) obj.fields.set(f.name.toLowerCase(), null);
  }
  construct(evaluator, ci, obj, args, loc, argTypes);
  return obj;
}

export function newSystemException(evaluator: Evaluator, ci: ClassInfo, args: Value[]): ApexObject {
  const obj = newException(evaluator, ci, null);
  applyExceptionArgs(evaluator, obj, args);
  // AuraHandledException keeps its constructor message from Apex code; only setMessage shows one.
  if (ci.name === "AuraHandledException" && obj.ex) obj.ex.message = "Script-thrown exception";
  return obj;
}

export function applyExceptionArgs(evaluator: Evaluator, obj: ApexObject, args: Value[]) {
  if (!obj.ex) return;
  if (args.length === 1) {
    if (args[0] instanceof ApexObject && args[0].ex) obj.ex.cause = args[0];
    else obj.ex.message = args[0] === null ? null : str(evaluator, args[0]);
  } else if (args.length === 2) {
    obj.ex.message = args[0] === null ? null : str(evaluator, args[0]);
    obj.ex.cause = args[1];
  }
}

export function construct(
  evaluator: Evaluator,
  ci: ClassInfo,
  obj: ApexObject,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
) {
  if (!ci.decl) {
    // Reached a system base class (Exception): its constructors take message/cause.
    applyExceptionArgs(evaluator, obj, args);
    return;
  }
  const ctors = ci.decl.constructors;
  let ctor: MethodDecl | null = null;
  if (ctors.length === 0) {
    if (args.length > 0 && !ci.isException) {
      unsupported(evaluator, `constructor ${ci.name}(${args.length} arguments)`, loc);
    }
  } else if (ci.isException && !ctors.some((c) => c.params.length === args.length)) {
    // Exception classes keep the built-in (message, cause) constructors next to their own.
    ctor = null;
  } else {
    ctor = pickOverload(evaluator, ctors, args, ci, loc, `constructor of ${ci.name}`, argTypes);
  }
  const frame: Frame = {
    cls: ci,
    method: "<init>",
    thisObj: obj,
    scopes: [new Map()],
    line: ctor?.line ?? loc.line,
    accessor: null
  };
  let body = ctor?.body?.body ?? [];
  if (ctor) bindParams(evaluator, ctor, ci, args, frame);
  const first = body[0];
  const explicit =
    first &&
    first.kind === "Expr" &&
    first.expr.kind === "Call" &&
    first.expr.target === null &&
    (first.expr.name.toLowerCase() === "this" || first.expr.name.toLowerCase() === "super")
      ? (first.expr as CallExpr)
      : null;
  if (explicit) body = body.slice(1);
  pushFrame(evaluator, frame);
  try {
    if (explicit && explicit.name.toLowerCase() === "this") {
      evaluator.coverage.cover(frame, explicit.line);
      const a = explicit.args.map((e) => evaluator.evaluateExpression(e, frame));
      evaluator.frames.pop();
      try {
        construct(evaluator, ci, obj, a, explicit);
      } finally {
        evaluator.frames.push(frame);
      }
    } else {
      let superArgs: Value[] = [];
      if (explicit) {
        evaluator.coverage.cover(frame, explicit.line);
        superArgs = explicit.args.map((e) => evaluator.evaluateExpression(e, frame));
      } else if (ci.isException && !ctor) {
        superArgs = args;
      } else if (ci.isException && ci.parent && !ci.parent.decl) {
        superArgs = [];
      }
      if (ci.parent) {
        evaluator.frames.pop();
        try {
          construct(evaluator, ci.parent, obj, superArgs, loc);
        } finally {
          evaluator.frames.push(frame);
        }
      }
      initInstanceFields(evaluator, ci, obj, frame);
    }
    evaluator.executeStatements(body, frame);
  } finally {
    evaluator.frames.pop();
  }
}

export function initInstanceFields(evaluator: Evaluator, ci: ClassInfo, obj: ApexObject, frame: Frame) {
  const d = ci.decl!;
  const items: { order: number; run: () => void }[] = [];
  for (const [i, f] of d.fields.entries()) {
    if (f.isStatic || !f.init) continue;
    const init = f.init;
    items.push({
      order: 2 * i + 1,
      run: () => {
        frame.line = f.line;
        evaluator.coverage.cover(frame, f.line);
        obj.fields.set(
          f.name.toLowerCase(),
          coerce(evaluator, evaluator.evaluateExpression(init, frame), resolveType(evaluator, f.type, ci, f))
        );
      }
    });
  }
  for (const init of d.initializers) {
    if (init.isStatic) continue;
    items.push({ order: 2 * init.afterFields, run: () => evaluator.executeBlock(init.body, frame) });
  }
  items.sort((a, b) => a.order - b.order);
  for (const it of items) it.run();
}
