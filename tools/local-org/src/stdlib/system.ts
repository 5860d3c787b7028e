// System, Assert, Test, Limits, UserInfo, EncodingUtil, Blob, Type and Crypto.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Loc, TypeRef } from "../parse/ast.js";
import { UnsupportedError } from "../runtime/errors.js";
import type { RuntimeContext } from "../runtime/context.js";
import type { AsyncJob } from "../runtime/transaction.js";
import type { DataEngine } from "../data/engine.js";
import { typeName } from "../runtime/types.js";
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexList,
  ApexMap,
  ApexObject,
  ApexSet,
  EnumValue,
  NativeObject,
  TypeValue,
  type Value
} from "../runtime/values.js";
import { hashKey, looseEquals, str } from "../runtime/operators.js";
import { LIMITS, Limits } from "../runtime/limits.js";
import type { Stdlib } from "./registry.js";
import { ORG_ID, PROFILE_ID, currentUserId } from "../data/fixed-ids.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { isInstance, runtimeTypeName } from "../runtime/conversion.js";
import { countLimit } from "../runtime/governor.js";

/** Assertions compare with equals(): strings (also inside collections) are case-sensitive. */
function assertEq(rt: RuntimeContext, a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  if (a instanceof ApexObject || b instanceof ApexObject) return looseEquals(rt, a, b);
  // Numbers compare by value (assertEquals(100, opp.Amount) passes for 100.00).
  return hashKey(rt, a, true) === hashKey(rt, b, true);
}

export function installSystem(lib: Stdlib) {
  const rt = lib.runtime;
  const data = lib.data;
  const fail = (msg: string): never => throwApex(rt, "AssertException", msg);
  const withMsg = (m: Value | undefined, detail: string) =>
    m === undefined || m === null ? `Assertion Failed: ${detail}` : `Assertion Failed: ${str(rt, m)}: ${detail}`;
  const show = (v: Value) => (v === null ? "null" : str(rt, v));

  const enqueueJob = (a: Value[], loc: Loc): Value => {
    const job = a[0];
    if (!(job instanceof ApexObject)) nullPointer(rt);
    const q = rt.systemTypes.get("queueable")!;
    if (!isInstance(job, { kind: "class", cls: q })) unsupported(rt, "System.enqueueJob with a non-Queueable", loc);
    countLimit(rt, "queueableJobs");
    const queued: AsyncJob = {
      kind: "queueable",
      run: () => {
        const ctx = lib.construct("QueueableContext", [], loc);
        rt.callMethod(job, "execute", [ctx], loc);
      }
    };
    if (rt.transaction.test?.runningAsync) throwApex(rt, "AsyncException", "Maximum stack depth has been reached.");
    rt.transaction.enqueue(queued);
    return data.nextId("707");
  };

  lib.static_("System", {
    debug: (a) => {
      rt.transaction.debugLog.push(show(a[a.length - 1]));
      return null;
    },
    assert: (a) => {
      if (a[0] !== true)
        fail(a.length > 1 && a[1] !== null ? `Assertion Failed: ${str(rt, a[1])}` : "Assertion Failed");
      return null;
    },
    assertEquals: (a) => {
      if (!assertEq(rt, a[0], a[1])) fail(withMsg(a[2], `Expected: ${show(a[0])}, Actual: ${show(a[1])}`));
      return null;
    },
    assertNotEquals: (a) => {
      if (assertEq(rt, a[0], a[1])) fail(withMsg(a[2], `Same value: ${show(a[0])}`));
      return null;
    },
    now: () => new ApexDatetime(Date.now()),
    today: () => {
      const n = new Date();
      return new ApexDate(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate());
    },
    currentTimeMillis: () => BigInt(Date.now()),
    enqueueJob,
    isBatch: () => false,
    isFuture: () => rt.transaction.asyncKind === "future",
    isQueueable: () => rt.transaction.asyncKind === "queueable",
    isScheduled: () => false,
    runAs: (_a, loc) => unsupported(rt, "System.runAs", loc),
    schedule: (_a, loc) => unsupported(rt, "System.schedule", loc),
    abortJob: (_a, loc) => unsupported(rt, "System.abortJob", loc),
    hashCode: (a) => (a[0] instanceof ApexObject ? a[0].identity : 0)
  });

  lib.static_("Assert", {
    areEqual: (a) => {
      if (!assertEq(rt, a[0], a[1])) fail(withMsg(a[2], `Expected: ${show(a[0])}, Actual: ${show(a[1])}`));
      return null;
    },
    areNotEqual: (a) => {
      if (assertEq(rt, a[0], a[1])) fail(withMsg(a[2], `Same value: ${show(a[0])}`));
      return null;
    },
    isTrue: (a) => {
      if (a[0] !== true) fail(withMsg(a[1], "Expected: true, Actual: " + show(a[0])));
      return null;
    },
    isFalse: (a) => {
      if (a[0] !== false) fail(withMsg(a[1], "Expected: false, Actual: " + show(a[0])));
      return null;
    },
    isNull: (a) => {
      if (a[0] !== null) fail(withMsg(a[1], "Expected: null, Actual: " + show(a[0])));
      return null;
    },
    isNotNull: (a) => {
      if (a[0] === null) fail(withMsg(a[1], "Expected: not null, Actual: null"));
      return null;
    },
    fail: (a) => fail(a.length > 0 && a[0] !== null ? str(rt, a[0]) : "Assertion Failed"),
    isInstanceOfType: (a) => {
      const t = a[1];
      if (!(t instanceof TypeValue) || !isInstance(a[0], t.type)) {
        fail(
          withMsg(
            a[2],
            `Expected instance of ${t instanceof TypeValue ? typeName(t.type) : "?"}, Actual: ${runtimeTypeName(a[0])}`
          )
        );
      }
      return null;
    },
    isNotInstanceOfType: (a) => {
      const t = a[1];
      if (t instanceof TypeValue && isInstance(a[0], t.type))
        fail(withMsg(a[2], `Unexpected instance of ${typeName(t.type)}`));
      return null;
    }
  });

  lib.static_("Test", {
    isRunningTest: () => !!rt.transaction.test,
    startTest: (_a, loc) => {
      const t = rt.transaction.test;
      if (!t) unsupported(rt, "Test.startTest outside a test", loc);
      if (t.started) throwApex(rt, "FinalException", "Testing already started");
      t.started = true;
      t.limitsBeforeStart = rt.transaction.limits;
      rt.transaction.limits = new Limits();
      rt.transaction.uncommittedDml = false;
      return null;
    },
    stopTest: (_a, loc) => {
      const t = rt.transaction.test;
      if (!t) unsupported(rt, "Test.stopTest outside a test", loc);
      if (t.stopped) throwApex(rt, "FinalException", "Testing already stopped");
      t.stopped = true;
      rt.transaction.runQueued();
      if (t.limitsBeforeStart) rt.transaction.limits = t.limitsBeforeStart;
      return null;
    },
    setMock: (a, loc) => {
      if (!rt.transaction.test) unsupported(rt, "Test.setMock outside a test", loc);
      rt.transaction.test.mock = a[1];
      return null;
    },
    getStandardPricebookId: () => data.standardPricebookId(),
    loadData: (_a, loc) => unsupported(rt, "Test.loadData", loc),
    setFixedSearchResults: (_a, loc) => unsupported(rt, "Test.setFixedSearchResults", loc),
    createStub: (_a, loc) => unsupported(rt, "Test.createStub", loc),
    enableChangeDataCapture: (_a, loc) => unsupported(rt, "Test.enableChangeDataCapture", loc)
  });

  const limitFns: Record<string, (a: Value[], l: Loc) => Value> = {
    getQueries: () => rt.transaction.limits.queries,
    getLimitQueries: () => LIMITS.queries,
    getQueryRows: () => rt.transaction.limits.queryRows,
    getLimitQueryRows: () => LIMITS.queryRows,
    getDmlStatements: () => rt.transaction.limits.dmlStatements,
    getLimitDmlStatements: () => LIMITS.dmlStatements,
    getDmlRows: () => rt.transaction.limits.dmlRows,
    getLimitDmlRows: () => LIMITS.dmlRows,
    getCallouts: () => rt.transaction.limits.callouts,
    getLimitCallouts: () => LIMITS.callouts,
    getQueueableJobs: () => rt.transaction.limits.queueableJobs,
    getLimitQueueableJobs: () => LIMITS.queueableJobs,
    getCpuTime: () => rt.transaction.limits.cpuTime(),
    getLimitCpuTime: () => LIMITS.cpuTime,
    getFutureCalls: () => rt.transaction.limits.futureCalls,
    getLimitFutureCalls: () => LIMITS.futureCalls,
    getEmailInvocations: () => 0,
    getLimitEmailInvocations: () => LIMITS.emailInvocations
  };
  lib.static_("Limits", limitFns);

  lib.static_("UserInfo", {
    getUserId: () => currentUserId(rt.transaction),
    getUserName: () => userField(data, "username"),
    getName: () => userField(data, "name"),
    getFirstName: () => userField(data, "firstname"),
    getLastName: () => userField(data, "lastname"),
    getUserEmail: () => userField(data, "email"),
    getOrganizationId: () => ORG_ID,
    getOrganizationName: () => "Local Org",
    getProfileId: () => userField(data, "profileid") ?? PROFILE_ID,
    getTimeZone: () => new NativeObject("TimeZone", { id: "GMT" }),
    getLocale: () => "en_US",
    getLanguage: () => "en_US",
    getDefaultCurrency: () => "USD",
    isMultiCurrencyOrganization: () => false,
    getUserType: () => "Standard"
  });

  const blob = (v: Value, loc: Loc): Buffer => {
    if (v === null) nullPointer(rt);
    if (!(v instanceof ApexBlob)) unsupported(rt, `Blob argument of type ${runtimeTypeName(v)}`, loc);
    return v.bytes;
  };
  lib.static_("Blob", {
    valueOf: (a: Value[]) => (a[0] === null ? nullPointer(rt) : new ApexBlob(Buffer.from(String(a[0]), "utf8")))
  });
  lib.instance<ApexBlob>("blob", {
    toString: (b: ApexBlob) => b.bytes.toString("utf8"),
    size: (b) => b.bytes.length
  });
  lib.static_("EncodingUtil", {
    base64Encode: (a, l) => blob(a[0], l).toString("base64"),
    base64Decode: (a) => {
      if (a[0] === null) nullPointer(rt);
      return new ApexBlob(Buffer.from(String(a[0]), "base64"));
    },
    urlEncode: (a) =>
      encodeURIComponent(String(a[0]))
        .replace(/%20/g, "+")
        .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()),
    urlDecode: (a) => decodeURIComponent(String(a[0]).replace(/\+/g, " ")),
    convertToHex: (a, l) => blob(a[0], l).toString("hex"),
    convertFromHex: (a) => new ApexBlob(Buffer.from(String(a[0]), "hex"))
  });
  const algo = (v: Value) => String(v).toLowerCase().replace("-", "");
  lib.static_("Crypto", {
    generateDigest: (a, l) => new ApexBlob(createHash(algo(a[0])).update(blob(a[1], l)).digest()),
    generateMac: (a, l) =>
      new ApexBlob(createHmac(algo(a[0]).replace("hmac", ""), blob(a[2], l)).update(blob(a[1], l)).digest()),
    getRandomInteger: () => randomBytes(4).readInt32BE(0),
    getRandomLong: () => randomBytes(8).readBigInt64BE(0),
    generateAesKey: (a) => new ApexBlob(randomBytes(Number(a[0]) / 8))
  });

  lib.instance<EnumValue>("enum", {
    name: (e) => e.name,
    ordinal: (e) => e.ordinal,
    toString: (e: EnumValue) => e.name,
    equals: (e, a) => e === a[0],
    hashCode: (e) => e.ordinal
  });

  // Custom labels: System.Label.Name, from labels/*.labels-meta.xml.
  lib.static_("Label", {});
  lib.staticProp("Label", {
    "*": (loc, key) =>
      lib.labels.get(key.toLowerCase()) ?? unsupported(rt, `custom label ${key} (not in the project's labels)`, loc)
  });

  lib.systemEnum("System.LoggingLevel", ["NONE", "ERROR", "WARN", "INFO", "DEBUG", "FINE", "FINER", "FINEST"]);

  // Only GMT exists: the local org's user is in GMT, and other zones need the tz database.
  lib.nativeType("System.TimeZone", undefined, (v) => String(v.data.id));
  lib.static_("TimeZone", {
    getTimeZone: (a, l) => {
      const id = String(a[0]);
      if (!["GMT", "UTC", "Etc/GMT", "Etc/UTC"].includes(id)) {
        unsupported(rt, `time zone ${id} (only GMT)`, l);
      }
      return new NativeObject("TimeZone", { id });
    }
  });
  lib.instance<NativeObject>("timezone", {
    getID: (o) => String(o.data.id),
    getDisplayName: () => "Greenwich Mean Time",
    getOffset: () => 0,
    toString: (o: NativeObject) => String(o.data.id)
  });

  // URL: the org's own domain is a fixed local name; other URLs are parsed as given.
  const url = (text: string) => new NativeObject("Url", { url: new URL(text), text });
  lib.nativeType("System.Url", (a) => {
    try {
      return url(a.length === 1 ? String(a[0]) : new URL(String(a[a.length - 1]), String(a[0])).toString());
    } catch {
      return throwApex(rt, "StringException", `Invalid URL: ${String(a[0])}`);
    }
  });
  lib.static_("Url", {
    getOrgDomainUrl: () => url("https://local-org.my.salesforce.com"),
    getSalesforceBaseUrl: () => url("https://local-org.my.salesforce.com"),
    getCurrentRequestUrl: (_a, l) => unsupported(rt, "URL.getCurrentRequestUrl", l)
  });
  const u = (o: NativeObject) => o.data.url as URL;
  lib.instance<NativeObject>("url", {
    toExternalForm: (o) => String(o.data.text),
    getHost: (o) => u(o).hostname,
    getPath: (o) => u(o).pathname,
    getProtocol: (o) => u(o).protocol.replace(":", ""),
    getQuery: (o) => (u(o).search ? u(o).search.slice(1) : null),
    getPort: (o) => (u(o).port ? Number(u(o).port) : -1),
    getRef: (o) => (u(o).hash ? u(o).hash.slice(1) : null),
    toString: (o: NativeObject) => String(o.data.text)
  });

  lib.static_("FeatureManagement", {
    checkPermission: (a) => hasCustomPermission(data, String(a[0]))
  });

  lib.nativeType("System.Type");
  lib.static_("Type", {
    forName: (a, loc) => {
      const name = String(a[a.length - 1] ?? "").trim();
      if (/[<[]/.test(name)) {
        // Collection types such as List<Account> resolve like a declared type.
        const tr = parseTypeText(name);
        if (!tr) return null;
        try {
          return new TypeValue(rt.resolveType(tr, null, loc), true);
        } catch (e) {
          if (e instanceof UnsupportedError) return null;
          throw e;
        }
      }
      const t = rt.lookupType(name.toLowerCase().split("."), null);
      return t ? new TypeValue(t, true) : null;
    }
  });
  lib.instance<TypeValue>("type", {
    getName: (t) => typeName(t.type),
    toString: (t: TypeValue) => typeName(t.type),
    newInstance: (t, _a, loc) => {
      if (t.type.kind === "class") return rt.instantiate(t.type.cls, [], loc);
      if (t.type.kind === "sobject" && t.type.obj) return data.newRecord(t.type.obj);
      if (t.type.kind === "list") return new ApexList(t.type.elem);
      if (t.type.kind === "set") return new ApexSet(t.type.elem);
      if (t.type.kind === "map") return new ApexMap(t.type.key, t.type.value);
      unsupported(rt, `Type.newInstance for ${typeName(t.type)}`, loc);
    },
    equals: (t, a) => a[0] instanceof TypeValue && typeName(a[0].type).toLowerCase() === typeName(t.type).toLowerCase(),
    hashCode: (t) => typeName(t.type).length
  });
}

/** Parses a type name such as `Map<String, List<Account>>` or `String[]`; null if malformed. */
function parseTypeText(text: string): TypeRef | null {
  let pos = 0;
  const parse = (): TypeRef | null => {
    const start = pos;
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*/.exec(text.slice(pos));
    if (!m) return null;
    pos += m[0].length;
    const names = m[1].split(".").map((n) => n.trim());
    const args: TypeRef[] = [];
    if (text[pos] === "<") {
      pos++;
      for (;;) {
        const arg = parse();
        if (!arg) return null;
        args.push(arg);
        if (text[pos] === ",") pos++;
        else if (text[pos] === ">") {
          pos++;
          break;
        } else return null;
      }
      while (text[pos] === " ") pos++;
    }
    let tr: TypeRef = { names, args, text: text.slice(start, pos).trim() };
    while (text.startsWith("[]", pos)) {
      pos += 2;
      tr = { names: ["List"], args: [tr], text: text.slice(start, pos).trim() };
      while (text[pos] === " ") pos++;
    }
    return tr;
  };
  const tr = parse();
  return tr && pos === text.length ? tr : null;
}

function userField(data: DataEngine, field: string): Value {
  return data.findById(currentUserId(data.runtime.transaction))?.rec.get(field) ?? null;
}

/** FeatureManagement.checkPermission: custom permissions granted through assigned permission sets. */
function hasCustomPermission(data: DataEngine, name: string): boolean {
  const table = (n: string) => [...data.table(data.schema.get(n)!).values()];
  const perm = table("CustomPermission").find(
    (r) => String(r.get("developername")).toLowerCase() === name.toLowerCase()
  );
  if (!perm) return false;
  const user = currentUserId(data.runtime.transaction);
  const sets = new Set(
    table("PermissionSetAssignment")
      .filter((r) => r.get("assigneeid") === user)
      .map((r) => r.get("permissionsetid"))
  );
  return table("SetupEntityAccess").some(
    (r) => sets.has(r.get("parentid") ?? null) && r.get("setupentityid") === perm.get("id")
  );
}
