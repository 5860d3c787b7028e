// Benchmark: how the time of a test run grows with the number of test methods.
// Usage: npx tsx tools/local-org/bench/run.ts [--source-dir DIR | --tests N]
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

function time(label: string, sourceDirs: string[], cache: boolean) {
  const t0 = performance.now();
  const org = LocalOrg.load({ sourceDirs, cache });
  const t1 = performance.now();
  const r = org.runTests();
  const t2 = performance.now();
  console.log(
    `${label.padEnd(28)} ${String(r.tests.length).padStart(4)} tests  load ${String(Math.round(t1 - t0)).padStart(5)} ms  run ${String(Math.round(t2 - t1)).padStart(5)} ms  (${(
      (t2 - t1) /
      Math.max(1, r.tests.length)
    ).toFixed(1)} ms/test, ${r.passed} passed)`
  );
}

const args = process.argv.slice(2);
const sourceDir = args[0] === "--source-dir" ? args[1] : null;
const size = args[0] === "--tests" ? Number(args[1]) : null;
if (sourceDir) {
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
  for (const n of [50, 100, 200, 400, 800]) {
    process.stdout.write(
      execFileSync(process.execPath, [...process.execArgv, __filename, "--tests", String(n)], { encoding: "utf8" })
    );
  }
}
