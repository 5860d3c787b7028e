// ConnectApi.NamedCredentials: the credentials of external credential principals, kept in the local
// org's credential store. A value saved for a named principal is the value the next callout through a
// named credential merges into `{!$Credential.ExternalCredential.Parameter}`.
import type { Loc, TypeDecl, TypeRef, FieldDecl } from "../parse/ast.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { ClassInfo } from "../interpreter/types.js";
import { ApexMap, ApexObject, type Value } from "../interpreter/values.js";
import { mapEntries, str } from "../interpreter/ops.js";
import { mapPut } from "./collections.js";
import { systemClass } from "./exceptions.js";
import type { Stdlib } from "./registry.js";

export type PrincipalType = "NamedPrincipal" | "PerUserPrincipal" | "AwsStsPrincipal";

/** An external credential as its metadata declares it. */
export interface ExternalCredentialDefinition {
  /** Developer name, as metadata names it (`Stigg`). */
  name: string;
  /** `Custom`, `OAuth`, `AwsSv4`, ... */
  authenticationProtocol: string;
  principals: { name: string; type: PrincipalType }[];
}

interface StoredValue {
  value: string;
  encrypted: boolean;
}

/** The org's external credentials and the values saved for their principals. */
export class CredentialStore {
  readonly definitions = new Map<string, ExternalCredentialDefinition>();
  /** Saved values by `externalcredential|principal` (lower case). */
  readonly saved = new Map<string, Map<string, StoredValue>>();
  /** External credentials whose values given to LocalOrg.load were taken over. */
  readonly seeded = new Set<string>();
}

const stores = new WeakMap<Interpreter, CredentialStore>();

export function credentialStore(rt: Interpreter): CredentialStore {
  let store = stores.get(rt);
  if (!store) {
    store = new CredentialStore();
    stores.set(rt, store);
  }
  return store;
}

export function defineExternalCredential(rt: Interpreter, definition: ExternalCredentialDefinition) {
  credentialStore(rt).definitions.set(definition.name.toLowerCase(), definition);
}

const PRINCIPAL_TYPES = ["AwsStsPrincipal", "NamedPrincipal", "PerUserPrincipal"];
const PROTOCOLS = ["AwsSv4", "Basic", "Custom", "Jwt", "OAuth"];
const PROTOCOL_VARIANTS = [
  "AwsSv4_STS",
  "ClientCredentialsClientSecret",
  "ClientCredentialsClientSecretBasic",
  "ClientCredentialsJwtAssertion",
  "JwtBearer",
  "NoAuthentication",
  "RolesAnywhere"
];
const STATUSES = ["Configured", "NotConfigured"];

function typeRef(text: string, ...args: TypeRef[]): TypeRef {
  return { names: text.split("."), args, text: args.length ? `${text}<${args.map((a) => a.text).join(",")}>` : text };
}

/** A ConnectApi input or output class: public fields only, as the platform's are. */
function dataClass(rt: Interpreter, name: string, fields: [string, TypeRef][]): ClassInfo {
  const file = "ConnectApi";
  const decl: TypeDecl = {
    kind: "class",
    name,
    file,
    line: 0,
    mods: { keywords: new Set(["global"]), annotations: [] },
    extends: null,
    implements: [],
    fields: fields.map(([fieldName, type]): FieldDecl => ({
      name: fieldName,
      type,
      init: null,
      mods: { keywords: new Set(["global"]), annotations: [] },
      isStatic: false,
      file,
      line: 0
    })),
    methods: [],
    constructors: [],
    initializers: [],
    inner: [],
    enumValues: [],
    executableLines: new Set()
  };
  const ci = rt.makeClass(decl, null);
  ci.name = `ConnectApi.${name}`;
  // System code: never counted for coverage.
  ci.isTest = true;
  rt.systemClasses.set(ci.name.toLowerCase(), ci);
  rt.link(ci);
  return ci;
}

export function installConnectApi(rt: Interpreter, lib: Stdlib) {
  lib.namespaces.add("connectapi");
  lib.systemEnum("ConnectApi.CredentialPrincipalType", PRINCIPAL_TYPES);
  lib.systemEnum("ConnectApi.CredentialAuthenticationProtocol", PROTOCOLS);
  lib.systemEnum("ConnectApi.CredentialAuthenticationProtocolVariant", PROTOCOL_VARIANTS);
  lib.systemEnum("ConnectApi.CredentialAuthenticationStatus", STATUSES);
  const base = rt.systemClasses.get("exception")!;
  for (const name of ["ConnectApiException", "NotFoundException", "RateLimitException"]) {
    rt.systemClasses.set(`connectapi.${name.toLowerCase()}`, systemClass(`ConnectApi.${name}`, "class", base));
  }
  const value = dataClass(rt, "CredentialValue", [
    ["encrypted", typeRef("Boolean")],
    ["revision", typeRef("Integer")],
    ["value", typeRef("String")]
  ]);
  dataClass(rt, "CredentialValueInput", [
    ["encrypted", typeRef("Boolean")],
    ["revision", typeRef("Integer")],
    ["value", typeRef("String")]
  ]);
  const credential = dataClass(rt, "Credential", [
    ["authenticationProtocol", typeRef("ConnectApi.CredentialAuthenticationProtocol")],
    ["authenticationProtocolVariant", typeRef("ConnectApi.CredentialAuthenticationProtocolVariant")],
    ["authenticationStatus", typeRef("ConnectApi.CredentialAuthenticationStatus")],
    ["credentials", typeRef("Map", typeRef("String"), typeRef("ConnectApi.CredentialValue"))],
    ["externalCredential", typeRef("String")],
    ["principalName", typeRef("String")],
    ["principalType", typeRef("ConnectApi.CredentialPrincipalType")]
  ]);
  dataClass(rt, "CredentialInput", [
    ["authenticationProtocol", typeRef("ConnectApi.CredentialAuthenticationProtocol")],
    ["authenticationProtocolVariant", typeRef("ConnectApi.CredentialAuthenticationProtocolVariant")],
    ["credentials", typeRef("Map", typeRef("String"), typeRef("ConnectApi.CredentialValueInput"))],
    ["externalCredential", typeRef("String")],
    ["principalName", typeRef("String")],
    ["principalType", typeRef("ConnectApi.CredentialPrincipalType")]
  ]);
  rt.systemClasses.set("connectapi.namedcredentials", systemClass("ConnectApi.NamedCredentials", "class", null));
  rt.systemClasses.get("connectapi.namedcredentials")!.isException = false;

  const operations = new NamedCredentialOperations(rt, lib, credential, value);
  lib.static_("ConnectApi.NamedCredentials", {
    getCredential: (a, loc) => operations.get(a, loc),
    createCredential: (a, loc) => operations.save(a, loc, "create"),
    updateCredential: (a, loc) => operations.save(a, loc, "update"),
    deleteCredential: (a, loc) => operations.remove(a, loc)
  });
}

class NamedCredentialOperations {
  constructor(
    readonly rt: Interpreter,
    readonly lib: Stdlib,
    readonly credentialClass: ClassInfo,
    readonly valueClass: ClassInfo
  ) {}

  private notFound(message: string): never {
    this.rt.throwApex("ConnectApi.NotFoundException", message);
  }

  private refuse(message: string): never {
    this.rt.throwApex("ConnectApi.ConnectApiException", message);
  }

  private guard(loc: Loc) {
    // ConnectApi needs the org's real setup data, which tests do not see without SeeAllData.
    if (this.rt.test) this.rt.unsupported("ConnectApi.NamedCredentials in an Apex test", loc);
  }

  /** The definition and principal a call names; NotFoundException when either does not exist. */
  private principal(externalCredential: Value, principalName: Value, principalType: Value, loc: Loc) {
    const typeName = this.lib.enumName(principalType);
    if (externalCredential === null || principalType === null) this.rt.npe();
    const definition = credentialStore(this.rt).definitions.get(str(this.rt, externalCredential).toLowerCase());
    if (!definition) this.notFound(`No external credential named ${str(this.rt, externalCredential)} exists.`);
    if (typeName !== "NamedPrincipal") this.rt.unsupported(`ConnectApi credentials of a ${typeName}`, loc);
    const name = principalName === null ? "" : str(this.rt, principalName);
    const principal = definition.principals.find(
      (p) => p.type === "NamedPrincipal" && p.name.toLowerCase() === name.toLowerCase()
    );
    if (!principal) this.notFound(`External credential ${definition.name} has no named principal ${name}.`);
    return { definition, principal };
  }

  private savedValues(definition: ExternalCredentialDefinition, principalName: string): Map<string, StoredValue> {
    const store = credentialStore(this.rt);
    const key = `${definition.name}|${principalName}`.toLowerCase();
    const named = definition.principals.filter((p) => p.type === "NamedPrincipal");
    // Values given to LocalOrg.load belong to the external credential's only named principal.
    if (!store.seeded.has(definition.name.toLowerCase()) && named.length === 1) {
      store.seeded.add(definition.name.toLowerCase());
      const prefix = `${definition.name.toLowerCase()}.`;
      const values = new Map<string, StoredValue>();
      for (const [k, v] of this.rt.credentials) {
        if (k.startsWith(prefix))
          values.set(this.parameterName(definition.name, k.slice(prefix.length)), { value: v, encrypted: true });
      }
      if (values.size > 0) store.saved.set(`${definition.name}|${named[0].name}`.toLowerCase(), values);
    }
    return store.saved.get(key) ?? new Map();
  }

  /** A parameter's name as the named credentials' merge fields spell it (the org keeps it in lower case). */
  private parameterName(externalCredential: string, lowerCase: string): string {
    for (const config of this.rt.namedCredentials.values()) {
      for (const header of Object.values(config.headers ?? {})) {
        for (const [, credential, parameter] of header.matchAll(
          /\{!\$Credential\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}/g
        )) {
          if (credential.toLowerCase() === externalCredential.toLowerCase() && parameter.toLowerCase() === lowerCase) {
            return parameter;
          }
        }
      }
    }
    return lowerCase;
  }

  private credentialValue(stored: StoredValue): ApexObject {
    const value = this.rt.instantiate(this.valueClass, [], { file: "ConnectApi", line: 0 });
    value.fields.set("encrypted", stored.encrypted);
    // An encrypted value never comes back out of the store.
    value.fields.set("value", stored.encrypted ? null : stored.value);
    return value;
  }

  private credential(
    definition: ExternalCredentialDefinition,
    principalName: string,
    values: Map<string, StoredValue>
  ) {
    const credential = this.rt.instantiate(this.credentialClass, [], { file: "ConnectApi", line: 0 });
    const map = new ApexMap({ k: "prim", name: "String" }, { k: "class", cls: this.valueClass });
    for (const [name, stored] of values) mapPut(this.rt, map, name, this.credentialValue(stored));
    credential.fields.set(
      "authenticationprotocol",
      this.lib.enumValue("CredentialAuthenticationProtocol", definition.authenticationProtocol)
    );
    credential.fields.set(
      "authenticationstatus",
      this.lib.enumValue("CredentialAuthenticationStatus", values.size > 0 ? "Configured" : "NotConfigured")
    );
    credential.fields.set("credentials", map);
    credential.fields.set("externalcredential", definition.name);
    credential.fields.set("principalname", principalName);
    credential.fields.set("principaltype", this.lib.enumValue("CredentialPrincipalType", "NamedPrincipal"));
    return credential;
  }

  get(args: Value[], loc: Loc): Value {
    this.guard(loc);
    const { definition, principal } = this.principal(args[0], args[1], args[2], loc);
    return this.credential(definition, principal.name, this.savedValues(definition, principal.name));
  }

  save(args: Value[], loc: Loc, mode: "create" | "update"): Value {
    this.guard(loc);
    const input = args[0];
    if (!(input instanceof ApexObject)) this.rt.npe();
    const field = (name: string) => input.fields.get(name.toLowerCase()) ?? null;
    for (const required of ["externalCredential", "principalType", "authenticationProtocol", "credentials"]) {
      if (field(required) === null) this.refuse(`The ${required} of the credential input is required.`);
    }
    const { definition, principal } = this.principal(
      field("externalCredential"),
      field("principalName"),
      field("principalType"),
      loc
    );
    const protocol = this.lib.enumName(field("authenticationProtocol"));
    if (protocol?.toLowerCase() !== definition.authenticationProtocol.toLowerCase()) {
      this.refuse(
        `External credential ${definition.name} uses the ${definition.authenticationProtocol} authentication protocol, not ${protocol}.`
      );
    }
    const values = new Map<string, StoredValue>();
    for (const [name, entry] of mapEntries(field("credentials") as ApexMap)) {
      if (!(entry instanceof ApexObject)) this.refuse(`The credential value ${str(this.rt, name)} is missing.`);
      const value = entry.fields.get("value") ?? null;
      const encrypted = entry.fields.get("encrypted") ?? null;
      if (value === null || encrypted === null) {
        this.refuse(`The credential value ${str(this.rt, name)} needs both value and encrypted.`);
      }
      values.set(str(this.rt, name), { value: str(this.rt, value), encrypted: encrypted === true });
    }
    const existing = this.savedValues(definition, principal.name);
    if (mode === "create" && existing.size > 0) {
      this.refuse(`Principal ${principal.name} of ${definition.name} already has a credential: update it instead.`);
    }
    if (mode === "update" && existing.size === 0) {
      this.notFound(`Principal ${principal.name} of ${definition.name} has no credential to update: create it.`);
    }
    // Update replaces the whole credential: parameters it leaves out are removed.
    this.store(definition, principal.name, values);
    return this.credential(definition, principal.name, values);
  }

  remove(args: Value[], loc: Loc): Value {
    this.guard(loc);
    const { definition, principal } = this.principal(args[0], args[1], args[2], loc);
    if (this.savedValues(definition, principal.name).size === 0) {
      this.notFound(`Principal ${principal.name} of ${definition.name} has no credential to delete.`);
    }
    this.store(definition, principal.name, new Map());
    return null;
  }

  /** Saves the principal's values and hands them to callouts through the credential's merge fields. */
  private store(definition: ExternalCredentialDefinition, principalName: string, values: Map<string, StoredValue>) {
    credentialStore(this.rt).saved.set(`${definition.name}|${principalName}`.toLowerCase(), values);
    const prefix = `${definition.name.toLowerCase()}.`;
    for (const key of [...this.rt.credentials.keys()]) if (key.startsWith(prefix)) this.rt.credentials.delete(key);
    for (const [name, stored] of values) this.rt.credentials.set(`${prefix}${name.toLowerCase()}`, stored.value);
  }
}
