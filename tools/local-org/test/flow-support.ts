// Test support for flows: a package folder written on the fly with flows, objects and classes,
// and small builders for flow metadata XML.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalOrg } from "../src/index.js";

export interface TestApp {
  flows?: Record<string, string>;
  classes?: Record<string, string>;
  /** Object name => field name => CustomField XML body (without fullName and label). */
  fields?: Record<string, Record<string, string>>;
  /** Object name => the inner XML of its CustomObject definition (a platform event's publish behaviour). */
  objects?: Record<string, string>;
  /** Trigger name => its `.trigger` source. */
  triggers?: Record<string, string>;
  /** Custom notification type name => the inner XML of its definition. */
  notificationTypes?: Record<string, string>;
}

/** Writes a package folder and returns its path. */
export function writeApp(app: TestApp): string {
  const root = mkdtempSync(join(tmpdir(), "local-org-flow-"));
  const base = join(root, "main", "default");
  for (const [name, xml] of Object.entries(app.flows ?? {})) {
    mkdirSync(join(base, "flows"), { recursive: true });
    writeFileSync(join(base, "flows", `${name}.flow-meta.xml`), xml);
  }
  for (const [name, source] of Object.entries(app.classes ?? {})) {
    mkdirSync(join(base, "classes"), { recursive: true });
    writeFileSync(join(base, "classes", `${name}.cls`), source);
  }
  for (const [object, inner] of Object.entries(app.objects ?? {})) {
    mkdirSync(join(base, "objects", object), { recursive: true });
    writeFileSync(
      join(base, "objects", object, `${object}.object-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>${object}</label>${inner}</CustomObject>`
    );
  }
  for (const [name, source] of Object.entries(app.triggers ?? {})) {
    mkdirSync(join(base, "triggers"), { recursive: true });
    writeFileSync(join(base, "triggers", `${name}.trigger`), source);
  }
  for (const [name, inner] of Object.entries(app.notificationTypes ?? {})) {
    mkdirSync(join(base, "notificationtypes"), { recursive: true });
    writeFileSync(
      join(base, "notificationtypes", `${name}.notiftype-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?><CustomNotificationType xmlns="http://soap.sforce.com/2006/04/metadata">${inner}</CustomNotificationType>`
    );
  }
  for (const [object, fields] of Object.entries(app.fields ?? {}))
    for (const [name, body] of Object.entries(fields)) {
      mkdirSync(join(base, "objects", object, "fields"), { recursive: true });
      writeFileSync(
        join(base, "objects", object, "fields", `${name}.field-meta.xml`),
        `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${name}</fullName><label>${name.replace(/__c$/, "").replace(/_/g, " ")}</label>${body}</CustomField>`
      );
    }
  return root;
}

export function loadApp(app: TestApp, activateFlows: string[] = []): LocalOrg {
  return LocalOrg.load({ sourceDirs: [writeApp(app)], cache: false, activateFlows });
}

/** A flow file: the given inner XML plus label, API version and status. */
export function flow(inner: string, options: { status?: string; label?: string; processType?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion>
  <label>${options.label ?? "Test Flow"}</label>
  <processType>${options.processType ?? "AutoLaunchedFlow"}</processType>
  <status>${options.status ?? "Active"}</status>
  ${inner}
</Flow>`;
}

/** The start of an autolaunched flow. */
export const start = (target: string) =>
  `<start><locationX>0</locationX><locationY>0</locationY><connector><targetReference>${target}</targetReference></connector></start>`;

/** A record-triggered start. */
export function recordStart(options: {
  object: string;
  triggerType?: "RecordAfterSave" | "RecordBeforeSave" | "RecordBeforeDelete";
  recordTriggerType?: string;
  target?: string;
  filters?: string;
  filterLogic?: string;
  filterFormula?: string;
  changedToMeet?: boolean;
  scheduledPaths?: string;
}): string {
  return `<start><locationX>0</locationX><locationY>0</locationY>
    ${options.target ? `<connector><targetReference>${options.target}</targetReference></connector>` : ""}
    ${options.changedToMeet ? "<doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria>" : ""}
    ${options.filterLogic ? `<filterLogic>${options.filterLogic}</filterLogic>` : ""}
    ${options.filters ?? ""}
    ${options.filterFormula ? `<filterFormula>${options.filterFormula}</filterFormula>` : ""}
    <object>${options.object}</object>
    <recordTriggerType>${options.recordTriggerType ?? "CreateAndUpdate"}</recordTriggerType>
    ${options.scheduledPaths ?? ""}
    <triggerType>${options.triggerType ?? "RecordAfterSave"}</triggerType></start>`;
}

/** A FlowElementReferenceOrValue. */
export const ref = (path: string) => `<elementReference>${path}</elementReference>`;
export const text = (value: string) => `<stringValue>${value}</stringValue>`;
export const num = (value: number | string) => `<numberValue>${value}</numberValue>`;
export const bool = (value: boolean) => `<booleanValue>${value}</booleanValue>`;

export function variable(
  name: string,
  dataType: string,
  options: {
    collection?: boolean;
    input?: boolean;
    output?: boolean;
    objectType?: string;
    scale?: number;
    value?: string;
  } = {}
): string {
  return `<variables><name>${name}</name><dataType>${dataType}</dataType><isCollection>${options.collection ?? false}</isCollection>
    <isInput>${options.input ?? false}</isInput><isOutput>${options.output ?? false}</isOutput>
    ${options.objectType ? `<objectType>${options.objectType}</objectType>` : ""}
    ${options.scale !== undefined ? `<scale>${options.scale}</scale>` : ""}
    ${options.value ? `<value>${options.value}</value>` : ""}</variables>`;
}

const connector = (target?: string) =>
  target ? `<connector><targetReference>${target}</targetReference></connector>` : "";
const fault = (target?: string) =>
  target ? `<faultConnector><targetReference>${target}</targetReference></faultConnector>` : "";

export function assignment(name: string, items: [string, string, string][], next?: string): string {
  return `<assignments><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>
    ${items.map(([target, operator, value]) => `<assignmentItems><assignToReference>${target}</assignToReference><operator>${operator}</operator><value>${value}</value></assignmentItems>`).join("")}
    ${connector(next)}</assignments>`;
}

export function condition(left: string, operator: string, right: string): string {
  return `<conditions><leftValueReference>${left}</leftValueReference><operator>${operator}</operator><rightValue>${right}</rightValue></conditions>`;
}

export function decision(
  name: string,
  rules: { name: string; conditions: string; logic?: string; next?: string; changedToMeet?: boolean }[],
  defaultNext?: string
): string {
  return `<decisions><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>
    ${defaultNext ? `<defaultConnector><targetReference>${defaultNext}</targetReference></defaultConnector>` : ""}<defaultConnectorLabel>Default</defaultConnectorLabel>
    ${rules.map((r) => `<rules><name>${r.name}</name><conditionLogic>${r.logic ?? "and"}</conditionLogic>${r.conditions}${connector(r.next)}${r.changedToMeet ? "<doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria>" : ""}<label>${r.name}</label></rules>`).join("")}
  </decisions>`;
}

export function loop(
  name: string,
  collection: string,
  next: string,
  done?: string,
  options: { order?: string; assignTo?: string } = {}
): string {
  return `<loops><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>
    ${options.assignTo ? `<assignNextValueToReference>${options.assignTo}</assignNextValueToReference>` : ""}
    <collectionReference>${collection}</collectionReference><iterationOrder>${options.order ?? "Asc"}</iterationOrder>
    <nextValueConnector><targetReference>${next}</targetReference></nextValueConnector>
    ${done ? `<noMoreValuesConnector><targetReference>${done}</targetReference></noMoreValuesConnector>` : ""}</loops>`;
}

export function formula(name: string, dataType: string, expression: string, scale?: number): string {
  return `<formulas><name>${name}</name><dataType>${dataType}</dataType><expression>${expression}</expression>${scale !== undefined ? `<scale>${scale}</scale>` : ""}</formulas>`;
}

export function filter(field: string, operator: string, value: string): string {
  return `<filters><field>${field}</field><operator>${operator}</operator><value>${value}</value></filters>`;
}

export function getRecords(
  name: string,
  object: string,
  options: {
    filters?: string;
    logic?: string;
    first?: boolean;
    fields?: string[];
    sort?: string;
    order?: string;
    next?: string;
    fault?: string;
    limit?: number;
    outputReference?: string;
  }
): string {
  return `<recordLookups><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>
    <assignNullValuesIfNoRecordsFound>false</assignNullValuesIfNoRecordsFound>${connector(options.next)}${fault(options.fault)}
    <filterLogic>${options.logic ?? "and"}</filterLogic>${options.filters ?? ""}
    <getFirstRecordOnly>${options.first ?? false}</getFirstRecordOnly>
    ${options.limit ? `<limit><numberValue>${options.limit}</numberValue></limit>` : ""}
    <object>${object}</object>
    ${options.outputReference ? `<outputReference>${options.outputReference}</outputReference>` : ""}
    ${(options.fields ?? []).map((f) => `<queriedFields>${f}</queriedFields>`).join("")}
    ${options.sort ? `<sortField>${options.sort}</sortField><sortOrder>${options.order ?? "Asc"}</sortOrder>` : ""}
    <storeOutputAutomatically>${options.outputReference ? "false" : "true"}</storeOutputAutomatically></recordLookups>`;
}

export function createRecords(
  name: string,
  options: { object?: string; fields?: [string, string][]; inputReference?: string; next?: string; fault?: string }
): string {
  return `<recordCreates><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>${connector(options.next)}${fault(options.fault)}
    ${(options.fields ?? []).map(([field, value]) => `<inputAssignments><field>${field}</field><value>${value}</value></inputAssignments>`).join("")}
    ${options.inputReference ? `<inputReference>${options.inputReference}</inputReference>` : `<object>${options.object}</object><storeOutputAutomatically>true</storeOutputAutomatically>`}</recordCreates>`;
}

export function updateRecords(
  name: string,
  options: {
    object?: string;
    filters?: string;
    fields?: [string, string][];
    inputReference?: string;
    next?: string;
    fault?: string;
  }
): string {
  return `<recordUpdates><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>${connector(options.next)}${fault(options.fault)}
    <filterLogic>and</filterLogic>${options.filters ?? ""}
    ${(options.fields ?? []).map(([field, value]) => `<inputAssignments><field>${field}</field><value>${value}</value></inputAssignments>`).join("")}
    ${options.inputReference ? `<inputReference>${options.inputReference}</inputReference>` : ""}${options.object ? `<object>${options.object}</object>` : ""}</recordUpdates>`;
}

export function deleteRecords(
  name: string,
  options: { object?: string; filters?: string; inputReference?: string; next?: string; fault?: string }
): string {
  return `<recordDeletes><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>${connector(options.next)}${fault(options.fault)}
    <filterLogic>and</filterLogic>${options.filters ?? ""}
    ${options.inputReference ? `<inputReference>${options.inputReference}</inputReference>` : ""}${options.object ? `<object>${options.object}</object>` : ""}</recordDeletes>`;
}

export function action(
  name: string,
  className: string,
  inputs: [string, string][],
  options: { next?: string; fault?: string; outputs?: [string, string][] } = {}
): string {
  return `<actionCalls><name>${name}</name><label>${name}</label><locationX>0</locationX><locationY>0</locationY>
    <actionName>${className}</actionName><actionType>apex</actionType>${connector(options.next)}${fault(options.fault)}
    <flowTransactionModel>CurrentTransaction</flowTransactionModel>
    ${inputs.map(([n, v]) => `<inputParameters><name>${n}</name><value>${v}</value></inputParameters>`).join("")}
    ${(options.outputs ?? []).map(([n, target]) => `<outputParameters><assignToReference>${target}</assignToReference><name>${n}</name></outputParameters>`).join("")}
    <nameSegment>${className}</nameSegment><offset>0</offset><storeOutputAutomatically>${options.outputs ? "false" : "true"}</storeOutputAutomatically></actionCalls>`;
}
