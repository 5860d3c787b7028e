import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { listFiles } from "./project";
import { parseXml } from "./xml";

export type ConvertOutcome =
  | {
      ok: true;
      /** `Type:fullName` of every component in the produced package.xml. */
      components: Set<string>;
      /** Produced files, forward-slash paths relative to the output folder. */
      files: string[];
    }
  | { ok: false; message: string };

/** Runs `sf project convert source` on one package directory into a temporary folder, removed afterwards. */
export async function convertSource(projectDir: string, packageDir: string): Promise<ConvertOutcome> {
  const work = mkdtempSync(join(tmpdir(), "check-metadata-"));
  const output = join(work, "mdapi");
  try {
    const { code, stdout, stderr } = await run(
      process.execPath,
      [findCli(), "project", "convert", "source", "--root-dir", packageDir, "--output-dir", output, "--json"],
      projectDir
    );
    let reply: { status?: number; message?: string } = {};
    try {
      reply = JSON.parse(stdout) as typeof reply;
    } catch {
      // The CLI failed before it could answer in JSON; stderr says why.
    }
    if (code !== 0 || reply.status !== 0) {
      const message = (reply.message ?? stderr.trim()) || `exit code ${code}`;
      return { ok: false, message: message.split(projectDir + sep).join("") };
    }
    const manifest = join(output, "package.xml");
    if (!existsSync(manifest)) return { ok: false, message: "no package.xml was produced" };
    const components = new Set<string>();
    for (const types of parseXml(readFileSync(manifest, "utf8")).children.filter((c) => c.name === "types")) {
      const name = types.children.find((c) => c.name === "name")?.text.trim() ?? "";
      for (const member of types.children.filter((c) => c.name === "members")) {
        components.add(`${name}:${member.text.trim()}`);
      }
    }
    return {
      ok: true,
      components,
      files: listFiles(output, () => true).map((file) => relative(output, file).split(sep).join("/"))
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function findCli(): string {
  for (const nodeModules of require.resolve.paths("@salesforce/cli") ?? []) {
    const bin = join(nodeModules, "@salesforce", "cli", "bin", "run.js");
    if (existsSync(bin)) return bin;
  }
  throw new Error("the Salesforce CLI (@salesforce/cli) is not installed");
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          SF_DISABLE_AUTOUPDATE: "true",
          SF_DISABLE_TELEMETRY: "true",
          SF_SKIP_NEW_VERSION_CHECK: "true"
        }
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      }
    );
  });
}
