// Expressions: the evaluator switch, names, literals, `new`, assignments and operators.
import type { Expr, Loc, NewExpr } from "../parse/ast.js";
import { coerce, isInstance, runtimeTypeName, collectionCastOk, collectionRuntimeName } from "../runtime/conversion.js";
import { CompileError, throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { arith, compareNum, exactEquals, looseEquals, negate, str } from "../runtime/operators.js";
import { typeName } from "../runtime/types.js";
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
  NamespaceValue,
  SObjectValue,
  TypeValue,
  isNumber,
  type Value
} from "../runtime/values.js";
import { collectionAdd, copyInto, listGet, listSet, mapPut } from "../stdlib/collections.js";
import { numericCast } from "../stdlib/numbers.js";
import { dateArith } from "../stdlib/datetime.js";
import { lookupLocal, type ArgType, type Evaluator, type Frame } from "./evaluator.js";
import { lookupType, resolveType } from "./type-resolution.js";
import {
  staticOwner,
  instanceField,
  readField,
  readStatic,
  writeField,
  writeStatic,
  fieldThroughInstance
} from "./members.js";
import { instantiate } from "./classes.js";
import {
  staticType,
  evaluateChain,
  shortCircuitToNull,
  evaluateField,
  getMember,
  evaluateCall,
  SHORT
} from "./calls.js";

// String <, >, <= and >= compare like ==: ignoring case, in the user's locale (en_US).
const STRING_ORDER = new Intl.Collator("en-US", { sensitivity: "accent" });

export function evaluate(evaluator: Evaluator, e: Expr, frame: Frame): Value {
  switch (e.kind) {
    case "Literal":
      return literalValue(e);
    case "Name":
      return evaluateName(evaluator, e.name, frame, e);
    case "This":
      return frame.thisObj;
    case "Super":
      return frame.thisObj;
    case "Field":
      return shortCircuitToNull(evaluateField(evaluator, e, frame));
    case "Call":
      return shortCircuitToNull(evaluateCall(evaluator, e, frame));
    case "Index": {
      const t = evaluateChain(evaluator, e.target, frame);
      if (t === SHORT) return null;
      const i = evaluate(evaluator, e.index, frame);
      if (t === null) nullPointer(evaluator);
      if (t instanceof ApexList) return listGet(evaluator, t, i);
      unsupported(evaluator, `indexing a ${runtimeTypeName(t)}`, e);
      break;
    }
    case "New":
      return evaluateNew(evaluator, e, frame);
    case "Assign":
      return evaluateAssignment(evaluator, e, frame);
    case "Binary":
      return evaluateBinary(evaluator, e, frame);
    case "Unary": {
      const v = evaluate(evaluator, e.operand, frame);
      if (e.op === "!") return !truthy(evaluator, v, e);
      if (v === null) nullPointer(evaluator);
      if (e.op === "-" && isNumber(v)) return negate(v);
      if (e.op === "+" && isNumber(v)) return v;
      if (e.op === "~" && typeof v === "number") return ~v;
      if (e.op === "~" && typeof v === "bigint") return ~v;
      unsupported(evaluator, `unary ${e.op} on ${runtimeTypeName(v)}`, e);
      break;
    }
    case "IncDec": {
      const local = e.target.kind === "Name" ? lookupLocal(frame, e.target.name.toLowerCase()) : undefined;
      if (local && typeof local.v === "number" && local.t.kind === "prim" && local.t.name === "Integer") {
        const old = local.v;
        local.v = (old + (e.op === "++" ? 1 : -1)) | 0;
        return e.prefix ? local.v : old;
      }
      const lv = assignmentTarget(evaluator, e.target, frame);
      const old = lv.get();
      if (old === null) nullPointer(evaluator);
      if (!isNumber(old)) unsupported(evaluator, `${e.op} on ${runtimeTypeName(old)}`, e);
      const nv = lv.set(arith(evaluator, e.op === "++" ? "+" : "-", old, 1));
      return e.prefix ? nv : old;
    }
    case "Cond":
      return truthy(evaluator, evaluate(evaluator, e.cond, frame), e)
        ? evaluate(evaluator, e.then, frame)
        : evaluate(evaluator, e.else, frame);
    case "Cast": {
      const v = evaluate(evaluator, e.expr, frame);
      const t = resolveType(evaluator, e.type, frame.cls, e);
      if (v === null) return null;
      // Numeric casts convert between number types; everything else is a checked cast.
      if (t.kind === "prim" && isNumber(v) && ["Integer", "Long", "Decimal", "Double"].includes(t.name)) {
        return numericCast(evaluator, v, t.name);
      }
      if (t.kind === "prim" && t.name === "Id" && typeof v === "string") return coerce(evaluator, v, t);
      if (t.kind === "list" || t.kind === "set" || t.kind === "map") {
        if (!isInstance(v, t) || !collectionCastOk(v, t)) {
          throwApex(
            evaluator,
            "TypeException",
            `Invalid conversion from runtime type ${collectionRuntimeName(v)} to ${typeName(t)}`
          );
        }
        return v;
      }
      if (!isInstance(v, t)) {
        throwApex(
          evaluator,
          "TypeException",
          `Invalid conversion from runtime type ${runtimeTypeName(v)} to ${typeName(t)}`
        );
      }
      return v;
    }
    case "InstanceOf": {
      const v = evaluate(evaluator, e.expr, frame);
      const t = resolveType(evaluator, e.type, frame.cls, e);
      // A collection is an instance of its own element type or a wider one, as a cast allows.
      return isInstance(v, t) && collectionCastOk(v, t);
    }
    case "Soql":
      return evaluator.data.query(e.query, (x) => evaluate(evaluator, x, frame), e);
    case "ClassLiteral":
      return new TypeValue(resolveType(evaluator, e.type, frame.cls, e), true);
    case "Unsupported":
      unsupported(evaluator, e.feature, e);
  }
  return null;
}

export function literalValue(e: Extract<Expr, { kind: "Literal" }>): Value {
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

export function evaluateName(evaluator: Evaluator, name: string, frame: Frame, loc: Loc): Value {
  const key = name.toLowerCase();
  const local = lookupLocal(frame, key);
  if (local) return local.v;
  if (frame.thisObj) {
    const inf = instanceField(frame.thisObj, key);
    if (inf) return readField(evaluator, frame.thisObj, inf.cls, inf.f, frame);
  }
  const owner = staticOwner(frame.cls, key);
  if (owner) return readStatic(evaluator, owner, key, frame);
  return typeOrNamespace(evaluator, [key], frame, loc);
}

export function typeOrNamespace(evaluator: Evaluator, names: string[], frame: Frame, loc: Loc): Value {
  const t = lookupType(evaluator, names, frame.cls);
  if (t) return new TypeValue(t);
  if (names.length === 1 && evaluator.stdlib.isNamespace(names[0])) return new NamespaceValue(names[0]);
  unsupported(evaluator, `variable or type '${names.join(".")}'`, loc);
}

export function evaluateNew(evaluator: Evaluator, e: NewExpr, frame: Frame): Value {
  const t = resolveType(evaluator, e.type, frame.cls, e);
  if (t.kind === "list") {
    const l = new ApexList(t.elem);
    if (e.items) for (const x of e.items) l.items.push(coerce(evaluator, evaluate(evaluator, x, frame), t.elem));
    if (e.size) {
      const n = evaluate(evaluator, e.size, frame);
      if (typeof n !== "number") nullPointer(evaluator);
      for (let i = 0; i < n; i++) l.items.push(null);
    }
    if (e.args && e.args.length > 0) {
      const src = evaluate(evaluator, e.args[0], frame);
      copyInto(evaluator, l, src, e);
    }
    return l;
  }
  if (t.kind === "set") {
    const s = new ApexSet(t.elem);
    if (e.items)
      for (const x of e.items) collectionAdd(evaluator, s, coerce(evaluator, evaluate(evaluator, x, frame), t.elem));
    if (e.args && e.args.length > 0) copyInto(evaluator, s, evaluate(evaluator, e.args[0], frame), e);
    return s;
  }
  if (t.kind === "map") {
    const m = new ApexMap(t.key, t.value);
    if (e.pairs)
      for (const [k, v] of e.pairs)
        mapPut(
          evaluator,
          m,
          coerce(evaluator, evaluate(evaluator, k, frame), t.key),
          coerce(evaluator, evaluate(evaluator, v, frame), t.value)
        );
    if (e.args && e.args.length > 0) copyInto(evaluator, m, evaluate(evaluator, e.args[0], frame), e);
    return m;
  }
  if (t.kind === "sobject") {
    if (!t.obj) unsupported(evaluator, "new SObject()", e);
    const rec = evaluator.data.newRecord(t.obj);
    for (const a of e.args ?? []) {
      if (a.kind !== "Assign" || a.target.kind !== "Name" || a.op !== "=")
        unsupported(evaluator, "SObject constructor arguments other than Field = value", e);
      evaluator.data.setField(rec, a.target.name, evaluate(evaluator, a.value, frame), e);
    }
    return rec;
  }
  if (t.kind === "class") {
    if (e.items || e.pairs) unsupported(evaluator, `initialiser list for ${t.cls.name}`, e);
    // The base Exception class cannot be constructed; code throws a system or custom subclass.
    if (!t.cls.decl && !t.cls.parent && t.cls.isException)
      throw new CompileError("Type cannot be constructed: Exception", e);
    const args = (e.args ?? []).map((a) => evaluate(evaluator, a, frame));
    return instantiate(
      evaluator,
      t.cls,
      args,
      e,
      (e.args ?? []).map((a) => staticType(evaluator, a, frame))
    );
  }
  if (t.kind === "native") {
    const args = (e.args ?? []).map((a) => evaluate(evaluator, a, frame));
    return evaluator.stdlib.construct(t.name, args, e);
  }
  if (t.kind === "prim" && t.name === "Object") return unsupported(evaluator, "new Object()", e);
  unsupported(evaluator, `new ${typeName(t)}`, e);
}

export function evaluateAssignment(evaluator: Evaluator, e: Extract<Expr, { kind: "Assign" }>, frame: Frame): Value {
  if (e.target.kind === "Name") {
    // Fast path for local variables, the most common target.
    const local = lookupLocal(frame, e.target.name.toLowerCase());
    if (local) {
      const v =
        e.op === "="
          ? evaluate(evaluator, e.value, frame)
          : binaryOperation(evaluator, e.op.slice(0, -1), local.v, evaluate(evaluator, e.value, frame), e);
      return (local.v = coerce(evaluator, v, local.t));
    }
  }
  const lv = assignmentTarget(evaluator, e.target, frame);
  if (e.op === "=") return lv.set(evaluate(evaluator, e.value, frame));
  const cur = lv.get();
  const rhs = evaluate(evaluator, e.value, frame);
  return lv.set(binaryOperation(evaluator, e.op.slice(0, -1), cur, rhs, e));
}

/** An assignable place; its object and index are evaluated once, as `x[i++] += 1` needs. */
export function assignmentTarget(
  evaluator: Evaluator,
  target: Expr,
  frame: Frame
): { get(): Value; set(v: Value): Value } {
  if (target.kind === "Name") {
    const key = target.name.toLowerCase();
    const get = () => evaluateName(evaluator, target.name, frame, target);
    const local = lookupLocal(frame, key);
    if (local) {
      return { get, set: (v) => (local.v = coerce(evaluator, v, local.t)) };
    }
    const thisObj = frame.thisObj;
    const inf = thisObj ? instanceField(thisObj, key) : null;
    if (thisObj && inf) {
      return {
        get,
        set: (v) => {
          writeField(evaluator, thisObj, inf.cls, inf.f, v, frame);
          return thisObj.fields.get(key) ?? v;
        }
      };
    }
    const owner = staticOwner(frame.cls, key);
    if (owner) {
      return {
        get,
        set: (v) => {
          writeStatic(evaluator, owner, key, v, frame);
          return owner.statics!.get(key) ?? v;
        }
      };
    }
    unsupported(evaluator, `assignment to unknown variable '${target.name}'`, target);
  }
  if (target.kind === "Field") {
    const obj = target.target.kind === "Super" ? frame.thisObj : evaluate(evaluator, target.target, frame);
    const key = target.name.toLowerCase();
    if (obj === null) nullPointer(evaluator);
    const get = () => getMember(evaluator, obj, target.name, false, target, frame);
    if (obj instanceof ApexObject) {
      const inf = instanceField(obj, key);
      if (!inf) unsupported(evaluator, fieldThroughInstance(obj, key, target.name), target);
      return {
        get,
        set: (v) => {
          writeField(evaluator, obj, inf.cls, inf.f, v, frame);
          return obj.fields.get(key) ?? v;
        }
      };
    }
    if (obj instanceof SObjectValue) return { get, set: (v) => evaluator.data.setField(obj, target.name, v, target) };
    if (obj instanceof TypeValue && obj.type.kind === "class") {
      const owner = staticOwner(obj.type.cls, key);
      if (owner) {
        return {
          get,
          set: (v) => {
            writeStatic(evaluator, owner, key, v, frame);
            return owner.statics!.get(key) ?? v;
          }
        };
      }
    }
    unsupported(evaluator, `assignment to ${target.name} of ${runtimeTypeName(obj)}`, target);
  }
  if (target.kind === "Index") {
    const l = evaluate(evaluator, target.target, frame);
    const i = evaluate(evaluator, target.index, frame);
    if (l === null) nullPointer(evaluator);
    if (l instanceof ApexList) return { get: () => listGet(evaluator, l, i), set: (v) => listSet(evaluator, l, i, v) };
    unsupported(evaluator, `index assignment on ${runtimeTypeName(l)}`, target);
  }
  unsupported(evaluator, "assignment target", target);
}

export function evaluateBinary(evaluator: Evaluator, e: Extract<Expr, { kind: "Binary" }>, frame: Frame): Value {
  if (e.op === "&&") {
    if (!truthy(evaluator, evaluate(evaluator, e.left, frame), e)) return false;
    return truthy(evaluator, evaluate(evaluator, e.right, frame), e);
  }
  if (e.op === "||") {
    if (truthy(evaluator, evaluate(evaluator, e.left, frame), e)) return true;
    return truthy(evaluator, evaluate(evaluator, e.right, frame), e);
  }
  if (e.op === "??") {
    const l = evaluate(evaluator, e.left, frame);
    return l !== null ? l : evaluate(evaluator, e.right, frame);
  }
  const l = evaluate(evaluator, e.left, frame);
  const r = evaluate(evaluator, e.right, frame);
  if (e.op === "+" && (l === null || r === null) && typeof l !== "string" && typeof r !== "string") {
    // A null String still concatenates ("null1"): the declared type decides, not the value.
    const isText = (t: ArgType) => t?.kind === "prim" && (t.name === "String" || t.name === "Id");
    if (isText(staticType(evaluator, e.left, frame)) || isText(staticType(evaluator, e.right, frame)))
      return str(evaluator, l) + str(evaluator, r);
  }
  return binaryOperation(evaluator, e.op, l, r, e);
}

export function binaryOperation(evaluator: Evaluator, op: string, l: Value, r: Value, loc: Loc): Value {
  switch (op) {
    case "==":
      return looseEquals(evaluator, l, r);
    case "!=":
    case "<>":
      return !looseEquals(evaluator, l, r);
    case "===":
      return exactEquals(evaluator, l, r);
    case "!==":
      return !exactEquals(evaluator, l, r);
    case "+":
      if (typeof l === "string" || typeof r === "string") return str(evaluator, l) + str(evaluator, r);
      if (l === null || r === null) nullPointer(evaluator);
      if (isNumber(l) && isNumber(r)) return arith(evaluator, op, l, r);
      return dateArith(evaluator, op, l, r, loc);
    case "-":
    case "*":
    case "/":
      if (l === null || r === null) nullPointer(evaluator);
      if (isNumber(l) && isNumber(r)) return arith(evaluator, op, l, r);
      return dateArith(evaluator, op, l, r, loc);
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
      else unsupported(evaluator, `comparison ${op} of ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
      return op === "<" ? c < 0 : op === ">" ? c > 0 : op === "<=" ? c <= 0 : c >= 0;
    }
    case "&":
    case "|":
    case "^":
      if (l === null || r === null) nullPointer(evaluator);
      if (typeof l === "boolean" && typeof r === "boolean") return op === "&" ? l && r : op === "|" ? l || r : l !== r;
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
      if (l === null || r === null) nullPointer(evaluator);
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
  unsupported(evaluator, `operator ${op} on ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
}

export function truthy(evaluator: Evaluator, v: Value, loc: Loc): boolean {
  if (v === null) nullPointer(evaluator);
  if (typeof v !== "boolean") unsupported(evaluator, `condition of type ${runtimeTypeName(v)}`, loc);
  return v;
}
