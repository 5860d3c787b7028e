/**
 * Bundles the preview's pages of Lightning web components for a real browser, as Lightning Experience would run them:
 * the real `lightning/*` base components from lightning-base-components, one copy of the LWC engine,
 * synthetic shadow loaded before anything else (so SLDS classes inside components apply, as in Lightning
 * Experience), the components' TypeScript compiled exactly as for deploy, and the platform modules the
 * base components package lacks (`@salesforce/apex/*`, `lightning/platformShowToastEvent`) answered by
 * the preview's client modules. Each page component gets an entry of its own (`stiggCard.js`), and the entries
 * share their chunks (one copy of the engine and of each base component). The output is ES modules held in
 * memory; icons stay lazy chunks.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { rollup, type Plugin, type RollupLog } from "rollup";
import lwc from "@lwc/rollup-plugin";
import replace from "@rollup/plugin-replace";

/** Where the preview's browser-side modules live (the Apex transport, the toast shim, the page entry). */
export const CLIENT_DIR = path.join(__dirname, "client");

const ENTRY_PREFIX = "\0preview-entry:";
const APEX_PREFIX = "@salesforce/apex/";
/** `refreshApex` and the other functions of `@salesforce/apex` itself. */
const APEX_FUNCTIONS = "@salesforce/apex";
const APEX_MODULE_PREFIX = "\0apex:";
const CLOSED_GATE_ID = "\0closed-gate";

/**
 * Base component gates the npm package opens but Lightning Experience keeps closed where components run
 * in synthetic shadow, as they do here: a combobox with element internals calls attachInternals, which
 * synthetic shadow refuses ("attachInternals API is not supported in synthetic shadow").
 */
const SYNTHETIC_SHADOW_CLOSED_GATES = new Set(["@salesforce/gate/bc.260.enableComboboxElementInternals"]);

/** The same options `npm run build` compiles components with: only these keep LWC decorators intact. */
const TYPESCRIPT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  experimentalDecorators: false,
  sourceMap: true
};

export interface BundleOptions {
  /** The components' folder, `force-app/main/default/lwc`. */
  componentsDir: string;
  /** The components pages show, as `namespace/name` (for example `c/stiggConfiguration`): one entry each. */
  components: string[];
}

export interface Bundle {
  /** File name (`stiggCard.js`, `chunk-*.js`) to JavaScript source. */
  files: Map<string, string>;
  /** The entry file of each component, by `namespace/name`. */
  entries: Record<string, string>;
  /** The `Class.method` of every `@salesforce/apex` import in the bundle. */
  apexMethods: string[];
  durationMs: number;
  /** True when the bundle came from the cache because none of its sources changed. */
  cached: boolean;
}

/** A built bundle on disk, with the hash of every source file that went into it. */
interface CachedBundle {
  key: string;
  sources: Record<string, string>;
  files: Record<string, string>;
  entries: Record<string, string>;
  apexMethods: string[];
}

export class BundleError extends Error {}

/** Turns `c/fooBar` into the custom element name `c-foo-bar`. */
export function tagName(specifier: string): string {
  const [namespace, name] = specifier.split("/");
  return `${namespace}-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** The entry file of a component: `c/stiggCard` is `stiggCard.js`. */
export function entryFileName(component: string): string {
  return `${component.split("/")[1]}.js`;
}

/** A page's entry: synthetic shadow first, then the component mounted with the preview's shell. */
function entrySource(component: string): string {
  return [
    `import "@lwc/synthetic-shadow";`,
    `import { mount } from ${JSON.stringify(path.join(CLIENT_DIR, "shell.ts"))};`,
    `import Component from ${JSON.stringify(component)};`,
    `mount(${JSON.stringify(tagName(component))}, Component);`
  ].join("\n");
}

/** `@salesforce/apex/Class.method` becomes a call through the preview's Apex transport. */
function apexModuleSource(qualifiedName: string): string {
  const [className, methodName] = qualifiedName.split(".");
  return [
    `import { apexMethod } from ${JSON.stringify(path.join(CLIENT_DIR, "apex.ts"))};`,
    `export default apexMethod(${JSON.stringify(className)}, ${JSON.stringify(methodName)});`
  ].join("\n");
}

/**
 * Resolves what Lightning Experience provides and the npm packages do not, and compiles TypeScript
 * sources before the LWC compiler sees them. Component bundles resolve to their `.ts` source, never to
 * a stale `.js` left by `npm run build`.
 */
function platformModules(options: BundleOptions, apexMethods: Set<string>): Plugin {
  return {
    name: "preview-platform-modules",
    resolveId(source) {
      if (source.startsWith(ENTRY_PREFIX)) return source;
      if (source === APEX_FUNCTIONS) return path.join(CLIENT_DIR, "apex.ts");
      if (source.startsWith(APEX_PREFIX)) {
        const qualified = source.slice(APEX_PREFIX.length);
        if (!/^[A-Za-z_][A-Za-z0-9_]*(__[A-Za-z0-9_]+)?\.[A-Za-z_][A-Za-z0-9_]*$/.test(qualified)) {
          this.error(`${source}: an Apex import names a class and a method, "@salesforce/apex/Class.method"`);
        }
        return APEX_MODULE_PREFIX + qualified;
      }
      if (source === "lightning/platformShowToastEvent") return path.join(CLIENT_DIR, "platformShowToastEvent.ts");
      if (SYNTHETIC_SHADOW_CLOSED_GATES.has(source)) return CLOSED_GATE_ID;
      const component = /^c\/([A-Za-z0-9_]+)$/.exec(source);
      if (component) {
        const typescript = path.join(options.componentsDir, component[1], `${component[1]}.ts`);
        if (fs.existsSync(typescript)) return typescript;
      }
      return null;
    },
    load(id) {
      if (id.startsWith(ENTRY_PREFIX)) return entrySource(id.slice(ENTRY_PREFIX.length));
      if (id === CLOSED_GATE_ID) return "export default { isOpen: () => false };";
      if (id.startsWith(APEX_MODULE_PREFIX)) {
        const qualified = id.slice(APEX_MODULE_PREFIX.length);
        apexMethods.add(qualified);
        return apexModuleSource(qualified);
      }
      return null;
    },
    transform(code, id) {
      if (!id.endsWith(".ts") || id.endsWith(".d.ts")) return null;
      const output = ts.transpileModule(code, {
        compilerOptions: TYPESCRIPT_OPTIONS,
        fileName: id,
        reportDiagnostics: true
      });
      const diagnostic = output.diagnostics?.[0];
      if (diagnostic) this.error(`${id}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
      return {
        code: output.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, "\n"),
        map: output.sourceMapText ?? null
      };
    }
  };
}

const NODE_MODULES = path.resolve(__dirname, "..", "..", "..", "node_modules");
const CACHE_DIR = path.join(NODE_MODULES, ".cache", "preview");

function sha256(text: string | Buffer): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** What else decides the output: the bundler's own code and the versions of the packages it compiles with. */
function cacheKey(options: BundleOptions): string {
  // Read from disk: some of these packages do not export their package.json.
  const versions = ["lwc", "@lwc/rollup-plugin", "lightning-base-components", "rollup", "typescript"].map(
    (name) =>
      `${name}@${(JSON.parse(fs.readFileSync(path.join(NODE_MODULES, name, "package.json"), "utf8")) as { version: string }).version}`
  );
  return sha256([fs.readFileSync(__filename, "utf8"), ...options.components, ...versions].join("\n"));
}

function cacheFile(options: BundleOptions): string {
  return path.join(
    CACHE_DIR,
    `${sha256([path.resolve(options.componentsDir), ...options.components].join("\n")).slice(0, 16)}.json`
  );
}

/** A file's content hash; for a folder, the hash of its listing. */
function hashOrNull(file: string): string | null {
  try {
    return fs.statSync(file).isDirectory()
      ? sha256(fs.readdirSync(file).sort().join("\n"))
      : sha256(fs.readFileSync(file));
  } catch {
    return null;
  }
}

function readCache(options: BundleOptions, key: string, started: number): Bundle | null {
  let cached: CachedBundle;
  try {
    cached = JSON.parse(fs.readFileSync(cacheFile(options), "utf8")) as CachedBundle;
  } catch {
    return null;
  }
  if (cached.key !== key) return null;
  for (const [file, hash] of Object.entries(cached.sources)) if (hashOrNull(file) !== hash) return null;
  return {
    files: new Map(Object.entries(cached.files)),
    entries: cached.entries,
    apexMethods: cached.apexMethods,
    durationMs: Date.now() - started,
    cached: true
  };
}

function writeCache(options: BundleOptions, key: string, bundle: Bundle, sourceFiles: string[]): void {
  const sources: Record<string, string> = {};
  for (const file of sourceFiles) {
    const hash = hashOrNull(file);
    if (hash) sources[file] = hash;
  }
  const cached: CachedBundle = {
    key,
    sources,
    files: Object.fromEntries(bundle.files),
    entries: bundle.entries,
    apexMethods: bundle.apexMethods
  };
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${cacheFile(options)}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(cached));
    fs.renameSync(temporary, cacheFile(options));
  } catch {
    // A cache that cannot be written only costs the next run a rebuild.
  }
}

/**
 * The page's modules, from the cache when no source file changed (every file the last build read is
 * hashed again), else built afresh.
 */
export async function buildBundle(options: BundleOptions & { cache?: boolean }): Promise<Bundle> {
  const started = Date.now();
  const key = cacheKey(options);
  if (options.cache !== false) {
    const cached = readCache(options, key, started);
    if (cached) return cached;
  }
  const { bundle, sourceFiles } = await rollupBundle(options, started);
  if (options.cache !== false) writeCache(options, key, bundle, sourceFiles);
  return bundle;
}

/** Builds the page's modules. Warnings that mean a broken page (an unresolved import) fail the build. */
async function rollupBundle(
  options: BundleOptions,
  started: number
): Promise<{ bundle: Bundle; sourceFiles: string[] }> {
  const apexMethods = new Set<string>();
  const problems: string[] = [];
  const entries = Object.fromEntries(options.components.map((component) => [component, entryFileName(component)]));
  const build = await rollup({
    input: Object.fromEntries(
      options.components.map((component) => [entryFileName(component).replace(/\.js$/, ""), ENTRY_PREFIX + component])
    ),
    plugins: [
      platformModules(options, apexMethods),
      replace({
        preventAssignment: true,
        values: { "import.meta.env.SSR": "false", "process.env.NODE_ENV": '"production"' }
      }),
      lwc({
        rootDir: options.componentsDir,
        modules: [{ npm: "lightning-base-components" }],
        // Our own modules are not components; the LWC compiler still sees them (it accepts plain modules).
        exclude: ["**/*.d.ts"]
      })
    ],
    onLog(level, log: RollupLog) {
      if (level === "warn" && (log.code === "UNRESOLVED_IMPORT" || log.code === "MISSING_EXPORT")) {
        problems.push(log.message);
      }
    }
  });
  try {
    const { output } = await build.generate({
      format: "es",
      entryFileNames: "[name].js",
      chunkFileNames: "chunk-[hash].js",
      sourcemap: false
    });
    if (problems.length > 0) throw new BundleError(`the page cannot load:\n${problems.join("\n")}`);
    const files = new Map<string, string>();
    for (const item of output) {
      if (item.type === "chunk") files.set(item.fileName, item.code);
    }
    // Every file read, plus the folders of the project's components and of the preview's own modules,
    // whose listings decide which templates and stylesheets a component has.
    const read = build.watchFiles.map((id) => id.replace(/\?.*$/, "")).filter((id) => path.isAbsolute(id));
    const ownFolders = read
      .map((file) => path.dirname(file))
      .filter((folder) => !folder.includes(`${path.sep}node_modules${path.sep}`));
    const sourceFiles = [...new Set([...read, ...ownFolders])].filter((file) => fs.existsSync(file));
    return {
      bundle: {
        files,
        entries,
        apexMethods: [...apexMethods].sort(),
        durationMs: Date.now() - started,
        cached: false
      },
      sourceFiles
    };
  } finally {
    await build.close();
  }
}
