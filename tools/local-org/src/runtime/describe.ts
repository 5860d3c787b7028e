// The shape of object and field metadata that records carry at run time. The data layer
// builds these from standard-object definitions and the project's objects/ folders.

export type FieldType =
  | "id"
  | "string"
  | "textarea"
  | "picklist"
  | "multipicklist"
  | "boolean"
  | "int"
  | "double"
  | "currency"
  | "percent"
  | "date"
  | "datetime"
  | "reference"
  | "url"
  | "email"
  | "phone";

export interface FieldDescribe {
  name: string;
  type: FieldType;
  label: string;
  /** Must be given on insert (not nillable, no default, not system-set). */
  required: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  /** A custom lookup's child relationship name on its parent (without `__r`). */
  childRelationshipName?: string;
  picklistValues: string[];
  restrictedPicklist: boolean;
  unique: boolean;
  externalId: boolean;
  length: number | null;
  scale: number | null;
  defaultValue: string | boolean | null;
  /** Set by the system (Id, CreatedDate, ...); cannot be written. */
  systemField: boolean;
  custom: boolean;
  /** Unique text compared case-sensitively (caseSensitive in field metadata). */
  caseSensitive: boolean;
  /** The formula of a formula field, evaluated when the field is read; null for stored fields. */
  formula: string | null;
  /** A formula field's blank number fields read as zero (formulaTreatBlanksAs BlankAsZero, the default). */
  formulaBlankAsZero: boolean;
}

export interface ChildRelationship {
  childObject: string;
  field: string;
  name: string;
}

export interface SObjectDescribe {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  /** "Hierarchy" or "List" for custom settings. */
  customSettingType: "Hierarchy" | "List" | null;
  customMetadata: boolean;
  fields: Map<string, FieldDescribe>;
  /** Child relationship name (lower case) -> child object and lookup field. */
  childRelationships: Map<string, ChildRelationship>;
  /** Kept by the platform (CronTrigger): queries only, DML on it is refused. */
  readOnly?: boolean;
  /** A platform event (`__e`): published with EventBus.publish, never queried or saved with DML.
   * publishImmediately is its Publish Immediately behaviour (else Publish After Commit). */
  platformEvent?: { publishImmediately: boolean };
}

/** A field description with the defaults of its type; `overrides` sets anything else. */
export function fieldDescribe(name: string, type: FieldType, overrides: Partial<FieldDescribe> = {}): FieldDescribe {
  return {
    name,
    type,
    label: name,
    required: false,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
    restrictedPicklist: false,
    unique: false,
    externalId: false,
    length: type === "string" ? 255 : null,
    scale: null,
    defaultValue: type === "boolean" ? false : null,
    systemField: false,
    custom: name.endsWith("__c"),
    caseSensitive: false,
    formula: null,
    formulaBlankAsZero: true,
    ...overrides
  };
}

/** The lookup field whose relationship name (`Account`, `Owner`, `Parent__r`) is given, ignoring case. */
export function relationshipField(obj: SObjectDescribe, relationshipName: string): FieldDescribe | undefined {
  const wanted = relationshipName.toLowerCase();
  for (const field of obj.fields.values())
    if (field.relationshipName && field.relationshipName.toLowerCase() === wanted) return field;
  return undefined;
}
