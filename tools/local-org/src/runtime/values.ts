// Run-time values, and the types and class metadata they refer to (one module, since
// values, types and classes refer to each other).
//   null      -> null          Boolean -> boolean      String/Id -> string
//   Integer   -> number (int32) Long   -> bigint       Double -> ApexDouble
//   Decimal   -> ApexDecimal (decimal.js value + Apex scale)
//   Date/Datetime/Time -> ApexDate/ApexDatetime/ApexTime
//   List/Set/Map -> ApexList/ApexSet/ApexMap     SObject -> SObjectValue
//   class instances and exceptions -> ApexObject  enum values -> EnumValue
//   system objects such as HttpRequest -> NativeObject
import Decimal from "decimal.js";
import type { FieldDecl, MethodDecl, TypeDecl } from "../parse/ast.js";
import type { SObjectDescribe } from "./describe.js";

export type PrimName =
  | "Integer"
  | "Long"
  | "Decimal"
  | "Double"
  | "String"
  | "Boolean"
  | "Id"
  | "Date"
  | "Datetime"
  | "Time"
  | "Blob"
  | "Object";

/** A resolved Apex type. */
export type RType =
  | { kind: "prim"; name: PrimName }
  | { kind: "list"; elem: RType }
  | { kind: "set"; elem: RType }
  | { kind: "map"; key: RType; value: RType }
  | { kind: "class"; cls: ClassInfo }
  | { kind: "sobject"; obj: SObjectDescribe | null }
  | { kind: "native"; name: string };

/** A class, interface or enum: from source (`decl`) or a system one (`decl` null). */
export interface ClassInfo {
  /** Display name: `Outer.Inner` for inner classes, `System.DmlException` style for system classes. */
  name: string;
  kind: "class" | "interface" | "enum";
  decl: TypeDecl | null;
  parent: ClassInfo | null;
  interfaces: ClassInfo[];
  outer: ClassInfo | null;
  inner: Map<string, ClassInfo>;
  methods: Map<string, MethodDecl[]>;
  fields: Map<string, FieldDecl>;
  isException: boolean;
  /** System classes that tests may not catch (LimitException, AssertException). */
  uncatchable?: boolean;
  isTest: boolean;
  /** Static values, created on first use in a transaction-independent test context. */
  statics: Map<string, Value> | null;
  staticTypes: Map<string, RType>;
  enumValues: Value[];
  /** Set once parent/interfaces are linked. */
  linked: boolean;
  file: string;
}

// Apex Decimal arithmetic keeps far more digits than JS numbers; 34 significant digits
// in division matches the platform's observable results for ordinary values.
export const Dec = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
export type DecT = InstanceType<typeof Dec>;

export class ApexDouble {
  constructor(readonly v: number) {}
}

export class ApexDecimal {
  constructor(
    readonly d: DecT,
    readonly scale: number
  ) {}
  static parse(text: string): ApexDecimal {
    const decimal = new Dec(text);
    const match = /\.(\d+)/.exec(text.replace(/[eE].*$/, ""));
    let scale = match ? match[1].length : 0;
    const e = /[eE]([+-]?\d+)/.exec(text);
    if (e) scale = Math.max(0, scale - Number(e[1]));
    return new ApexDecimal(decimal, scale);
  }
  static fromInt(n: number | bigint): ApexDecimal {
    return new ApexDecimal(new Dec(n.toString()), 0);
  }
  static fromDouble(n: number): ApexDecimal {
    return ApexDecimal.parse(doubleToString(n));
  }
  /** Java's BigDecimal.toString, which Apex uses: scientific notation below 1E-6. */
  toString(): string {
    const plain = this.d.toFixed(this.scale);
    const unscaled = plain
      .replace("-", "")
      .replace(".", "")
      .replace(/^0+(?=\d)/, "");
    const adjusted = -this.scale + (unscaled.length - 1);
    if (adjusted >= -6 || this.d.isZero()) return plain;
    const coefficient = unscaled.length > 1 ? `${unscaled[0]}.${unscaled.slice(1)}` : unscaled;
    return `${this.d.isNegative() ? "-" : ""}${coefficient}E${adjusted}`;
  }

  toPlainString(): string {
    return this.d.toFixed(this.scale);
  }
}

export class ApexDate {
  constructor(
    readonly y: number,
    readonly m: number,
    readonly d: number
  ) {}
  /** Milliseconds of midnight GMT of this date. */
  get ms(): number {
    return Date.UTC(this.y, this.m - 1, this.d);
  }
  static fromMs(ms: number): ApexDate {
    const dt = new Date(ms);
    return new ApexDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
  }
  toString(): string {
    return `${pad(this.y, 4)}-${pad(this.m, 2)}-${pad(this.d, 2)}`;
  }
}

export class ApexDatetime {
  constructor(readonly ms: number) {}
  toString(): string {
    const date = new Date(this.ms);
    return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  }
}

export class ApexTime {
  constructor(readonly ms: number) {}
  toString(): string {
    const h = Math.floor(this.ms / 3600000);
    const m = Math.floor((this.ms % 3600000) / 60000);
    const s = Math.floor((this.ms % 60000) / 1000);
    return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(this.ms % 1000, 3)}Z`;
  }
}

export class ApexBlob {
  constructor(readonly bytes: Buffer) {}
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

let nextIdentity = 1;

export class ApexList {
  readonly identity = nextIdentity++;
  /** Open for-each loops over this list; adding or removing elements then fails. */
  iterating = 0;
  /** Rows of a SOQL query: such a list may be assigned to a single SObject variable. */
  fromQuery = false;
  constructor(
    public elemType: RType,
    public items: Value[] = []
  ) {}
}

export class ApexSet {
  readonly identity = nextIdentity++;
  iterating = 0;
  readonly map = new Map<string, Value[]>();
  size = 0;
  constructor(public elemType: RType) {}
}

export class ApexMap {
  readonly identity = nextIdentity++;
  readonly map = new Map<string, [Value, Value][]>();
  size = 0;
  /** Describe maps (getGlobalDescribe, fields.getMap) look keys up ignoring case. */
  ignoreKeyCase = false;
  constructor(
    public keyType: RType,
    public valueType: RType
  ) {}
}

export class SObjectValue {
  readonly identity = nextIdentity++;
  /** Field values keyed by lower-case API name; relationship fields hold SObjectValue or ApexList. */
  readonly fields = new Map<string, Value>();
  /** Lower-case names that may be read: everything set or queried. Null means all (a record built in Apex). */
  readable: Set<string> | null = null;
  /** Set on the records of Trigger.new in an after trigger: assigning a field fails. */
  frozen = false;
  constructor(public type: SObjectDescribe) {}
}

export class ApexObject {
  readonly identity = nextIdentity++;
  readonly fields = new Map<string, Value>();
  /** Exception state, for instances of exception classes. */
  ex?: {
    message: Value;
    cause: Value;
    line: number;
    stack: string;
    typeName: string;
    /** An AuraHandledException's constructor message: what Lightning shows the component. */
    auraMessage?: Value;
    dmlErrors?: { message: string; statusCode: string; fields: string[]; index: number; object?: string }[];
  };
  constructor(public cls: ClassInfo) {}
}

export class EnumValue {
  constructor(
    readonly cls: ClassInfo,
    readonly name: string,
    readonly ordinal: number
  ) {}
}

export class NativeObject {
  readonly identity = nextIdentity++;
  constructor(
    public typeName: string,
    public data: Record<string, unknown>
  ) {}
}

/** A type used as a value, e.g. the `Foo` in `Foo.bar()` or `Account` in `Account.SObjectType`. */
export class TypeValue {
  /** `literal` marks a System.Type object (Foo.class, Type.forName) rather than a type name. */
  constructor(
    readonly type: RType,
    readonly literal = false
  ) {}
}

/** A namespace prefix such as `System` or `Schema` before a type name. */
export class NamespaceValue {
  constructor(readonly name: string) {}
}

export type Value =
  | null
  | boolean
  | string
  | number
  | bigint
  | ApexDouble
  | ApexDecimal
  | ApexDate
  | ApexDatetime
  | ApexTime
  | ApexBlob
  | ApexList
  | ApexSet
  | ApexMap
  | SObjectValue
  | ApexObject
  | EnumValue
  | NativeObject
  | TypeValue
  | NamespaceValue;

// ---- number utilities ----

export function toInt32(n: number): number {
  return n | 0;
}

export function toLong(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

/** Java's Double.toString, which Apex uses for Double values. */
export function doubleToString(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(v);
    return text.includes(".") ? text : text + ".0";
  }
  const [mant, exp] = v.toExponential().split("e");
  const m = mant.includes(".") ? mant : mant + ".0";
  return `${m}E${exp.replace("+", "")}`;
}

export function isNumber(value: Value): value is number | bigint | ApexDouble | ApexDecimal {
  return (
    typeof value === "number" ||
    typeof value === "bigint" ||
    value instanceof ApexDouble ||
    value instanceof ApexDecimal
  );
}

export function numRank(value: number | bigint | ApexDouble | ApexDecimal): number {
  if (typeof value === "number") return 0;
  if (typeof value === "bigint") return 1;
  if (value instanceof ApexDecimal) return 2;
  return 3;
}

export function toDec(value: number | bigint | ApexDouble | ApexDecimal): ApexDecimal {
  if (value instanceof ApexDecimal) return value;
  if (value instanceof ApexDouble) return ApexDecimal.fromDouble(value.v);
  return ApexDecimal.fromInt(value);
}

export function toJsNumber(value: number | bigint | ApexDouble | ApexDecimal): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof ApexDouble) return value.v;
  return value.d.toNumber();
}

export function toBigInt(value: number | bigint | ApexDouble | ApexDecimal): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(Math.trunc(value));
  if (value instanceof ApexDouble) return BigInt(Math.trunc(value.v));
  return BigInt(value.d.trunc().toFixed(0));
}

/** Apex Decimal division: exact when the quotient terminates within 34 digits, else 34 significant digits. */
export function decDivide(a: ApexDecimal, b: ApexDecimal): ApexDecimal {
  const q = a.d.div(b.d);
  const preferred = Math.max(0, a.scale - b.scale);
  const exact = q.toSignificantDigits(34);
  if (exact.eq(q)) {
    return new ApexDecimal(q, Math.max(preferred, q.decimalPlaces()));
  }
  return new ApexDecimal(exact, Math.max(preferred, exact.decimalPlaces()));
}

export function sameRef(a: Value, b: Value): boolean {
  return a === b;
}
