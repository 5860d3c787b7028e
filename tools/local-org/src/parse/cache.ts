// On-disk cache of converted syntax trees. Parsing is the slowest part of loading a
// project (the ANTLR parser needs seconds to warm up), and classes rarely change
// between runs, so trees are stored by a hash of the source text.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TypeDecl } from "./ast.js";
import { parseClassFile } from "./convert.js";

// Entries are keyed by the converter's own source too, so a changed converter never reads
// trees it did not produce.
const FORMAT = converterFingerprint();

function converterFingerprint(): string {
  const h = createHash("sha256").update("local-org-ast");
  for (const f of ["convert.ts", "convert-soql.ts", "literals.ts", "ast.ts"]) {
    try {
      h.update(readFileSync(join(__dirname, f)));
    } catch {
      h.update(f);
    }
  }
  return h.digest("hex");
}

function cacheDir(): string {
  const nm = join(process.cwd(), "node_modules");
  return existsSync(nm) ? join(nm, ".cache", "local-org") : join(tmpdir(), "local-org-cache");
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Set ? { $set: [...value] } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && "$set" in value) return new Set((value as { $set: unknown[] }).$set);
  return value;
}

/** Parses a class file, reusing the stored tree when the same source was parsed before. */
export function parseClassFileCached(source: string, file: string, useCache: boolean): TypeDecl {
  if (!useCache) return parseClassFile(source, file);
  const hash = createHash("sha256").update(FORMAT).update("\0").update(file).update("\0").update(source).digest("hex");
  const dir = cacheDir();
  const path = join(dir, `${hash}.json`);
  if (existsSync(path)) {
    try {
      const decl = JSON.parse(readFileSync(path, "utf8"), reviver) as TypeDecl;
      touch(path);
      return decl;
    } catch {
      // A damaged entry is parsed again and overwritten.
    }
  }
  const decl = parseClassFile(source, file);
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(decl, replacer));
    renameSync(tmp, path);
  } catch {
    // The cache is an optimisation; a read-only disk only costs time.
  }
  return decl;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;
let pruned = false;

/** Removes entries unused for a week once the cache grows large; edited classes leave old trees behind. */
export function pruneCache() {
  if (pruned) return;
  pruned = true;
  const dir = cacheDir();
  try {
    const files = readdirSync(dir);
    if (files.length < 500) return;
    const now = Date.now();
    for (const f of files) {
      const p = join(dir, f);
      if (now - statSync(p).mtimeMs > WEEK_MS) unlinkSync(p);
    }
  } catch {
    // Nothing to prune.
  }
}

function touch(path: string) {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // A read-only cache still works.
  }
}
