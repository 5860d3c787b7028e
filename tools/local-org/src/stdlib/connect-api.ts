// ConnectApi.NamedCredentials: the credentials of external credential principals, kept in the local
// org's credential store. A value saved for a named principal is the value the next callout through a
// named credential merges into `{!$Credential.ExternalCredential.Parameter}`.
import type { Loc, TypeDecl, TypeRef, FieldDecl } from "../parse/ast.js";
import { nullPointer, throwApex, unsupported } from "../runtime/errors.js";
import { mapEntries, str } from "../runtime/operators.js";
import { systemClass } from "../runtime/system-types.js";
import { ApexMap, ApexObject, type ClassInfo, type Value } from "../runtime/values.js";
import { mapPut } from "./collections.js";
import type { ExternalCredentialDefinition, StoredCredentialValue } from "./credential-store.js";
import type { Stdlib } from "./registry.js";

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
function dataClass(lib: Stdlib, name: string, fields: [string, TypeRef][]): ClassInfo {
  const file = "ConnectApi";
  const decl: TypeDecl = {
    kind: "class",
    name,
    file,
    line: 0,
    modifiers: { keywords: new Set(["global"]), annotations: [] },
    extends: null,
    implements: [],
    fields: fields.map(([fieldName, type]): FieldDecl => ({
      name: fieldName,
      type,
      initializer: null,
      modifiers: { keywords: new Set(["global"]), annotations: [] },
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
  // A class with fields and nothing else needs no linking; being system code, it never counts for coverage.
  const cls: ClassInfo = {
    ...systemClass(`ConnectApi.${name}`, "class", null),
    decl,
    isException: false,
    isTest: true
  };
  cls.file = file;
  for (const field of decl.fields) cls.fields.set(field.name.toLowerCase(), field);
  lib.runtime.systemTypes.classes.set(cls.name.toLowerCase(), cls);
  return cls;
}

export function installConnectApi(lib: Stdlib) {
  const systemTypes = lib.runtime.systemTypes;
  lib.namespaces.add("connectapi");
  lib.systemEnum("ConnectApi.CredentialPrincipalType", PRINCIPAL_TYPES);
  lib.systemEnum("ConnectApi.CredentialAuthenticationProtocol", PROTOCOLS);
  lib.systemEnum("ConnectApi.CredentialAuthenticationProtocolVariant", PROTOCOL_VARIANTS);
  lib.systemEnum("ConnectApi.CredentialAuthenticationStatus", STATUSES);
  const base = systemTypes.exception("Exception");
  for (const name of ["ConnectApiException", "NotFoundException", "RateLimitException"]) {
    systemTypes.classes.set(`connectapi.${name.toLowerCase()}`, systemClass(`ConnectApi.${name}`, "class", base));
  }
  const value = dataClass(lib, "CredentialValue", [
    ["encrypted", typeRef("Boolean")],
    ["revision", typeRef("Integer")],
    ["value", typeRef("String")]
  ]);
  dataClass(lib, "CredentialValueInput", [
    ["encrypted", typeRef("Boolean")],
    ["revision", typeRef("Integer")],
    ["value", typeRef("String")]
  ]);
  const credential = dataClass(lib, "Credential", [
    ["authenticationProtocol", typeRef("ConnectApi.CredentialAuthenticationProtocol")],
    ["authenticationProtocolVariant", typeRef("ConnectApi.CredentialAuthenticationProtocolVariant")],
    ["authenticationStatus", typeRef("ConnectApi.CredentialAuthenticationStatus")],
    ["credentials", typeRef("Map", typeRef("String"), typeRef("ConnectApi.CredentialValue"))],
    ["externalCredential", typeRef("String")],
    ["principalName", typeRef("String")],
    ["principalType", typeRef("ConnectApi.CredentialPrincipalType")]
  ]);
  dataClass(lib, "CredentialInput", [
    ["authenticationProtocol", typeRef("ConnectApi.CredentialAuthenticationProtocol")],
    ["authenticationProtocolVariant", typeRef("ConnectApi.CredentialAuthenticationProtocolVariant")],
    ["credentials", typeRef("Map", typeRef("String"), typeRef("ConnectApi.CredentialValueInput"))],
    ["externalCredential", typeRef("String")],
    ["principalName", typeRef("String")],
    ["principalType", typeRef("ConnectApi.CredentialPrincipalType")]
  ]);
  const namedCredentials = systemClass("ConnectApi.NamedCredentials", "class", null);
  namedCredentials.isException = false;
  systemTypes.classes.set("connectapi.namedcredentials", namedCredentials);

  const operations = new NamedCredentialOperations(lib, credential, value);
  lib.static_("ConnectApi.NamedCredentials", {
    getCredential: (a, loc) => operations.get(a, loc),
    createCredential: (a, loc) => operations.save(a, loc, "create"),
    updateCredential: (a, loc) => operations.save(a, loc, "update"),
    deleteCredential: (a, loc) => operations.remove(a, loc)
  });
}

class NamedCredentialOperations {
  constructor(
    readonly lib: Stdlib,
    readonly credentialClass: ClassInfo,
    readonly valueClass: ClassInfo
  ) {}

  private get runtime() {
    return this.lib.runtime;
  }

  private notFound(message: string): never {
    throwApex(this.runtime, "ConnectApi.NotFoundException", message);
  }

  private refuse(message: string): never {
    throwApex(this.runtime, "ConnectApi.ConnectApiException", message);
  }

  private guard(loc: Loc) {
    // ConnectApi needs the org's real setup data, which tests do not see without SeeAllData.
    if (this.runtime.transaction.test) unsupported(this.runtime, "ConnectApi.NamedCredentials in an Apex test", loc);
  }

  /** The definition and principal a call names; NotFoundException when either does not exist. */
  private principal(externalCredential: Value, principalName: Value, principalType: Value, loc: Loc) {
    const typeName = this.lib.enumName(principalType);
    if (externalCredential === null || principalType === null) nullPointer(this.runtime);
    const definition = this.lib.externalCredentials.definitions.get(
      str(this.runtime, externalCredential).toLowerCase()
    );
    if (!definition) this.notFound(`No external credential named ${str(this.runtime, externalCredential)} exists.`);
    if (typeName !== "NamedPrincipal") unsupported(this.runtime, `ConnectApi credentials of a ${typeName}`, loc);
    const name = principalName === null ? "" : str(this.runtime, principalName);
    const principal = definition.principals.find(
      (p) => p.type === "NamedPrincipal" && p.name.toLowerCase() === name.toLowerCase()
    );
    if (!principal) this.notFound(`External credential ${definition.name} has no named principal ${name}.`);
    return { definition, principal };
  }

  private savedValues(
    definition: ExternalCredentialDefinition,
    principalName: string
  ): Map<string, StoredCredentialValue> {
    const store = this.lib.externalCredentials;
    const key = `${definition.name}|${principalName}`.toLowerCase();
    const named = definition.principals.filter((p) => p.type === "NamedPrincipal");
    // Values given to LocalOrg.load belong to the external credential's only named principal.
    if (!store.seeded.has(definition.name.toLowerCase()) && named.length === 1) {
      store.seeded.add(definition.name.toLowerCase());
      const prefix = `${definition.name.toLowerCase()}.`;
      const values = new Map<string, StoredCredentialValue>();
      for (const [k, v] of this.lib.credentials) {
        if (k.startsWith(prefix))
          values.set(this.parameterName(definition.name, k.slice(prefix.length)), { value: v, encrypted: true });
      }
      if (values.size > 0) store.saved.set(`${definition.name}|${named[0].name}`.toLowerCase(), values);
    }
    return store.saved.get(key) ?? new Map();
  }

  /** A parameter's name as the named credentials' merge fields spell it (the org keeps it in lower case). */
  private parameterName(externalCredential: string, lowerCase: string): string {
    for (const config of this.lib.namedCredentials.values()) {
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

  private credentialValue(stored: StoredCredentialValue): ApexObject {
    const value = this.runtime.instantiate(this.valueClass, [], { file: "ConnectApi", line: 0 });
    value.fields.set("encrypted", stored.encrypted);
    // An encrypted value never comes back out of the store.
    value.fields.set("value", stored.encrypted ? null : stored.value);
    return value;
  }

  private credential(
    definition: ExternalCredentialDefinition,
    principalName: string,
    values: Map<string, StoredCredentialValue>
  ) {
    const credential = this.runtime.instantiate(this.credentialClass, [], { file: "ConnectApi", line: 0 });
    const map = new ApexMap({ kind: "prim", name: "String" }, { kind: "class", cls: this.valueClass });
    for (const [name, stored] of values) mapPut(this.runtime, map, name, this.credentialValue(stored));
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
    if (!(input instanceof ApexObject)) nullPointer(this.runtime);
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
    const values = new Map<string, StoredCredentialValue>();
    for (const [name, entry] of mapEntries(field("credentials") as ApexMap)) {
      if (!(entry instanceof ApexObject)) this.refuse(`The credential value ${str(this.runtime, name)} is missing.`);
      const value = entry.fields.get("value") ?? null;
      const encrypted = entry.fields.get("encrypted") ?? null;
      if (value === null || encrypted === null) {
        this.refuse(`The credential value ${str(this.runtime, name)} needs both value and encrypted.`);
      }
      values.set(str(this.runtime, name), { value: str(this.runtime, value), encrypted: encrypted === true });
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
  private store(
    definition: ExternalCredentialDefinition,
    principalName: string,
    values: Map<string, StoredCredentialValue>
  ) {
    this.lib.externalCredentials.saved.set(`${definition.name}|${principalName}`.toLowerCase(), values);
    const prefix = `${definition.name.toLowerCase()}.`;
    const credentials = this.lib.credentials;
    for (const key of [...credentials.keys()]) if (key.startsWith(prefix)) credentials.delete(key);
    for (const [name, stored] of values) credentials.set(`${prefix}${name.toLowerCase()}`, stored.value);
  }
}
