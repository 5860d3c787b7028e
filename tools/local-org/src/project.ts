// Loads package directories: Apex classes, object metadata, validation rules, Named and
// external credentials, custom metadata records, permissions, labels and flows.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { parseClassFile, parseTriggerFile } from "./parse/convert.js";
import { ApexSyntaxError } from "./parse/syntax-error.js";
import { parseClassFileCached, pruneCache } from "./parse/cache.js";
import type { TriggerDecl, TypeDecl } from "./parse/ast.js";
import { Interpreter } from "./interpreter/interpreter.js";
import { Schema } from "./data/schema.js";
import { validationRule } from "./data/validation-rules.js";
import type { NamedCredentialConfig } from "./stdlib/registry.js";
import { ApexDecimal, type Value } from "./runtime/values.js";
import { loadExternalCredentials } from "./external-credentials.js";
import { loadFlowFile } from "./flow/loader.js";
import type { FlowEngine } from "./flow/engine.js";
import { installFlows, type LocalOrgFlowHost } from "./flow-host.js";
import { ApexTriggers, installTriggers } from "./apex-triggers.js";
import type { EmailDeliverability } from "./stdlib/outbox.js";

export interface LoadOptions {
  /** Package directories laid out like force-app (default: ["force-app"]). */
  sourceDirs?: string[];
  /** Named Credential URLs and headers, by credential name; overrides metadata endpoints. */
  namedCredentials?: Record<string, NamedCredentialConfig>;
  /** Secret values of external credential parameters, by `ExternalCredential.Parameter`
   * (e.g. `{ "Stigg.ApiKey": "..." }`); named credential headers merge them in. */
  credentials?: Record<string, string>;
  /** Reuse syntax trees stored in node_modules/.cache/local-org (default true). */
  cache?: boolean;
  /** Classes given as source text, loaded with the folders' classes. */
  classSources?: { file: string; source: string }[];
  /** Flows (by API name) to run as active although their metadata is not, as a subscriber
   * activates a template after Save As. */
  activateFlows?: string[];
  /** Setup, Deliverability, Access level: "all" (the default) lets Apex send single emails;
   * "systemOnly" and "none" make Messaging.sendEmail fail as the platform does. */
  emailDeliverability?: EmailDeliverability;
}

export interface LoadedProject {
  interpreter: Interpreter;
  types: TypeDecl[];
  flows: { engine: FlowEngine; host: LocalOrgFlowHost };
  triggers: ApexTriggers;
}

function walk(dir: string, visit: (path: string, isDir: boolean) => boolean | void) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    const isDir = statSync(p).isDirectory();
    const descend = visit(p, isDir);
    if (isDir && descend !== false) walk(p, visit);
  }
}

export function loadProject(options: LoadOptions = {}): LoadedProject {
  const dirs = options.sourceDirs ?? ["force-app"];
  const schema = new Schema();
  const classFiles: string[] = [];
  const objectDirs: string[] = [];
  const credentialFiles: string[] = [];
  const externalCredentialFiles: string[] = [];
  const metadataFiles: string[] = [];
  const permissionFiles: string[] = [];
  const flowFiles: string[] = [];
  const labelFiles: string[] = [];
  const triggerFiles: string[] = [];
  const notificationTypeFiles: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) throw new Error(`source directory not found: ${d}`);
    walk(d, (p, isDir) => {
      const base = p.split(/[\\/]/).pop()!;
      if (isDir && base === "objects") {
        objectDirs.push(p);
        return false;
      }
      if (!isDir && base.endsWith(".cls")) classFiles.push(p);
      if (!isDir && base.endsWith(".namedCredential-meta.xml")) credentialFiles.push(p);
      if (!isDir && base.endsWith(".externalCredential-meta.xml")) externalCredentialFiles.push(p);
      if (!isDir && base.endsWith(".md-meta.xml")) metadataFiles.push(p);
      if (!isDir && base.endsWith(".flow-meta.xml")) flowFiles.push(p);
      if (!isDir && base.endsWith(".labels-meta.xml")) labelFiles.push(p);
      if (!isDir && (base.endsWith(".permissionset-meta.xml") || base.endsWith(".customPermission-meta.xml")))
        permissionFiles.push(p);
      if (!isDir && base.endsWith(".trigger")) triggerFiles.push(p);
      if (!isDir && base.endsWith(".notiftype-meta.xml")) notificationTypeFiles.push(p);
    });
  }
  for (const od of objectDirs) schema.loadObjectsFolder(od);
  const interpreter = new Interpreter(schema);
  const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) =>
      name === "values" || name === "namedCredentialParameters" || name === "externalCredentialParameters"
  });
  for (const od of objectDirs) {
    for (const objName of readdirSync(od)) {
      const vr = join(od, objName, "validationRules");
      if (!existsSync(vr)) continue;
      for (const f of readdirSync(vr)) {
        const file = join(vr, f);
        const r = xml.parse(readFileSync(file, "utf8")).ValidationRule as Record<string, string>;
        const list = interpreter.data.validationRules.get(objName.toLowerCase()) ?? [];
        list.push(
          validationRule(schema, objName, {
            name: String(r.fullName ?? f.replace(".validationRule-meta.xml", "")),
            active: String(r.active) === "true",
            formula: String(r.errorConditionFormula ?? "false"),
            errorMessage: String(r.errorMessage ?? ""),
            errorDisplayField: r.errorDisplayField ? String(r.errorDisplayField) : null,
            file
          })
        );
        interpreter.data.validationRules.set(objName.toLowerCase(), list);
      }
    }
  }
  for (const file of credentialFiles) {
    const name = file.split(/[\\/]/).pop()!.replace(".namedCredential-meta.xml", "");
    const nc = xml.parse(readFileSync(file, "utf8")).NamedCredential as Record<string, unknown>;
    let url = nc.endpoint ? String(nc.endpoint) : "";
    const params = (nc.namedCredentialParameters ?? []) as Record<string, unknown>[];
    const urlParam = params.find((p) => p.parameterType === "Url");
    if (urlParam) url = String(urlParam.parameterValue ?? "");
    const headers: Record<string, string> = {};
    // Custom headers of the linked external credential (AuthHeader), then the named credential's own.
    const linked = params.find((p) => p.parameterType === "Authentication")?.externalCredential;
    const externalCredentialFile = externalCredentialFiles.find(
      (f) => f.split(/[\\/]/).pop() === `${linked}.externalCredential-meta.xml`
    );
    const externalCredential = externalCredentialFile
      ? (xml.parse(readFileSync(externalCredentialFile, "utf8")).ExternalCredential as Record<string, unknown>)
      : {};
    for (const p of (externalCredential.externalCredentialParameters ?? []) as Record<string, unknown>[])
      if (p.parameterType === "AuthHeader") headers[String(p.parameterName)] = String(p.parameterValue ?? "");
    for (const p of params)
      if (p.parameterType === "HttpHeader") headers[String(p.parameterName)] = String(p.parameterValue ?? "");
    interpreter.stdlib.namedCredentials.set(name.toLowerCase(), { url, headers });
  }
  for (const [key, value] of Object.entries(options.credentials ?? {}))
    interpreter.stdlib.credentials.set(key.toLowerCase(), value);
  loadExternalCredentials(interpreter.stdlib, externalCredentialFiles);
  for (const [name, cfg] of Object.entries(options.namedCredentials ?? {})) {
    const prev = interpreter.stdlib.namedCredentials.get(name.toLowerCase());
    interpreter.stdlib.namedCredentials.set(name.toLowerCase(), {
      url: cfg.url || prev?.url || "",
      headers: { ...(prev?.headers ?? {}), ...(cfg.headers ?? {}) }
    });
  }
  // A class that cannot be parsed does not stop the others: using it fails with its error.
  const types: TypeDecl[] = [];
  const load = (file: string, parse: () => TypeDecl, source: string) => {
    try {
      types.push(parse());
    } catch (error) {
      if (!(error instanceof ApexSyntaxError)) throw error;
      const name = file
        .split(/[\\/]/)
        .pop()!
        .replace(/\.cls$/, "");
      interpreter.brokenClasses.set(name.toLowerCase(), {
        name,
        message: error.message,
        isTest: /@istest\b/i.test(source)
      });
    }
  };
  for (const f of classFiles) {
    const source = readFileSync(f, "utf8");
    load(f, () => parseClassFileCached(source, f, options.cache ?? true), source);
  }
  for (const c of options.classSources ?? []) load(c.file, () => parseClassFile(c.source, c.file), c.source);
  if (options.cache ?? true) pruneCache();
  // A trigger that does not compile cannot be saved on the platform: it stops the load.
  const triggerDecls: TriggerDecl[] = triggerFiles.map((file) => parseTriggerFile(readFileSync(file, "utf8"), file));
  interpreter.registerTypes([...types, ...triggerDecls.map((trigger) => trigger.body)]);
  loadCustomMetadata(interpreter, metadataFiles, xml);
  loadPermissions(interpreter, permissionFiles);
  loadNotificationTypes(interpreter, notificationTypeFiles);
  const flows = installFlows(interpreter, flowFiles.map(loadFlowFile), options.activateFlows ?? []);
  loadFlowDefinitions(interpreter, flows.engine);
  const triggers = new ApexTriggers(interpreter);
  triggers.load(triggerDecls);
  installTriggers(interpreter, triggers);
  if (options.emailDeliverability) interpreter.stdlib.emailDeliverability = options.emailDeliverability;
  const labelXml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => name === "labels"
  });
  for (const file of labelFiles) {
    const doc = labelXml.parse(readFileSync(file, "utf8")).CustomLabels as { labels?: Record<string, unknown>[] };
    for (const l of doc.labels ?? [])
      interpreter.stdlib.labels.set(String(l.fullName).toLowerCase(), String(l.value ?? ""));
  }
  return { interpreter, types, flows, triggers };
}

/** Custom notification types (`notificationtypes/`) become CustomNotificationType rows. */
function loadNotificationTypes(interpreter: Interpreter, files: string[]) {
  const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
  const obj = interpreter.schema.get("CustomNotificationType")!;
  for (const file of files) {
    const name = file.split(/[\\/]/).pop()!.replace(".notiftype-meta.xml", "");
    const type = xml.parse(readFileSync(file, "utf8")).CustomNotificationType as Record<string, unknown>;
    const id = interpreter.data.nextId(obj.keyPrefix);
    interpreter.data.table(obj).set(
      id,
      new Map<string, Value>([
        ["id", id],
        ["developername", name],
        ["masterlabel", String(type.masterLabel ?? name)],
        ["customnotiftypename", String(type.customNotifTypeName ?? name)],
        ["description", type.description === undefined ? null : String(type.description)],
        ["desktop", String(type.desktop) === "true"],
        ["mobile", String(type.mobile) === "true"],
        ["namespaceprefix", null]
      ])
    );
  }
}

function loadCustomMetadata(interpreter: Interpreter, files: string[], xml: XMLParser) {
  for (const file of files) {
    const base = file.split(/[\\/]/).pop()!.replace(".md-meta.xml", "");
    const [typeName, devName] = base.split(".");
    const obj = interpreter.schema.get(`${typeName}__mdt`);
    if (!obj) throw new Error(`${base}: custom metadata type ${typeName}__mdt has no object metadata`);
    const md = xml.parse(readFileSync(file, "utf8")).CustomMetadata as Record<string, unknown>;
    const record = new Map<string, Value>();
    record.set("id", interpreter.data.nextId(obj.keyPrefix));
    record.set("developername", devName);
    record.set("qualifiedapiname", devName);
    record.set("masterlabel", String(md.label ?? devName));
    record.set("label", String(md.label ?? devName));
    for (const v of (md.values ?? []) as Record<string, unknown>[]) {
      const field = obj.fields.get(String(v.field).toLowerCase());
      if (!field) continue;
      const raw = v.value;
      const text = raw === undefined || raw === null || typeof raw === "object" ? null : String(raw);
      let val: Value = text;
      if (text !== null) {
        if (field.type === "boolean") val = text === "true";
        else if (field.type === "double" || field.type === "currency" || field.type === "percent")
          val = ApexDecimal.parse(text);
      }
      record.set(field.name.toLowerCase(), val);
    }
    interpreter.data.table(obj).set(record.get("id") as string, record);
  }
}

/** Permission sets and custom permissions become records, so code can query and check them. */
function loadPermissions(interpreter: Interpreter, files: string[]) {
  const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => name === "customPermissions"
  });
  const insert = (objName: string, fields: Record<string, Value>) => {
    const obj = interpreter.schema.get(objName)!;
    const id = interpreter.data.nextId(obj.keyPrefix);
    const record = new Map<string, Value>([["id", id]]);
    for (const [key, value] of Object.entries(fields)) record.set(key.toLowerCase(), value);
    interpreter.data.table(obj).set(id, record);
    return id;
  };
  const permIds = new Map<string, string>();
  for (const file of files.filter((f) => f.endsWith(".customPermission-meta.xml"))) {
    const name = file.split(/[\\/]/).pop()!.replace(".customPermission-meta.xml", "");
    const cp = xml.parse(readFileSync(file, "utf8")).CustomPermission as Record<string, unknown>;
    permIds.set(
      name.toLowerCase(),
      insert("CustomPermission", { DeveloperName: name, MasterLabel: String(cp.label ?? name), NamespacePrefix: null })
    );
  }
  for (const file of files.filter((f) => f.endsWith(".permissionset-meta.xml"))) {
    const name = file.split(/[\\/]/).pop()!.replace(".permissionset-meta.xml", "");
    const ps = xml.parse(readFileSync(file, "utf8")).PermissionSet as Record<string, unknown>;
    const id = insert("PermissionSet", {
      Name: name,
      Label: String(ps.label ?? name),
      NamespacePrefix: null,
      IsOwnedByProfile: false
    });
    for (const cp of (ps.customPermissions ?? []) as Record<string, unknown>[]) {
      const permId = permIds.get(String(cp.name).toLowerCase());
      if (String(cp.enabled) === "true" && permId)
        insert("SetupEntityAccess", { ParentId: id, SetupEntityId: permId, SetupEntityType: "CustomPermission" });
    }
  }
}

/** Each flow is also a FlowDefinitionView row; an activated template shows as active. */
function loadFlowDefinitions(interpreter: Interpreter, engine: FlowEngine) {
  const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
  const obj = interpreter.schema.get("FlowDefinitionView")!;
  for (const definition of engine.all()) {
    const apiName = definition.apiName;
    const flow = xml.parse(readFileSync(definition.file, "utf8")).Flow as Record<string, unknown>;
    const id = interpreter.data.nextId(obj.keyPrefix);
    const versionId = interpreter.data.nextId("301");
    const active = engine.isActive(definition);
    const record = new Map<string, Value>([
      ["id", id],
      ["apiname", apiName],
      ["label", definition.label],
      ["description", flow.description === undefined ? null : String(flow.description)],
      ["processtype", definition.processType],
      ["isactive", active],
      ["activeversionid", active ? versionId : null],
      ["latestversionid", versionId],
      ["namespaceprefix", null]
    ]);
    interpreter.data.table(obj).set(id, record);
  }
}
