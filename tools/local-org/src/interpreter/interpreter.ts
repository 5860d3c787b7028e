// Tree-walking interpreter for the runtime's syntax tree.
import type {
  BlockStmt,
  CallExpr,
  Expr,
  FieldDecl,
  Loc,
  MethodDecl,
  NewExpr,
  Stmt,
  TypeDecl,
  TypeRef
} from "../parse/ast.js";
import { ANONYMOUS_CLASS, baseName } from "../parse/location.js";
import { NO_METHOD, type RuntimeContext } from "../runtime/context.js";
import {
  coerce,
  isInstance,
  runtimeTypeName,
  assignable,
  collectionCastOk,
  collectionRuntimeName
} from "../runtime/conversion.js";
import {
  ApexThrow,
  CompileError,
  UnsupportedError,
  throwApex,
  unsupported,
  nullPointer,
  newException
} from "../runtime/errors.js";
import { arith, compareNum, exactEquals, looseEquals, negate, setItems, str } from "../runtime/operators.js";
import { SystemTypes } from "../runtime/system-types.js";
import { Transaction, type AsyncJob } from "../runtime/transaction.js";
import { OBJECT, prim, typeName } from "../runtime/types.js";
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  ApexTime,
  EnumValue,
  NamespaceValue,
  NativeObject,
  SObjectValue,
  TypeValue,
  isNumber,
  type ClassInfo,
  type RType,
  type Value
} from "../runtime/values.js";
import type { Schema } from "../data/schema.js";
import { DataEngine } from "../data/engine.js";
import { NOT_FOUND, type Stdlib } from "../stdlib/registry.js";
import { createStdlib } from "../stdlib/library.js";
import { numericCast } from "../stdlib/numbers.js";
import { dateArith } from "../stdlib/datetime.js";
import { collectionAdd, copyInto, listGet, listSet, mapPut } from "../stdlib/collections.js";
import * as typing from "./typing.js";
import { countLimit, tickCpu } from "../runtime/governor.js";

type Completion = { kind: "break" } | { kind: "continue" } | { kind: "return"; value: Value } | undefined;
const BREAK: Completion = { kind: "break" };
const CONTINUE: Completion = { kind: "continue" };

/** Declared type of an argument: a type, null for the null literal, undefined when unknown. */
type ArgType = RType | null | undefined;

interface Var {
  t: RType;
  v: Value;
}

export interface Frame {
  cls: ClassInfo;
  method: string;
  thisObj: ApexObject | null;
  scopes: Map<string, Var>[];
  line: number;
  /** Property whose accessor is running: reading it inside reads the backing value. */
  accessor: string | null;
}

const MAX_DEPTH = 1000;

/** Marks a member chain cut short by `?.` on null. */
const SHORT: unique symbol = Symbol("short-circuit");

// String <, >, <= and >= compare like ==: ignoring case, in the user's locale (en_US).
const STRING_ORDER = new Intl.Collator("en-US", { sensitivity: "accent" });

export class Interpreter implements RuntimeContext {
  /** Top-level classes by lower-case name. */
  readonly classes = new Map<string, ClassInfo>();
  readonly systemTypes = new SystemTypes();
  readonly transaction = new Transaction();
  readonly frames: Frame[] = [];
  /** Covered lines per top-level class name. */
  readonly covered = new Map<string, Set<number>>();
  readonly stdlib: Stdlib;
  readonly data: DataEngine;
  /** Classes whose source could not be parsed, by lower-case name. */
  readonly brokenClasses = new Map<string, { name: string; message: string; isTest: boolean }>();
  readonly typeCache = new WeakMap<TypeRef, RType>();

  constructor(readonly schema: Schema) {
    this.data = new DataEngine(schema, this);
    this.stdlib = createStdlib(this, this.data);
  }

  // ---------- class registry ----------

  registerTypes(decls: TypeDecl[]) {
    for (const d of decls) {
      const ci = this.makeClass(d, null);
      const key = d.name.toLowerCase();
      if (this.classes.has(key)) throw new Error(`duplicate class ${d.name} (${baseName(d.file)})`);
      this.classes.set(key, ci);
    }
    for (const ci of this.classes.values()) this.link(ci);
  }

  makeClass(d: TypeDecl, outer: ClassInfo | null): ClassInfo {
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
    for (const inner of d.inner) ci.inner.set(inner.name.toLowerCase(), this.makeClass(inner, ci));
    if (d.kind === "enum") ci.enumValues = d.enumValues.map((n, i) => new EnumValue(ci, n, i));
    return ci;
  }

  link(ci: ClassInfo) {
    if (ci.linked) return;
    ci.linked = true;
    const d = ci.decl;
    if (d) {
      const loc = { file: d.file, line: d.line };
      if (d.extends) {
        const p = this.resolveType(d.extends, ci.outer ?? ci, loc);
        if (p.kind !== "class") throw new UnsupportedError(`extending ${d.extends.text}`, loc);
        ci.parent = p.cls;
        this.link(p.cls);
        ci.isException = p.cls.isException;
      }
      for (const i of d.implements) {
        const t = this.resolveType(i, ci.outer ?? ci, loc);
        if (t.kind === "class") ci.interfaces.push(t.cls);
      }
      // Apex allows inner classes one level deep (classes declared in anonymous Apex count as top level).
      if (ci.outer?.outer && ci.outer.outer.name !== ANONYMOUS_CLASS)
        throw new UnsupportedError(`inner class ${ci.name} inside an inner class`, loc);
      if (ci.isException && !ci.name.toLowerCase().endsWith("exception")) {
        throw new CompileError("exception class names must end with 'Exception'", loc);
      }
    }
    for (const inner of ci.inner.values()) this.link(inner);
  }

  // ---------- types (src/interpreter/typing.ts) ----------

  resolveType(tr: TypeRef, ctx: ClassInfo | null, loc: Loc): RType {
    return typing.resolveType(this, tr, ctx, loc);
  }
  lookupType(names: string[], ctx: ClassInfo | null): RType | null {
    return typing.lookupType(this, names, ctx);
  }

  // ---------- the runtime context of the library and data layers ----------

  stackTrace(): string {
    const lines: string[] = [];
    // Very deep stacks (runaway recursion) are cut to their innermost frames.
    const shown = 100;
    for (let i = this.frames.length - 1; i >= Math.max(0, this.frames.length - shown); i--) {
      const f = this.frames[i];
      lines.push(
        f.cls.name === ANONYMOUS_CLASS
          ? `AnonymousBlock: line ${f.line}, column 1`
          : `Class.${f.cls.name}.${f.method}: line ${f.line}, column 1`
      );
    }
    if (this.frames.length > shown) lines.push(`(${this.frames.length - shown} more frames)`);
    return lines.join("\n");
  }

  currentLocation(): Loc | null {
    const f = this.frames[this.frames.length - 1];
    return f ? { file: f.cls.file, line: f.line } : null;
  }

  callDeclaredMethod(object: ApexObject, lowerName: string, args: Value[]): Value | typeof NO_METHOD {
    const found = this.findUserMethod(object.cls, lowerName, args.length);
    return found ? this.invoke(found.cls, found.method, object, args, null) : NO_METHOD;
  }

  callMethod(object: ApexObject, name: string, args: Value[], loc: Loc): Value {
    return this.callObjectMethod(object, name, args, loc);
  }

  readProperty(object: ApexObject, name: string, loc: Loc): Value {
    return this.getMember(object, name, false, loc, null);
  }

  evaluate(expression: Expr): Value {
    return this.eval(expression, this.frames[this.frames.length - 1]);
  }

  // ---------- statics ----------

  resetStatics() {
    const walk = (c: ClassInfo) => {
      c.statics = null;
      for (const i of c.inner.values()) walk(i);
    };
    for (const c of this.classes.values()) walk(c);
  }

  ensureStatics(ci: ClassInfo) {
    if (ci.statics || !ci.decl) return;
    ci.statics = new Map();
    if (ci.parent) this.ensureStatics(ci.parent);
    const d = ci.decl;
    for (const f of d.fields) {
      if (!f.isStatic) continue;
      ci.staticTypes.set(f.name.toLowerCase(), this.resolveType(f.type, ci, f));
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
          const v = this.evalIn(ci, null, "<clinit>", init);
          ci.statics!.set(k, coerce(this, v, ci.staticTypes.get(k)!));
        }
      });
    }
    for (const init of d.initializers) {
      if (!init.isStatic) continue;
      items.push({ order: 2 * init.afterFields, run: () => this.runBlockIn(ci, null, "<clinit>", init.body) });
    }
    items.sort((a, b) => a.order - b.order);
    for (const it of items) it.run();
  }

  private evalIn(ci: ClassInfo, thisObj: ApexObject | null, method: string, e: Expr): Value {
    const frame: Frame = { cls: ci, method, thisObj, scopes: [new Map()], line: e.line, accessor: null };
    this.pushFrame(frame);
    try {
      this.cover(frame, e.line);
      return this.eval(e, frame);
    } finally {
      this.frames.pop();
    }
  }

  private runBlockIn(ci: ClassInfo, thisObj: ApexObject | null, method: string, b: BlockStmt) {
    const frame: Frame = { cls: ci, method, thisObj, scopes: [new Map()], line: b.line, accessor: null };
    this.pushFrame(frame);
    try {
      this.execBlock(b, frame);
    } finally {
      this.frames.pop();
    }
  }

  private pushFrame(f: Frame) {
    if (this.frames.length >= MAX_DEPTH) throwApex(this, "LimitException", "Maximum stack depth reached: 1001");
    this.frames.push(f);
  }

  // ---------- objects ----------

  fieldDisplayName(cls: ClassInfo, lname: string): string {
    for (let c: ClassInfo | null = cls; c; c = c.parent) {
      const f = c.fields.get(lname);
      if (f) return f.name;
    }
    return lname;
  }

  instantiate(ci: ClassInfo, args: Value[], loc: Loc, argTypes?: ArgType[]): ApexObject {
    if (ci.kind === "interface") unsupported(this, `new on interface ${ci.name}`, loc);
    if (ci.decl?.mods.keywords.has("abstract")) unsupported(this, `new on abstract class ${ci.name}`, loc);
    if (ci.isException && !ci.decl) {
      return this.newSystemException(ci, args);
    }
    this.ensureStatics(ci);
    const obj = new ApexObject(ci);
    if (ci.isException) {
      obj.ex = {
        message: null,
        cause: null,
        line: this.frames[this.frames.length - 1]?.line ?? loc.line,
        stack: this.stackTrace(),
        typeName: ci.name
      };
    }
    // Every field of the hierarchy starts null.
    for (let c: ClassInfo | null = ci; c && c.decl; c = c.parent) {
      for (const f of c.decl.fields) if (!f.isStatic) obj.fields.set(f.name.toLowerCase(), null);
    }
    this.construct(ci, obj, args, loc, argTypes);
    return obj;
  }

  newSystemException(ci: ClassInfo, args: Value[]): ApexObject {
    const obj = newException(this, ci, null);
    this.applyExceptionArgs(obj, args);
    // AuraHandledException keeps its constructor message from Apex code; only setMessage shows one.
    if (ci.name === "AuraHandledException" && obj.ex) obj.ex.message = "Script-thrown exception";
    return obj;
  }

  private applyExceptionArgs(obj: ApexObject, args: Value[]) {
    if (!obj.ex) return;
    if (args.length === 1) {
      if (args[0] instanceof ApexObject && args[0].ex) obj.ex.cause = args[0];
      else obj.ex.message = args[0] === null ? null : str(this, args[0]);
    } else if (args.length === 2) {
      obj.ex.message = args[0] === null ? null : str(this, args[0]);
      obj.ex.cause = args[1];
    }
  }

  private construct(ci: ClassInfo, obj: ApexObject, args: Value[], loc: Loc, argTypes?: ArgType[]) {
    if (!ci.decl) {
      // Reached a system base class (Exception): its constructors take message/cause.
      this.applyExceptionArgs(obj, args);
      return;
    }
    const ctors = ci.decl.constructors;
    let ctor: MethodDecl | null = null;
    if (ctors.length === 0) {
      if (args.length > 0 && !ci.isException) {
        unsupported(this, `constructor ${ci.name}(${args.length} arguments)`, loc);
      }
    } else if (ci.isException && !ctors.some((c) => c.params.length === args.length)) {
      // Exception classes keep the built-in (message, cause) constructors next to their own.
      ctor = null;
    } else {
      ctor = this.pickOverload(ctors, args, ci, loc, `constructor of ${ci.name}`, argTypes);
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
    if (ctor) this.bindParams(ctor, ci, args, frame);
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
    this.pushFrame(frame);
    try {
      if (explicit && explicit.name.toLowerCase() === "this") {
        this.cover(frame, explicit.line);
        const a = explicit.args.map((e) => this.eval(e, frame));
        this.frames.pop();
        try {
          this.construct(ci, obj, a, explicit);
        } finally {
          this.frames.push(frame);
        }
      } else {
        let superArgs: Value[] = [];
        if (explicit) {
          this.cover(frame, explicit.line);
          superArgs = explicit.args.map((e) => this.eval(e, frame));
        } else if (ci.isException && !ctor) {
          superArgs = args;
        } else if (ci.isException && ci.parent && !ci.parent.decl) {
          superArgs = [];
        }
        if (ci.parent) {
          this.frames.pop();
          try {
            this.construct(ci.parent, obj, superArgs, loc);
          } finally {
            this.frames.push(frame);
          }
        }
        this.initInstanceFields(ci, obj, frame);
      }
      this.execStmts(body, frame);
    } finally {
      this.frames.pop();
    }
  }

  private initInstanceFields(ci: ClassInfo, obj: ApexObject, frame: Frame) {
    const d = ci.decl!;
    const items: { order: number; run: () => void }[] = [];
    for (const [i, f] of d.fields.entries()) {
      if (f.isStatic || !f.init) continue;
      const init = f.init;
      items.push({
        order: 2 * i + 1,
        run: () => {
          frame.line = f.line;
          this.cover(frame, f.line);
          obj.fields.set(f.name.toLowerCase(), coerce(this, this.eval(init, frame), this.resolveType(f.type, ci, f)));
        }
      });
    }
    for (const init of d.initializers) {
      if (init.isStatic) continue;
      items.push({ order: 2 * init.afterFields, run: () => this.execBlock(init.body, frame) });
    }
    items.sort((a, b) => a.order - b.order);
    for (const it of items) it.run();
  }

  private bindParams(m: MethodDecl, ci: ClassInfo, args: Value[], frame: Frame) {
    const scope = frame.scopes[0];
    m.params.forEach((p, i) => {
      const t = this.resolveType(p.type, ci, m);
      scope.set(p.name.toLowerCase(), { t, v: coerce(this, args[i] ?? null, t) });
    });
  }

  /** Chooses among same-named methods by arity and the runtime types of the arguments. */
  pickOverload(
    cands: MethodDecl[],
    args: Value[],
    ci: ClassInfo,
    loc: Loc,
    what: string,
    argTypes?: ArgType[]
  ): MethodDecl {
    const arity = cands.filter((m) => m.params.length === args.length);
    if (arity.length === 1) return arity[0];
    if (arity.length === 0) unsupported(this, `${what} with ${args.length} argument(s)`, loc);
    let best: MethodDecl | null = null;
    let bestScore = -1;
    const tied: MethodDecl[] = [];
    for (const m of arity) {
      let score = 0;
      let ok = true;
      m.params.forEach((p, i) => {
        const t = this.resolveType(p.type, ci, m);
        const a = args[i];
        const st = argTypes?.[i];
        // Apex picks overloads by the declared types of the arguments when they are known.
        if (st !== undefined) {
          if (st === null) score += 1;
          else if (typeName(st).toLowerCase() === typeName(t).toLowerCase()) score += 3;
          else if (assignable(st, t)) score += t.kind === "prim" && t.name === "Object" ? 1 : 2;
          else ok = false;
          return;
        }
        if (a === null) score += 1;
        else if (isInstance(a, t)) score += t.kind === "prim" && t.name === "Object" ? 1 : 3;
        else if (t.kind === "prim" && isNumber(a) && ["Long", "Decimal", "Double"].includes(t.name)) score += 2;
        else if (t.kind === "prim" && t.name === "Id" && typeof a === "string") score += 2;
        else ok = false;
      });
      if (ok && score > bestScore) {
        best = m;
        bestScore = score;
        tied.length = 0;
      }
      if (ok && score === bestScore) tied.push(m);
    }
    if (!best) unsupported(this, `${what}: no overload matches the argument types`, loc);
    return tied.length > 1 ? (this.mostSpecific(tied, ci) ?? best) : best;
  }

  /**
   * Among overloads that all accept the arguments, the one whose every parameter type is at
   * least as narrow as the others' (a subclass, or a lower number type in Apex's hierarchy
   * Integer, Long, Double, Decimal); null when none is.
   */
  private mostSpecific(cands: MethodDecl[], ci: ClassInfo): MethodDecl | null {
    const rank: Record<string, number> = { integer: 0, long: 1, double: 2, decimal: 3 };
    const narrower = (p: RType, q: RType): boolean => {
      if (p.kind === "prim" && q.kind === "prim" && p.name.toLowerCase() in rank && q.name.toLowerCase() in rank)
        return rank[p.name.toLowerCase()] <= rank[q.name.toLowerCase()];
      return assignable(p, q);
    };
    const types = cands.map((m) => m.params.map((p) => this.resolveType(p.type, ci, m)));
    const i = types.findIndex((ts, a) =>
      types.every((other, b) => a === b || ts.every((t, k) => narrower(t, other[k])))
    );
    return i >= 0 ? cands[i] : null;
  }

  /** The declared type of an argument when it is evident (variables, literals, new, casts); undefined otherwise. */
  staticType(e: Expr, frame: Frame): ArgType {
    switch (e.kind) {
      case "Literal":
        return e.type === "Null" ? null : prim(e.type);
      case "Name": {
        const key = e.name.toLowerCase();
        const local = this.lookupLocal(frame, key);
        if (local) return local.t;
        const inf = frame.thisObj ? this.instanceField(frame.thisObj, key) : null;
        if (inf) return this.resolveType(inf.f.type, inf.cls, inf.f);
        const owner = this.staticOwner(frame.cls, key);
        if (owner) {
          const f = owner.fields.get(key)!;
          return this.resolveType(f.type, owner, f);
        }
        return undefined;
      }
      case "New":
      case "Cast":
        return this.resolveType(e.type, frame.cls, e);
      case "This":
        return frame.thisObj ? { kind: "class", cls: frame.cls } : undefined;
    }
    return undefined;
  }

  /** Finds an instance or static method by name in a class and its superclasses. */
  findMethod(
    ci: ClassInfo,
    lname: string,
    args: Value[],
    loc: Loc,
    argTypes?: ArgType[]
  ): { cls: ClassInfo; method: MethodDecl } | null {
    for (let c: ClassInfo | null = ci; c; c = c.parent) {
      const ms = c.methods
        .get(lname)
        ?.filter((m) => m.body !== null || c!.kind === "interface" || m.mods.keywords.has("abstract"));
      if (ms && ms.some((m) => m.params.length === args.length)) {
        const m = this.pickOverload(ms, args, c, loc, `method ${c.name}.${lname}`, argTypes);
        return { cls: c, method: m };
      }
    }
    return null;
  }

  /** Whether an interface the class (or a superclass) implements declares a method of that name. */
  private declaresInInterfaces(ci: ClassInfo, lname: string): boolean {
    const seen = new Set<ClassInfo>();
    const visit = (c: ClassInfo): boolean => {
      if (seen.has(c)) return false;
      seen.add(c);
      if (c.kind === "interface" && c.methods.has(lname)) return true;
      return c.interfaces.some(visit) || (c.parent !== null && visit(c.parent));
    };
    return visit(ci);
  }

  findUserMethod(ci: ClassInfo, lname: string, arity: number): { cls: ClassInfo; method: MethodDecl } | null {
    for (let c: ClassInfo | null = ci; c && c.decl; c = c.parent) {
      const m = c.methods.get(lname)?.find((x) => x.params.length === arity && x.body && !x.isStatic);
      if (m) return { cls: c, method: m };
    }
    return null;
  }

  /** Calls a method; `thisObj` null for statics. Virtual dispatch is the caller's job. */
  invoke(ci: ClassInfo, m: MethodDecl, thisObj: ApexObject | null, args: Value[], loc: Loc | null): Value {
    if (!m.body) {
      unsupported(this, `calling abstract method ${ci.name}.${m.name}`, loc);
    }
    if (m.isStatic) this.ensureStatics(ci);
    if (m.isStatic && m.mods.annotations.some((a) => a.name === "future")) {
      if (!this.runningJob) return this.queueFuture(ci, m, args);
      this.runningJob = false;
    }
    const frame: Frame = { cls: ci, method: m.name, thisObj, scopes: [new Map()], line: m.line, accessor: null };
    this.bindParams(m, ci, args, frame);
    this.pushFrame(frame);
    tickCpu(this);
    try {
      const c = this.execBlock(m.body, frame);
      if (c && c.kind === "return") {
        return m.returnType ? coerce(this, c.value, this.resolveType(m.returnType, ci, m)) : null;
      }
      return null;
    } catch (e) {
      // The JavaScript stack can run out before Apex's 1000-frame limit when the runtime is
      // used in-process with a default stack (the command line runs with a larger one).
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        throwApex(this, "LimitException", `Maximum stack depth reached: ${this.frames.length}`);
      }
      throw e;
    } finally {
      this.frames.pop();
    }
  }

  /** Set while a queued job's own entry point is being started, so @future runs instead of queueing. */
  private runningJob = false;

  /** A call to an @future method queues it; it runs later in its own transaction. */
  private queueFuture(ci: ClassInfo, m: MethodDecl, args: Value[]): Value {
    if (this.transaction.asyncKind === "future")
      throwApex(
        this,
        "AsyncException",
        "Future method cannot be called from a future or batch method: " + `${ci.name}.${m.name}`
      );
    countLimit(this, "futureCalls");
    const job: AsyncJob = {
      kind: "future",
      run: () => {
        this.runningJob = true;
        try {
          this.invoke(ci, m, null, args, null);
        } finally {
          this.runningJob = false;
        }
      }
    };
    if (this.transaction.test) this.transaction.test.queued.push(job);
    else this.transaction.asyncQueue.push(job);
    return null;
  }

  /** Calls an instance method by name with virtual dispatch from the object's class. */
  callObjectMethod(obj: ApexObject, name: string, args: Value[], loc: Loc, argTypes?: ArgType[]): Value {
    const lname = name.toLowerCase();
    const found = this.findMethod(obj.cls, lname, args, loc, argTypes);
    // Apex rejects a static method called through an instance at compile time.
    if (found && found.method.isStatic)
      unsupported(this, `calling static method ${found.cls.name}.${name} through an instance`, loc);
    if (found && found.method.body) return this.invoke(found.cls, found.method, obj, args, loc);
    const r = this.stdlib.callObjectBuiltin(obj, lname, args, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(this, `method ${obj.cls.name}.${name}`, loc);
  }

  // ---------- coverage ----------

  cover(frame: Frame, line: number) {
    frame.line = line;
    const set = this.coverageSet(frame.cls);
    if (set) set.add(line);
  }

  private readonly coverageSets = new Map<ClassInfo, Set<number> | null>();

  /** The covered-line set of a class's top-level class; null for test and system classes. */
  private coverageSet(cls: ClassInfo): Set<number> | null {
    let set = this.coverageSets.get(cls);
    if (set !== undefined) return set;
    if (cls.isTest || !cls.decl) set = null;
    else {
      let top = cls;
      while (top.outer) top = top.outer;
      set = this.covered.get(top.name) ?? new Set<number>();
      this.covered.set(top.name, set);
    }
    this.coverageSets.set(cls, set);
    return set;
  }

  // ---------- statements ----------

  execBlock(b: BlockStmt, frame: Frame): Completion {
    frame.scopes.push(new Map());
    try {
      return this.execStmts(b.body, frame);
    } finally {
      frame.scopes.pop();
    }
  }

  execStmts(stmts: Stmt[], frame: Frame): Completion {
    for (const s of stmts) {
      const c = this.exec(s, frame);
      if (c) return c;
    }
    return undefined;
  }

  exec(s: Stmt, frame: Frame): Completion {
    if (s.kind === "Block") return this.execBlock(s, frame);
    this.cover(frame, s.line);
    this.transaction.limits.statements++;
    switch (s.kind) {
      case "Expr":
        this.eval(s.expr, frame);
        return undefined;
      case "LocalVar": {
        const t = this.resolveType(s.type, frame.cls, s);
        const scope = frame.scopes[frame.scopes.length - 1];
        for (const d of s.decls) {
          const key = d.name.toLowerCase();
          const v = d.init ? coerce(this, this.eval(d.init, frame), t) : null;
          scope.set(key, { t, v });
        }
        return undefined;
      }
      case "If":
        if (this.truthy(this.eval(s.cond, frame), s)) return this.execScoped(s.then, frame);
        return s.else ? this.execScoped(s.else, frame) : undefined;
      case "While":
        while (this.truthy(this.eval(s.cond, frame), s)) {
          const c = this.execScoped(s.body, frame);
          if (c === BREAK) break;
          if (c && c.kind === "return") return c;
          tickCpu(this);
        }
        return undefined;
      case "DoWhile":
        do {
          const c = this.execScoped(s.body, frame);
          if (c === BREAK) break;
          if (c && c.kind === "return") return c;
          tickCpu(this);
        } while (this.truthy(this.eval(s.cond, frame), s));
        return undefined;
      case "For": {
        frame.scopes.push(new Map());
        try {
          if (s.init) {
            if (Array.isArray(s.init)) s.init.forEach((e) => this.eval(e, frame));
            else this.exec(s.init, frame);
          }
          while (!s.cond || this.truthy(this.eval(s.cond, frame), s)) {
            const c = this.execScoped(s.body, frame);
            if (c === BREAK) break;
            if (c && c.kind === "return") return c;
            for (const u of s.update) this.eval(u, frame);
            tickCpu(this);
          }
        } finally {
          frame.scopes.pop();
        }
        return undefined;
      }
      case "ForEach": {
        const coll = this.eval(s.expr, frame);
        if (coll === null) nullPointer(this);
        let items: Value[];
        if (coll instanceof ApexList) items = [...coll.items];
        else if (coll instanceof ApexSet) items = setItems(coll);
        else if (coll instanceof ApexObject) items = this.iterate(coll, s);
        else unsupported(this, `for-each over ${runtimeTypeName(coll)}`, s);
        const t = this.resolveType(s.type, frame.cls, s);
        const key = s.name.toLowerCase();
        if (t.kind === "list" && coll instanceof ApexList && coll.fromQuery) {
          // A SOQL for loop with a list variable receives the rows in chunks of 200.
          const chunks: Value[] = [];
          for (let i = 0; i < items.length; i += 200) chunks.push(new ApexList(coll.elemType, items.slice(i, i + 200)));
          items = chunks;
        }
        const guarded = coll instanceof ApexList || coll instanceof ApexSet ? coll : null;
        if (guarded) guarded.iterating++;
        try {
          for (const item of items) {
            frame.scopes.push(new Map([[key, { t, v: coerce(this, item, t) }]]));
            let c: Completion;
            try {
              c = this.exec(s.body, frame);
            } finally {
              frame.scopes.pop();
            }
            if (c === BREAK) break;
            if (c && c.kind === "return") return c;
            tickCpu(this);
          }
        } finally {
          if (guarded) guarded.iterating--;
        }
        return undefined;
      }
      case "Return":
        return { kind: "return", value: s.expr ? this.eval(s.expr, frame) : null };
      case "Break":
        return BREAK;
      case "Continue":
        return CONTINUE;
      case "Throw": {
        const v = this.eval(s.expr, frame);
        if (v === null) nullPointer(this);
        if (!(v instanceof ApexObject) || !v.ex) unsupported(this, "throwing a non-exception value", s);
        throw new ApexThrow(v);
      }
      case "Try":
        return this.execTry(s, frame);
      case "Switch":
        return this.execSwitch(s, frame);
      case "Dml": {
        const v = this.eval(s.expr, frame);
        // `upsert r Obj__c.Key__c` names the field with its object: the field is the last part.
        const ext = s.externalIdField ? s.externalIdField.split(".").pop()! : null;
        this.data.dmlStatement(s.op, v, ext, s);
        return undefined;
      }
      case "RunAs": {
        const u = this.eval(s.user, frame);
        const id = u instanceof SObjectValue && u.type.name === "User" ? u.fields.get("id") : null;
        if (typeof id !== "string") unsupported(this, "System.runAs without a saved User", s);
        const previous = this.transaction.runAsUserId;
        this.transaction.runAsUserId = id;
        try {
          return this.execBlock(s.body, frame);
        } finally {
          this.transaction.runAsUserId = previous;
        }
      }
      case "Unsupported":
        unsupported(this, s.feature, s);
    }
  }

  /** Values of a user Iterable (iterator()) or Iterator (hasNext()/next()). */
  private iterate(obj: ApexObject, loc: Loc): Value[] {
    let it: Value = obj;
    if (this.findUserMethod(obj.cls, "iterator", 0)) it = this.callObjectMethod(obj, "iterator", [], loc);
    if (it instanceof ApexList) return [...it.items];
    if (!(it instanceof ApexObject) || !this.findUserMethod(it.cls, "hasnext", 0))
      unsupported(this, `for-each over ${runtimeTypeName(obj)}`, loc);
    const out: Value[] = [];
    while (this.callObjectMethod(it, "hasNext", [], loc) === true) {
      out.push(this.callObjectMethod(it, "next", [], loc));
      tickCpu(this);
    }
    return out;
  }

  private execScoped(s: Stmt, frame: Frame): Completion {
    if (s.kind === "Block") return this.execBlock(s, frame);
    frame.scopes.push(new Map());
    try {
      return this.exec(s, frame);
    } finally {
      frame.scopes.pop();
    }
  }

  private execTry(s: Extract<Stmt, { kind: "Try" }>, frame: Frame): Completion {
    const depth = this.frames.length;
    const scopes = frame.scopes.length;
    let result: Completion;
    try {
      try {
        result = this.execBlock(s.body, frame);
      } catch (e) {
        if (!(e instanceof ApexThrow) || e.obj.cls.uncatchable) throw e;
        this.frames.length = depth;
        frame.scopes.length = scopes;
        const clause = s.catches.find((c) => {
          const t = this.resolveType(c.type, frame.cls, s);
          if (t.kind === "class" && t.cls.name === "Exception" && !t.cls.decl) return true;
          return isInstance(e.obj, t);
        });
        if (!clause) throw e;
        const t = this.resolveType(clause.type, frame.cls, s);
        frame.scopes.push(new Map([[clause.name.toLowerCase(), { t, v: e.obj }]]));
        try {
          result = this.execBlock(clause.body, frame);
        } finally {
          frame.scopes.pop();
        }
      }
    } finally {
      if (s.finally) {
        const fc = this.execBlock(s.finally, frame);
        if (fc) return fc;
      }
    }
    return result;
  }

  private execSwitch(s: Extract<Stmt, { kind: "Switch" }>, frame: Frame): Completion {
    const v = this.eval(s.expr, frame);
    for (const w of s.whens) {
      if (w.kind === "else") return this.execBlock(w.body, frame);
      if (w.kind === "type") {
        const t = this.resolveType(w.type, frame.cls, s);
        if (isInstance(v, t)) {
          frame.scopes.push(new Map([[w.name.toLowerCase(), { t, v }]]));
          try {
            return this.execBlock(w.body, frame);
          } finally {
            frame.scopes.pop();
          }
        }
        continue;
      }
      for (const e of w.values) {
        let cand: Value;
        // A bare name in `when` is an enum constant, which never matches null.
        if (v === null && e.kind === "Name") continue;
        if (v instanceof EnumValue && e.kind === "Name") {
          cand = v.cls.enumValues.find((x) => (x as EnumValue).name.toLowerCase() === e.name.toLowerCase()) ?? null;
        } else cand = this.eval(e, frame);
        // `when` on strings is case-sensitive, unlike `==`.
        const match =
          typeof v === "string" && typeof cand === "string"
            ? v === cand
            : v === null || cand === null
              ? v === cand
              : looseEquals(this, v, cand);
        if (match) return this.execBlock(w.body, frame);
      }
    }
    return undefined;
  }

  truthy(v: Value, loc: Loc): boolean {
    if (v === null) nullPointer(this);
    if (typeof v !== "boolean") unsupported(this, `condition of type ${runtimeTypeName(v)}`, loc);
    return v;
  }

  // ---------- expressions ----------

  eval(e: Expr, frame: Frame): Value {
    switch (e.kind) {
      case "Literal":
        return this.literal(e);
      case "Name":
        return this.evalName(e.name, frame, e);
      case "This":
        return frame.thisObj;
      case "Super":
        return frame.thisObj;
      case "Field":
        return this.unshort(this.evalField(e, frame));
      case "Call":
        return this.unshort(this.evalCall(e, frame));
      case "Index": {
        const t = this.evalChain(e.target, frame);
        if (t === SHORT) return null;
        const i = this.eval(e.index, frame);
        if (t === null) nullPointer(this);
        if (t instanceof ApexList) return listGet(this, t, i);
        unsupported(this, `indexing a ${runtimeTypeName(t)}`, e);
        break;
      }
      case "New":
        return this.evalNew(e, frame);
      case "Assign":
        return this.evalAssign(e, frame);
      case "Binary":
        return this.evalBinary(e, frame);
      case "Unary": {
        const v = this.eval(e.operand, frame);
        if (e.op === "!") return !this.truthy(v, e);
        if (v === null) nullPointer(this);
        if (e.op === "-" && isNumber(v)) return negate(v);
        if (e.op === "+" && isNumber(v)) return v;
        if (e.op === "~" && typeof v === "number") return ~v;
        if (e.op === "~" && typeof v === "bigint") return ~v;
        unsupported(this, `unary ${e.op} on ${runtimeTypeName(v)}`, e);
        break;
      }
      case "IncDec": {
        const local = e.target.kind === "Name" ? this.lookupLocal(frame, e.target.name.toLowerCase()) : undefined;
        if (local && typeof local.v === "number" && local.t.kind === "prim" && local.t.name === "Integer") {
          const old = local.v;
          local.v = (old + (e.op === "++" ? 1 : -1)) | 0;
          return e.prefix ? local.v : old;
        }
        const lv = this.lvalue(e.target, frame);
        const old = lv.get();
        if (old === null) nullPointer(this);
        if (!isNumber(old)) unsupported(this, `${e.op} on ${runtimeTypeName(old)}`, e);
        const nv = lv.set(arith(this, e.op === "++" ? "+" : "-", old, 1));
        return e.prefix ? nv : old;
      }
      case "Cond":
        return this.truthy(this.eval(e.cond, frame), e) ? this.eval(e.then, frame) : this.eval(e.else, frame);
      case "Cast": {
        const v = this.eval(e.expr, frame);
        const t = this.resolveType(e.type, frame.cls, e);
        if (v === null) return null;
        // Numeric casts convert between number types; everything else is a checked cast.
        if (t.kind === "prim" && isNumber(v) && ["Integer", "Long", "Decimal", "Double"].includes(t.name)) {
          return numericCast(this, v, t.name);
        }
        if (t.kind === "prim" && t.name === "Id" && typeof v === "string") return coerce(this, v, t);
        if (t.kind === "list" || t.kind === "set" || t.kind === "map") {
          if (!isInstance(v, t) || !collectionCastOk(v, t)) {
            throwApex(
              this,
              "TypeException",
              `Invalid conversion from runtime type ${collectionRuntimeName(v)} to ${typeName(t)}`
            );
          }
          return v;
        }
        if (!isInstance(v, t)) {
          throwApex(
            this,
            "TypeException",
            `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${typeName(t)}`
          );
        }
        return v;
      }
      case "InstanceOf": {
        const v = this.eval(e.expr, frame);
        const t = this.resolveType(e.type, frame.cls, e);
        // A collection is an instance of its own element type or a wider one, as a cast allows.
        return isInstance(v, t) && collectionCastOk(v, t);
      }
      case "Soql":
        return this.data.query(e.query, (x) => this.eval(x, frame), e);
      case "ClassLiteral":
        return new TypeValue(this.resolveType(e.type, frame.cls, e), true);
      case "Unsupported":
        unsupported(this, e.feature, e);
    }
    return null;
  }

  literal(e: Extract<Expr, { kind: "Literal" }>): Value {
    switch (e.type) {
      case "Integer": {
        const n = Number(e.value);
        if (n > 2147483647 || n < -2147483648) throw new CompileError(`Illegal integer: ${e.value}`, e);
        return n;
      }
      case "Long":
        return BigInt(e.value);
      case "Decimal":
        return ApexDecimal.parse(e.value);
      case "Double":
        return new ApexDouble(Number(e.value));
      case "String":
        return e.value;
      case "Boolean":
        return e.value === "true";
      case "Null":
        return null;
    }
  }

  private lookupLocal(frame: Frame, key: string): Var | undefined {
    for (let i = frame.scopes.length - 1; i >= 0; i--) {
      const v = frame.scopes[i].get(key);
      if (v) return v;
    }
    return undefined;
  }

  /** Static field owner for a name visible from a class (itself, superclasses, outer classes). */
  private staticOwner(ci: ClassInfo, key: string): ClassInfo | null {
    for (let o: ClassInfo | null = ci; o; o = o.outer) {
      for (let c: ClassInfo | null = o; c && c.decl; c = c.parent) {
        const f = c.fields.get(key);
        if (f && f.isStatic) return c;
      }
    }
    return null;
  }

  private instanceField(obj: ApexObject, key: string): { cls: ClassInfo; f: FieldDecl } | null {
    for (let c: ClassInfo | null = obj.cls; c && c.decl; c = c.parent) {
      const f = c.fields.get(key);
      if (f && !f.isStatic) return { cls: c, f };
    }
    return null;
  }

  evalName(name: string, frame: Frame, loc: Loc): Value {
    const key = name.toLowerCase();
    const local = this.lookupLocal(frame, key);
    if (local) return local.v;
    if (frame.thisObj) {
      const inf = this.instanceField(frame.thisObj, key);
      if (inf) return this.readField(frame.thisObj, inf.cls, inf.f, frame);
    }
    const owner = this.staticOwner(frame.cls, key);
    if (owner) return this.readStatic(owner, key, frame);
    return this.typeOrNamespace([key], frame, loc);
  }

  private typeOrNamespace(names: string[], frame: Frame, loc: Loc): Value {
    const t = this.lookupType(names, frame.cls);
    if (t) return new TypeValue(t);
    if (names.length === 1 && this.stdlib.isNamespace(names[0])) return new NamespaceValue(names[0]);
    unsupported(this, `variable or type '${names.join(".")}'`, loc);
  }

  private readField(obj: ApexObject, cls: ClassInfo, f: FieldDecl, frame: Frame | null): Value {
    const key = f.name.toLowerCase();
    if (f.getter?.body && !(frame && frame.accessor === key && frame.thisObj === obj)) {
      return this.runAccessor(cls, obj, f, "get", null);
    }
    return obj.fields.get(key) ?? null;
  }

  private readStatic(owner: ClassInfo, key: string, frame: Frame | null): Value {
    this.ensureStatics(owner);
    const f = owner.fields.get(key)!;
    if (f.getter?.body && !(frame && frame.accessor === key && frame.cls === owner)) {
      return this.runAccessor(owner, null, f, "get", null);
    }
    return owner.statics!.get(key) ?? null;
  }

  private runAccessor(cls: ClassInfo, obj: ApexObject | null, f: FieldDecl, kind: "get" | "set", value: Value): Value {
    const body = kind === "get" ? f.getter!.body! : f.setter!.body!;
    const t = this.resolveType(f.type, cls, f);
    const frame: Frame = {
      cls,
      method: `${f.name}.${kind}`,
      thisObj: obj,
      scopes: [new Map()],
      line: f.line,
      accessor: f.name.toLowerCase()
    };
    if (kind === "set") frame.scopes[0].set("value", { t, v: value });
    this.pushFrame(frame);
    try {
      const c = this.execBlock(body, frame);
      if (kind === "get") return c && c.kind === "return" ? coerce(this, c.value, t) : null;
      return null;
    } finally {
      this.frames.pop();
    }
  }

  private writeField(obj: ApexObject, cls: ClassInfo, f: FieldDecl, v: Value, frame: Frame | null) {
    const key = f.name.toLowerCase();
    const t = this.resolveType(f.type, cls, f);
    const cv = coerce(this, v, t);
    if (f.setter?.body && !(frame && frame.accessor === key && frame.thisObj === obj)) {
      this.runAccessor(cls, obj, f, "set", cv);
      return;
    }
    obj.fields.set(key, cv);
  }

  private writeStatic(owner: ClassInfo, key: string, v: Value, frame: Frame | null) {
    this.ensureStatics(owner);
    const f = owner.fields.get(key)!;
    const cv = coerce(this, v, owner.staticTypes.get(key) ?? OBJECT);
    if (f.setter?.body && !(frame && frame.accessor === key && frame.cls === owner)) {
      this.runAccessor(owner, null, f, "set", cv);
      return;
    }
    owner.statics!.set(key, cv);
  }

  /** Evaluates the target of a member access; SHORT when a `?.` earlier in the chain met null. */
  private evalChain(e: Expr, frame: Frame): Value | typeof SHORT {
    if (e.kind === "Field") return this.evalField(e, frame);
    if (e.kind === "Call") return this.evalCall(e, frame);
    return this.eval(e, frame);
  }

  private unshort(v: Value | typeof SHORT): Value {
    return v === SHORT ? null : v;
  }

  evalField(e: Extract<Expr, { kind: "Field" }>, frame: Frame): Value | typeof SHORT {
    const target = e.target.kind === "Super" ? frame.thisObj : this.evalChain(e.target, frame);
    // `a?.b.c` is null when a is null: the rest of the chain is skipped.
    if (target === SHORT || (target === null && e.safe)) return SHORT;
    return this.getMember(target, e.name, e.safe, e, frame);
  }

  /** Names a member an instance does not have; a static one is a compile error in Apex. */
  private fieldThroughInstance(obj: ApexObject, key: string, name: string): string {
    for (let c: ClassInfo | null = obj.cls; c && c.decl; c = c.parent)
      if (c.fields.get(key)?.isStatic) return `accessing static variable ${c.name}.${name} through an instance`;
    return `field ${obj.cls.name}.${name}`;
  }

  getMember(target: Value, name: string, safe: boolean, loc: Loc, frame: Frame | null): Value {
    const key = name.toLowerCase();
    if (target === null) {
      if (safe) return null;
      nullPointer(this);
    }
    if (target instanceof ApexObject) {
      const inf = this.instanceField(target, key);
      if (inf) return this.readField(target, inf.cls, inf.f, frame);
      unsupported(this, this.fieldThroughInstance(target, key, name), loc);
    }
    if (target instanceof SObjectValue) return this.data.getField(target, name, loc);
    if (target instanceof TypeValue) {
      const t = target.type;
      if (t.kind === "class") {
        const ci = t.cls;
        const inner = ci.inner.get(key);
        if (inner) return new TypeValue({ kind: "class", cls: inner });
        if (ci.kind === "enum") {
          const ev = ci.enumValues.find((x) => (x as EnumValue).name.toLowerCase() === key);
          if (ev) return ev;
        }
        const owner = this.staticOwner(ci, key);
        if (owner) return this.readStatic(owner, key, frame);
      }
      const r = this.stdlib.getStaticProperty(t, key, loc);
      if (r !== NOT_FOUND) return r;
      unsupported(this, `static member ${typeName(t)}.${name}`, loc);
    }
    if (target instanceof NamespaceValue) {
      const sp = this.stdlib.staticProps.get(target.name)?.get(key);
      if (sp) return sp(loc, key);
      if (target.name === "label") return this.stdlib.getNamespaceMember("label", name, loc) as Value;
      const t = this.lookupType([target.name, key], frame?.cls ?? null) ?? this.lookupType([key], frame?.cls ?? null);
      if (t) return new TypeValue(t);
      const r = this.stdlib.getNamespaceMember(target.name, key, loc);
      if (r !== NOT_FOUND) return r;
      unsupported(this, `${target.name}.${name}`, loc);
    }
    if (target instanceof ApexList && target.fromQuery) {
      // [SELECT ...].Field reads the single row of an inline query.
      return this.getMember(coerce(this, target, target.elemType), name, safe, loc, frame);
    }
    const r = this.stdlib.getValueProperty(target, key, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(this, `property ${name} of ${runtimeTypeName(target)}`, loc);
  }

  evalCall(e: CallExpr, frame: Frame): Value | typeof SHORT {
    const lname = e.name.toLowerCase();
    if (e.target === null) {
      if (lname === "this" || lname === "super")
        unsupported(this, `${e.name}(...) outside the first line of a constructor`, e);
      const args = e.args.map((a) => this.eval(a, frame));
      const argTypes = e.args.map((a) => this.staticType(a, frame));
      // Instance methods with virtual dispatch, then statics of this class and its outer classes.
      if (frame.thisObj) {
        // Resolve from the calling class; only virtual, abstract and override methods dispatch on
        // the object's class (a subclass's same-named method does not replace a private one).
        const declared = this.findMethod(frame.cls, lname, args, e, argTypes);
        if (declared) {
          const kw = declared.method.mods.keywords;
          const overridable =
            !declared.method.isStatic &&
            (kw.has("virtual") || kw.has("abstract") || kw.has("override") || declared.cls.kind === "interface");
          const target = overridable
            ? (this.findMethod(frame.thisObj.cls, lname, args, e, argTypes) ?? declared)
            : declared;
          if (target.method.body)
            return this.invoke(target.cls, target.method, target.method.isStatic ? null : frame.thisObj, args, e);
        } else if (this.declaresInInterfaces(frame.cls, lname)) {
          // An abstract class may call an interface method it leaves to its subclasses.
          const impl = this.findMethod(frame.thisObj.cls, lname, args, e, argTypes);
          if (impl && impl.method.body && !impl.method.isStatic)
            return this.invoke(impl.cls, impl.method, frame.thisObj, args, e);
        }
      }
      for (let c: ClassInfo | null = frame.cls; c; c = c.outer) {
        const found = this.findMethod(c, lname, args, e, argTypes);
        if (found) {
          if (!found.method.isStatic && !frame.thisObj)
            unsupported(this, `calling instance method ${e.name} from a static context`, e);
          return this.invoke(found.cls, found.method, found.method.isStatic ? null : frame.thisObj, args, e);
        }
      }
      unsupported(this, `method ${e.name}`, e);
    }
    if (e.target.kind === "Super") {
      const args = e.args.map((a) => this.eval(a, frame));
      const parent = frame.cls.parent;
      if (parent && parent.decl) {
        const found = this.findMethod(
          parent,
          lname,
          args,
          e,
          e.args.map((a) => this.staticType(a, frame))
        );
        if (found) return this.invoke(found.cls, found.method, frame.thisObj, args, e);
      }
      if (frame.thisObj) {
        const r = this.stdlib.callObjectBuiltin(frame.thisObj, lname, args, e);
        if (r !== NOT_FOUND) return r;
      }
      unsupported(this, `super.${e.name}`, e);
    }
    const target = this.evalChain(e.target, frame);
    if (target === SHORT || (target === null && e.safe)) return SHORT;
    if (target === null) nullPointer(this);
    const args = e.args.map((a) => this.eval(a, frame));
    return this.callOn(
      target,
      e.name,
      args,
      e,
      e.args.map((a) => this.staticType(a, frame))
    );
  }

  callOn(target: Value, name: string, args: Value[], loc: Loc, argTypes?: ArgType[]): Value {
    const lname = name.toLowerCase();
    if (target === null) nullPointer(this);
    if (target instanceof ApexObject) return this.callObjectMethod(target, name, args, loc, argTypes);
    if (target instanceof TypeValue && target.literal) {
      const r = this.stdlib.callInstance(target, lname, args, loc);
      if (r !== NOT_FOUND) return r;
      unsupported(this, `method ${name} on System.Type`, loc);
    }
    if (
      target instanceof TypeValue &&
      target.type.kind === "class" &&
      target.type.cls.kind === "enum" &&
      !target.type.cls.decl
    ) {
      const r = this.stdlib.callEnumStatic(target.type.cls, lname, args);
      if (r !== NOT_FOUND) return r;
      unsupported(this, `static method ${target.type.cls.name}.${name}`, loc);
    }
    if (target instanceof TypeValue && target.type.kind === "class" && target.type.cls.decl) {
      const ci = target.type.cls;
      const found = this.findMethod(ci, lname, args, loc, argTypes);
      if (found && found.method.isStatic) return this.invoke(found.cls, found.method, null, args, loc);
      if (ci.kind === "enum") {
        const r = this.stdlib.callEnumStatic(ci, lname, args);
        if (r !== NOT_FOUND) return r;
      }
      unsupported(this, `static method ${ci.name}.${name}`, loc);
    }
    if (target instanceof TypeValue) {
      const r = this.stdlib.callStatic(target.type, lname, args, loc);
      if (r !== NOT_FOUND) return r;
      unsupported(this, `${typeName(target.type)}.${name}`, loc);
    }
    if (target instanceof NamespaceValue) {
      const r = this.stdlib.callNamespace(target.name, lname, args, loc);
      if (r !== NOT_FOUND) return r;
      unsupported(this, `${target.name}.${name}`, loc);
    }
    const r = this.stdlib.callInstance(target, lname, args, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(this, `method ${name} on ${runtimeTypeName(target)}`, loc);
  }

  evalNew(e: NewExpr, frame: Frame): Value {
    const t = this.resolveType(e.type, frame.cls, e);
    if (t.kind === "list") {
      const l = new ApexList(t.elem);
      if (e.items) for (const x of e.items) l.items.push(coerce(this, this.eval(x, frame), t.elem));
      if (e.size) {
        const n = this.eval(e.size, frame);
        if (typeof n !== "number") nullPointer(this);
        for (let i = 0; i < n; i++) l.items.push(null);
      }
      if (e.args && e.args.length > 0) {
        const src = this.eval(e.args[0], frame);
        copyInto(this, l, src, e);
      }
      return l;
    }
    if (t.kind === "set") {
      const s = new ApexSet(t.elem);
      if (e.items) for (const x of e.items) collectionAdd(this, s, coerce(this, this.eval(x, frame), t.elem));
      if (e.args && e.args.length > 0) copyInto(this, s, this.eval(e.args[0], frame), e);
      return s;
    }
    if (t.kind === "map") {
      const m = new ApexMap(t.key, t.value);
      if (e.pairs)
        for (const [k, v] of e.pairs)
          mapPut(this, m, coerce(this, this.eval(k, frame), t.key), coerce(this, this.eval(v, frame), t.value));
      if (e.args && e.args.length > 0) copyInto(this, m, this.eval(e.args[0], frame), e);
      return m;
    }
    if (t.kind === "sobject") {
      if (!t.obj) unsupported(this, "new SObject()", e);
      const rec = this.data.newRecord(t.obj);
      for (const a of e.args ?? []) {
        if (a.kind !== "Assign" || a.target.kind !== "Name" || a.op !== "=")
          unsupported(this, "SObject constructor arguments other than Field = value", e);
        this.data.setField(rec, a.target.name, this.eval(a.value, frame), e);
      }
      return rec;
    }
    if (t.kind === "class") {
      if (e.items || e.pairs) unsupported(this, `initialiser list for ${t.cls.name}`, e);
      // The base Exception class cannot be constructed; code throws a system or custom subclass.
      if (!t.cls.decl && !t.cls.parent && t.cls.isException)
        throw new CompileError("Type cannot be constructed: Exception", e);
      const args = (e.args ?? []).map((a) => this.eval(a, frame));
      return this.instantiate(
        t.cls,
        args,
        e,
        (e.args ?? []).map((a) => this.staticType(a, frame))
      );
    }
    if (t.kind === "native") {
      const args = (e.args ?? []).map((a) => this.eval(a, frame));
      return this.stdlib.construct(t.name, args, e);
    }
    if (t.kind === "prim" && t.name === "Object") return unsupported(this, "new Object()", e);
    unsupported(this, `new ${typeName(t)}`, e);
  }

  evalAssign(e: Extract<Expr, { kind: "Assign" }>, frame: Frame): Value {
    if (e.target.kind === "Name") {
      // Fast path for local variables, the most common target.
      const local = this.lookupLocal(frame, e.target.name.toLowerCase());
      if (local) {
        const v =
          e.op === "="
            ? this.eval(e.value, frame)
            : this.binaryOp(e.op.slice(0, -1), local.v, this.eval(e.value, frame), e);
        return (local.v = coerce(this, v, local.t));
      }
    }
    const lv = this.lvalue(e.target, frame);
    if (e.op === "=") return lv.set(this.eval(e.value, frame));
    const cur = lv.get();
    const rhs = this.eval(e.value, frame);
    return lv.set(this.binaryOp(e.op.slice(0, -1), cur, rhs, e));
  }

  assignTo(target: Expr, v: Value, frame: Frame): Value {
    return this.lvalue(target, frame).set(v);
  }

  /** An assignable place; its object and index are evaluated once, as `x[i++] += 1` needs. */
  lvalue(target: Expr, frame: Frame): { get(): Value; set(v: Value): Value } {
    if (target.kind === "Name") {
      const key = target.name.toLowerCase();
      const get = () => this.evalName(target.name, frame, target);
      const local = this.lookupLocal(frame, key);
      if (local) {
        return { get, set: (v) => (local.v = coerce(this, v, local.t)) };
      }
      const thisObj = frame.thisObj;
      const inf = thisObj ? this.instanceField(thisObj, key) : null;
      if (thisObj && inf) {
        return {
          get,
          set: (v) => {
            this.writeField(thisObj, inf.cls, inf.f, v, frame);
            return thisObj.fields.get(key) ?? v;
          }
        };
      }
      const owner = this.staticOwner(frame.cls, key);
      if (owner) {
        return {
          get,
          set: (v) => {
            this.writeStatic(owner, key, v, frame);
            return owner.statics!.get(key) ?? v;
          }
        };
      }
      unsupported(this, `assignment to unknown variable '${target.name}'`, target);
    }
    if (target.kind === "Field") {
      const obj = target.target.kind === "Super" ? frame.thisObj : this.eval(target.target, frame);
      const key = target.name.toLowerCase();
      if (obj === null) nullPointer(this);
      const get = () => this.getMember(obj, target.name, false, target, frame);
      if (obj instanceof ApexObject) {
        const inf = this.instanceField(obj, key);
        if (!inf) unsupported(this, this.fieldThroughInstance(obj, key, target.name), target);
        return {
          get,
          set: (v) => {
            this.writeField(obj, inf.cls, inf.f, v, frame);
            return obj.fields.get(key) ?? v;
          }
        };
      }
      if (obj instanceof SObjectValue) return { get, set: (v) => this.data.setField(obj, target.name, v, target) };
      if (obj instanceof TypeValue && obj.type.kind === "class") {
        const owner = this.staticOwner(obj.type.cls, key);
        if (owner) {
          return {
            get,
            set: (v) => {
              this.writeStatic(owner, key, v, frame);
              return owner.statics!.get(key) ?? v;
            }
          };
        }
      }
      unsupported(this, `assignment to ${target.name} of ${runtimeTypeName(obj)}`, target);
    }
    if (target.kind === "Index") {
      const l = this.eval(target.target, frame);
      const i = this.eval(target.index, frame);
      if (l === null) nullPointer(this);
      if (l instanceof ApexList) return { get: () => listGet(this, l, i), set: (v) => listSet(this, l, i, v) };
      unsupported(this, `index assignment on ${runtimeTypeName(l)}`, target);
    }
    unsupported(this, "assignment target", target);
  }

  evalBinary(e: Extract<Expr, { kind: "Binary" }>, frame: Frame): Value {
    if (e.op === "&&") {
      if (!this.truthy(this.eval(e.left, frame), e)) return false;
      return this.truthy(this.eval(e.right, frame), e);
    }
    if (e.op === "||") {
      if (this.truthy(this.eval(e.left, frame), e)) return true;
      return this.truthy(this.eval(e.right, frame), e);
    }
    if (e.op === "??") {
      const l = this.eval(e.left, frame);
      return l !== null ? l : this.eval(e.right, frame);
    }
    const l = this.eval(e.left, frame);
    const r = this.eval(e.right, frame);
    if (e.op === "+" && (l === null || r === null) && typeof l !== "string" && typeof r !== "string") {
      // A null String still concatenates ("null1"): the declared type decides, not the value.
      const isText = (t: ArgType) => t?.kind === "prim" && (t.name === "String" || t.name === "Id");
      if (isText(this.staticType(e.left, frame)) || isText(this.staticType(e.right, frame)))
        return str(this, l) + str(this, r);
    }
    return this.binaryOp(e.op, l, r, e);
  }

  binaryOp(op: string, l: Value, r: Value, loc: Loc): Value {
    switch (op) {
      case "==":
        return looseEquals(this, l, r);
      case "!=":
      case "<>":
        return !looseEquals(this, l, r);
      case "===":
        return exactEquals(this, l, r);
      case "!==":
        return !exactEquals(this, l, r);
      case "+":
        if (typeof l === "string" || typeof r === "string") return str(this, l) + str(this, r);
        if (l === null || r === null) nullPointer(this);
        if (isNumber(l) && isNumber(r)) return arith(this, op, l, r);
        return dateArith(this, op, l, r, loc);
      case "-":
      case "*":
      case "/":
        if (l === null || r === null) nullPointer(this);
        if (isNumber(l) && isNumber(r)) return arith(this, op, l, r);
        return dateArith(this, op, l, r, loc);
      case "<":
      case ">":
      case "<=":
      case ">=": {
        let c: number;
        // A non-null String or Id is greater than null; other comparisons with null are false
        // rather than an error.
        if ((l === null) !== (r === null) && typeof (l ?? r) === "string") c = l === null ? -1 : 1;
        else if (l === null || r === null) return false;
        else if (isNumber(l) && isNumber(r)) c = compareNum(l, r);
        else if (typeof l === "string" && typeof r === "string") c = STRING_ORDER.compare(l, r);
        else if (
          (l instanceof ApexDate && r instanceof ApexDate) ||
          (l instanceof ApexDatetime && r instanceof ApexDatetime) ||
          (l instanceof ApexTime && r instanceof ApexTime)
        )
          c = l.ms - r.ms;
        else unsupported(this, `comparison ${op} of ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
        return op === "<" ? c < 0 : op === ">" ? c > 0 : op === "<=" ? c <= 0 : c >= 0;
      }
      case "&":
      case "|":
      case "^":
        if (l === null || r === null) nullPointer(this);
        if (typeof l === "boolean" && typeof r === "boolean")
          return op === "&" ? l && r : op === "|" ? l || r : l !== r;
        if (typeof l === "number" && typeof r === "number") return op === "&" ? l & r : op === "|" ? l | r : l ^ r;
        if (typeof l === "bigint" || typeof r === "bigint") {
          const a = BigInt(l as number | bigint);
          const b = BigInt(r as number | bigint);
          return BigInt.asIntN(64, op === "&" ? a & b : op === "|" ? a | b : a ^ b);
        }
        break;
      case "<<":
      case ">>":
      case ">>>":
        if (l === null || r === null) nullPointer(this);
        if (typeof l === "number" && typeof r === "number")
          return op === "<<" ? l << r : op === ">>" ? l >> r : (l >>> r) | 0;
        if (typeof l === "bigint") {
          const s = BigInt(Number(r) & 63);
          if (op === "<<") return BigInt.asIntN(64, l << s);
          if (op === ">>") return l >> s;
          return BigInt.asIntN(64, BigInt.asUintN(64, l) >> s);
        }
        break;
    }
    unsupported(this, `operator ${op} on ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
  }

  // ---------- utilities used by the system library ----------

  nativeToString(v: NativeObject): string {
    return this.stdlib.nativeToString(v);
  }
}
