// List, Set and Map with Apex equality: keys hash by value, String keys are case-sensitive.
import type { Loc } from "../parse/ast.js";
import { NO_METHOD, type RuntimeContext } from "../runtime/context.js";
import { OBJECT } from "../runtime/types.js";
import {
  ApexDate,
  ApexDatetime,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  EnumValue,
  SObjectValue,
  ApexDecimal,
  ApexDouble,
  isNumber,
  toDec,
  toJsNumber,
  type Value,
  type RType
} from "../runtime/values.js";
import { str, compareNum, hashKey, keyEquals, looseEquals, mapEntries, setItems } from "../runtime/operators.js";
import type { Stdlib } from "./registry.js";
import { normalizeId } from "../runtime/ids.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { coerce, runtimeTypeName } from "../runtime/conversion.js";

export function collectionAdd(rt: RuntimeContext, s: ApexSet, v: Value): boolean {
  const h = hashKey(rt, v);
  const bucket = s.map.get(h);
  if (bucket) {
    if (bucket.some((x) => keyEquals(rt, x, v))) return false;
    bucket.push(v);
  } else s.map.set(h, [v]);
  s.size++;
  return true;
}

function setHas(rt: RuntimeContext, s: ApexSet, value: Value): boolean {
  const v = setKey(s, value);
  const bucket = s.map.get(hashKey(rt, v));
  return !!bucket && bucket.some((x) => keyEquals(rt, x, v));
}

function setRemove(rt: RuntimeContext, s: ApexSet, value: Value): boolean {
  const v = setKey(s, value);
  const h = hashKey(rt, v);
  const bucket = s.map.get(h);
  if (!bucket) return false;
  const i = bucket.findIndex((x) => keyEquals(rt, x, v));
  if (i < 0) return false;
  bucket.splice(i, 1);
  if (bucket.length === 0) s.map.delete(h);
  s.size--;
  return true;
}

function mapKey(m: ApexMap, k: Value): Value {
  if (typeof k === "string" && m.keyType.kind === "prim" && m.keyType.name === "Id") return idKey(k);
  if (m.ignoreKeyCase && typeof k === "string") return k.toLowerCase();
  return numberKey(m.keyType, k);
}

/** A lookup argument converts to a numeric key type, as a parameter of that type would. */
function numberKey(t: RType, k: Value): Value {
  if (t.kind !== "prim" || !isNumber(k)) return k;
  if (t.name === "Decimal" && !(k instanceof ApexDecimal)) return toDec(k);
  if (t.name === "Long" && typeof k === "number") return BigInt(k);
  if (t.name === "Double" && !(k instanceof ApexDouble)) return new ApexDouble(toJsNumber(k));
  return k;
}

/** Lookups in Id-keyed collections convert the argument to an Id, so 15-character ids match. */
function idKey(k: string): string {
  return normalizeId(k) ?? k;
}

function setKey(s: ApexSet, k: Value): Value {
  if (typeof k === "string" && s.elemType.kind === "prim" && s.elemType.name === "Id") return idKey(k);
  return numberKey(s.elemType, k);
}

export function mapPut(rt: RuntimeContext, m: ApexMap, key: Value, v: Value): Value {
  const k = mapKey(m, key);
  const h = hashKey(rt, k);
  const bucket = m.map.get(h);
  if (bucket) {
    const e = bucket.find((x) => keyEquals(rt, x[0], k));
    if (e) {
      const old = e[1];
      e[1] = v;
      return old;
    }
    bucket.push([k, v]);
  } else m.map.set(h, [[k, v]]);
  m.size++;
  return null;
}

export function mapGet(rt: RuntimeContext, m: ApexMap, key: Value): Value {
  const k = mapKey(m, key);
  const bucket = m.map.get(hashKey(rt, k));
  if (!bucket) return null;
  const e = bucket.find((x) => keyEquals(rt, x[0], k));
  return e ? e[1] : null;
}

function mapRemove(rt: RuntimeContext, m: ApexMap, key: Value): Value {
  const k = mapKey(m, key);
  const h = hashKey(rt, k);
  const bucket = m.map.get(h);
  if (!bucket) return null;
  const i = bucket.findIndex((x) => keyEquals(rt, x[0], k));
  if (i < 0) return null;
  const [, old] = bucket.splice(i, 1)[0];
  if (bucket.length === 0) m.map.delete(h);
  m.size--;
  return old;
}

export function listGet(rt: RuntimeContext, l: ApexList, i: Value): Value {
  if (i === null) nullPointer(rt);
  if (typeof i !== "number") unsupported(rt, `List index of type ${runtimeTypeName(i)}`);
  const n = i;
  if (n < 0 || n >= l.items.length) throwApex(rt, "ListException", `List index out of bounds: ${n}`);
  return l.items[n];
}

export function listSet(rt: RuntimeContext, l: ApexList, i: Value, v: Value): Value {
  if (i === null) nullPointer(rt);
  if (typeof i !== "number") unsupported(rt, `List index of type ${runtimeTypeName(i)}`);
  const n = i;
  if (n < 0 || n >= l.items.length) throwApex(rt, "ListException", `List index out of bounds: ${n}`);
  l.items[n] = coerce(rt, v, l.elemType);
  return l.items[n];
}

function itemsOf(rt: RuntimeContext, v: Value, loc: Loc): Value[] {
  if (v === null) nullPointer(rt);
  if (v instanceof ApexList) return v.items;
  if (v instanceof ApexSet) return setItems(v);
  unsupported(rt, `collection argument of type ${runtimeTypeName(v)}`, loc);
}

export function copyInto(rt: RuntimeContext, target: ApexList | ApexSet | ApexMap, src: Value, loc: Loc) {
  if (src === null) nullPointer(rt);
  if (target instanceof ApexMap) {
    if (src instanceof ApexMap) {
      for (const [k, v] of mapEntries(src)) mapPut(rt, target, k, v);
      return;
    }
    // new Map<Id, SObject>(records) keys the records by Id.
    for (const r of itemsOf(rt, src, loc)) {
      if (!(r instanceof SObjectValue)) unsupported(rt, "Map constructor from a list of non-SObjects", loc);
      const id = r.fields.get("id") ?? null;
      if (id === null) throwApex(rt, "ListException", "Row with null Id at index: 0");
      mapPut(rt, target, id, r);
    }
    return;
  }
  for (const x of itemsOf(rt, src, loc)) {
    if (target instanceof ApexList) target.items.push(coerce(rt, x, target.elemType));
    else collectionAdd(rt, target, coerce(rt, x, target.elemType));
  }
}

/** Default sort order of List.sort(). */
export function compareForSort(rt: RuntimeContext, a: Value, b: Value, loc: Loc): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (isNumber(a) && isNumber(b)) return compareNum(a, b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if ((a instanceof ApexDate && b instanceof ApexDate) || (a instanceof ApexDatetime && b instanceof ApexDatetime))
    return a.ms - b.ms;
  if (a instanceof EnumValue && b instanceof EnumValue) return a.ordinal - b.ordinal;
  if (a instanceof SObjectValue && b instanceof SObjectValue) return compareSObjects(rt, a, b, loc);
  if (a instanceof ApexObject) {
    const result = rt.callDeclaredMethod(a, "compareto", [b]);
    if (result !== NO_METHOD) return Number(result);
  }
  unsupported(rt, `sorting values of type ${runtimeTypeName(a)}`, loc);
}

/**
 * The documented order of List<SObject>.sort(): object label, then Name, then the other
 * standard fields and then custom fields, each alphabetically by API name; empty values first.
 */
function compareSObjects(rt: RuntimeContext, a: SObjectValue, b: SObjectValue, loc: Loc): number {
  if (a.type !== b.type) return a.type.label < b.type.label ? -1 : a.type.label > b.type.label ? 1 : 0;
  const names = new Set([...a.fields.keys(), ...b.fields.keys()].filter((k) => a.type.fields.has(k) && k !== "id"));
  const ordered = [...names].sort((x, y) => {
    const rank = (k: string) => (k === "name" ? 0 : a.type.fields.get(k)!.custom ? 2 : 1);
    return rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0);
  });
  for (const k of ordered) {
    const x = a.fields.get(k) ?? null;
    const y = b.fields.get(k) ?? null;
    const xEmpty = x === null || x === "";
    const yEmpty = y === null || y === "";
    if (xEmpty || yEmpty) {
      if (xEmpty !== yEmpty) return xEmpty ? -1 : 1;
      continue;
    }
    const c = compareForSort(rt, x, y, loc);
    if (c !== 0) return c;
  }
  return 0;
}

export function installCollections(lib: Stdlib) {
  const rt = lib.runtime;
  const data = lib.data;
  const mutate = <T extends ApexList | ApexSet>(c: T): T => {
    if (c.iterating > 0) throwApex(rt, "FinalException", "Cannot modify a collection while it is being iterated.");
    return c;
  };
  const idx = (v: Value): number => {
    if (v === null) nullPointer(rt);
    // List methods take an Integer index; List.remove has no remove(Object) form in Apex.
    if (typeof v !== "number") unsupported(rt, `List index of type ${runtimeTypeName(v)}`);
    return v;
  };
  lib.instance<ApexList>("list", {
    add: (l, a) => {
      mutate(l);
      if (a.length === 2) {
        const i = idx(a[0]);
        if (i < 0 || i > l.items.length) throwApex(rt, "ListException", `List index out of bounds: ${i}`);
        l.items.splice(i, 0, coerce(rt, a[1], l.elemType));
        return null;
      }
      l.items.push(coerce(rt, a[0], l.elemType));
      return null;
    },
    addAll: (l, a, loc) => {
      mutate(l);
      for (const x of [...itemsOf(rt, a[0], loc)]) l.items.push(coerce(rt, x, l.elemType));
      return null;
    },
    get: (l, a) => listGet(rt, l, a[0]),
    set: (l, a) => {
      listSet(rt, l, a[0], a[1]);
      return null;
    },
    size: (l) => l.items.length,
    isEmpty: (l) => l.items.length === 0,
    clear: (l) => {
      mutate(l);
      l.items.length = 0;
      return null;
    },
    remove: (l, a) => {
      mutate(l);
      const i = idx(a[0]);
      if (i < 0 || i >= l.items.length) throwApex(rt, "ListException", `List index out of bounds: ${i}`);
      return l.items.splice(i, 1)[0];
    },
    contains: (l, a) => l.items.some((x) => keyEquals(rt, x, numberKey(l.elemType, a[0]))),
    indexOf: (l, a) => l.items.findIndex((x) => keyEquals(rt, x, numberKey(l.elemType, a[0]))),
    sort: (l, a, loc) => {
      const comparator = a[0];
      if (a.length > 0 && !(comparator instanceof ApexObject)) nullPointer(rt);
      const cmp = (x: Value, y: Value) =>
        comparator instanceof ApexObject
          ? Number(rt.callMethod(comparator, "compare", [x, y], loc))
          : compareForSort(rt, x, y, loc);
      // A stable sort, as the platform's sort keeps equal elements in order.
      const sorted = [...l.items].map((v, i) => ({ v, i }));
      sorted.sort((x, y) => cmp(x.v, y.v) || x.i - y.i);
      l.items.splice(0, l.items.length, ...sorted.map((x) => x.v));
      return null;
    },
    clone: (l) => new ApexList(l.elemType, [...l.items]),
    deepClone: (l) =>
      new ApexList(
        l.elemType,
        l.items.map((x) => (x instanceof SObjectValue ? data.cloneRecord(x, true) : x))
      ),
    equals: (l, a) => looseEquals(rt, l, a[0]),
    hashCode: (l) => hashCode(hashKey(rt, l)),
    toString: (l: ApexList) => str(rt, l),
    getSObjectType: (l) =>
      l.elemType.kind === "sobject" && l.elemType.obj ? data.sobjectTypeToken(l.elemType.obj) : null,
    iterator: (_l, _a, loc) => unsupported(rt, "List.iterator()", loc)
  });
  lib.instance<ApexSet>("set", {
    add: (s, a) => collectionAdd(rt, mutate(s), coerce(rt, a[0], s.elemType)),
    addAll: (s, a, loc) => {
      mutate(s);
      let changed = false;
      for (const x of [...itemsOf(rt, a[0], loc)]) changed = collectionAdd(rt, s, coerce(rt, x, s.elemType)) || changed;
      return changed;
    },
    contains: (s, a) => setHas(rt, s, a[0]),
    containsAll: (s, a, loc) => itemsOf(rt, a[0], loc).every((x) => setHas(rt, s, x)),
    remove: (s, a) => setRemove(rt, mutate(s), a[0]),
    removeAll: (s, a, loc) => {
      mutate(s);
      let changed = false;
      for (const x of [...itemsOf(rt, a[0], loc)]) changed = setRemove(rt, s, x) || changed;
      return changed;
    },
    retainAll: (s, a, loc) => {
      mutate(s);
      const keep = new ApexSet(OBJECT);
      for (const x of itemsOf(rt, a[0], loc)) collectionAdd(rt, keep, x);
      let changed = false;
      for (const x of setItems(s)) if (!setHas(rt, keep, x)) changed = setRemove(rt, s, x) || changed;
      return changed;
    },
    size: (s) => s.size,
    isEmpty: (s) => s.size === 0,
    clear: (s) => {
      mutate(s);
      s.map.clear();
      s.size = 0;
      return null;
    },
    clone: (s) => {
      const c = new ApexSet(s.elemType);
      for (const x of setItems(s)) collectionAdd(rt, c, x);
      return c;
    },
    equals: (s, a) => looseEquals(rt, s, a[0]),
    hashCode: (s) => hashCode(hashKey(rt, s))
  });
  lib.instance<ApexMap>("map", {
    put: (m, a) => mapPut(rt, m, coerce(rt, a[0], m.keyType), coerce(rt, a[1], m.valueType)),
    get: (m, a) => mapGet(rt, m, a[0]),
    containsKey: (m, a) => {
      const k = mapKey(m, a[0]);
      return m.map.get(hashKey(rt, k))?.some((x) => keyEquals(rt, x[0], k)) ?? false;
    },
    remove: (m, a) => mapRemove(rt, m, a[0]),
    keySet: (m) => {
      const s = new ApexSet(m.keyType);
      for (const [k] of mapEntries(m)) collectionAdd(rt, s, k);
      return s;
    },
    values: (m) =>
      new ApexList(
        m.valueType,
        mapEntries(m).map(([, v]) => v)
      ),
    size: (m) => m.size,
    isEmpty: (m) => m.size === 0,
    clear: (m) => {
      m.map.clear();
      m.size = 0;
      return null;
    },
    putAll: (m, a, loc) => {
      copyInto(rt, m, a[0], loc);
      return null;
    },
    clone: (m) => {
      const c = new ApexMap(m.keyType, m.valueType);
      for (const [k, v] of mapEntries(m)) mapPut(rt, c, k, v);
      return c;
    },
    deepClone: (m) => {
      const c = new ApexMap(m.keyType, m.valueType);
      for (const [k, v] of mapEntries(m)) mapPut(rt, c, k, v instanceof SObjectValue ? data.cloneRecord(v, true) : v);
      return c;
    },
    equals: (m, a) => looseEquals(rt, m, a[0]),
    hashCode: (m) => hashCode(hashKey(rt, m))
  });
}

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
