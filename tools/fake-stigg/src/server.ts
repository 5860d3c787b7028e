/**
 * A local stand-in for Stigg's GraphQL API. Every request is parsed, validated and its variables coerced
 * against the project's Stigg contract (tools/stigg-contract/stigg.graphql) before anything runs, so a
 * document or variable Stigg would refuse is refused here too. Behind that, an in-memory environment
 * answers the operations the package uses, with Stigg's error shape (extensions.code and traceId).
 *
 * Faults (5xx, 429, slow answers, dropped connections, non-JSON bodies, an error on one alias, a refused
 * key) can be injected from code, from the command line, or while it runs through /__fake/faults.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildCatalog, type CatalogDefinition } from "./catalog";
import { EnvironmentClock } from "./clock";
import { loadContract } from "./contract";
import { handleControl } from "./control";
import { Environment } from "./environment";
import type { StoredCreditGrant, StoredCustomer, StoredSubscription, SubscriptionEdit, WorkflowRun } from "./state";
import { type ActiveFault, type AppliedFault, FaultBook, type FaultRule, parseFaultSpec } from "./faults";
import {
  answerGraphQL,
  type GraphQLAnswer,
  type InspectedRequest,
  inspectRequest,
  type RecordedError
} from "./graphql-endpoint";

export { CONTRACT_PATH, loadContract } from "./contract";
export type { Catalog, CatalogDefinition } from "./catalog";
export { DEFAULT_CATALOG } from "./catalog";
export { StateEditError } from "./environment";
export type * from "./state";
export type { ActiveFault, AppliedFault, Fault, FaultInput, FaultKind, FaultRule, FaultScope } from "./faults";
export { FaultRuleError, parseFaultSpec } from "./faults";
export type { RecordedError } from "./graphql-endpoint";

export interface FakeStiggOptions {
  /** The server key requests must carry in X-API-KEY. */
  apiKey: string;
  environmentSlug?: string;
  /** Products, plans, add-ons, features, custom currencies and workflow triggers; each list given replaces the default. */
  catalog?: CatalogDefinition;
  /** Where the environment's clock starts (it then runs with the wall clock); default: now. */
  clock?: Date | string;
  /** Plans whose subscriptions need a payment method first (status PAYMENT_REQUIRED). */
  paymentRequiredPlans?: string[];
  /** Faults in force from the start (rules, or specs in the command-line form). */
  faults?: (FaultRule | string)[];
  port?: number;
}

export interface RecordedRequest {
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  apiKey: string | undefined;
  /** When the fake received it (wall clock, ISO). */
  receivedAt: string;
  /** The status it was answered with; null while unanswered, and for a dropped connection. */
  httpStatus: number | null;
  /** The injected fault it met, if any. */
  fault: AppliedFault | null;
  errors: RecordedError[];
}

export interface FakeStigg {
  url: string;
  /** Every POST /graphql, in the order received, with its outcome. */
  requests: RecordedRequest[];
  customers: Map<string, StoredCustomer>;
  subscriptions: StoredSubscription[];
  creditGrants: StoredCreditGrant[];
  /** Every triggerWorkflow that ran, with its payload. */
  workflowRuns: WorkflowRun[];
  /** The environment's clock: moving it forward applies what falls due (scheduled changes, cancellations, trials). */
  clock: FakeClock;
  /**
   * Changes a subscription as someone editing it by hand in the Stigg app would (drift): no request is recorded.
   * Throws StateEditError for an unknown subscription or catalog id, or a subscription that has ended.
   */
  editSubscription(subscriptionId: string, edit: SubscriptionEdit): StoredSubscription;
  /** Sets a feature's current usage for a customer, as the customer's product reports it to Stigg. */
  setUsage(customerId: string, featureId: string, currentUsage: number): void;
  /** Consumes credits from the customer's active grants (throws StateEditError when the balance is short). */
  consumeCredits(customerId: string, currencyId: string, amount: number): void;
  /** Adds a fault rule (an object, or a spec such as "503,times=2"); throws FaultRuleError when it makes no sense. */
  injectFault(rule: FaultRule | string): ActiveFault;
  /** Ends one fault rule, or all; returns how many ended. */
  clearFaults(id?: number): number;
  activeFaults(): ActiveFault[];
  /** Empties the request log. */
  clearRequests(): void;
  /** Back to an empty environment (no customers, subscriptions, grants, workflow runs, requests or faults), its clock at its start. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeClock {
  now(): Date;
  /** Moves the clock forward to this moment (never back). */
  set(to: Date | string): void;
  advance(ms: number): void;
  advanceDays(days: number): void;
}

const JSON_HEADERS = { "Content-Type": "application/json" };

/** Starts the fake on 127.0.0.1 (a free port unless one is given). */
export function startFakeStigg(options: FakeStiggOptions): Promise<FakeStigg> {
  const schema = loadContract();
  const environment = new Environment(
    options.environmentSlug ?? "acme-production",
    buildCatalog(options.catalog),
    new Set(options.paymentRequiredPlans ?? []),
    new EnvironmentClock(options.clock)
  );
  const moved = (move: () => void): void => {
    move();
    environment.catchUp();
  };
  const clock: FakeClock = {
    now: () => environment.clock.now(),
    set: (to) => moved(() => environment.clock.set(to)),
    advance: (ms) => moved(() => environment.clock.advance(ms)),
    advanceDays: (days) => moved(() => environment.clock.advance(days * 86_400_000))
  };
  const requests: RecordedRequest[] = [];
  const faults = new FaultBook();
  const pendingDelays = new Set<NodeJS.Timeout>();

  const fake: Omit<FakeStigg, "url" | "close"> = {
    requests,
    customers: environment.customers,
    subscriptions: environment.subscriptions,
    creditGrants: environment.creditGrants,
    workflowRuns: environment.workflowRuns,
    clock,
    editSubscription: (subscriptionId, edit) => environment.editSubscription(subscriptionId, edit),
    setUsage: (customerId, featureId, currentUsage) => environment.setUsage(customerId, featureId, currentUsage),
    consumeCredits: (customerId, currencyId, amount) => environment.consumeCredits(customerId, currencyId, amount),
    injectFault: (rule) => faults.inject(typeof rule === "string" ? parseFaultSpec(rule) : rule),
    clearFaults: (id) => faults.clear(id),
    activeFaults: () => faults.active(),
    clearRequests: () => {
      requests.length = 0;
    },
    reset: () => {
      environment.reset();
      requests.length = 0;
      faults.clear();
    }
  };
  for (const rule of options.faults ?? []) fake.injectFault(rule);

  function unauthorized(message: string): GraphQLAnswer {
    return { status: 401, body: { message: `Unauthorized: ${message}` }, errors: [{ message }] };
  }

  /** What Stigg answers when nothing goes wrong on the way: the key is checked, then the document. */
  function normalAnswer(apiKey: string | undefined, inspected: InspectedRequest, fault: AppliedFault | null) {
    if (apiKey === undefined || apiKey === "") return unauthorized("missing X-API-KEY header");
    if (apiKey.startsWith("client-")) {
      return {
        status: 403,
        body: { message: "Forbidden: use a server API key" },
        errors: [{ message: "A client key cannot call server operations" }]
      };
    }
    if (apiKey !== options.apiKey) return unauthorized("unknown API key");
    environment.catchUp();
    return answerGraphQL(schema, environment, inspected, fault?.kind === "alias-error" ? fault : null);
  }

  const server = http.createServer((request, response) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (response.destroyed) return;
      response.writeHead(status, { ...JSON_HEADERS, ...headers });
      response.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    let raw = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (raw += chunk));
    request.on("end", () => {
      const url = request.url ?? "/";
      if (url.startsWith("/__fake/")) {
        const result = handleControl(request.method ?? "GET", url, raw, fake);
        send(result.status, result.body);
        return;
      }
      if (request.method !== "POST" || url !== "/graphql") {
        send(404, { message: `Not found: ${request.method} ${url}` });
        return;
      }
      const inspected = inspectRequest(raw);
      const apiKey = request.headers["x-api-key"] as string | undefined;
      const fault = faults.take(inspected.facts);
      const record: RecordedRequest = {
        operationName: inspected.facts.operationName,
        query: inspected.query,
        variables: inspected.variables,
        apiKey,
        receivedAt: new Date().toISOString(),
        httpStatus: null,
        fault,
        errors: []
      };
      requests.push(record);
      const answer = (result: GraphQLAnswer, headers: Record<string, string> = {}): void => {
        record.httpStatus = result.status;
        record.errors = result.errors;
        send(result.status, result.body, headers);
      };
      const traceId = (): string => environment.nextTraceId();

      switch (fault?.kind) {
        case "http-error": {
          const message = `${fault.status} ${http.STATUS_CODES[fault.status] ?? "Server Error"}`;
          const headers: Record<string, string> =
            fault.retryAfterSeconds === null ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
          answer(
            {
              status: fault.status,
              body: { errors: [{ message, extensions: { traceId: traceId() } }] },
              errors: [{ message }]
            },
            headers
          );
          return;
        }
        case "rate-limit": {
          const message = "Too many requests, please retry later";
          const body = { errors: [{ message, extensions: { code: "RateLimitExceeded", traceId: traceId() } }] };
          answer(
            { status: 429, body, errors: [{ message, code: "RateLimitExceeded" }] },
            { "Retry-After": String(fault.retryAfterSeconds) }
          );
          return;
        }
        case "non-json":
          answer(
            { status: fault.status, body: fault.body, errors: [{ message: "non-JSON body" }] },
            { "Content-Type": fault.contentType }
          );
          return;
        case "wrong-key":
          answer(unauthorized("unknown API key"));
          return;
        case "drop": {
          if (fault.applied) record.errors = normalAnswer(apiKey, inspected, null).errors;
          request.socket.destroy();
          return;
        }
        case "slow": {
          const timer = setTimeout(() => {
            pendingDelays.delete(timer);
            answer(normalAnswer(apiKey, inspected, null));
          }, fault.delayMs);
          pendingDelays.add(timer);
          return;
        }
        default:
          answer(normalAnswer(apiKey, inspected, fault));
      }
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        ...fake,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            for (const timer of pendingDelays) clearTimeout(timer);
            pendingDelays.clear();
            server.close(() => done());
            server.closeAllConnections();
          })
      });
    });
  });
}
