// Benchmark: how the time of a test run grows with the number of test methods.
// Usage: npx tsx tools/local-org/bench/run.ts [--source-dir DIR | --tests N | --anonymous]
// Prints wall and CPU time of loading (parsing) and of running the tests.
// Generates test classes whose methods each do typical work (DML, SOQL, JSON, a mocked
// callout), runs them in one process and prints the load and run times.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalOrg } from "../src/index.js";

const METHOD = (i: number) => `
    @IsTest
    static void work${i}() {
        List<Account> accounts = new List<Account>();
        for (Integer j = 0; j < 10; j++) accounts.add(new Account(Name = 'Bench ' + j, NumberOfEmployees = j));
        insert accounts;
        Test.setMock(HttpCalloutMock.class, new BenchMock());
        Test.startTest();
        List<Account> rows = [SELECT Id, Name FROM Account WHERE NumberOfEmployees > 4 ORDER BY Name];
        HttpRequest req = new HttpRequest();
        req.setEndpoint('callout:Bench/x');
        req.setMethod('POST');
        req.setBody(JSON.serialize(new Map<String, Object>{ 'rows' => rows.size() }));
        Map<String, Object> body = (Map<String, Object>) JSON.deserializeUntyped(new Http().send(req).getBody());
        Test.stopTest();
        Assert.areEqual(5, rows.size());
        Assert.areEqual(5, body.get('rows'));
    }`;

const MOCK = `@IsTest
public class BenchMock implements HttpCalloutMock {
    public HttpResponse respond(HttpRequest req) {
        HttpResponse res = new HttpResponse();
        res.setStatusCode(200);
        res.setBody(req.getBody());
        return res;
    }
}`;

function generate(dir: string, tests: number) {
  const classes = join(dir, "main", "default", "classes");
  mkdirSync(classes, { recursive: true });
  writeFileSync(join(classes, "BenchMock.cls"), MOCK);
  const perClass = 25;
  for (let c = 0; c * perClass < tests; c++) {
    const methods: string[] = [];
    for (let i = c * perClass; i < Math.min(tests, (c + 1) * perClass); i++) methods.push(METHOD(i));
    writeFileSync(
      join(classes, `Bench${c}Test.cls`),
      `@IsTest\nprivate class Bench${c}Test {${methods.join("\n")}\n}\n`
    );
  }
}

/** CPU time of this process (user + system), less disturbed than wall time by other work on a shared machine. */
function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

function time(label: string, sourceDirs: string[], cache: boolean) {
  const [t0, c0] = [performance.now(), cpuMs()];
  const org = LocalOrg.load({ sourceDirs, cache });
  const [t1, c1] = [performance.now(), cpuMs()];
  const r = org.runTests();
  const [t2, c2] = [performance.now(), cpuMs()];
  const ms = (n: number) => `${String(Math.round(n)).padStart(5)} ms`;
  console.log(
    `${label.padEnd(28)} ${String(r.tests.length).padStart(4)} tests  load ${ms(t1 - t0)} (cpu ${ms(c1 - c0)})  run ${ms(t2 - t1)} (cpu ${ms(c2 - c1)})  ${(
      (t2 - t1) /
      Math.max(1, r.tests.length)
    ).toFixed(1)} ms/test, ${r.passed} passed`
  );
}

// Interpreter speed alone: a CPU-bound anonymous block (method calls, collections, strings).
const LOOP = `
public class Counter { public Integer n = 0; public void add(Integer x) { n += x; } public Integer get() { return n; } }
Counter c = new Counter();
List<Integer> xs = new List<Integer>();
Map<String, Integer> m = new Map<String, Integer>();
for (Integer i = 0; i < 60000; i++) {
  c.add(Math.mod(i, 7));
  if (xs.size() < 1000) xs.add(i); else xs[Math.mod(i, 1000)] = i;
  m.put('k' + Math.mod(i, 50), i);
  String s = 'a' + i;
  if (s.length() > 3 && s.startsWith('a')) c.add(1);
}
System.debug(c.get());`;

function anonymousLoop(dir: string) {
  const org = LocalOrg.load({ sourceDirs: [dir], cache: false });
  org.runAnonymous(LOOP); // warm-up
  const [t0, c0] = [performance.now(), cpuMs()];
  for (let i = 0; i < 3; i++) {
    const result = org.runAnonymous(LOOP);
    if (!result.success) throw new Error(result.exceptionMessage ?? "the loop failed");
  }
  const [t1, c1] = [performance.now(), cpuMs()];
  console.log(
    `${"CPU-bound anonymous Apex".padEnd(28)} 3 runs   ${Math.round(t1 - t0)} ms (cpu ${Math.round(c1 - c0)} ms)`
  );
}

const args = process.argv.slice(2);
const sourceDir = args[0] === "--source-dir" ? args[1] : null;
const size = args[0] === "--tests" ? Number(args[1]) : null;
if (args[0] === "--anonymous") {
  const dir = mkdtempSync(join(tmpdir(), "local-org-bench-"));
  try {
    anonymousLoop(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else if (sourceDir) {
  time(`${sourceDir} (cold parse)`, [sourceDir], false);
  time(`${sourceDir} (cached trees)`, [sourceDir], true);
} else if (size) {
  const dir = mkdtempSync(join(tmpdir(), "local-org-bench-"));
  try {
    generate(dir, size);
    time(`generated, ${size}`, [dir], false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  // Each size runs in a fresh process, so no run benefits from another's warm-up.
  for (const run of [...[50, 100, 200, 400, 800].map((n) => ["--tests", String(n)]), ["--anonymous"]]) {
    process.stdout.write(
      execFileSync(process.execPath, [...process.execArgv, __filename, ...run], { encoding: "utf8" })
    );
  }
}
