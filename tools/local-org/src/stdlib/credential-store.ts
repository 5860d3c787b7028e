// The org's external credentials (from metadata) and the values saved for their principals,
// which ConnectApi.NamedCredentials reads and writes.

export type PrincipalType = "NamedPrincipal" | "PerUserPrincipal" | "AwsStsPrincipal";

/** An external credential as its metadata declares it. */
export interface ExternalCredentialDefinition {
  /** Developer name, as metadata names it (`Stigg`). */
  name: string;
  /** `Custom`, `OAuth`, `AwsSv4`, ... */
  authenticationProtocol: string;
  principals: { name: string; type: PrincipalType }[];
}

export interface StoredCredentialValue {
  value: string;
  encrypted: boolean;
}

export class CredentialStore {
  /** Definitions by lower-case developer name. */
  readonly definitions = new Map<string, ExternalCredentialDefinition>();
  /** Saved values by `externalcredential|principal` (lower case). */
  readonly saved = new Map<string, Map<string, StoredCredentialValue>>();
  /** External credentials whose values given to LocalOrg.load were taken over. */
  readonly seeded = new Set<string>();

  define(definition: ExternalCredentialDefinition) {
    this.definitions.set(definition.name.toLowerCase(), definition);
  }
}
