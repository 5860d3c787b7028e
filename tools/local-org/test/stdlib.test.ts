// The system library: String, numbers, Id, Date/Datetime, collections, JSON, Assert.
import { test } from "node:test";
import assert from "node:assert/strict";
import { debug, failure } from "./support.js";

test("String methods", () => {
  assert.deepEqual(
    debug(`String s = '  Hello, World  ';
      System.debug(s.trim()); System.debug(s.trim().substring(7)); System.debug(s.trim().substring(0, 5));
      System.debug('a,b,,c,,'.split(',')); System.debug('a.b'.split('\\\\.'));
      System.debug('abc'.contains('B')); System.debug('abc'.containsIgnoreCase('B'));
      System.debug('Hello'.toUpperCase() + 'Hello'.toLowerCase());
      System.debug('x-y-z'.replace('-', '+')); System.debug('a1b22c'.replaceAll('[0-9]+', '#'));
      System.debug(String.isBlank('  ')); System.debug(String.isEmpty(' ')); System.debug(String.isNotBlank(null));
      System.debug(String.join(new List<String>{ 'a', 'b' }, '|')); System.debug('abcdef'.abbreviate(5));
      System.debug('abc'.indexOf('c')); System.debug('Hello {0}, you are {1}'); System.debug(String.format('Hello {0}, you are {1}', new List<Object>{ 'Ada', 36 }));
      System.debug('ab'.repeat(3)); System.debug('5'.leftPad(3, '0')); System.debug('abc'.capitalize()); System.debug('a'.compareTo('b'));`),
    [
      "Hello, World",
      "World",
      "Hello",
      "(a, b, , c)",
      "(a, b)",
      "false",
      "true",
      "HELLOhello",
      "x+y+z",
      "a#b#c",
      "true",
      "false",
      "false",
      "a|b",
      "ab...",
      "2",
      "Hello {0}, you are {1}",
      "Hello Ada, you are 36",
      "ababab",
      "005",
      "Abc",
      "-1"
    ]
  );
});

test("String.substring out of range throws StringException", () => {
  assert.match(
    failure(`String s = 'abc'.substring(5);`).exceptionMessage ?? "",
    /^System\.StringException: Starting position out of bounds: 5$/
  );
});

test("Integer, Long, Decimal and Double conversions; setScale and round use half-even", () => {
  assert.deepEqual(
    debug(`System.debug(Integer.valueOf('42') + 1); System.debug(Long.valueOf('9000000000')); System.debug(Decimal.valueOf('2.50'));
      System.debug(Double.valueOf('1.5')); System.debug(Decimal.valueOf(2.5).setScale(0)); System.debug((5.235).setScale(2)); System.debug((5.245).setScale(2)); System.debug((2.5).round());
      System.debug((3.14159).setScale(2)); System.debug((10.0).divide(3, 3)); System.debug((7.9).intValue()); System.debug(Math.mod(7, 3));
      Double d = 1; System.debug(d / 3); System.debug(Math.max(3, 9)); System.debug((1234567).format());`),
    [
      "43",
      "9000000000",
      "2.50",
      "1.5",
      "2",
      "5.24",
      "5.24",
      "2",
      "3.14",
      "3.333",
      "7",
      "1",
      "0.3333333333333333",
      "9",
      "1,234,567"
    ]
  );
});

test("Integer.valueOf on bad text throws TypeException", () => {
  assert.equal(
    failure(`Integer i = Integer.valueOf('12a');`).exceptionMessage,
    "System.TypeException: Invalid integer: 12a"
  );
});

test("Id: 15 and 18 character forms, key prefix and validation", () => {
  assert.deepEqual(
    debug(`Id a = '001000000000001'; System.debug(a); System.debug(a == '001000000000001'); System.debug(String.valueOf(a).length());
      System.debug(a.getSObjectType()); System.debug(a.to15());`),
    ["001000000000001AAA", "true", "18", "Account", "001000000000001"]
  );
  assert.equal(failure(`Id bad = 'not-an-id';`).exceptionMessage, "System.StringException: Invalid id: not-an-id");
});

test("Date and Datetime; a Date prints with a midnight time except through String.valueOf", () => {
  assert.deepEqual(
    debug(`Date d = Date.newInstance(2024, 1, 31); System.debug(d); System.debug('on ' + d); System.debug(String.valueOf(d));
      System.debug(String.valueOf(d.addMonths(1))); System.debug(String.valueOf(d.addDays(1))); System.debug(String.valueOf(d + 1));
      System.debug(d.daysBetween(Date.newInstance(2024, 3, 1))); System.debug(Date.valueOf('2024-02-29').day()); System.debug(Date.isLeapYear(2024));
      Datetime t = Datetime.newInstanceGmt(2024, 5, 6, 7, 8, 9); System.debug(t); System.debug(t.formatGmt('yyyy-MM-dd\\'T\\'HH:mm:ss\\'Z\\''));
      System.debug(t.getTime()); System.debug(String.valueOf(t.date())); System.debug(t.addHours(20).day()); System.debug(d < d.addDays(1)); System.debug(d.format());`),
    [
      "2024-01-31 00:00:00",
      "on 2024-01-31 00:00:00",
      "2024-01-31",
      "2024-02-29",
      "2024-02-01",
      "2024-02-01",
      "30",
      "29",
      "true",
      "2024-05-06 07:08:09",
      "2024-05-06T07:08:09Z",
      "1714979289000",
      "2024-05-06",
      "7",
      "true",
      "1/31/2024"
    ]
  );
});

test("List, Set and Map behaviour; Decimal keys keep their scale (1.0 and 1.00 differ)", () => {
  assert.deepEqual(
    debug(`List<String> l = new List<String>{ 'b', 'a', 'C' }; l.sort(); System.debug(l); l.add(0, 'z'); System.debug(l.remove(1)); System.debug(l.size());
      System.debug(l.contains('z')); System.debug(l.indexOf('a')); String[] arr = new String[2]; System.debug(arr);
      Set<Integer> s = new Set<Integer>{ 1, 2, 3 }; s.retainAll(new List<Integer>{ 2, 3, 4 }); System.debug(s); System.debug(s.containsAll(new Set<Integer>{ 2 }));
      Map<String, Integer> m = new Map<String, Integer>(); m.put('one', 1); m.put('two', 2); System.debug(m.keySet()); System.debug(m.values());
      System.debug(m.remove('one')); System.debug(m); List<Integer> a = new List<Integer>{1, 2}; System.debug(a == new List<Integer>{1, 2});
      Map<Integer, String> n = new Map<Integer, String>{ 1 => 'x' }; System.debug(n.get(1)); Set<Decimal> ds = new Set<Decimal>{ 1.0 }; System.debug(ds.contains(1.0)); System.debug(ds.contains(1.00));`),
    [
      "(C, a, b)",
      "C",
      "3",
      "true",
      "1",
      "(null, null)",
      "{2, 3}",
      "true",
      "{one, two}",
      "(1, 2)",
      "1",
      "{two=2}",
      "true",
      "x",
      "true",
      "false"
    ]
  );
});

test("adding to a list while iterating over it throws FinalException", () => {
  assert.equal(
    failure(`List<Integer> l = new List<Integer>{ 1, 2 }; for (Integer i : l) { l.add(i); }`).exceptionMessage,
    "System.FinalException: Cannot modify a collection while it is being iterated."
  );
  assert.deepEqual(
    debug(
      `List<Integer> l = new List<Integer>{ 1, 2 }; for (Integer i : l) { l.set(0, 9); } for (Integer i : l.clone()) { l.add(i); } System.debug(l);`
    ),
    ["(9, 2, 9, 2)"]
  );
});

test("List index out of bounds throws ListException", () => {
  assert.equal(
    failure(`List<Integer> l = new List<Integer>(); Integer x = l[0];`).exceptionMessage,
    "System.ListException: List index out of bounds: 0"
  );
});

test("JSON.serialize: nulls, Decimals, Dates, maps and Apex objects", () => {
  const classes = {
    "Payload.cls": `public class Payload { public String name; public Decimal amount; public Date day; public List<Integer> ids; public transient String secret = 'x'; }`
  };
  assert.deepEqual(
    debug(
      `Payload p = new Payload(); p.name = 'A "q"'; p.amount = 10.50; p.day = Date.newInstance(2024, 1, 2);
       System.debug(JSON.serialize(p)); System.debug(JSON.serialize(p, true));
       System.debug(JSON.serialize(new Map<String, Object>{ 'b' => null, 'a' => Datetime.newInstanceGmt(2024, 1, 2, 3, 4, 5), 'n' => 1.0 }));
       System.debug(JSON.serialize(new List<Object>{ 1, 'x', true, null, 2L }));`,
      classes
    ),
    [
      '{"name":"A \\"q\\"","amount":10.50,"day":"2024-01-02","ids":null}',
      '{"name":"A \\"q\\"","amount":10.50,"day":"2024-01-02"}',
      '{"b":null,"a":"2024-01-02T03:04:05.000Z","n":1.0}',
      '[1,"x",true,null,2]'
    ]
  );
});

test("JSON.deserialize into Apex classes, deserializeStrict and deserializeUntyped", () => {
  const classes = {
    "Resp.cls": `public class Resp { public String id; public Integer count; public Decimal price; public List<Item> items; public Boolean ok;
      public class Item { public String sku; } }`
  };
  assert.deepEqual(
    debug(
      `Resp r = (Resp) JSON.deserialize('{"ID":"x1","count":3,"price":9.90,"items":[{"sku":"a"}],"extra":1}', Resp.class);
       System.debug(r.id); System.debug(r.count + 1); System.debug(r.price); System.debug(r.items[0].sku); System.debug(r.ok);
       try { JSON.deserializeStrict('{"id":"x","extra":1}', Resp.class); } catch (JSONException e) { System.debug('strict'); }
       Map<String, Object> m = (Map<String, Object>) JSON.deserializeUntyped('{"a":1,"b":2.50,"c":[true,null],"d":{"e":"f"},"big":3000000000}');
       System.debug(m.get('a') instanceof Integer); System.debug(m.get('b')); System.debug(m.get('big') instanceof Long);
       System.debug(((List<Object>) m.get('c')).size()); System.debug(((Map<String, Object>) m.get('d')).get('e'));
       List<Integer> li = (List<Integer>) JSON.deserialize('[1,2]', List<Integer>.class); System.debug(li);`,
      classes
    ),
    ["x1", "4", "9.90", "a", "null", "strict", "true", "2.50", "true", "2", "f", "(1, 2)"]
  );
});

test("malformed JSON throws JSONException", () => {
  assert.match(
    failure(`Object o = JSON.deserializeUntyped('{"a":');`).exceptionMessage ?? "",
    /^System\.JSONException: /
  );
});

test("System.assertEquals and Assert.areEqual messages; string comparison is case-sensitive", () => {
  assert.equal(
    failure(`System.assertEquals('abc', 'ABC');`).exceptionMessage,
    "System.AssertException: Assertion Failed: Expected: abc, Actual: ABC"
  );
  assert.equal(
    failure(`System.assertEquals(1, 2, 'numbers');`).exceptionMessage,
    "System.AssertException: Assertion Failed: numbers: Expected: 1, Actual: 2"
  );
  assert.equal(failure(`System.assert(false);`).exceptionMessage, "System.AssertException: Assertion Failed");
  assert.equal(
    failure(`Assert.areEqual(1, 2);`).exceptionMessage,
    "System.AssertException: Assertion Failed: Expected: 1, Actual: 2"
  );
  assert.deepEqual(
    debug(`System.assertEquals(1, 1.0); Assert.isTrue(true); Assert.isNull(null); System.debug('ok');`),
    ["ok"]
  );
});

test("an assertion failure cannot be caught", () => {
  const r = failure(`try { System.assert(false, 'boom'); } catch (Exception e) { System.debug('caught'); }`);
  assert.equal(r.exceptionMessage, "System.AssertException: Assertion Failed: boom");
  assert.deepEqual(r.debugLog, []);
});

test("EncodingUtil, Blob and Crypto", () => {
  assert.deepEqual(
    debug(`System.debug(EncodingUtil.base64Encode(Blob.valueOf('hi'))); System.debug(EncodingUtil.base64Decode('aGk=').toString());
      System.debug(EncodingUtil.urlEncode('a b&c', 'UTF-8')); System.debug(EncodingUtil.convertToHex(Crypto.generateDigest('SHA-256', Blob.valueOf('')).size() > 0 ? Blob.valueOf('A') : null));`),
    ["aGk=", "hi", "a+b%26c", "41"]
  );
});

test("Pattern and Matcher", () => {
  assert.deepEqual(
    debug(`Matcher m = Pattern.compile('(\\\\w+)@(\\\\w+)').matcher('x ada@example y'); System.debug(m.find()); System.debug(m.group(2));
      System.debug(Pattern.matches('[a-z]+', 'abc')); System.debug(Pattern.compile('^\\\\S+$').matcher(' a ').matches());`),
    ["true", "example", "true", "false"]
  );
});

test("List.sort uses compareTo of Comparable classes; Time; debug with a LoggingLevel", () => {
  const classes = {
    "Task2.cls": `public class Task2 implements Comparable {
      public Integer priority; public Task2(Integer p) { priority = p; }
      public Integer compareTo(Object other) { return priority - ((Task2) other).priority; }
    }`
  };
  assert.deepEqual(
    debug(
      `List<Task2> l = new List<Task2>{ new Task2(3), new Task2(1), new Task2(2) }; l.sort();
       System.debug(l[0].priority + ',' + l[1].priority + ',' + l[2].priority);
       Time t = Time.newInstance(13, 5, 7, 0); System.debug(t.hour() + ':' + t.minute()); System.debug(LoggingLevel.WARN, 'warned');`,
      classes
    ),
    ["1,2,3", "13:5", "warned"]
  );
});

test("JSONParser walks tokens and reads typed values; JSONGenerator writes JSON", () => {
  const classes = { "Item.cls": `public class Item { public String sku; public Integer qty; }` };
  assert.deepEqual(
    debug(
      `JSONParser p = JSON.createParser('{"total": 12.50, "count": 3, "ok": true, "items": [{"sku": "a", "qty": 2}], "skip": {"x": [1, 2]}}');
       List<String> seen = new List<String>();
       while (p.nextToken() != null) {
         if (p.getCurrentToken() == JSONToken.FIELD_NAME) {
           String name = p.getText(); p.nextToken();
           if (name == 'total') seen.add('total=' + p.getDecimalValue());
           else if (name == 'count') seen.add('count=' + (p.getIntegerValue() + 1));
           else if (name == 'ok') seen.add('ok=' + p.getBooleanValue());
           else if (name == 'items') { p.nextToken(); Item i = (Item) p.readValueAs(Item.class); seen.add('item=' + i.sku + 'x' + i.qty); p.nextToken(); }
           else if (name == 'skip') p.skipChildren();
         }
       }
       System.debug(seen);
       JSONGenerator g = JSON.createGenerator(false);
       g.writeStartObject(); g.writeStringField('name', 'A "b"'); g.writeNumberField('n', 1.50); g.writeFieldName('list');
       g.writeStartArray(); g.writeNumber(1); g.writeNull(); g.writeEndArray(); g.writeBooleanField('f', false); g.writeEndObject();
       System.debug(g.getAsString());`,
      classes
    ),
    ["(total=12.50, count=4, ok=true, item=ax2)", '{"name":"A \\"b\\"","n":1.50,"list":[1,null],"f":false}']
  );
});

test("the running user's time zone is GMT; other zones stop with an error", () => {
  assert.deepEqual(
    debug(
      `System.debug(UserInfo.getTimeZone().getID()); System.debug(TimeZone.getTimeZone('UTC').getOffset(Datetime.now()));`
    ),
    ["GMT", "0"]
  );
  assert.match(
    failure(`TimeZone tz = TimeZone.getTimeZone('America/New_York');`).exceptionMessage ?? "",
    /^time zone America\/New_York \(only GMT\) is not supported by local-org/
  );
});

test("system enums and System.Type can be declared types", () => {
  const classes = { "Widget.cls": `public class Widget {}` };
  assert.deepEqual(
    debug(
      `Type t = Type.forName('Widget'); System.debug(t.getName()); System.Type t2 = Widget.class; System.debug(t == t2);
       RoundingMode mode = RoundingMode.UP; System.debug((1.21).setScale(1, mode)); System.RoundingMode down = System.RoundingMode.DOWN; System.debug((1.29).setScale(1, down));
       JSONParser p = JSON.createParser('[1]'); JSONToken tok = p.nextToken(); System.debug(tok == JSONToken.START_ARRAY);
       LoggingLevel lvl = LoggingLevel.ERROR; System.debug(lvl); Schema.DisplayType dt = Account.Name.getDescribe().getType(); System.debug(dt == Schema.DisplayType.STRING);`,
      classes
    ),
    ["Widget", "true", "1.3", "1.2", "true", "ERROR", "true"]
  );
});

test("URL: the org domain and parsed URLs", () => {
  assert.deepEqual(
    debug(`System.debug(URL.getOrgDomainUrl().toExternalForm()); Url u = new Url('https://api.example.com:8443/v1/items?x=1#top');
      System.debug(u.getHost() + ' ' + u.getPort() + ' ' + u.getPath() + ' ' + u.getQuery() + ' ' + u.getRef() + ' ' + u.getProtocol());`),
    ["https://local-org.my.salesforce.com", "api.example.com 8443 /v1/items x=1 top https"]
  );
});

test("List<SObject>.sort orders by Name, then other fields; empty values first", () => {
  assert.deepEqual(
    debug(`List<Account> l = new List<Account>{ new Account(Name = 'b'), new Account(Name = 'a', Phone = '2'), new Account(Name = 'a', Phone = '1'), new Account() };
      l.sort(); List<String> out = new List<String>(); for (Account a : l) out.add(a.Name + '/' + a.Phone); System.debug(out);`),
    ["(null/null, a/1, a/2, b/null)"]
  );
});
