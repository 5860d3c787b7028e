// Type names in source resolved to types: primitives, collections, user classes (inner, outer
// and inherited inner classes first), system classes and enums, SObject and native types.
import type { Loc, TypeRef } from "../parse/ast.js";
import { CompileError, UnsupportedError } from "../runtime/errors.js";
import * as typesModule from "../runtime/types.js";
import type { ClassInfo, PrimName, RType } from "../runtime/values.js";
import type { Evaluator } from "./evaluator.js";

// Imported functions, bound once (see evaluator.ts).
const { OBJECT, prim } = typesModule;

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

export function resolveType(evaluator: Evaluator, ref: TypeRef, from: ClassInfo | null, loc: Loc): RType {
  const cached = evaluator.typeCache.get(ref);
  if (cached) return cached;
  const type = resolveTypeUncached(evaluator, ref, from, loc);
  evaluator.typeCache.set(ref, type);
  return type;
}

function resolveTypeUncached(evaluator: Evaluator, ref: TypeRef, from: ClassInfo | null, loc: Loc): RType {
  let names = ref.names.map((name) => name.toLowerCase());
  if (names.length > 1 && (names[0] === "system" || names[0] === "schema")) {
    const rest = names.slice(1);
    if (rest.length === 1 && (PRIMS[rest[0]] || ["list", "set", "map"].includes(rest[0]))) names = rest;
  }
  if (names.length === 1) {
    const name = names[0];
    const p = PRIMS[name];
    if (p) return prim(p);
    const args = ref.args.map((a) => resolveType(evaluator, a, from, loc));
    if (name === "list") return { kind: "list", elem: args[0] ?? OBJECT };
    if (name === "set") return { kind: "set", elem: args[0] ?? OBJECT };
    if (name === "map") return { kind: "map", key: args[0] ?? OBJECT, value: args[1] ?? OBJECT };
    if (name === "sobject") return { kind: "sobject", obj: null };
  }
  const found = lookupType(evaluator, names, from);
  if (found) return found;
  throw new UnsupportedError(`type ${ref.text}`, loc);
}

/** Finds a class, system class, SObject type or native type by (lower-case) qualified name. */
export function lookupType(evaluator: Evaluator, names: string[], from: ClassInfo | null): RType | null {
  const first = names[0];
  if (names.length === 1 && PRIMS[first]) return prim(PRIMS[first]);
  if (names.length === 2 && names[0] === "system" && PRIMS[names[1]]) return prim(PRIMS[names[1]]);
  let cls: ClassInfo | null = null;
  for (let current: ClassInfo | null = from; current && !cls; current = current.outer) {
    if (current.name.toLowerCase().split(".").pop() === first) cls = current;
    else {
      for (let p: ClassInfo | null = current; p && !cls; p = p.parent) cls = p.inner.get(first) ?? null;
    }
  }
  cls ??= evaluator.classes.get(first) ?? null;
  if (cls) {
    for (const name of names.slice(1)) {
      const inner: ClassInfo | undefined = cls.inner.get(name);
      if (!inner) return null;
      cls = inner;
    }
    return { kind: "class", cls };
  }
  const joined = names.join(".");
  const sys = evaluator.systemTypes.get(joined);
  if (sys) return { kind: "class", cls: sys };
  if (names.length === 1) {
    const obj = evaluator.data.schema.get(first);
    if (obj) return { kind: "sobject", obj };
    if (first === "aggregateresult") return { kind: "sobject", obj: evaluator.data.schema.aggregateResult };
  }
  if (names.length === 2 && names[0] === "schema") {
    const obj = evaluator.data.schema.get(names[1]);
    if (obj) return { kind: "sobject", obj };
  }
  const native = evaluator.stdlib.nativeTypeName(joined);
  if (native) return { kind: "native", name: native };
  const broken = evaluator.brokenClasses.get(first);
  if (broken) throw new CompileError(broken.message, null);
  return null;
}
