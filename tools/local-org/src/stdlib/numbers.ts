// Integer, Long, Decimal, Double, Boolean and Math.
import type { Loc } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import {
  ApexDecimal,
  ApexDouble,
  Dec,
  isNumber,
  toBigInt,
  toDec,
  toInt32,
  toJsNumber,
  toLong,
  type Value
} from "../runtime/values.js";
import type { Stdlib } from "./registry.js";

type Num = number | bigint | ApexDouble | ApexDecimal;

const ROUNDING: Record<string, Decimal.Rounding> = {
  UP: Dec.ROUND_UP,
  DOWN: Dec.ROUND_DOWN,
  CEILING: Dec.ROUND_CEIL,
  FLOOR: Dec.ROUND_FLOOR,
  HALF_UP: Dec.ROUND_HALF_UP,
  HALF_DOWN: Dec.ROUND_HALF_DOWN,
  HALF_EVEN: Dec.ROUND_HALF_EVEN
};
import type Decimal from "decimal.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { runtimeTypeName } from "../runtime/conversion.js";

export function numericCast(runtime: RuntimeContext, number: Num, target: string): Value {
  switch (target) {
    case "Integer":
      return typeof number === "number" ? number : toInt32(Number(BigInt.asIntN(32, toBigInt(number))));
    case "Long":
      return toLong(toBigInt(number));
    case "Decimal":
      return toDec(number);
    case "Double":
      return new ApexDouble(toJsNumber(number));
  }
  unsupported(runtime, `cast to ${target}`);
}

/** Number formatting with grouping, as Integer.format() and Decimal.format() do in the en_US locale. */
function group(intPart: string): string {
  const neg = intPart.startsWith("-");
  const digits = neg ? intPart.slice(1) : intPart;
  return (neg ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function installNumbers(lib: Stdlib) {
  const runtime = lib.runtime;
  const num = (value: Value, loc: Loc): Num => {
    if (value === null) nullPointer(runtime);
    if (!isNumber(value)) unsupported(runtime, `numeric argument of type ${runtimeTypeName(value)}`, loc);
    return value;
  };
  const parseInteger = (text: string, kind: "integer" | "long"): number | bigint => {
    const t = text;
    if (!/^[+-]?\d+$/.test(t)) throwApex(runtime, "TypeException", `Invalid ${kind}: ${text}`);
    const b = BigInt(t);
    if (kind === "integer") {
      if (b > 2147483647n || b < -2147483648n) throwApex(runtime, "TypeException", `Invalid integer: ${text}`);
      return Number(b);
    }
    if (b > 9223372036854775807n || b < -9223372036854775808n)
      throwApex(runtime, "TypeException", `Invalid long: ${text}`);
    return b;
  };
  const parseDecimal = (text: string): ApexDecimal => {
    const t = text.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
      throwApex(runtime, "TypeException", `Invalid decimal: ${text}`);
    return ApexDecimal.parse(t);
  };

  lib.static_("Integer", {
    valueOf: (args: Value[], loc: Loc) => {
      const value = args[0];
      if (value === null) return null;
      if (typeof value === "string") return parseInteger(value, "integer");
      return numericCast(runtime, num(value, loc), "Integer");
    }
  });
  lib.staticProp("Integer", { MAX_VALUE: () => 2147483647, MIN_VALUE: () => -2147483648 });
  lib.static_("Long", {
    valueOf: (args: Value[], loc: Loc) => {
      const value = args[0];
      if (value === null) return null;
      if (typeof value === "string") return parseInteger(value, "long");
      return numericCast(runtime, num(value, loc), "Long");
    }
  });
  lib.static_("Decimal", {
    valueOf: (args: Value[], loc: Loc) => {
      const value = args[0];
      if (value === null) return null;
      if (typeof value === "string") return parseDecimal(value);
      return toDec(num(value, loc));
    }
  });
  lib.static_("Double", {
    valueOf: (args: Value[], loc: Loc) => {
      const value = args[0];
      if (value === null) return null;
      if (typeof value === "string") {
        const t = value.trim();
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
          throwApex(runtime, "TypeException", `Invalid double: ${value}`);
        return new ApexDouble(Number(t));
      }
      return new ApexDouble(toJsNumber(num(value, loc)));
    }
  });
  lib.static_("Boolean", {
    valueOf: (args: Value[]) => {
      const value = args[0];
      if (typeof value === "boolean") return value;
      if (typeof value === "string") return value.toLowerCase() === "true";
      return value === null ? null : false;
    }
  });

  const common = {
    intValue: (x: Num) => numericCast(runtime, x, "Integer"),
    longValue: (x: Num) => numericCast(runtime, x, "Long"),
    doubleValue: (x: Num) => numericCast(runtime, x, "Double"),
    decimalValue: (x: Num) => toDec(x)
  };
  lib.instance<number>("integer", { ...common, format: (x) => group(String(x)) });
  lib.instance<bigint>("long", { ...common, format: (long) => group(long.toString()) });
  lib.instance<ApexDouble>("double", {
    ...common,
    format: (double) => {
      const decimal = new Dec(double.v).toDecimalPlaces(3, Dec.ROUND_HALF_EVEN);
      const [i, f] = decimal.toFixed().split(".");
      return group(i) + (f ? "." + f : "");
    },
    round: (double) => BigInt(Math.round(double.v))
  });
  const mode = (value: Value, dflt: string) => ROUNDING[lib.enumName(value) ?? dflt] ?? ROUNDING[dflt];
  // Rounds to sc places; UNNECESSARY fails when the value would change, as in Java.
  const roundTo = (decimal: Decimal, scale: number, m: Value | undefined): Decimal => {
    if (lib.enumName(m ?? null) === "UNNECESSARY") {
      const r = decimal.toDecimalPlaces(scale, Dec.ROUND_DOWN);
      if (!r.eq(decimal)) throwApex(runtime, "MathException", "Rounding necessary");
      return r;
    }
    return decimal.toDecimalPlaces(scale, mode(m ?? null, "HALF_EVEN"));
  };
  lib.instance<ApexDecimal>("decimal", {
    ...common,
    scale: (decimal) => decimal.scale,
    precision: (decimal) => {
      const digits = decimal.d.abs().toFixed(decimal.scale).replace(".", "").replace(/^0+/, "");
      return Math.max(1, digits.length);
    },
    setScale: (decimal, args) => {
      const scale = Number(args[0]);
      return new ApexDecimal(roundTo(decimal.d, scale, args[1]), scale);
    },
    round: (decimal, args) => BigInt(roundTo(decimal.d, 0, args[0]).toFixed(0)),
    abs: (decimal) => new ApexDecimal(decimal.d.abs(), decimal.scale),
    divide: (decimal, args, loc) => {
      const divisor = toDec(num(args[0], loc));
      if (divisor.d.isZero()) throwApex(runtime, "MathException", "Divide by 0");
      const scale = Number(args[1]);
      return new ApexDecimal(roundTo(decimal.d.div(divisor.d), scale, args[2]), scale);
    },
    pow: (decimal, args, loc) => {
      const n = Number(args[0]);
      // Decimal.pow takes 0 to 32,767 (only Math.pow accepts negative exponents); outside that
      // range the platform fails in a way not modelled here.
      if (!Number.isInteger(n) || n < 0 || n > 32767)
        unsupported(runtime, `Decimal.pow with exponent ${String(args[0])}`, loc);
      return new ApexDecimal(decimal.d.pow(n), decimal.scale * n);
    },
    stripTrailingZeros: (decimal) => new ApexDecimal(decimal.d, Math.max(0, decimal.d.decimalPlaces())),
    toPlainString: (decimal) => decimal.toPlainString(),
    format: (decimal) => {
      const [i, f] = decimal.d.toDecimalPlaces(Math.min(decimal.scale, 3), Dec.ROUND_HALF_EVEN).toFixed().split(".");
      return group(i) + (f ? "." + f : "");
    }
  });
  lib.instance<boolean>("boolean", {});

  const mathNum = (value: Value, loc: Loc) => num(value, loc);
  // Math.max and Math.min have an overload per numeric type; mixed arguments widen along
  // Integer, Long, Double, Decimal and the result has the wider type.
  const rank = (number: Num) =>
    typeof number === "number" ? 0 : typeof number === "bigint" ? 1 : number instanceof ApexDouble ? 2 : 3;
  const widen = (number: Num, r: number): Num =>
    rank(number) === r
      ? number
      : r === 1
        ? toBigInt(number)
        : r === 2
          ? new ApexDouble(toJsNumber(number))
          : toDec(number);
  const widenPair = (x: Num, y: Num): [Num, Num] => {
    const r = Math.max(rank(x), rank(y));
    return [widen(x, r), widen(y, r)];
  };
  const wholeOf = (number: Num): bigint =>
    number instanceof ApexDecimal
      ? BigInt(number.d.toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).toFixed(0))
      : BigInt(Math.round(toJsNumber(number)));
  lib.staticProp("Math", { PI: () => new ApexDouble(Math.PI), E: () => new ApexDouble(Math.E) });
  lib.static_("Math", {
    abs: (args, loc) => {
      const number = mathNum(args[0], loc);
      if (typeof number === "number") return Math.abs(number) | 0;
      if (typeof number === "bigint") return number < 0n ? -number : number;
      if (number instanceof ApexDouble) return new ApexDouble(Math.abs(number.v));
      return new ApexDecimal(number.d.abs(), number.scale);
    },
    max: (args, loc) => {
      const [x, y] = widenPair(mathNum(args[0], loc), mathNum(args[1], loc));
      return toDec(x).d.gte(toDec(y).d) ? x : y;
    },
    min: (args, loc) => {
      const [x, y] = widenPair(mathNum(args[0], loc), mathNum(args[1], loc));
      return toDec(x).d.lte(toDec(y).d) ? x : y;
    },
    mod: (args, loc) => {
      const x = mathNum(args[0], loc);
      const y = mathNum(args[1], loc);
      if (typeof x === "number" && typeof y === "number") {
        if (y === 0) throwApex(runtime, "MathException", "Divide by 0");
        return x % y;
      }
      return toLong(toBigInt(x) % toBigInt(y));
    },
    pow: (args, loc) => new ApexDouble(Math.pow(toJsNumber(mathNum(args[0], loc)), toJsNumber(mathNum(args[1], loc)))),
    sqrt: (args, loc) => new ApexDouble(Math.sqrt(toJsNumber(mathNum(args[0], loc)))),
    floor: (args, loc) => {
      const number = mathNum(args[0], loc);
      return number instanceof ApexDecimal
        ? new ApexDecimal(number.d.floor(), 0)
        : new ApexDouble(Math.floor(toJsNumber(number)));
    },
    ceil: (args, loc) => {
      const number = mathNum(args[0], loc);
      return number instanceof ApexDecimal
        ? new ApexDecimal(number.d.ceil(), 0)
        : new ApexDouble(Math.ceil(toJsNumber(number)));
    },
    // A Decimal rounds half-even; a Double rounds half up, as Java's Math.round does.
    round: (args, loc) => toInt32(Number(wholeOf(mathNum(args[0], loc)))),
    roundToLong: (args, loc) => wholeOf(mathNum(args[0], loc)),
    random: () => new ApexDouble(Math.random()),
    exp: (args, loc) => new ApexDouble(Math.exp(toJsNumber(mathNum(args[0], loc)))),
    log: (args, loc) => new ApexDouble(Math.log(toJsNumber(mathNum(args[0], loc)))),
    log10: (args, loc) => new ApexDouble(Math.log10(toJsNumber(mathNum(args[0], loc)))),
    signum: (args, loc) => new ApexDouble(Math.sign(toJsNumber(mathNum(args[0], loc))))
  });

  lib.systemEnum("System.RoundingMode", [...Object.keys(ROUNDING), "UNNECESSARY"]);
}
