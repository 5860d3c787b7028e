/**
 * The record of a provisioning run (what `npm start --json` writes) and its text for a sales-ops reader: the
 * flow and path that ran, each element with the decision taken, each request Stigg received, the records
 * written, and where each deal ended.
 */
import type { FlowEvent, TransactionUsage, FailedInterview } from "../../tools/local-org/src/index";
import type { FlowOutline } from "./flow-outline";
import type { Observation, Row, StiggRequest } from "./provisioning-org";

export interface RecordChange {
  id: string;
  name: string;
  /** Field label: [before, after]. */
  changes: Record<string, [unknown, unknown]>;
}

export interface DealOutcome {
  id: string;
  name: string;
  status: string | null;
  subscriptionId: string | null;
  lastError: string | null;
  accountName: string | null;
  customerId: string | null;
  customerUrl: string | null;
}

export interface RunRecord {
  flows: { apiName: string; label: string; file: string; conditions: string; paths: string[] }[];
  stigg: { url: string; fake: boolean; environment: string | null };
  stage: string;
  deals: number;
  save: { saved: boolean; error: string | null; soqlQueries: number; dmlStatements: number; callouts: number };
  flowEvents: FlowEvent[];
  stiggRequests: StiggRequest[];
  recordsWritten: { opportunities: RecordChange[]; accounts: RecordChange[] };
  transactions: TransactionUsage[];
  failedInterviews: FailedInterview[];
  outcomes: DealOutcome[];
  summary: { provisioned: number; failed: number; other: number };
  wallMs: number;
}

export const FIELD_LABELS: Record<string, string> = {
  StageName: "Stage",
  Stigg_Provisioning_Status__c: "Stigg Provisioning Status",
  Stigg_Subscription_ID__c: "Stigg Subscription ID",
  Stigg_Last_Error__c: "Stigg Last Error",
  Stigg_Last_Attempt__c: "Stigg Last Attempt",
  Stigg_Customer_ID__c: "Stigg Customer ID",
  Stigg_Customer_URL__c: "Stigg Customer URL"
};

/** How the records a Get Records element finds are named in the text. */
const OBJECT_NOUNS: Record<string, string> = {
  OpportunityLineItem: "opportunity product",
  Opportunity: "opportunity",
  Account: "account",
  Product2: "product",
  Contact: "contact"
};

const OPPORTUNITY_FIELDS = [
  "Stigg_Provisioning_Status__c",
  "Stigg_Subscription_ID__c",
  "Stigg_Last_Error__c",
  "Stigg_Last_Attempt__c"
];
const ACCOUNT_FIELDS = ["Stigg_Customer_ID__c", "Stigg_Customer_URL__c"];

/** The changes to the given fields between two readings of the same records. */
export function changesOf(before: Row[], after: Row[], fields: string[]): RecordChange[] {
  const earlier = new Map(before.map((row) => [String(row.Id), row]));
  const changes: RecordChange[] = [];
  for (const row of after) {
    const old = earlier.get(String(row.Id)) ?? {};
    const changed: Record<string, [unknown, unknown]> = {};
    for (const field of fields) {
      if (JSON.stringify(old[field] ?? null) !== JSON.stringify(row[field] ?? null))
        changed[FIELD_LABELS[field] ?? field] = [old[field] ?? null, row[field] ?? null];
    }
    if (Object.keys(changed).length > 0) changes.push({ id: String(row.Id), name: String(row.Name), changes: changed });
  }
  return changes;
}

export function buildRunRecord(input: {
  flows: FlowOutline[];
  stigg: RunRecord["stigg"];
  stage: string;
  observation: Observation;
  opportunitiesBefore: Row[];
  opportunitiesAfter: Row[];
  accountsBefore: Row[];
  accountsAfter: Row[];
}): RunRecord {
  const { observation } = input;
  const saves = observation.transactions.filter((transaction) => transaction.description === "api");
  const accounts = new Map(input.accountsAfter.map((row) => [String(row.Id), row]));
  const outcomes: DealOutcome[] = input.opportunitiesAfter.map((row) => {
    const account = accounts.get(String(row.AccountId));
    return {
      id: String(row.Id),
      name: String(row.Name),
      status: (row.Stigg_Provisioning_Status__c as string | null) ?? null,
      subscriptionId: (row.Stigg_Subscription_ID__c as string | null) ?? null,
      lastError: (row.Stigg_Last_Error__c as string | null) ?? null,
      accountName: account ? String(account.Name) : null,
      customerId: (account?.Stigg_Customer_ID__c as string | null) ?? null,
      customerUrl: (account?.Stigg_Customer_URL__c as string | null) ?? null
    };
  });
  const provisioned = outcomes.filter((deal) => deal.status === "Provisioned").length;
  const failed = outcomes.filter((deal) => deal.status === "Failed").length;
  return {
    flows: input.flows.map((flow) => ({
      apiName: flow.apiName,
      label: flow.label,
      file: flow.file,
      conditions: flow.start.conditions,
      paths: flow.start.scheduledPaths
    })),
    stigg: input.stigg,
    stage: input.stage,
    deals: outcomes.length,
    save: {
      saved: observation.saved,
      error: observation.error,
      soqlQueries: sum(saves, "soqlQueries"),
      dmlStatements: sum(saves, "dmlStatements"),
      callouts: sum(saves, "callouts")
    },
    flowEvents: observation.flowEvents,
    stiggRequests: observation.stiggRequests,
    recordsWritten: {
      opportunities: changesOf(input.opportunitiesBefore, input.opportunitiesAfter, OPPORTUNITY_FIELDS),
      accounts: changesOf(input.accountsBefore, input.accountsAfter, ACCOUNT_FIELDS)
    },
    transactions: observation.transactions,
    failedInterviews: observation.failedInterviews,
    outcomes,
    summary: { provisioned, failed, other: outcomes.length - provisioned - failed },
    wallMs: observation.wallMs
  };
}

function sum(transactions: TransactionUsage[], key: "soqlQueries" | "dmlStatements" | "callouts" | "cpuMs"): number {
  return transactions.reduce((total, transaction) => total + transaction[key], 0);
}

const plural = (count: number, word: string): string =>
  `${count} ${count === 1 ? word : word.endsWith("y") && !word.endsWith("ay") ? `${word.slice(0, -1)}ies` : `${word}s`}`;

/** The steps of the first interview of the subflow an element called, indented under it. */
function subflowSteps(
  record: RunRecord,
  call: FlowEvent,
  indent: string,
  labelOf: (event: FlowEvent) => string
): string[] {
  const path = `${call.path} > ${call.detail}`;
  const events = record.flowEvents.filter((event) => event.flow === call.detail && event.path === path);
  if (events.length === 0) return [];
  const first = events.filter((event) => event.interview === events[0].interview);
  return first.map((event) => `${indent}${describeEvent(event, labelOf(event))}`);
}

/** The steps of the run as lines of text. */
export function formatRun(record: RunRecord, outlines: FlowOutline[]): string[] {
  const lines: string[] = [];
  const outlineOf = (apiName: string): FlowOutline | undefined => outlines.find((flow) => flow.apiName === apiName);
  const labelOf = (event: FlowEvent): string =>
    outlineOf(event.flow)?.elements.get(event.element)?.label ?? event.element;

  lines.push(
    record.save.saved
      ? `The save went through at once: ${plural(record.save.callouts, "callout")}, ${plural(record.save.soqlQueries, "query")} and ${plural(record.save.dmlStatements, "DML statement")} in the rep's transaction; Stigg is called after it commits.`
      : `The save FAILED: ${record.save.error}`
  );

  // Which flows started, for which records, and what each path did.
  const started = record.flowEvents.filter((event) => event.kind === "start");
  if (started.length === 0) {
    lines.push("", "No flow started: the save did not meet the start conditions of any active flow.");
    for (const flow of record.flows) lines.push(`  ${flow.label}: ${flow.conditions}`);
  }
  const byFlow = new Map<string, FlowEvent[]>();
  for (const event of record.flowEvents) byFlow.set(event.flow, [...(byFlow.get(event.flow) ?? []), event]);
  for (const [apiName, events] of byFlow) {
    const outline = outlineOf(apiName);
    const starts = events.filter((event) => event.kind === "start").length;
    // A flow nothing started is a subflow: its steps are shown under the element that called it.
    if (starts === 0) continue;
    lines.push("", `Flow "${outline?.label ?? apiName}" started for ${plural(starts, "opportunity")}.`);
    if (outline) lines.push(`  Start conditions: ${outline.start.conditions}`);
    const byPath = new Map<string, FlowEvent[]>();
    for (const event of events.filter((e) => e.kind !== "start"))
      byPath.set(event.path, [...(byPath.get(event.path) ?? []), event]);
    for (const [pathName, pathEvents] of byPath) {
      const interviews = [...new Set(pathEvents.map((event) => event.interview))];
      const transactions = record.transactions.filter(
        (usage) => usage.description === `${apiName}: ${pathName}`
      ).length;
      const where =
        pathName === "synchronous"
          ? "in the save itself"
          : `after the save committed, in ${transactions > 1 ? `${transactions} transactions of its own, 200 interviews at most each` : "a transaction of its own"}`;
      lines.push(
        `  Path "${pathName === "synchronous" ? "Run Immediately" : pathName}" (${where}), ${plural(interviews.length, "interview")}:`
      );
      const first = pathEvents.filter((event) => event.interview === interviews[0]);
      const indent = interviews.length > 1 ? "      " : "    ";
      if (interviews.length > 1) lines.push(`    The first opportunity, step by step:`);
      for (const event of first) {
        lines.push(`${indent}${describeEvent(event, labelOf(event))}`);
        if (event.kind === "subflow") lines.push(...subflowSteps(record, event, `${indent}  `, labelOf));
      }
      if (interviews.length > 1) {
        lines.push(`    All ${interviews.length} opportunities, element by element:`);
        for (const summary of summarize(pathEvents, labelOf)) lines.push(`      ${summary}`);
      }
    }
  }
  if (record.failedInterviews.length > 0) {
    lines.push(
      "",
      `${plural(record.failedInterviews.length, "flow interview")} failed without recording it on the opportunity:`
    );
    for (const failed of record.failedInterviews)
      lines.push(`  ${failed.flow} (${failed.path}) for ${failed.recordId}, at ${failed.element}: ${failed.message}`);
  }

  lines.push(
    "",
    record.stigg.fake ? "What Stigg (fake-stigg) received:" : `What Stigg (${record.stigg.url}) received:`
  );
  if (record.stiggRequests.length === 0) lines.push("  nothing");
  for (const request of record.stiggRequests) lines.push(...describeRequest(request));

  lines.push("", "Records written:");
  const written = [
    ...record.recordsWritten.opportunities.map((change) => ["Opportunity", change] as const),
    ...record.recordsWritten.accounts.map((change) => ["Account", change] as const)
  ];
  if (written.length === 0) lines.push("  none");
  const shown = written.slice(0, 6);
  for (const [objectName, change] of shown) {
    lines.push(`  ${objectName} "${change.name}" (${change.id}):`);
    for (const [field, [before, after]] of Object.entries(change.changes))
      lines.push(`    ${field}: ${shownValue(before)} -> ${shownValue(after)}`);
  }
  if (written.length > shown.length)
    lines.push(
      `  ... and ${written.length - shown.length} more (${plural(record.recordsWritten.opportunities.length, "opportunity")} and ${plural(record.recordsWritten.accounts.length, "account")} written in all)`
    );
  return lines;
}

/** The closing lines: the Account's Stigg Customer URL and the Opportunity's status, per deal (or a count). */
export function formatOutcome(record: RunRecord): string[] {
  const lines: string[] = [];
  const { summary } = record;
  if (record.outcomes.length > 1)
    lines.push(
      `${record.outcomes.length} opportunities: ${summary.provisioned} Provisioned, ${summary.failed} Failed${summary.other > 0 ? `, ${summary.other} neither` : ""}.`
    );
  const shown =
    record.outcomes.length > 1
      ? record.outcomes.filter((deal) => deal.status !== "Provisioned").slice(0, 5)
      : record.outcomes;
  const provisioned = record.outcomes.find((deal) => deal.status === "Provisioned");
  if (record.outcomes.length > 1 && provisioned) lines.push(...describeDeal(provisioned));
  for (const deal of shown) lines.push(...describeDeal(deal));
  return lines;
}

function describeDeal(deal: DealOutcome): string[] {
  return [
    `Account "${deal.accountName}": Stigg Customer URL ${deal.customerUrl ?? "(none)"}`,
    `Opportunity "${deal.name}": ${deal.status ?? "(no status)"}${deal.subscriptionId ? `, Stigg subscription ${deal.subscriptionId}` : ""}`,
    ...(deal.status === "Failed" && deal.lastError ? [`  Stigg Last Error: ${deal.lastError}`] : [])
  ];
}

function describeEvent(event: FlowEvent, label: string): string {
  switch (event.kind) {
    case "decision":
      return `${label} -> ${event.detail}`;
    case "getRecords":
      return `${label}: found ${event.detail.replace(/^(\d+) (\w+) record\(s\)$/, (_m, count: string, object: string) => plural(Number(count), OBJECT_NOUNS[object] ?? `${object} record`))}`;
    case "updateRecords":
    case "createRecords":
    case "deleteRecords":
      return `${label}: ${event.detail.replace(/^(\d+) record\(s\)$/, (_m, count: string) => plural(Number(count), "record"))} ${event.kind === "updateRecords" ? "updated" : event.kind === "createRecords" ? "created" : "deleted"}`;
    case "action":
      return `${label}: ${event.detail.replace(/^(\S+) \((\d+) request\(s\) in one call\)$/, (_m, action: string, count: string) => `Apex action ${action}, ${plural(Number(count), "request")} in one call`)}`;
    case "loop":
      return `${label}: went through ${event.detail.replace(/^(\d+) items$/, (_m, count: string) => plural(Number(count), "item"))}`;
    case "assignment":
      return `${label}: ${event.detail}`;
    case "fault":
      return `${label} FAULT: ${event.detail}`;
    default:
      return `${label}: ${event.detail}`;
  }
}

/** Per element, in order of first appearance: how many interviews reached it and where decisions sent them. */
function summarize(events: FlowEvent[], labelOf: (event: FlowEvent) => string): string[] {
  const order: string[] = [];
  const byElement = new Map<string, FlowEvent[]>();
  for (const event of events) {
    if (!byElement.has(event.element)) order.push(event.element);
    byElement.set(event.element, [...(byElement.get(event.element) ?? []), event]);
  }
  return order.map((element) => {
    const elementEvents = byElement.get(element)!;
    const label = labelOf(elementEvents[0]);
    const counts = new Map<string, number>();
    for (const event of elementEvents) {
      const key =
        event.kind === "decision" || event.kind === "fault"
          ? event.detail
          : event.kind === "action"
            ? event.detail.replace(
                /^\S+ \((\d+) request\(s\) in one call\)$/,
                (_m, count: string) => `${plural(Number(count), "request")} in one call`
              )
            : "";
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const interviews = new Set(elementEvents.map((event) => event.interview)).size;
    if (elementEvents[0].kind === "decision" || elementEvents[0].kind === "fault")
      return `${label}${elementEvents[0].kind === "fault" ? " FAULT" : ""}: ${[...counts].map(([outcome, count]) => `${outcome} x${count}`).join(", ")}`;
    if (elementEvents[0].kind === "action")
      return `${label}: ${plural(interviews, "interview")}, ${[...counts.keys()].join("; ")}`;
    return `${label}: ${plural(interviews, "interview")}`;
  });
}

function describeRequest(request: StiggRequest): string[] {
  const aliases = Object.entries(request.variables);
  const status = request.httpStatus === null ? "no answer" : `HTTP ${request.httpStatus}`;
  const fault = request.fault ? ` [fault injected: ${request.fault}]` : "";
  const lines = [
    `  ${request.operationName ?? "(no operation)"}: ${plural(aliases.length, "request")} in one call, ${status}${fault}`
  ];
  for (const [, input] of aliases.slice(0, 3)) lines.push(`    ${describeInput(request.operationName, input)}`);
  if (aliases.length > 3) lines.push(`    ... and ${aliases.length - 3} more`);
  const codes = [...new Set(request.errors.map((error) => error.code ?? error.message))];
  if (codes.length > 0) lines.push(`    errors: ${codes.slice(0, 5).join(", ")}${codes.length > 5 ? ", ..." : ""}`);
  return lines;
}

function describeInput(operation: string | null, input: unknown): string {
  const value = (input ?? {}) as Record<string, unknown>;
  if (operation === "SfProvisionCustomers")
    return `customer ${value.customerId} "${value.name}" (Salesforce Account ${value.salesforceId})`;
  if (operation === "SfProvisionSubscriptions") {
    const parts = [`plan ${value.planId} for customer ${value.customerId}`];
    const addons = (value.addons as { addonId: string; quantity?: number }[] | undefined) ?? [];
    if (addons.length > 0)
      parts.push(`add-ons ${addons.map((addon) => `${addon.addonId} x${addon.quantity ?? 1}`).join(", ")}`);
    const entitlements =
      (value.subscriptionEntitlements as
        { featureId: string; usageLimit?: number; hasUnlimitedUsage?: boolean }[] | undefined) ?? [];
    if (entitlements.length > 0)
      parts.push(
        `entitlements ${entitlements.map((entitlement) => `${entitlement.featureId} ${entitlement.hasUnlimitedUsage ? "unlimited" : `limit ${entitlement.usageLimit}`}`).join(", ")}`
      );
    const trial = value.trialOverrideConfiguration as { isTrial?: boolean; trialEndDate?: string } | undefined;
    if (trial?.isTrial) parts.push(`trial until ${trial.trialEndDate ?? "the plan's default"}`);
    if (value.salesforceId) parts.push(`Salesforce record ${value.salesforceId}`);
    return parts.join("; ");
  }
  if (operation === "SfFindSubscriptionsBySalesforceId") return `look up the subscriptions of ${JSON.stringify(value)}`;
  return JSON.stringify(value);
}

function shownValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  const text = String(value);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
