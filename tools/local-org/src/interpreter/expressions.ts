// Expressions: the evaluator switch, names, literals, `new`, assignments and operators.
import type { Expr, Loc, NewExpr } from "../parse/ast.js";
import * as conversionModule from "../runtime/conversion.js";
import { CompileError, throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import * as operatorsModule from "../runtime/operators.js";
import * as typesModule from "../runtime/types.js";
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
  type Value
} from "../runtime/values.js";
import * as valuesModule from "../runtime/values.js";
import * as collectionsModule from "../stdlib/collections.js";
import * as numbersModule from "../stdlib/numbers.js";
import * as datetimeModule from "../stdlib/datetime.js";
import type { ArgType, Evaluator, Frame } from "./evaluator.js";
import * as evaluatorModule from "./evaluator.js";
import * as typeResolutionModule from "./type-resolution.js";
import * as membersModule from "./members.js";
import * as classesModule from "./classes.js";
import { SHORT } from "./calls.js";
import * as callsModule from "./calls.js";

// Imported functions, bound once (see evaluator.ts).
const { coerce, isInstance, runtimeTypeName, collectionCastOk, collectionRuntimeName } = conversionModule;
const { arith, compareNum, exactEquals, looseEquals, negate, str } = operatorsModule;
const { typeName } = typesModule;
const { isNumber } = valuesModule;
const { collectionAdd, copyInto, listGet, listSet, mapPut } = collectionsModule;
const { numericCast } = numbersModule;
const { dateArith } = datetimeModule;
const { lookupLocal } = evaluatorModule;
const { lookupType, resolveType } = typeResolutionModule;
const { staticOwner, instanceField, readField, readStatic, writeField, writeStatic, fieldThroughInstance } =
  membersModule;
const { instantiate } = classesModule;
const { staticType, evaluateChain, shortCircuitToNull, evaluateField, getMember, evaluateCall } = callsModule;

// String <, >, <= and >= compare like ==: ignoring case, in the user's locale (en_US).
const STRING_ORDER = new Intl.Collator("en-US", { sensitivity: "accent" });

export function evaluate(evaluator: Evaluator, expression: Expr, frame: Frame): Value {
  switch (expression.kind) {
    case "Literal":
      return literalValue(expression);
    case "Name":
      return evaluateName(evaluator, expression.name, frame, expression);
    case "This":
      return frame.thisObject;
    case "Super":
      return frame.thisObject;
    case "Field":
      return shortCircuitToNull(evaluateField(evaluator, expression, frame));
    case "Call":
      return shortCircuitToNull(evaluateCall(evaluator, expression, frame));
    case "Index": {
      const t = evaluateChain(evaluator, expression.target, frame);
      if (t === SHORT) return null;
      const i = evaluate(evaluator, expression.index, frame);
      if (t === null) nullPointer(evaluator);
      if (t instanceof ApexList) return listGet(evaluator, t, i);
      unsupported(evaluator, `indexing a ${runtimeTypeName(t)}`, expression);
      break;
    }
    case "New":
      return evaluateNew(evaluator, expression, frame);
    case "Assign":
      return evaluateAssignment(evaluator, expression, frame);
    case "Binary":
      return evaluateBinary(evaluator, expression, frame);
    case "Unary": {
      const value = evaluate(evaluator, expression.operand, frame);
      if (expression.operator === "!") return !truthy(evaluator, value, expression);
      if (value === null) nullPointer(evaluator);
      if (expression.operator === "-" && isNumber(value)) return negate(value);
      if (expression.operator === "+" && isNumber(value)) return value;
      if (expression.operator === "~" && typeof value === "number") return ~value;
      if (expression.operator === "~" && typeof value === "bigint") return ~value;
      unsupported(evaluator, `unary ${expression.operator} on ${runtimeTypeName(value)}`, expression);
      break;
    }
    case "IncDec": {
      const local =
        expression.target.kind === "Name" ? lookupLocal(frame, expression.target.name.toLowerCase()) : undefined;
      if (local && typeof local.value === "number" && local.type.kind === "prim" && local.type.name === "Integer") {
        const old = local.value;
        local.value = (old + (expression.operator === "++" ? 1 : -1)) | 0;
        return expression.prefix ? local.value : old;
      }
      const target = assignmentTarget(evaluator, expression.target, frame);
      const old = target.get();
      if (old === null) nullPointer(evaluator);
      if (!isNumber(old)) unsupported(evaluator, `${expression.operator} on ${runtimeTypeName(old)}`, expression);
      const updated = target.set(arith(evaluator, expression.operator === "++" ? "+" : "-", old, 1));
      return expression.prefix ? updated : old;
    }
    case "Cond":
      return truthy(evaluator, evaluate(evaluator, expression.condition, frame), expression)
        ? evaluate(evaluator, expression.then, frame)
        : evaluate(evaluator, expression.else, frame);
    case "Cast": {
      const value = evaluate(evaluator, expression.expression, frame);
      const type = resolveType(evaluator, expression.type, frame.cls, expression);
      if (value === null) return null;
      // Numeric casts convert between number types; everything else is a checked cast.
      if (type.kind === "prim" && isNumber(value) && ["Integer", "Long", "Decimal", "Double"].includes(type.name)) {
        return numericCast(evaluator, value, type.name);
      }
      if (type.kind === "prim" && type.name === "Id" && typeof value === "string")
        return coerce(evaluator, value, type);
      if (type.kind === "list" || type.kind === "set" || type.kind === "map") {
        if (!isInstance(value, type) || !collectionCastOk(value, type)) {
          throwApex(
            evaluator,
            "TypeException",
            `Invalid conversion from runtime type ${collectionRuntimeName(value)} to ${typeName(type)}`
          );
        }
        return value;
      }
      if (!isInstance(value, type)) {
        throwApex(
          evaluator,
          "TypeException",
          `Invalid conversion from runtime type ${runtimeTypeName(value)} to ${typeName(type)}`
        );
      }
      return value;
    }
    case "InstanceOf": {
      const value = evaluate(evaluator, expression.expression, frame);
      const type = resolveType(evaluator, expression.type, frame.cls, expression);
      // A collection is an instance of its own element type or a wider one, as a cast allows.
      return isInstance(value, type) && collectionCastOk(value, type);
    }
    case "Soql":
      return evaluator.data.query(expression.query, (expression) => evaluate(evaluator, expression, frame), expression);
    case "ClassLiteral":
      return new TypeValue(resolveType(evaluator, expression.type, frame.cls, expression), true);
    case "Unsupported":
      unsupported(evaluator, expression.feature, expression);
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
  if (local) return local.value;
  if (frame.thisObject) {
    const declared = instanceField(frame.thisObject, key);
    if (declared) return readField(evaluator, frame.thisObject, declared.cls, declared.field, frame);
  }
  const owner = staticOwner(frame.cls, key);
  if (owner) return readStatic(evaluator, owner, key, frame);
  return typeOrNamespace(evaluator, [key], frame, loc);
}

export function typeOrNamespace(evaluator: Evaluator, names: string[], frame: Frame, loc: Loc): Value {
  const type = lookupType(evaluator, names, frame.cls);
  if (type) return new TypeValue(type);
  if (names.length === 1 && evaluator.stdlib.isNamespace(names[0])) return new NamespaceValue(names[0]);
  unsupported(evaluator, `variable or type '${names.join(".")}'`, loc);
}

export function evaluateNew(evaluator: Evaluator, e: NewExpr, frame: Frame): Value {
  const type = resolveType(evaluator, e.type, frame.cls, e);
  if (type.kind === "list") {
    const list = new ApexList(type.elem);
    if (e.items)
      for (const expression of e.items)
        list.items.push(coerce(evaluator, evaluate(evaluator, expression, frame), type.elem));
    if (e.size) {
      const n = evaluate(evaluator, e.size, frame);
      if (typeof n !== "number") nullPointer(evaluator);
      for (let i = 0; i < n; i++) list.items.push(null);
    }
    if (e.args && e.args.length > 0) {
      const source = evaluate(evaluator, e.args[0], frame);
      copyInto(evaluator, list, source, e);
    }
    return list;
  }
  if (type.kind === "set") {
    const set = new ApexSet(type.elem);
    if (e.items)
      for (const expression of e.items)
        collectionAdd(evaluator, set, coerce(evaluator, evaluate(evaluator, expression, frame), type.elem));
    if (e.args && e.args.length > 0) copyInto(evaluator, set, evaluate(evaluator, e.args[0], frame), e);
    return set;
  }
  if (type.kind === "map") {
    const map = new ApexMap(type.key, type.value);
    if (e.pairs)
      for (const [k, v] of e.pairs)
        mapPut(
          evaluator,
          map,
          coerce(evaluator, evaluate(evaluator, k, frame), type.key),
          coerce(evaluator, evaluate(evaluator, v, frame), type.value)
        );
    if (e.args && e.args.length > 0) copyInto(evaluator, map, evaluate(evaluator, e.args[0], frame), e);
    return map;
  }
  if (type.kind === "sobject") {
    if (!type.obj) unsupported(evaluator, "new SObject()", e);
    const record = evaluator.data.newRecord(type.obj);
    for (const argument of e.args ?? []) {
      if (argument.kind !== "Assign" || argument.target.kind !== "Name" || argument.operator !== "=")
        unsupported(evaluator, "SObject constructor arguments other than Field = value", e);
      evaluator.data.setField(record, argument.target.name, evaluate(evaluator, argument.value, frame), e);
    }
    return record;
  }
  if (type.kind === "class") {
    if (e.items || e.pairs) unsupported(evaluator, `initialiser list for ${type.cls.name}`, e);
    // The base Exception class cannot be constructed; code throws a system or custom subclass.
    if (!type.cls.decl && !type.cls.parent && type.cls.isException)
      throw new CompileError("Type cannot be constructed: Exception", e);
    const args = (e.args ?? []).map((argument) => evaluate(evaluator, argument, frame));
    return instantiate(
      evaluator,
      type.cls,
      args,
      e,
      (e.args ?? []).map((argument) => staticType(evaluator, argument, frame))
    );
  }
  if (type.kind === "native") {
    const args = (e.args ?? []).map((argument) => evaluate(evaluator, argument, frame));
    return evaluator.stdlib.construct(type.name, args, e);
  }
  if (type.kind === "prim" && type.name === "Object") return unsupported(evaluator, "new Object()", e);
  unsupported(evaluator, `new ${typeName(type)}`, e);
}

export function evaluateAssignment(evaluator: Evaluator, e: Extract<Expr, { kind: "Assign" }>, frame: Frame): Value {
  if (e.target.kind === "Name") {
    // Fast path for local variables, the most common target.
    const local = lookupLocal(frame, e.target.name.toLowerCase());
    if (local) {
      const value =
        e.operator === "="
          ? evaluate(evaluator, e.value, frame)
          : binaryOperation(evaluator, e.operator.slice(0, -1), local.value, evaluate(evaluator, e.value, frame), e);
      return (local.value = coerce(evaluator, value, local.type));
    }
  }
  const target = assignmentTarget(evaluator, e.target, frame);
  if (e.operator === "=") return target.set(evaluate(evaluator, e.value, frame));
  const current = target.get();
  const rhs = evaluate(evaluator, e.value, frame);
  return target.set(binaryOperation(evaluator, e.operator.slice(0, -1), current, rhs, e));
}

/** An assignable place; its object and index are evaluated once, as `x[i++] += 1` needs. */
export function assignmentTarget(
  evaluator: Evaluator,
  target: Expr,
  frame: Frame
): { get(): Value; set(value: Value): Value } {
  if (target.kind === "Name") {
    const key = target.name.toLowerCase();
    const get = () => evaluateName(evaluator, target.name, frame, target);
    const local = lookupLocal(frame, key);
    if (local) {
      return { get, set: (value) => (local.value = coerce(evaluator, value, local.type)) };
    }
    const thisObject = frame.thisObject;
    const declared = thisObject ? instanceField(thisObject, key) : null;
    if (thisObject && declared) {
      return {
        get,
        set: (value) => {
          writeField(evaluator, thisObject, declared.cls, declared.field, value, frame);
          return thisObject.fields.get(key) ?? value;
        }
      };
    }
    const owner = staticOwner(frame.cls, key);
    if (owner) {
      return {
        get,
        set: (value) => {
          writeStatic(evaluator, owner, key, value, frame);
          return owner.statics!.get(key) ?? value;
        }
      };
    }
    unsupported(evaluator, `assignment to unknown variable '${target.name}'`, target);
  }
  if (target.kind === "Field") {
    const obj = target.target.kind === "Super" ? frame.thisObject : evaluate(evaluator, target.target, frame);
    const key = target.name.toLowerCase();
    if (obj === null) nullPointer(evaluator);
    const get = () => getMember(evaluator, obj, target.name, false, target, frame);
    if (obj instanceof ApexObject) {
      const declared = instanceField(obj, key);
      if (!declared) unsupported(evaluator, fieldThroughInstance(obj, key, target.name), target);
      return {
        get,
        set: (value) => {
          writeField(evaluator, obj, declared.cls, declared.field, value, frame);
          return obj.fields.get(key) ?? value;
        }
      };
    }
    if (obj instanceof SObjectValue)
      return { get, set: (value) => evaluator.data.setField(obj, target.name, value, target) };
    if (obj instanceof TypeValue && obj.type.kind === "class") {
      const owner = staticOwner(obj.type.cls, key);
      if (owner) {
        return {
          get,
          set: (value) => {
            writeStatic(evaluator, owner, key, value, frame);
            return owner.statics!.get(key) ?? value;
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
    if (l instanceof ApexList)
      return { get: () => listGet(evaluator, l, i), set: (value) => listSet(evaluator, l, i, value) };
    unsupported(evaluator, `index assignment on ${runtimeTypeName(l)}`, target);
  }
  unsupported(evaluator, "assignment target", target);
}

export function evaluateBinary(evaluator: Evaluator, e: Extract<Expr, { kind: "Binary" }>, frame: Frame): Value {
  if (e.operator === "&&") {
    if (!truthy(evaluator, evaluate(evaluator, e.left, frame), e)) return false;
    return truthy(evaluator, evaluate(evaluator, e.right, frame), e);
  }
  if (e.operator === "||") {
    if (truthy(evaluator, evaluate(evaluator, e.left, frame), e)) return true;
    return truthy(evaluator, evaluate(evaluator, e.right, frame), e);
  }
  if (e.operator === "??") {
    const l = evaluate(evaluator, e.left, frame);
    return l !== null ? l : evaluate(evaluator, e.right, frame);
  }
  const l = evaluate(evaluator, e.left, frame);
  const r = evaluate(evaluator, e.right, frame);
  if (e.operator === "+" && (l === null || r === null) && typeof l !== "string" && typeof r !== "string") {
    // A null String still concatenates ("null1"): the declared type decides, not the value.
    const isText = (t: ArgType) => t?.kind === "prim" && (t.name === "String" || t.name === "Id");
    if (isText(staticType(evaluator, e.left, frame)) || isText(staticType(evaluator, e.right, frame)))
      return str(evaluator, l) + str(evaluator, r);
  }
  return binaryOperation(evaluator, e.operator, l, r, e);
}

export function binaryOperation(evaluator: Evaluator, operator: string, l: Value, r: Value, loc: Loc): Value {
  switch (operator) {
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
      if (isNumber(l) && isNumber(r)) return arith(evaluator, operator, l, r);
      return dateArith(evaluator, operator, l, r, loc);
    case "-":
    case "*":
    case "/":
      if (l === null || r === null) nullPointer(evaluator);
      if (isNumber(l) && isNumber(r)) return arith(evaluator, operator, l, r);
      return dateArith(evaluator, operator, l, r, loc);
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
      else unsupported(evaluator, `comparison ${operator} of ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
      return operator === "<" ? c < 0 : operator === ">" ? c > 0 : operator === "<=" ? c <= 0 : c >= 0;
    }
    case "&":
    case "|":
    case "^":
      if (l === null || r === null) nullPointer(evaluator);
      if (typeof l === "boolean" && typeof r === "boolean")
        return operator === "&" ? l && r : operator === "|" ? l || r : l !== r;
      if (typeof l === "number" && typeof r === "number")
        return operator === "&" ? l & r : operator === "|" ? l | r : l ^ r;
      if (typeof l === "bigint" || typeof r === "bigint") {
        const a = BigInt(l as number | bigint);
        const b = BigInt(r as number | bigint);
        return BigInt.asIntN(64, operator === "&" ? a & b : operator === "|" ? a | b : a ^ b);
      }
      break;
    case "<<":
    case ">>":
    case ">>>":
      if (l === null || r === null) nullPointer(evaluator);
      if (typeof l === "number" && typeof r === "number")
        return operator === "<<" ? l << r : operator === ">>" ? l >> r : (l >>> r) | 0;
      if (typeof l === "bigint") {
        const s = BigInt(Number(r) & 63);
        if (operator === "<<") return BigInt.asIntN(64, l << s);
        if (operator === ">>") return l >> s;
        return BigInt.asIntN(64, BigInt.asUintN(64, l) >> s);
      }
      break;
  }
  unsupported(evaluator, `operator ${operator} on ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
}

export function truthy(evaluator: Evaluator, value: Value, loc: Loc): boolean {
  if (value === null) nullPointer(evaluator);
  if (typeof value !== "boolean") unsupported(evaluator, `condition of type ${runtimeTypeName(value)}`, loc);
  return value;
}
