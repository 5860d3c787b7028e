// The runtime's own syntax tree. Every node carries the file and line it came from
// so that errors, stack traces and coverage can point at the Apex source.

export interface Loc {
  file: string;
  line: number;
}

export interface TypeRef {
  /** Qualified name parts as written, e.g. ["Outer", "Inner"] or ["Schema", "SObjectType"]. */
  names: string[];
  /** Generic arguments of the last part, e.g. Map<String, Object>. */
  args: TypeRef[];
  /** Source text, used in messages. */
  text: string;
}

export type Expr =
  | LiteralExpr
  | NameExpr
  | ThisExpr
  | SuperExpr
  | FieldExpr
  | CallExpr
  | IndexExpr
  | NewExpr
  | AssignExpr
  | BinaryExpr
  | UnaryExpr
  | IncDecExpr
  | CondExpr
  | CastExpr
  | InstanceOfExpr
  | SoqlExpr
  | ClassLiteralExpr
  | UnsupportedExpr;

interface Node extends Loc {
  kind: string;
}

export interface LiteralExpr extends Node {
  kind: "Literal";
  type: "Integer" | "Long" | "Decimal" | "Double" | "String" | "Boolean" | "Null";
  /** Raw token text for numbers; decoded value for strings; "true"/"false" for booleans. */
  value: string;
}
export interface NameExpr extends Node {
  kind: "Name";
  name: string;
}
export interface ThisExpr extends Node {
  kind: "This";
}
export interface SuperExpr extends Node {
  kind: "Super";
}
export interface FieldExpr extends Node {
  kind: "Field";
  target: Expr;
  name: string;
  safe: boolean;
}
export interface CallExpr extends Node {
  kind: "Call";
  /** null for an unqualified call `foo()`, `this(...)` or `super(...)`. */
  target: Expr | null;
  name: string;
  args: Expr[];
  safe: boolean;
}
export interface IndexExpr extends Node {
  kind: "Index";
  target: Expr;
  index: Expr;
}
export interface NewExpr extends Node {
  kind: "New";
  type: TypeRef;
  /** `new Foo(a, b)`; absent for collection initialisers. */
  args?: Expr[];
  /** `new List<T>{a, b}` / `new Set<T>{...}` / `new T[]{...}`. */
  items?: Expr[];
  /** `new Map<K, V>{k => v}`. */
  pairs?: [Expr, Expr][];
  /** `new T[n]`. */
  size?: Expr;
  /** `new T[]` (array syntax) — the type is then List<T>. */
  array?: boolean;
}
export interface AssignExpr extends Node {
  kind: "Assign";
  operator: string;
  target: Expr;
  value: Expr;
}
export interface BinaryExpr extends Node {
  kind: "Binary";
  operator: string;
  left: Expr;
  right: Expr;
}
export interface UnaryExpr extends Node {
  kind: "Unary";
  operator: "!" | "-" | "+" | "~";
  operand: Expr;
}
export interface IncDecExpr extends Node {
  kind: "IncDec";
  operator: "++" | "--";
  prefix: boolean;
  target: Expr;
}
export interface CondExpr extends Node {
  kind: "Cond";
  condition: Expr;
  then: Expr;
  else: Expr;
}
export interface CastExpr extends Node {
  kind: "Cast";
  type: TypeRef;
  expression: Expr;
}
export interface InstanceOfExpr extends Node {
  kind: "InstanceOf";
  expression: Expr;
  type: TypeRef;
}
export interface SoqlExpr extends Node {
  kind: "Soql";
  query: SoqlQuery;
}
export interface ClassLiteralExpr extends Node {
  kind: "ClassLiteral";
  type: TypeRef;
}
export interface UnsupportedExpr extends Node {
  kind: "Unsupported";
  feature: string;
}

// ---- SOQL ----

export type SoqlSelectItem =
  | { kind: "field"; path: string[]; alias?: string }
  | { kind: "subquery"; query: SoqlQuery }
  | { kind: "agg"; fn: string; path: string[] | null; alias?: string }
  | { kind: "countAll" };

export type SoqlValue =
  | { kind: "literal"; value: SoqlLiteral }
  | { kind: "bind"; expression: Expr }
  | { kind: "list"; values: SoqlValue[] }
  | { kind: "dateLiteral"; name: string; n: number }
  | { kind: "subquery"; query: SoqlQuery };

export type SoqlLiteral =
  | { kind: "null" }
  | { kind: "boolean"; value: boolean }
  | { kind: "number"; text: string }
  | { kind: "string"; value: string }
  | { kind: "date"; text: string }
  | { kind: "datetime"; text: string };

export type SoqlCond =
  | { kind: "and"; items: SoqlCond[] }
  | { kind: "or"; items: SoqlCond[] }
  | { kind: "not"; item: SoqlCond }
  | { kind: "cmp"; path: string[]; fn?: string; operator: string; value: SoqlValue };

export interface SoqlOrder {
  path: string[];
  fn?: string;
  descending: boolean;
  nullsFirst: boolean;
}

export interface SoqlQuery extends Loc {
  select: SoqlSelectItem[];
  from: string;
  where?: SoqlCond;
  groupBy?: string[][];
  having?: SoqlCond;
  orderBy: SoqlOrder[];
  limit?: SoqlValue;
  offset?: SoqlValue;
  allRows: boolean;
  forUpdate: boolean;
}

// ---- Statements ----

export type Stmt =
  | BlockStmt
  | LocalVarStmt
  | ExprStmt
  | IfStmt
  | WhileStmt
  | DoWhileStmt
  | ForStmt
  | ForEachStmt
  | ReturnStmt
  | ThrowStmt
  | BreakStmt
  | ContinueStmt
  | TryStmt
  | SwitchStmt
  | DmlStmt
  | RunAsStmt
  | UnsupportedStmt;

export interface BlockStmt extends Node {
  kind: "Block";
  body: Stmt[];
}
export interface VarDecl {
  name: string;
  initializer: Expr | null;
  line: number;
}
export interface LocalVarStmt extends Node {
  kind: "LocalVar";
  type: TypeRef;
  declarations: VarDecl[];
}
export interface ExprStmt extends Node {
  kind: "Expr";
  expression: Expr;
}
export interface IfStmt extends Node {
  kind: "If";
  condition: Expr;
  then: Stmt;
  else: Stmt | null;
}
export interface WhileStmt extends Node {
  kind: "While";
  condition: Expr;
  body: Stmt;
}
export interface DoWhileStmt extends Node {
  kind: "DoWhile";
  condition: Expr;
  body: Stmt;
}
export interface ForStmt extends Node {
  kind: "For";
  initializer: LocalVarStmt | Expr[] | null;
  condition: Expr | null;
  update: Expr[];
  body: Stmt;
}
export interface ForEachStmt extends Node {
  kind: "ForEach";
  type: TypeRef;
  name: string;
  expression: Expr;
  body: Stmt;
}
export interface ReturnStmt extends Node {
  kind: "Return";
  expression: Expr | null;
}
export interface ThrowStmt extends Node {
  kind: "Throw";
  expression: Expr;
}
export interface BreakStmt extends Node {
  kind: "Break";
}
export interface ContinueStmt extends Node {
  kind: "Continue";
}
export interface CatchClause {
  type: TypeRef;
  name: string;
  body: BlockStmt;
}
export interface TryStmt extends Node {
  kind: "Try";
  body: BlockStmt;
  catches: CatchClause[];
  finally: BlockStmt | null;
}
export type WhenClause =
  | { kind: "else"; body: BlockStmt }
  | { kind: "values"; values: Expr[]; body: BlockStmt }
  | { kind: "type"; type: TypeRef; name: string; body: BlockStmt };
export interface SwitchStmt extends Node {
  kind: "Switch";
  expression: Expr;
  whens: WhenClause[];
}
export interface DmlStmt extends Node {
  kind: "Dml";
  operator: "insert" | "update" | "upsert" | "delete" | "undelete" | "merge";
  expression: Expr;
  externalIdField?: string;
}
export interface RunAsStmt extends Node {
  kind: "RunAs";
  user: Expr;
  body: BlockStmt;
}
export interface UnsupportedStmt extends Node {
  kind: "Unsupported";
  feature: string;
}

// ---- Declarations ----

export interface Annotation {
  name: string;
  params: Record<string, string>;
}

export interface Modifiers {
  /** Lower-cased keyword modifiers: public, static, virtual, ... */
  keywords: Set<string>;
  annotations: Annotation[];
}

export interface Param {
  type: TypeRef;
  name: string;
}

export interface MethodDecl extends Loc {
  name: string;
  params: Param[];
  /** null means void. */
  returnType: TypeRef | null;
  body: BlockStmt | null;
  modifiers: Modifiers;
  isStatic: boolean;
  isConstructor: boolean;
}

export interface FieldDecl extends Loc {
  name: string;
  type: TypeRef;
  initializer: Expr | null;
  modifiers: Modifiers;
  isStatic: boolean;
  /** Present for properties; an accessor without a body is automatic. */
  getter?: { body: BlockStmt | null };
  setter?: { body: BlockStmt | null };
}

export interface Initializer extends Loc {
  isStatic: boolean;
  /** How many fields precede the block in the class body: initialisers run in source order. */
  afterFields: number;
  body: BlockStmt;
}

export interface TypeDecl extends Loc {
  kind: "class" | "interface" | "enum";
  name: string;
  modifiers: Modifiers;
  extends: TypeRef | null;
  implements: TypeRef[];
  fields: FieldDecl[];
  methods: MethodDecl[];
  constructors: MethodDecl[];
  initializers: Initializer[];
  inner: TypeDecl[];
  enumValues: string[];
  /** Source lines that hold executable code, for coverage. */
  executableLines: Set<number>;
}

/** When an Apex trigger runs: before or after an insert, update, delete or undelete. */
export interface TriggerEvent {
  timing: "before" | "after";
  operation: "insert" | "update" | "delete" | "undelete";
}

/** An Apex trigger: the object it is on, its events, and its body as a class holding one static
 * method `run` (and any members the body declares). */
export interface TriggerDecl extends Loc {
  name: string;
  objectName: string;
  events: TriggerEvent[];
  body: TypeDecl;
}
