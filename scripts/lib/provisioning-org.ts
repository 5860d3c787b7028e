/**
 * An org where deals are sold through Stigg, for the main job, its end-to-end tests and the benchmark: the
 * package loaded into the local org from force-app with a flow active (the subscription template, as a
 * subscriber activates it after Save As, or a flow file of the user's own), the Stigg named credential
 * pointed at fake-stigg (in its own process: the org's callouts block this one) or at a real Stigg, a price
 * book of products mapped to Stigg, and deals to close with one save as a rep does.
 *
 * Everything goes through the public API of the local org and of fake-stigg. observe() runs one step and
 * collects what it caused: the flow elements that ran, the requests Stigg received, each transaction's
 * usage, failed flow interviews.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  LocalOrg,
  type FailedInterview,
  type FlowEvent,
  type JsValue,
  type TransactionUsage
} from "../../tools/local-org/src/index";
import { spawnFakeStigg, type SpawnedFakeStigg } from "../../tools/fake-stigg/src/remote";
import type { RecordedRequest, StoredCustomer, StoredSubscription } from "../../tools/fake-stigg/src/server";
import { readFlowOutline, type FlowOutline } from "./flow-outline";
import { startStiggRecorder, type StiggRecorder } from "./stigg-recorder";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const SUBSCRIPTION_TEMPLATE = "Opportunity_Stigg_Subscription_Template";
export const TRIAL_TEMPLATE = "Opportunity_Stigg_Trial_Template";
/** The subflow the templates share (plan, add-ons, entitlements): active with them, as a subscriber activates it. */
export const SUBSCRIPTION_INPUT_TEMPLATE = "Stigg_Subscription_Input_Template";
export const CLOSED_WON = "Closed Won";
/** The managed package's namespace: a flow retrieved from an org where the package is installed carries it. */
const NAMESPACE_PREFIX = /\bstigg__/g;

export type Row = Record<string, JsValue>;

/** A product to seed, mapped to Stigg or not. */
export interface ProductSpec {
  /** How deals name it in their lines. */
  key: string;
  name: string;
  stiggType?: "Plan" | "Add-on" | "Entitlement";
  stiggId?: string;
}

/** The products a demo catalog sells: a plan, an add-on, an entitlement, and a service outside Stigg. */
export const DEMO_PRODUCTS: readonly ProductSpec[] = [
  { key: "plan", name: "Pro Plan", stiggType: "Plan", stiggId: "plan-pro" },
  { key: "addon", name: "Extra Seats", stiggType: "Add-on", stiggId: "addon-extra-seats" },
  { key: "entitlement", name: "API Calls", stiggType: "Entitlement", stiggId: "feature-api-calls" },
  { key: "service", name: "Onboarding Workshop" }
];

export interface DealLine {
  /** The key of a seeded product. */
  product: string;
  quantity: number;
}

export interface DealSpec {
  name: string;
  accountId: string;
  /** Default: Negotiation/Review, an open stage. */
  stage?: string;
  closeDate?: string;
  lines: DealLine[];
  /** Other Opportunity fields. */
  fields?: Row;
}

export interface ProvisioningOrgOptions {
  /** Flows to run as active, by API name (default: the subscription template). Ignored with flowFile. */
  activateFlows?: string[];
  /** A flow of the user's own (a .flow-meta.xml or .flow file) to run instead of the templates. */
  flowFile?: string;
  /** A running Stigg (a real environment) to call instead of starting fake-stigg. */
  stigg?: { url: string; apiKey: string };
  /** The environment fake-stigg reports (default acme-demo). */
  environment?: string;
  /** Faults fake-stigg starts with, in the command-line form ("503,times=2"). */
  faults?: string[];
  /** A JSON catalog for fake-stigg (see its --catalog); default: its demo catalog. */
  catalogFile?: string;
  /** The package directory (default: this project's force-app). */
  sourceDir?: string;
}

/** What one step caused, in the order it happened. */
export interface Observation {
  /** Whether the step itself (the rep's save) succeeded, and the error it failed with. */
  saved: boolean;
  error: string | null;
  wallMs: number;
  flowEvents: FlowEvent[];
  transactions: TransactionUsage[];
  stiggRequests: StiggRequest[];
  failedInterviews: FailedInterview[];
}

/** A request Stigg received, without the key it carried. */
export interface StiggRequest {
  operationName: string | null;
  variables: Record<string, unknown>;
  httpStatus: number | null;
  /** The fault fake-stigg injected, by kind; null for a real Stigg. */
  fault: string | null;
  errors: { message: string; code: string | null }[];
}

/** The Stigg the org talks to: fake-stigg (with its control endpoints) or a real one behind a recorder. */
export interface StiggConnection {
  url: string;
  apiKey: string;
  environment: string | null;
  fake: SpawnedFakeStigg | null;
  recorder: StiggRecorder | null;
}

export class ProvisioningOrg {
  /** The seeded products: their ids and price book entries, by key. */
  readonly products = new Map<string, ProductSpec & { productId: string; entryId: string }>();
  pricebookId: string | null = null;

  private constructor(
    readonly org: LocalOrg,
    readonly stigg: StiggConnection,
    /** The flows that run, as read from their files. */
    readonly flows: FlowOutline[],
    /** The subflows the flows call, as read from their files. */
    readonly subflows: FlowOutline[],
    private readonly cleanup: () => void
  ) {}

  static async start(options: ProvisioningOrgOptions = {}): Promise<ProvisioningOrg> {
    const sourceDir = options.sourceDir ?? path.join(PROJECT_DIR, "force-app");
    const user = options.flowFile ? prepareUserFlow(options.flowFile) : null;
    const flowNames = user ? [user.outline.apiName] : (options.activateFlows ?? [SUBSCRIPTION_TEMPLATE]);
    const outlines = user
      ? [user.outline]
      : flowNames.map((name) =>
          readFlowOutline(path.join(sourceDir, "main", "default", "flows", `${name}.flow-meta.xml`))
        );
    const subflowFile = path.join(
      sourceDir,
      "main",
      "default",
      "flows",
      `${SUBSCRIPTION_INPUT_TEMPLATE}.flow-meta.xml`
    );
    // Read for the labels of its steps, which the run report shows under the element that calls it.
    const subflowOutlines = fs.existsSync(subflowFile)
      ? [readFlowOutline(subflowFile, subflowFile, { subflow: true })]
      : [];
    const stigg = await connectStigg(options);
    try {
      const org = LocalOrg.load({
        sourceDirs: user ? [sourceDir, user.directory] : [sourceDir],
        activateFlows: [...flowNames, SUBSCRIPTION_INPUT_TEMPLATE],
        namedCredentials: { Stigg: { url: stigg.recorder?.url ?? stigg.url } },
        // The key an admin saves on the Stigg Configuration tab, in the Stigg external credential.
        credentials: { "Stigg.ApiKey": stigg.apiKey }
      });
      return new ProvisioningOrg(org, stigg, outlines, subflowOutlines, () => {
        if (user) fs.rmSync(user.directory, { recursive: true, force: true });
      });
    } catch (error) {
      await stopStigg(stigg);
      if (user) fs.rmSync(user.directory, { recursive: true, force: true });
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.cleanup();
    await stopStigg(this.stigg);
  }

  /** Sets fields of the org-wide Stigg Settings (Callout_Timeout_Seconds__c, Bulk_Chunk_Size__c, ...). */
  setStiggSettings(fields: Row): void {
    const assignments = Object.entries(fields)
      .map(([field, value]) => `settings.${field} = ${apexLiteral(value)};`)
      .join(" ");
    this.anonymous(`Stigg_Settings__c settings = Stigg_Settings__c.getOrgDefaults(); ${assignments} upsert settings;`);
  }

  /** Seeds products in a price book, each with a price book entry; call again to add more. */
  seedCatalog(products: readonly ProductSpec[] = DEMO_PRODUCTS): void {
    if (this.pricebookId === null) {
      [this.pricebookId] = this.org.insert("Pricebook2", [{ Name: "Standard Price Book", IsActive: true }]);
    }
    const productIds = this.org.insert(
      "Product2",
      products.map((product) => ({
        Name: product.name,
        IsActive: true,
        ...(product.stiggType ? { Stigg_Type__c: product.stiggType, Stigg_ID__c: product.stiggId ?? null } : {})
      }))
    );
    const entryIds = this.org.insert(
      "PricebookEntry",
      productIds.map((productId) => ({
        Pricebook2Id: this.pricebookId,
        Product2Id: productId,
        UnitPrice: 100,
        IsActive: true
      }))
    );
    products.forEach((product, i) =>
      this.products.set(product.key, { ...product, productId: productIds[i], entryId: entryIds[i] })
    );
  }

  createAccounts(accounts: Row[]): string[] {
    return this.org.insert("Account", accounts);
  }

  /** Creates the opportunities in one save, then their products in another, as a rep builds a deal. */
  createDeals(deals: DealSpec[]): string[] {
    const ids = this.org.insert(
      "Opportunity",
      deals.map((deal) => this.opportunityRow(deal))
    );
    const lines = deals.flatMap((deal, i) => deal.lines.map((line) => this.lineRow(ids[i], line)));
    if (lines.length > 0) this.org.insert("OpportunityLineItem", lines);
    return ids;
  }

  /** Adds products to an opportunity, in one save. */
  addLines(opportunityId: string, lines: DealLine[]): void {
    this.org.insert(
      "OpportunityLineItem",
      lines.map((line) => this.lineRow(opportunityId, line))
    );
  }

  /**
   * Creates opportunities and their products in one transaction, as CPQ, integrations and imports save a deal
   * that is already won: the flow starts when the opportunity is created, and its asynchronous path sees the
   * products saved with it.
   */
  async createDealsInOneTransaction(deals: DealSpec[]): Promise<Observation & { ids: string[] }> {
    const opportunities = deals
      .map((deal) => `new Opportunity(${apexFields(this.opportunityRow(deal))})`)
      .join(",\n  ");
    const lines = deals.flatMap((deal, i) =>
      deal.lines.map((line) => {
        const { OpportunityId: _unused, ...fields } = this.lineRow("", line);
        return `new OpportunityLineItem(OpportunityId = deals[${i}].Id, ${apexFields(fields)})`;
      })
    );
    const before = new Set(this.dealIds());
    const observation = await this.observe(() =>
      this.anonymous(
        `List<Opportunity> deals = new List<Opportunity>{\n  ${opportunities}\n};\ninsert deals;\n` +
          (lines.length > 0 ? `insert new List<OpportunityLineItem>{\n  ${lines.join(",\n  ")}\n};` : "")
      )
    );
    return { ...observation, ids: this.dealIds().filter((id) => !before.has(id)) };
  }

  /** The rep's save: the deals move to the stage (default Closed Won) in one DML statement. */
  closeDeals(ids: string[], stage: string = CLOSED_WON): Promise<Observation> {
    return this.save(
      "Opportunity",
      ids.map((id) => ({ Id: id, StageName: stage }))
    );
  }

  /** One save of the given records (one DML statement), observed. */
  save(objectName: string, rows: Row[]): Promise<Observation> {
    return this.observe(() => this.org.update(objectName, rows));
  }

  /** Runs one step and collects what it caused. A failed save is reported, not thrown. */
  async observe(step: () => void): Promise<Observation> {
    const marks = {
      events: this.org.flowEvents().length,
      transactions: this.org.transactionUsage().length,
      failed: this.org.failedFlowInterviews().length,
      requests: (await this.allStiggRequests()).length
    };
    const started = Date.now();
    let error: string | null = null;
    try {
      step();
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const wallMs = Date.now() - started;
    return {
      saved: error === null,
      error,
      wallMs,
      flowEvents: this.org.flowEvents().slice(marks.events),
      transactions: this.org.transactionUsage().slice(marks.transactions),
      stiggRequests: (await this.allStiggRequests()).slice(marks.requests),
      failedInterviews: this.org.failedFlowInterviews().slice(marks.failed)
    };
  }

  /** Every request Stigg received so far, oldest first. */
  async allStiggRequests(): Promise<StiggRequest[]> {
    const raw: RecordedRequest[] = this.stigg.fake
      ? (await this.stigg.fake.control.requests()).requests
      : this.stigg.recorder
        ? await this.stigg.recorder.requests()
        : [];
    return raw.map(toStiggRequest);
  }

  /** What fake-stigg holds: its customers and subscriptions (null for a real Stigg). */
  async stiggState(): Promise<{ customers: StoredCustomer[]; subscriptions: StoredSubscription[] } | null> {
    if (!this.stigg.fake) return null;
    const state = await this.stigg.fake.control.state();
    return { customers: state.customers, subscriptions: state.subscriptions };
  }

  opportunities(ids: string[]): Row[] {
    return this.rows(
      "Opportunity",
      "Id, Name, AccountId, StageName, IsWon, Stigg_Provisioning_Status__c, Stigg_Subscription_ID__c, Stigg_Last_Error__c, Stigg_Last_Attempt__c",
      ids
    );
  }

  accounts(ids: string[]): Row[] {
    return this.rows("Account", "Id, Name, Stigg_Customer_ID__c, Stigg_Customer_URL__c", ids);
  }

  /** Runs anonymous Apex as one transaction; throws with Apex's message when it fails. */
  anonymous(source: string): void {
    const result = this.org.runAnonymous(source);
    if (!result.success)
      throw new Error(`${result.exceptionMessage}${result.stackTrace ? ` (${result.stackTrace})` : ""}`);
  }

  private rows(objectName: string, fields: string, ids: string[]): Row[] {
    if (ids.length === 0) return [];
    const rows = this.org.query(
      `SELECT ${fields} FROM ${objectName} WHERE Id IN (${ids.map((id) => `'${id}'`).join(", ")})`
    ) as Row[];
    const byId = new Map(rows.map((row) => [String(row.Id), row]));
    return ids.map((id) => byId.get(id)).filter((row): row is Row => row !== undefined);
  }

  private dealIds(): string[] {
    return (this.org.query("SELECT Id FROM Opportunity ORDER BY CreatedDate") as Row[]).map((row) => String(row.Id));
  }

  private opportunityRow(deal: DealSpec): Row {
    return {
      Name: deal.name,
      AccountId: deal.accountId,
      StageName: deal.stage ?? "Negotiation/Review",
      CloseDate: deal.closeDate ?? "2030-12-15",
      Pricebook2Id: this.pricebookId,
      ...(deal.fields ?? {})
    };
  }

  private lineRow(opportunityId: string, line: DealLine): Row {
    const product = this.products.get(line.product);
    if (!product) throw new Error(`no product "${line.product}" in the catalog: seed it with seedCatalog() first`);
    return { OpportunityId: opportunityId, PricebookEntryId: product.entryId, Quantity: line.quantity, UnitPrice: 100 };
  }
}

function toStiggRequest(request: RecordedRequest): StiggRequest {
  return {
    operationName: request.operationName,
    variables: request.variables,
    httpStatus: request.httpStatus,
    fault: request.fault?.kind ?? null,
    errors: request.errors.map((error) => ({ message: error.message, code: error.code ?? null }))
  };
}

async function connectStigg(options: ProvisioningOrgOptions): Promise<StiggConnection> {
  if (options.stigg) {
    const recorder = await startStiggRecorder(options.stigg.url);
    return { url: options.stigg.url, apiKey: options.stigg.apiKey, environment: null, fake: null, recorder };
  }
  const apiKey = "server-demo-7f3a9c";
  const environment = options.environment ?? "acme-demo";
  const fake = await spawnFakeStigg({
    apiKey,
    environmentSlug: environment,
    faults: options.faults,
    catalogFile: options.catalogFile
  });
  return { url: fake.url, apiKey, environment, fake, recorder: null };
}

async function stopStigg(stigg: StiggConnection): Promise<void> {
  await stigg.fake?.stop();
  await stigg.recorder?.stop();
}

/**
 * A flow file of the user's own, as a package directory of its own: the namespace of the installed package is
 * taken out of it (this org holds the package without one), and it is checked to be a flow that a save of an
 * opportunity starts.
 */
function prepareUserFlow(file: string): { directory: string; outline: FlowOutline } {
  const apiName = path.basename(file).replace(/\.flow-meta\.xml$|\.flow$/, "");
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "stigg-flow-"));
  const copy = path.join(directory, "flows", `${apiName}.flow-meta.xml`);
  fs.mkdirSync(path.dirname(copy));
  fs.writeFileSync(copy, fs.readFileSync(file, "utf8").replace(NAMESPACE_PREFIX, ""));
  try {
    return { directory, outline: readFlowOutline(copy, file) };
  } catch (error) {
    fs.rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

function apexLiteral(value: JsValue): string {
  if (value === null) return "null";
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`cannot write ${JSON.stringify(value)} as an Apex literal`);
}

/** Field = value pairs for an SObject constructor; dates as Date.valueOf. */
function apexFields(row: Row): string {
  return Object.entries(row)
    .map(([field, value]) =>
      typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? `${field} = Date.valueOf('${value}')`
        : `${field} = ${apexLiteral(value)}`
    )
    .join(", ");
}
