/**
 * A local stand-in for Stigg's GraphQL API. Every request is parsed, validated and its variables coerced
 * against the project's Stigg contract (tools/stigg-contract/stigg.graphql) before anything runs, so a
 * document or variable Stigg would refuse is refused here too. Behind that, an in-memory environment
 * answers the operations the package uses, with Stigg's error shape (extensions.code and traceId).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import {
  buildSchema,
  execute,
  getOperationAST,
  GraphQLError,
  type GraphQLSchema,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult
} from "graphql";

export const CONTRACT_PATH = path.resolve(__dirname, "..", "..", "stigg-contract", "stigg.graphql");

export interface Catalog {
  plans: string[];
  addons: string[];
  features: string[];
}

export interface FakeStiggOptions {
  /** The server key requests must carry in X-API-KEY. */
  apiKey: string;
  environmentSlug?: string;
  catalog?: Partial<Catalog>;
  /** Plans whose subscriptions need a payment method first (status PAYMENT_REQUIRED). */
  paymentRequiredPlans?: string[];
  port?: number;
}

export interface RecordedRequest {
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  apiKey: string | undefined;
  httpStatus: number;
  errors: { message: string; code?: string; path?: readonly (string | number)[] }[];
}

export interface StoredCustomer {
  customerId: string;
  name: string | null;
  email: string | null;
  salesforceId: string | null;
  additionalMetaData: unknown;
}

export interface StoredSubscription {
  subscriptionId: string;
  customerId: string;
  planId: string;
  status: "ACTIVE" | "IN_TRIAL" | "NOT_STARTED" | "CANCELED" | "EXPIRED" | "PAYMENT_PENDING";
  salesforceId: string | null;
  addons: { addonId: string; quantity: number }[];
  entitlements: { featureId: string; usageLimit: number | null; hasUnlimitedUsage: boolean }[];
  billingPeriod: string | null;
  unitQuantity: number | null;
  startDate: string | null;
  trialEndDate: string | null;
  additionalMetaData: unknown;
}

export interface FakeStigg {
  url: string;
  requests: RecordedRequest[];
  customers: Map<string, StoredCustomer>;
  subscriptions: StoredSubscription[];
  close(): Promise<void>;
}

const DEFAULT_CATALOG: Catalog = {
  plans: ["plan-basic", "plan-pro", "plan-enterprise"],
  addons: ["addon-extra-seats", "addon-premium-support"],
  features: ["feature-api-calls", "feature-storage-gb", "feature-projects"]
};

let contractSchema: GraphQLSchema | undefined;

/** The contract, built once per process. */
export function loadContract(): GraphQLSchema {
  contractSchema ??= buildSchema(fs.readFileSync(CONTRACT_PATH, "utf8"));
  return contractSchema;
}

function stiggError(code: string, message: string, traceId: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, traceId } });
}

type Input = Record<string, unknown>;

/** The environment behind the API: customers, subscriptions and the resolvers that change them. */
class Environment {
  readonly customers = new Map<string, StoredCustomer>();
  readonly subscriptions: StoredSubscription[] = [];
  private traceCounter = 0;

  constructor(
    private readonly slug: string,
    private readonly catalog: Catalog,
    private readonly paymentRequiredPlans: Set<string>
  ) {}

  nextTraceId(): string {
    this.traceCounter++;
    return `trace-${String(this.traceCounter).padStart(6, "0")}`;
  }

  /** Root resolvers, in the shape graphql-js's default resolver calls with (args). */
  rootValue(): Record<string, (args: Input) => unknown> {
    return {
      currentEnvironment: () => this.slug,
      provisionCustomer: (args) => this.provisionCustomer(args.input as Input),
      provisionSubscriptionV2: (args) => this.provisionSubscription(args.input as Input),
      subscriptions: (args) => this.findSubscriptions(args.filter as Input | undefined)
    };
  }

  private customerView(customer: StoredCustomer) {
    return { ...customer, environment: { slug: this.slug } };
  }

  private provisionCustomer(input: Input) {
    const customerId = (input.customerId as string | undefined) ?? `customer-${this.customers.size + 1}`;
    const existing = this.customers.get(customerId);
    // provisionCustomer creates or updates: a field left out keeps its value.
    const customer: StoredCustomer = {
      customerId,
      name: (input.name as string | undefined) ?? existing?.name ?? null,
      email: (input.email as string | undefined) ?? existing?.email ?? null,
      salesforceId: (input.salesforceId as string | undefined) ?? existing?.salesforceId ?? null,
      additionalMetaData: input.additionalMetaData ?? existing?.additionalMetaData ?? null
    };
    this.customers.set(customerId, customer);
    return { customer: this.customerView(customer) };
  }

  private provisionSubscription(input: Input) {
    const trace = this.nextTraceId();
    const customerId = input.customerId as string;
    const planId = input.planId as string;
    if (!this.customers.has(customerId)) {
      throw stiggError("CustomerNotFound", `Customer not found: ${customerId}`, trace);
    }
    if (!this.catalog.plans.includes(planId)) {
      throw stiggError("PlanNotFound", `Plan not found: ${planId}`, trace);
    }
    const addons = ((input.addons as Input[] | undefined) ?? []).map((addon) => ({
      addonId: addon.addonId as string,
      quantity: (addon.quantity as number | undefined) ?? 1
    }));
    const unknownAddon = addons.find((addon) => !this.catalog.addons.includes(addon.addonId));
    if (unknownAddon) {
      throw stiggError("AddonNotFound", `Addon not found: ${unknownAddon.addonId}`, trace);
    }
    const entitlements = ((input.subscriptionEntitlements as Input[] | undefined) ?? []).map((entitlement) => ({
      featureId: entitlement.featureId as string,
      usageLimit: (entitlement.usageLimit as number | undefined) ?? null,
      hasUnlimitedUsage: (entitlement.hasUnlimitedUsage as boolean | undefined) ?? false
    }));
    const unknownFeature = entitlements.find((entitlement) => !this.catalog.features.includes(entitlement.featureId));
    if (unknownFeature) {
      throw stiggError("FeatureNotFound", `Feature not found: ${unknownFeature.featureId}`, trace);
    }
    if (this.paymentRequiredPlans.has(planId)) {
      return { status: "PAYMENT_REQUIRED", checkoutUrl: `https://checkout.example.test/${trace}`, subscription: null };
    }
    const trial = input.trialOverrideConfiguration as Input | undefined;
    const startDate = (input.startDate as string | undefined) ?? null;
    const status: StoredSubscription["status"] = trial?.isTrial
      ? "IN_TRIAL"
      : startDate !== null && Date.parse(startDate) > Date.now()
        ? "NOT_STARTED"
        : "ACTIVE";
    // Like Stigg, provisioning again creates another subscription: callers must look before they write.
    const subscription: StoredSubscription = {
      subscriptionId: `subscription-${planId}-${this.subscriptions.length + 1}`,
      customerId,
      planId,
      status,
      salesforceId: (input.salesforceId as string | undefined) ?? null,
      addons,
      entitlements,
      billingPeriod: (input.billingPeriod as string | undefined) ?? null,
      unitQuantity: (input.unitQuantity as number | undefined) ?? null,
      startDate,
      trialEndDate: (trial?.trialEndDate as string | undefined) ?? null,
      additionalMetaData: input.additionalMetaData ?? null
    };
    this.subscriptions.push(subscription);
    return { status: "SUCCESS", checkoutUrl: null, subscription: this.subscriptionView(subscription) };
  }

  private subscriptionView(subscription: StoredSubscription) {
    return { ...subscription, plan: { refId: subscription.planId } };
  }

  private findSubscriptions(filter: Input | undefined) {
    const supported = new Set(["salesforceId", "customerId"]);
    for (const key of Object.keys(filter ?? {})) {
      if (!supported.has(key)) {
        throw stiggError("BadUserInput", `fake-stigg does not filter subscriptions by ${key}`, this.nextTraceId());
      }
    }
    const matches = (value: string | null, comparison: Input | undefined): boolean => {
      if (!comparison) return true;
      if ("eq" in comparison) return value === comparison.eq;
      if ("in" in comparison) return (comparison.in as string[]).includes(value ?? "");
      throw stiggError("BadUserInput", "fake-stigg compares ids with eq or in only", this.nextTraceId());
    };
    const found = this.subscriptions.filter(
      (subscription) =>
        matches(subscription.salesforceId, filter?.salesforceId as Input | undefined) &&
        matches(subscription.customerId, filter?.customerId as Input | undefined)
    );
    return { edges: found.map((subscription) => ({ node: this.subscriptionView(subscription) })) };
  }
}

interface HttpAnswer {
  status: number;
  body: unknown;
  errors: RecordedRequest["errors"];
}

function errorsOf(errors: readonly GraphQLError[]): RecordedRequest["errors"] {
  return errors.map((error) => ({
    message: error.message,
    code: typeof error.extensions?.code === "string" ? error.extensions.code : undefined,
    path: error.path
  }));
}

/** Answers one GraphQL POST body: refused documents never reach the environment. */
function answer(schema: GraphQLSchema, environment: Environment, payload: Input): HttpAnswer {
  const badRequest = (code: string, errors: readonly GraphQLError[]): HttpAnswer => {
    const traceId = environment.nextTraceId();
    const body = {
      errors: errors.map((error) => ({ ...error.toJSON(), extensions: { ...error.extensions, code, traceId } }))
    };
    return { status: 400, body, errors: errors.map((error) => ({ message: error.message, code })) };
  };
  if (typeof payload.query !== "string") {
    return badRequest("BAD_REQUEST", [new GraphQLError("The body must hold a GraphQL query string")]);
  }
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    return badRequest("GRAPHQL_PARSE_FAILED", [error as GraphQLError]);
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return badRequest("GRAPHQL_VALIDATION_FAILED", validationErrors);
  const operationName = typeof payload.operationName === "string" ? payload.operationName : null;
  if (!getOperationAST(document, operationName)) {
    return badRequest("BAD_REQUEST", [new GraphQLError(`No operation named ${operationName ?? "(none)"}`)]);
  }
  const result = execute({
    schema,
    document,
    rootValue: environment.rootValue(),
    variableValues: (payload.variables as Input | undefined) ?? {},
    operationName
  }) as ExecutionResult;
  // Variables that do not coerce stop execution before any field runs: the request itself was wrong.
  if (result.data === undefined && result.errors) return badRequest("BAD_USER_INPUT", result.errors);
  const body = result.errors ? { data: result.data, errors: result.errors.map((error) => error.toJSON()) } : result;
  return { status: 200, body, errors: errorsOf(result.errors ?? []) };
}

/** Starts the fake on 127.0.0.1 (a free port unless one is given). */
export function startFakeStigg(options: FakeStiggOptions): Promise<FakeStigg> {
  const schema = loadContract();
  const catalog: Catalog = { ...DEFAULT_CATALOG, ...options.catalog };
  const environment = new Environment(
    options.environmentSlug ?? "acme-production",
    catalog,
    new Set(options.paymentRequiredPlans ?? [])
  );
  const requests: RecordedRequest[] = [];

  const server = http.createServer((request, response) => {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    };
    let raw = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (raw += chunk));
    request.on("end", () => {
      if (request.method === "GET" && request.url === "/__fake/requests") {
        send(200, {
          requests,
          customers: [...environment.customers.values()],
          subscriptions: environment.subscriptions
        });
        return;
      }
      if (request.method !== "POST" || request.url !== "/graphql") {
        send(404, { message: `Not found: ${request.method} ${request.url}` });
        return;
      }
      const apiKey = request.headers["x-api-key"] as string | undefined;
      let payload: Input = {};
      try {
        payload = JSON.parse(raw) as Input;
      } catch {
        payload = {};
      }
      const record = (status: number, errors: RecordedRequest["errors"]): void => {
        requests.push({
          operationName: typeof payload.operationName === "string" ? payload.operationName : null,
          query: typeof payload.query === "string" ? payload.query : "",
          variables: (payload.variables as Input | undefined) ?? {},
          apiKey,
          httpStatus: status,
          errors
        });
      };
      if (apiKey === undefined || apiKey === "") {
        record(401, [{ message: "Missing X-API-KEY header" }]);
        send(401, { message: "Unauthorized: missing X-API-KEY header" });
        return;
      }
      if (apiKey.startsWith("client-")) {
        record(403, [{ message: "A client key cannot call server operations" }]);
        send(403, { message: "Forbidden: use a server API key" });
        return;
      }
      if (apiKey !== options.apiKey) {
        record(401, [{ message: "Unknown API key" }]);
        send(401, { message: "Unauthorized: unknown API key" });
        return;
      }
      const result = answer(schema, environment, payload);
      record(result.status, result.errors);
      send(result.status, result.body);
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        customers: environment.customers,
        subscriptions: environment.subscriptions,
        close: () => new Promise((done) => server.close(() => done()))
      });
    });
  });
}
