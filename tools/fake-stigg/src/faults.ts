/**
 * Faults the fake can answer with instead of Stigg's normal answer: what a client meets when Stigg, or
 * something between the client and Stigg, misbehaves. A rule says which fault, for which requests (an
 * operation or all), and for how long (the next N matching requests, a period, or until cleared).
 *
 * Periods run on the wall clock, not on the environment's clock, so that moving the environment's date
 * (scheduled changes, billing periods) never ends or starts an outage.
 */

/** A fault as injected: the parameters that have defaults may be left out. */
export type FaultInput =
  /** HTTP 5xx with a JSON error body; the request does not run. */
  | { kind: "http-error"; status?: number; retryAfterSeconds?: number }
  /** HTTP 429 with Retry-After and Stigg's RateLimitExceeded code; the request does not run. */
  | { kind: "rate-limit"; retryAfterSeconds?: number }
  /** The normal answer, after delayMs: the request runs when the delay ends, whether or not the client still waits. */
  | { kind: "slow"; delayMs: number }
  /** The connection is destroyed without an answer; with applied, the request runs first (the answer is lost). */
  | { kind: "drop"; applied?: boolean }
  /** A body that is not JSON (by default an HTML page with HTTP 200); the request does not run. */
  | { kind: "non-json"; status?: number; body?: string; contentType?: string }
  /** A GraphQL error on one alias of the document (code, message); the other aliases run and answer. */
  | { kind: "alias-error"; alias?: string; code?: string; message?: string }
  /** HTTP 401 as for an unknown key, whatever key the request carries; the request does not run. */
  | { kind: "wrong-key" };

export type FaultKind = FaultInput["kind"];

/** A fault with every parameter decided. */
export type Fault =
  | { kind: "http-error"; status: number; retryAfterSeconds: number | null }
  | { kind: "rate-limit"; retryAfterSeconds: number }
  | { kind: "slow"; delayMs: number }
  | { kind: "drop"; applied: boolean }
  | { kind: "non-json"; status: number; body: string; contentType: string }
  | { kind: "alias-error"; alias: string; code: string; message: string }
  | { kind: "wrong-key" };

/** Which requests a rule applies to, and for how long. Without times or forMs it lasts until cleared. */
export interface FaultScope {
  /** A GraphQL operation name (SfProvisionSubscriptions) or root field (provisionSubscriptionV2); "*" or none: all. */
  operation?: string;
  /** Apply to the next N matching requests, then end. */
  times?: number;
  /** Apply for this many milliseconds from now, then end. */
  forMs?: number;
  /** Let the first N matching requests through untouched before applying (an outage in the middle of a run). */
  skip?: number;
}

export type FaultRule = FaultInput & FaultScope;

/** A rule in force, as listed by the fake and its control endpoint. */
export interface ActiveFault {
  id: number;
  fault: Fault;
  operation: string | null;
  /** Matching requests it still applies to; null: no count. */
  remaining: number | null;
  /** When it ends (ISO time); null: no period. */
  until: string | null;
  /** Matching requests still let through before it applies. */
  skipping: number;
  /** How many requests it has met so far. */
  applied: number;
}

/** The fault a request met, as recorded with the request. */
export type AppliedFault = Fault & { id: number };

/** What a fault rule can match a request on. */
export interface RequestFacts {
  operationName: string | null;
  rootFields: string[];
  aliases: string[];
}

/** A rule that does not make sense; the message says what to change. */
export class FaultRuleError extends Error {}

export const FAULT_KINDS: readonly FaultKind[] = [
  "http-error",
  "rate-limit",
  "slow",
  "drop",
  "non-json",
  "alias-error",
  "wrong-key"
];

const DEFAULT_NON_JSON_BODY =
  "<!DOCTYPE html><html><head><title>Service error</title></head>" +
  "<body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>";

const PARAMETERS: Record<FaultKind, readonly string[]> = {
  "http-error": ["status", "retryAfterSeconds"],
  "rate-limit": ["retryAfterSeconds"],
  slow: ["delayMs"],
  drop: ["applied"],
  "non-json": ["status", "body", "contentType"],
  "alias-error": ["alias", "code", "message"],
  "wrong-key": []
};
const SCOPE_KEYS = ["operation", "times", "forMs", "skip"];

function wholeNumber(value: unknown, name: string, minimum: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) {
    throw new FaultRuleError(`${name} must be a whole number of at least ${minimum}, not ${JSON.stringify(value)}`);
  }
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") {
    throw new FaultRuleError(`${name} must be a non-empty string, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks a rule (from code or from JSON) and fills in the defaults. */
export function normalizeFault(input: FaultInput): Fault {
  const raw = input as Record<string, unknown>;
  const kind = raw.kind as FaultKind;
  if (!FAULT_KINDS.includes(kind)) {
    throw new FaultRuleError(`Unknown fault kind ${JSON.stringify(raw.kind)}; use one of ${FAULT_KINDS.join(", ")}`);
  }
  const allowed = new Set(["kind", ...PARAMETERS[kind], ...SCOPE_KEYS]);
  const unknown = Object.keys(raw).filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    throw new FaultRuleError(
      `A ${kind} fault has no ${unknown.join(", ")}; it takes ${[...PARAMETERS[kind], ...SCOPE_KEYS].join(", ")}`
    );
  }
  const given = (key: string): boolean => raw[key] !== undefined;
  switch (kind) {
    case "http-error": {
      const status = given("status") ? wholeNumber(raw.status, "status", 500) : 500;
      if (status > 599) throw new FaultRuleError(`status of an http-error must be 500-599, not ${status}`);
      const retryAfterSeconds = given("retryAfterSeconds")
        ? wholeNumber(raw.retryAfterSeconds, "retryAfterSeconds", 0)
        : null;
      return { kind, status, retryAfterSeconds };
    }
    case "rate-limit":
      return {
        kind,
        retryAfterSeconds: given("retryAfterSeconds") ? wholeNumber(raw.retryAfterSeconds, "retryAfterSeconds", 0) : 1
      };
    case "slow":
      if (!given("delayMs")) throw new FaultRuleError("A slow fault needs delayMs (how long the answer takes)");
      return { kind, delayMs: wholeNumber(raw.delayMs, "delayMs", 0) };
    case "drop":
      if (given("applied") && typeof raw.applied !== "boolean") {
        throw new FaultRuleError(`applied must be true or false, not ${JSON.stringify(raw.applied)}`);
      }
      return { kind, applied: raw.applied === true };
    case "non-json": {
      const status = given("status") ? wholeNumber(raw.status, "status", 100) : 200;
      if (status > 599) throw new FaultRuleError(`status must be 100-599, not ${status}`);
      const body = given("body") ? text(raw.body, "body") : DEFAULT_NON_JSON_BODY;
      try {
        JSON.parse(body);
        throw new FaultRuleError("The body of a non-json fault must not be valid JSON");
      } catch (error) {
        if (error instanceof FaultRuleError) throw error;
      }
      return {
        kind,
        status,
        body,
        contentType: given("contentType") ? text(raw.contentType, "contentType") : "text/html"
      };
    }
    case "alias-error": {
      const alias = given("alias") ? text(raw.alias, "alias") : "r0";
      if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(alias)) {
        throw new FaultRuleError(`alias must be a GraphQL name such as r0, not ${JSON.stringify(alias)}`);
      }
      return {
        kind,
        alias,
        code: given("code") ? text(raw.code, "code") : "UnexpectedError",
        message: given("message") ? text(raw.message, "message") : "Unexpected error"
      };
    }
    case "wrong-key":
      return { kind };
  }
}

/** Checks a whole rule, its scope included, without adding it; throws FaultRuleError when it makes no sense. */
export function checkFaultRule(rule: FaultRule): {
  fault: Fault;
  operation: string | null;
  times: number | null;
  forMs: number | null;
  skip: number;
} {
  return {
    fault: normalizeFault(rule),
    operation: rule.operation === undefined || rule.operation === "*" ? null : text(rule.operation, "operation"),
    times: rule.times === undefined ? null : wholeNumber(rule.times, "times", 1),
    forMs: rule.forMs === undefined ? null : wholeNumber(rule.forMs, "forMs", 1),
    skip: rule.skip === undefined ? 0 : wholeNumber(rule.skip, "skip", 0)
  };
}

interface Rule {
  id: number;
  fault: Fault;
  operation: string | null;
  remaining: number | null;
  untilMs: number | null;
  skipping: number;
  applied: number;
}

/** The rules in force, in the order they were injected: the first that matches a request applies. */
export class FaultBook {
  private rules: Rule[] = [];
  private nextId = 1;

  constructor(private readonly nowMs: () => number = Date.now) {}

  inject(rule: FaultRule): ActiveFault {
    const checked = checkFaultRule(rule);
    const added: Rule = {
      id: this.nextId++,
      fault: checked.fault,
      operation: checked.operation,
      remaining: checked.times,
      untilMs: checked.forMs === null ? null : this.nowMs() + checked.forMs,
      skipping: checked.skip,
      applied: 0
    };
    this.rules.push(added);
    return this.describe(added);
  }

  /** Removes one rule (by id) or all; returns how many were removed. */
  clear(id?: number): number {
    const before = this.rules.length;
    this.rules = id === undefined ? [] : this.rules.filter((rule) => rule.id !== id);
    return before - this.rules.length;
  }

  active(): ActiveFault[] {
    this.expire();
    return this.rules.map((rule) => this.describe(rule));
  }

  /** The fault this request meets, if any; counts it against the rule that applies. */
  take(request: RequestFacts): AppliedFault | null {
    this.expire();
    for (const rule of this.rules) {
      if (!this.matches(rule, request)) continue;
      if (rule.skipping > 0) {
        rule.skipping--;
        continue;
      }
      rule.applied++;
      if (rule.remaining !== null) {
        rule.remaining--;
        if (rule.remaining === 0) this.rules = this.rules.filter((other) => other !== rule);
      }
      return { ...rule.fault, id: rule.id };
    }
    return null;
  }

  private matches(rule: Rule, request: RequestFacts): boolean {
    if (rule.operation !== null) {
      const named = request.operationName === rule.operation || request.rootFields.includes(rule.operation);
      if (!named) return false;
    }
    // An alias error needs the alias in the document, or it would be spent on a request it cannot touch.
    return rule.fault.kind !== "alias-error" || request.aliases.includes(rule.fault.alias);
  }

  private expire(): void {
    const now = this.nowMs();
    this.rules = this.rules.filter((rule) => rule.untilMs === null || rule.untilMs > now);
  }

  private describe(rule: Rule): ActiveFault {
    return {
      id: rule.id,
      fault: rule.fault,
      operation: rule.operation,
      remaining: rule.remaining,
      until: rule.untilMs === null ? null : new Date(rule.untilMs).toISOString(),
      skipping: rule.skipping,
      applied: rule.applied
    };
  }
}

/** "30s", "2m", "1500ms" or a plain number of milliseconds. */
export function parseDuration(value: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match)
    throw new FaultRuleError(`${name} must be a duration such as 1500, 1500ms, 30s, 2m or 1h, not "${value}"`);
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "ms") as "ms" | "s" | "m" | "h"];
  return Math.round(Number(match[1]) * scale);
}

const SHORTHANDS: Record<string, Record<string, unknown>> = {
  "500": { kind: "http-error", status: 500 },
  "502": { kind: "http-error", status: 502 },
  "503": { kind: "http-error", status: 503 },
  "504": { kind: "http-error", status: 504 },
  "429": { kind: "rate-limit" },
  "401": { kind: "wrong-key" }
};

/** Spec keys (kebab-case, as typed on a command line) to rule fields. */
const SPEC_KEYS: Record<string, { field: string; type: "int" | "duration" | "string" | "boolean" }> = {
  operation: { field: "operation", type: "string" },
  times: { field: "times", type: "int" },
  for: { field: "forMs", type: "duration" },
  skip: { field: "skip", type: "int" },
  status: { field: "status", type: "int" },
  "retry-after": { field: "retryAfterSeconds", type: "int" },
  delay: { field: "delayMs", type: "duration" },
  applied: { field: "applied", type: "boolean" },
  alias: { field: "alias", type: "string" },
  code: { field: "code", type: "string" },
  message: { field: "message", type: "string" },
  body: { field: "body", type: "string" },
  "content-type": { field: "contentType", type: "string" }
};

/**
 * A rule from its command-line form: KIND[,key=value]..., for example
 *   503,times=2   429,retry-after=30,operation=provisionSubscriptionV2   slow,delay=15s,for=2m
 *   drop,applied=true   non-json,status=502   alias-error,alias=r1,code=PlanNotFound   wrong-key,for=30s
 * KIND is a fault kind, or 500/502/503/504 (http-error with that status), 429 (rate-limit) or 401 (wrong-key).
 * Values cannot contain commas.
 */
export function parseFaultSpec(spec: string): FaultRule {
  const [head, ...pairs] = spec.split(",").map((part) => part.trim());
  const rule: Record<string, unknown> = SHORTHANDS[head] ? { ...SHORTHANDS[head] } : { kind: head };
  if (!SHORTHANDS[head] && !FAULT_KINDS.includes(head as FaultKind)) {
    throw new FaultRuleError(
      `Unknown fault "${head}" in "${spec}"; use ${FAULT_KINDS.join(", ")} or ${Object.keys(SHORTHANDS).join(", ")}`
    );
  }
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    const key = equals > 0 ? pair.slice(0, equals) : pair;
    const value = equals > 0 ? pair.slice(equals + 1) : "";
    const known = SPEC_KEYS[key];
    if (!known || equals <= 0) {
      throw new FaultRuleError(
        `"${pair}" in "${spec}" is not key=value with a known key (${Object.keys(SPEC_KEYS).join(", ")})`
      );
    }
    if (known.type === "int") {
      if (!/^\d+$/.test(value)) throw new FaultRuleError(`${key} must be a whole number, not "${value}"`);
      rule[known.field] = Number(value);
    } else if (known.type === "duration") {
      rule[known.field] = parseDuration(value, key);
    } else if (known.type === "boolean") {
      if (value !== "true" && value !== "false") throw new FaultRuleError(`${key} must be true or false`);
      rule[known.field] = value === "true";
    } else {
      rule[known.field] = value;
    }
  }
  const checked = rule as unknown as FaultRule;
  checkFaultRule(checked);
  return checked;
}
