// Apex semantics of classes, types and the test runner: dispatch, static access, Type.forName.
import { test } from "node:test";
import assert from "node:assert/strict";
import { debug, failure, org } from "./support.js";

test("an abstract class calls an interface method its subclass implements", () => {
  assert.deepEqual(
    debug(`C c = new D(); System.debug(c.twice()); System.debug(c.thrice());`, {
      "I.cls": `public interface I { Integer f(); }`,
      "C.cls": `public abstract class C implements I {
        public Integer twice() { return f() * 2; }
        public Integer thrice() { return this.f() * 3; } }`,
      "D.cls": `public class D extends C { public Integer f() { return 4; } }`
    }),
    ["8", "12"]
  );
});

test("a static method called through an instance stops, as the compiler rejects it", () => {
  const classes = {
    "S.cls": `public class S { public static Integer m() { return 7; } public Integer k() { return m(); } }`
  };
  assert.deepEqual(debug(`S obj = new S(); System.debug(obj.k()); System.debug(S.m());`, classes), ["7", "7"]);
  assert.match(
    failure(`S obj = new S(); Integer n = obj.m();`, classes).exceptionMessage ?? "",
    /^calling static method S\.m through an instance is not supported by local-org \(anonymous\.apex:1\)$/
  );
  const withField = { "F.cls": `public class F { public static Integer count = 3; }` };
  for (const code of [`F obj = new F(); Integer n = obj.count;`, `F obj = new F(); obj.count = 4;`])
    assert.match(
      failure(code, withField).exceptionMessage ?? "",
      /^accessing static variable F\.count through an instance is not supported by local-org \(anonymous\.apex:1\)$/
    );
});

test("Type.forName resolves collection types and newInstance creates them empty", () => {
  assert.deepEqual(
    debug(`Type t = Type.forName('List<Account>'); System.debug(t.getName()); System.debug(t == List<Account>.class);
      List<SObject> recs = (List<SObject>) t.newInstance(); recs.add(new Account(Name = 'x')); System.debug(recs.size());
      Map<String, Integer> m = (Map<String, Integer>) Type.forName('Map<String, Integer>').newInstance(); m.put('a', 1); System.debug(m);
      Set<String> s = (Set<String>) Type.forName('Set<String>').newInstance(); System.debug(s.isEmpty());
      System.debug(Type.forName('String[]').getName()); System.debug(Type.forName('List<NoSuchType>')); System.debug(Type.forName('List<'));`),
    ["List<Account>", "true", "1", "{a=1}", "true", "List<String>", "null", "null"]
  );
});

test("runner: @IsTest(SeeAllData=true) stops, on the method or on the class", () => {
  const result = org({
    "T.cls": `@IsTest private class T {
      @IsTest(SeeAllData=true) static void seesAll() { System.assert(true); }
      @IsTest static void isolated() { System.assert(true); } }`,
    "U.cls": `@IsTest(SeeAllData=true) private class U {
      @IsTest static void inherits() { System.assert(true); } }`
  }).runTests();
  const byName = Object.fromEntries(result.tests.map((t) => [t.methodName, t]));
  assert.equal(byName.isolated.outcome, "Pass");
  assert.equal(byName.seesAll.message, "@IsTest(SeeAllData=true) on T.seesAll is not supported by local-org (T.cls:2)");
  assert.match(
    byName.inherits.message ?? "",
    /^@IsTest\(SeeAllData=true\) on U\.inherits is not supported by local-org/
  );
});

test("replaceAll and replaceFirst read the replacement like Java's Matcher", () => {
  assert.deepEqual(
    debug(`System.debug('a.b.c'.replaceAll('\\\\.', '\\\\$')); System.debug('abc'.replaceAll('(b)', '[$1]'));
      System.debug('abc'.replaceAll('(?<x>b)', '<\${x}>')); System.debug('abc'.replaceFirst('(a)(b)', '$2$1'));
      System.debug('abc'.replaceAll('b', 'n\\\\n')); System.debug('abc'.replaceAll('(b)', '$10')); System.debug('abc'.replaceAll('b', '$0$0'));`),
    ["a$b$c", "a[b]c", "a<b>c", "bac", "annc", "ab0c", "abbc"]
  );
  for (const [code, repl] of [
    [`'x'.replaceAll('x', '$')`, "\\$"],
    [`'ab'.replaceAll('(a)', '$2')`, "\\$2"],
    [`'ab'.replaceFirst('a', '$&')`, "\\$&"]
  ])
    assert.match(
      failure(`String s = ${code};`).exceptionMessage ?? "",
      new RegExp(`^replacement string '${repl}' with an invalid group reference is not supported by local-org`)
    );
});

test("lastIndexOf and its variants search backwards from the given index", () => {
  assert.deepEqual(
    debug(`System.debug('aaa'.lastIndexOf('a', 1)); System.debug('aaa'.lastIndexOf('a', -1)); System.debug('aaa'.lastIndexOf('a'));
      System.debug('aAa'.lastIndexOfIgnoreCase('A', 1)); System.debug('abca'.lastIndexOfChar(97, 2)); System.debug('abca'.lastIndexOfChar(97));`),
    ["1", "-1", "2", "1", "0", "3"]
  );
});

test("new Exception() does not compile: the base class cannot be constructed", () => {
  assert.match(
    failure(`Exception e = new Exception('x');`).exceptionMessage ?? "",
    /^Type cannot be constructed: Exception \(anonymous\.apex:1\)$/
  );
  assert.deepEqual(debug(`Exception e = new MathException('m'); System.debug(e.getTypeName());`), [
    "System.MathException"
  ]);
});

test("JSON.deserializeStrict names an unknown field as the platform does", () => {
  const classes = { "P.cls": `public class P { public String name; public class Inner { public Integer v; } }` };
  assert.match(
    failure(`P p = (P) JSON.deserializeStrict('{"name":"a","extra":1}', P.class);`, classes).exceptionMessage ?? "",
    /^System\.JSONException: Unknown field: P\.extra$/
  );
  assert.match(
    failure(`P.Inner i = (P.Inner) JSON.deserializeStrict('{"v":1,"w":2}', P.Inner.class);`, classes)
      .exceptionMessage ?? "",
    /^System\.JSONException: Unknown field: P\.Inner\.w$/
  );
  assert.deepEqual(
    debug(`P p = (P) JSON.deserialize('{"name":"a","extra":1}', P.class); System.debug(p.name);`, classes),
    ["a"]
  );
});

test("Math.max and Math.min return the wider of their argument types", () => {
  assert.deepEqual(
    debug(`Double a = 1.5; System.debug(Math.max(a, 2)); System.debug(Math.max(a, 1L));
      Object o = Math.max(1, 2L); System.debug(o instanceof Long); System.debug(Math.max(1, 2));
      Object d = Math.min(a, 3.25); System.debug(d instanceof Decimal); System.debug(Math.max(1, 2.50)); System.debug(Math.min(3, 2.0));`),
    ["2.0", "1.5", "true", "2", "true", "2.50", "2.0"]
  );
});

test("inner classes are one level deep: a class inside an inner class stops", () => {
  assert.throws(
    () => org({ "Outer.cls": `public class Outer {\n  public class Inner {\n    public class Deeper {}\n  }\n}` }),
    /^Error: inner class Outer\.Inner\.Deeper inside an inner class is not supported by local-org \(Outer\.cls:3\)$/
  );
  assert.deepEqual(debug(`public class T { public class U { public Integer v = 3; } } System.debug(new T.U().v);`), [
    "3"
  ]);
});

test("String letter and digit checks take Unicode letters and digits", () => {
  assert.deepEqual(
    debug(`System.debug('é'.isAlpha()); System.debug('١٢'.isNumeric()); System.debug('é1 '.isAlphanumericSpace());
      System.debug('éa'.isAllLowerCase()); System.debug('ÉA'.isAllUpperCase()); System.debug('Éa'.isAllUpperCase());
      System.debug('1.5'.isNumeric()); System.debug('a-b'.isAlphanumeric());`),
    ["true", "true", "true", "true", "true", "false", "false", "false"]
  );
});

test("String.abbreviate with an offset follows the documented algorithm", () => {
  assert.deepEqual(
    debug(`System.debug('abcdefghijklmno'.abbreviate(10, 5)); System.debug('abcdefghijklmno'.abbreviate(10, 12));
      System.debug('abcdefghij'.abbreviate(5, 3)); System.debug('Hello World'.abbreviate(8)); System.debug('short'.abbreviate(10, 3));`),
    ["...fghi...", "...ijklmno", "ab...", "Hello...", "short"]
  );
  assert.match(
    failure(`String s = 'abcdefghijklmno'.abbreviate(6, 5);`).exceptionMessage ?? "",
    /^System\.IllegalArgumentException: Minimum abbreviation width with offset is 7$/
  );
});

test("List methods take an Integer index: List.remove has no remove(Object) form", () => {
  assert.deepEqual(
    debug(
      `List<String> l = new List<String>{ 'a', 'b', 'c' }; System.debug(l.remove(1)); System.debug(l); System.debug(l.get(1));`
    ),
    ["b", "(a, c)", "c"]
  );
  assert.match(
    failure(`List<String> l = new List<String>{ 'x', 'a' };\nl.remove('a');`).exceptionMessage ?? "",
    /^List index of type String is not supported by local-org \(anonymous\.apex:2\)$/
  );
});

test("overloads: the most specific applicable parameter types win, whatever the declaration order", () => {
  assert.deepEqual(
    debug(
      `System.debug(O.f(1)); System.debug(O.f(1L)); System.debug(O.f(1.5)); Object ob = 2; System.debug(O.f(ob));
      System.debug(O.g(new C())); System.debug(O.g(new A())); A declared = new C(); System.debug(O.g(declared));`,
      {
        "A.cls": `public virtual class A {}`,
        "B.cls": `public virtual class B extends A {}`,
        "C.cls": `public class C extends B {}`,
        "O.cls": `public class O {
        public static String f(Decimal d) { return 'Decimal'; }
        public static String f(Long l) { return 'Long'; }
        public static String f(Object o) { return 'Object'; }
        public static String g(A a) { return 'A'; }
        public static String g(B b) { return 'B'; } }`
      }
    ),
    ["Long", "Long", "Decimal", "Object", "B", "A", "A"]
  );
});

test("Decimal.pow keeps the scale and stops on a negative exponent", () => {
  assert.deepEqual(
    debug(
      `System.debug((1.10).pow(2)); System.debug((1.10).pow(0)); Decimal d = 2; System.debug(d.pow(10)); System.debug(Math.pow(2, -1));`
    ),
    ["1.2100", "1", "1024", "0.5"]
  );
  assert.match(
    failure(`Decimal d = 2; Decimal r = d.pow(-1);`).exceptionMessage ?? "",
    /^Decimal\.pow with exponent -1 is not supported by local-org \(anonymous\.apex:1\)$/
  );
});

test("a non-null String or Id compares greater than null; numbers and dates against null are false", () => {
  assert.deepEqual(
    debug(`String s; System.debug(s < 'a'); System.debug('a' > s); System.debug(s > 'a'); System.debug('a' < s);
      System.debug(s <= ''); System.debug('' >= s); Id none; System.debug(none < '001000000000001AAA');
      Integer i; System.debug(i < 1); System.debug(1 > i); Date d; System.debug(d < Date.today());`),
    ["true", "true", "false", "false", "true", "true", "true", "false", "false", "false"]
  );
});
