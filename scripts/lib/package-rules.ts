import type { Finding } from "./findings";
import type { XmlElement } from "./xml";

/** A metadata document of the package, parsed, with the component it defines. */
export interface PackageDocument {
  path: string;
  /** Metadata type, as in package.xml. */
  type: string;
  /** Component name: `Stigg` for Stigg.externalCredential-meta.xml. */
  name: string;
  root: XmlElement;
}

/** Merge fields that read an external credential's parameters: `$Credential.Stigg.ApiKey`. */
const CREDENTIAL_MERGE_FIELD = /\$Credential\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)/g;

/**
 * Rules the Metadata API types cannot express but a first install depends on:
 * - authentication headers live on the external credential, as Salesforce recommends: a named credential
 *   header that reads an external credential's parameter is refused, since the named credential is not
 *   the component that owns the parameter;
 * - an external credential header reads only its own parameters, and every named credential that uses
 *   it allows formulas in headers (else the formula is sent as text);
 * - record-triggered flow templates start on Create and Update, so that a record created already in
 *   the state they wait for (an opportunity created Closed Won) is handled, and, with entry conditions,
 *   only when a record is updated to meet them, so that later edits do not start them again.
 */
export function checkPackageRules(documents: readonly PackageDocument[]): Finding[] {
  const findings: Finding[] = [];
  const externalCredentials = new Map(
    documents.filter((d) => d.type === "ExternalCredential").map((d) => [d.name, d] as const)
  );
  for (const document of documents) {
    if (document.type === "NamedCredential") findings.push(...namedCredentialRules(document, externalCredentials));
    if (document.type === "ExternalCredential") findings.push(...externalCredentialRules(document));
    if (document.type === "Flow") findings.push(...flowTemplateRules(document));
  }
  return findings;
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

function text(element: XmlElement, name: string): string {
  return child(element, name)?.text.trim() ?? "";
}

function namedCredentialRules(
  document: PackageDocument,
  externalCredentials: ReadonlyMap<string, PackageDocument>
): Finding[] {
  const findings: Finding[] = [];
  const parameters = document.root.children.filter((c) => c.name === "namedCredentialParameters");
  for (const parameter of parameters) {
    if (text(parameter, "parameterType") !== "HttpHeader") continue;
    const value = text(parameter, "parameterValue");
    if (!/\$Credential\./.test(value)) continue;
    findings.push({
      file: document.path,
      line: parameter.line,
      message: `header ${text(parameter, "parameterName")} reads ${value} on the named credential: define authentication headers on the external credential (a custom header, parameterType AuthHeader), where Salesforce recommends them and where the parameter lives`
    });
  }
  const linked = parameters.find((p) => text(p, "parameterType") === "Authentication");
  const externalCredential = linked && externalCredentials.get(text(linked, "externalCredential"));
  const formulaHeaders = externalCredential ? headersWithFormulas(externalCredential.root) : [];
  const allowFormulas = child(document.root, "allowMergeFieldsInHeader");
  if (formulaHeaders.length > 0 && allowFormulas?.text.trim() !== "true") {
    findings.push({
      file: document.path,
      line: allowFormulas?.line ?? document.root.line,
      message: `allowMergeFieldsInHeader must be true: the ${externalCredential!.name} external credential's header ${formulaHeaders.join(", ")} is a formula, sent as text unless the named credential allows formulas in HTTP headers`
    });
  }
  return findings;
}

function headersWithFormulas(externalCredential: XmlElement): string[] {
  return externalCredential.children
    .filter((c) => c.name === "externalCredentialParameters" && text(c, "parameterType") === "AuthHeader")
    .filter((c) => text(c, "parameterValue").includes("{!"))
    .map((c) => text(c, "parameterName"));
}

function externalCredentialRules(document: PackageDocument): Finding[] {
  const findings: Finding[] = [];
  for (const parameter of document.root.children.filter((c) => c.name === "externalCredentialParameters")) {
    if (text(parameter, "parameterType") !== "AuthHeader") continue;
    for (const [field, credential] of text(parameter, "parameterValue").matchAll(CREDENTIAL_MERGE_FIELD)) {
      if (credential === document.name) continue;
      findings.push({
        file: document.path,
        line: parameter.line,
        message: `header ${text(parameter, "parameterName")} reads ${field}, a parameter of another external credential: a custom header reads the parameters of its own external credential (${document.name})`
      });
    }
  }
  return findings;
}

const RECORD_TRIGGERS = new Set(["RecordAfterSave", "RecordBeforeSave"]);

function flowTemplateRules(document: PackageDocument): Finding[] {
  const { root } = document;
  const start = child(root, "start");
  if (text(root, "isTemplate") !== "true" || !start || !RECORD_TRIGGERS.has(text(start, "triggerType"))) return [];
  const findings: Finding[] = [];
  const recordTriggerType = child(start, "recordTriggerType");
  if (recordTriggerType?.text.trim() !== "CreateAndUpdate") {
    findings.push({
      file: document.path,
      line: recordTriggerType?.line ?? start.line,
      message: `the template starts on ${recordTriggerType?.text.trim() || "no record change"}: start it on Create and Update (CreateAndUpdate), or a record created already in the state it waits for (an opportunity created Closed Won) is never handled`
    });
    return findings;
  }
  const hasConditions = start.children.some((c) => c.name === "filters" || c.name === "filterFormula");
  const onlyWhenChanged = child(start, "doesRequireRecordChangedToMeetCriteria");
  if (hasConditions && onlyWhenChanged?.text.trim() !== "true") {
    findings.push({
      file: document.path,
      line: onlyWhenChanged?.line ?? start.line,
      message:
        "doesRequireRecordChangedToMeetCriteria must be true: on Create and Update the template would otherwise start again on every edit of a record that meets its conditions"
    });
  }
  return findings;
}
