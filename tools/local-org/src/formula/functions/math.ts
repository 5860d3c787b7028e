// Math functions on exact decimals: ROUND (half away from zero, negative digits allowed),
// MAX, MIN, ABS, CEILING (away from zero), FLOOR (towards zero), MOD. A blank argument
// makes the result blank.
import { Dec, type ApexDecimal } from "../../runtime/values.js";
import { evaluationError } from "../errors.js";
import { decimal } from "../values.js";
import { arity, integerArgument, numberArgument, type FormulaFunction } from "./arguments.js";

function extreme(kind: "max" | "min"): FormulaFunction {
  return (args, evaluation, name) => {
    arity(name, args, 1, Infinity);
    let best: ApexDecimal | null = null;
    for (const node of args) {
      const value = numberArgument(evaluation, node, name);
      if (value === null) return null;
      if (best === null || (kind === "max" ? value.d.gt(best.d) : value.d.lt(best.d))) best = value;
    }
    return best;
  };
}

function rounding(mode: typeof Dec.ROUND_UP | typeof Dec.ROUND_DOWN): FormulaFunction {
  return (args, evaluation, name) => {
    arity(name, args, 1);
    const value = numberArgument(evaluation, args[0], name);
    return value === null ? null : decimal(value.d.toDecimalPlaces(0, mode));
  };
}

export const MATH_FUNCTIONS: Record<string, FormulaFunction> = {
  ROUND: (args, evaluation, name) => {
    arity(name, args, 2);
    const value = numberArgument(evaluation, args[0], name);
    const digits = integerArgument(evaluation, args[1], name);
    if (value === null || digits === null) return null;
    if (digits >= 0) return decimal(value.d.toDecimalPlaces(digits, Dec.ROUND_HALF_UP));
    const unit = new Dec(10).pow(-digits);
    return decimal(value.d.div(unit).toDecimalPlaces(0, Dec.ROUND_HALF_UP).mul(unit));
  },
  MAX: extreme("max"),
  MIN: extreme("min"),
  ABS: (args, evaluation, name) => {
    arity(name, args, 1);
    const value = numberArgument(evaluation, args[0], name);
    return value === null ? null : decimal(value.d.abs());
  },
  CEILING: rounding(Dec.ROUND_UP),
  FLOOR: rounding(Dec.ROUND_DOWN),
  MOD: (args, evaluation, name) => {
    arity(name, args, 2);
    const value = numberArgument(evaluation, args[0], name);
    const divisor = numberArgument(evaluation, args[1], name);
    if (value === null || divisor === null) return null;
    if (divisor.d.isZero()) evaluationError("Division by zero");
    return decimal(value.d.mod(divisor.d));
  }
};
