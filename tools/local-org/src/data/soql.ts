// SOQL over the record store: checking the query against the schema, WHERE and HAVING (one
// condition walker), ORDER BY, LIMIT and OFFSET, parent fields and child subqueries, and
// aggregate queries with GROUP BY.
import type { Expr, Loc, SoqlCond, SoqlOrder, SoqlQuery, SoqlValue } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import { fieldDescribe, relationshipField, type FieldDescribe, type SObjectDescribe } from "../runtime/describe.js";
import { throwApex, unsupported } from "../runtime/errors.js";
import { countLimit } from "../runtime/governor.js";
import { normalizeId } from "../runtime/ids.js";
import { setItems } from "../runtime/operators.js";
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexList,
  ApexSet,
  SObjectValue,
  isNumber,
  toDec,
  type Value
} from "../runtime/values.js";
import { fieldValue } from "./formula-fields.js";
import type { RecordStore, StoredRecord } from "./store.js";

const DAY = 86400000;

/** How an aggregate value (COUNT(Id), SUM(Amount)) compares in HAVING: as a number. */
const AGGREGATE_VALUE = fieldDescribe("expr", "double");

type Comparison = Extract<SoqlCond, { kind: "cmp" }>;

/** What one query runs with: the store, the runtime, the bind variables and where it is. */
interface QueryContext {
  store: RecordStore;
  runtime: RuntimeContext;
  bind: (expression: Expr) => Value;
  loc: Loc;
}

export function runQuery(
  store: RecordStore,
  runtime: RuntimeContext,
  query: SoqlQuery,
  bind: (expression: Expr) => Value,
  loc: Loc
): Value {
  countLimit(runtime, "queries");
  const context: QueryContext = { store, runtime, bind, loc };
  const found = store.schema.get(query.from);
  // Platform events are published and delivered, never stored for queries.
  if (!found || found.platformEvent)
    throwApex(runtime, "QueryException", `sObject type '${query.from}' is not supported.`);
  const obj: SObjectDescribe = found;
  validate(context, obj, query);
  let rows = [...store.table(obj).values()];
  if (query.where) rows = rows.filter(rowFilter(context, obj, query.where));
  const isAggregate = query.groupBy || query.select.some((item) => item.kind === "agg");
  if (query.select.length === 1 && query.select[0].kind === "countAll" && !query.groupBy) {
    countLimit(runtime, "queryRows", rows.length);
    return rows.length;
  }
  if (isAggregate) return aggregate(context, obj, query, rows);
  sortRows(context, obj, rows, query);
  rows = page(context, rows, query);
  countLimit(runtime, "queryRows", rows.length);
  const list = new ApexList(
    { kind: "sobject", obj },
    rows.map((row) => build(context, obj, row, query))
  );
  list.fromQuery = true;
  return list;
}

/** Unknown fields and relationships fail even when no row is read, as the compiler rejects them. */
function validate(context: QueryContext, obj: SObjectDescribe, query: SoqlQuery) {
  const none: StoredRecord = new Map();
  const check = (target: SObjectDescribe, path: string[] | null) => {
    if (path) resolve(context, target, none, path);
  };
  const checkCondition = (target: SObjectDescribe, condition: SoqlCond | undefined) => {
    for (const comparison of comparisons(condition)) {
      if (comparison.fn) unsupported(context.runtime, `SOQL function ${comparison.fn}() in WHERE`, context.loc);
      check(target, comparison.path);
      const values = comparison.value.kind === "list" ? comparison.value.values : [comparison.value];
      for (const value of values) if (value.kind === "dateLiteral") dateRange(context, value.name, value.n);
    }
  };
  for (const item of query.select) {
    if (item.kind === "field") check(obj, item.path);
    else if (item.kind === "agg") check(obj, item.path);
    else if (item.kind === "subquery") {
      const { child } = childRelationship(context, obj, item.query.from);
      for (const subItem of item.query.select) if (subItem.kind === "field") check(child, subItem.path);
      checkCondition(child, item.query.where);
      for (const order of item.query.orderBy) if (!order.fn) check(child, order.path);
    }
  }
  checkCondition(obj, query.where);
  for (const order of query.orderBy) if (!order.fn) check(obj, order.path);
}

function page<T>(context: QueryContext, rows: T[], query: SoqlQuery): T[] {
  const number = (value: SoqlValue | undefined): number | null => {
    if (!value) return null;
    const result =
      value.kind === "bind"
        ? context.bind(value.expression)
        : value.kind === "literal" && value.value.kind === "number"
          ? Number(value.value.text)
          : null;
    return result === null ? null : Number(result);
  };
  const offset = number(query.offset) ?? 0;
  const limit = number(query.limit);
  return rows.slice(offset, limit === null ? undefined : offset + limit);
}

/** The child relationship a subquery names, and the child object it reaches. */
function childRelationship(context: QueryContext, obj: SObjectDescribe, name: string) {
  const relationship = obj.childRelationships.get(name.toLowerCase());
  if (!relationship)
    throwApex(context.runtime, "QueryException", `Didn't understand relationship '${name}' in FROM part of query call`);
  return { relationship, child: context.store.schema.get(relationship.childObject)! };
}

/** Resolves a field path such as Account.Owner.Name from a stored record. */
function resolve(
  context: QueryContext,
  obj: SObjectDescribe,
  record: StoredRecord,
  path: string[]
): { value: Value; field: FieldDescribe } {
  let current = obj;
  let currentRecord: StoredRecord | null = record;
  let parts = path;
  if (parts.length > 1 && parts[0].toLowerCase() === obj.name.toLowerCase()) parts = parts.slice(1);
  for (let i = 0; i < parts.length - 1; i++) {
    const lookup = relationshipField(current, parts[i]);
    if (!lookup)
      throwApex(context.runtime, "QueryException", `Didn't understand relationship '${parts[i]}' in field path`);
    const id: Value = currentRecord ? (currentRecord.get(lookup.name.toLowerCase()) ?? null) : null;
    const target: { obj: SObjectDescribe; rec: StoredRecord } | null =
      typeof id === "string" ? context.store.findById(id) : null;
    const next = target?.obj ?? context.store.schema.get(lookup.referenceTo[0]);
    if (!next) unsupported(context.runtime, `relationship ${parts[i]}`, context.loc);
    current = next;
    currentRecord = target?.rec ?? null;
  }
  const last = parts[parts.length - 1];
  const field = current.fields.get(last.toLowerCase());
  if (!field) throwApex(context.runtime, "QueryException", `No such column '${last}' on entity '${current.name}'`);
  return {
    value: currentRecord ? fieldValue(context.store, context.runtime, current, currentRecord, field) : null,
    field
  };
}

// ---- WHERE and HAVING ----

/**
 * Whether a WHERE or HAVING tree holds, `test` deciding each comparison; AND and OR stop at the
 * first comparison that settles them, as the platform evaluates them.
 */
function conditionHolds(condition: SoqlCond, test: (comparison: Comparison) => boolean): boolean {
  switch (condition.kind) {
    case "and":
      return condition.items.every((item) => conditionHolds(item, test));
    case "or":
      return condition.items.some((item) => conditionHolds(item, test));
    case "not":
      return !conditionHolds(condition.item, test);
    case "cmp":
      return test(condition);
  }
}

/** Every comparison of a condition tree, in source order. */
function comparisons(condition: SoqlCond | undefined): Comparison[] {
  if (!condition) return [];
  if (condition.kind === "cmp") return [condition];
  return condition.kind === "not" ? comparisons(condition.item) : condition.items.flatMap(comparisons);
}

/** WHERE as a filter over the rows of one object (one comparison test for all of them). */
function rowFilter(context: QueryContext, obj: SObjectDescribe, condition: SoqlCond): (row: StoredRecord) => boolean {
  let row: StoredRecord;
  const test = (comparison: Comparison) => {
    if (comparison.fn) unsupported(context.runtime, `SOQL function ${comparison.fn}() in WHERE`, context.loc);
    const { value, field } = resolve(context, obj, row, comparison.path);
    return compare(context, value, field, comparison.operator, comparison.value);
  };
  return (candidate) => {
    row = candidate;
    return conditionHolds(condition, test);
  };
}

/** HAVING on one group: conditions on aggregates (COUNT(Id) > 1) or on grouped fields. */
function groupMatches(
  context: QueryContext,
  obj: SObjectDescribe,
  members: StoredRecord[],
  condition: SoqlCond
): boolean {
  return conditionHolds(condition, (comparison) => {
    if (!comparison.fn) {
      const { value, field } = members.length
        ? resolve(context, obj, members[0], comparison.path)
        : { value: null, field: obj.fields.get("id")! };
      return compare(context, value, field, comparison.operator, comparison.value);
    }
    const values = comparison.path.length
      ? members.map((member) => resolve(context, obj, member, comparison.path).value).filter((value) => value !== null)
      : members.map(() => 1 as Value);
    const aggregated = aggregateValue(context, comparison.fn, values);
    return compare(context, aggregated, AGGREGATE_VALUE, comparison.operator, comparison.value);
  });
}

type SortKey = string | number | boolean | null;

/** A comparable form: lower-case text (ids as 18 characters), numbers, epoch milliseconds. */
function sortKey(value: Value, field: FieldDescribe | null): SortKey {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    if (field && (field.type === "id" || field.type === "reference")) return normalizeId(value) ?? value;
    return value.toLowerCase();
  }
  if (typeof value === "boolean") return value;
  if (isNumber(value)) return toDec(value).d.toNumber();
  if (value instanceof ApexDate || value instanceof ApexDatetime) return value.ms;
  if (value instanceof SObjectValue) return sortKey(value.fields.get("id") ?? null, field);
  return String(value);
}

/** The values a comparison compares with: a literal, a bind variable (a collection gives its items),
 * a list, or the rows of a semi-join subquery. */
function comparedValues(context: QueryContext, soqlValue: SoqlValue): Value[] {
  switch (soqlValue.kind) {
    case "literal": {
      const literal = soqlValue.value;
      switch (literal.kind) {
        case "null":
          return [null];
        case "boolean":
          return [literal.value];
        case "number":
          return [ApexDecimal.parse(literal.text)];
        case "string":
          return [literal.value];
        case "date": {
          const [year, month, day] = literal.text.split("-").map(Number);
          return [new ApexDate(year, month, day)];
        }
        case "datetime":
          return [new ApexDatetime(Date.parse(literal.text))];
      }
      break;
    }
    case "bind": {
      const value = context.bind(soqlValue.expression);
      if (value instanceof ApexList) return value.items;
      if (value instanceof ApexSet) return setItems(value);
      return [value];
    }
    case "list":
      return soqlValue.values.flatMap((item) => comparedValues(context, item));
    case "subquery": {
      // Semi-join: the values of the subquery's single field, e.g. Id IN (SELECT AccountId FROM Contact).
      const query = soqlValue.query;
      const selected = query.select[0];
      const obj = context.store.schema.get(query.from);
      if (!obj || query.select.length !== 1 || selected.kind !== "field")
        unsupported(context.runtime, "this semi-join subquery", context.loc);
      let rows = [...context.store.table(obj).values()];
      if (query.where) rows = rows.filter(rowFilter(context, obj, query.where));
      return rows.map((row) => resolve(context, obj, row, selected.path).value);
    }
    case "dateLiteral":
      unsupported(context.runtime, `date literal ${soqlValue.name} outside a comparison`, context.loc);
  }
  return [];
}

/** The start and end (exclusive) in epoch milliseconds of a date literal such as LAST_N_DAYS:7. */
function dateRange(context: QueryContext, name: string, n: number): [number, number] {
  const now = new Date(context.runtime.clock.now());
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  switch (name) {
    case "TODAY":
      return [today, today + DAY];
    case "YESTERDAY":
      return [today - DAY, today];
    case "TOMORROW":
      return [today + DAY, today + 2 * DAY];
    case "LAST_N_DAYS":
      return [today - n * DAY, today + DAY];
    case "NEXT_N_DAYS":
      return [today, today + (n + 1) * DAY];
    case "THIS_MONTH":
      return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)];
    case "LAST_MONTH":
      return [Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1)];
    case "NEXT_MONTH":
      return [Date.UTC(year, month + 1, 1), Date.UTC(year, month + 2, 1)];
    case "THIS_YEAR":
      return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
    case "LAST_YEAR":
      return [Date.UTC(year - 1, 0, 1), Date.UTC(year, 0, 1)];
    case "NEXT_YEAR":
      return [Date.UTC(year + 1, 0, 1), Date.UTC(year + 2, 0, 1)];
  }
  unsupported(context.runtime, `SOQL date literal ${name}`, context.loc);
}

function likeRegex(pattern: string): RegExp {
  // % and _ are wildcards; a backslash makes the next character literal (\_, \%, \\).
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    let character = pattern[i];
    if (character === "\\" && i + 1 < pattern.length) character = pattern[++i];
    else if (character === "%") {
      source += ".*";
      continue;
    } else if (character === "_") {
      source += ".";
      continue;
    }
    source += character.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "is");
}

function compare(
  context: QueryContext,
  value: Value,
  field: FieldDescribe,
  operator: string,
  soqlValue: SoqlValue
): boolean {
  const a = sortKey(value, field);
  if (soqlValue.kind === "dateLiteral") {
    if (a === null || typeof a !== "number") return false;
    const [start, end] = dateRange(context, soqlValue.name, soqlValue.n);
    switch (operator) {
      case "=":
        return a >= start && a < end;
      case "!=":
        return !(a >= start && a < end);
      case "<":
        return a < start;
      case "<=":
        return a < end;
      case ">":
        return a >= end;
      case ">=":
        return a >= start;
    }
  }
  const values = comparedValues(context, soqlValue).map((item) => sortKey(item, field));
  switch (operator) {
    case "=":
      return values.some((b) => a === b);
    case "!=":
    case "<>":
      return values.every((b) => a !== b);
    case "in":
      return a !== null && values.some((b) => a === b);
    case "not in":
      // Like !=, NOT IN keeps rows whose field is null.
      return values.every((b) => a !== b);
    case "<":
    case ">":
    case "<=":
    case ">=": {
      const b = values[0];
      if (a === null || b === null || b === undefined) return false;
      return operator === "<" ? a < b : operator === ">" ? a > b : operator === "<=" ? a <= b : a >= b;
    }
    case "like": {
      const b = values[0];
      return typeof a === "string" && typeof b === "string" && likeRegex(b).test(a);
    }
    case "includes":
    case "excludes": {
      const have = typeof a === "string" ? a.split(";") : [];
      const any = values.some((b) => typeof b === "string" && b.split(";").every((item) => have.includes(item)));
      return operator === "includes" ? any : !any;
    }
  }
  unsupported(context.runtime, `SOQL operator ${operator}`, context.loc);
}

// ---- ORDER BY ----

/** Sorts in place by ORDER BY keys; nulls first unless NULLS LAST, ties keep their order. */
function sortByKeys<T>(items: T[], orderBy: SoqlOrder[], keysOf: (item: T) => SortKey[]) {
  if (orderBy.length === 0) return;
  const keyed = items.map((item, index) => ({ item, index, keys: keysOf(item) }));
  keyed.sort((x, y) => {
    for (let j = 0; j < orderBy.length; j++) {
      const order = orderBy[j];
      const a = x.keys[j];
      const b = y.keys[j];
      if (a === b) continue;
      if (a === null) return order.nullsFirst ? -1 : 1;
      if (b === null) return order.nullsFirst ? 1 : -1;
      const comparison = a < b ? -1 : 1;
      return order.descending ? -comparison : comparison;
    }
    return x.index - y.index;
  });
  items.splice(0, items.length, ...keyed.map((entry) => entry.item));
}

function sortRows(context: QueryContext, obj: SObjectDescribe, rows: StoredRecord[], query: SoqlQuery) {
  sortByKeys(rows, query.orderBy, (row) =>
    query.orderBy.map((order) => {
      const { value, field } = resolve(context, obj, row, order.path);
      return sortKey(value, field);
    })
  );
}

// ---- results ----

function build(context: QueryContext, obj: SObjectDescribe, row: StoredRecord, query: SoqlQuery): SObjectValue {
  const out = new SObjectValue(obj);
  out.readable = new Set(["id"]);
  out.fields.set("id", row.get("id") ?? null);
  for (const item of query.select) {
    if (item.kind === "field") setPath(context, obj, row, out, item.path);
    else if (item.kind === "subquery") {
      const { relationship, child } = childRelationship(context, obj, item.query.from);
      let children = [...context.store.table(child).values()].filter(
        (candidate) => candidate.get(relationship.field.toLowerCase()) === row.get("id")
      );
      if (item.query.where) children = children.filter(rowFilter(context, child, item.query.where));
      sortRows(context, child, children, item.query);
      children = page(context, children, item.query);
      countLimit(context.runtime, "queryRows", children.length);
      const key = relationship.name.toLowerCase();
      // A parent with no children reads as an empty list.
      out.fields.set(
        key,
        new ApexList(
          { kind: "sobject", obj: child },
          children.map((childRow) => build(context, child, childRow, item.query))
        )
      );
      out.readable.add(key);
    } else unsupported(context.runtime, "aggregate functions mixed with plain fields without GROUP BY", context.loc);
  }
  return out;
}

function setPath(context: QueryContext, obj: SObjectDescribe, row: StoredRecord, out: SObjectValue, path: string[]) {
  let parts = path;
  if (parts.length > 1 && parts[0].toLowerCase() === obj.name.toLowerCase()) parts = parts.slice(1);
  if (parts.length === 1) {
    const field = obj.fields.get(parts[0].toLowerCase());
    if (!field) throwApex(context.runtime, "QueryException", `No such column '${parts[0]}' on entity '${obj.name}'`);
    const key = field.name.toLowerCase();
    out.fields.set(key, fieldValue(context.store, context.runtime, obj, row, field));
    out.readable!.add(key);
    return;
  }
  const lookup = relationshipField(obj, parts[0]);
  if (!lookup)
    throwApex(context.runtime, "QueryException", `Didn't understand relationship '${parts[0]}' in field path`);
  const relationshipKey = lookup.relationshipName!.toLowerCase();
  out.readable!.add(relationshipKey);
  const id = row.get(lookup.name.toLowerCase());
  const target = typeof id === "string" ? context.store.findById(id) : null;
  if (!target) {
    if (!out.fields.has(relationshipKey)) out.fields.set(relationshipKey, null);
    return;
  }
  let parent = out.fields.get(relationshipKey);
  if (!(parent instanceof SObjectValue)) {
    parent = new SObjectValue(target.obj);
    parent.readable = new Set(["id"]);
    parent.fields.set("id", target.rec.get("id") ?? null);
    out.fields.set(relationshipKey, parent);
  }
  setPath(context, target.obj, target.rec, parent, parts.slice(1));
}

// ---- aggregates ----

function aggregate(context: QueryContext, obj: SObjectDescribe, query: SoqlQuery, rows: StoredRecord[]): Value {
  const groups = new Map<string, StoredRecord[]>();
  const groupBy = query.groupBy ?? [];
  for (const row of rows) {
    const key = JSON.stringify(
      groupBy.map((path) => {
        const { value, field } = resolve(context, obj, row, path);
        return sortKey(value, field);
      })
    );
    const members = groups.get(key) ?? [];
    members.push(row);
    groups.set(key, members);
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set("[]", []);
  const resultType = context.store.schema.aggregateResult;
  const results: SObjectValue[] = [];
  for (const members of groups.values()) {
    const result = new SObjectValue(resultType);
    let expressionNumber = 0;
    for (const item of query.select) {
      if (item.kind === "field") {
        const name = item.alias ?? item.path[item.path.length - 1];
        const value = members.length ? resolve(context, obj, members[0], item.path).value : null;
        setAggregateField(resultType, result, name, value);
      } else if (item.kind === "agg") {
        const name = item.alias ?? `expr${expressionNumber++}`;
        const values = item.path
          ? members.map((member) => resolve(context, obj, member, item.path!).value).filter((value) => value !== null)
          : members.map(() => 1 as Value);
        setAggregateField(resultType, result, name, aggregateValue(context, item.fn, values));
      } else if (item.kind === "countAll")
        setAggregateField(resultType, result, `expr${expressionNumber++}`, members.length);
    }
    if (query.having && !groupMatches(context, obj, members, query.having)) continue;
    results.push(result);
  }
  // ORDER BY and LIMIT apply to the groups, by grouped field or alias.
  sortByKeys(results, query.orderBy, (result) =>
    query.orderBy.map((order) =>
      sortKey(result.fields.get(order.path[order.path.length - 1].toLowerCase()) ?? null, null)
    )
  );
  const limited = page(context, results, query);
  countLimit(context.runtime, "queryRows", rows.length);
  const list = new ApexList({ kind: "sobject", obj: resultType }, limited);
  list.fromQuery = true;
  return list;
}

/** Sets a field of an aggregate row; the AggregateResult description learns each alias it sees. */
function setAggregateField(resultType: SObjectDescribe, result: SObjectValue, name: string, value: Value) {
  const key = name.toLowerCase();
  if (!resultType.fields.has(key))
    resultType.fields.set(key, fieldDescribe(name, "string", { length: null, systemField: true, custom: false }));
  result.fields.set(key, value);
}

function aggregateValue(context: QueryContext, fn: string, values: Value[]): Value {
  switch (fn) {
    case "count":
      return values.length;
    case "count_distinct":
      return new Set(values.map((value) => String(value).toLowerCase())).size;
    case "sum":
    case "avg": {
      if (values.length === 0) return null;
      let total = toDec(0);
      for (const value of values)
        if (isNumber(value))
          total = new ApexDecimal(total.d.add(toDec(value).d), Math.max(total.scale, toDec(value).scale));
      if (fn === "sum") return total;
      return new ApexDecimal(
        total.d.div(values.length),
        Math.max(total.scale, Math.min(18, total.d.div(values.length).decimalPlaces()))
      );
    }
    case "min":
    case "max": {
      if (values.length === 0) return null;
      const comparable = (value: Value) =>
        isNumber(value)
          ? toDec(value).d.toNumber()
          : value instanceof ApexDate || value instanceof ApexDatetime
            ? value.ms
            : String(value);
      let best = values[0];
      for (const value of values.slice(1)) {
        const a = comparable(value);
        const b = comparable(best);
        if (fn === "min" ? a < b : a > b) best = value;
      }
      return best;
    }
  }
  unsupported(context.runtime, `SOQL aggregate function ${fn}`, context.loc);
}
