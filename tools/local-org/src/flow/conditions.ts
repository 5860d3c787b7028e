// Conditions: condition logic (and, or, custom such as `1 AND (2 OR NOT 3)`), the comparison
// operators of Decision elements and entry conditions, and record filters turned into queries.
// Text comparisons ignore case except between record ids, as documented for Decision, Wait
// and Collection Filter elements; a blank value equals blank text.
import { ApexDate, ApexDatetime, ApexList, ApexTime, SObjectValue, type Value } from "../runtime/values.js";
import { invalidFlow, unsupportedFlowFeature } from "./errors.js";
import type { QueryCondition, QueryOperator } from "./host.js";
import type { FlowInterview } from "./interview.js";
import type { FlowCondition, FlowRecordFilter } from "./model.js";
import { readReference, valueOf } from "./references.js";
import { asDecimal, describeValue } from "./values.js";

export type LogicTree =
  { kind: "condition"; index: number } | { kind: "and" | "or"; items: LogicTree[] } | { kind: "not"; item: LogicTree };

/** Parses condition logic over `count` numbered conditions. */
export function parseLogic(logic: string, count: number, flow: string, where: string): LogicTree {
  const all = (kind: "and" | "or"): LogicTree => ({
    kind,
    items: Array.from({ length: count }, (_, index) => ({ kind: "condition", index }) as LogicTree)
  });
  const trimmed = logic.trim().toLowerCase();
  if (trimmed === "and" || trimmed === "") return all("and");
  if (trimmed === "or") return all("or");
  if (trimmed === "formula_evaluates_to_true" || trimmed === "no_conditions") return all("and");
  const tokens = logic.match(/\d+|AND|OR|NOT|\(|\)|\S/gi) ?? [];
  let position = 0;
  const fail = (problem: string): never => invalidFlow(flow, where, `condition logic "${logic}" ${problem}`);
  const peek = () => tokens[position]?.toUpperCase();
  const expression = (): LogicTree => {
    let left = term();
    while (peek() === "OR") {
      position++;
      left = { kind: "or", items: [left, term()] };
    }
    return left;
  };
  const term = (): LogicTree => {
    let left = factor();
    while (peek() === "AND") {
      position++;
      left = { kind: "and", items: [left, factor()] };
    }
    return left;
  };
  const factor = (): LogicTree => {
    const token = tokens[position++];
    if (token === undefined) return fail("ends too early");
    if (token.toUpperCase() === "NOT") return { kind: "not", item: factor() };
    if (token === "(") {
      const inner = expression();
      if (tokens[position++] !== ")") fail("misses a )");
      return inner;
    }
    if (/^\d+$/.test(token)) {
      const index = Number(token) - 1;
      if (index < 0 || index >= count) fail(`refers to condition ${token}, but there are ${count}`);
      return { kind: "condition", index };
    }
    return fail(`has an unexpected "${token}"`);
  };
  const tree = expression();
  if (position < tokens.length) fail(`has an unexpected "${tokens[position]}"`);
  return tree;
}

export function evaluateLogic(tree: LogicTree, holds: (index: number) => boolean): boolean {
  switch (tree.kind) {
    case "condition":
      return holds(tree.index);
    case "and":
      return tree.items.every((item) => evaluateLogic(item, holds));
    case "or":
      return tree.items.some((item) => evaluateLogic(item, holds));
    case "not":
      return !evaluateLogic(tree.item, holds);
  }
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** A reference to an Id field (Id, AccountId, ...), compared case-sensitively. */
const isIdReference = (path: string) => /(^|\.)[A-Za-z0-9_]*Id$/.test(path);

function sameText(a: string, b: string, ids: boolean): boolean {
  if (ids && ID_PATTERN.test(a) && ID_PATTERN.test(b)) return a.slice(0, 15) === b.slice(0, 15);
  return a.toLowerCase() === b.toLowerCase();
}

/** Equality of Decision and entry conditions. */
export function valuesEqual(left: Value, right: Value, ids: boolean): boolean {
  if (left === null && right === null) return true;
  if (typeof left === "string" || typeof right === "string") {
    if (left instanceof SObjectValue || right instanceof SObjectValue)
      return sameText(String(recordId(left) ?? ""), String(recordId(right) ?? ""), true);
    const numberLeft = asDecimal(left);
    const numberRight = asDecimal(right);
    if (numberLeft || numberRight) {
      const other = Number(numberLeft ? right : left);
      return !Number.isNaN(other) && (numberLeft ?? numberRight)!.d.eq(other);
    }
    if (typeof left === "boolean" || typeof right === "boolean") return String(left) === String(right);
    return sameText(textOf(left), textOf(right), ids);
  }
  if (left === null || right === null) return false;
  const a = asDecimal(left);
  const b = asDecimal(right);
  if (a && b) return a.d.eq(b.d);
  if (left instanceof SObjectValue || right instanceof SObjectValue) {
    const x = recordId(left);
    return x !== null ? x === recordId(right) : left === right;
  }
  if (left instanceof ApexList && right instanceof ApexList)
    return (
      left.items.length === right.items.length && left.items.every((item, i) => valuesEqual(item, right.items[i], ids))
    );
  if (isMoment(left) && isMoment(right)) return left.constructor === right.constructor && left.ms === right.ms;
  return left === right;
}

const isMoment = (value: Value): value is ApexDate | ApexDatetime | ApexTime =>
  value instanceof ApexDate || value instanceof ApexDatetime || value instanceof ApexTime;

const textOf = (value: Value) => (value === null ? "" : String(value));

function recordId(value: Value): string | null {
  if (value instanceof SObjectValue) {
    const id = value.fields.get("id");
    return typeof id === "string" ? id : null;
  }
  return typeof value === "string" ? value : null;
}

/** -1, 0 or 1, or null when the values do not order (a blank, different types). */
function order(left: Value, right: Value): number | null {
  if (left === null || right === null) return null;
  const a = asDecimal(left);
  const b = asDecimal(right);
  if (a && b) return a.d.cmp(b.d);
  if (isMoment(left) && isMoment(right) && left.constructor === right.constructor) return Math.sign(left.ms - right.ms);
  if (typeof left === "string" && typeof right === "string") {
    const x = left.toLowerCase();
    const y = right.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return null;
}

const isBlank = (value: Value) =>
  value === null || value === "" || (value instanceof ApexList && value.items.length === 0);

/** Compares two values with a condition operator. */
export function compareValues(
  left: Value,
  operator: string,
  right: Value,
  ids: boolean,
  flow: string,
  where: string
): boolean {
  const flag = () => {
    if (typeof right !== "boolean")
      invalidFlow(flow, where, `${operator} needs True or False, not ${describeValue(right)}`);
    return right;
  };
  switch (operator) {
    case "EqualTo":
      return valuesEqual(left, right, ids);
    case "NotEqualTo":
      return !valuesEqual(left, right, ids);
    case "GreaterThan":
    case "LessThan":
    case "GreaterThanOrEqualTo":
    case "LessThanOrEqualTo": {
      const result = order(left, right);
      if (result === null) return false;
      if (operator === "GreaterThan") return result > 0;
      if (operator === "LessThan") return result < 0;
      if (operator === "GreaterThanOrEqualTo") return result >= 0;
      return result <= 0;
    }
    case "Contains":
      if (left instanceof ApexList) return left.items.some((item) => valuesEqual(item, right, ids));
      if (left === null) return false;
      return textOf(left).toLowerCase().includes(textOf(right).toLowerCase());
    case "StartsWith":
      return left !== null && textOf(left).toLowerCase().startsWith(textOf(right).toLowerCase());
    case "EndsWith":
      return left !== null && textOf(left).toLowerCase().endsWith(textOf(right).toLowerCase());
    case "IsNull":
      return (left === null) === flag();
    case "IsBlank":
      return isBlank(left) === flag();
    case "IsEmpty":
      return (left === null || (left instanceof ApexList ? left.items.length === 0 : left === "")) === flag();
    case "In":
    case "NotIn": {
      const items = right instanceof ApexList ? right.items : right === null ? [] : [right];
      const found = items.some((item) => valuesEqual(left, item, ids));
      return operator === "In" ? found : !found;
    }
  }
  return unsupportedFlowFeature(flow, where, `the condition operator ${operator}`);
}

/** IsChanged on $Record or one of its fields: the value differs from $Record__Prior. */
export function isChanged(interview: FlowInterview, path: string, where: string): boolean {
  const flow = interview.flow.apiName;
  if (!/^\$Record(\.|$)/i.test(path))
    invalidFlow(flow, where, `IsChanged works only on $Record and its fields, not ${path}`);
  if (interview.path.asynchronous)
    invalidFlow(flow, where, "IsChanged is not available on asynchronous and scheduled paths");
  if (interview.path.isNew || !interview.prior) return false;
  const parts = path.split(".");
  if (parts.length > 2) invalidFlow(flow, where, `IsChanged cannot look at fields of related records (${path})`);
  if (parts.length === 1) {
    const current = interview.record!;
    const prior = interview.prior;
    return [...current.fields.keys()].some(
      (key) => !strictlyEqual(current.fields.get(key) ?? null, prior.fields.get(key) ?? null)
    );
  }
  const now = readReference(interview, path);
  const before = readReference(interview, `$Record__Prior.${parts[1]}`);
  return !strictlyEqual(now, before);
}

/** Equality for change detection: text by exact characters. */
function strictlyEqual(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  if (a === "" || b === "") return (a ?? "") === (b ?? "");
  return valuesEqual(a, b, true);
}

/** Whether a Decision or entry condition holds for an interview. */
export function conditionHolds(interview: FlowInterview, condition: FlowCondition, where: string): boolean {
  if (condition.operator === "IsChanged") {
    const expected = valueOf(interview, condition.right, where);
    const changed = isChanged(interview, condition.left, where);
    return expected === false ? !changed : changed;
  }
  const left = readReference(interview, condition.left);
  const right = valueOf(interview, condition.right, where);
  return compareValues(left, condition.operator, right, isIdReference(condition.left), interview.flow.apiName, where);
}

/** Whether a rule's conditions hold under its logic; no conditions hold trivially. */
export function conditionsHold(
  interview: FlowInterview,
  conditions: FlowCondition[],
  logic: string,
  where: string
): boolean {
  if (conditions.length === 0) return true;
  const tree = parseLogic(logic, conditions.length, interview.flow.apiName, where);
  return evaluateLogic(tree, (index) => conditionHolds(interview, conditions[index], where));
}

/** Entry-condition filters on $Record fields, as conditions. */
export function filtersAsConditions(filters: FlowRecordFilter[]): FlowCondition[] {
  return filters.map((filter) => ({ left: `$Record.${filter.field}`, operator: filter.operator, right: filter.value }));
}

const LIKE_SPECIAL = /[\\%_]/g;

/** Record filters of Get, Update and Delete Records as a query condition, values taken from the interview. */
export function filtersToQuery(
  interview: FlowInterview,
  filters: FlowRecordFilter[],
  logic: string,
  where: string
): QueryCondition | null {
  if (filters.length === 0) return null;
  const flow = interview.flow.apiName;
  const compare = (filter: FlowRecordFilter): QueryCondition => {
    const value = valueOf(interview, filter.value, where);
    const field = filter.field;
    const plain = (operator: QueryOperator): QueryCondition => ({
      kind: "compare",
      field,
      operator,
      value: queryValue(value)
    });
    const like = (pattern: (text: string) => string): QueryCondition => ({
      kind: "compare",
      field,
      operator: "like",
      value: pattern(textOf(value).replace(LIKE_SPECIAL, (c) => `\\${c}`))
    });
    switch (filter.operator) {
      case "EqualTo":
        return plain("=");
      case "NotEqualTo":
        return plain("!=");
      case "GreaterThan":
        return plain(">");
      case "LessThan":
        return plain("<");
      case "GreaterThanOrEqualTo":
        return plain(">=");
      case "LessThanOrEqualTo":
        return plain("<=");
      case "StartsWith":
        return like((text) => `${text}%`);
      case "EndsWith":
        return like((text) => `%${text}`);
      case "Contains":
        return like((text) => `%${text}%`);
      case "IsNull":
        if (typeof value !== "boolean") invalidFlow(flow, where, `IsNull needs True or False`);
        return { kind: "compare", field, operator: value ? "=" : "!=", value: null };
      case "In":
      case "NotIn":
        if (!(value instanceof ApexList) && value !== null)
          invalidFlow(flow, where, `${filter.operator} needs a collection, not ${describeValue(value)}`);
        return {
          kind: "compare",
          field,
          operator: filter.operator === "In" ? "in" : "not in",
          value: value === null ? [] : value.items.map(queryValue)
        };
    }
    return unsupportedFlowFeature(flow, where, `the filter operator ${filter.operator} in a record filter`);
  };
  const build = (tree: LogicTree): QueryCondition => {
    switch (tree.kind) {
      case "condition":
        return compare(filters[tree.index]);
      case "and":
      case "or":
        return { kind: tree.kind, items: tree.items.map(build) };
      case "not":
        return { kind: "not", item: build(tree.item) };
    }
  };
  return build(parseLogic(logic, filters.length, flow, where));
}

/** Records in a filter stand for their Id. */
function queryValue(value: Value): Value {
  return value instanceof SObjectValue ? (value.fields.get("id") ?? null) : value;
}
