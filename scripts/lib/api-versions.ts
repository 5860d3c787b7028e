import { readFileSync } from "node:fs";
import { locateJsonPointers } from "./json-schema";
import type { MetadataSchema } from "./metadata-schema";
import type { XmlElement } from "./xml";

/**
 * The first API version of each metadata element the package uses, read from
 * config/metadata-api-versions.json. A file that uses an element newer than its
 * API version fails to deploy ("Property 'X' not valid in version N") and no
 * local tool notices: this table is how check:metadata does.
 */
export interface ApiVersionTable {
  file: string;
  /** The oldest version the table can vouch for. */
  oldest: string;
  /** The newest version the toolchain knows. */
  newest: string;
  /** First version by element: `Flow`, `FlowStart.recordTriggerType`, `FlowStart.recordTriggerType=Update`. */
  since: Map<string, string>;
  /** Rows that are malformed, duplicated or name nothing in @salesforce/types. */
  problems: { line: number; message: string }[];
}

const VERSION = /^\d+\.0$/;
const ELEMENT = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9_]*(=.+)?)?$/;

export function loadApiVersionTable(file: string, schema: MetadataSchema): ApiVersionTable {
  const table: ApiVersionTable = { file, oldest: "", newest: "", since: new Map(), problems: [] };
  const text = readFileSync(file, "utf8");
  let document: unknown;
  let lines: Map<string, number>;
  try {
    document = JSON.parse(text);
    lines = locateJsonPointers(text);
  } catch (error) {
    table.problems.push({ line: 1, message: `invalid JSON: ${(error as Error).message}` });
    return table;
  }
  const at = (pointer: string): number => lines.get(pointer) ?? 1;
  const root = (typeof document === "object" && document !== null ? document : {}) as Record<string, unknown>;
  for (const bound of ["oldest", "newest"] as const) {
    const version = (root[bound] as { version?: unknown } | undefined)?.version;
    if (typeof version === "string" && VERSION.test(version)) table[bound] = version;
    else table.problems.push({ line: at(`/${bound}`), message: `${bound}.version must be a version such as "67.0"` });
  }
  const rows = Array.isArray(root.elements) ? (root.elements as unknown[]) : [];
  if (rows.length === 0)
    table.problems.push({ line: 1, message: "elements must list the elements and their versions" });
  rows.forEach((row, index) => {
    const { element, since, source } = (typeof row === "object" && row !== null ? row : {}) as Record<string, unknown>;
    const line = at(`/elements/${index}`);
    if (typeof element !== "string" || !ELEMENT.test(element)) {
      table.problems.push({
        line,
        message: `element must be Type, Type.field or Type.field=Value, not ${JSON.stringify(element)}`
      });
      return;
    }
    if (typeof since !== "string" || !VERSION.test(since)) {
      table.problems.push({ line, message: `${element}: since must be a version such as "63.0"` });
      return;
    }
    if (typeof source !== "string" || source.trim() === "") {
      table.problems.push({ line, message: `${element}: source must say which reference gives its version` });
      return;
    }
    const unknown = unknownElement(element, schema);
    if (unknown) {
      table.problems.push({ line, message: `${element}: ${unknown}` });
      return;
    }
    if (table.since.has(element)) {
      table.problems.push({ line, message: `${element} is listed twice` });
      return;
    }
    if (table.newest && compareVersions(since, table.newest) > 0) {
      table.problems.push({
        line,
        message: `${element}: since ${since} is newer than the newest version ${table.newest}`
      });
    }
    table.since.set(element, since);
  });
  return table;
}

/** Why a row's element names nothing in @salesforce/types, or undefined when it names something. */
function unknownElement(element: string, schema: MetadataSchema): string | undefined {
  const [typeName, rest] = element.split(/\.(.*)/s);
  if (rest === undefined) return schema.has(typeName) ? undefined : `@salesforce/types has no type ${typeName}`;
  const [field, value] = rest.split(/=(.*)/s);
  const described = schema.fieldOf(typeName, field);
  if (!described) return `@salesforce/types has no field ${field} in ${typeName}`;
  if (value !== undefined && !described.enumValues.includes(value)) {
    return `${value} is not one of the values of ${typeName}.${field}`;
  }
  return undefined;
}

export function compareVersions(a: string, b: string): number {
  return Number.parseFloat(a) - Number.parseFloat(b);
}

/**
 * Elements of `root` (a `typeName` document at API `version`) that the table says are newer than that
 * version, and elements the table does not know. Values of an enumeration count as elements of their
 * own (`FlowStart.recordTriggerType=CreateAndUpdate`), since values are added in later versions too.
 */
export function checkElementVersions(
  root: XmlElement,
  typeName: string,
  version: string,
  table: ApiVersionTable,
  schema: MetadataSchema
): { line: number; message: string }[] {
  const problems: { line: number; message: string }[] = [];
  const tableName = "config/metadata-api-versions.json";
  const check = (key: string, what: string, line: number): void => {
    const since = table.since.get(key);
    if (since === undefined) {
      problems.push({
        line,
        message: `${what} (${key}) is not in ${tableName}: add the API version that introduced it, with the reference that says so`
      });
    } else if (compareVersions(since, version) > 0) {
      problems.push({
        line,
        message: `${what} (${key}) needs API ${since} or later, but this file is at API ${version}`
      });
    }
  };
  check(typeName, `<${typeName}>`, root.line);
  for (const { element, owner, isEnumValue } of schema.typedElements(root, typeName)) {
    const key = `${owner}.${element.name}`;
    check(key, `<${element.name}>`, element.line);
    if (isEnumValue)
      check(`${key}=${element.text}`, `<${element.name}>${element.text}</${element.name}>`, element.line);
  }
  return problems;
}

/** The `<apiVersion>` a file declares for itself, if any. */
export function declaredApiVersion(root: XmlElement): { version: string; line: number } | undefined {
  const element = root.children.find((c) => c.name === "apiVersion");
  return element ? { version: element.text.trim(), line: element.line } : undefined;
}
