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

export function collectionAdd(runtime: RuntimeContext, set: ApexSet, value: Value): boolean {
  const hash = hashKey(runtime, value);
  const bucket = set.map.get(hash);
  if (bucket) {
    if (bucket.some((item) => keyEquals(runtime, item, value))) return false;
    bucket.push(value);
  } else set.map.set(hash, [value]);
  set.size++;
  return true;
}

function setHas(runtime: RuntimeContext, set: ApexSet, value: Value): boolean {
  const v = setKey(set, value);
  const bucket = set.map.get(hashKey(runtime, v));
  return !!bucket && bucket.some((item) => keyEquals(runtime, item, v));
}

function setRemove(runtime: RuntimeContext, set: ApexSet, value: Value): boolean {
  const v = setKey(set, value);
  const hash = hashKey(runtime, v);
  const bucket = set.map.get(hash);
  if (!bucket) return false;
  const i = bucket.findIndex((item) => keyEquals(runtime, item, v));
  if (i < 0) return false;
  bucket.splice(i, 1);
  if (bucket.length === 0) set.map.delete(hash);
  set.size--;
  return true;
}

function mapKey(map: ApexMap, key: Value): Value {
  if (typeof key === "string" && map.keyType.kind === "prim" && map.keyType.name === "Id") return idKey(key);
  if (map.ignoreKeyCase && typeof key === "string") return key.toLowerCase();
  return numberKey(map.keyType, key);
}

/** A lookup argument converts to a numeric key type, as a parameter of that type would. */
function numberKey(type: RType, key: Value): Value {
  if (type.kind !== "prim" || !isNumber(key)) return key;
  if (type.name === "Decimal" && !(key instanceof ApexDecimal)) return toDec(key);
  if (type.name === "Long" && typeof key === "number") return BigInt(key);
  if (type.name === "Double" && !(key instanceof ApexDouble)) return new ApexDouble(toJsNumber(key));
  return key;
}

/** Lookups in Id-keyed collections convert the argument to an Id, so 15-character ids match. */
function idKey(key: string): string {
  return normalizeId(key) ?? key;
}

function setKey(set: ApexSet, key: Value): Value {
  if (typeof key === "string" && set.elemType.kind === "prim" && set.elemType.name === "Id") return idKey(key);
  return numberKey(set.elemType, key);
}

export function mapPut(runtime: RuntimeContext, map: ApexMap, key: Value, value: Value): Value {
  const k = mapKey(map, key);
  const hash = hashKey(runtime, k);
  const bucket = map.map.get(hash);
  if (bucket) {
    const e = bucket.find((entry) => keyEquals(runtime, entry[0], k));
    if (e) {
      const old = e[1];
      e[1] = value;
      return old;
    }
    bucket.push([k, value]);
  } else map.map.set(hash, [[k, value]]);
  map.size++;
  return null;
}

export function mapGet(runtime: RuntimeContext, map: ApexMap, key: Value): Value {
  const k = mapKey(map, key);
  const bucket = map.map.get(hashKey(runtime, k));
  if (!bucket) return null;
  const e = bucket.find((entry) => keyEquals(runtime, entry[0], k));
  return e ? e[1] : null;
}

function mapRemove(runtime: RuntimeContext, map: ApexMap, key: Value): Value {
  const k = mapKey(map, key);
  const hash = hashKey(runtime, k);
  const bucket = map.map.get(hash);
  if (!bucket) return null;
  const i = bucket.findIndex((entry) => keyEquals(runtime, entry[0], k));
  if (i < 0) return null;
  const [, old] = bucket.splice(i, 1)[0];
  if (bucket.length === 0) map.map.delete(hash);
  map.size--;
  return old;
}

export function listGet(runtime: RuntimeContext, list: ApexList, i: Value): Value {
  if (i === null) nullPointer(runtime);
  if (typeof i !== "number") unsupported(runtime, `List index of type ${runtimeTypeName(i)}`);
  const n = i;
  if (n < 0 || n >= list.items.length) throwApex(runtime, "ListException", `List index out of bounds: ${n}`);
  return list.items[n];
}

export function listSet(runtime: RuntimeContext, list: ApexList, i: Value, value: Value): Value {
  if (i === null) nullPointer(runtime);
  if (typeof i !== "number") unsupported(runtime, `List index of type ${runtimeTypeName(i)}`);
  const n = i;
  if (n < 0 || n >= list.items.length) throwApex(runtime, "ListException", `List index out of bounds: ${n}`);
  list.items[n] = coerce(runtime, value, list.elemType);
  return list.items[n];
}

function itemsOf(runtime: RuntimeContext, value: Value, loc: Loc): Value[] {
  if (value === null) nullPointer(runtime);
  if (value instanceof ApexList) return value.items;
  if (value instanceof ApexSet) return setItems(value);
  unsupported(runtime, `collection argument of type ${runtimeTypeName(value)}`, loc);
}

export function copyInto(runtime: RuntimeContext, target: ApexList | ApexSet | ApexMap, source: Value, loc: Loc) {
  if (source === null) nullPointer(runtime);
  if (target instanceof ApexMap) {
    if (source instanceof ApexMap) {
      for (const [key, value] of mapEntries(source)) mapPut(runtime, target, key, value);
      return;
    }
    // new Map<Id, SObject>(records) keys the records by Id.
    for (const r of itemsOf(runtime, source, loc)) {
      if (!(r instanceof SObjectValue)) unsupported(runtime, "Map constructor from a list of non-SObjects", loc);
      const id = r.fields.get("id") ?? null;
      if (id === null) throwApex(runtime, "ListException", "Row with null Id at index: 0");
      mapPut(runtime, target, id, r);
    }
    return;
  }
  for (const item of itemsOf(runtime, source, loc)) {
    if (target instanceof ApexList) target.items.push(coerce(runtime, item, target.elemType));
    else collectionAdd(runtime, target, coerce(runtime, item, target.elemType));
  }
}

/** Default sort order of List.sort(). */
export function compareForSort(runtime: RuntimeContext, a: Value, b: Value, loc: Loc): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (isNumber(a) && isNumber(b)) return compareNum(a, b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if ((a instanceof ApexDate && b instanceof ApexDate) || (a instanceof ApexDatetime && b instanceof ApexDatetime))
    return a.ms - b.ms;
  if (a instanceof EnumValue && b instanceof EnumValue) return a.ordinal - b.ordinal;
  if (a instanceof SObjectValue && b instanceof SObjectValue) return compareSObjects(runtime, a, b, loc);
  if (a instanceof ApexObject) {
    const result = runtime.callDeclaredMethod(a, "compareto", [b]);
    if (result !== NO_METHOD) return Number(result);
  }
  unsupported(runtime, `sorting values of type ${runtimeTypeName(a)}`, loc);
}

/**
 * The documented order of List<SObject>.sort(): object label, then Name, then the other
 * standard fields and then custom fields, each alphabetically by API name; empty values first.
 */
function compareSObjects(runtime: RuntimeContext, a: SObjectValue, b: SObjectValue, loc: Loc): number {
  if (a.type !== b.type) return a.type.label < b.type.label ? -1 : a.type.label > b.type.label ? 1 : 0;
  const names = new Set(
    [...a.fields.keys(), ...b.fields.keys()].filter((key) => a.type.fields.has(key) && key !== "id")
  );
  const ordered = [...names].sort((text, y) => {
    const rank = (key: string) => (key === "name" ? 0 : a.type.fields.get(key)!.custom ? 2 : 1);
    return rank(text) - rank(y) || (text < y ? -1 : text > y ? 1 : 0);
  });
  for (const key of ordered) {
    const x = a.fields.get(key) ?? null;
    const y = b.fields.get(key) ?? null;
    const xEmpty = x === null || x === "";
    const yEmpty = y === null || y === "";
    if (xEmpty || yEmpty) {
      if (xEmpty !== yEmpty) return xEmpty ? -1 : 1;
      continue;
    }
    const c = compareForSort(runtime, x, y, loc);
    if (c !== 0) return c;
  }
  return 0;
}

export function installCollections(lib: Stdlib) {
  const runtime = lib.runtime;
  const data = lib.data;
  const mutate = <T extends ApexList | ApexSet>(c: T): T => {
    if (c.iterating > 0) throwApex(runtime, "FinalException", "Cannot modify a collection while it is being iterated.");
    return c;
  };
  const idx = (value: Value): number => {
    if (value === null) nullPointer(runtime);
    // List methods take an Integer index; List.remove has no remove(Object) form in Apex.
    if (typeof value !== "number") unsupported(runtime, `List index of type ${runtimeTypeName(value)}`);
    return value;
  };
  lib.instance<ApexList>("list", {
    add: (list, args) => {
      mutate(list);
      if (args.length === 2) {
        const i = idx(args[0]);
        if (i < 0 || i > list.items.length) throwApex(runtime, "ListException", `List index out of bounds: ${i}`);
        list.items.splice(i, 0, coerce(runtime, args[1], list.elemType));
        return null;
      }
      list.items.push(coerce(runtime, args[0], list.elemType));
      return null;
    },
    addAll: (list, args, loc) => {
      mutate(list);
      for (const item of [...itemsOf(runtime, args[0], loc)]) list.items.push(coerce(runtime, item, list.elemType));
      return null;
    },
    get: (list, args) => listGet(runtime, list, args[0]),
    set: (list, args) => {
      listSet(runtime, list, args[0], args[1]);
      return null;
    },
    size: (list) => list.items.length,
    isEmpty: (list) => list.items.length === 0,
    clear: (list) => {
      mutate(list);
      list.items.length = 0;
      return null;
    },
    remove: (list, args) => {
      mutate(list);
      const i = idx(args[0]);
      if (i < 0 || i >= list.items.length) throwApex(runtime, "ListException", `List index out of bounds: ${i}`);
      return list.items.splice(i, 1)[0];
    },
    contains: (list, args) => list.items.some((item) => keyEquals(runtime, item, numberKey(list.elemType, args[0]))),
    indexOf: (list, args) =>
      list.items.findIndex((item) => keyEquals(runtime, item, numberKey(list.elemType, args[0]))),
    sort: (list, args, loc) => {
      const comparator = args[0];
      if (args.length > 0 && !(comparator instanceof ApexObject)) nullPointer(runtime);
      const cmp = (item: Value, y: Value) =>
        comparator instanceof ApexObject
          ? Number(runtime.callMethod(comparator, "compare", [item, y], loc))
          : compareForSort(runtime, item, y, loc);
      // A stable sort, as the platform's sort keeps equal elements in order.
      const sorted = [...list.items].map((value, i) => ({ v: value, i }));
      sorted.sort((x, y) => cmp(x.v, y.v) || x.i - y.i);
      list.items.splice(0, list.items.length, ...sorted.map((x) => x.v));
      return null;
    },
    clone: (list) => new ApexList(list.elemType, [...list.items]),
    deepClone: (list) =>
      new ApexList(
        list.elemType,
        list.items.map((item) => (item instanceof SObjectValue ? data.cloneRecord(item, true) : item))
      ),
    equals: (list, args) => looseEquals(runtime, list, args[0]),
    hashCode: (list) => hashCode(hashKey(runtime, list)),
    toString: (list: ApexList) => str(runtime, list),
    getSObjectType: (list) =>
      list.elemType.kind === "sobject" && list.elemType.obj ? data.sobjectTypeToken(list.elemType.obj) : null,
    iterator: (_l, _args, loc) => unsupported(runtime, "List.iterator()", loc)
  });
  lib.instance<ApexSet>("set", {
    add: (set, args) => collectionAdd(runtime, mutate(set), coerce(runtime, args[0], set.elemType)),
    addAll: (set, args, loc) => {
      mutate(set);
      let changed = false;
      for (const item of [...itemsOf(runtime, args[0], loc)])
        changed = collectionAdd(runtime, set, coerce(runtime, item, set.elemType)) || changed;
      return changed;
    },
    contains: (set, args) => setHas(runtime, set, args[0]),
    containsAll: (set, args, loc) => itemsOf(runtime, args[0], loc).every((item) => setHas(runtime, set, item)),
    remove: (set, args) => setRemove(runtime, mutate(set), args[0]),
    removeAll: (set, args, loc) => {
      mutate(set);
      let changed = false;
      for (const item of [...itemsOf(runtime, args[0], loc)]) changed = setRemove(runtime, set, item) || changed;
      return changed;
    },
    retainAll: (set, args, loc) => {
      mutate(set);
      const keep = new ApexSet(OBJECT);
      for (const item of itemsOf(runtime, args[0], loc)) collectionAdd(runtime, keep, item);
      let changed = false;
      for (const item of setItems(set))
        if (!setHas(runtime, keep, item)) changed = setRemove(runtime, set, item) || changed;
      return changed;
    },
    size: (set) => set.size,
    isEmpty: (set) => set.size === 0,
    clear: (set) => {
      mutate(set);
      set.map.clear();
      set.size = 0;
      return null;
    },
    clone: (set) => {
      const c = new ApexSet(set.elemType);
      for (const item of setItems(set)) collectionAdd(runtime, c, item);
      return c;
    },
    equals: (set, args) => looseEquals(runtime, set, args[0]),
    hashCode: (set) => hashCode(hashKey(runtime, set))
  });
  lib.instance<ApexMap>("map", {
    put: (map, args) =>
      mapPut(runtime, map, coerce(runtime, args[0], map.keyType), coerce(runtime, args[1], map.valueType)),
    get: (map, args) => mapGet(runtime, map, args[0]),
    containsKey: (map, args) => {
      const key = mapKey(map, args[0]);
      return map.map.get(hashKey(runtime, key))?.some((entry) => keyEquals(runtime, entry[0], key)) ?? false;
    },
    remove: (map, args) => mapRemove(runtime, map, args[0]),
    keySet: (map) => {
      const set = new ApexSet(map.keyType);
      for (const [key] of mapEntries(map)) collectionAdd(runtime, set, key);
      return set;
    },
    values: (map) =>
      new ApexList(
        map.valueType,
        mapEntries(map).map(([, value]) => value)
      ),
    size: (map) => map.size,
    isEmpty: (map) => map.size === 0,
    clear: (map) => {
      map.map.clear();
      map.size = 0;
      return null;
    },
    putAll: (map, args, loc) => {
      copyInto(runtime, map, args[0], loc);
      return null;
    },
    clone: (map) => {
      const c = new ApexMap(map.keyType, map.valueType);
      for (const [key, value] of mapEntries(map)) mapPut(runtime, c, key, value);
      return c;
    },
    deepClone: (map) => {
      const c = new ApexMap(map.keyType, map.valueType);
      for (const [key, value] of mapEntries(map))
        mapPut(runtime, c, key, value instanceof SObjectValue ? data.cloneRecord(value, true) : value);
      return c;
    },
    equals: (map, args) => looseEquals(runtime, map, args[0]),
    hashCode: (map) => hashCode(hashKey(runtime, map))
  });
}

function hashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
