/**
 * The fake in another process, and its control endpoints from this one. A caller that blocks its own event
 * loop while it calls Stigg (the local org's synchronous callouts do) cannot host the fake in-process: it
 * spawns it with spawnFakeStigg() and changes it between steps through FakeStiggControl.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type {
  ActiveFault,
  FaultRule,
  RecordedRequest,
  StoredCreditGrant,
  StoredCustomer,
  StoredSubscription,
  SubscriptionEdit,
  WorkflowRun
} from "./server";

export interface SpawnFakeStiggOptions {
  apiKey: string;
  environmentSlug?: string;
  port?: number;
  /** Faults in force from the start, in the command-line form ("503,times=2"). */
  faults?: string[];
  paymentRequiredPlans?: string[];
  /** A JSON catalog file (see --catalog). */
  catalogFile?: string;
  /** Where the environment's clock starts. */
  clock?: string;
}

export interface SpawnedFakeStigg {
  url: string;
  control: FakeStiggControl;
  process: ChildProcess;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
}

export interface RequestLog {
  requests: RecordedRequest[];
  customers: StoredCustomer[];
  subscriptions: StoredSubscription[];
}

export interface EnvironmentState {
  now: string;
  customers: StoredCustomer[];
  subscriptions: StoredSubscription[];
  creditGrants: StoredCreditGrant[];
  workflowRuns: WorkflowRun[];
}

/** The control endpoints (/__fake/...) of a running fake, as async calls. */
export class FakeStiggControl {
  constructor(readonly url: string) {}

  requests(): Promise<RequestLog> {
    return this.call<RequestLog>("GET", "/__fake/requests");
  }

  async clearRequests(): Promise<number> {
    return (await this.call<{ cleared: number }>("DELETE", "/__fake/requests")).cleared;
  }

  async injectFault(rule: FaultRule | string): Promise<ActiveFault> {
    const body = typeof rule === "string" ? { spec: rule } : rule;
    return (await this.call<{ faults: ActiveFault[] }>("POST", "/__fake/faults", body)).faults[0];
  }

  async clearFaults(id?: number): Promise<number> {
    const route = id === undefined ? "/__fake/faults" : `/__fake/faults/${id}`;
    return (await this.call<{ cleared: number }>("DELETE", route)).cleared;
  }

  async activeFaults(): Promise<ActiveFault[]> {
    return (await this.call<{ faults: ActiveFault[] }>("GET", "/__fake/faults")).faults;
  }

  async reset(): Promise<void> {
    await this.call("POST", "/__fake/reset");
  }

  state(): Promise<EnvironmentState> {
    return this.call<EnvironmentState>("GET", "/__fake/state");
  }

  /** Changes a subscription as if by hand in the Stigg app; resolves to the subscription as stored. */
  async editSubscription(subscriptionId: string, edit: SubscriptionEdit): Promise<StoredSubscription> {
    const route = `/__fake/subscriptions/${encodeURIComponent(subscriptionId)}`;
    return (await this.call<{ subscription: StoredSubscription }>("PATCH", route, edit)).subscription;
  }

  async setUsage(customerId: string, featureId: string, currentUsage: number): Promise<void> {
    await this.call("POST", "/__fake/usage", { customerId, featureId, currentUsage });
  }

  async consumeCredits(customerId: string, currencyId: string, amount: number): Promise<void> {
    await this.call("POST", "/__fake/credits/consume", { customerId, currencyId, amount });
  }

  /** Moves the environment's clock forward; resolves to the new now (ISO). */
  async moveClock(move: { now: string } | { advanceDays: number } | { advanceMs: number }): Promise<string> {
    return (await this.call<{ now: string }>("POST", "/__fake/clock", move)).now;
  }

  protected async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const answer = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`fake-stigg ${method} ${route}: ${answer.error ?? response.status}`);
    return answer;
  }
}

const CLI = path.join(__dirname, "cli.ts");

/** The command-line arguments for these options. */
export function commandLineOf(options: SpawnFakeStiggOptions): string[] {
  const args = ["--api-key", options.apiKey];
  if (options.port !== undefined) args.push("--port", String(options.port));
  if (options.environmentSlug !== undefined) args.push("--environment", options.environmentSlug);
  for (const plan of options.paymentRequiredPlans ?? []) args.push("--payment-required-plan", plan);
  for (const spec of options.faults ?? []) args.push("--fault", spec);
  if (options.catalogFile !== undefined) args.push("--catalog", options.catalogFile);
  if (options.clock !== undefined) args.push("--clock", options.clock);
  return args;
}

/** Starts the fake's command line in a child process and resolves once it listens. */
export function spawnFakeStigg(options: SpawnFakeStiggOptions): Promise<SpawnedFakeStigg> {
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), CLI, ...commandLineOf(options)], {
    stdio: ["ignore", "pipe", "pipe"]
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return new Promise((resolve, reject) => {
    let output = "";
    let errors = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) {
        resolve({
          url,
          control: new FakeStiggControl(url),
          process: child,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            await exited;
          }
        });
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`fake-stigg exited with ${code} before listening: ${errors.trim()}`))
    );
  });
}
