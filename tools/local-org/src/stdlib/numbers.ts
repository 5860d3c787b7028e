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

export function numericCast(rt: RuntimeContext, v: Num, target: string): Value {
  switch (target) {
    case "Integer":
      return typeof v === "number" ? v : toInt32(Number(BigInt.asIntN(32, toBigInt(v))));
    case "Long":
      return toLong(toBigInt(v));
    case "Decimal":
      return toDec(v);
    case "Double":
      return new ApexDouble(toJsNumber(v));
  }
  unsupported(rt, `cast to ${target}`);
}

/** Number formatting with grouping, as Integer.format() and Decimal.format() do in the en_US locale. */
function group(intPart: string): string {
  const neg = intPart.startsWith("-");
  const digits = neg ? intPart.slice(1) : intPart;
  return (neg ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function installNumbers(lib: Stdlib) {
  const rt = lib.runtime;
  const num = (v: Value, loc: Loc): Num => {
    if (v === null) nullPointer(rt);
    if (!isNumber(v)) unsupported(rt, `numeric argument of type ${runtimeTypeName(v)}`, loc);
    return v;
  };
  const parseInteger = (s: string, kind: "integer" | "long"): number | bigint => {
    const t = s;
    if (!/^[+-]?\d+$/.test(t)) throwApex(rt, "TypeException", `Invalid ${kind}: ${s}`);
    const b = BigInt(t);
    if (kind === "integer") {
      if (b > 2147483647n || b < -2147483648n) throwApex(rt, "TypeException", `Invalid integer: ${s}`);
      return Number(b);
    }
    if (b > 9223372036854775807n || b < -9223372036854775808n) throwApex(rt, "TypeException", `Invalid long: ${s}`);
    return b;
  };
  const parseDecimal = (s: string): ApexDecimal => {
    const t = s.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throwApex(rt, "TypeException", `Invalid decimal: ${s}`);
    return ApexDecimal.parse(t);
  };

  lib.static_("Integer", {
    valueOf: (a: Value[], l: Loc) => {
      const v = a[0];
      if (v === null) return null;
      if (typeof v === "string") return parseInteger(v, "integer");
      return numericCast(rt, num(v, l), "Integer");
    }
  });
  lib.staticProp("Integer", { MAX_VALUE: () => 2147483647, MIN_VALUE: () => -2147483648 });
  lib.static_("Long", {
    valueOf: (a: Value[], l: Loc) => {
      const v = a[0];
      if (v === null) return null;
      if (typeof v === "string") return parseInteger(v, "long");
      return numericCast(rt, num(v, l), "Long");
    }
  });
  lib.static_("Decimal", {
    valueOf: (a: Value[], l: Loc) => {
      const v = a[0];
      if (v === null) return null;
      if (typeof v === "string") return parseDecimal(v);
      return toDec(num(v, l));
    }
  });
  lib.static_("Double", {
    valueOf: (a: Value[], l: Loc) => {
      const v = a[0];
      if (v === null) return null;
      if (typeof v === "string") {
        const t = v.trim();
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throwApex(rt, "TypeException", `Invalid double: ${v}`);
        return new ApexDouble(Number(t));
      }
      return new ApexDouble(toJsNumber(num(v, l)));
    }
  });
  lib.static_("Boolean", {
    valueOf: (a: Value[]) => {
      const v = a[0];
      if (typeof v === "boolean") return v;
      if (typeof v === "string") return v.toLowerCase() === "true";
      return v === null ? null : false;
    }
  });

  const common = {
    intValue: (x: Num) => numericCast(rt, x, "Integer"),
    longValue: (x: Num) => numericCast(rt, x, "Long"),
    doubleValue: (x: Num) => numericCast(rt, x, "Double"),
    decimalValue: (x: Num) => toDec(x)
  };
  lib.instance<number>("integer", { ...common, format: (x) => group(String(x)) });
  lib.instance<bigint>("long", { ...common, format: (x) => group(x.toString()) });
  lib.instance<ApexDouble>("double", {
    ...common,
    format: (x) => {
      const d = new Dec(x.v).toDecimalPlaces(3, Dec.ROUND_HALF_EVEN);
      const [i, f] = d.toFixed().split(".");
      return group(i) + (f ? "." + f : "");
    },
    round: (x) => BigInt(Math.round(x.v))
  });
  const mode = (v: Value, dflt: string) => ROUNDING[lib.enumName(v) ?? dflt] ?? ROUNDING[dflt];
  // Rounds to sc places; UNNECESSARY fails when the value would change, as in Java.
  const roundTo = (d: Decimal, sc: number, m: Value | undefined): Decimal => {
    if (lib.enumName(m ?? null) === "UNNECESSARY") {
      const r = d.toDecimalPlaces(sc, Dec.ROUND_DOWN);
      if (!r.eq(d)) throwApex(rt, "MathException", "Rounding necessary");
      return r;
    }
    return d.toDecimalPlaces(sc, mode(m ?? null, "HALF_EVEN"));
  };
  lib.instance<ApexDecimal>("decimal", {
    ...common,
    scale: (x) => x.scale,
    precision: (x) => {
      const digits = x.d.abs().toFixed(x.scale).replace(".", "").replace(/^0+/, "");
      return Math.max(1, digits.length);
    },
    setScale: (x, a) => {
      const sc = Number(a[0]);
      return new ApexDecimal(roundTo(x.d, sc, a[1]), sc);
    },
    round: (x, a) => BigInt(roundTo(x.d, 0, a[0]).toFixed(0)),
    abs: (x) => new ApexDecimal(x.d.abs(), x.scale),
    divide: (x, a, l) => {
      const divisor = toDec(num(a[0], l));
      if (divisor.d.isZero()) throwApex(rt, "MathException", "Divide by 0");
      const sc = Number(a[1]);
      return new ApexDecimal(roundTo(x.d.div(divisor.d), sc, a[2]), sc);
    },
    pow: (x, a, l) => {
      const n = Number(a[0]);
      // Decimal.pow takes 0 to 32,767 (only Math.pow accepts negative exponents); outside that
      // range the platform fails in a way not modelled here.
      if (!Number.isInteger(n) || n < 0 || n > 32767) unsupported(rt, `Decimal.pow with exponent ${String(a[0])}`, l);
      return new ApexDecimal(x.d.pow(n), x.scale * n);
    },
    stripTrailingZeros: (x) => new ApexDecimal(x.d, Math.max(0, x.d.decimalPlaces())),
    toPlainString: (x) => x.toPlainString(),
    format: (x) => {
      const [i, f] = x.d.toDecimalPlaces(Math.min(x.scale, 3), Dec.ROUND_HALF_EVEN).toFixed().split(".");
      return group(i) + (f ? "." + f : "");
    }
  });
  lib.instance<boolean>("boolean", {});

  const mathNum = (v: Value, l: Loc) => num(v, l);
  // Math.max and Math.min have an overload per numeric type; mixed arguments widen along
  // Integer, Long, Double, Decimal and the result has the wider type.
  const rank = (v: Num) => (typeof v === "number" ? 0 : typeof v === "bigint" ? 1 : v instanceof ApexDouble ? 2 : 3);
  const widen = (v: Num, r: number): Num =>
    rank(v) === r ? v : r === 1 ? toBigInt(v) : r === 2 ? new ApexDouble(toJsNumber(v)) : toDec(v);
  const widenPair = (x: Num, y: Num): [Num, Num] => {
    const r = Math.max(rank(x), rank(y));
    return [widen(x, r), widen(y, r)];
  };
  const wholeOf = (v: Num): bigint =>
    v instanceof ApexDecimal
      ? BigInt(v.d.toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).toFixed(0))
      : BigInt(Math.round(toJsNumber(v)));
  lib.staticProp("Math", { PI: () => new ApexDouble(Math.PI), E: () => new ApexDouble(Math.E) });
  lib.static_("Math", {
    abs: (a, l) => {
      const v = mathNum(a[0], l);
      if (typeof v === "number") return Math.abs(v) | 0;
      if (typeof v === "bigint") return v < 0n ? -v : v;
      if (v instanceof ApexDouble) return new ApexDouble(Math.abs(v.v));
      return new ApexDecimal(v.d.abs(), v.scale);
    },
    max: (a, l) => {
      const [x, y] = widenPair(mathNum(a[0], l), mathNum(a[1], l));
      return toDec(x).d.gte(toDec(y).d) ? x : y;
    },
    min: (a, l) => {
      const [x, y] = widenPair(mathNum(a[0], l), mathNum(a[1], l));
      return toDec(x).d.lte(toDec(y).d) ? x : y;
    },
    mod: (a, l) => {
      const x = mathNum(a[0], l);
      const y = mathNum(a[1], l);
      if (typeof x === "number" && typeof y === "number") {
        if (y === 0) throwApex(rt, "MathException", "Divide by 0");
        return x % y;
      }
      return toLong(toBigInt(x) % toBigInt(y));
    },
    pow: (a, l) => new ApexDouble(Math.pow(toJsNumber(mathNum(a[0], l)), toJsNumber(mathNum(a[1], l)))),
    sqrt: (a, l) => new ApexDouble(Math.sqrt(toJsNumber(mathNum(a[0], l)))),
    floor: (a, l) => {
      const v = mathNum(a[0], l);
      return v instanceof ApexDecimal ? new ApexDecimal(v.d.floor(), 0) : new ApexDouble(Math.floor(toJsNumber(v)));
    },
    ceil: (a, l) => {
      const v = mathNum(a[0], l);
      return v instanceof ApexDecimal ? new ApexDecimal(v.d.ceil(), 0) : new ApexDouble(Math.ceil(toJsNumber(v)));
    },
    // A Decimal rounds half-even; a Double rounds half up, as Java's Math.round does.
    round: (a, l) => toInt32(Number(wholeOf(mathNum(a[0], l)))),
    roundToLong: (a, l) => wholeOf(mathNum(a[0], l)),
    random: () => new ApexDouble(Math.random()),
    exp: (a, l) => new ApexDouble(Math.exp(toJsNumber(mathNum(a[0], l)))),
    log: (a, l) => new ApexDouble(Math.log(toJsNumber(mathNum(a[0], l)))),
    log10: (a, l) => new ApexDouble(Math.log10(toJsNumber(mathNum(a[0], l)))),
    signum: (a, l) => new ApexDouble(Math.sign(toJsNumber(mathNum(a[0], l))))
  });

  lib.systemEnum("System.RoundingMode", [...Object.keys(ROUNDING), "UNNECESSARY"]);
}
