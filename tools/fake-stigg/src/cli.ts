/**
 * Runs the fake Stigg API until stopped.
 *
 * Usage: tsx tools/fake-stigg/src/cli.ts --api-key KEY [--port N] [--environment SLUG]
 * Prints "fake-stigg listening on http://127.0.0.1:PORT" once it accepts requests.
 */
import { startFakeStigg } from "./server";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const apiKey = option("api-key");
if (!apiKey) {
  console.error("Usage: tsx tools/fake-stigg/src/cli.ts --api-key KEY [--port N] [--environment SLUG]");
  process.exit(2);
}

startFakeStigg({ apiKey, port: Number(option("port") ?? 0), environmentSlug: option("environment") }).then(
  (stigg) => {
    console.log(`fake-stigg listening on ${stigg.url}`);
    const stop = (): void => {
      stigg.close().then(() => process.exit(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  },
  (error: unknown) => {
    console.error(`fake-stigg: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
);
