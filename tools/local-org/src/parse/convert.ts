// Converts the ANTLR parse tree into the runtime's own syntax tree, once per file.
import {
  AnonymousUnitContext,
  ApexErrorListener,
  ApexParserFactory,
  Arth1ExpressionContext,
  Arth2ExpressionContext,
  ArrayExpressionContext,
  AssignExpressionContext,
  BitAndExpressionContext,
  BitExpressionContext,
  BitNotExpressionContext,
  BitOrExpressionContext,
  BlockContext,
  CastExpressionContext,
  ClassBodyDeclarationContext,
  ClassDeclarationContext,
  CmpExpressionContext,
  CoalExpressionContext,
  CondExpressionContext,
  CreatorContext,
  DotExpressionContext,
  EnumDeclarationContext,
  EqualityExpressionContext,
  ExpressionContext,
  FieldNameContext,
  IdPrimaryContext,
  InstanceOfExpressionContext,
  InterfaceDeclarationContext,
  LiteralContext,
  LiteralPrimaryContext,
  LogAndExpressionContext,
  LogOrExpressionContext,
  LogicalExpressionContext,
  MethodCallExpressionContext,
  ModifierContext,
  NegExpressionContext,
  NewExpressionContext,
  PostOpExpressionContext,
  PreOpExpressionContext,
  PrimaryExpressionContext,
  QueryContext,
  SoqlFunctionContext,
  SoqlPrimaryContext,
  SoslPrimaryContext,
  StatementContext,
  SubExpressionContext,
  SubQueryContext,
  SuperPrimaryContext,
  ThisPrimaryContext,
  TypeRefContext,
  TypeRefPrimaryContext,
  ValueContext,
  VoidPrimaryContext,
  WhereLogicalExpressionContext,
  WhereConditionalExpressionContext,
  MemberDeclarationContext,
  AnonymousMemberDeclarationContext,
  FormalParametersContext,
  LocalVariableDeclarationContext,
  WhenLiteralContext,
  FieldExpressionContext,
  SelectEntryContext,
  SubFieldEntryContext,
  ConditionalExpressionContext,
  type ApexParserRuleContext,
  type ApexTerminalNode
} from "@apexdevtools/apex-parser";
import type {
  Annotation,
  BlockStmt,
  Expr,
  FieldDecl,
  LocalVarStmt,
  MethodDecl,
  Modifiers,
  SoqlCond,
  SoqlOrder,
  SoqlQuery,
  SoqlSelectItem,
  SoqlValue,
  Stmt,
  TypeDecl,
  TypeRef,
  WhenClause
} from "./ast.js";
import { ANONYMOUS_CLASS, locationSuffix } from "./location.js";

export class ApexSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string
  ) {
    super(`${message}${locationSuffix({ file, line })}`);
  }
}

class CollectingListener extends ApexErrorListener {
  errors: { line: number; msg: string }[] = [];
  apexSyntaxError(line: number, _column: number, msg: string): void {
    this.errors.push({ line, msg });
  }
}

function makeParser(source: string, file: string) {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const check = () => {
    const first = listener.errors[0];
    if (!first) return;
    // SOQL's LIKE escapes in a string literal of an inline query: the Apex grammar rejects them.
    if (/token recognition error at: '.*\\[_%]/.test(first.msg))
      throw new ApexSyntaxError(
        file,
        first.line,
        "SOQL LIKE escape \\_ or \\% in an inline query is not supported by local-org"
      );
    throw new ApexSyntaxError(file, first.line, `Syntax error: ${first.msg}`);
  };
  return { parser, check };
}

/** Parses a class, interface or enum file. */
export function parseClassFile(source: string, file: string): TypeDecl {
  const { parser, check } = makeParser(source, file);
  const unit = parser.compilationUnit();
  check();
  const conv = new Converter(file);
  const td = unit.typeDeclaration();
  const mods = conv.modifiers(td.modifier_list());
  const lines = new Set<number>();
  conv.lines = lines;
  const decl = conv.typeDecl(td.classDeclaration() ?? td.enumDeclaration() ?? td.interfaceDeclaration(), mods);
  return decl;
}

/** Parses anonymous Apex into a class holding one static method `run` and any declared members. */
export function parseAnonymous(source: string, file: string): TypeDecl {
  const { parser, check } = makeParser(source, file);
  const unit: AnonymousUnitContext = parser.anonymousUnit();
  check();
  const conv = new Converter(file);
  conv.lines = new Set();
  const decl = conv.emptyType("class", ANONYMOUS_CLASS, 1, { keywords: new Set(["public"]), annotations: [] });
  const body: Stmt[] = [];
  for (const m of unit.anonymousBlock().anonymousBlockMember_list()) {
    const member = m.anonymousMemberDeclaration();
    const field = member?.fieldDeclaration();
    if (field && m.modifier_list().length === 0) {
      // Top-level declarations in anonymous Apex are local variables.
      body.push({
        kind: "LocalVar",
        ...conv.loc(field),
        type: conv.typeRef(field.typeRef()),
        decls: field
          .variableDeclarators()
          .variableDeclarator_list()
          .map((v) => {
            const init = v.expression();
            return { name: v.id().getText(), init: init ? conv.expr(init) : null, line: v.start.line };
          })
      });
    } else if (member) {
      conv.member(decl, member, conv.modifiers(m.modifier_list()));
    } else {
      body.push(conv.stmt(m.statement()));
    }
  }
  decl.methods.push({
    file,
    line: 1,
    name: "run",
    params: [],
    returnType: null,
    body: { kind: "Block", file, line: 1, body },
    mods: { keywords: new Set(["public", "static"]), annotations: [] },
    isStatic: true,
    isConstructor: false
  });
  return decl;
}

/** Parses a dynamic SOQL string as used by Database.query. */
export function parseSoqlString(source: string, file: string, line: number): SoqlQuery {
  const listener = new CollectingListener();
  // SOQL's LIKE escapes \_ and \% are not Apex escapes: keep the backslash for the LIKE matcher.
  const text = source.replace(/'(?:[^'\\]|\\.)*'/g, (lit) =>
    lit.replace(/\\(.)/g, (m: string, c: string) => (c === "_" || c === "%" ? `\\${m}` : m))
  );
  const { parser } = ApexParserFactory.createLexerAndParser(text, listener);
  const q = parser.query();
  const first = listener.errors[0];
  if (first) throw new ApexSyntaxError(file, line, `Invalid SOQL: ${first.msg}`);
  const conv = new Converter(file);
  conv.fixedLine = line;
  return conv.query(q);
}

type Ctx = ApexParserRuleContext;

function tokText(t: ApexTerminalNode | null | undefined): string | null {
  return t ? t.getText() : null;
}

export function decodeStringLiteral(raw: string): string {
  const body = raw.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "u":
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      default:
        out += n;
    }
  }
  return out;
}

class Converter {
  lines: Set<number> | null = null;
  fixedLine: number | null = null;
  constructor(readonly file: string) {}

  loc(ctx: Ctx) {
    return { file: this.file, line: this.fixedLine ?? ctx.start.line };
  }

  unsupported(ctx: Ctx, feature: string): Expr {
    return { kind: "Unsupported", feature, ...this.loc(ctx) };
  }

  modifiers(list: ModifierContext[] | null): Modifiers {
    const keywords = new Set<string>();
    const annotations: Annotation[] = [];
    for (const m of list ?? []) {
      const a = m.annotation();
      if (a) {
        const params: Record<string, string> = {};
        const pairs = a.elementValuePairs();
        if (pairs) {
          for (const p of pairs.elementValuePair_list()) {
            params[p.id().getText().toLowerCase()] = this.annotationValue(p.elementValue().getText());
          }
        } else if (a.elementValue()) {
          params["value"] = this.annotationValue(a.elementValue().getText());
        }
        annotations.push({ name: a.id().getText().toLowerCase(), params });
      } else {
        keywords.add(m.getText().toLowerCase());
      }
    }
    return { keywords, annotations };
  }

  annotationValue(text: string): string {
    return text.startsWith("'") ? decodeStringLiteral(text) : text;
  }

  emptyType(kind: TypeDecl["kind"], name: string, line: number, mods: Modifiers): TypeDecl {
    return {
      kind,
      name,
      file: this.file,
      line,
      mods,
      extends: null,
      implements: [],
      fields: [],
      methods: [],
      constructors: [],
      initializers: [],
      inner: [],
      enumValues: [],
      executableLines: this.lines ?? new Set()
    };
  }

  typeDecl(
    ctx: ClassDeclarationContext | EnumDeclarationContext | InterfaceDeclarationContext,
    mods: Modifiers
  ): TypeDecl {
    if (ctx instanceof EnumDeclarationContext) {
      const d = this.emptyType("enum", ctx.id().getText(), ctx.start.line, mods);
      d.enumValues = (ctx.enumConstants()?.id_list() ?? []).map((i) => i.getText());
      return d;
    }
    if (ctx instanceof InterfaceDeclarationContext) {
      const d = this.emptyType("interface", ctx.id().getText(), ctx.start.line, mods);
      d.implements = (ctx.typeList()?.typeRef_list() ?? []).map((t) => this.typeRef(t));
      for (const m of ctx.interfaceBody().interfaceMethodDeclaration_list()) {
        const tr = m.typeRef();
        d.methods.push({
          ...this.loc(m),
          name: m.id().getText(),
          params: this.params(m.formalParameters()),
          returnType: tr ? this.typeRef(tr) : null,
          body: null,
          mods: this.modifiers(m.modifier_list()),
          isStatic: false,
          isConstructor: false
        });
      }
      return d;
    }
    const d = this.emptyType("class", ctx.id().getText(), ctx.start.line, mods);
    const ext = ctx.typeRef();
    d.extends = ext ? this.typeRef(ext) : null;
    d.implements = (ctx.typeList()?.typeRef_list() ?? []).map((t) => this.typeRef(t));
    for (const b of ctx.classBody().classBodyDeclaration_list()) this.bodyDecl(d, b);
    return d;
  }

  bodyDecl(d: TypeDecl, b: ClassBodyDeclarationContext) {
    const block = b.block();
    if (block) {
      d.initializers.push({
        ...this.loc(b),
        isStatic: !!b.STATIC(),
        afterFields: d.fields.length,
        body: this.block(block)
      });
      return;
    }
    const member = b.memberDeclaration();
    if (!member) return;
    this.member(d, member, this.modifiers(b.modifier_list()));
  }

  member(d: TypeDecl, member: MemberDeclarationContext | AnonymousMemberDeclarationContext, mods: Modifiers) {
    const isStatic = mods.keywords.has("static");
    const method = member.methodDeclaration();
    if (method) {
      const tr = method.typeRef();
      const body = method.block();
      d.methods.push({
        ...this.loc(method),
        name: method.id().getText(),
        params: this.params(method.formalParameters()),
        returnType: tr ? this.typeRef(tr) : null,
        body: body ? this.block(body) : null,
        mods,
        isStatic,
        isConstructor: false
      });
      return;
    }
    const ctor = member instanceof MemberDeclarationContext ? member.constructorDeclaration() : null;
    if (ctor) {
      d.constructors.push({
        ...this.loc(ctor),
        name: d.name,
        params: this.params(ctor.formalParameters()),
        returnType: null,
        body: this.block(ctor.block()),
        mods,
        isStatic: false,
        isConstructor: true
      });
      return;
    }
    const field = member.fieldDeclaration();
    if (field) {
      const type = this.typeRef(field.typeRef());
      for (const v of field.variableDeclarators().variableDeclarator_list()) {
        const init = v.expression();
        if (init) this.lines?.add(v.start.line);
        d.fields.push({
          ...this.loc(v),
          name: v.id().getText(),
          type,
          init: init ? this.expr(init) : null,
          mods,
          isStatic
        });
      }
      return;
    }
    const prop = member.propertyDeclaration();
    if (prop) {
      const f: FieldDecl = {
        ...this.loc(prop),
        name: prop.id().getText(),
        type: this.typeRef(prop.typeRef()),
        init: null,
        mods,
        isStatic
      };
      for (const pb of prop.propertyBlock_list()) {
        const g = pb.getter();
        const s = pb.setter();
        if (g) {
          const blk = g.block();
          f.getter = { body: blk ? this.block(blk) : null };
        }
        if (s) {
          const blk = s.block();
          f.setter = { body: blk ? this.block(blk) : null };
        }
      }
      d.fields.push(f);
      return;
    }
    const inner = member.classDeclaration() ?? member.interfaceDeclaration() ?? member.enumDeclaration();
    if (inner) d.inner.push(this.typeDecl(inner, mods));
  }

  params(ctx: FormalParametersContext) {
    const list = ctx.formalParameterList();
    if (!list) return [];
    return list.formalParameter_list().map((p) => ({ type: this.typeRef(p.typeRef()), name: p.id().getText() }));
  }

  typeRef(ctx: TypeRefContext): TypeRef {
    const names: string[] = [];
    let args: TypeRef[] = [];
    for (const tn of ctx.typeName_list()) {
      const id = tn.id();
      names.push(id ? id.getText() : (tokText(tn.LIST()) ?? tokText(tn.SET()) ?? tokText(tn.MAP()) ?? ""));
      const ta = tn.typeArguments();
      if (ta)
        args = ta
          .typeList()
          .typeRef_list()
          .map((t) => this.typeRef(t));
    }
    const subs = ctx.arraySubscripts();
    let t: TypeRef = { names, args, text: ctx.getText() };
    const depth = subs ? subs.LBRACK_list().length : 0;
    for (let i = 0; i < depth; i++) t = { names: ["List"], args: [t], text: ctx.getText() };
    return t;
  }

  block(ctx: BlockContext): BlockStmt {
    return { kind: "Block", ...this.loc(ctx), body: ctx.statement_list().map((s) => this.stmt(s)) };
  }

  localVar(ctx: LocalVariableDeclarationContext): LocalVarStmt {
    return {
      kind: "LocalVar",
      ...this.loc(ctx),
      type: this.typeRef(ctx.typeRef()),
      decls: ctx
        .variableDeclarators()
        .variableDeclarator_list()
        .map((v) => {
          const init = v.expression();
          return { name: v.id().getText(), init: init ? this.expr(init) : null, line: v.start.line };
        })
    };
  }

  stmt(ctx: StatementContext): Stmt {
    const loc = this.loc(ctx);
    const s = this.stmtInner(ctx);
    // Blocks, `try` and declarations without a value are structure, not executable lines.
    const bareDeclaration = s.kind === "LocalVar" && s.decls.every((d) => d.init === null);
    if (s.kind !== "Block" && s.kind !== "Try" && !bareDeclaration) this.lines?.add(loc.line);
    return s;
  }

  stmtInner(ctx: StatementContext): Stmt {
    const loc = this.loc(ctx);
    let c;
    if ((c = ctx.block())) return this.block(c);
    if ((c = ctx.localVariableDeclarationStatement())) return this.localVar(c.localVariableDeclaration());
    if ((c = ctx.expressionStatement())) return { kind: "Expr", ...loc, expr: this.expr(c.expression()) };
    if ((c = ctx.ifStatement())) {
      const ss = c.statement_list();
      return {
        kind: "If",
        ...loc,
        cond: this.expr(c.parExpression().expression()),
        then: this.stmt(ss[0]),
        else: ss[1] ? this.stmt(ss[1]) : null
      };
    }
    if ((c = ctx.returnStatement())) {
      const e = c.expression();
      return { kind: "Return", ...loc, expr: e ? this.expr(e) : null };
    }
    if ((c = ctx.forStatement())) {
      const fc = c.forControl();
      const body: Stmt = c.statement() ? this.stmt(c.statement()) : { kind: "Block", ...loc, body: [] };
      const en = fc.enhancedForControl();
      if (en) {
        return {
          kind: "ForEach",
          ...loc,
          type: this.typeRef(en.typeRef()),
          name: en.id().getText(),
          expr: this.expr(en.expression()),
          body
        };
      }
      const init = fc.forInit();
      const lv = init?.localVariableDeclaration();
      const el = init?.expressionList();
      const cond = fc.expression();
      const upd = fc.forUpdate();
      return {
        kind: "For",
        ...loc,
        init: lv ? this.localVar(lv) : el ? el.expression_list().map((e) => this.expr(e)) : null,
        cond: cond ? this.expr(cond) : null,
        update: upd
          ? upd
              .expressionList()
              .expression_list()
              .map((e) => this.expr(e))
          : [],
        body
      };
    }
    if ((c = ctx.whileStatement())) {
      const st = c.statement();
      return {
        kind: "While",
        ...loc,
        cond: this.expr(c.parExpression().expression()),
        body: st ? this.stmt(st) : { kind: "Block", ...loc, body: [] }
      };
    }
    if ((c = ctx.doWhileStatement())) {
      return { kind: "DoWhile", ...loc, cond: this.expr(c.parExpression().expression()), body: this.block(c.block()) };
    }
    if ((c = ctx.tryStatement())) {
      const fin = c.finallyBlock();
      return {
        kind: "Try",
        ...loc,
        body: this.block(c.block()),
        catches: c.catchClause_list().map((cc) => {
          const ids = cc
            .qualifiedName()
            .id_list()
            .map((i) => i.getText());
          return {
            type: { names: ids, args: [], text: ids.join(".") },
            name: cc.id().getText(),
            body: this.block(cc.block())
          };
        }),
        finally: fin ? this.block(fin.block()) : null
      };
    }
    if ((c = ctx.throwStatement())) return { kind: "Throw", ...loc, expr: this.expr(c.expression()) };
    if (ctx.breakStatement()) return { kind: "Break", ...loc };
    if (ctx.continueStatement()) return { kind: "Continue", ...loc };
    if ((c = ctx.switchStatement())) {
      const whens: WhenClause[] = c.whenControl_list().map((w) => {
        const wv = w.whenValue();
        const body = this.block(w.block());
        if (wv.ELSE()) return { kind: "else", body };
        const tr = wv.typeRef();
        if (tr) return { kind: "type", type: this.typeRef(tr), name: wv.id().getText(), body };
        return { kind: "values", values: wv.whenLiteral_list().map((l) => this.whenLiteral(l)), body };
      });
      return { kind: "Switch", ...loc, expr: this.expr(c.expression()), whens };
    }
    const dml = (
      [
        ["insert", ctx.insertStatement()],
        ["update", ctx.updateStatement()],
        ["delete", ctx.deleteStatement()],
        ["undelete", ctx.undeleteStatement()]
      ] as const
    ).find(([, v]) => !!v);
    if (dml && dml[1]) return { kind: "Dml", ...loc, op: dml[0], expr: this.expr(dml[1].expression()) };
    if ((c = ctx.upsertStatement())) {
      const qn = c.qualifiedName();
      return {
        kind: "Dml",
        ...loc,
        op: "upsert",
        expr: this.expr(c.expression()),
        externalIdField: qn ? qn.getText() : undefined
      };
    }
    if (ctx.mergeStatement()) return { kind: "Unsupported", ...loc, feature: "merge" };
    if ((c = ctx.runAsStatement())) {
      const args = this.args(c.expressionList());
      if (args.length !== 1) return { kind: "Unsupported", ...loc, feature: "System.runAs with a version argument" };
      return { kind: "RunAs", ...loc, user: args[0], body: this.block(c.block()) };
    }
    return { kind: "Unsupported", ...loc, feature: `statement '${ctx.getText().slice(0, 30)}'` };
  }

  whenLiteral(ctx: WhenLiteralContext): Expr {
    const loc = this.loc(ctx);
    const inner = ctx.whenLiteral();
    if (inner) return this.whenLiteral(inner);
    const neg = ctx.SUB_list().length % 2 === 1 ? "-" : "";
    const i = ctx.IntegerLiteral();
    if (i) return { kind: "Literal", ...loc, type: "Integer", value: neg + i.getText() };
    const l = ctx.LongLiteral();
    if (l) return { kind: "Literal", ...loc, type: "Long", value: neg + l.getText() };
    const s = ctx.StringLiteral();
    if (s) return { kind: "Literal", ...loc, type: "String", value: decodeStringLiteral(s.getText()) };
    if (ctx.NULL()) return { kind: "Literal", ...loc, type: "Null", value: "null" };
    const q = ctx.qualifiedName();
    const ids = q.id_list().map((x) => x.getText());
    // Enum values in `when` are written bare; qualified names are resolved at run time.
    let e: Expr = { kind: "Name", ...loc, name: ids[0] };
    for (const id of ids.slice(1)) e = { kind: "Field", ...loc, target: e, name: id, safe: false };
    return e;
  }

  literal(ctx: LiteralContext): Expr {
    const loc = this.loc(ctx);
    let t;
    if ((t = ctx.IntegerLiteral())) return { kind: "Literal", ...loc, type: "Integer", value: t.getText() };
    if ((t = ctx.LongLiteral())) return { kind: "Literal", ...loc, type: "Long", value: t.getText().slice(0, -1) };
    if ((t = ctx.NumberLiteral())) {
      const text = t.getText();
      if (/[dD]$/.test(text)) return { kind: "Literal", ...loc, type: "Double", value: text.slice(0, -1) };
      return { kind: "Literal", ...loc, type: "Decimal", value: text };
    }
    if ((t = ctx.StringLiteral()))
      return { kind: "Literal", ...loc, type: "String", value: decodeStringLiteral(t.getText()) };
    if ((t = ctx.MultilineStringLiteral())) {
      return this.unsupported(ctx, "multiline string literal");
    }
    if ((t = ctx.BooleanLiteral()))
      return { kind: "Literal", ...loc, type: "Boolean", value: t.getText().toLowerCase() };
    return { kind: "Literal", ...loc, type: "Null", value: "null" };
  }

  args(list: { expression_list(): ExpressionContext[] } | null): Expr[] {
    return list ? list.expression_list().map((e) => this.expr(e)) : [];
  }

  expr(ctx: ExpressionContext): Expr {
    const loc = this.loc(ctx);
    if (ctx instanceof PrimaryExpressionContext) {
      const p = ctx.primary();
      if (p instanceof LiteralPrimaryContext) return this.literal(p.literal());
      if (p instanceof IdPrimaryContext) return { kind: "Name", ...loc, name: p.id().getText() };
      if (p instanceof ThisPrimaryContext) return { kind: "This", ...loc };
      if (p instanceof SuperPrimaryContext) return { kind: "Super", ...loc };
      if (p instanceof TypeRefPrimaryContext) return { kind: "ClassLiteral", ...loc, type: this.typeRef(p.typeRef()) };
      if (p instanceof VoidPrimaryContext) return this.unsupported(ctx, "void.class");
      if (p instanceof SoqlPrimaryContext) return { kind: "Soql", ...loc, query: this.query(p.soqlLiteral().query()) };
      if (p instanceof SoslPrimaryContext) return this.unsupported(ctx, "SOSL");
      return this.unsupported(ctx, `expression '${ctx.getText().slice(0, 30)}'`);
    }
    if (ctx instanceof SubExpressionContext) return this.expr(ctx.expression());
    if (ctx instanceof DotExpressionContext) {
      const target = this.expr(ctx.expression());
      const safe = !!ctx.QUESTIONDOT();
      const dm = ctx.dotMethodCall();
      if (dm) {
        return {
          kind: "Call",
          ...loc,
          target,
          name: dm.anyId().getText(),
          args: this.args(dm.expressionList()),
          safe
        };
      }
      return { kind: "Field", ...loc, target, name: ctx.anyId().getText(), safe };
    }
    if (ctx instanceof MethodCallExpressionContext) {
      const mc = ctx.methodCall();
      const name = mc.id() ? mc.id().getText() : mc.THIS() ? "this" : "super";
      return { kind: "Call", ...loc, target: null, name, args: this.args(mc.expressionList()), safe: false };
    }
    if (ctx instanceof ArrayExpressionContext) {
      const [a, b] = ctx.expression_list();
      return { kind: "Index", ...loc, target: this.expr(a), index: this.expr(b) };
    }
    if (ctx instanceof NewExpressionContext) return this.creator(ctx.creator(), loc);
    if (ctx instanceof AssignExpressionContext) {
      const [a, b] = ctx.expression_list();
      const op = ctx.getChild(1).getText();
      return { kind: "Assign", ...loc, op, target: this.expr(a), value: this.expr(b) };
    }
    if (ctx instanceof CondExpressionContext) {
      const [a, b, c] = ctx.expression_list();
      return { kind: "Cond", ...loc, cond: this.expr(a), then: this.expr(b), else: this.expr(c) };
    }
    if (ctx instanceof CastExpressionContext) {
      return { kind: "Cast", ...loc, type: this.typeRef(ctx.typeRef()), expr: this.expr(ctx.expression()) };
    }
    if (ctx instanceof InstanceOfExpressionContext) {
      return { kind: "InstanceOf", ...loc, expr: this.expr(ctx.expression()), type: this.typeRef(ctx.typeRef()) };
    }
    if (ctx instanceof PostOpExpressionContext) {
      return {
        kind: "IncDec",
        ...loc,
        op: ctx.INC() ? "++" : "--",
        prefix: false,
        target: this.expr(ctx.expression())
      };
    }
    if (ctx instanceof PreOpExpressionContext) {
      const operand = this.expr(ctx.expression());
      if (ctx.INC()) return { kind: "IncDec", ...loc, op: "++", prefix: true, target: operand };
      if (ctx.DEC()) return { kind: "IncDec", ...loc, op: "--", prefix: true, target: operand };
      if (ctx.SUB() && operand.kind === "Literal" && ["Integer", "Long", "Decimal", "Double"].includes(operand.type)) {
        // -2147483648 is a literal in its own right, not a negated out-of-range one.
        return { ...operand, value: operand.value.startsWith("-") ? operand.value.slice(1) : "-" + operand.value };
      }
      return { kind: "Unary", ...loc, op: ctx.SUB() ? "-" : "+", operand };
    }
    if (ctx instanceof NegExpressionContext) {
      return { kind: "Unary", ...loc, op: ctx.BANG() ? "!" : "~", operand: this.expr(ctx.expression()) };
    }
    if (
      ctx instanceof Arth1ExpressionContext ||
      ctx instanceof Arth2ExpressionContext ||
      ctx instanceof CoalExpressionContext ||
      ctx instanceof BitOrExpressionContext ||
      ctx instanceof BitAndExpressionContext ||
      ctx instanceof BitNotExpressionContext ||
      ctx instanceof LogAndExpressionContext ||
      ctx instanceof LogOrExpressionContext ||
      ctx instanceof CmpExpressionContext ||
      ctx instanceof BitExpressionContext ||
      ctx instanceof EqualityExpressionContext
    ) {
      const [a, b] = ctx.expression_list();
      // The operator is every token between the two operands (e.g. '>' '=' or '>' '>' '>').
      let op = "";
      for (let i = 0; i < ctx.getChildCount(); i++) {
        const ch = ctx.getChild(i);
        if (ch !== a && ch !== b) op += ch.getText();
      }
      return { kind: "Binary", ...loc, op, left: this.expr(a), right: this.expr(b) };
    }
    return this.unsupported(ctx, `expression '${ctx.getText().slice(0, 30)}'`);
  }

  creator(ctx: CreatorContext, loc: { file: string; line: number }): Expr {
    const pairs = ctx.createdName().idCreatedNamePair_list();
    const names = pairs.map((p) => p.anyId().getText());
    const last = pairs[pairs.length - 1];
    const tl = last.typeList();
    const type: TypeRef = {
      names,
      args: tl ? tl.typeRef_list().map((t) => this.typeRef(t)) : [],
      text: ctx.createdName().getText()
    };
    const cr = ctx.classCreatorRest();
    if (cr) return { kind: "New", ...loc, type, args: this.args(cr.arguments().expressionList()) };
    if (ctx.noRest()) return { kind: "New", ...loc, type, items: [] };
    const ar = ctx.arrayCreatorRest();
    if (ar) {
      const listType: TypeRef = { names: ["List"], args: [type], text: `List<${type.text}>` };
      const init = ar.arrayInitializer();
      if (init) return { kind: "New", ...loc, type: listType, items: this.args(init), array: true };
      return { kind: "New", ...loc, type: listType, size: this.expr(ar.expression()), array: true };
    }
    const mr = ctx.mapCreatorRest();
    if (mr) {
      return {
        kind: "New",
        ...loc,
        type,
        pairs: mr.mapCreatorRestPair_list().map((p) => {
          const [k, v] = p.expression_list();
          return [this.expr(k), this.expr(v)] as [Expr, Expr];
        })
      };
    }
    const sr = ctx.setCreatorRest();
    return { kind: "New", ...loc, type, items: sr ? this.args(sr) : [] };
  }

  // ---- SOQL ----

  fieldPath(ctx: FieldNameContext): string[] {
    return ctx.soqlId_list().map((s) => s.getText());
  }

  soqlFunction(ctx: SoqlFunctionContext): { fn: string; path: string[] | null } {
    const fn = ctx.getChild(0).getText().toLowerCase();
    const fname = ctx.fieldName();
    if (fname) return { fn, path: this.fieldPath(fname) };
    const inner = ctx.soqlFunction();
    if (inner)
      throw new ApexSyntaxError(
        this.file,
        ctx.start.line,
        `SOQL function ${fn}() over a function is not supported by local-org`
      );
    const dfn = ctx.dateFieldName();
    if (dfn) return { fn, path: this.fieldPath(dfn.fieldName()) };
    return { fn, path: null };
  }

  selectItems(entries: (SelectEntryContext | SubFieldEntryContext)[], line: number): SoqlSelectItem[] {
    return entries.map((e) => {
      const alias = e.soqlId()?.getText();
      const sq = e.subQuery();
      if (sq) return { kind: "subquery", query: this.subQuery(sq) };
      const fn = e.soqlFunction();
      if (fn) {
        const f = this.soqlFunction(fn);
        if (f.fn === "count" && f.path === null) return { kind: "countAll" };
        if (f.fn === "fields")
          throw new ApexSyntaxError(this.file, line, "FIELDS() in SOQL is not supported by local-org");
        return { kind: "agg", fn: f.fn, path: f.path, alias };
      }
      if (e.typeOf()) throw new ApexSyntaxError(this.file, line, "TYPEOF in SOQL is not supported by local-org");
      return { kind: "field", path: this.fieldPath(e.fieldName() as FieldNameContext), alias };
    });
  }

  query(ctx: QueryContext): SoqlQuery {
    const loc = this.loc(ctx);
    const from = ctx.fromNameList().fieldName_list();
    if (from.length !== 1)
      throw new ApexSyntaxError(this.file, loc.line, "SOQL with several FROM objects is not supported by local-org");
    if (ctx.usingScope()) throw new ApexSyntaxError(this.file, loc.line, "USING SCOPE is not supported by local-org");
    const q: SoqlQuery = {
      ...loc,
      select: this.selectItems(ctx.selectList().selectEntry_list(), loc.line),
      from: this.fieldPath(from[0]).join("."),
      orderBy: [],
      allRows: !!ctx.allRowsClause(),
      forUpdate: !!ctx.forClauses()
    };
    this.queryTail(q, ctx);
    const gb = ctx.groupByClause();
    if (gb) {
      if (gb.ROLLUP() || gb.CUBE())
        throw new ApexSyntaxError(this.file, loc.line, "GROUP BY ROLLUP/CUBE is not supported by local-org");
      q.groupBy = (gb.fieldGroupByList()?.fieldGroupBy_list() ?? []).map((f) => {
        const fn = f.fieldName();
        if (!fn) throw new ApexSyntaxError(this.file, loc.line, "GROUP BY on a function is not supported by local-org");
        return this.fieldPath(fn);
      });
      const having = gb.logicalExpression();
      if (having) q.having = this.logical(having);
    }
    const off = ctx.offsetClause();
    if (off) {
      const be = off.boundExpression();
      q.offset = be
        ? { kind: "bind", expr: this.expr(be.expression()) }
        : { kind: "literal", value: { type: "number", text: off.IntegerLiteral().getText() } };
    }
    const wc = ctx.withClause();
    if (wc && !(wc.SECURITY_ENFORCED() || wc.SYSTEM_MODE() || wc.USER_MODE())) {
      throw new ApexSyntaxError(this.file, loc.line, "SOQL WITH clause is not supported by local-org");
    }
    return q;
  }

  subQuery(ctx: SubQueryContext): SoqlQuery {
    const loc = this.loc(ctx);
    const q: SoqlQuery = {
      ...loc,
      select: this.selectItems(ctx.subFieldList().subFieldEntry_list(), loc.line),
      from: this.fieldPath(ctx.fromNameList().fieldName_list()[0]).join("."),
      orderBy: [],
      allRows: false,
      forUpdate: false
    };
    this.queryTail(q, ctx);
    return q;
  }

  queryTail(q: SoqlQuery, ctx: QueryContext | SubQueryContext) {
    const wh = ctx.whereClause();
    if (wh) q.where = this.whereLogical(wh.whereLogicalExpression());
    const ob = ctx.orderByClause();
    if (ob) {
      q.orderBy = ob
        .fieldOrderList()
        .fieldOrder_list()
        .map((fo): SoqlOrder => {
          const desc = !!fo.DESC();
          const fn = fo.fieldName();
          if (!fn) throw new ApexSyntaxError(this.file, q.line, "ORDER BY on a function is not supported by local-org");
          return {
            path: this.fieldPath(fn),
            desc,
            // Salesforce sorts nulls first ascending and last descending unless told otherwise.
            nullsFirst: fo.NULLS() ? !!fo.FIRST() : true
          };
        });
    }
    const lc = ctx.limitClause();
    if (lc) {
      const be = lc.boundExpression();
      q.limit = be
        ? { kind: "bind", expr: this.expr(be.expression()) }
        : { kind: "literal", value: { type: "number", text: lc.IntegerLiteral().getText() } };
    }
  }

  whereLogical(ctx: WhereLogicalExpressionContext): SoqlCond {
    const parts = ctx.whereConditionalExpression_list().map((c) => this.whereCond(c));
    if (ctx.NOT()) return { kind: "not", item: parts[0] };
    if (parts.length === 1) return parts[0];
    return ctx.SOQLOR_list().length > 0 ? { kind: "or", items: parts } : { kind: "and", items: parts };
  }

  whereCond(ctx: WhereConditionalExpressionContext): SoqlCond {
    const le = ctx.whereLogicalExpression();
    if (le) return this.whereLogical(le);
    const wf = ctx.whereFieldExpression();
    const fe = wf.fieldExpression();
    if (!fe)
      throw new ApexSyntaxError(this.file, ctx.start.line, "FORMULA in SOQL WHERE is not supported by local-org");
    return this.fieldExpression(fe);
  }

  logical(ctx: LogicalExpressionContext): SoqlCond {
    const parts = ctx.conditionalExpression_list().map((c) => this.conditional(c));
    if (ctx.NOT()) return { kind: "not", item: parts[0] };
    if (parts.length === 1) return parts[0];
    return ctx.SOQLOR_list().length > 0 ? { kind: "or", items: parts } : { kind: "and", items: parts };
  }

  conditional(ctx: ConditionalExpressionContext): SoqlCond {
    const le = ctx.logicalExpression();
    if (le) return this.logical(le);
    return this.fieldExpression(ctx.fieldExpression());
  }

  fieldExpression(fe: FieldExpressionContext): SoqlCond {
    const opText = fe.comparisonOperator().getText().toLowerCase().replace(/^not/, "not ").trim();
    const fname = fe.fieldName();
    const value = this.value(fe.value());
    if (fname) return { kind: "cmp", path: this.fieldPath(fname), op: opText, value };
    const f = this.soqlFunction(fe.soqlFunction());
    return { kind: "cmp", path: f.path ?? [], fn: f.fn, op: opText, value };
  }

  value(ctx: ValueContext): SoqlValue {
    if (ctx.NULL()) return { kind: "literal", value: { type: "null" } };
    let t;
    if ((t = ctx.BooleanLiteral()))
      return { kind: "literal", value: { type: "boolean", value: t.getText().toLowerCase() === "true" } };
    const sn = ctx.signedNumber();
    if (sn) return { kind: "literal", value: { type: "number", text: sn.getText() } };
    if ((t = ctx.IntegerLiteral())) return { kind: "literal", value: { type: "number", text: t.getText() } };
    if ((t = ctx.StringLiteral()))
      return { kind: "literal", value: { type: "string", value: decodeStringLiteral(t.getText()) } };
    if ((t = ctx.DateLiteral())) return { kind: "literal", value: { type: "date", text: t.getText() } };
    if ((t = ctx.DateTimeLiteral())) return { kind: "literal", value: { type: "datetime", text: t.getText() } };
    const df = ctx.dateFormula();
    if (df) {
      const text = df.getText().toUpperCase();
      const m = /^([A-Z_]+?)(?::(-?\d+))?$/.exec(text);
      return { kind: "dateLiteral", name: m ? m[1] : text, n: m && m[2] ? Number(m[2]) : 0 };
    }
    const be = ctx.boundExpression();
    if (be) return { kind: "bind", expr: this.expr(be.expression()) };
    const sq = ctx.subQuery();
    if (sq) return { kind: "subquery", query: this.subQuery(sq) };
    const vl = ctx.valueList();
    if (vl) return { kind: "list", values: vl.value_list().map((v) => this.value(v)) };
    throw new ApexSyntaxError(this.file, ctx.start.line, `SOQL value '${ctx.getText()}' is not supported by local-org`);
  }
}

export type { MethodDecl };
