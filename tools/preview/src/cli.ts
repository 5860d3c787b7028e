/**
 * `npm run preview`: serves the Stigg Configuration tab, and the Stigg card on record pages, on 127.0.0.1 until
 * stopped (Ctrl+C).
 *
 * Usage: tsx tools/preview/src/cli.ts [--port N] [--stigg-url URL] [--api-key KEY] [--environment SLUG] [--records]
 *   no --stigg-url   fake-stigg answers; it accepts --api-key, or a generated key printed below
 *   --stigg-url URL  a real Stigg (https://api.stigg.io); --api-key saves that key before the page opens
 *   --records        a customer provisioned through the subscription template and a prospect, for the record
 *                    pages (fake-stigg only; saves the key it accepts)
 */
import { startPreview, type PreviewOptions } from "./preview";

const USAGE = "usage: npm run preview -- [--port N] [--stigg-url URL] [--api-key KEY] [--environment SLUG] [--records]";

export function parsePreviewArguments(argv: string[]): PreviewOptions {
  const options: PreviewOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === "--records") {
      options.records = true;
      continue;
    }
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
  if (options.records && options.stiggUrl) {
    throw new Error("--records provisions demo customers in fake-stigg: leave out --stigg-url to use it");
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
  const records = preview.records;
  if (records) {
    console.log("Record pages with the Stigg card:");
    console.log(`  Northwind Traders (provisioned):  ${preview.recordUrl("Account", records.customer.accountId)}`);
    console.log(
      `  Its deal:                         ${preview.recordUrl("Opportunity", records.customer.opportunityId)}`
    );
    console.log(`  Globex Corporation (no customer): ${preview.recordUrl("Account", records.prospect.accountId)}`);
  }
  console.log(options.apiKey || records ? "An API key is saved." : "No API key is saved yet: paste one on the tab.");
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
