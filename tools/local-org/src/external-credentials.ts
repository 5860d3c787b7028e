// External credentials from metadata (`externalCredentials/*.externalCredential-meta.xml`): their
// authentication protocol and principals, which ConnectApi.NamedCredentials saves values for.
import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import type { PrincipalType } from "./stdlib/credential-store.js";
import type { Stdlib } from "./stdlib/registry.js";

const PRINCIPAL_TYPES = new Set<string>(["NamedPrincipal", "PerUserPrincipal", "AwsStsPrincipal"]);

export function loadExternalCredentials(stdlib: Stdlib, files: string[]) {
  const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => name === "externalCredentialParameters"
  });
  for (const file of files) {
    const name = file.split(/[\\/]/).pop()!.replace(".externalCredential-meta.xml", "");
    const metadata = xml.parse(readFileSync(file, "utf8")).ExternalCredential as Record<string, unknown> | undefined;
    if (!metadata) throw new Error(`${file}: not an ExternalCredential`);
    const parameters = (metadata.externalCredentialParameters ?? []) as Record<string, unknown>[];
    stdlib.externalCredentials.define({
      name,
      authenticationProtocol: String(metadata.authenticationProtocol ?? ""),
      principals: parameters
        .filter((p) => PRINCIPAL_TYPES.has(String(p.parameterType)))
        .map((p) => ({ name: String(p.parameterName), type: String(p.parameterType) as PrincipalType }))
    });
  }
}
