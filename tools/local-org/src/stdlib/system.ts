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
import { hasCustomPermission } from "../data/permissions.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { isInstance, runtimeTypeName } from "../runtime/conversion.js";
import { countLimit } from "../runtime/governor.js";
import { normalizeId } from "../runtime/ids.js";

/** Assertions compare with equals(): strings (also inside collections) are case-sensitive. */
function assertEq(runtime: RuntimeContext, a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  if (a instanceof ApexObject || b instanceof ApexObject) return looseEquals(runtime, a, b);
  // Numbers compare by value (assertEquals(100, opp.Amount) passes for 100.00).
  return hashKey(runtime, a, true) === hashKey(runtime, b, true);
}

export function installSystem(lib: Stdlib) {
  const runtime = lib.runtime;
  const data = lib.data;
  const fail = (message: string): never => throwApex(runtime, "AssertException", message);
  const withMsg = (m: Value | undefined, detail: string) =>
    m === undefined || m === null ? `Assertion Failed: ${detail}` : `Assertion Failed: ${str(runtime, m)}: ${detail}`;
  const show = (value: Value) => (value === null ? "null" : str(runtime, value));

  const enqueueJob = (args: Value[], loc: Loc): Value => {
    const job = args[0];
    if (!(job instanceof ApexObject)) nullPointer(runtime);
    const q = runtime.systemTypes.get("queueable")!;
    if (!isInstance(job, { kind: "class", cls: q }))
      unsupported(runtime, "System.enqueueJob with a non-Queueable", loc);
    countLimit(runtime, "queueableJobs");
    const queued: AsyncJob = {
      kind: "queueable",
      run: () => {
        const ctx = lib.construct("QueueableContext", [], loc);
        runtime.callMethod(job, "execute", [ctx], loc);
      }
    };
    if (runtime.transaction.test?.runningAsync)
      throwApex(runtime, "AsyncException", "Maximum stack depth has been reached.");
    runtime.transaction.enqueue(queued);
    return data.nextId("707");
  };

  lib.static_("System", {
    debug: (args) => {
      runtime.transaction.debugLog.push(show(args[args.length - 1]));
      return null;
    },
    assert: (args) => {
      if (args[0] !== true)
        fail(args.length > 1 && args[1] !== null ? `Assertion Failed: ${str(runtime, args[1])}` : "Assertion Failed");
      return null;
    },
    assertEquals: (args) => {
      if (!assertEq(runtime, args[0], args[1]))
        fail(withMsg(args[2], `Expected: ${show(args[0])}, Actual: ${show(args[1])}`));
      return null;
    },
    assertNotEquals: (args) => {
      if (assertEq(runtime, args[0], args[1])) fail(withMsg(args[2], `Same value: ${show(args[0])}`));
      return null;
    },
    now: () => new ApexDatetime(runtime.clock.now()),
    today: () => {
      const n = new Date(runtime.clock.now());
      return new ApexDate(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate());
    },
    currentTimeMillis: () => BigInt(runtime.clock.now()),
    enqueueJob,
    isBatch: () => false,
    isFuture: () => runtime.transaction.asyncKind === "future",
    isQueueable: () => runtime.transaction.asyncKind === "queueable",
    isScheduled: () => runtime.transaction.asyncKind === "scheduled",
    runAs: (_args, loc) => unsupported(runtime, "System.runAs", loc),
    schedule: (args, loc) => lib.scheduler.schedule(args, loc),
    abortJob: (args, loc) => {
      if (args[0] === null) nullPointer(runtime);
      const id = normalizeId(str(runtime, args[0]));
      if (id === null) throwApex(runtime, "StringException", `Invalid id: ${str(runtime, args[0])}`);
      if (!lib.scheduler.isTriggerId(id))
        unsupported(runtime, "System.abortJob of a job other than scheduled Apex (a CronTrigger id)", loc);
      lib.scheduler.abort(id);
      return null;
    },
    hashCode: (args) => (args[0] instanceof ApexObject ? args[0].identity : 0)
  });

  lib.nativeType("System.SchedulableContext");
  lib.instance<NativeObject>("schedulablecontext", {
    getTriggerId: (context) => String(context.data.triggerId)
  });

  lib.static_("Assert", {
    areEqual: (args) => {
      if (!assertEq(runtime, args[0], args[1]))
        fail(withMsg(args[2], `Expected: ${show(args[0])}, Actual: ${show(args[1])}`));
      return null;
    },
    areNotEqual: (args) => {
      if (assertEq(runtime, args[0], args[1])) fail(withMsg(args[2], `Same value: ${show(args[0])}`));
      return null;
    },
    isTrue: (args) => {
      if (args[0] !== true) fail(withMsg(args[1], "Expected: true, Actual: " + show(args[0])));
      return null;
    },
    isFalse: (args) => {
      if (args[0] !== false) fail(withMsg(args[1], "Expected: false, Actual: " + show(args[0])));
      return null;
    },
    isNull: (args) => {
      if (args[0] !== null) fail(withMsg(args[1], "Expected: null, Actual: " + show(args[0])));
      return null;
    },
    isNotNull: (args) => {
      if (args[0] === null) fail(withMsg(args[1], "Expected: not null, Actual: null"));
      return null;
    },
    fail: (args) => fail(args.length > 0 && args[0] !== null ? str(runtime, args[0]) : "Assertion Failed"),
    isInstanceOfType: (args) => {
      const t = args[1];
      if (!(t instanceof TypeValue) || !isInstance(args[0], t.type)) {
        fail(
          withMsg(
            args[2],
            `Expected instance of ${t instanceof TypeValue ? typeName(t.type) : "?"}, Actual: ${runtimeTypeName(args[0])}`
          )
        );
      }
      return null;
    },
    isNotInstanceOfType: (args) => {
      const t = args[1];
      if (t instanceof TypeValue && isInstance(args[0], t.type))
        fail(withMsg(args[2], `Unexpected instance of ${typeName(t.type)}`));
      return null;
    }
  });

  lib.static_("Test", {
    isRunningTest: () => !!runtime.transaction.test,
    startTest: (_args, loc) => {
      const test = runtime.transaction.test;
      if (!test) unsupported(runtime, "Test.startTest outside a test", loc);
      if (test.started) throwApex(runtime, "FinalException", "Testing already started");
      test.started = true;
      test.limitsBeforeStart = runtime.transaction.limits;
      runtime.transaction.limits = new Limits();
      runtime.transaction.uncommittedDml = false;
      return null;
    },
    stopTest: (_args, loc) => {
      const test = runtime.transaction.test;
      if (!test) unsupported(runtime, "Test.stopTest outside a test", loc);
      if (test.stopped) throwApex(runtime, "FinalException", "Testing already stopped");
      test.stopped = true;
      runtime.transaction.runQueued();
      lib.eventBus.deliverInTest();
      if (test.limitsBeforeStart) runtime.transaction.limits = test.limitsBeforeStart;
      return null;
    },
    setMock: (args, loc) => {
      if (!runtime.transaction.test) unsupported(runtime, "Test.setMock outside a test", loc);
      runtime.transaction.test.mock = args[1];
      return null;
    },
    getStandardPricebookId: () => data.standardPricebookId(),
    getEventBus: (_args, loc) => {
      if (!runtime.transaction.test) unsupported(runtime, "Test.getEventBus outside a test", loc);
      return new NativeObject("TestBroker", {});
    },
    setCreatedDate: (args, loc) => {
      const [idValue, when] = args;
      if (idValue === null || when === null) nullPointer(runtime);
      const found = data.findById(str(runtime, idValue));
      if (!found)
        throwApex(
          runtime,
          "IllegalArgumentException",
          `The sObject with the ID ${str(runtime, idValue)} isn't part of this transaction.`
        );
      if (!(when instanceof ApexDatetime))
        unsupported(runtime, "Test.setCreatedDate with a value that is not a Datetime", loc);
      found.rec.set("createddate", when);
      return null;
    },
    loadData: (_args, loc) => unsupported(runtime, "Test.loadData", loc),
    setFixedSearchResults: (_args, loc) => unsupported(runtime, "Test.setFixedSearchResults", loc),
    createStub: (_args, loc) => unsupported(runtime, "Test.createStub", loc),
    enableChangeDataCapture: (_args, loc) => unsupported(runtime, "Test.enableChangeDataCapture", loc)
  });

  const limitFns: Record<string, (args: Value[], loc: Loc) => Value> = {
    getQueries: () => runtime.transaction.limits.queries,
    getLimitQueries: () => LIMITS.queries,
    getQueryRows: () => runtime.transaction.limits.queryRows,
    getLimitQueryRows: () => LIMITS.queryRows,
    getDmlStatements: () => runtime.transaction.limits.dmlStatements,
    getLimitDmlStatements: () => LIMITS.dmlStatements,
    getDmlRows: () => runtime.transaction.limits.dmlRows,
    getLimitDmlRows: () => LIMITS.dmlRows,
    getCallouts: () => runtime.transaction.limits.callouts,
    getLimitCallouts: () => LIMITS.callouts,
    getQueueableJobs: () => runtime.transaction.limits.queueableJobs,
    getLimitQueueableJobs: () => LIMITS.queueableJobs,
    getCpuTime: () => runtime.transaction.limits.cpuTime(),
    getLimitCpuTime: () => LIMITS.cpuTime,
    getFutureCalls: () => runtime.transaction.limits.futureCalls,
    getLimitFutureCalls: () => LIMITS.futureCalls,
    getEmailInvocations: () => runtime.transaction.limits.emailInvocations,
    getLimitEmailInvocations: () => LIMITS.emailInvocations,
    getPublishImmediateDML: () => runtime.transaction.limits.publishImmediateDml,
    getLimitPublishImmediateDML: () => LIMITS.publishImmediateDml
  };
  lib.static_("Limits", limitFns);

  lib.static_("UserInfo", {
    getUserId: () => currentUserId(runtime.transaction),
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

  const blob = (value: Value, loc: Loc): Buffer => {
    if (value === null) nullPointer(runtime);
    if (!(value instanceof ApexBlob)) unsupported(runtime, `Blob argument of type ${runtimeTypeName(value)}`, loc);
    return value.bytes;
  };
  lib.static_("Blob", {
    valueOf: (args: Value[]) =>
      args[0] === null ? nullPointer(runtime) : new ApexBlob(Buffer.from(String(args[0]), "utf8"))
  });
  lib.instance<ApexBlob>("blob", {
    toString: (b: ApexBlob) => b.bytes.toString("utf8"),
    size: (b) => b.bytes.length
  });
  lib.static_("EncodingUtil", {
    base64Encode: (args, loc) => blob(args[0], loc).toString("base64"),
    base64Decode: (args) => {
      if (args[0] === null) nullPointer(runtime);
      return new ApexBlob(Buffer.from(String(args[0]), "base64"));
    },
    urlEncode: (args) =>
      encodeURIComponent(String(args[0]))
        .replace(/%20/g, "+")
        .replace(/[!'()*]/g, (character) => "%" + character.charCodeAt(0).toString(16).toUpperCase()),
    urlDecode: (args) => decodeURIComponent(String(args[0]).replace(/\+/g, " ")),
    convertToHex: (args, loc) => blob(args[0], loc).toString("hex"),
    convertFromHex: (args) => new ApexBlob(Buffer.from(String(args[0]), "hex"))
  });
  const algo = (value: Value) => String(value).toLowerCase().replace("-", "");
  lib.static_("Crypto", {
    generateDigest: (args, loc) => new ApexBlob(createHash(algo(args[0])).update(blob(args[1], loc)).digest()),
    generateMac: (args, loc) =>
      new ApexBlob(
        createHmac(algo(args[0]).replace("hmac", ""), blob(args[2], loc)).update(blob(args[1], loc)).digest()
      ),
    getRandomInteger: () => randomBytes(4).readInt32BE(0),
    getRandomLong: () => randomBytes(8).readBigInt64BE(0),
    generateAesKey: (args) => new ApexBlob(randomBytes(Number(args[0]) / 8))
  });

  lib.instance<EnumValue>("enum", {
    name: (constant) => constant.name,
    ordinal: (constant) => constant.ordinal,
    toString: (constant: EnumValue) => constant.name,
    equals: (constant, args) => constant === args[0],
    hashCode: (constant) => constant.ordinal
  });

  // Custom labels: System.Label.Name, from labels/*.labels-meta.xml.
  lib.static_("Label", {});
  lib.staticProp("Label", {
    "*": (loc, key) =>
      lib.labels.get(key.toLowerCase()) ??
      unsupported(runtime, `custom label ${key} (not in the project's labels)`, loc)
  });

  lib.systemEnum("System.LoggingLevel", ["NONE", "ERROR", "WARN", "INFO", "DEBUG", "FINE", "FINER", "FINEST"]);

  // Only GMT exists: the local org's user is in GMT, and other zones need the tz database.
  lib.nativeType("System.TimeZone", undefined, (object) => String(object.data.id));
  lib.static_("TimeZone", {
    getTimeZone: (args, loc) => {
      const id = String(args[0]);
      if (!["GMT", "UTC", "Etc/GMT", "Etc/UTC"].includes(id)) {
        unsupported(runtime, `time zone ${id} (only GMT)`, loc);
      }
      return new NativeObject("TimeZone", { id });
    }
  });
  lib.instance<NativeObject>("timezone", {
    getID: (object) => String(object.data.id),
    getDisplayName: () => "Greenwich Mean Time",
    getOffset: () => 0,
    toString: (object: NativeObject) => String(object.data.id)
  });

  // URL: the org's own domain is a fixed local name; other URLs are parsed as given.
  const url = (text: string) => new NativeObject("Url", { url: new URL(text), text });
  lib.nativeType("System.Url", (args) => {
    try {
      return url(
        args.length === 1 ? String(args[0]) : new URL(String(args[args.length - 1]), String(args[0])).toString()
      );
    } catch {
      return throwApex(runtime, "StringException", `Invalid URL: ${String(args[0])}`);
    }
  });
  lib.static_("Url", {
    getOrgDomainUrl: () => url("https://local-org.my.salesforce.com"),
    getSalesforceBaseUrl: () => url("https://local-org.my.salesforce.com"),
    getCurrentRequestUrl: (_args, loc) => unsupported(runtime, "URL.getCurrentRequestUrl", loc)
  });
  const u = (object: NativeObject) => object.data.url as URL;
  lib.instance<NativeObject>("url", {
    toExternalForm: (object) => String(object.data.text),
    getHost: (object) => u(object).hostname,
    getPath: (object) => u(object).pathname,
    getProtocol: (object) => u(object).protocol.replace(":", ""),
    getQuery: (object) => (u(object).search ? u(object).search.slice(1) : null),
    getPort: (object) => (u(object).port ? Number(u(object).port) : -1),
    getRef: (object) => (u(object).hash ? u(object).hash.slice(1) : null),
    toString: (object: NativeObject) => String(object.data.text)
  });

  lib.static_("FeatureManagement", {
    checkPermission: (args) => hasCustomPermission(data, runtime.transaction, String(args[0]))
  });

  lib.nativeType("System.Type");
  lib.static_("Type", {
    forName: (args, loc) => {
      const name = String(args[args.length - 1] ?? "").trim();
      if (/[<[]/.test(name)) {
        // Collection types such as List<Account> resolve like a declared type.
        const tr = parseTypeText(name);
        if (!tr) return null;
        try {
          return new TypeValue(runtime.resolveType(tr, null, loc), true);
        } catch (error) {
          if (error instanceof UnsupportedError) return null;
          throw error;
        }
      }
      const type = runtime.lookupType(name.toLowerCase().split("."), null);
      return type ? new TypeValue(type, true) : null;
    }
  });
  lib.instance<TypeValue>("type", {
    getName: (typeValue) => typeName(typeValue.type),
    toString: (typeValue: TypeValue) => typeName(typeValue.type),
    newInstance: (typeValue, _args, loc) => {
      if (typeValue.type.kind === "class") return runtime.instantiate(typeValue.type.cls, [], loc);
      if (typeValue.type.kind === "sobject" && typeValue.type.obj) return data.newRecord(typeValue.type.obj);
      if (typeValue.type.kind === "list") return new ApexList(typeValue.type.elem);
      if (typeValue.type.kind === "set") return new ApexSet(typeValue.type.elem);
      if (typeValue.type.kind === "map") return new ApexMap(typeValue.type.key, typeValue.type.value);
      unsupported(runtime, `Type.newInstance for ${typeName(typeValue.type)}`, loc);
    },
    equals: (typeValue, args) =>
      args[0] instanceof TypeValue && typeName(args[0].type).toLowerCase() === typeName(typeValue.type).toLowerCase(),
    hashCode: (typeValue) => typeName(typeValue.type).length
  });
}

/** Parses a type name such as `Map<String, List<Account>>` or `String[]`; null if malformed. */
function parseTypeText(text: string): TypeRef | null {
  let pos = 0;
  const parse = (): TypeRef | null => {
    const start = pos;
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*/.exec(text.slice(pos));
    if (!match) return null;
    pos += match[0].length;
    const names = match[1].split(".").map((name) => name.trim());
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
    let ref: TypeRef = { names, args, text: text.slice(start, pos).trim() };
    while (text.startsWith("[]", pos)) {
      pos += 2;
      ref = { names: ["List"], args: [ref], text: text.slice(start, pos).trim() };
      while (text[pos] === " ") pos++;
    }
    return ref;
  };
  const tr = parse();
  return tr && pos === text.length ? tr : null;
}

function userField(data: DataEngine, field: string): Value {
  return data.findById(currentUserId(data.runtime.transaction))?.rec.get(field) ?? null;
}
