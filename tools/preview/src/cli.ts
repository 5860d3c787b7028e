/**
 * `npm run preview`: serves the Stigg Configuration tab on 127.0.0.1 until stopped (Ctrl+C).
 *
 * Usage: tsx tools/preview/src/cli.ts [--port N] [--stigg-url URL] [--api-key KEY] [--environment SLUG]
 *   no --stigg-url   fake-stigg answers; it accepts --api-key, or a generated key printed below
 *   --stigg-url URL  a real Stigg (https://api.stigg.io); --api-key saves that key before the page opens
 */
import { startPreview, type PreviewOptions } from "./preview";

const USAGE = "usage: npm run preview -- [--port N] [--stigg-url URL] [--api-key KEY] [--environment SLUG]";

export function parsePreviewArguments(argv: string[]): PreviewOptions {
  const options: PreviewOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value\n${USAGE}`);
    i++;
    if (name === "--port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port must be a port number, not ${value}`);
      options.port = port;
    } else if (name === "--stigg-url") {
      if (!/^https?:\/\//.test(value)) throw new Error(`--stigg-url must be an http(s) URL, not ${value}`);
      options.stiggUrl = value.replace(/\/$/, "");
    } else if (name === "--api-key") options.apiKey = value;
    else if (name === "--environment") options.environment = value;
    else throw new Error(`unknown option ${name}\n${USAGE}`);
  }
  return options;
}

async function main(): Promise<void> {
  let options: PreviewOptions;
  try {
    options = parsePreviewArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const preview = await startPreview({ port: 4173, ...options });
  console.log(`Stigg Configuration tab: ${preview.url}`);
  console.log(
    preview.fakeStiggKey
      ? `Stigg: fake-stigg at ${preview.stiggUrl}, which accepts the server key ${preview.fakeStiggKey}`
      : `Stigg: ${preview.stiggUrl}`
  );
  console.log(options.apiKey ? "An API key is saved." : "No API key is saved yet: paste one on the tab.");
  console.log("Apex runs in the local org as an admin holding Stigg Admin. Ctrl+C stops.");
  const shutdown = (): void => {
    preview.close().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`preview: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
