/**
 * The layers of a tool import one way only. A tool that declares its layers in `tools/<tool>/layers.json`
 * (lowest first, each a list of folders or files under its source folder) is checked with
 * dependency-cruiser, type-only imports included: a file may import its own layer and the layers below,
 * never one above; no imports may form a cycle, inside a layer or across; and every source file must
 * belong to a layer, so a new folder cannot slip past the check.
 *
 * Usage: tsx scripts/check-layers.ts [--project DIR]
 */
import fs from "node:fs";
import path from "node:path";
import { byLocation, type Finding } from "./lib/findings";
import { type GateOutcome, runGate } from "./lib/gate";
import { listFiles, parseArgs } from "./lib/project";

interface LayerFile {
  /** The source folder, relative to the tool. */
  source: string;
  layers: { name: string; paths: string[]; holds: string }[];
}

interface Layer {
  name: string;
  rank: number;
  /** Repository-relative folders (ending in "/") and files. */
  paths: string[];
}

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = (paths: string[]) => `^(${paths.map((p) => escape(p) + (p.endsWith("/") ? "" : "$")).join("|")})`;

function layerOf(file: string, layers: Layer[]): Layer | undefined {
  return layers.find((layer) => layer.paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)));
}

/** The line of the import of `target` in `file` (1 when it cannot be found). */
function importLine(projectDir: string, file: string, target: string): number {
  const lines = fs.readFileSync(path.join(projectDir, file), "utf8").split("\n");
  let specifier = path.posix.relative(path.posix.dirname(file), target).replace(/\.ts$/, "");
  if (!specifier.startsWith(".")) specifier = `./${specifier}`;
  const quoted = [`"${specifier}"`, `"${specifier}.js"`, `"${specifier}.ts"`, `'${specifier}'`, `'${specifier}.js'`];
  const index = lines.findIndex((line) => quoted.some((text) => line.includes(text)));
  return index >= 0 ? index + 1 : 1;
}

async function checkTool(projectDir: string, layerFile: string): Promise<Finding[]> {
  const { cruise } = await import("dependency-cruiser");
  const toolDir = path.relative(projectDir, path.dirname(layerFile)).split(path.sep).join("/");
  const config = JSON.parse(fs.readFileSync(layerFile, "utf8")) as LayerFile;
  const source = `${toolDir}/${config.source.replace(/\/$/, "")}`;
  const layers: Layer[] = config.layers.map((layer, rank) => ({
    name: layer.name,
    rank,
    paths: layer.paths.map((p) => `${source}/${p}`)
  }));
  const forbidden = [
    { name: "no-cycle", severity: "error", from: { path: `^${escape(source)}/` }, to: { circular: true } },
    ...layers.slice(0, -1).map((layer) => ({
      name: `up-from-${layer.name}`,
      severity: "error",
      from: { path: pattern(layer.paths) },
      to: { path: pattern(layers.slice(layer.rank + 1).flatMap((higher) => higher.paths)) }
    }))
  ];
  const previous = process.cwd();
  process.chdir(projectDir);
  let violations: Violation[];
  try {
    const result = await cruise([source], {
      validate: true,
      ruleSet: { forbidden },
      tsPreCompilationDeps: true,
      doNotFollow: { path: "node_modules" },
      includeOnly: `^${escape(source)}/`
    } as never);
    const output = result.output as { summary: { violations: Violation[] } };
    violations = output.summary.violations;
  } finally {
    process.chdir(previous);
  }
  const findings: Finding[] = [];
  const at = (file: string) => path.join(projectDir, file);
  const upward = violations.filter((violation) => violation.rule.name !== "no-cycle");
  const upwardEdges = new Set(upward.map((violation) => `${violation.from} > ${violation.to}`));
  for (const violation of upward) {
    const from = layerOf(violation.from, layers)!;
    const to = layerOf(violation.to, layers)!;
    findings.push({
      file: at(violation.from),
      line: importLine(projectDir, violation.from, violation.to),
      rule: "layers",
      message: `${path.relative(source, violation.from)} (layer ${from.name}) imports ${path.relative(source, violation.to)} (layer ${to.name}, above it): imports point down only`
    });
  }
  // Each cycle once, and not again when an upward import (reported above) closes it.
  const seenCycles = new Set<string>();
  for (const violation of violations.filter((candidate) => candidate.rule.name === "no-cycle")) {
    const cycle = [violation.from, ...(violation.cycle ?? []).map((step) => step.name)];
    const edges = cycle.slice(1).map((file, index) => `${cycle[index]} > ${file}`);
    const key = [...new Set(cycle)].sort().join(" ");
    if (edges.some((edge) => upwardEdges.has(edge)) || seenCycles.has(key)) continue;
    seenCycles.add(key);
    findings.push({
      file: at(violation.from),
      line: importLine(projectDir, violation.from, violation.to),
      rule: "layers",
      message: `import cycle: ${cycle.map((file) => path.relative(source, file)).join(" > ")}`
    });
  }
  for (const file of listFiles(path.join(projectDir, source), (name) => /\.[cm]?[jt]s$/.test(name))) {
    const relativeFile = path.relative(projectDir, file).split(path.sep).join("/");
    if (!layerOf(relativeFile, layers))
      findings.push({
        file,
        line: 1,
        rule: "layers",
        message: `in no layer of ${path.relative(projectDir, layerFile)}: add its folder to the layer it belongs to`
      });
  }
  return findings;
}

async function main(): Promise<GateOutcome> {
  const { options } = parseArgs(process.argv.slice(2));
  const projectDir = path.resolve(options.get("project")?.[0] ?? ".");
  const toolsDir = path.join(projectDir, "tools");
  const layerFiles = fs.existsSync(toolsDir)
    ? fs
        .readdirSync(toolsDir)
        .map((tool) => path.join(toolsDir, tool, "layers.json"))
        .filter((file) => fs.existsSync(file))
    : [];
  if (layerFiles.length === 0) throw new Error(`no tools/*/layers.json under ${projectDir}`);
  const findings: Finding[] = [];
  for (const file of layerFiles) findings.push(...(await checkTool(projectDir, file)));
  const tools = layerFiles.map((file) => path.basename(path.dirname(file))).join(", ");
  return {
    findings: findings.sort(byLocation),
    summary:
      findings.length === 0
        ? `${tools}: every import points down, no cycles`
        : `${findings.length} problem(s) with the layers`
  };
}

runGate("check:layers", main);
