// SOQL over the in-memory store.
import type { Expr, Loc, SoqlCond, SoqlQuery, SoqlValue } from "../parse/ast.js";
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
import { setItems } from "../runtime/operators.js";
import { normalizeId } from "../runtime/ids.js";
import type { RuntimeContext } from "../runtime/context.js";
import type { RecordStore, StoredRecord } from "./store.js";
import { fieldDescribe, type FieldDescribe, type SObjectDescribe } from "../runtime/describe.js";
import { throwApex, unsupported } from "../runtime/errors.js";
import { countLimit } from "../runtime/governor.js";

const DAY = 86400000;

interface Ctx {
  store: RecordStore;
  rt: RuntimeContext;
  bind: (e: Expr) => Value;
  loc: Loc;
}

export function runQuery(
  store: RecordStore,
  rt: RuntimeContext,
  q: SoqlQuery,
  bind: (e: Expr) => Value,
  loc: Loc
): Value {
  countLimit(rt, "queries");
  const ctx: Ctx = { store, rt, bind, loc };
  const found = store.schema.get(q.from);
  if (!found) throwApex(rt, "QueryException", `sObject type '${q.from}' is not supported.`);
  const obj: SObjectDescribe = found;
  validate(ctx, obj, q);
  let rows = [...store.table(obj).values()];
  if (q.where) rows = rows.filter((r) => matches(ctx, obj, r, q.where!));
  const isAgg = q.groupBy || q.select.some((s) => s.kind === "agg");
  if (q.select.length === 1 && q.select[0].kind === "countAll" && !q.groupBy) {
    countLimit(rt, "queryRows", rows.length);
    return rows.length;
  }
  if (isAgg) return aggregate(ctx, obj, q, rows);
  sortRows(ctx, obj, rows, q);
  rows = page(ctx, rows, q);
  countLimit(rt, "queryRows", rows.length);
  const list = new ApexList(
    { kind: "sobject", obj },
    rows.map((r) => build(ctx, obj, r, q))
  );
  list.fromQuery = true;
  return list;
}

/** Unknown fields and relationships fail even when no row is read, as the compiler rejects them. */
function validate(ctx: Ctx, obj: SObjectDescribe, q: SoqlQuery) {
  const none: StoredRecord = new Map();
  const check = (o: SObjectDescribe, path: string[] | null) => {
    if (path) resolve(ctx, o, none, path);
  };
  const cond = (o: SObjectDescribe, c: SoqlCond | undefined) => {
    if (!c) return;
    if (c.kind === "and" || c.kind === "or") c.items.forEach((i) => cond(o, i));
    else if (c.kind === "not") cond(o, c.item);
    else {
      if (c.fn) unsupported(ctx.rt, `SOQL function ${c.fn}() in WHERE`, ctx.loc);
      check(o, c.path);
      const values = c.value.kind === "list" ? c.value.values : [c.value];
      for (const v of values) if (v.kind === "dateLiteral") dateRange(ctx, v.name, v.n);
    }
  };
  for (const item of q.select) {
    if (item.kind === "field") check(obj, item.path);
    else if (item.kind === "agg") check(obj, item.path);
    else if (item.kind === "subquery") {
      const { child } = childRelationship(ctx, obj, item.query.from);
      for (const sub of item.query.select) if (sub.kind === "field") check(child, sub.path);
      cond(child, item.query.where);
      for (const o of item.query.orderBy) if (!o.fn) check(child, o.path);
    }
  }
  cond(obj, q.where);
  for (const o of q.orderBy) if (!o.fn) check(obj, o.path);
}

function page<T>(ctx: Ctx, rows: T[], q: SoqlQuery): T[] {
  const num = (v: SoqlValue | undefined): number | null => {
    if (!v) return null;
    const x =
      v.kind === "bind"
        ? ctx.bind(v.expr)
        : v.kind === "literal" && v.value.type === "number"
          ? Number(v.value.text)
          : null;
    return x === null ? null : Number(x);
  };
  const off = num(q.offset) ?? 0;
  const lim = num(q.limit);
  return rows.slice(off, lim === null ? undefined : off + lim);
}

/** The child relationship a subquery names, and the child object it reaches. */
function childRelationship(ctx: Ctx, obj: SObjectDescribe, name: string) {
  const rel = obj.childRelationships.get(name.toLowerCase());
  if (!rel) throwApex(ctx.rt, "QueryException", `Didn't understand relationship '${name}' in FROM part of query call`);
  return { rel, child: ctx.store.schema.get(rel.childObject)! };
}

function relField(obj: SObjectDescribe, rel: string): FieldDescribe | undefined {
  const l = rel.toLowerCase();
  for (const f of obj.fields.values()) if (f.relationshipName && f.relationshipName.toLowerCase() === l) return f;
  return undefined;
}

/** Resolves a field path such as Account.Owner.Name from a stored record. */
function resolve(ctx: Ctx, obj: SObjectDescribe, rec: StoredRecord, path: string[]): { v: Value; f: FieldDescribe } {
  let o = obj;
  let r: StoredRecord | null = rec;
  let parts = path;
  if (parts.length > 1 && parts[0].toLowerCase() === obj.name.toLowerCase()) parts = parts.slice(1);
  for (let i = 0; i < parts.length - 1; i++) {
    const rf = relField(o, parts[i]);
    if (!rf) throwApex(ctx.rt, "QueryException", `Didn't understand relationship '${parts[i]}' in field path`);
    const id: Value = r ? (r.get(rf.name.toLowerCase()) ?? null) : null;
    const target: { obj: SObjectDescribe; rec: StoredRecord } | null =
      typeof id === "string" ? ctx.store.findById(id) : null;
    const nextObj = target?.obj ?? ctx.store.schema.get(rf.referenceTo[0]);
    if (!nextObj) unsupported(ctx.rt, `relationship ${parts[i]}`, ctx.loc);
    o = nextObj;
    r = target?.rec ?? null;
  }
  const last = parts[parts.length - 1];
  const f = o.fields.get(last.toLowerCase());
  if (!f) throwApex(ctx.rt, "QueryException", `No such column '${last}' on entity '${o.name}'`);
  return { v: r ? (r.get(f.name.toLowerCase()) ?? null) : null, f };
}

// ---- WHERE ----

function matches(ctx: Ctx, obj: SObjectDescribe, r: StoredRecord, c: SoqlCond): boolean {
  switch (c.kind) {
    case "and":
      return c.items.every((x) => matches(ctx, obj, r, x));
    case "or":
      return c.items.some((x) => matches(ctx, obj, r, x));
    case "not":
      return !matches(ctx, obj, r, c.item);
    case "cmp": {
      if (c.fn) unsupported(ctx.rt, `SOQL function ${c.fn}() in WHERE`, ctx.loc);
      const { v, f } = resolve(ctx, obj, r, c.path);
      return compare(ctx, v, f, c.op, c.value);
    }
  }
}

type Cmp = string | number | boolean | null;

/** A comparable form: lower-case text, numbers, epoch milliseconds. */
function key(v: Value, f: FieldDescribe): Cmp {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") {
    if (f.type === "id" || f.type === "reference") return normalizeId(v) ?? v;
    return v.toLowerCase();
  }
  if (typeof v === "boolean") return v;
  if (isNumber(v)) return toDec(v).d.toNumber();
  if (v instanceof ApexDate || v instanceof ApexDatetime) return v.ms;
  if (v instanceof SObjectValue) return key(v.fields.get("id") ?? null, f);
  return String(v);
}

function literalValue(ctx: Ctx, sv: SoqlValue, f: FieldDescribe): Value[] {
  switch (sv.kind) {
    case "literal": {
      const l = sv.value;
      switch (l.type) {
        case "null":
          return [null];
        case "boolean":
          return [l.value];
        case "number":
          return [ApexDecimal.parse(l.text)];
        case "string":
          return [l.value];
        case "date": {
          const [y, m, d] = l.text.split("-").map(Number);
          return [new ApexDate(y, m, d)];
        }
        case "datetime":
          return [new ApexDatetime(Date.parse(l.text))];
      }
      break;
    }
    case "bind": {
      const v = ctx.bind(sv.expr);
      if (v instanceof ApexList) return v.items;
      if (v instanceof ApexSet) return setItems(v);
      return [v];
    }
    case "list":
      return sv.values.flatMap((x) => literalValue(ctx, x, f));
    case "subquery": {
      // Semi-join: the values of the subquery's single field, e.g. Id IN (SELECT AccountId FROM Contact).
      const q = sv.query;
      const sel = q.select[0];
      const obj = ctx.store.schema.get(q.from);
      if (!obj || q.select.length !== 1 || sel.kind !== "field")
        unsupported(ctx.rt, "this semi-join subquery", ctx.loc);
      let rows = [...ctx.store.table(obj).values()];
      if (q.where) rows = rows.filter((r) => matches(ctx, obj, r, q.where!));
      return rows.map((r) => resolve(ctx, obj, r, sel.path).v);
    }
    case "dateLiteral":
      unsupported(ctx.rt, `date literal ${sv.name} outside a comparison`, ctx.loc);
  }
  return [];
}

function dateRange(ctx: Ctx, name: string, n: number): [number, number] {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
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
      return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
    case "LAST_MONTH":
      return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1)];
    case "NEXT_MONTH":
      return [Date.UTC(y, m + 1, 1), Date.UTC(y, m + 2, 1)];
    case "THIS_YEAR":
      return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
    case "LAST_YEAR":
      return [Date.UTC(y - 1, 0, 1), Date.UTC(y, 0, 1)];
    case "NEXT_YEAR":
      return [Date.UTC(y + 1, 0, 1), Date.UTC(y + 2, 0, 1)];
  }
  unsupported(ctx.rt, `SOQL date literal ${name}`, ctx.loc);
}

function likeRegex(pattern: string): RegExp {
  // % and _ are wildcards; a backslash makes the next character literal (\_, \%, \\).
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    let c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) c = pattern[++i];
    else if (c === "%") {
      re += ".*";
      continue;
    } else if (c === "_") {
      re += ".";
      continue;
    }
    re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "is");
}

function compare(ctx: Ctx, v: Value, f: FieldDescribe, op: string, sv: SoqlValue): boolean {
  const a = key(v, f);
  if (sv.kind === "dateLiteral") {
    if (a === null || typeof a !== "number") return false;
    const [s, e] = dateRange(ctx, sv.name, sv.n);
    switch (op) {
      case "=":
        return a >= s && a < e;
      case "!=":
        return !(a >= s && a < e);
      case "<":
        return a < s;
      case "<=":
        return a < e;
      case ">":
        return a >= e;
      case ">=":
        return a >= s;
    }
  }
  const values = literalValue(ctx, sv, f).map((x) => key(x, f));
  switch (op) {
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
      return op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
    }
    case "like": {
      const b = values[0];
      return typeof a === "string" && typeof b === "string" && likeRegex(b).test(a);
    }
    case "includes":
    case "excludes": {
      const have = typeof a === "string" ? a.split(";") : [];
      const any = values.some((b) => typeof b === "string" && b.split(";").every((x) => have.includes(x)));
      return op === "includes" ? any : !any;
    }
  }
  unsupported(ctx.rt, `SOQL operator ${op}`, ctx.loc);
}

// ---- ORDER BY ----

function sortRows(ctx: Ctx, obj: SObjectDescribe, rows: StoredRecord[], q: SoqlQuery) {
  if (q.orderBy.length === 0) return;
  const keyed = rows.map((r, i) => ({
    r,
    i,
    ks: q.orderBy.map((o) => {
      const x = resolve(ctx, obj, r, o.path);
      return key(x.v, x.f);
    })
  }));
  keyed.sort((x, y) => {
    for (let j = 0; j < q.orderBy.length; j++) {
      const o = q.orderBy[j];
      const a = x.ks[j];
      const b = y.ks[j];
      if (a === b) continue;
      if (a === null) return o.nullsFirst ? -1 : 1;
      if (b === null) return o.nullsFirst ? 1 : -1;
      const c = a < b ? -1 : 1;
      return o.desc ? -c : c;
    }
    return x.i - y.i;
  });
  rows.splice(0, rows.length, ...keyed.map((k) => k.r));
}

// ---- results ----

function build(ctx: Ctx, obj: SObjectDescribe, r: StoredRecord, q: SoqlQuery): SObjectValue {
  const out = new SObjectValue(obj);
  out.readable = new Set(["id"]);
  out.fields.set("id", r.get("id") ?? null);
  for (const item of q.select) {
    if (item.kind === "field") setPath(ctx, obj, r, out, item.path);
    else if (item.kind === "subquery") {
      const { rel, child } = childRelationship(ctx, obj, item.query.from);
      let kids = [...ctx.store.table(child).values()].filter((c) => c.get(rel.field.toLowerCase()) === r.get("id"));
      if (item.query.where) kids = kids.filter((c) => matches(ctx, child, c, item.query.where!));
      sortRows(ctx, child, kids, item.query);
      kids = page(ctx, kids, item.query);
      countLimit(ctx.rt, "queryRows", kids.length);
      const key = rel.name.toLowerCase();
      // A parent with no children reads as an empty list.
      out.fields.set(
        key,
        new ApexList(
          { kind: "sobject", obj: child },
          kids.map((k) => build(ctx, child, k, item.query))
        )
      );
      out.readable.add(key);
    } else unsupported(ctx.rt, "aggregate functions mixed with plain fields without GROUP BY", ctx.loc);
  }
  return out;
}

function setPath(ctx: Ctx, obj: SObjectDescribe, r: StoredRecord, out: SObjectValue, path: string[]) {
  let parts = path;
  if (parts.length > 1 && parts[0].toLowerCase() === obj.name.toLowerCase()) parts = parts.slice(1);
  if (parts.length === 1) {
    const f = obj.fields.get(parts[0].toLowerCase());
    if (!f) throwApex(ctx.rt, "QueryException", `No such column '${parts[0]}' on entity '${obj.name}'`);
    const k = f.name.toLowerCase();
    out.fields.set(k, r.get(k) ?? null);
    out.readable!.add(k);
    return;
  }
  const rf = relField(obj, parts[0]);
  if (!rf) throwApex(ctx.rt, "QueryException", `Didn't understand relationship '${parts[0]}' in field path`);
  const relKey = rf.relationshipName!.toLowerCase();
  out.readable!.add(relKey);
  const id = r.get(rf.name.toLowerCase());
  const target = typeof id === "string" ? ctx.store.findById(id) : null;
  if (!target) {
    if (!out.fields.has(relKey)) out.fields.set(relKey, null);
    return;
  }
  let parent = out.fields.get(relKey);
  if (!(parent instanceof SObjectValue)) {
    parent = new SObjectValue(target.obj);
    parent.readable = new Set(["id"]);
    parent.fields.set("id", target.rec.get("id") ?? null);
    out.fields.set(relKey, parent);
  }
  setPath(ctx, target.obj, target.rec, parent, parts.slice(1));
}

// ---- aggregates ----

function aggregate(ctx: Ctx, obj: SObjectDescribe, q: SoqlQuery, rows: StoredRecord[]): Value {
  const rt = ctx.rt;
  const groups = new Map<string, StoredRecord[]>();
  const gb = q.groupBy ?? [];
  for (const r of rows) {
    const k = JSON.stringify(
      gb.map((p) => {
        const x = resolve(ctx, obj, r, p);
        return key(x.v, x.f);
      })
    );
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  if (gb.length === 0 && groups.size === 0) groups.set("[]", []);
  const arType = ctx.store.schema.aggregateResult;
  const results: SObjectValue[] = [];
  for (const members of groups.values()) {
    const ar = new SObjectValue(arType);
    let expr = 0;
    for (const item of q.select) {
      if (item.kind === "field") {
        const name = item.alias ?? item.path[item.path.length - 1];
        const v = members.length ? resolve(ctx, obj, members[0], item.path).v : null;
        setAgg(arType, ar, name, v);
      } else if (item.kind === "agg") {
        const name = item.alias ?? `expr${expr++}`;
        const vals = item.path
          ? members.map((m) => resolve(ctx, obj, m, item.path!).v).filter((v) => v !== null)
          : members.map(() => 1 as Value);
        setAgg(arType, ar, name, aggValue(rt, item.fn, vals, ctx.loc));
      } else if (item.kind === "countAll") setAgg(arType, ar, `expr${expr++}`, members.length);
    }
    if (q.having && !havingMatches(ctx, obj, members, q.having)) continue;
    results.push(ar);
  }
  // ORDER BY and LIMIT apply to the groups, by grouped field or alias.
  if (q.orderBy.length > 0) {
    const keyed = results.map((r, i) => ({
      r,
      i,
      ks: q.orderBy.map((o) => aggKey(r.fields.get(o.path[o.path.length - 1].toLowerCase()) ?? null))
    }));
    keyed.sort((x, y) => {
      for (let j = 0; j < q.orderBy.length; j++) {
        const o = q.orderBy[j];
        const a = x.ks[j];
        const b = y.ks[j];
        if (a === b) continue;
        if (a === null) return o.nullsFirst ? -1 : 1;
        if (b === null) return o.nullsFirst ? 1 : -1;
        return (a < b ? -1 : 1) * (o.desc ? -1 : 1);
      }
      return x.i - y.i;
    });
    results.splice(0, results.length, ...keyed.map((k) => k.r));
  }
  const limited = page(ctx, results, q);
  results.splice(0, results.length, ...limited);
  countLimit(rt, "queryRows", rows.length);
  const list = new ApexList({ kind: "sobject", obj: arType }, results);
  list.fromQuery = true;
  return list;
}

function aggKey(v: Value): Cmp {
  if (v === null) return null;
  if (typeof v === "string") return v.toLowerCase();
  if (typeof v === "boolean") return v;
  if (isNumber(v)) return toDec(v).d.toNumber();
  if (v instanceof ApexDate || v instanceof ApexDatetime) return v.ms;
  return String(v);
}

/** HAVING: conditions on aggregates (COUNT(Id) > 1) or grouped fields, per group. */
function havingMatches(ctx: Ctx, obj: SObjectDescribe, members: StoredRecord[], c: SoqlCond): boolean {
  switch (c.kind) {
    case "and":
      return c.items.every((x) => havingMatches(ctx, obj, members, x));
    case "or":
      return c.items.some((x) => havingMatches(ctx, obj, members, x));
    case "not":
      return !havingMatches(ctx, obj, members, c.item);
    case "cmp": {
      if (!c.fn) {
        const { v, f } = members.length ? resolve(ctx, obj, members[0], c.path) : { v: null, f: obj.fields.get("id")! };
        return compare(ctx, v, f, c.op, c.value);
      }
      const vals = c.path.length
        ? members.map((m) => resolve(ctx, obj, m, c.path).v).filter((v) => v !== null)
        : members.map(() => 1 as Value);
      const v = aggValue(ctx.rt, c.fn, vals, ctx.loc);
      const numberField = { ...obj.fields.get("id")!, type: "double" as const };
      return compare(ctx, v, numberField, c.op, c.value);
    }
  }
}

function setAgg(t: SObjectDescribe, ar: SObjectValue, name: string, v: Value) {
  const k = name.toLowerCase();
  if (!t.fields.has(k))
    t.fields.set(k, fieldDescribe(name, "string", { length: null, systemField: true, custom: false }));
  ar.fields.set(k, v);
}

function aggValue(rt: RuntimeContext, fn: string, vals: Value[], loc: Loc): Value {
  switch (fn) {
    case "count":
      return vals.length;
    case "count_distinct":
      return new Set(vals.map((v) => String(v).toLowerCase())).size;
    case "sum":
    case "avg": {
      if (vals.length === 0) return null;
      let total = toDec(0);
      for (const v of vals)
        if (isNumber(v)) total = new ApexDecimal(total.d.add(toDec(v).d), Math.max(total.scale, toDec(v).scale));
      if (fn === "sum") return total;
      return new ApexDecimal(
        total.d.div(vals.length),
        Math.max(total.scale, Math.min(18, total.d.div(vals.length).decimalPlaces()))
      );
    }
    case "min":
    case "max": {
      if (vals.length === 0) return null;
      let best = vals[0];
      for (const v of vals.slice(1)) {
        const a = isNumber(v)
          ? toDec(v).d.toNumber()
          : v instanceof ApexDate || v instanceof ApexDatetime
            ? v.ms
            : String(v);
        const b = isNumber(best)
          ? toDec(best).d.toNumber()
          : best instanceof ApexDate || best instanceof ApexDatetime
            ? best.ms
            : String(best);
        if (fn === "min" ? a < b : a > b) best = v;
      }
      return best;
    }
  }
  unsupported(rt, `SOQL aggregate function ${fn}`, loc);
}
