import { readFileSync } from "node:fs";
import Ajv, { type ErrorObject } from "ajv";

export interface JsonProblem {
  line: number;
  message: string;
}

export type JsonSchemaName = "sfdx-project" | "project-scratch-def";

let ajv: Ajv | undefined;

/**
 * Validates a JSON document against a schema of `@salesforce/schemas`.
 * Problems carry the line of the offending value or key.
 */
export interface JsonVerdict {
  /** The parsed document, unless it is not JSON. */
  value?: unknown;
  /** Line of each value (and of its key), by JSON pointer. */
  lines: Map<string, number>;
  problems: JsonProblem[];
}

export function validateJson(text: string, schema: JsonSchemaName): JsonVerdict {
  let value: unknown;
  let lines: Map<string, number>;
  try {
    value = JSON.parse(text);
    lines = locateJsonPointers(text);
  } catch (error) {
    const line = lineOfParseError(text, error);
    return {
      lines: new Map(),
      problems: [{ line, message: `invalid JSON: ${(error as Error).message}` }]
    };
  }
  ajv ??= new Ajv({ allErrors: true, strict: false, verbose: true });
  const validate = ajv.getSchema(schema) ?? compile(ajv, schema);
  const problems = validate(value) ? [] : describe(validate.errors ?? [], lines);
  return { value, lines, problems };
}

function compile(instance: Ajv, schema: JsonSchemaName) {
  const definition = JSON.parse(
    readFileSync(require.resolve(`@salesforce/schemas/${schema}.schema.json`), "utf8")
  ) as object;
  instance.addSchema(definition, schema);
  return instance.getSchema(schema)!;
}

/**
 * One message per real problem. The branches of a failed anyOf/oneOf are
 * summarized by it: their own errors at the same place only say why each
 * alternative did not fit. Errors deeper down are kept, they point at the
 * value at fault. (Errors inside a $ref carry the referenced schema's path,
 * hence the match on the instance path too.)
 */
function describe(errors: readonly ErrorObject[], lines: Map<string, number>): JsonProblem[] {
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const problems = new Map<string, JsonProblem>();
  for (const e of errors) {
    const isAlternative = e.keyword === "anyOf" || e.keyword === "oneOf";
    const insideAlternative = alternatives.some(
      (a) => e.schemaPath.startsWith(`${a.schemaPath}/`) || (!isAlternative && e.instancePath === a.instancePath)
    );
    if (insideAlternative) continue;
    let pointer = e.instancePath;
    let detail = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      pointer = `${pointer}/${escapePointer(String((e.params as { additionalProperty: string }).additionalProperty))}`;
      detail = "is not an allowed property";
    } else if (e.keyword === "enum") {
      detail = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(", ")}`;
    } else if (isAlternative) {
      const shown = typeof e.data === "object" ? "" : ` (${JSON.stringify(e.data)})`;
      detail = `matches none of the accepted forms${shown}`;
    }
    const line = lines.get(pointer) ?? lines.get(e.instancePath) ?? 1;
    const message = `${pointer === "" ? "(root)" : pointer} ${detail}`;
    problems.set(`${line}:${message}`, { line, message });
  }
  return [...problems.values()];
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function lineOfParseError(text: string, error: unknown): number {
  const match = /position (\d+)/.exec(String((error as Error).message));
  return match ? text.slice(0, Number(match[1])).split("\n").length : 1;
}

/** Line of every value (and so of its key) in a valid JSON text, keyed by JSON pointer. */
export function locateJsonPointers(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let pos = 0;
  let line = 1;
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos])) {
      if (text[pos] === "\n") line++;
      pos++;
    }
  };
  const readString = (): string => {
    const start = pos;
    pos++;
    while (text[pos] !== '"') pos += text[pos] === "\\" ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const readValue = (pointer: string, keyLine: number): void => {
    skipSpace();
    lines.set(pointer, keyLine);
    const c = text[pos];
    if (c === "{" || c === "[") {
      pos++;
      let index = 0;
      for (;;) {
        skipSpace();
        if (text[pos] === "}" || text[pos] === "]") {
          pos++;
          return;
        }
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (c === "{") {
          const entryLine = line;
          const key = readString();
          skipSpace();
          pos++; // ':'
          readValue(`${pointer}/${escapePointer(key)}`, entryLine);
        } else {
          skipSpace();
          readValue(`${pointer}/${index++}`, line);
        }
      }
    } else if (c === '"') {
      readString();
    } else {
      while (pos < text.length && !/[\s,\]}]/.test(text[pos])) pos++;
    }
  };
  skipSpace();
  readValue("", line);
  return lines;
}
