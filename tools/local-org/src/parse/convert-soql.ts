// Converts SOQL in the ANTLR parse tree (inline queries and Database.query strings) into the
// runtime's own query tree. Bind expressions are converted by the Apex converter it is given.
import type {
  ConditionalExpressionContext,
  ExpressionContext,
  FieldExpressionContext,
  FieldNameContext,
  LogicalExpressionContext,
  QueryContext,
  SelectEntryContext,
  SoqlFunctionContext,
  SubFieldEntryContext,
  SubQueryContext,
  ValueContext,
  WhereConditionalExpressionContext,
  WhereLogicalExpressionContext,
  ApexParserRuleContext
} from "@apexdevtools/apex-parser";
import type { Expr, Loc, SoqlCond, SoqlOrder, SoqlQuery, SoqlSelectItem, SoqlValue } from "./ast.js";
import { decodeStringLiteral } from "./literals.js";
import { ApexSyntaxError } from "./syntax-error.js";

export class SoqlConverter {
  constructor(
    readonly file: string,
    private readonly loc: (context: ApexParserRuleContext) => Loc,
    private readonly expr: (context: ExpressionContext) => Expr
  ) {}

  fieldPath(context: FieldNameContext): string[] {
    return context.soqlId_list().map((soqlId) => soqlId.getText());
  }

  soqlFunction(context: SoqlFunctionContext): { fn: string; path: string[] | null } {
    const fn = context.getChild(0).getText().toLowerCase();
    const fname = context.fieldName();
    if (fname) return { fn, path: this.fieldPath(fname) };
    const inner = context.soqlFunction();
    if (inner)
      throw new ApexSyntaxError(
        this.file,
        context.start.line,
        `SOQL function ${fn}() over a function is not supported by local-org`
      );
    const dateFieldName = context.dateFieldName();
    if (dateFieldName) return { fn, path: this.fieldPath(dateFieldName.fieldName()) };
    return { fn, path: null };
  }

  selectItems(entries: (SelectEntryContext | SubFieldEntryContext)[], line: number): SoqlSelectItem[] {
    return entries.map((e) => {
      const alias = e.soqlId()?.getText();
      const subQuery = e.subQuery();
      if (subQuery) return { kind: "subquery", query: this.subQuery(subQuery) };
      const soqlFunction = e.soqlFunction();
      if (soqlFunction) {
        const f = this.soqlFunction(soqlFunction);
        if (f.fn === "count" && f.path === null) return { kind: "countAll" };
        if (f.fn === "fields")
          throw new ApexSyntaxError(this.file, line, "FIELDS() in SOQL is not supported by local-org");
        return { kind: "agg", fn: f.fn, path: f.path, alias };
      }
      if (e.typeOf()) throw new ApexSyntaxError(this.file, line, "TYPEOF in SOQL is not supported by local-org");
      return { kind: "field", path: this.fieldPath(e.fieldName() as FieldNameContext), alias };
    });
  }

  query(context: QueryContext): SoqlQuery {
    const loc = this.loc(context);
    const from = context.fromNameList().fieldName_list();
    if (from.length !== 1)
      throw new ApexSyntaxError(this.file, loc.line, "SOQL with several FROM objects is not supported by local-org");
    if (context.usingScope())
      throw new ApexSyntaxError(this.file, loc.line, "USING SCOPE is not supported by local-org");
    const query: SoqlQuery = {
      ...loc,
      select: this.selectItems(context.selectList().selectEntry_list(), loc.line),
      from: this.fieldPath(from[0]).join("."),
      orderBy: [],
      allRows: !!context.allRowsClause(),
      forUpdate: !!context.forClauses()
    };
    this.queryTail(query, context);
    const groupBy = context.groupByClause();
    if (groupBy) {
      if (groupBy.ROLLUP() || groupBy.CUBE())
        throw new ApexSyntaxError(this.file, loc.line, "GROUP BY ROLLUP/CUBE is not supported by local-org");
      query.groupBy = (groupBy.fieldGroupByList()?.fieldGroupBy_list() ?? []).map((fieldGroupBy) => {
        const fieldName = fieldGroupBy.fieldName();
        if (!fieldName)
          throw new ApexSyntaxError(this.file, loc.line, "GROUP BY on a function is not supported by local-org");
        return this.fieldPath(fieldName);
      });
      const having = groupBy.logicalExpression();
      if (having) query.having = this.logical(having);
    }
    const offsetClause = context.offsetClause();
    if (offsetClause) {
      const boundExpression = offsetClause.boundExpression();
      query.offset = boundExpression
        ? { kind: "bind", expression: this.expr(boundExpression.expression()) }
        : { kind: "literal", value: { kind: "number", text: offsetClause.IntegerLiteral().getText() } };
    }
    const withClause = context.withClause();
    if (withClause && !(withClause.SECURITY_ENFORCED() || withClause.SYSTEM_MODE() || withClause.USER_MODE())) {
      throw new ApexSyntaxError(this.file, loc.line, "SOQL WITH clause is not supported by local-org");
    }
    return query;
  }

  subQuery(context: SubQueryContext): SoqlQuery {
    const loc = this.loc(context);
    const query: SoqlQuery = {
      ...loc,
      select: this.selectItems(context.subFieldList().subFieldEntry_list(), loc.line),
      from: this.fieldPath(context.fromNameList().fieldName_list()[0]).join("."),
      orderBy: [],
      allRows: false,
      forUpdate: false
    };
    this.queryTail(query, context);
    return query;
  }

  queryTail(query: SoqlQuery, context: QueryContext | SubQueryContext) {
    const whereClause = context.whereClause();
    if (whereClause) query.where = this.whereLogical(whereClause.whereLogicalExpression());
    const orderByClause = context.orderByClause();
    if (orderByClause) {
      query.orderBy = orderByClause
        .fieldOrderList()
        .fieldOrder_list()
        .map((fieldOrder): SoqlOrder => {
          const desc = !!fieldOrder.DESC();
          const fieldName = fieldOrder.fieldName();
          if (!fieldName)
            throw new ApexSyntaxError(this.file, query.line, "ORDER BY on a function is not supported by local-org");
          return {
            path: this.fieldPath(fieldName),
            descending: desc,
            // Salesforce sorts nulls first ascending and last descending unless told otherwise.
            nullsFirst: fieldOrder.NULLS() ? !!fieldOrder.FIRST() : true
          };
        });
    }
    const limitClause = context.limitClause();
    if (limitClause) {
      const boundExpression = limitClause.boundExpression();
      query.limit = boundExpression
        ? { kind: "bind", expression: this.expr(boundExpression.expression()) }
        : { kind: "literal", value: { kind: "number", text: limitClause.IntegerLiteral().getText() } };
    }
  }

  whereLogical(context: WhereLogicalExpressionContext): SoqlCond {
    const parts = context
      .whereConditionalExpression_list()
      .map((whereConditionalExpression) => this.whereCond(whereConditionalExpression));
    if (context.NOT()) return { kind: "not", item: parts[0] };
    if (parts.length === 1) return parts[0];
    return context.SOQLOR_list().length > 0 ? { kind: "or", items: parts } : { kind: "and", items: parts };
  }

  whereCond(context: WhereConditionalExpressionContext): SoqlCond {
    const whereLogicalExpression = context.whereLogicalExpression();
    if (whereLogicalExpression) return this.whereLogical(whereLogicalExpression);
    const whereFieldExpression = context.whereFieldExpression();
    const fieldExpression = whereFieldExpression.fieldExpression();
    if (!fieldExpression)
      throw new ApexSyntaxError(this.file, context.start.line, "FORMULA in SOQL WHERE is not supported by local-org");
    return this.fieldExpression(fieldExpression);
  }

  logical(context: LogicalExpressionContext): SoqlCond {
    const parts = context
      .conditionalExpression_list()
      .map((conditionalExpression) => this.conditional(conditionalExpression));
    if (context.NOT()) return { kind: "not", item: parts[0] };
    if (parts.length === 1) return parts[0];
    return context.SOQLOR_list().length > 0 ? { kind: "or", items: parts } : { kind: "and", items: parts };
  }

  conditional(context: ConditionalExpressionContext): SoqlCond {
    const logicalExpression = context.logicalExpression();
    if (logicalExpression) return this.logical(logicalExpression);
    return this.fieldExpression(context.fieldExpression());
  }

  fieldExpression(fieldExpression: FieldExpressionContext): SoqlCond {
    const opText = fieldExpression.comparisonOperator().getText().toLowerCase().replace(/^not/, "not ").trim();
    const fname = fieldExpression.fieldName();
    const value = this.value(fieldExpression.value());
    if (fname) return { kind: "cmp", path: this.fieldPath(fname), operator: opText, value };
    const f = this.soqlFunction(fieldExpression.soqlFunction());
    return { kind: "cmp", path: f.path ?? [], fn: f.fn, operator: opText, value };
  }

  value(context: ValueContext): SoqlValue {
    if (context.NULL()) return { kind: "literal", value: { kind: "null" } };
    let t;
    if ((t = context.BooleanLiteral()))
      return { kind: "literal", value: { kind: "boolean", value: t.getText().toLowerCase() === "true" } };
    const signedNumber = context.signedNumber();
    if (signedNumber) return { kind: "literal", value: { kind: "number", text: signedNumber.getText() } };
    if ((t = context.IntegerLiteral())) return { kind: "literal", value: { kind: "number", text: t.getText() } };
    if ((t = context.StringLiteral()))
      return { kind: "literal", value: { kind: "string", value: decodeStringLiteral(t.getText()) } };
    if ((t = context.DateLiteral())) return { kind: "literal", value: { kind: "date", text: t.getText() } };
    if ((t = context.DateTimeLiteral())) return { kind: "literal", value: { kind: "datetime", text: t.getText() } };
    const dateFormula = context.dateFormula();
    if (dateFormula) {
      const text = dateFormula.getText().toUpperCase();
      const match = /^([A-Z_]+?)(?::(-?\d+))?$/.exec(text);
      return { kind: "dateLiteral", name: match ? match[1] : text, n: match && match[2] ? Number(match[2]) : 0 };
    }
    const boundExpression = context.boundExpression();
    if (boundExpression) return { kind: "bind", expression: this.expr(boundExpression.expression()) };
    const subQuery = context.subQuery();
    if (subQuery) return { kind: "subquery", query: this.subQuery(subQuery) };
    const valueList = context.valueList();
    if (valueList) return { kind: "list", values: valueList.value_list().map((value) => this.value(value)) };
    throw new ApexSyntaxError(
      this.file,
      context.start.line,
      `SOQL value '${context.getText()}' is not supported by local-org`
    );
  }
}
