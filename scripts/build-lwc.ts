/**
 * Compiles each Lightning Web Component's TypeScript to the `.js` that deploys (build output,
 * git-ignored), then runs the LWC compiler over the result so that anything the platform would
 * refuse fails here, with the TypeScript file and line.
 *
 * Only `target: ESNext` without `experimentalDecorators` keeps `@api`/`@track`/`@wire` as the
 * decorators the LWC compiler expects; older targets make it fail (LWC1104).
 *
 * Usage: tsx scripts/build-lwc.ts [--project DIR] [--check]   (--check: compile, write nothing)
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { transformSync } from "@lwc/compiler";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { type Finding } from "./lib/findings";
import { type GateOutcome, runGate } from "./lib/gate";
import { listFiles, packageDirectories } from "./lib/project";

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  experimentalDecorators: false,
  sourceMap: true,
  inlineSources: false
};

/** The component sources: `lwc/<bundle>/*.ts`, without tests, mocks and declaration files. */
function componentSources(projectDir: string): string[] {
  return packageDirectories(projectDir).flatMap((dir) =>
    listFiles(dir, (name) => name.endsWith(".ts") && !name.endsWith(".d.ts")).filter((file) => {
      const parts = file.split(path.sep);
      const lwc = parts.lastIndexOf("lwc");
      // Exactly lwc/<bundle>/<file>.ts: deeper paths are __tests__, __mocks__ and the like.
      return lwc >= 0 && parts.length - lwc === 3;
    })
  );
}

function compile(file: string, write: boolean): Finding[] {
  const source = fs.readFileSync(file, "utf8");
  const output = ts.transpileModule(source, {
    compilerOptions: COMPILER_OPTIONS,
    fileName: file,
    reportDiagnostics: true
  });
  const findings: Finding[] = (output.diagnostics ?? []).map((diagnostic) => {
    const position =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
        : undefined;
    return {
      file,
      line: (position?.line ?? 0) + 1,
      column: position ? position.character + 1 : undefined,
      rule: `TS${diagnostic.code}`,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
    };
  });
  if (findings.length > 0) return findings;

  const js = output.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, "\n");
  const bundle = path.basename(path.dirname(file));
  const jsFile = file.replace(/\.ts$/, ".js");
  try {
    transformSync(js, path.basename(jsFile), { namespace: "c", name: bundle });
  } catch (error: unknown) {
    const location = (error as { location?: { line?: number; column?: number } }).location;
    const map = new TraceMap(output.sourceMapText ?? "");
    const original =
      location?.line !== undefined
        ? originalPositionFor(map, {
            line: location.line,
            column: location.column ?? 0
          })
        : undefined;
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        file,
        line: original?.line ?? location?.line ?? 1,
        column: original?.column !== undefined && original.column !== null ? original.column + 1 : undefined,
        rule: "lwc-compiler",
        // The compiler prefixes the message with the file it was given; the finding names the source.
        message: message.split("\n")[0].replace(/^.*?\.js: /, "")
      }
    ];
  }
  if (write) fs.writeFileSync(jsFile, js);
  return [];
}

/** Templates go through the LWC compiler too: a template error is as fatal at deploy as a script error. */
function compileTemplate(file: string): Finding[] {
  const bundle = path.basename(path.dirname(file));
  try {
    transformSync(fs.readFileSync(file, "utf8"), path.basename(file), { namespace: "c", name: bundle });
    return [];
  } catch (error: unknown) {
    const location = (error as { location?: { line?: number; column?: number } }).location;
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        file,
        line: location?.line ?? 1,
        column: location?.column !== undefined ? location.column + 1 : undefined,
        rule: "lwc-compiler",
        message: message.split("\n")[0].replace(/^.*?\.html: /, "")
      }
    ];
  }
}

async function main(): Promise<GateOutcome> {
  const args = process.argv.slice(2);
  const projectIndex = args.indexOf("--project");
  const projectDir = path.resolve(projectIndex >= 0 ? args[projectIndex + 1] : ".");
  const write = !args.includes("--check");
  const sources = componentSources(projectDir);
  const templates = [...new Set(sources.map((file) => path.dirname(file)))].flatMap((bundle) =>
    fs
      .readdirSync(bundle)
      .filter((name) => name.endsWith(".html"))
      .map((name) => path.join(bundle, name))
  );
  const findings = [...sources.flatMap((file) => compile(file, write)), ...templates.flatMap(compileTemplate)];
  return {
    findings,
    summary: `${sources.length} component source file(s), ${templates.length} template(s), ${findings.length} error(s)`
  };
}

runGate("build", main);
