// The formula language: each function and operator against the platform's documented results.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  evaluateFormula,
  FormulaEvaluationError,
  FormulaSyntaxError,
  FormulaUnsupportedError,
  formulaText,
  parseFormula,
  type FormulaValue
} from "../src/formula/index.js";
import { ApexDate, ApexDatetime, ApexDecimal, type Value } from "../src/runtime/values.js";

const NOW = Date.UTC(2026, 2, 10, 14, 30, 5);

function run(source: string, references: Record<string, Value> = {}): FormulaValue {
  return evaluateFormula(parseFormula(source), {
    resolve: (path) => {
      if (!(path in references)) throw new Error(`no reference ${path}`);
      return references[path];
    },
    now: () => NOW
  });
}

/** The result as TEXT() would print it, so numbers, dates and blanks compare simply. */
const text = (source: string, references: Record<string, Value> = {}) => {
  const value = run(source, references);
  return value === null ? null : formulaText(value);
};

const failsWith = (source: string, pattern: RegExp, references: Record<string, Value> = {}) =>
  assert.throws(
    () => run(source, references),
    (e: Error) => e instanceof FormulaEvaluationError && pattern.test(e.message)
  );

test("numbers are exact decimals: 0.1 + 0.2 is 0.3 and 1/3*3 rounds to 1 only when rounded", () => {
  assert.equal(text("0.1 + 0.2"), "0.3");
  assert.equal(text("ROUND(1/3*3, 2)"), "1");
  assert.equal(text("12345678901234567.1 + 1"), "12345678901234568.1");
  assert.equal(text("2 ^ 10"), "1024");
  assert.equal(text("-(3 - 5) * 2"), "4");
});

test("operator precedence: * before +, comparisons before &&, && before ||", () => {
  assert.equal(run("1 + 2 * 3 = 7"), true);
  assert.equal(run("1 < 2 && 2 < 1 || true"), true);
  assert.equal(text("(1 + 2) * 3"), "9");
});

test("division by zero fails the formula", () => {
  failsWith("1 / 0", /Division by zero/);
  failsWith("MOD(5, 0)", /Division by zero/);
});

test("ROUND rounds half away from zero and takes negative digits", () => {
  assert.equal(text("ROUND(1.005, 2)"), "1.01");
  assert.equal(text("ROUND(2.5, 0)"), "3");
  assert.equal(text("ROUND(-1.5, 0)"), "-2");
  assert.equal(text("ROUND(1234.5678, -2)"), "1200");
  assert.equal(text("ROUND(n, 0)", { n: null }), null);
});

test("CEILING rounds away from zero, FLOOR towards zero, MOD, ABS, MAX and MIN", () => {
  assert.equal(text("CEILING(2.1)"), "3");
  assert.equal(text("CEILING(-2.1)"), "-3");
  assert.equal(text("FLOOR(2.9)"), "2");
  assert.equal(text("FLOOR(-2.9)"), "-2");
  assert.equal(text("MOD(7, 3)"), "1");
  assert.equal(text("ABS(-4.25)"), "4.25");
  assert.equal(text("MAX(1, 7.5, 3)"), "7.5");
  assert.equal(text("MIN(1, -7.5, 3)"), "-7.5");
  assert.equal(text("MAX(1, n)", { n: null }), null);
});

test("blank numbers make arithmetic blank; BLANKVALUE and NULLVALUE substitute", () => {
  assert.equal(run("n + 1", { n: null }), null);
  assert.equal(text("BLANKVALUE(n, 0) + 1", { n: null }), "1");
  assert.equal(text("NULLVALUE(n, 5)", { n: null }), "5");
  assert.equal(text("NULLVALUE(n, 5)", { n: ApexDecimal.parse("2") }), "2");
  assert.equal(run("BLANKVALUE(t, 'none')", { t: "" }), "none");
  assert.equal(run("NULLVALUE(t, 'none')", { t: "" }), "");
});

test("& concatenates, treating blank text as empty", () => {
  assert.equal(run('"Hello " & name & "!"', { name: null }), "Hello !");
  assert.equal(run('"a" & \'b\' & "\\"c\\""'), 'ab"c"');
  assert.equal(run('"a" + "b"'), "ab");
  failsWith('"a" & 1', /Incorrect parameter type for operator '&'. Expected Text, received Number/);
});

test("ISBLANK is true for null and empty text; ISNULL only for null", () => {
  assert.equal(run("ISBLANK(t)", { t: "" }), true);
  assert.equal(run("ISBLANK(t)", { t: null }), true);
  assert.equal(run("ISBLANK(t)", { t: " " }), false);
  assert.equal(run("ISNULL(t)", { t: "" }), false);
  assert.equal(run("ISNULL(n)", { n: null }), true);
  assert.equal(run("ISBLANK(n)", { n: ApexDecimal.parse("0") }), false);
});

test("IF, CASE, AND, OR, NOT; a blank condition counts as false", () => {
  assert.equal(run('IF(x > 1, "big", "small")', { x: ApexDecimal.parse("2") }), "big");
  assert.equal(run('IF(b, "yes", "no")', { b: null }), "no");
  assert.equal(text('CASE(s, "Plan", 1, "Add-on", 2, 0)', { s: "Add-on" }), "2");
  assert.equal(text('CASE(s, "Plan", 1, "Add-on", 2, 0)', { s: "Other" }), "0");
  assert.equal(run("AND(true, 1 = 1, NOT(false))"), true);
  assert.equal(run("OR(false, 1 = 2)"), false);
  assert.throws(
    () => run("IF(true, 1)"),
    /Incorrect number of parameters for function 'IF\(\)'. Expected 3, received 2/
  );
  failsWith('IF("x", 1, 2)', /Expected Checkbox, received Text/);
});

test("text comparison with = is case-sensitive; blank text equals empty text", () => {
  assert.equal(run('"Plan" = "plan"'), false);
  assert.equal(run('"Plan" = "Plan"'), true);
  assert.equal(run('t = ""', { t: null }), true);
  assert.equal(run('t <> ""', { t: "x" }), true);
  assert.equal(run("n = 1", { n: null }), false);
  failsWith('1 = "1"', /Incorrect parameter type for operator '='/);
});

test("TEXT writes numbers without trailing zeros, dates as YYYY-MM-DD, date/times in GMT", () => {
  assert.equal(run("TEXT(n)", { n: ApexDecimal.parse("2.50") }), "2.5");
  assert.equal(run("TEXT(n)", { n: ApexDecimal.parse("100") }), "100");
  assert.equal(run("TEXT(n)", { n: 3 }), "3");
  assert.equal(run("TEXT(d)", { d: new ApexDate(2026, 3, 9) }), "2026-03-09");
  assert.equal(run("TEXT(NOW())"), "2026-03-10 14:30:05Z");
  assert.equal(run("TEXT(p)", { p: "Add-on" }), "Add-on");
  assert.equal(run("TEXT(n)", { n: null }), "");
});

test("VALUE reads numbers from text and fails on text that holds none", () => {
  assert.equal(text('VALUE(" 42.50 ")'), "42.5");
  assert.equal(text('VALUE("-3")'), "-3");
  assert.equal(run('VALUE("")'), null);
  failsWith('VALUE("abc")', /cannot convert "abc" to a number/);
  assert.equal(run('ISNUMBER("1.5")'), true);
  assert.equal(run('ISNUMBER("1.5x")'), false);
});

test("LEN, CONTAINS, BEGINS, FIND, LEFT, RIGHT, MID, SUBSTITUTE, TRIM, UPPER, LOWER, LPAD, RPAD", () => {
  assert.equal(text('LEN("Stigg")'), "5");
  assert.equal(text("LEN(t)", { t: null }), "0");
  assert.equal(run('CONTAINS("plan-pro", "pro")'), true);
  assert.equal(run('CONTAINS("plan-pro", "PRO")'), false);
  assert.equal(run('BEGINS("plan-pro", "plan")'), true);
  assert.equal(run('BEGINS("plan-pro", "Plan")'), false);
  assert.equal(text('FIND("-", "plan-pro")'), "5");
  assert.equal(text('FIND("x", "plan-pro")'), "0");
  assert.equal(run('LEFT("Stigg", 3)'), "Sti");
  assert.equal(run('LEFT("Stigg", -1)'), "");
  assert.equal(run('RIGHT("Stigg", 2)'), "gg");
  assert.equal(run('MID("abcdef", 2, 3)'), "bcd");
  assert.equal(run('SUBSTITUTE("a-b-c", "-", "+")'), "a+b+c");
  assert.equal(run('TRIM("  x y  ")'), "x y");
  assert.equal(run('UPPER("abc")'), "ABC");
  assert.equal(run('LOWER("ABC")'), "abc");
  assert.equal(run('LPAD("7", 3, "0")'), "007");
  assert.equal(run('RPAD("ab", 5, "xy")'), "abxyx");
  assert.equal(run('LPAD("abcdef", 3)'), "abc");
});

test("DATE, TODAY, NOW, YEAR, MONTH, DAY, WEEKDAY and date arithmetic", () => {
  assert.equal(text("DATE(2024, 2, 29)"), "2024-02-29");
  failsWith("DATE(2023, 2, 29)", /not a valid date/);
  assert.equal(text("TODAY()"), "2026-03-10");
  assert.equal(text("TODAY() + 14"), "2026-03-24");
  assert.equal(text("TODAY() - 10"), "2026-02-28");
  assert.equal(text("DATE(2026, 3, 24) - DATE(2026, 3, 10)"), "14");
  assert.equal(text("NOW() + 0.5"), "2026-03-11 02:30:05Z");
  assert.equal(
    run("TEXT(YEAR(d)) & '/' & TEXT(MONTH(d)) & '/' & TEXT(DAY(d))", { d: new ApexDate(2026, 12, 15) }),
    "2026/12/15"
  );
  assert.equal(text("WEEKDAY(DATE(2026, 3, 8))"), "1");
  assert.equal(run("d > TODAY()", { d: new ApexDate(2026, 12, 15) }), true);
  assert.equal(run("d > TODAY()", { d: null }), false);
  assert.equal(run("NOT(ISBLANK(d)) && d > TODAY()", { d: null }), false);
});

test("ADDMONTHS keeps the day, or takes the last day of a shorter month or from a month's last day", () => {
  assert.equal(text("ADDMONTHS(DATE(2024, 1, 15), 1)"), "2024-02-15");
  assert.equal(text("ADDMONTHS(DATE(2024, 1, 31), 1)"), "2024-02-29");
  assert.equal(text("ADDMONTHS(DATE(2024, 2, 29), 1)"), "2024-03-31");
  assert.equal(text("ADDMONTHS(DATE(2024, 3, 31), -1)"), "2024-02-29");
  assert.equal(text("ADDMONTHS(DATE(2024, 11, 30), 14)"), "2026-01-31");
  assert.equal(
    text("ADDMONTHS(d, 1)", { d: new ApexDatetime(Date.UTC(2024, 0, 31, 9, 0, 0)) }),
    "2024-02-29 09:00:00Z"
  );
});

test("DATEVALUE and DATETIMEVALUE read text and convert between dates and date/times", () => {
  assert.equal(text('DATEVALUE("2026-05-01")'), "2026-05-01");
  assert.equal(text("DATEVALUE(NOW())"), "2026-03-10");
  assert.equal(text('DATETIMEVALUE("2026-05-01 08:15:00")'), "2026-05-01 08:15:00Z");
});

test("merge fields, references with dots, globals and comments", () => {
  assert.equal(
    run('{!$Record.Account.Name} & " / " & {!Loop.Stigg_ID__c} /* comment */', {
      "$Record.Account.Name": "Acme",
      "Loop.Stigg_ID__c": "plan-pro"
    }),
    "Acme / plan-pro"
  );
  assert.equal(run("Product2.Stigg_Type__c", { "Product2.Stigg_Type__c": "Plan" }), "Plan");
});

test("ISNEW, ISCHANGED and PRIORVALUE read the record being saved, and fail elsewhere", () => {
  const prior: Record<string, Value> = { StageName: "Prospecting" };
  const context = (isNew: boolean) => ({
    resolve: (path: string) => ({ StageName: "Closed Won" })[path] ?? null,
    now: () => NOW,
    record: { isNew: () => isNew, priorValue: (path: string) => prior[path] ?? null }
  });
  assert.equal(evaluateFormula(parseFormula("ISCHANGED(StageName)"), context(false)), true);
  assert.equal(evaluateFormula(parseFormula("ISCHANGED(StageName)"), context(true)), false);
  assert.equal(evaluateFormula(parseFormula("PRIORVALUE(StageName)"), context(false)), "Prospecting");
  assert.equal(evaluateFormula(parseFormula("ISNEW()"), context(true)), true);
  failsWith("ISNEW()", /may not be used in this type of formula/);
});

test("syntax errors and unknown functions stop with a clear error", () => {
  assert.throws(() => parseFormula('IF(a, "b"'), FormulaSyntaxError);
  assert.throws(() => parseFormula('"open'), /not closed/);
  assert.throws(() => run("VLOOKUP(a, a, a)", { a: "x" }), FormulaUnsupportedError);
  assert.throws(() => run("VLOOKUP(a, a, a)", { a: "x" }), /formula function VLOOKUP is not supported by local-org/);
});

test("REGEX matches the whole text with Java's syntax; blank text is empty", () => {
  assert.equal(run("REGEX(a, 'INV-[0-9]+')", { a: "INV-12" }), true);
  assert.equal(run("REGEX(a, 'INV-[0-9]+')", { a: "INV-12x" }), false);
  assert.equal(run("REGEX(a, '[0-9]+')", { a: "a1" }), false);
  assert.equal(run("REGEX(a, '\\\\Q1.5\\\\E')", { a: "1.5" }), true);
  assert.equal(run("REGEX(a, '[0-9]*')", { a: null }), true);
  assert.throws(() => run("REGEX(a, '(?<=x)y')", { a: "xy" }), /regular expression '\(\?<=x\)y' is not supported/);
  failsWith("REGEX(1, 'x')", /Incorrect parameter type for function 'REGEX\(\)'. Expected Text, received Number/);
});

test("INCLUDES finds one value among a multi-select picklist's values", () => {
  assert.equal(run("INCLUDES(tiers, 'Gold')", { tiers: "Silver;Gold" }), true);
  assert.equal(run("INCLUDES(tiers, 'Gol')", { tiers: "Silver;Gold" }), false);
  assert.equal(run("INCLUDES(tiers, 'Gold')", { tiers: null }), false);
  failsWith("INCLUDES(tiers)", /Incorrect number of parameters for function 'INCLUDES\(\)'. Expected 2, received 1/, {
    tiers: "Gold"
  });
});
