// Converts the ANTLR parse tree into the runtime's own syntax tree, once per file.
import {
  AnonymousUnitContext,
  TriggerUnitContext,
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
  IdPrimaryContext,
  InstanceOfExpressionContext,
  InterfaceDeclarationContext,
  LiteralContext,
  LiteralPrimaryContext,
  LogAndExpressionContext,
  LogOrExpressionContext,
  MethodCallExpressionContext,
  ModifierContext,
  NegExpressionContext,
  NewExpressionContext,
  PostOpExpressionContext,
  PreOpExpressionContext,
  PrimaryExpressionContext,
  QueryContext,
  SoqlPrimaryContext,
  SoslPrimaryContext,
  StatementContext,
  SubExpressionContext,
  SuperPrimaryContext,
  ThisPrimaryContext,
  TypeRefContext,
  TypeRefPrimaryContext,
  VoidPrimaryContext,
  MemberDeclarationContext,
  AnonymousMemberDeclarationContext,
  FormalParametersContext,
  LocalVariableDeclarationContext,
  WhenLiteralContext,
  type ApexParserRuleContext,
  type ApexTerminalNode
} from "@apexdevtools/apex-parser";
import type {
  Annotation,
  BlockStmt,
  Expr,
  FieldDecl,
  LocalVarStmt,
  Modifiers,
  SoqlQuery,
  Stmt,
  TriggerDecl,
  TypeDecl,
  TypeRef,
  WhenClause
} from "./ast.js";
import { SoqlConverter } from "./convert-soql.js";
import { decodeStringLiteral } from "./literals.js";
import { ANONYMOUS_CLASS, TRIGGER_CLASS_PREFIX } from "./location.js";
import { ApexSyntaxError } from "./syntax-error.js";

class CollectingListener extends ApexErrorListener {
  errors: { line: number; msg: string }[] = [];
  apexSyntaxError(line: number, _column: number, message: string): void {
    this.errors.push({ line, msg: message });
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
  const declaration = unit.typeDeclaration();
  const mods = conv.modifiers(declaration.modifier_list());
  const lines = new Set<number>();
  conv.lines = lines;
  const decl = conv.typeDecl(
    declaration.classDeclaration() ?? declaration.enumDeclaration() ?? declaration.interfaceDeclaration(),
    mods
  );
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
  addRunMethod(
    conv,
    decl,
    1,
    unit
      .anonymousBlock()
      .anonymousBlockMember_list()
      .map((blockMember) => ({
        member: blockMember.anonymousMemberDeclaration(),
        modifiers: blockMember.modifier_list(),
        statement: () => blockMember.statement()
      }))
  );
  return decl;
}

/** A member of an anonymous block or a trigger body: a declaration (with its modifiers) or a statement. */
interface BlockMember {
  member: AnonymousMemberDeclarationContext | null | undefined;
  modifiers: ModifierContext[];
  statement: () => StatementContext;
}

/**
 * Gives decl the static method `run` holding the block's statements. Declarations without modifiers are local
 * variables of `run`; the others are members of decl.
 */
function addRunMethod(conv: Converter, decl: TypeDecl, line: number, members: BlockMember[]): void {
  const body: Stmt[] = [];
  for (const { member, modifiers, statement } of members) {
    const field = member?.fieldDeclaration();
    if (field && modifiers.length === 0) {
      body.push({
        kind: "LocalVar",
        ...conv.loc(field),
        type: conv.typeRef(field.typeRef()),
        declarations: field
          .variableDeclarators()
          .variableDeclarator_list()
          .map((variableDeclarator) => {
            const init = variableDeclarator.expression();
            return {
              name: variableDeclarator.id().getText(),
              initializer: init ? conv.expr(init) : null,
              line: variableDeclarator.start.line
            };
          })
      });
    } else if (member) {
      conv.member(decl, member, conv.modifiers(modifiers));
    } else {
      body.push(conv.stmt(statement()));
    }
  }
  decl.methods.push({
    file: conv.file,
    line,
    name: "run",
    params: [],
    returnType: null,
    body: { kind: "Block", file: conv.file, line, body },
    modifiers: { keywords: new Set(["public", "static"]), annotations: [] },
    isStatic: true,
    isConstructor: false
  });
}

/** Parses a `.trigger` file: its object and events, and its body as a class whose static method
 * `run` holds the statements (declarations of the body are its local variables). */
export function parseTriggerFile(source: string, file: string): TriggerDecl {
  const { parser, check } = makeParser(source, file);
  const unit: TriggerUnitContext = parser.triggerUnit();
  check();
  const conv = new Converter(file);
  conv.lines = new Set();
  const [nameId, objectId] = unit.id_list();
  const name = nameId.getText();
  const decl = conv.emptyType("class", TRIGGER_CLASS_PREFIX + name, unit.start.line, {
    keywords: new Set(["public"]),
    annotations: []
  });
  addRunMethod(
    conv,
    decl,
    unit.start.line,
    unit
      .triggerBlock()
      .triggerBlockMember_list()
      .map((blockMember) => ({
        // A trigger's member declarations have the shape of anonymous Apex's.
        member: blockMember.triggerMemberDeclaration() as unknown as AnonymousMemberDeclarationContext | null,
        modifiers: blockMember.modifier_list(),
        statement: () => blockMember.statement()
      }))
  );
  const events = unit.triggerCase_list().map((triggerCase) => ({
    timing: triggerCase.BEFORE() ? ("before" as const) : ("after" as const),
    operation: triggerCase.INSERT()
      ? ("insert" as const)
      : triggerCase.UPDATE()
        ? ("update" as const)
        : triggerCase.DELETE()
          ? ("delete" as const)
          : ("undelete" as const)
  }));
  return { name, objectName: objectId.getText(), events, body: decl, file, line: unit.start.line };
}

/** Parses a dynamic SOQL string as used by Database.query. */
export function parseSoqlString(source: string, file: string, line: number): SoqlQuery {
  const listener = new CollectingListener();
  // SOQL's LIKE escapes \_ and \% are not Apex escapes: keep the backslash for the LIKE matcher.
  const text = source.replace(/'(?:[^'\\]|\\.)*'/g, (lit) =>
    lit.replace(/\\(.)/g, (m: string, character: string) => (character === "_" || character === "%" ? `\\${m}` : m))
  );
  const { parser } = ApexParserFactory.createLexerAndParser(text, listener);
  const query = parser.query();
  const first = listener.errors[0];
  if (first) throw new ApexSyntaxError(file, line, `Invalid SOQL: ${first.msg}`);
  const conv = new Converter(file);
  conv.fixedLine = line;
  return conv.query(query);
}

type Ctx = ApexParserRuleContext;

function tokText(t: ApexTerminalNode | null | undefined): string | null {
  return t ? t.getText() : null;
}

class Converter {
  lines: Set<number> | null = null;
  fixedLine: number | null = null;
  constructor(readonly file: string) {}

  loc(context: Ctx) {
    return { file: this.file, line: this.fixedLine ?? context.start.line };
  }

  unsupported(context: Ctx, feature: string): Expr {
    return { kind: "Unsupported", feature, ...this.loc(context) };
  }

  modifiers(list: ModifierContext[] | null): Modifiers {
    const keywords = new Set<string>();
    const annotations: Annotation[] = [];
    for (const modifier of list ?? []) {
      const annotation = modifier.annotation();
      if (annotation) {
        const params: Record<string, string> = {};
        const pairs = annotation.elementValuePairs();
        if (pairs) {
          for (const elementValuePair of pairs.elementValuePair_list()) {
            params[elementValuePair.id().getText().toLowerCase()] = this.annotationValue(
              elementValuePair.elementValue().getText()
            );
          }
        } else if (annotation.elementValue()) {
          params["value"] = this.annotationValue(annotation.elementValue().getText());
        }
        annotations.push({ name: annotation.id().getText().toLowerCase(), params });
      } else {
        keywords.add(modifier.getText().toLowerCase());
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
      modifiers: mods,
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
    context: ClassDeclarationContext | EnumDeclarationContext | InterfaceDeclarationContext,
    mods: Modifiers
  ): TypeDecl {
    if (context instanceof EnumDeclarationContext) {
      const decl = this.emptyType("enum", context.id().getText(), context.start.line, mods);
      decl.enumValues = (context.enumConstants()?.id_list() ?? []).map((id) => id.getText());
      return decl;
    }
    if (context instanceof InterfaceDeclarationContext) {
      const decl = this.emptyType("interface", context.id().getText(), context.start.line, mods);
      decl.implements = (context.typeList()?.typeRef_list() ?? []).map((typeRef) => this.typeRef(typeRef));
      for (const interfaceMethodDeclaration of context.interfaceBody().interfaceMethodDeclaration_list()) {
        const typeRef = interfaceMethodDeclaration.typeRef();
        decl.methods.push({
          ...this.loc(interfaceMethodDeclaration),
          name: interfaceMethodDeclaration.id().getText(),
          params: this.params(interfaceMethodDeclaration.formalParameters()),
          returnType: typeRef ? this.typeRef(typeRef) : null,
          body: null,
          modifiers: this.modifiers(interfaceMethodDeclaration.modifier_list()),
          isStatic: false,
          isConstructor: false
        });
      }
      return decl;
    }
    const d = this.emptyType("class", context.id().getText(), context.start.line, mods);
    const ext = context.typeRef();
    d.extends = ext ? this.typeRef(ext) : null;
    d.implements = (context.typeList()?.typeRef_list() ?? []).map((typeRef) => this.typeRef(typeRef));
    for (const classBodyDeclaration of context.classBody().classBodyDeclaration_list())
      this.bodyDecl(d, classBodyDeclaration);
    return d;
  }

  bodyDecl(decl: TypeDecl, classBodyDeclaration: ClassBodyDeclarationContext) {
    const block = classBodyDeclaration.block();
    if (block) {
      decl.initializers.push({
        ...this.loc(classBodyDeclaration),
        isStatic: !!classBodyDeclaration.STATIC(),
        afterFields: decl.fields.length,
        body: this.block(block)
      });
      return;
    }
    const member = classBodyDeclaration.memberDeclaration();
    if (!member) return;
    this.member(decl, member, this.modifiers(classBodyDeclaration.modifier_list()));
  }

  member(decl: TypeDecl, member: MemberDeclarationContext | AnonymousMemberDeclarationContext, mods: Modifiers) {
    const isStatic = mods.keywords.has("static");
    const method = member.methodDeclaration();
    if (method) {
      const typeRef = method.typeRef();
      const body = method.block();
      decl.methods.push({
        ...this.loc(method),
        name: method.id().getText(),
        params: this.params(method.formalParameters()),
        returnType: typeRef ? this.typeRef(typeRef) : null,
        body: body ? this.block(body) : null,
        modifiers: mods,
        isStatic,
        isConstructor: false
      });
      return;
    }
    const ctor = member instanceof MemberDeclarationContext ? member.constructorDeclaration() : null;
    if (ctor) {
      decl.constructors.push({
        ...this.loc(ctor),
        name: decl.name,
        params: this.params(ctor.formalParameters()),
        returnType: null,
        body: this.block(ctor.block()),
        modifiers: mods,
        isStatic: false,
        isConstructor: true
      });
      return;
    }
    const field = member.fieldDeclaration();
    if (field) {
      const type = this.typeRef(field.typeRef());
      for (const variableDeclarator of field.variableDeclarators().variableDeclarator_list()) {
        const init = variableDeclarator.expression();
        if (init) this.lines?.add(variableDeclarator.start.line);
        decl.fields.push({
          ...this.loc(variableDeclarator),
          name: variableDeclarator.id().getText(),
          type,
          initializer: init ? this.expr(init) : null,
          modifiers: mods,
          isStatic
        });
      }
      return;
    }
    const prop = member.propertyDeclaration();
    if (prop) {
      const field: FieldDecl = {
        ...this.loc(prop),
        name: prop.id().getText(),
        type: this.typeRef(prop.typeRef()),
        initializer: null,
        modifiers: mods,
        isStatic
      };
      for (const propertyBlock of prop.propertyBlock_list()) {
        const getter = propertyBlock.getter();
        const setter = propertyBlock.setter();
        if (getter) {
          const block = getter.block();
          field.getter = { body: block ? this.block(block) : null };
        }
        if (setter) {
          const block = setter.block();
          field.setter = { body: block ? this.block(block) : null };
        }
      }
      decl.fields.push(field);
      return;
    }
    const inner = member.classDeclaration() ?? member.interfaceDeclaration() ?? member.enumDeclaration();
    if (inner) decl.inner.push(this.typeDecl(inner, mods));
  }

  params(context: FormalParametersContext) {
    const list = context.formalParameterList();
    if (!list) return [];
    return list.formalParameter_list().map((formalParameter) => ({
      type: this.typeRef(formalParameter.typeRef()),
      name: formalParameter.id().getText()
    }));
  }

  typeRef(context: TypeRefContext): TypeRef {
    const names: string[] = [];
    let args: TypeRef[] = [];
    for (const typeName of context.typeName_list()) {
      const id = typeName.id();
      names.push(
        id ? id.getText() : (tokText(typeName.LIST()) ?? tokText(typeName.SET()) ?? tokText(typeName.MAP()) ?? "")
      );
      const typeArguments = typeName.typeArguments();
      if (typeArguments)
        args = typeArguments
          .typeList()
          .typeRef_list()
          .map((typeRef) => this.typeRef(typeRef));
    }
    const subs = context.arraySubscripts();
    let t: TypeRef = { names, args, text: context.getText() };
    const depth = subs ? subs.LBRACK_list().length : 0;
    for (let i = 0; i < depth; i++) t = { names: ["List"], args: [t], text: context.getText() };
    return t;
  }

  block(context: BlockContext): BlockStmt {
    return {
      kind: "Block",
      ...this.loc(context),
      body: context.statement_list().map((statement) => this.stmt(statement))
    };
  }

  localVar(context: LocalVariableDeclarationContext): LocalVarStmt {
    return {
      kind: "LocalVar",
      ...this.loc(context),
      type: this.typeRef(context.typeRef()),
      declarations: context
        .variableDeclarators()
        .variableDeclarator_list()
        .map((variableDeclarator) => {
          const init = variableDeclarator.expression();
          return {
            name: variableDeclarator.id().getText(),
            initializer: init ? this.expr(init) : null,
            line: variableDeclarator.start.line
          };
        })
    };
  }

  stmt(context: StatementContext): Stmt {
    const loc = this.loc(context);
    const statement = this.stmtInner(context);
    // Blocks, `try` and declarations without a value are structure, not executable lines.
    const bareDeclaration =
      statement.kind === "LocalVar" && statement.declarations.every((d) => d.initializer === null);
    if (statement.kind !== "Block" && statement.kind !== "Try" && !bareDeclaration) this.lines?.add(loc.line);
    return statement;
  }

  stmtInner(context: StatementContext): Stmt {
    const loc = this.loc(context);
    let c;
    if ((c = context.block())) return this.block(c);
    if ((c = context.localVariableDeclarationStatement())) return this.localVar(c.localVariableDeclaration());
    if ((c = context.expressionStatement())) return { kind: "Expr", ...loc, expression: this.expr(c.expression()) };
    if ((c = context.ifStatement())) {
      const ss = c.statement_list();
      return {
        kind: "If",
        ...loc,
        condition: this.expr(c.parExpression().expression()),
        then: this.stmt(ss[0]),
        else: ss[1] ? this.stmt(ss[1]) : null
      };
    }
    if ((c = context.returnStatement())) {
      const expression = c.expression();
      return { kind: "Return", ...loc, expression: expression ? this.expr(expression) : null };
    }
    if ((c = context.forStatement())) {
      const forControl = c.forControl();
      const body: Stmt = c.statement() ? this.stmt(c.statement()) : { kind: "Block", ...loc, body: [] };
      const enhancedForControl = forControl.enhancedForControl();
      if (enhancedForControl) {
        return {
          kind: "ForEach",
          ...loc,
          type: this.typeRef(enhancedForControl.typeRef()),
          name: enhancedForControl.id().getText(),
          expression: this.expr(enhancedForControl.expression()),
          body
        };
      }
      const init = forControl.forInit();
      const target = init?.localVariableDeclaration();
      const expressionList = init?.expressionList();
      const cond = forControl.expression();
      const forUpdate = forControl.forUpdate();
      return {
        kind: "For",
        ...loc,
        initializer: target
          ? this.localVar(target)
          : expressionList
            ? expressionList.expression_list().map((expression) => this.expr(expression))
            : null,
        condition: cond ? this.expr(cond) : null,
        update: forUpdate
          ? forUpdate
              .expressionList()
              .expression_list()
              .map((expression) => this.expr(expression))
          : [],
        body
      };
    }
    if ((c = context.whileStatement())) {
      const staticType = c.statement();
      return {
        kind: "While",
        ...loc,
        condition: this.expr(c.parExpression().expression()),
        body: staticType ? this.stmt(staticType) : { kind: "Block", ...loc, body: [] }
      };
    }
    if ((c = context.doWhileStatement())) {
      return {
        kind: "DoWhile",
        ...loc,
        condition: this.expr(c.parExpression().expression()),
        body: this.block(c.block())
      };
    }
    if ((c = context.tryStatement())) {
      const finallyBlock = c.finallyBlock();
      return {
        kind: "Try",
        ...loc,
        body: this.block(c.block()),
        catches: c.catchClause_list().map((catchClause) => {
          const ids = catchClause
            .qualifiedName()
            .id_list()
            .map((id) => id.getText());
          return {
            type: { names: ids, args: [], text: ids.join(".") },
            name: catchClause.id().getText(),
            body: this.block(catchClause.block())
          };
        }),
        finally: finallyBlock ? this.block(finallyBlock.block()) : null
      };
    }
    if ((c = context.throwStatement())) return { kind: "Throw", ...loc, expression: this.expr(c.expression()) };
    if (context.breakStatement()) return { kind: "Break", ...loc };
    if (context.continueStatement()) return { kind: "Continue", ...loc };
    if ((c = context.switchStatement())) {
      const whens: WhenClause[] = c.whenControl_list().map((whenControl) => {
        const whenValue = whenControl.whenValue();
        const body = this.block(whenControl.block());
        if (whenValue.ELSE()) return { kind: "else", body };
        const typeRef = whenValue.typeRef();
        if (typeRef) return { kind: "type", type: this.typeRef(typeRef), name: whenValue.id().getText(), body };
        return {
          kind: "values",
          values: whenValue.whenLiteral_list().map((whenLiteral) => this.whenLiteral(whenLiteral)),
          body
        };
      });
      return { kind: "Switch", ...loc, expression: this.expr(c.expression()), whens };
    }
    const dml = (
      [
        ["insert", context.insertStatement()],
        ["update", context.updateStatement()],
        ["delete", context.deleteStatement()],
        ["undelete", context.undeleteStatement()]
      ] as const
    ).find(([, v]) => !!v);
    if (dml && dml[1]) return { kind: "Dml", ...loc, operator: dml[0], expression: this.expr(dml[1].expression()) };
    if ((c = context.upsertStatement())) {
      const qualifiedName = c.qualifiedName();
      return {
        kind: "Dml",
        ...loc,
        operator: "upsert",
        expression: this.expr(c.expression()),
        externalIdField: qualifiedName ? qualifiedName.getText() : undefined
      };
    }
    if (context.mergeStatement()) return { kind: "Unsupported", ...loc, feature: "merge" };
    if ((c = context.runAsStatement())) {
      const args = this.args(c.expressionList());
      if (args.length !== 1) return { kind: "Unsupported", ...loc, feature: "System.runAs with a version argument" };
      return { kind: "RunAs", ...loc, user: args[0], body: this.block(c.block()) };
    }
    return { kind: "Unsupported", ...loc, feature: `statement '${context.getText().slice(0, 30)}'` };
  }

  whenLiteral(context: WhenLiteralContext): Expr {
    const loc = this.loc(context);
    const inner = context.whenLiteral();
    if (inner) return this.whenLiteral(inner);
    const neg = context.SUB_list().length % 2 === 1 ? "-" : "";
    const i = context.IntegerLiteral();
    if (i) return { kind: "Literal", ...loc, type: "Integer", value: neg + i.getText() };
    const l = context.LongLiteral();
    if (l) return { kind: "Literal", ...loc, type: "Long", value: neg + l.getText() };
    const s = context.StringLiteral();
    if (s) return { kind: "Literal", ...loc, type: "String", value: decodeStringLiteral(s.getText()) };
    if (context.NULL()) return { kind: "Literal", ...loc, type: "Null", value: "null" };
    const qualifiedName = context.qualifiedName();
    const ids = qualifiedName.id_list().map((id) => id.getText());
    // Enum values in `when` are written bare; qualified names are resolved at run time.
    let expression: Expr = { kind: "Name", ...loc, name: ids[0] };
    for (const id of ids.slice(1)) expression = { kind: "Field", ...loc, target: expression, name: id, safe: false };
    return expression;
  }

  literal(context: LiteralContext): Expr {
    const loc = this.loc(context);
    let t;
    if ((t = context.IntegerLiteral())) return { kind: "Literal", ...loc, type: "Integer", value: t.getText() };
    if ((t = context.LongLiteral())) return { kind: "Literal", ...loc, type: "Long", value: t.getText().slice(0, -1) };
    if ((t = context.NumberLiteral())) {
      const text = t.getText();
      if (/[dD]$/.test(text)) return { kind: "Literal", ...loc, type: "Double", value: text.slice(0, -1) };
      return { kind: "Literal", ...loc, type: "Decimal", value: text };
    }
    if ((t = context.StringLiteral()))
      return { kind: "Literal", ...loc, type: "String", value: decodeStringLiteral(t.getText()) };
    if ((t = context.MultilineStringLiteral())) {
      return this.unsupported(context, "multiline string literal");
    }
    if ((t = context.BooleanLiteral()))
      return { kind: "Literal", ...loc, type: "Boolean", value: t.getText().toLowerCase() };
    return { kind: "Literal", ...loc, type: "Null", value: "null" };
  }

  args(list: { expression_list(): ExpressionContext[] } | null): Expr[] {
    return list ? list.expression_list().map((expression) => this.expr(expression)) : [];
  }

  expr(context: ExpressionContext): Expr {
    const loc = this.loc(context);
    if (context instanceof PrimaryExpressionContext) {
      const primary = context.primary();
      if (primary instanceof LiteralPrimaryContext) return this.literal(primary.literal());
      if (primary instanceof IdPrimaryContext) return { kind: "Name", ...loc, name: primary.id().getText() };
      if (primary instanceof ThisPrimaryContext) return { kind: "This", ...loc };
      if (primary instanceof SuperPrimaryContext) return { kind: "Super", ...loc };
      if (primary instanceof TypeRefPrimaryContext)
        return { kind: "ClassLiteral", ...loc, type: this.typeRef(primary.typeRef()) };
      if (primary instanceof VoidPrimaryContext) return this.unsupported(context, "void.class");
      if (primary instanceof SoqlPrimaryContext)
        return { kind: "Soql", ...loc, query: this.query(primary.soqlLiteral().query()) };
      if (primary instanceof SoslPrimaryContext) return this.unsupported(context, "SOSL");
      return this.unsupported(context, `expression '${context.getText().slice(0, 30)}'`);
    }
    if (context instanceof SubExpressionContext) return this.expr(context.expression());
    if (context instanceof DotExpressionContext) {
      const target = this.expr(context.expression());
      const safe = !!context.QUESTIONDOT();
      const dotMethodCall = context.dotMethodCall();
      if (dotMethodCall) {
        return {
          kind: "Call",
          ...loc,
          target,
          name: dotMethodCall.anyId().getText(),
          args: this.args(dotMethodCall.expressionList()),
          safe
        };
      }
      return { kind: "Field", ...loc, target, name: context.anyId().getText(), safe };
    }
    if (context instanceof MethodCallExpressionContext) {
      const methodCall = context.methodCall();
      const name = methodCall.id() ? methodCall.id().getText() : methodCall.THIS() ? "this" : "super";
      return { kind: "Call", ...loc, target: null, name, args: this.args(methodCall.expressionList()), safe: false };
    }
    if (context instanceof ArrayExpressionContext) {
      const [target, index] = context.expression_list();
      return { kind: "Index", ...loc, target: this.expr(target), index: this.expr(index) };
    }
    if (context instanceof NewExpressionContext) return this.creator(context.creator(), loc);
    if (context instanceof AssignExpressionContext) {
      const [target, value] = context.expression_list();
      const operator = context.getChild(1).getText();
      return { kind: "Assign", ...loc, operator, target: this.expr(target), value: this.expr(value) };
    }
    if (context instanceof CondExpressionContext) {
      const [condition, then, otherwise] = context.expression_list();
      return {
        kind: "Cond",
        ...loc,
        condition: this.expr(condition),
        then: this.expr(then),
        else: this.expr(otherwise)
      };
    }
    if (context instanceof CastExpressionContext) {
      return {
        kind: "Cast",
        ...loc,
        type: this.typeRef(context.typeRef()),
        expression: this.expr(context.expression())
      };
    }
    if (context instanceof InstanceOfExpressionContext) {
      return {
        kind: "InstanceOf",
        ...loc,
        expression: this.expr(context.expression()),
        type: this.typeRef(context.typeRef())
      };
    }
    if (context instanceof PostOpExpressionContext) {
      return {
        kind: "IncDec",
        ...loc,
        operator: context.INC() ? "++" : "--",
        prefix: false,
        target: this.expr(context.expression())
      };
    }
    if (context instanceof PreOpExpressionContext) {
      const operand = this.expr(context.expression());
      if (context.INC()) return { kind: "IncDec", ...loc, operator: "++", prefix: true, target: operand };
      if (context.DEC()) return { kind: "IncDec", ...loc, operator: "--", prefix: true, target: operand };
      if (
        context.SUB() &&
        operand.kind === "Literal" &&
        ["Integer", "Long", "Decimal", "Double"].includes(operand.type)
      ) {
        // -2147483648 is a literal in its own right, not a negated out-of-range one.
        return { ...operand, value: operand.value.startsWith("-") ? operand.value.slice(1) : "-" + operand.value };
      }
      return { kind: "Unary", ...loc, operator: context.SUB() ? "-" : "+", operand };
    }
    if (context instanceof NegExpressionContext) {
      return { kind: "Unary", ...loc, operator: context.BANG() ? "!" : "~", operand: this.expr(context.expression()) };
    }
    if (
      context instanceof Arth1ExpressionContext ||
      context instanceof Arth2ExpressionContext ||
      context instanceof CoalExpressionContext ||
      context instanceof BitOrExpressionContext ||
      context instanceof BitAndExpressionContext ||
      context instanceof BitNotExpressionContext ||
      context instanceof LogAndExpressionContext ||
      context instanceof LogOrExpressionContext ||
      context instanceof CmpExpressionContext ||
      context instanceof BitExpressionContext ||
      context instanceof EqualityExpressionContext
    ) {
      const [left, right] = context.expression_list();
      // The operator is every token between the two operands (e.g. '>' '=' or '>' '>' '>').
      let operator = "";
      for (let i = 0; i < context.getChildCount(); i++) {
        const child = context.getChild(i);
        if (child !== left && child !== right) operator += child.getText();
      }
      return { kind: "Binary", ...loc, operator, left: this.expr(left), right: this.expr(right) };
    }
    return this.unsupported(context, `expression '${context.getText().slice(0, 30)}'`);
  }

  creator(context: CreatorContext, loc: { file: string; line: number }): Expr {
    const pairs = context.createdName().idCreatedNamePair_list();
    const names = pairs.map((idCreatedNamePair) => idCreatedNamePair.anyId().getText());
    const last = pairs[pairs.length - 1];
    const typeList = last.typeList();
    const type: TypeRef = {
      names,
      args: typeList ? typeList.typeRef_list().map((typeRef) => this.typeRef(typeRef)) : [],
      text: context.createdName().getText()
    };
    const classCreatorRest = context.classCreatorRest();
    if (classCreatorRest)
      return { kind: "New", ...loc, type, args: this.args(classCreatorRest.arguments().expressionList()) };
    if (context.noRest()) return { kind: "New", ...loc, type, items: [] };
    const result = context.arrayCreatorRest();
    if (result) {
      const listType: TypeRef = { names: ["List"], args: [type], text: `List<${type.text}>` };
      const init = result.arrayInitializer();
      if (init) return { kind: "New", ...loc, type: listType, items: this.args(init), array: true };
      return { kind: "New", ...loc, type: listType, size: this.expr(result.expression()), array: true };
    }
    const mapCreatorRest = context.mapCreatorRest();
    if (mapCreatorRest) {
      return {
        kind: "New",
        ...loc,
        type,
        pairs: mapCreatorRest.mapCreatorRestPair_list().map((mapCreatorRestPair) => {
          const [expression, v] = mapCreatorRestPair.expression_list();
          return [this.expr(expression), this.expr(v)] as [Expr, Expr];
        })
      };
    }
    const setCreatorRest = context.setCreatorRest();
    return { kind: "New", ...loc, type, items: setCreatorRest ? this.args(setCreatorRest) : [] };
  }

  query(context: QueryContext): SoqlQuery {
    return new SoqlConverter(
      this.file,
      (node) => this.loc(node),
      (expression) => this.expr(expression)
    ).query(context);
  }
}
