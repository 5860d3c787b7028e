// The class registry and construction: class metadata from syntax trees, linking superclasses
// and interfaces, and `new` with constructors, this(...)/super(...) and instance initialisers.
import type { CallExpr, Loc, MethodDecl, TypeDecl } from "../parse/ast.js";
import * as locationModule from "../parse/location.js";
import * as conversionModule from "../runtime/conversion.js";
import { CompileError, UnsupportedError, unsupported, newException } from "../runtime/errors.js";
import * as operatorsModule from "../runtime/operators.js";
import { ApexObject, EnumValue, type ClassInfo, type Value } from "../runtime/values.js";
import type { ArgType, Evaluator, Frame } from "./evaluator.js";
import * as evaluatorModule from "./evaluator.js";
import * as typeResolutionModule from "./type-resolution.js";
import * as staticsModule from "./statics.js";
import * as methodsModule from "./methods.js";

// Imported functions, bound once (see evaluator.ts).
const { ANONYMOUS_CLASS, baseName } = locationModule;
const { coerce } = conversionModule;
const { str } = operatorsModule;
const { pushFrame } = evaluatorModule;
const { resolveType } = typeResolutionModule;
const { ensureStatics } = staticsModule;
const { bindParams, pickOverload } = methodsModule;

export function registerTypes(evaluator: Evaluator, decls: TypeDecl[]) {
  for (const decl of decls) {
    const cls = makeClass(evaluator, decl, null);
    const key = decl.name.toLowerCase();
    if (evaluator.classes.has(key)) throw new Error(`duplicate class ${decl.name} (${baseName(decl.file)})`);
    evaluator.classes.set(key, cls);
  }
  for (const cls of evaluator.classes.values()) link(evaluator, cls);
}

export function makeClass(evaluator: Evaluator, decl: TypeDecl, outer: ClassInfo | null): ClassInfo {
  const cls: ClassInfo = {
    name: outer ? `${outer.name}.${decl.name}` : decl.name,
    kind: decl.kind,
    decl,
    parent: null,
    interfaces: [],
    outer,
    inner: new Map(),
    methods: new Map(),
    fields: new Map(),
    isException: false,
    isTest: decl.modifiers.annotations.some((annotation) => annotation.name === "istest") || (outer?.isTest ?? false),
    statics: null,
    staticTypes: new Map(),
    enumValues: [],
    linked: false,
    file: decl.file
  };
  for (const method of decl.methods) {
    const key = method.name.toLowerCase();
    const list = cls.methods.get(key) ?? [];
    list.push(method);
    cls.methods.set(key, list);
  }
  for (const field of decl.fields) cls.fields.set(field.name.toLowerCase(), field);
  for (const inner of decl.inner) cls.inner.set(inner.name.toLowerCase(), makeClass(evaluator, inner, cls));
  if (decl.kind === "enum") cls.enumValues = decl.enumValues.map((name, i) => new EnumValue(cls, name, i));
  return cls;
}

export function link(evaluator: Evaluator, cls: ClassInfo) {
  if (cls.linked) return;
  cls.linked = true;
  const d = cls.decl;
  if (d) {
    const loc = { file: d.file, line: d.line };
    if (d.extends) {
      const p = resolveType(evaluator, d.extends, cls.outer ?? cls, loc);
      if (p.kind !== "class") throw new UnsupportedError(`extending ${d.extends.text}`, loc);
      cls.parent = p.cls;
      link(evaluator, p.cls);
      cls.isException = p.cls.isException;
    }
    for (const i of d.implements) {
      const type = resolveType(evaluator, i, cls.outer ?? cls, loc);
      if (type.kind === "class") cls.interfaces.push(type.cls);
    }
    // Apex allows inner classes one level deep (classes declared in anonymous Apex count as top level).
    if (cls.outer?.outer && cls.outer.outer.name !== ANONYMOUS_CLASS)
      throw new UnsupportedError(`inner class ${cls.name} inside an inner class`, loc);
    if (cls.isException && !cls.name.toLowerCase().endsWith("exception")) {
      throw new CompileError("exception class names must end with 'Exception'", loc);
    }
  }
  for (const inner of cls.inner.values()) link(evaluator, inner);
}

export function instantiate(
  evaluator: Evaluator,
  cls: ClassInfo,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
): ApexObject {
  if (cls.kind === "interface") unsupported(evaluator, `new on interface ${cls.name}`, loc);
  if (cls.decl?.modifiers.keywords.has("abstract")) unsupported(evaluator, `new on abstract class ${cls.name}`, loc);
  if (cls.isException && !cls.decl) {
    return newSystemException(evaluator, cls, args);
  }
  ensureStatics(evaluator, cls);
  const obj = new ApexObject(cls);
  if (cls.isException) {
    obj.ex = {
      message: null,
      cause: null,
      line: evaluator.frames[evaluator.frames.length - 1]?.line ?? loc.line,
      stack: evaluator.stackTrace(),
      typeName: cls.name
    };
  }
  // Every field of the hierarchy starts null.
  for (let current: ClassInfo | null = cls; current && current.decl; current = current.parent) {
    for (const field of current.decl.fields) if (!field.isStatic) obj.fields.set(field.name.toLowerCase(), null);
  }
  construct(evaluator, cls, obj, args, loc, argTypes);
  return obj;
}

export function newSystemException(evaluator: Evaluator, cls: ClassInfo, args: Value[]): ApexObject {
  const obj = newException(evaluator, cls, null);
  applyExceptionArgs(evaluator, obj, args);
  // AuraHandledException keeps its constructor message from Apex code; only setMessage shows one.
  if (cls.name === "AuraHandledException" && obj.ex) {
    obj.ex.auraMessage = obj.ex.message;
    obj.ex.message = "Script-thrown exception";
  }
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
  cls: ClassInfo,
  obj: ApexObject,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
) {
  if (!cls.decl) {
    // Reached a system base class (Exception): its constructors take message/cause.
    applyExceptionArgs(evaluator, obj, args);
    return;
  }
  const ctors = cls.decl.constructors;
  let ctor: MethodDecl | null = null;
  if (ctors.length === 0) {
    if (args.length > 0 && !cls.isException) {
      unsupported(evaluator, `constructor ${cls.name}(${args.length} arguments)`, loc);
    }
  } else if (cls.isException && !ctors.some((c) => c.params.length === args.length)) {
    // Exception classes keep the built-in (message, cause) constructors next to their own.
    ctor = null;
  } else {
    ctor = pickOverload(evaluator, ctors, args, cls, loc, `constructor of ${cls.name}`, argTypes);
  }
  const frame: Frame = {
    cls,
    method: "<init>",
    thisObject: obj,
    scopes: [new Map()],
    line: ctor?.line ?? loc.line,
    accessor: null
  };
  let body = ctor?.body?.body ?? [];
  if (ctor) bindParams(evaluator, ctor, cls, args, frame);
  const first = body[0];
  const explicit =
    first &&
    first.kind === "Expr" &&
    first.expression.kind === "Call" &&
    first.expression.target === null &&
    (first.expression.name.toLowerCase() === "this" || first.expression.name.toLowerCase() === "super")
      ? (first.expression as CallExpr)
      : null;
  if (explicit) body = body.slice(1);
  pushFrame(evaluator, frame);
  try {
    if (explicit && explicit.name.toLowerCase() === "this") {
      evaluator.coverage.cover(frame, explicit.line);
      const args = explicit.args.map((expression) => evaluator.evaluateExpression(expression, frame));
      evaluator.frames.pop();
      try {
        construct(evaluator, cls, obj, args, explicit);
      } finally {
        evaluator.frames.push(frame);
      }
    } else {
      let superArgs: Value[] = [];
      if (explicit) {
        evaluator.coverage.cover(frame, explicit.line);
        superArgs = explicit.args.map((expression) => evaluator.evaluateExpression(expression, frame));
      } else if (cls.isException && !ctor) {
        superArgs = args;
      } else if (cls.isException && cls.parent && !cls.parent.decl) {
        superArgs = [];
      }
      if (cls.parent) {
        evaluator.frames.pop();
        try {
          construct(evaluator, cls.parent, obj, superArgs, loc);
        } finally {
          evaluator.frames.push(frame);
        }
      }
      initInstanceFields(evaluator, cls, obj, frame);
    }
    evaluator.executeStatements(body, frame);
  } finally {
    evaluator.frames.pop();
  }
}

export function initInstanceFields(evaluator: Evaluator, cls: ClassInfo, obj: ApexObject, frame: Frame) {
  const decl = cls.decl!;
  const items: { order: number; run: () => void }[] = [];
  for (const [i, field] of decl.fields.entries()) {
    if (field.isStatic || !field.initializer) continue;
    const init = field.initializer;
    items.push({
      order: 2 * i + 1,
      run: () => {
        frame.line = field.line;
        evaluator.coverage.cover(frame, field.line);
        obj.fields.set(
          field.name.toLowerCase(),
          coerce(evaluator, evaluator.evaluateExpression(init, frame), resolveType(evaluator, field.type, cls, field))
        );
      }
    });
  }
  for (const init of decl.initializers) {
    if (init.isStatic) continue;
    items.push({ order: 2 * init.afterFields, run: () => evaluator.executeBlock(init.body, frame) });
  }
  items.sort((a, b) => a.order - b.order);
  for (const it of items) it.run();
}
