/**
 * The local org behind the preview: the package loaded with the Stigg named credential pointed at the
 * chosen Stigg, an admin who holds Stigg Admin (the running user), and helpers to set up the states the
 * pages show (users, products, settings), and the records record pages show. Every change goes through the
 * org's own DML.
 */
import path from "node:path";
import { LocalOrg, type JsValue } from "../../local-org/src/index";
import type { ApexActionRequest, ApexActionResult, ApexBackend, RecordSummary } from "./server";

export const ADMIN_PERMISSION_SET = "Stigg_Admin";
export const USER_PERMISSION_SET = "Stigg_User";

export class PreviewOrg implements ApexBackend {
  /** Whose Apex calls the page makes; null is the org's default user. */
  runningUserId: string | null = null;
  /** Calls local-org itself could not run (a feature it lacks): the preview prints them. */
  readonly localOrgFailures: string[] = [];

  private constructor(readonly org: LocalOrg) {}

  /** `activateFlows`: flows to run as active, as a subscriber activates a template after Save As. */
  static load(projectDir: string, stiggUrl: string, options: { activateFlows?: string[] } = {}): PreviewOrg {
    const org = LocalOrg.load({
      sourceDirs: [path.join(projectDir, "force-app")],
      namedCredentials: { Stigg: { url: stiggUrl } },
      activateFlows: options.activateFlows
    });
    return new PreviewOrg(org);
  }

  callApex(request: ApexActionRequest): ApexActionResult {
    const result = this.org.callAuraEnabled({
      className: request.className,
      methodName: request.methodName,
      params: request.params as Record<string, JsValue>,
      userId: this.runningUserId ?? undefined
    });
    if (result.state === "ERROR" && result.localOrgFailure) {
      this.localOrgFailures.push(`${request.className}.${request.methodName}: ${result.body.message}`);
    }
    const { localOrgFailure: _ignored, ...lightning } = result as ApexActionResult & { localOrgFailure?: true };
    return lightning;
  }

  /** The header and details of an Account or Opportunity page; null when the record does not exist. */
  recordSummary(objectApiName: string, recordId: string): RecordSummary | null {
    const layout = RECORD_LAYOUTS[objectApiName];
    if (!layout || !/^[a-zA-Z0-9]{15,18}$/.test(recordId)) return null;
    const fields = [...new Set([...layout.highlights, ...layout.fields].map(([, field]) => field))];
    const [row] = this.org.query(
      `SELECT ${fields.join(", ")} FROM ${objectApiName} WHERE Id = '${recordId}'`
    ) as Record<string, JsValue>[];
    if (!row) return null;
    const show = ([label, field]: [string, string]) => ({ label, value: displayValue(fieldValue(row, field)) });
    return {
      objectLabel: layout.label,
      icon: layout.icon,
      name: displayValue(row.Name),
      highlights: layout.highlights.map(show),
      fields: layout.fields.map(show)
    };
  }

  /** The org's default user, who runs the page unless another user is chosen. */
  defaultUserId(): string {
    const rows = this.org.query("SELECT Id FROM User WHERE Username != null ORDER BY CreatedDate LIMIT 1") as {
      Id: string;
    }[];
    return rows[0].Id;
  }

  /** Creates an active Standard User holding the given permission sets. */
  createUser(firstName: string, lastName: string, permissionSets: string[] = []): string {
    const [profile] = this.org.query("SELECT Id FROM Profile WHERE Name = 'Standard User'") as { Id: string }[];
    const alias = `${firstName[0]}${lastName}`.toLowerCase().slice(0, 8);
    const [userId] = this.org.insert("User", [
      {
        FirstName: firstName,
        LastName: lastName,
        ProfileId: profile.Id,
        Email: `${alias}@example.com`,
        Username: `${alias}.${Date.now()}@stigg-preview.test`,
        Alias: alias,
        IsActive: true,
        TimeZoneSidKey: "Europe/London",
        LocaleSidKey: "en_GB",
        EmailEncodingKey: "UTF-8",
        LanguageLocaleKey: "en_US"
      }
    ]);
    this.assign(userId, permissionSets);
    return userId;
  }

  assign(userId: string, permissionSets: string[]): void {
    for (const name of permissionSets) {
      const [permissionSet] = this.org.query(`SELECT Id FROM PermissionSet WHERE Name = '${name}'`) as { Id: string }[];
      if (!permissionSet) throw new Error(`the package has no permission set ${name}`);
      this.org.insert("PermissionSetAssignment", [{ AssigneeId: userId, PermissionSetId: permissionSet.Id }]);
    }
  }

  insertProducts(
    products: {
      Name: string;
      Stigg_Type__c?: string;
      Stigg_ID__c?: string;
      Stigg_Credit_Cadence__c?: string;
      IsActive?: boolean;
    }[]
  ) {
    return this.org.insert(
      "Product2",
      products.map((product) => ({ IsActive: true, ...product }) as Record<string, JsValue>)
    );
  }

  /** Sets fields of the org-wide Stigg Settings (for example Callout_Timeout_Seconds__c). */
  setStiggSettings(fields: Record<string, JsValue>): void {
    const assignments = Object.entries(fields)
      .map(
        ([field, value]) =>
          `settings.${field} = ${typeof value === "string" ? `'${value.replace(/'/g, "\\'")}'` : String(value)};`
      )
      .join(" ");
    const result = this.org.runAnonymous(
      `Stigg_Settings__c settings = Stigg_Settings__c.getOrgDefaults(); ${assignments} upsert settings;`
    );
    if (!result.success) throw new Error(`Stigg Settings not saved: ${result.exceptionMessage}`);
  }

  /** Saves an API key as an admin does on the tab: through the controller, into the credential store. */
  saveApiKey(apiKey: string): void {
    const result = this.callApex({
      className: "StiggConfigurationController",
      methodName: "saveApiKey",
      params: { apiKey }
    });
    if (result.state === "ERROR") throw new Error(`the API key was not saved: ${result.body.message}`);
  }
}

/** The fields of a record page's header and details panel: [label, field]. */
const RECORD_LAYOUTS: Record<
  string,
  { label: string; icon: string; highlights: [string, string][]; fields: [string, string][] }
> = {
  Account: {
    label: "Account",
    icon: "account",
    highlights: [["Stigg Customer ID", "Stigg_Customer_ID__c"]],
    fields: [
      ["Account Name", "Name"],
      ["Stigg Customer ID", "Stigg_Customer_ID__c"],
      ["Stigg Customer URL", "Stigg_Customer_URL__c"]
    ]
  },
  Opportunity: {
    label: "Opportunity",
    icon: "opportunity",
    highlights: [
      ["Account Name", "Account.Name"],
      ["Close Date", "CloseDate"],
      ["Stage", "StageName"]
    ],
    fields: [
      ["Opportunity Name", "Name"],
      ["Account Name", "Account.Name"],
      ["Stage", "StageName"],
      ["Close Date", "CloseDate"],
      ["Stigg Provisioning Status", "Stigg_Provisioning_Status__c"],
      ["Stigg Subscription ID", "Stigg_Subscription_ID__c"],
      ["Stigg Last Error", "Stigg_Last_Error__c"],
      ["Stigg Drift Status", "Stigg_Drift_Status__c"],
      ["Stigg Drift Details", "Stigg_Drift_Details__c"],
      ["Stigg Drift Checked At", "Stigg_Drift_Checked_At__c"]
    ]
  }
};

/** A field of a queried row, through a parent (`Account.Name`). */
function fieldValue(row: Record<string, JsValue>, field: string): JsValue {
  let value: JsValue = row;
  for (const part of field.split(".")) {
    value = value && typeof value === "object" && !Array.isArray(value) ? (value[part] ?? null) : null;
  }
  return value;
}

function displayValue(value: JsValue): string {
  return value === null || value === undefined ? "" : String(value);
}

/** What a fresh preview shows: an admin with Stigg Admin, mapped products, a rep who can provision. */
export function seedPreviewOrg(org: PreviewOrg): void {
  org.assign(org.defaultUserId(), [ADMIN_PERMISSION_SET]);
  org.createUser("Riley", "Rep", [USER_PERMISSION_SET]);
  org.insertProducts([
    { Name: "Pro Plan", Stigg_Type__c: "Plan", Stigg_ID__c: "plan-pro" },
    { Name: "Extra Seats", Stigg_Type__c: "Add-on", Stigg_ID__c: "addon-extra-seats" },
    { Name: "API Calls", Stigg_Type__c: "Entitlement", Stigg_ID__c: "feature-api-calls" },
    { Name: "Onboarding Workshop" }
  ]);
}
