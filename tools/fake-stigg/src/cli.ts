/**
 * Runs the fake Stigg API until stopped.
 *
 * Usage: tsx tools/fake-stigg/src/cli.ts --api-key KEY [--port N] [--environment SLUG] [--fault SPEC]...
 *        [--catalog FILE] [--clock ISO] [--payment-required-plan ID]...
 * Prints "fake-stigg listening on http://127.0.0.1:PORT" once it accepts requests.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { buildCatalog, type CatalogDefinition } from "./catalog";
import { type ActiveFault, FaultRuleError, parseFaultSpec, type FakeStiggOptions, startFakeStigg } from "./server";

export const USAGE = `Usage: tsx tools/fake-stigg/src/cli.ts --api-key KEY [options]

  --api-key KEY                 the server key requests must carry in X-API-KEY (required)
  --port N                      the port on 127.0.0.1 (default: a free port)
  --environment SLUG            the environment's slug (default: acme-production)
  --payment-required-plan ID    a plan whose subscriptions answer PAYMENT_REQUIRED (repeatable)
  --catalog FILE                a JSON catalog (products, plans, addons, features, currencies, workflowTriggers);
                                each list it gives replaces the default one
  --clock ISO                   where the environment's clock starts, e.g. 2030-01-15T00:00:00Z (default: now)
  --fault SPEC                  a fault in force from the start (repeatable), KIND[,key=value]...
                                  503,times=2   429,retry-after=30   slow,delay=15s,operation=provisionSubscriptionV2
                                  drop,applied=true   non-json,status=502   alias-error,alias=r1,code=PlanNotFound
                                  wrong-key,for=1m   (keys: operation times for skip status retry-after delay
                                  applied alias code message body content-type)
  --help                        this text

While it runs, http://127.0.0.1:PORT/__fake/ changes it: faults, the clock, subscriptions (see the README).`;

/** A command line that cannot be used; the message says what to change. */
export class UsageError extends Error {}

export function parseCommandLine(argv: string[]): FakeStiggOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        "api-key": { type: "string" },
        port: { type: "string" },
        environment: { type: "string" },
        "payment-required-plan": { type: "string", multiple: true },
        catalog: { type: "string" },
        clock: { type: "string" },
        fault: { type: "string", multiple: true },
        help: { type: "boolean" }
      }
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) return "help";
  const apiKey = values["api-key"];
  if (!apiKey) throw new UsageError("--api-key KEY is required (the server key clients send in X-API-KEY)");
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new UsageError(`--port must be a port number (0-65535), not "${values.port}"`);
    }
  }
  const faults = (values.fault ?? []).map((spec) => {
    try {
      return parseFaultSpec(spec);
    } catch (error) {
      if (error instanceof FaultRuleError) throw new UsageError(`--fault ${spec}: ${error.message}`);
      throw error;
    }
  });
  if (values.clock !== undefined && Number.isNaN(Date.parse(values.clock))) {
    throw new UsageError(`--clock must be an ISO date-time such as 2030-01-15T00:00:00Z, not "${values.clock}"`);
  }
  return {
    apiKey,
    port,
    environmentSlug: values.environment,
    paymentRequiredPlans: values["payment-required-plan"],
    faults,
    catalog: values.catalog === undefined ? undefined : readCatalog(values.catalog),
    clock: values.clock
  };
}

function readCatalog(file: string): CatalogDefinition {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--catalog ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let catalog: unknown;
  try {
    catalog = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--catalog ${file}: not JSON (${(error as Error).message})`);
  }
  if (typeof catalog !== "object" || catalog === null || Array.isArray(catalog)) {
    throw new UsageError(`--catalog ${file}: must hold a JSON object such as {"plans": ["plan-basic"]}`);
  }
  try {
    buildCatalog(catalog as CatalogDefinition);
  } catch (error) {
    throw new UsageError(`--catalog ${file}: ${(error as Error).message}`);
  }
  return catalog as CatalogDefinition;
}

/** One line per fault in force, so the person who started it sees what clients will meet. */
export function describeFault(fault: ActiveFault): string {
  const { kind, ...parameters } = fault.fault;
  const details = Object.entries(parameters)
    .map(([key, value]) => `${key}=${typeof value === "string" && value.length > 40 ? "…" : String(value)}`)
    .join(" ");
  const scope = [
    fault.operation === null ? "every request" : `requests to ${fault.operation}`,
    fault.remaining === null ? null : `the next ${fault.remaining}`,
    fault.until === null ? null : `until ${fault.until}`,
    fault.skipping > 0 ? `after letting ${fault.skipping} through` : null
  ].filter((part) => part !== null);
  return `fault ${fault.id}: ${kind}${details ? ` ${details}` : ""} on ${scope.join(", ")}`;
}

function main(): void {
  let options: FakeStiggOptions | "help";
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`fake-stigg: ${error.message}. Run with --help for the options.`);
    process.exit(2);
  }
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  startFakeStigg(options).then(
    (stigg) => {
      console.log(`fake-stigg listening on ${stigg.url}`);
      for (const fault of stigg.activeFaults()) console.log(describeFault(fault));
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
}

if (require.main === module) {
  main();
}
