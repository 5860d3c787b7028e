// Evaluates a formula tree with the platform's semantics: Number, Currency and Percent are
// exact decimals; blank (null) numbers and dates make arithmetic blank; text treats blank as
// the empty string; `=` on text is case-sensitive; a wrong type or a division by zero fails the
// formula as `#Error!` does.
import { ApexDate, ApexDatetime, ApexDecimal, ApexTime, Dec } from "../runtime/values.js";
import type { FormulaNode } from "./syntax.js";
import type { FormulaContext, FormulaEvaluation } from "./evaluation.js";
import { evaluationError, unsupportedFormulaFeature } from "./errors.js";
import { decimal, number, toFormulaValue, typeOf, type FormulaType, type FormulaValue } from "./values.js";
import { FUNCTIONS } from "./functions/index.js";

const DAY_MS = 86400000;

/** One evaluation of one formula: the context and the typed argument readers functions use. */
class Evaluation implements FormulaEvaluation {
  constructor(readonly context: FormulaContext) {}

  evaluate(node: FormulaNode): FormulaValue {
    switch (node.kind) {
      case "literal":
        return node.value;
      case "number":
        return number(node.text);
      case "reference":
        return toFormulaValue(this.context.resolve(node.path), node.path);
      case "call": {
        const fn = FUNCTIONS.get(node.name);
        if (!fn) unsupportedFormulaFeature(`formula function ${node.name}`);
        return fn(node.args, this, node.name);
      }
      case "unary": {
        const operand = this.evaluate(node.operand);
        if (node.operator === "!") return !this.asCheckbox(operand, "operator '!'");
        if (operand === null) return null;
        const n = this.expect(operand, "Number", `operator '${node.operator}'`) as ApexDecimal;
        return node.operator === "-" ? decimal(n.d.neg()) : n;
      }
      case "binary":
        return this.binary(node.operator, node.left, node.right);
    }
  }

  private binary(operator: string, leftNode: FormulaNode, rightNode: FormulaNode): FormulaValue {
    if (operator === "&&" || operator === "||") {
      const where = `operator '${operator}'`;
      const left = this.asCheckbox(this.evaluate(leftNode), where);
      if (operator === "&&" ? !left : left) return left;
      return this.asCheckbox(this.evaluate(rightNode), where);
    }
    const left = this.evaluate(leftNode);
    const right = this.evaluate(rightNode);
    switch (operator) {
      case "&":
        return this.textOperand(left, "&") + this.textOperand(right, "&");
      case "+":
      case "-":
        return this.addOrSubtract(operator, left, right);
      case "*":
      case "/":
      case "^":
        return this.multiply(operator, left, right);
      case "=":
        return this.equals(left, right);
      case "<>":
        return !this.equals(left, right);
      default:
        return this.compare(operator, left, right);
    }
  }

  private textOperand(value: FormulaValue, operator: string): string {
    if (value === null) return "";
    return this.expect(value, "Text", `operator '${operator}'`) as string;
  }

  private addOrSubtract(operator: "+" | "-", left: FormulaValue, right: FormulaValue): FormulaValue {
    const leftType = typeOf(left);
    const rightType = typeOf(right);
    if (operator === "+" && (leftType === "Text" || rightType === "Text")) {
      return this.textOperand(left, "+") + this.textOperand(right, "+");
    }
    if (left === null || right === null) return null;
    if (left instanceof ApexDecimal && right instanceof ApexDecimal) {
      const d = operator === "+" ? left.d.add(right.d) : left.d.sub(right.d);
      return new ApexDecimal(d, Math.max(left.scale, right.scale));
    }
    if (left instanceof ApexDate && right instanceof ApexDecimal)
      return addDays(left, operator === "+" ? right.d : right.d.neg());
    if (operator === "+" && left instanceof ApexDecimal && right instanceof ApexDate) return addDays(right, left.d);
    if (left instanceof ApexDatetime && right instanceof ApexDecimal) {
      const ms = right.d.mul(DAY_MS).round().toNumber();
      return new ApexDatetime(left.ms + (operator === "+" ? ms : -ms));
    }
    if (operator === "+" && left instanceof ApexDecimal && right instanceof ApexDatetime)
      return new ApexDatetime(right.ms + left.d.mul(DAY_MS).round().toNumber());
    if (left instanceof ApexTime && right instanceof ApexDecimal) {
      const ms = right.d.round().toNumber() * (operator === "+" ? 1 : -1);
      return new ApexTime((((left.ms + ms) % DAY_MS) + DAY_MS) % DAY_MS);
    }
    if (operator === "-" && left instanceof ApexDate && right instanceof ApexDate)
      return decimal(new Dec(left.ms - right.ms).div(DAY_MS));
    if (operator === "-" && left instanceof ApexDatetime && right instanceof ApexDatetime)
      return decimal(new Dec(left.ms - right.ms).div(DAY_MS).toSignificantDigits(34));
    if (operator === "-" && left instanceof ApexTime && right instanceof ApexTime) return number(left.ms - right.ms);
    return evaluationError(
      `Incorrect parameter type for operator '${operator}'. Expected Number, Date or Date/Time, received ${
        leftType === "Number" ? rightType : leftType
      }`
    );
  }

  private multiply(operator: "*" | "/" | "^", left: FormulaValue, right: FormulaValue): FormulaValue {
    if (left === null || right === null) {
      if (left !== null) this.expect(left, "Number", `operator '${operator}'`);
      if (right !== null) this.expect(right, "Number", `operator '${operator}'`);
      return null;
    }
    const a = (this.expect(left, "Number", `operator '${operator}'`) as ApexDecimal).d;
    const b = (this.expect(right, "Number", `operator '${operator}'`) as ApexDecimal).d;
    if (operator === "*") return decimal(a.mul(b));
    if (operator === "/") {
      if (b.isZero()) evaluationError("Division by zero");
      return decimal(a.div(b).toSignificantDigits(34));
    }
    if (b.isInteger()) {
      if (a.isZero() && b.isNegative()) evaluationError("Division by zero");
      return decimal(a.pow(b).toSignificantDigits(34));
    }
    const result = Math.pow(a.toNumber(), b.toNumber());
    if (!Number.isFinite(result)) evaluationError(`${a.toString()} ^ ${b.toString()} has no value`);
    return number(result);
  }

  /** `=` and `<>`: blank equals blank, blank text equals "", text is compared case-sensitively. */
  equals(left: FormulaValue, right: FormulaValue): boolean {
    if (left === null && right === null) return true;
    if (typeof left === "string" || typeof right === "string") {
      if (left !== null && typeof left !== "string") this.mismatch("=", "Text", typeOf(left));
      if (right !== null && typeof right !== "string") this.mismatch("=", "Text", typeOf(right));
      return (left ?? "") === (right ?? "");
    }
    if (left === null || right === null) return false;
    if (typeOf(left) !== typeOf(right)) this.mismatch("=", typeOf(left), typeOf(right));
    if (left instanceof ApexDecimal) return left.d.eq((right as ApexDecimal).d);
    if (left instanceof ApexDate || left instanceof ApexDatetime || left instanceof ApexTime)
      return left.ms === (right as ApexDate).ms;
    return left === right;
  }

  private compare(operator: string, left: FormulaValue, right: FormulaValue): boolean {
    if (left === null || right === null) return false;
    if (typeOf(left) !== typeOf(right)) this.mismatch(operator, typeOf(left), typeOf(right));
    let order: number;
    if (left instanceof ApexDecimal) order = left.d.cmp((right as ApexDecimal).d);
    else if (typeof left === "string") order = left < (right as string) ? -1 : left > (right as string) ? 1 : 0;
    else if (typeof left === "boolean") order = Number(left) - Number(right as boolean);
    else order = Math.sign(left.ms - (right as ApexDate).ms);
    switch (operator) {
      case "<":
        return order < 0;
      case ">":
        return order > 0;
      case "<=":
        return order <= 0;
      default:
        return order >= 0;
    }
  }

  private mismatch(operator: string, expected: FormulaType, received: FormulaType): never {
    return evaluationError(
      `Incorrect parameter type for operator '${operator}'. Expected ${expected}, received ${received}`
    );
  }

  /** A condition: blank counts as false. `where` names the function or operator for errors. */
  asCheckbox(value: FormulaValue, where: string): boolean {
    if (value === null) return false;
    return this.expect(value, "Checkbox", where) as boolean;
  }

  /** Fails with the platform's message when a value is not of the expected type. */
  expect(value: FormulaValue, type: FormulaType, where: string): FormulaValue {
    const actual = typeOf(value);
    if (actual === type || actual === "Null") return value;
    return evaluationError(`Incorrect parameter type for ${where}. Expected ${type}, received ${actual}`);
  }
}

function addDays(date: ApexDate, days: InstanceType<typeof Dec>): ApexDate {
  return ApexDate.fromMs(date.ms + days.trunc().toNumber() * DAY_MS);
}

/** Evaluates a formula tree in a context. */
export function evaluateFormula(tree: FormulaNode, context: FormulaContext): FormulaValue {
  return new Evaluation(context).evaluate(tree);
}
