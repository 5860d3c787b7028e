// Helpers over resolved types and class metadata: names, subclassing, field names.
import type { ClassInfo, PrimName, RType } from "./values.js";

export const OBJECT: RType = { kind: "prim", name: "Object" };
export const prim = (name: PrimName): RType => ({ kind: "prim", name });

export function typeName(type: RType): string {
  switch (type.kind) {
    case "prim":
      return type.name;
    case "list":
      return `List<${typeName(type.elem)}>`;
    case "set":
      return `Set<${typeName(type.elem)}>`;
    case "map":
      return `Map<${typeName(type.key)},${typeName(type.value)}>`;
    case "class":
      return type.cls.name;
    case "sobject":
      return type.obj ? type.obj.name : "SObject";
    case "native":
      return type.name;
  }
}

export function isSubclass(cls: ClassInfo, target: ClassInfo): boolean {
  const seen = new Set<ClassInfo>();
  const walk = (candidate: ClassInfo | null): boolean => {
    if (!candidate || seen.has(candidate)) return false;
    seen.add(candidate);
    if (candidate === target) return true;
    if (walk(candidate.parent)) return true;
    return candidate.interfaces.some((implemented) => walk(implemented));
  };
  return walk(cls);
}

/** The declared spelling of a field of a class or its superclasses, by lower-case name. */
export function fieldDisplayName(cls: ClassInfo, lowerName: string): string {
  for (let current: ClassInfo | null = cls; current; current = current.parent) {
    const field = current.fields.get(lowerName);
    if (field) return field.name;
  }
  return lowerName;
}
