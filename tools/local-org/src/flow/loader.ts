// Reads `*.flow-meta.xml` into the typed flow model. Anything the model does not cover is kept
// as an unsupported element or feature, so that running the flow stops with an error that
// names it instead of skipping it.
import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import {
  nameKey,
  type ConditionLogic,
  type FlowCondition,
  type FlowDataType,
  type FlowDefinition,
  type FlowElement,
  type FlowFieldValue,
  type FlowOutputParameter,
  type FlowParameter,
  type FlowRecordFilter,
  type FlowResource,
  type FlowScheduledPath,
  type FlowStart,
  type FlowValue
} from "./model.js";

type Xml = Record<string, unknown>;

const LIST_TAGS = new Set([
  "actionCalls",
  "assignments",
  "decisions",
  "loops",
  "recordLookups",
  "recordCreates",
  "recordUpdates",
  "recordDeletes",
  "subflows",
  "customErrors",
  "variables",
  "constants",
  "formulas",
  "textTemplates",
  "assignmentItems",
  "rules",
  "conditions",
  "filters",
  "inputAssignments",
  "outputAssignments",
  "inputParameters",
  "outputParameters",
  "queriedFields",
  "scheduledPaths",
  "customErrorMessages",
  "processMetadataValues",
  "screens",
  "waits",
  "collectionProcessors",
  "transforms",
  "recordRollbacks",
  "apexPluginCalls",
  "orchestratedStages",
  "steps",
  "stages",
  "choices",
  "dynamicChoiceSets",
  "ends",
  "experiments",
  "exitRules",
  "collectionElements",
  "dataTypeMappings",
  "actionCallPaths",
  "relatedRecords",
  "triggers",
  "capabilityTypes",
  "environments"
]);

// Text keeps its spaces ("Hello " in a stringValue); the indentation between elements comes
// back as #text, which is ignored.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => LIST_TAGS.has(name)
});

/** Elements the model runs, by their tag in the flow's XML. */
const ELEMENT_TAGS = [
  "actionCalls",
  "assignments",
  "decisions",
  "loops",
  "recordLookups",
  "recordCreates",
  "recordUpdates",
  "recordDeletes",
  "subflows",
  "customErrors"
];

/** Elements of other kinds: kept so that a flow using them stops with an error naming them. */
const UNSUPPORTED_ELEMENT_TAGS: Record<string, string> = {
  screens: "a Screen element",
  waits: "a Wait or Pause element",
  collectionProcessors: "a Collection Sort or Filter element",
  transforms: "a Transform element",
  recordRollbacks: "a Roll Back Records element",
  apexPluginCalls: "an Apex plug-in call",
  orchestratedStages: "an orchestration stage",
  steps: "a step element",
  experiments: "an experiment element",
  exitRules: "an exit rule"
};

/** Flow-level tags that only describe the flow, plus the ones read below. */
const KNOWN_TAGS = new Set([
  ...ELEMENT_TAGS,
  ...Object.keys(UNSUPPORTED_ELEMENT_TAGS),
  "apiVersion",
  "areMetricsLoggedToDataCloud",
  "description",
  "environments",
  "interviewLabel",
  "isTemplate",
  "isAdditionalPermissionRequiredToRun",
  "isOverridable",
  "label",
  "migratedFromWorkflowRuleName",
  "overriddenFlow",
  "processMetadataValues",
  "processType",
  "runInMode",
  "sourceTemplate",
  "start",
  "startElementReference",
  "status",
  "timeZoneSidKey",
  "triggerOrder",
  "variables",
  "constants",
  "formulas",
  "textTemplates",
  "ends",
  "customProperties",
  "fullName"
]);

const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value === "object") return "";
  return String(value);
};
const list = (value: unknown): Xml[] => (Array.isArray(value) ? (value as Xml[]) : []);
const flag = (value: unknown, fallback = false) => (value === undefined ? fallback : String(value) === "true");
const connector = (value: unknown): string | null => text((value as Xml | undefined)?.targetReference);

/** A FlowElementReferenceOrValue. */
export function readValue(xml: unknown): FlowValue {
  if (xml === undefined || xml === null || typeof xml !== "object") return { kind: "blank" };
  const value = xml as Xml;
  if (value.elementReference !== undefined) return { kind: "reference", path: text(value.elementReference) ?? "" };
  if (value.stringValue !== undefined) return { kind: "string", value: text(value.stringValue) ?? "" };
  if (value.numberValue !== undefined) return { kind: "number", value: text(value.numberValue) ?? "0" };
  if (value.booleanValue !== undefined) return { kind: "boolean", value: flag(value.booleanValue) };
  if (value.dateValue !== undefined) return { kind: "date", value: text(value.dateValue) ?? "" };
  if (value.dateTimeValue !== undefined) return { kind: "dateTime", value: text(value.dateTimeValue) ?? "" };
  if (value.timeValue !== undefined) return { kind: "time", value: text(value.timeValue) ?? "" };
  if (value.formulaExpression !== undefined)
    return {
      kind: "formula",
      expression: text(value.formulaExpression) ?? "",
      dataType: (text(value.formulaDataType) as FlowDataType | null) ?? null
    };
  const other = Object.keys(value).find((k) => k !== "processMetadataValues" && k !== "#text");
  if (other) return { kind: "unsupported", feature: `a value given as ${other}` };
  return { kind: "blank" };
}

const filters = (xml: unknown): FlowRecordFilter[] =>
  list(xml).map((f) => ({ field: text(f.field) ?? "", operator: text(f.operator) ?? "", value: readValue(f.value) }));

const conditions = (xml: unknown): FlowCondition[] =>
  list(xml).map((c) => ({
    left: text(c.leftValueReference) ?? "",
    operator: text(c.operator) ?? "",
    right: readValue(c.rightValue)
  }));

const fieldValues = (xml: unknown): FlowFieldValue[] =>
  list(xml).map((f) => ({ field: text(f.field) ?? "", value: readValue(f.value) }));

const parameters = (xml: unknown): FlowParameter[] =>
  list(xml).map((p) => ({ name: text(p.name) ?? "", value: readValue(p.value) }));

const outputParameters = (xml: unknown): FlowOutputParameter[] =>
  list(xml).map((p) => ({ name: text(p.name) ?? "", assignTo: text(p.assignToReference) ?? "" }));

/** Filter logic as written; a flow without filters or logic combines them with AND. */
const logic = (value: unknown): ConditionLogic => text(value) ?? "and";

function readElement(tag: string, xml: Xml): FlowElement {
  const base = {
    name: text(xml.name) ?? "",
    label: text(xml.label) ?? text(xml.name) ?? "",
    unsupported: [] as string[]
  };
  switch (tag) {
    case "assignments":
      return {
        ...base,
        kind: "assignment",
        items: list(xml.assignmentItems).map((item) => ({
          target: text(item.assignToReference) ?? "",
          operator: text(item.operator) ?? "Assign",
          value: readValue(item.value)
        })),
        next: connector(xml.connector)
      };
    case "decisions":
      return {
        ...base,
        kind: "decision",
        rules: list(xml.rules).map((rule) => ({
          name: text(rule.name) ?? "",
          label: text(rule.label) ?? text(rule.name) ?? "",
          logic: logic(rule.conditionLogic),
          conditions: conditions(rule.conditions),
          next: connector(rule.connector),
          requiresRecordChangedToMeetCriteria: flag(rule.doesRequireRecordChangedToMeetCriteria)
        })),
        defaultNext: connector(xml.defaultConnector),
        defaultLabel: text(xml.defaultConnectorLabel) ?? "Default Outcome"
      };
    case "loops":
      return {
        ...base,
        kind: "loop",
        collection: text(xml.collectionReference) ?? "",
        descending: text(xml.iterationOrder) === "Desc",
        assignTo: text(xml.assignNextValueToReference),
        nextValue: connector(xml.nextValueConnector),
        noMoreValues: connector(xml.noMoreValuesConnector)
      };
    case "recordLookups": {
      const element: FlowElement = {
        ...base,
        kind: "recordLookup",
        object: text(xml.object) ?? "",
        filters: filters(xml.filters),
        filterLogic: logic(xml.filterLogic),
        firstOnly: flag(xml.getFirstRecordOnly),
        sortField: text(xml.sortField),
        descending: text(xml.sortOrder) === "Desc",
        limit: xml.limit === undefined ? null : readValue(xml.limit),
        queriedFields: list(xml.queriedFields).map((f) => String(f)),
        storeAutomatically: flag(xml.storeOutputAutomatically),
        outputReference: text(xml.outputReference),
        outputAssignments: list(xml.outputAssignments).map((a) => ({
          field: text(a.field) ?? "",
          assignTo: text(a.assignToReference) ?? ""
        })),
        assignNullsIfNoneFound: flag(xml.assignNullValuesIfNoRecordsFound),
        next: connector(xml.connector),
        fault: connector(xml.faultConnector)
      };
      if (list(xml.relatedRecords).length > 0) element.unsupported.push("related records in Get Records");
      return element;
    }
    case "recordCreates": {
      const element: FlowElement = {
        ...base,
        kind: "recordCreate",
        object: text(xml.object),
        fields: fieldValues(xml.inputAssignments),
        inputReference: text(xml.inputReference),
        assignIdTo: text(xml.assignRecordIdToReference),
        storeAutomatically: flag(xml.storeOutputAutomatically),
        next: connector(xml.connector),
        fault: connector(xml.faultConnector)
      };
      if (flag(xml.doesUpsert)) element.unsupported.push("upsert in Create Records");
      return element;
    }
    case "recordUpdates":
      return {
        ...base,
        kind: "recordUpdate",
        object: text(xml.object),
        filters: filters(xml.filters),
        filterLogic: logic(xml.filterLogic),
        fields: fieldValues(xml.inputAssignments),
        inputReference: text(xml.inputReference),
        next: connector(xml.connector),
        fault: connector(xml.faultConnector)
      };
    case "recordDeletes":
      return {
        ...base,
        kind: "recordDelete",
        object: text(xml.object),
        filters: filters(xml.filters),
        filterLogic: logic(xml.filterLogic),
        inputReference: text(xml.inputReference),
        next: connector(xml.connector),
        fault: connector(xml.faultConnector)
      };
    case "actionCalls": {
      const element: FlowElement = {
        ...base,
        kind: "actionCall",
        actionType: text(xml.actionType) ?? "",
        actionName: text(xml.actionName) ?? "",
        inputs: parameters(xml.inputParameters),
        outputs: outputParameters(xml.outputParameters),
        storeAutomatically: flag(xml.storeOutputAutomatically),
        next: connector(xml.connector),
        fault: connector(xml.faultConnector)
      };
      const model = text(xml.flowTransactionModel);
      if (model && model !== "CurrentTransaction" && model !== "Automatic")
        element.unsupported.push(`the transaction setting ${model} of an action`);
      if (list(xml.actionCallPaths).length > 0 || xml.timeoutConnector !== undefined)
        element.unsupported.push("paths of an action that waits");
      return element;
    }
    case "subflows":
      return {
        ...base,
        kind: "subflow",
        flowName: text(xml.flowName) ?? "",
        inputs: parameters(xml.inputAssignments),
        outputs: outputParameters(xml.outputAssignments),
        storeAutomatically: flag(xml.storeOutputAutomatically),
        next: connector(xml.connector)
      };
    case "customErrors":
      return {
        ...base,
        kind: "customError",
        messages: list(xml.customErrorMessages).map((m) => ({
          message: text(m.errorMessage) ?? "",
          field: flag(m.isFieldError) ? text(m.fieldSelection) : null
        })),
        next: connector(xml.connector)
      };
  }
  return { ...base, kind: "unsupported", tag };
}

function readResources(flow: Xml, unsupported: string[]): Map<string, FlowResource> {
  const resources = new Map<string, FlowResource>();
  const add = (resource: FlowResource) => resources.set(nameKey(resource.name), resource);
  const scale = (value: unknown) => (value === undefined ? null : Number(value));
  for (const variable of list(flow.variables)) {
    add({
      kind: "variable",
      name: text(variable.name) ?? "",
      dataType: (text(variable.dataType) ?? "String") as FlowDataType,
      isCollection: flag(variable.isCollection),
      isInput: flag(variable.isInput),
      isOutput: flag(variable.isOutput),
      objectType: text(variable.objectType),
      apexClass: text(variable.apexClass),
      scale: scale(variable.scale),
      value: variable.value === undefined ? null : readValue(variable.value)
    });
  }
  for (const constant of list(flow.constants)) {
    add({
      kind: "constant",
      name: text(constant.name) ?? "",
      dataType: (text(constant.dataType) ?? "String") as FlowDataType,
      value: constant.value === undefined ? null : readValue(constant.value)
    });
  }
  for (const formula of list(flow.formulas)) {
    add({
      kind: "formula",
      name: text(formula.name) ?? "",
      dataType: (text(formula.dataType) ?? "String") as FlowDataType,
      expression: text(formula.expression) ?? "",
      scale: scale(formula.scale)
    });
  }
  for (const template of list(flow.textTemplates))
    add({ kind: "textTemplate", name: text(template.name) ?? "", text: text(template.text) ?? "" });
  for (const tag of ["choices", "dynamicChoiceSets", "stages"])
    for (const item of list(flow[tag])) unsupported.push(`the ${tag} resource ${text(item.name)}`);
  return resources;
}

const OFFSET_UNITS = new Set(["Minutes", "Hours", "Days", "Months"]);

function readScheduledPath(path: Xml, index: number): FlowScheduledPath {
  const name = text(path.name) ?? `path${index + 1}`;
  const base = {
    name,
    label: text(path.label) ?? (text(path.pathType) === "AsyncAfterCommit" ? "Run Asynchronously" : name),
    maxBatchSize: path.maxBatchSize === undefined ? 200 : Number(path.maxBatchSize),
    next: connector(path.connector)
  };
  if (text(path.pathType) === "AsyncAfterCommit") return { ...base, timing: { kind: "asyncAfterCommit" } };
  const unit = text(path.offsetUnit) ?? "Days";
  const timeSource = text(path.timeSource) ?? "RecordTriggerEvent";
  return {
    ...base,
    timing: {
      kind: "offset",
      offsetNumber: Number(path.offsetNumber ?? 0),
      offsetUnit: (OFFSET_UNITS.has(unit) ? unit : "Days") as "Minutes" | "Hours" | "Days" | "Months",
      recordField: timeSource === "RecordField" ? text(path.recordField) : null
    }
  };
}

function readStart(flow: Xml, processType: string): FlowStart {
  const start = (flow.start ?? {}) as Xml;
  const triggerType = text(start.triggerType);
  const next = connector(start.connector) ?? text(flow.startElementReference);
  if (!triggerType || triggerType === "None") {
    if (processType !== "AutoLaunchedFlow")
      return { kind: "unsupported", feature: `flows of type ${processType} (only autolaunched flows run)` };
    return { kind: "autolaunched", next };
  }
  const when =
    triggerType === "RecordBeforeSave"
      ? "beforeSave"
      : triggerType === "RecordAfterSave"
        ? "afterSave"
        : triggerType === "RecordBeforeDelete"
          ? "beforeDelete"
          : null;
  if (!when) return { kind: "unsupported", feature: `flows triggered by ${triggerType}` };
  const recordTriggerType = (text(start.recordTriggerType) ?? (when === "beforeDelete" ? "Delete" : "Update")) as
    "Create" | "Update" | "CreateAndUpdate" | "Delete";
  return {
    kind: "recordTriggered",
    object: text(start.object) ?? "",
    when,
    recordTriggerType,
    filters: filters(start.filters),
    filterLogic: logic(start.filterLogic),
    filterFormula: text(start.filterFormula),
    requiresRecordChangedToMeetCriteria: flag(start.doesRequireRecordChangedToMeetCriteria),
    next,
    scheduledPaths: list(start.scheduledPaths).map(readScheduledPath)
  };
}

/** Parses one flow file's text. */
export function parseFlow(source: string, file: string): FlowDefinition {
  const apiName = file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.flow-meta\.xml$/, "");
  const document = parser.parse(source) as Xml;
  const flow = document.Flow as Xml | undefined;
  if (!flow) throw new Error(`${file}: not a flow (no <Flow> element)`);
  const unsupported: string[] = [];
  const processType = text(flow.processType) ?? "Flow";
  const elements = new Map<string, FlowElement>();
  for (const tag of [...ELEMENT_TAGS, ...Object.keys(UNSUPPORTED_ELEMENT_TAGS)]) {
    for (const xml of list(flow[tag])) {
      const element = readElement(tag, xml);
      if (element.kind === "unsupported") element.unsupported.push(UNSUPPORTED_ELEMENT_TAGS[tag]);
      elements.set(nameKey(element.name), element);
    }
  }
  for (const tag of Object.keys(flow))
    if (!KNOWN_TAGS.has(tag) && tag !== "#text") unsupported.push(`the flow setting <${tag}>`);
  return {
    apiName,
    label: text(flow.label) ?? apiName,
    file,
    processType,
    status: text(flow.status) ?? "Draft",
    isTemplate: flag(flow.isTemplate),
    apiVersion: text(flow.apiVersion) ?? "",
    triggerOrder: flow.triggerOrder === undefined ? null : Number(flow.triggerOrder),
    start: readStart(flow, processType),
    elements,
    resources: readResources(flow, unsupported),
    unsupported
  };
}

export function loadFlowFile(file: string): FlowDefinition {
  return parseFlow(readFileSync(file, "utf8"), file);
}
