// The Apex language: each snippet prints with System.debug and the output is checked
// against Apex's documented behaviour.
import { test } from "node:test";
import assert from "node:assert/strict";
import { debug, failure } from "./support.js";

test("identifiers, types and keywords are case-insensitive", () => {
  assert.deepEqual(
    debug(`INTEGER Count = 1; count += 2; system.DEBUG(COUNT); STRING s = 'x'; System.debug(S.LENGTH());`),
    ["3", "1"]
  );
});

test("every variable starts null, including Booleans and Integers", () => {
  assert.deepEqual(
    debug(
      `Integer i; Boolean b; String s; List<String> l; System.debug(i); System.debug(b); System.debug(s); System.debug(l);`
    ),
    ["null", "null", "null", "null"]
  );
});

test("using a null Integer in arithmetic throws NullPointerException", () => {
  const r = failure(`Integer i; Integer j = i + 1;`);
  assert.equal(r.exceptionMessage, "System.NullPointerException: Attempt to de-reference a null object");
});

test("Integer is 32-bit and wraps around", () => {
  assert.deepEqual(
    debug(
      `Integer i = 2147483647; i++; System.debug(i); Integer j = -2147483648; j--; System.debug(j); System.debug(65536 * 65536);`
    ),
    ["-2147483648", "2147483647", "0"]
  );
});

test("Integer literals are range-checked; -2147483648 is a valid literal", () => {
  assert.deepEqual(debug(`Integer low = -2147483648; System.debug(low);`), ["-2147483648"]);
  assert.equal(failure(`Integer x = 2147483648;`).exceptionMessage, "Illegal integer: 2147483648 (anonymous.apex:1)");
});

test("Long is 64-bit; Integer arithmetic overflows before widening to Long", () => {
  assert.deepEqual(
    debug(
      `Long a = 2147483647 + 1; Long b = 2147483647L + 1; System.debug(a); System.debug(b); Long m = 9223372036854775807L; m++; System.debug(m);`
    ),
    ["-2147483648", "2147483648", "-9223372036854775808"]
  );
});

test("Integer / Integer truncates toward zero", () => {
  assert.deepEqual(debug(`System.debug(7 / 2); System.debug(-7 / 2); Decimal d = 7 / 2; System.debug(d);`), [
    "3",
    "-3",
    "3"
  ]);
});

test("Integer division by zero throws MathException", () => {
  assert.equal(failure(`Integer z = 0; Integer x = 1 / z;`).exceptionMessage, "System.MathException: Divide by 0");
});

test("Decimal keeps its scale through arithmetic", () => {
  assert.deepEqual(
    debug(
      `Decimal a = 1.50; Decimal b = 2.125; System.debug(a); System.debug(a + b); System.debug(a * b); System.debug(a - 1); System.debug(0.1 + 0.2);`
    ),
    ["1.50", "3.625", "3.18750", "0.50", "0.3"]
  );
});

test("Decimal prints like Java's BigDecimal: scientific notation below 1E-6", () => {
  assert.deepEqual(
    debug(
      `System.debug(0.0000001); System.debug(0.000001); System.debug((0.0000001).toPlainString()); System.debug(0.00);`
    ),
    ["1E-7", "0.000001", "0.0000001", "0.00"]
  );
});

test("Decimal division of exact quotients keeps the digits needed", () => {
  assert.deepEqual(debug(`Decimal a = 1; System.debug(a / 4); Decimal b = 10.0; System.debug(b / 4);`), [
    "0.25",
    "2.5"
  ]);
});

test("declared types convert values on assignment, parameters and return", () => {
  const cls = {
    "Conv.cls": `public class Conv {
      public static Decimal half(Decimal d) { return d / 2; }
      public static Long widen(Integer i) { return i; }
      public static Double asDouble(Integer i) { return i; }
    }`
  };
  assert.deepEqual(
    debug(
      `Decimal d = 5; System.debug(d); Double x = 3; System.debug(x); Long l = 7; System.debug(l);
       System.debug(Conv.half(5)); System.debug(Conv.widen(2) instanceof Long); System.debug(Conv.asDouble(1));
       Object o = d; System.debug(o instanceof Decimal);`,
      cls
    ),
    ["5", "3.0", "7", "2.5", "true", "1.0", "true"]
  );
});

test("casting an Object to the wrong type throws TypeException", () => {
  const r = failure(`Object o = 'text'; Integer i = (Integer) o;`);
  assert.equal(r.exceptionMessage, "System.TypeException: Invalid conversion from runtime type String to Integer");
});

test("String == ignores case, equals does not", () => {
  assert.deepEqual(
    debug(
      `String a = 'Hello'; System.debug(a == 'HELLO'); System.debug(a != 'hello'); System.debug(a.equals('HELLO')); System.debug(a.equalsIgnoreCase('HELLO'));`
    ),
    ["true", "false", "false", "true"]
  );
});

test("Map and Set String keys are case-sensitive", () => {
  assert.deepEqual(
    debug(`Map<String, Integer> m = new Map<String, Integer>{ 'Key' => 1 }; System.debug(m.get('key')); System.debug(m.containsKey('Key'));
      Set<String> s = new Set<String>{ 'a', 'A' }; System.debug(s.size()); System.debug(s.contains('B'));`),
    ["null", "true", "2", "false"]
  );
});

test("classes: constructors, statics, inheritance, virtual and override", () => {
  const classes = {
    "Shape.cls": `public abstract class Shape {
      public static Integer created = 0;
      protected String name;
      public Shape(String name) { this.name = name; created++; }
      public abstract Decimal area();
      public virtual String describe() { return name + ' of area ' + area(); }
    }`,
    "Square.cls": `public class Square extends Shape {
      private Decimal side;
      public Square(Decimal side) { super('square'); this.side = side; }
      public override Decimal area() { return side * side; }
      public override String describe() { return 'A ' + super.describe(); }
    }`
  };
  assert.deepEqual(
    debug(
      `Shape s = new Square(1.5); System.debug(s.describe()); System.debug(Shape.created); System.debug(s instanceof Square); System.debug(s instanceof Shape);`,
      classes
    ),
    ["A square of area 2.25", "1", "true", "true"]
  );
});

test("interfaces, instanceof and casts", () => {
  const classes = {
    "Greeter.cls": `public interface Greeter { String greet(String who); }`,
    "Polite.cls": `public class Polite implements Greeter { public String greet(String who) { return 'Good day, ' + who; } }`
  };
  assert.deepEqual(
    debug(
      `Object o = new Polite(); System.debug(o instanceof Greeter); Greeter g = (Greeter) o; System.debug(g.greet('Ada'));`,
      classes
    ),
    ["true", "Good day, Ada"]
  );
});

test("this(...) constructor chaining and instance initialisers", () => {
  const classes = {
    "Point.cls": `public class Point {
      public Integer x; public Integer y; public List<String> log = new List<String>();
      public Point() { this(0, 0); log.add('default'); }
      public Point(Integer x, Integer y) { this.x = x; this.y = y; log.add('xy'); }
    }`
  };
  assert.deepEqual(debug(`Point p = new Point(); System.debug(p.x + ',' + p.y); System.debug(p.log);`, classes), [
    "0,0",
    "(xy, default)"
  ]);
});

test("inner classes, enums and static initialisers", () => {
  const classes = {
    "Outer.cls": `public class Outer {
      public enum Color { RED, GREEN }
      public static final Map<String, Integer> CODES;
      static { CODES = new Map<String, Integer>{ 'a' => 1 }; }
      public class Inner { public Color c = Color.GREEN; public Integer code() { return CODES.get('a'); } }
    }`
  };
  assert.deepEqual(
    debug(
      `Outer.Inner i = new Outer.Inner(); System.debug(i.c); System.debug(i.code()); System.debug(Outer.Color.values()); System.debug(Outer.Color.RED.ordinal()); System.debug(Outer.Color.valueOf('GREEN') == Outer.Color.GREEN);`,
      classes
    ),
    ["GREEN", "1", "(RED, GREEN)", "0", "true"]
  );
  assert.equal(
    failure(`Outer.Color c = Outer.Color.valueOf('BLUE');`, classes).exceptionMessage,
    "System.NoSuchElementException: No enum constant Outer.Color.BLUE"
  );
});

test("custom exceptions with message and cause; try/catch/finally order", () => {
  const classes = { "PayException.cls": `public class PayException extends Exception {}` };
  assert.deepEqual(
    debug(
      `List<String> log = new List<String>();
       try { try { throw new PayException('declined', new DmlException('inner')); } finally { log.add('finally'); } }
       catch (PayException e) { log.add(e.getMessage()); log.add(e.getCause().getMessage()); log.add(e.getTypeName()); }
       catch (Exception e) { log.add('wrong'); }
       System.debug(log);`,
      classes
    ),
    ["(finally, declined, inner, PayException)"]
  );
});

test("catch (Exception e) catches system exceptions; getTypeName names them", () => {
  assert.deepEqual(
    debug(
      `try { List<Integer> l = new List<Integer>(); l.get(3); } catch (Exception e) { System.debug(e.getTypeName()); System.debug(e.getMessage()); }`
    ),
    ["System.ListException", "List index out of bounds: 3"]
  );
});

test("switch on strings is case-sensitive; enums and types", () => {
  const classes = { "Size.cls": `public enum Size { S, M, L }` };
  assert.deepEqual(
    debug(
      `for (String v : new List<String>{ 'a', 'A', 'b' }) { switch on v { when 'a' { System.debug('lower'); } when 'b', 'c' { System.debug('b or c'); } when else { System.debug('other'); } } }
       Size s = Size.M; switch on s { when S { System.debug('small'); } when M, L { System.debug('big'); } }
       Object o = 5; switch on o { when String str { System.debug('string'); } when Integer n { System.debug('int ' + n); } }`,
      classes
    ),
    ["lower", "other", "b or c", "big", "int 5"]
  );
});

test("safe navigation, ternary and null coalescing", () => {
  assert.deepEqual(
    debug(
      `Account a; System.debug(a?.Name); String s; System.debug(s?.length()); System.debug(s == null ? 'none' : s); System.debug(s ?? 'fallback');`
    ),
    ["null", "null", "none", "fallback"]
  );
});

test("safe navigation short-circuits the rest of the chain", () => {
  assert.deepEqual(
    debug(
      `Account a; System.debug(a?.Name.length()); System.debug(a?.Owner.Name); Contact c = new Contact(); System.debug(c.Account?.Name);`
    ),
    ["null", "null", "null"]
  );
  assert.equal(
    failure(`Account a = new Account(); Integer n = a?.Name.length();`).exceptionMessage,
    "System.NullPointerException: Attempt to de-reference a null object"
  );
});

test("for, for-each, while, do-while, break and continue", () => {
  assert.deepEqual(
    debug(`Integer sum = 0; for (Integer i = 0; i < 10; i++) { if (i == 2) continue; if (i == 5) break; sum += i; } System.debug(sum);
      List<String> out = new List<String>(); for (String s : new Set<String>{ 'x', 'y' }) out.add(s); System.debug(out);
      Integer n = 0; while (n < 3) n++; System.debug(n); do { n--; } while (n > 10); System.debug(n);`),
    ["8", "(x, y)", "3", "2"]
  );
});

test("compound assignment and ++ evaluate their target once", () => {
  assert.deepEqual(
    debug(
      `List<Integer> l = new List<Integer>{0, 0, 0}; Integer i = 0; l[i++]++; l[i++] += 5; System.debug(l); System.debug(i); Decimal d = 1.5; d++; System.debug(d);`
    ),
    ["(1, 5, 0)", "2", "2.5"]
  );
});

test("string concatenation renders null, numbers and collections", () => {
  assert.deepEqual(
    debug(
      `String s; System.debug('v=' + s); System.debug('d=' + 1.50); System.debug('l=' + new List<Integer>{1, 2}); System.debug(1 + 2 + 'x');`
    ),
    ["v=null", "d=1.50", "l=(1, 2)", "3x"]
  );
});

test("equals and hashCode drive Set and Map membership for custom classes", () => {
  const classes = {
    "Key.cls": `public class Key {
      public String v; public Key(String v) { this.v = v; }
      public Boolean equals(Object o) { return o instanceof Key && ((Key) o).v.toLowerCase() == v.toLowerCase(); }
      public Integer hashCode() { return v.toLowerCase().hashCode(); }
    }`
  };
  assert.deepEqual(
    debug(
      `Set<Key> s = new Set<Key>{ new Key('A'), new Key('a') }; System.debug(s.size()); System.debug(new Key('x') == new Key('X'));`,
      classes
    ),
    ["1", "true"]
  );
});

test("properties with accessors", () => {
  const classes = {
    "Temp.cls": `public class Temp {
      public Decimal celsius { get; set; }
      public Decimal fahrenheit { get { return celsius * 9 / 5 + 32; } set { celsius = (value - 32) * 5 / 9; } }
      public Integer reads { get { if (reads == null) reads = 0; reads++; return reads; } private set; }
    }`
  };
  assert.deepEqual(
    debug(
      `Temp t = new Temp(); t.fahrenheit = 212; System.debug(t.celsius); System.debug(t.fahrenheit); System.debug(t.reads); System.debug(t.reads);`,
      classes
    ),
    ["100", "212", "1", "2"]
  );
});

test("overloads are chosen by the declared types of the arguments", () => {
  const classes = {
    "Over.cls": `public class Over {
      public virtual class Animal {} public class Dog extends Animal {}
      public static String f(Object o) { return 'object'; } public static String f(String s) { return 'string'; }
      public static String g(Animal a) { return 'animal'; } public static String g(Dog d) { return 'dog'; }
    }`
  };
  assert.deepEqual(
    debug(
      `Object o = 'x'; String s = 'x'; System.debug(Over.f(o)); System.debug(Over.f(s)); Over.Animal a = new Over.Dog(); System.debug(Over.g(a)); System.debug(Over.g(new Over.Dog()));`,
      classes
    ),
    ["object", "string", "animal", "dog"]
  );
});

test("unsupported features stop with a message naming the feature, file and line", () => {
  const r = failure(`Integer x = 1;\nDatabase.executeBatch(null);`);
  assert.equal(r.exceptionMessage, "Database.executeBatch is not supported by local-org (anonymous.apex:2)");
});

test("private methods are not overridden; virtual ones dispatch on the object's class", () => {
  const classes = {
    "Base.cls": `public virtual class Base {
      public String run() { return helper() + '/' + hook(); }
      private String helper() { return 'base-private'; }
      protected virtual String hook() { return 'base-hook'; }
    }`,
    "Derived.cls": `public class Derived extends Base {
      private String helper() { return 'derived-private'; }
      protected override String hook() { return 'derived-hook'; }
    }`
  };
  assert.deepEqual(debug(`System.debug(new Derived().run());`, classes), ["base-private/derived-hook"]);
});
