// The typed model of a flow's metadata (Flow in the Metadata API), as the loader reads it from
// `*.flow-meta.xml`. Names are kept as written; lookups ignore case. Elements, values and starts
// are tagged unions on `kind`.

export type FlowDataType =
  | "String"
  | "Number"
  | "Currency"
  | "Boolean"
  | "Date"
  | "DateTime"
  | "Time"
  | "Picklist"
  | "Multipicklist"
  | "SObject"
  | "Apex";

/** A FlowElementReferenceOrValue: a reference to a resource, a literal, or nothing (blank). */
export type FlowValue =
  | { kind: "reference"; path: string }
  | { kind: "string"; value: string }
  | { kind: "number"; value: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "date"; value: string }
  | { kind: "dateTime"; value: string }
  | { kind: "time"; value: string }
  | { kind: "formula"; expression: string; dataType: FlowDataType | null }
  | { kind: "blank" }
  | { kind: "unsupported"; feature: string };

export interface FlowCondition {
  left: string;
  operator: string;
  right: FlowValue;
}

/** `and`, `or`, or custom logic such as `1 AND (2 OR 3)`. */
export type ConditionLogic = string;

export interface FlowRecordFilter {
  field: string;
  operator: string;
  value: FlowValue;
}

export interface FlowFieldValue {
  field: string;
  value: FlowValue;
}

export interface FlowParameter {
  name: string;
  value: FlowValue;
}

export interface FlowOutputParameter {
  name: string;
  assignTo: string;
}

interface ElementBase {
  name: string;
  label: string;
  /** Features of this element outside the subset local-org runs. */
  unsupported: string[];
}

export interface FlowAssignment extends ElementBase {
  kind: "assignment";
  items: { target: string; operator: string; value: FlowValue }[];
  next: string | null;
}

export interface FlowDecisionRule {
  name: string;
  label: string;
  logic: ConditionLogic;
  conditions: FlowCondition[];
  next: string | null;
  requiresRecordChangedToMeetCriteria: boolean;
}

export interface FlowDecision extends ElementBase {
  kind: "decision";
  rules: FlowDecisionRule[];
  defaultNext: string | null;
  defaultLabel: string;
}

export interface FlowLoop extends ElementBase {
  kind: "loop";
  collection: string;
  descending: boolean;
  assignTo: string | null;
  nextValue: string | null;
  noMoreValues: string | null;
}

export interface FlowRecordLookup extends ElementBase {
  kind: "recordLookup";
  object: string;
  filters: FlowRecordFilter[];
  filterLogic: ConditionLogic;
  firstOnly: boolean;
  sortField: string | null;
  descending: boolean;
  limit: FlowValue | null;
  queriedFields: string[];
  storeAutomatically: boolean;
  outputReference: string | null;
  outputAssignments: { field: string; assignTo: string }[];
  assignNullsIfNoneFound: boolean;
  next: string | null;
  fault: string | null;
}

export interface FlowRecordCreate extends ElementBase {
  kind: "recordCreate";
  object: string | null;
  fields: FlowFieldValue[];
  inputReference: string | null;
  assignIdTo: string | null;
  storeAutomatically: boolean;
  next: string | null;
  fault: string | null;
}

export interface FlowRecordUpdate extends ElementBase {
  kind: "recordUpdate";
  object: string | null;
  filters: FlowRecordFilter[];
  filterLogic: ConditionLogic;
  fields: FlowFieldValue[];
  inputReference: string | null;
  next: string | null;
  fault: string | null;
}

export interface FlowRecordDelete extends ElementBase {
  kind: "recordDelete";
  object: string | null;
  filters: FlowRecordFilter[];
  filterLogic: ConditionLogic;
  inputReference: string | null;
  next: string | null;
  fault: string | null;
}

export interface FlowActionCall extends ElementBase {
  kind: "actionCall";
  actionType: string;
  actionName: string;
  inputs: FlowParameter[];
  outputs: FlowOutputParameter[];
  storeAutomatically: boolean;
  next: string | null;
  fault: string | null;
}

export interface FlowSubflow extends ElementBase {
  kind: "subflow";
  flowName: string;
  inputs: FlowParameter[];
  outputs: FlowOutputParameter[];
  storeAutomatically: boolean;
  next: string | null;
}

export interface FlowCustomError extends ElementBase {
  kind: "customError";
  messages: { message: string; field: string | null }[];
  next: string | null;
}

/** An element of a kind local-org does not run (screens, waits, collection processors, ...). */
export interface FlowUnsupportedElement extends ElementBase {
  kind: "unsupported";
  tag: string;
}

export type FlowElement =
  | FlowAssignment
  | FlowDecision
  | FlowLoop
  | FlowRecordLookup
  | FlowRecordCreate
  | FlowRecordUpdate
  | FlowRecordDelete
  | FlowActionCall
  | FlowSubflow
  | FlowCustomError
  | FlowUnsupportedElement;

export interface FlowVariable {
  kind: "variable";
  name: string;
  dataType: FlowDataType;
  isCollection: boolean;
  isInput: boolean;
  isOutput: boolean;
  objectType: string | null;
  apexClass: string | null;
  scale: number | null;
  value: FlowValue | null;
}

export interface FlowConstant {
  kind: "constant";
  name: string;
  dataType: FlowDataType;
  value: FlowValue | null;
}

export interface FlowFormula {
  kind: "formula";
  name: string;
  dataType: FlowDataType;
  expression: string;
  scale: number | null;
}

export interface FlowTextTemplate {
  kind: "textTemplate";
  name: string;
  text: string;
}

export type FlowResource = FlowVariable | FlowConstant | FlowFormula | FlowTextTemplate;

export interface FlowScheduledPath {
  name: string;
  label: string;
  /** Run Asynchronously (after commit), or a scheduled time after an event or a date field. */
  timing:
    | { kind: "asyncAfterCommit" }
    | {
        kind: "offset";
        offsetNumber: number;
        offsetUnit: "Minutes" | "Hours" | "Days" | "Months";
        /** Null: from the time the record was saved; otherwise a date or date/time field. */
        recordField: string | null;
      };
  maxBatchSize: number;
  next: string | null;
}

export type FlowStart =
  | { kind: "autolaunched"; next: string | null }
  | {
      kind: "recordTriggered";
      object: string;
      /** RecordBeforeSave, RecordAfterSave or RecordBeforeDelete. */
      when: "beforeSave" | "afterSave" | "beforeDelete";
      recordTriggerType: "Create" | "Update" | "CreateAndUpdate" | "Delete";
      filters: FlowRecordFilter[];
      filterLogic: ConditionLogic;
      filterFormula: string | null;
      requiresRecordChangedToMeetCriteria: boolean;
      next: string | null;
      scheduledPaths: FlowScheduledPath[];
    }
  | { kind: "unsupported"; feature: string };

export interface FlowDefinition {
  apiName: string;
  label: string;
  file: string;
  processType: string;
  status: string;
  isTemplate: boolean;
  apiVersion: string;
  triggerOrder: number | null;
  start: FlowStart;
  elements: Map<string, FlowElement>;
  resources: Map<string, FlowResource>;
  /** Flow-level features outside the supported subset (resources or settings). */
  unsupported: string[];
}

/** Case-insensitive lookup key for element and resource names. */
export const nameKey = (name: string) => name.toLowerCase();
