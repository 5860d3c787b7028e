/**
 * check:metadata — proves the package source is deployable metadata:
 * - sfdx-project.json and config/*scratch-def.json match @salesforce/schemas,
 *   and the scratch definition's settings match their Metadata API types;
 * - every metadata XML is well-formed, has the root element and namespace of
 *   its type, and matches the Metadata API types of @salesforce/types
 *   (unknown elements, misspelt enum values, bad booleans and numbers);
 * - every file is at the project's sourceApiVersion, and every element it
 *   uses exists at that version (config/metadata-api-versions.json gives
 *   the first version of each; an element missing there fails too);
 * - authentication headers sit on the external credential, and record-triggered
 *   flow templates start on Create and Update (lib/package-rules.ts);
 * - every file belongs to a component (a .cls has its -meta.xml, and back;
 *   a bundle has its definition file);
 * - `sf project convert source` succeeds and ships exactly the components
 *   of the files .forceignore keeps, and no TypeScript, Jest tests or mocks;
 * - Apex test classes (and test-only helpers, which are @IsTest too) live in
 *   the package directory's `tests/` folder and nothing else does, so `main/`
 *   is exactly what customers run. Tests still ship: the platform runs them
 *   at deploy and package version creation.
 *
 * LWC bundles are written in TypeScript and compiled to .js by a separate
 * build; a bundle whose .js is missing but whose .ts is there is a build
 * that has not run yet, not a metadata defect, so it passes. A bundle with
 * neither is reported.
 *
 * Usage: tsx scripts/check-metadata.ts [--project DIR]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import {
  checkElementVersions,
  compareVersions,
  declaredApiVersion,
  loadApiVersionTable,
  type ApiVersionTable
} from "./lib/api-versions";
import { convertSource, type ConvertOutcome } from "./lib/convert";
import type { Finding } from "./lib/findings";
import { IgnorePatterns } from "./lib/ignore-patterns";
import { escapePointer, validateJson, type JsonVerdict } from "./lib/json-schema";
import { MetadataSchema } from "./lib/metadata-schema";
import { checkPackageRules, type PackageDocument } from "./lib/package-rules";
import { classify, ownName, type SourceFileRole } from "./lib/metadata-types";
import { listFiles } from "./lib/project";
import { parseXml, XmlSyntaxError, type XmlElement } from "./lib/xml";

export type { Finding };

const METADATA_NAMESPACE = "http://soap.sforce.com/2006/04/metadata";

/** What must never reach the package, whatever .forceignore says. */
const NEVER_SHIPPED = [
  "**/*.ts",
  "**/__tests__/**",
  "**/__mocks__/**",
  "**/tsconfig.json",
  "**/jsconfig.json",
  "**/.eslintrc*"
];

/** The table of first API versions: the gate's own knowledge, whichever project it checks. */
export const API_VERSION_TABLE = resolve(__dirname, "..", "config", "metadata-api-versions.json");

let schema: MetadataSchema | undefined;

/** What every file of a package directory is checked against. */
interface VersionContext {
  /** The project's sourceApiVersion, when it is a valid one. */
  sourceApiVersion?: string;
  table: ApiVersionTable;
}

interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Forward-slash path relative to its package directory. */
  inPackage: string;
  role: SourceFileRole;
  /** Matches NEVER_SHIPPED. */
  nonShippable: boolean;
}

export async function checkMetadata(projectDir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const projectFile = join(projectDir, "sfdx-project.json");
  if (!existsSync(projectFile)) return [{ file: projectFile, line: 1, message: "sfdx-project.json is missing" }];

  const projectText = readFileSync(projectFile, "utf8");
  const project = validateJson(projectText, "sfdx-project");
  findings.push(...project.problems.map((p) => ({ file: projectFile, ...p })));
  findings.push(...checkScratchDefinitions(projectDir));
  schema ??= new MetadataSchema();
  const table = loadApiVersionTable(API_VERSION_TABLE, schema);
  findings.push(...table.problems.map((p) => ({ file: API_VERSION_TABLE, ...p })));
  const versions: VersionContext = {
    table,
    sourceApiVersion: checkSourceApiVersion(project.value, projectText, table, projectFile, findings)
  };

  const packageDirs = packageDirectories(project.value);
  if (packageDirs.length === 0) {
    findings.push({
      file: projectFile,
      line: 1,
      message: "no packageDirectories to check"
    });
    return sortFindings(findings);
  }
  const ignoreFile = join(projectDir, ".forceignore");
  const forceIgnore = existsSync(ignoreFile)
    ? IgnorePatterns.parse(readFileSync(ignoreFile, "utf8"))
    : new IgnorePatterns([]);

  for (const packageDir of packageDirs) {
    const root = resolve(projectDir, packageDir);
    if (!existsSync(root)) {
      findings.push({
        file: projectFile,
        line: lineOf(projectText, packageDir),
        message: `package directory ${packageDir} does not exist`
      });
      continue;
    }
    // Started first: the CLI runs while the XML is being checked.
    const converted = convertSource(projectDir, root);
    const neverShipped = new IgnorePatterns(NEVER_SHIPPED);
    const sources = packageSources(projectDir, root, forceIgnore, neverShipped);
    findings.push(...checkSources(sources, versions));
    findings.push(...checkTestPlacement(sources));
    findings.push(...compareWithConversion(sources, await converted, root, projectFile));
  }
  return sortFindings(findings);
}

/** The project's sourceApiVersion, if it is one the table covers; reports it otherwise. */
export function checkSourceApiVersion(
  project: unknown,
  projectText: string,
  table: ApiVersionTable,
  projectFile: string,
  findings: Finding[]
): string | undefined {
  const version = (project as { sourceApiVersion?: unknown } | undefined)?.sourceApiVersion;
  const line = lineOf(projectText, "sourceApiVersion");
  const report = (message: string): undefined => {
    findings.push({ file: projectFile, line, message });
    return undefined;
  };
  if (version === undefined) {
    return report("sourceApiVersion is missing: without it every deploy uses the target org's newest version");
  }
  if (typeof version !== "string" || !/^\d+\.0$/.test(version)) {
    return report(`sourceApiVersion ${JSON.stringify(version)} is not an API version such as "${table.newest}"`);
  }
  if (table.newest && compareVersions(version, table.newest) > 0) {
    return report(`sourceApiVersion ${version} is newer than ${table.newest}, the newest version the toolchain knows`);
  }
  if (table.oldest && compareVersions(version, table.oldest) < 0) {
    return report(
      `sourceApiVersion ${version} is older than ${table.oldest}, the oldest version the API version table covers`
    );
  }
  return version;
}

function packageDirectories(project: unknown): string[] {
  const dirs = (project as { packageDirectories?: unknown } | undefined)?.packageDirectories;
  if (!Array.isArray(dirs)) return [];
  return dirs.flatMap((d: unknown) => {
    const path = typeof d === "object" && d !== null ? (d as { path?: unknown }).path : undefined;
    return typeof path === "string" ? [path] : [];
  });
}

function checkScratchDefinitions(projectDir: string): Finding[] {
  const configDir = join(projectDir, "config");
  if (!existsSync(configDir)) return [];
  return readdirSync(configDir)
    .filter((name) => name.endsWith("scratch-def.json"))
    .flatMap((name) => {
      const file = join(configDir, name);
      const verdict = validateJson(readFileSync(file, "utf8"), "project-scratch-def");
      return [...verdict.problems, ...checkScratchSettings(verdict)].map((p) => ({ file, ...p }));
    });
}

/**
 * The schema leaves `settings` free-form; each entry is a Metadata API
 * settings type (lightningExperienceSettings is LightningExperienceSettings),
 * so it gets the same type check as the metadata XML.
 */
function checkScratchSettings(verdict: JsonVerdict): { line: number; message: string }[] {
  const settings = (verdict.value as { settings?: unknown } | undefined)?.settings;
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) return [];
  return Object.entries(settings).flatMap(([key, value]) => {
    const pointer = `/settings/${escapePointer(key)}`;
    const typeName = key.charAt(0).toUpperCase() + key.slice(1);
    schema ??= new MetadataSchema();
    if (!key.endsWith("Settings") || !schema.has(typeName)) {
      return [
        {
          line: verdict.lines.get(pointer) ?? 1,
          message: `settings.${key} is not a Metadata API settings type`
        }
      ];
    }
    return schema.validate(jsonToElement(key, value, pointer, verdict.lines), typeName);
  });
}

/** A JSON value as the XML element the Metadata API would read: lists become repeated elements. */
function jsonToElement(name: string, value: unknown, pointer: string, lines: Map<string, number>): XmlElement {
  const element: XmlElement = {
    name,
    attributes: new Map(),
    children: [],
    text: "",
    line: lines.get(pointer) ?? 1
  };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPointer = `${pointer}/${escapePointer(key)}`;
      const items = Array.isArray(child)
        ? child.map((item, i) => [item, `${childPointer}/${i}`] as const)
        : [[child, childPointer] as const];
      for (const [item, itemPointer] of items) element.children.push(jsonToElement(key, item, itemPointer, lines));
    }
  } else {
    element.text = String(value);
  }
  return element;
}

/** The package's files that .forceignore keeps (dot files are never deployed either). */
function packageSources(
  projectDir: string,
  root: string,
  forceIgnore: IgnorePatterns,
  neverShipped: IgnorePatterns
): SourceFile[] {
  const all = listFiles(root, (name) => !name.startsWith(".")).map((file) => toPosix(relative(root, file)));
  const kept = new Set(all.filter((f) => !forceIgnore.ignores(toPosix(relative(projectDir, join(root, f))))));
  return [...kept].map((inPackage) => {
    const fromProject = toPosix(relative(projectDir, join(root, inPackage)));
    return {
      path: join(root, inPackage),
      inPackage,
      role: classify(inPackage, (p) => kept.has(p)),
      nonShippable: neverShipped.ignores(fromProject)
    };
  });
}

function checkSources(sources: readonly SourceFile[], versions: VersionContext): Finding[] {
  const findings: Finding[] = [];
  const documents: PackageDocument[] = [];
  const present = new Set(sources.map((s) => s.inPackage));
  for (const source of sources) {
    const { role, path } = source;
    if (role.kind === "unknown") {
      if (!source.nonShippable) findings.push({ file: path, line: 1, message: role.reason });
      continue;
    }
    if (role.kind === "member" && role.problem && !source.nonShippable) {
      findings.push({ file: path, line: 1, message: role.problem });
    }
    if (role.kind !== "definition") continue;
    const folder = source.inPackage.slice(0, source.inPackage.lastIndexOf("/") + 1);
    if (role.content && !present.has(folder + role.content)) {
      findings.push({
        file: path,
        line: 1,
        message: `has no ${role.content} next to it`
      });
    }
    if (role.type === "LightningComponentBundle") {
      // Checked on disk: the .ts is ignored, and the .js may not be built yet.
      const script = join(dirname(path), role.fullName);
      if (!existsSync(`${script}.js`) && !existsSync(`${script}.ts`)) {
        findings.push({
          file: path,
          line: 1,
          message: `LWC bundle ${role.fullName} has no ${role.fullName}.js, nor a ${role.fullName}.ts to build it from`
        });
      }
    }
    const checked = checkXml(path, role.xmlType, ownName(role.fullName, role.type), versions);
    findings.push(...checked.problems.map((p) => ({ file: path, ...p })));
    if (checked.root && !source.nonShippable) {
      documents.push({ path, type: role.type, name: role.fullName, root: checked.root });
    }
  }
  findings.push(...checkPackageRules(documents));
  const defined = new Set(
    sources.flatMap((s) => (s.role.kind === "definition" ? [`${s.role.type}:${s.role.fullName}`] : []))
  );
  const undefinedBundles = new Set<string>();
  for (const { role, path, nonShippable } of sources) {
    if (role.kind !== "member" || role.problem || nonShippable) continue;
    const key = `${role.type}:${role.fullName}`;
    if (defined.has(key) || undefinedBundles.has(key)) continue;
    undefinedBundles.add(key);
    findings.push({ file: path, line: 1, message: `${role.type} ${role.fullName} has no definition -meta.xml` });
  }
  return findings;
}

/** The folder of a package directory that holds Apex tests and test-only helpers. */
export const TESTS_FOLDER = "tests";

/**
 * An @IsTest class outside `tests/` would make `main/` more than what customers run; a class in `tests/`
 * that is not @IsTest would be production code that nobody looks for there.
 */
function checkTestPlacement(sources: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const source of sources) {
    if (source.nonShippable || !source.inPackage.endsWith(".cls")) continue;
    if (source.role.kind === "unknown") continue;
    const name = source.role.fullName;
    const inTests = source.inPackage.split("/")[0] === TESTS_FOLDER;
    const isTest = isTestClass(readFileSync(source.path, "utf8"));
    if (isTest && !inTests) {
      findings.push({
        file: source.path,
        line: 1,
        message: `test class ${name} is outside ${TESTS_FOLDER}/: move it to ${TESTS_FOLDER}/default/classes/ so main/ holds only what customers run`
      });
    } else if (!isTest && inTests) {
      findings.push({
        file: source.path,
        line: 1,
        message: `${name} is not an @IsTest class: production code belongs in main/, ${TESTS_FOLDER}/ holds tests and test-only helpers`
      });
    }
  }
  return findings;
}

/** Whether the class itself (not just one of its methods) is annotated @IsTest. */
export function isTestClass(source: string): boolean {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
  const declaration = /\b(class|interface|enum)\b/i.exec(code);
  return /@istest\b/i.test(declaration ? code.slice(0, declaration.index) : code);
}

function checkXml(
  path: string,
  xmlType: string,
  name: string,
  versions: VersionContext
): { problems: { line: number; message: string }[]; root?: XmlElement } {
  let root;
  try {
    root = parseXml(readFileSync(path, "utf8"));
  } catch (error) {
    if (error instanceof XmlSyntaxError) return { problems: [{ line: error.line, message: error.message }] };
    throw error;
  }
  if (root.name !== xmlType) {
    return {
      problems: [
        {
          line: root.line,
          message: `root element is <${root.name}>, expected <${xmlType}> for this file suffix`
        }
      ]
    };
  }
  const problems: { line: number; message: string }[] = [];
  const namespace = root.attributes.get("xmlns");
  if (namespace !== METADATA_NAMESPACE) {
    problems.push({
      line: root.line,
      message: `<${xmlType}> must declare xmlns="${METADATA_NAMESPACE}"`
    });
  }
  const fullName = root.children.find((c) => c.name === "fullName");
  if (fullName && fullName.text.trim() !== name) {
    problems.push({
      line: fullName.line,
      message: `<fullName> ${fullName.text.trim()} does not match the file name (${name})`
    });
  }
  schema ??= new MetadataSchema();
  problems.push(...schema.validate(root, xmlType));
  problems.push(...checkFileVersion(root, xmlType, versions));
  return { problems, root };
}

/** The file's own apiVersion must be the project's, and every element must exist at it. */
function checkFileVersion(
  root: XmlElement,
  xmlType: string,
  { sourceApiVersion, table }: VersionContext
): { line: number; message: string }[] {
  const problems: { line: number; message: string }[] = [];
  const declared = declaredApiVersion(root);
  if (declared && sourceApiVersion && declared.version !== sourceApiVersion) {
    problems.push({
      line: declared.line,
      message: `apiVersion ${declared.version} differs from the project's sourceApiVersion ${sourceApiVersion}: keep every file on the project's API version`
    });
  }
  // Files without an apiVersion of their own deploy at the version of the package.xml, the project's.
  const version = declared?.version ?? sourceApiVersion;
  if (version && /^\d+\.0$/.test(version) && table.since.size > 0) {
    schema ??= new MetadataSchema();
    problems.push(...checkElementVersions(root, xmlType, version, table, schema));
  }
  return problems;
}

/** The convert output must hold exactly the components of the shippable files, and no file that must never ship. */
function compareWithConversion(
  sources: readonly SourceFile[],
  outcome: ConvertOutcome,
  root: string,
  projectFile: string
): Finding[] {
  if (!outcome.ok) {
    return [
      {
        file: projectFile,
        line: 1,
        message: `sf project convert source failed for ${toPosix(relative(resolve(projectFile, ".."), root))}: ${outcome.message}`
      }
    ];
  }
  const findings: Finding[] = [];
  const byComponent = new Map<string, SourceFile[]>();
  for (const source of sources) {
    if (source.role.kind === "unknown") continue;
    const key = `${source.role.type}:${source.role.fullName}`;
    byComponent.set(key, [...(byComponent.get(key) ?? []), source]);
  }
  const reported = new Set<string>();
  for (const [key, files] of byComponent) {
    const shippable = files.filter((f) => !f.nonShippable);
    const anchor = files.find((f) => f.role.kind === "definition") ?? files[0];
    const label = key.replace(":", " ");
    if (shippable.length > 0 && !outcome.components.has(key)) {
      findings.push({
        file: anchor.path,
        line: 1,
        message: `${label} is missing from the converted package`
      });
    } else if (shippable.length === 0 && outcome.components.has(key)) {
      findings.push({
        file: anchor.path,
        line: 1,
        message: `${label} reaches the package although it is not shippable (exclude it in .forceignore)`
      });
      files.forEach((f) => reported.add(f.path));
    }
  }
  const known = new Set(byComponent.keys());
  for (const key of outcome.components) {
    if (!known.has(key)) {
      findings.push({
        file: root,
        line: 1,
        message: `converted package holds ${key.replace(":", " ")}, which no source file defines`
      });
    }
  }
  const neverShipped = new IgnorePatterns(NEVER_SHIPPED);
  for (const produced of outcome.files.filter((f) => neverShipped.ignores(f))) {
    const source = sources.find((s) => s.inPackage === produced || s.inPackage.endsWith(`/${produced}`));
    if (source && reported.has(source.path)) continue;
    findings.push({
      file: source ? source.path : root,
      line: 1,
      message: `${produced} reaches the package although it is not shippable (exclude it in .forceignore)`
    });
  }
  return findings;
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(JSON.stringify(needle));
  return at === -1 ? 1 : text.slice(0, at).split("\n").length;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.message.localeCompare(b.message));
}

/** Runs the gate; returns the exit code. */
export async function main(args: readonly string[], cwd: string, write: (line: string) => void): Promise<number> {
  let projectDir = cwd;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--project" && args[i + 1] !== undefined) projectDir = resolve(cwd, args[++i]);
    else {
      write("usage: tsx scripts/check-metadata.ts [--project DIR]");
      return 2;
    }
  }
  const findings = await checkMetadata(projectDir);
  for (const f of findings) write(`${toPosix(relative(cwd, f.file)) || "."}:${f.line}: ${f.message}`);
  const files = new Set(findings.map((f) => f.file)).size;
  write(
    findings.length === 0
      ? "check:metadata: metadata is valid and converts to exactly the shippable components"
      : `check:metadata: ${findings.length} problem${findings.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}`
  );
  return findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2), process.cwd(), (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    }
  );
}
