// Fields and properties of objects and classes: finding them through the class hierarchy and
// outer classes, reading and writing them, and running property accessors.
import type { FieldDecl } from "../parse/ast.js";
import { coerce } from "../runtime/conversion.js";
import { OBJECT } from "../runtime/types.js";
import { ApexObject, type ClassInfo, type Value } from "../runtime/values.js";
import { pushFrame, type Evaluator, type Frame } from "./evaluator.js";
import { resolveType } from "./type-resolution.js";
import { ensureStatics } from "./statics.js";

/** Static field owner for a name visible from a class (itself, superclasses, outer classes). */
export function staticOwner(ci: ClassInfo, key: string): ClassInfo | null {
  for (let o: ClassInfo | null = ci; o; o = o.outer) {
    for (let c: ClassInfo | null = o; c && c.decl; c = c.parent) {
      const f = c.fields.get(key);
      if (f && f.isStatic) return c;
    }
  }
  return null;
}

export function instanceField(obj: ApexObject, key: string): { cls: ClassInfo; f: FieldDecl } | null {
  for (let c: ClassInfo | null = obj.cls; c && c.decl; c = c.parent) {
    const f = c.fields.get(key);
    if (f && !f.isStatic) return { cls: c, f };
  }
  return null;
}

export function readField(
  evaluator: Evaluator,
  obj: ApexObject,
  cls: ClassInfo,
  f: FieldDecl,
  frame: Frame | null
): Value {
  const key = f.name.toLowerCase();
  if (f.getter?.body && !(frame && frame.accessor === key && frame.thisObj === obj)) {
    return runAccessor(evaluator, cls, obj, f, "get", null);
  }
  return obj.fields.get(key) ?? null;
}

export function readStatic(evaluator: Evaluator, owner: ClassInfo, key: string, frame: Frame | null): Value {
  ensureStatics(evaluator, owner);
  const f = owner.fields.get(key)!;
  if (f.getter?.body && !(frame && frame.accessor === key && frame.cls === owner)) {
    return runAccessor(evaluator, owner, null, f, "get", null);
  }
  return owner.statics!.get(key) ?? null;
}

export function runAccessor(
  evaluator: Evaluator,
  cls: ClassInfo,
  obj: ApexObject | null,
  f: FieldDecl,
  kind: "get" | "set",
  value: Value
): Value {
  const body = kind === "get" ? f.getter!.body! : f.setter!.body!;
  const t = resolveType(evaluator, f.type, cls, f);
  const frame: Frame = {
    cls,
    method: `${f.name}.${kind}`,
    thisObj: obj,
    scopes: [new Map()],
    line: f.line,
    accessor: f.name.toLowerCase()
  };
  if (kind === "set") frame.scopes[0].set("value", { t, v: value });
  pushFrame(evaluator, frame);
  try {
    const c = evaluator.executeBlock(body, frame);
    if (kind === "get") return c && c.kind === "return" ? coerce(evaluator, c.value, t) : null;
    return null;
  } finally {
    evaluator.frames.pop();
  }
}

export function writeField(
  evaluator: Evaluator,
  obj: ApexObject,
  cls: ClassInfo,
  f: FieldDecl,
  v: Value,
  frame: Frame | null
) {
  const key = f.name.toLowerCase();
  const t = resolveType(evaluator, f.type, cls, f);
  const cv = coerce(evaluator, v, t);
  if (f.setter?.body && !(frame && frame.accessor === key && frame.thisObj === obj)) {
    runAccessor(evaluator, cls, obj, f, "set", cv);
    return;
  }
  obj.fields.set(key, cv);
}

export function writeStatic(evaluator: Evaluator, owner: ClassInfo, key: string, v: Value, frame: Frame | null) {
  ensureStatics(evaluator, owner);
  const f = owner.fields.get(key)!;
  const cv = coerce(evaluator, v, owner.staticTypes.get(key) ?? OBJECT);
  if (f.setter?.body && !(frame && frame.accessor === key && frame.cls === owner)) {
    runAccessor(evaluator, owner, null, f, "set", cv);
    return;
  }
  owner.statics!.set(key, cv);
}

/** Names a member an instance does not have; a static one is a compile error in Apex. */
export function fieldThroughInstance(obj: ApexObject, key: string, name: string): string {
  for (let c: ClassInfo | null = obj.cls; c && c.decl; c = c.parent)
    if (c.fields.get(key)?.isStatic) return `accessing static variable ${c.name}.${name} through an instance`;
  return `field ${obj.cls.name}.${name}`;
}
