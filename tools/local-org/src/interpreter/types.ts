// Resolved runtime types and class metadata.
import type { FieldDecl, MethodDecl, TypeDecl } from "../parse/ast.js";
import type { SObjectDescribe } from "../data/schema.js";
import type { Value } from "./values.js";

export type PrimName =
  | "Integer"
  | "Long"
  | "Decimal"
  | "Double"
  | "String"
  | "Boolean"
  | "Id"
  | "Date"
  | "Datetime"
  | "Time"
  | "Blob"
  | "Object";

export type RType =
  | { k: "prim"; name: PrimName }
  | { k: "list"; elem: RType }
  | { k: "set"; elem: RType }
  | { k: "map"; key: RType; value: RType }
  | { k: "class"; cls: ClassInfo }
  | { k: "sobject"; obj: SObjectDescribe | null }
  | { k: "native"; name: string };

export const OBJECT: RType = { k: "prim", name: "Object" };
export const prim = (name: PrimName): RType => ({ k: "prim", name });

export interface ClassInfo {
  /** Display name: `Outer.Inner` for inner classes, `System.DmlException` style for system classes. */
  name: string;
  kind: "class" | "interface" | "enum";
  decl: TypeDecl | null;
  parent: ClassInfo | null;
  interfaces: ClassInfo[];
  outer: ClassInfo | null;
  inner: Map<string, ClassInfo>;
  methods: Map<string, MethodDecl[]>;
  fields: Map<string, FieldDecl>;
  isException: boolean;
  /** System classes that tests may not catch (LimitException, AssertException). */
  uncatchable?: boolean;
  isTest: boolean;
  /** Static values, created on first use in a transaction-independent test context. */
  statics: Map<string, Value> | null;
  staticTypes: Map<string, RType>;
  enumValues: Value[];
  /** Set once parent/interfaces are linked. */
  linked: boolean;
  file: string;
}

export function typeName(t: RType): string {
  switch (t.k) {
    case "prim":
      return t.name;
    case "list":
      return `List<${typeName(t.elem)}>`;
    case "set":
      return `Set<${typeName(t.elem)}>`;
    case "map":
      return `Map<${typeName(t.key)},${typeName(t.value)}>`;
    case "class":
      return t.cls.name;
    case "sobject":
      return t.obj ? t.obj.name : "SObject";
    case "native":
      return t.name;
  }
}

export function isSubclass(c: ClassInfo, target: ClassInfo): boolean {
  const seen = new Set<ClassInfo>();
  const walk = (x: ClassInfo | null): boolean => {
    if (!x || seen.has(x)) return false;
    seen.add(x);
    if (x === target) return true;
    if (walk(x.parent)) return true;
    return x.interfaces.some((i) => walk(i));
  };
  return walk(c);
}
