// Type names in source resolved to types: primitives, collections, user classes (inner, outer
// and inherited inner classes first), system classes and enums, SObject and native types.
import type { Loc, TypeRef } from "../parse/ast.js";
import { CompileError, UnsupportedError } from "../runtime/errors.js";
import { OBJECT, prim } from "../runtime/types.js";
import type { ClassInfo, PrimName, RType } from "../runtime/values.js";
import type { Evaluator } from "./evaluator.js";

export const PRIMS: Record<string, PrimName> = {
  integer: "Integer",
  long: "Long",
  decimal: "Decimal",
  double: "Double",
  string: "String",
  boolean: "Boolean",
  id: "Id",
  date: "Date",
  datetime: "Datetime",
  time: "Time",
  blob: "Blob",
  object: "Object"
};

export function resolveType(rt: Evaluator, tr: TypeRef, ctx: ClassInfo | null, loc: Loc): RType {
  const cached = rt.typeCache.get(tr);
  if (cached) return cached;
  const t = resolveTypeUncached(rt, tr, ctx, loc);
  rt.typeCache.set(tr, t);
  return t;
}

function resolveTypeUncached(rt: Evaluator, tr: TypeRef, ctx: ClassInfo | null, loc: Loc): RType {
  let names = tr.names.map((n) => n.toLowerCase());
  if (names.length > 1 && (names[0] === "system" || names[0] === "schema")) {
    const rest = names.slice(1);
    if (rest.length === 1 && (PRIMS[rest[0]] || ["list", "set", "map"].includes(rest[0]))) names = rest;
  }
  if (names.length === 1) {
    const n = names[0];
    const p = PRIMS[n];
    if (p) return prim(p);
    const args = tr.args.map((a) => resolveType(rt, a, ctx, loc));
    if (n === "list") return { kind: "list", elem: args[0] ?? OBJECT };
    if (n === "set") return { kind: "set", elem: args[0] ?? OBJECT };
    if (n === "map") return { kind: "map", key: args[0] ?? OBJECT, value: args[1] ?? OBJECT };
    if (n === "sobject") return { kind: "sobject", obj: null };
  }
  const found = lookupType(rt, names, ctx);
  if (found) return found;
  throw new UnsupportedError(`type ${tr.text}`, loc);
}

/** Finds a class, system class, SObject type or native type by (lower-case) qualified name. */
export function lookupType(rt: Evaluator, names: string[], ctx: ClassInfo | null): RType | null {
  const first = names[0];
  if (names.length === 1 && PRIMS[first]) return prim(PRIMS[first]);
  if (names.length === 2 && names[0] === "system" && PRIMS[names[1]]) return prim(PRIMS[names[1]]);
  let cls: ClassInfo | null = null;
  for (let c: ClassInfo | null = ctx; c && !cls; c = c.outer) {
    if (c.name.toLowerCase().split(".").pop() === first) cls = c;
    else {
      for (let p: ClassInfo | null = c; p && !cls; p = p.parent) cls = p.inner.get(first) ?? null;
    }
  }
  cls ??= rt.classes.get(first) ?? null;
  if (cls) {
    for (const n of names.slice(1)) {
      const inner: ClassInfo | undefined = cls.inner.get(n);
      if (!inner) return null;
      cls = inner;
    }
    return { kind: "class", cls };
  }
  const joined = names.join(".");
  const sys = rt.systemTypes.get(joined);
  if (sys) return { kind: "class", cls: sys };
  if (names.length === 1) {
    const obj = rt.data.schema.get(first);
    if (obj) return { kind: "sobject", obj };
    if (first === "aggregateresult") return { kind: "sobject", obj: rt.data.schema.aggregateResult };
  }
  if (names.length === 2 && names[0] === "schema") {
    const obj = rt.data.schema.get(names[1]);
    if (obj) return { kind: "sobject", obj };
  }
  const native = rt.stdlib.nativeTypeName(joined);
  if (native) return { kind: "native", name: native };
  const broken = rt.brokenClasses.get(first);
  if (broken) throw new CompileError(broken.message, null);
  return null;
}
