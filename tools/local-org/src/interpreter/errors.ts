// Control-flow signals and errors raised while running Apex.
import type { Loc } from "../parse/ast.js";
import type { ApexObject, Value } from "./values.js";

/** An Apex exception in flight; `obj` is the Apex exception instance. */
export class ApexThrow extends Error {
  constructor(readonly obj: ApexObject) {
    super(String(obj.ex?.message ?? ""));
  }
}

/** A feature outside the subset local-org runs. Never caught by Apex code. */
export class UnsupportedError extends Error {
  constructor(feature: string, loc: Loc | null) {
    super(`${feature} is not supported by local-org${loc ? ` (${baseName(loc.file)}:${loc.line})` : ""}`);
  }
}

/** Code the Apex compiler would refuse (the runtime reports it when it reaches it). */
export class CompileError extends Error {
  constructor(message: string, loc: Loc | null) {
    super(`${message}${loc ? ` (${baseName(loc.file)}:${loc.line})` : ""}`);
  }
}

export function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return i >= 0 ? file.slice(i + 1) : file;
}

export type Completion = { kind: "break" } | { kind: "continue" } | { kind: "return"; value: Value } | undefined;

export const BREAK: Completion = { kind: "break" };
export const CONTINUE: Completion = { kind: "continue" };
