/**
 * How source-format files map to Metadata API components: the `-meta.xml`
 * suffix gives the type, the file and folder names give the component name.
 */
export interface MetadataKind {
  /** Type name in package.xml and the XML root element. */
  type: string;
  /** Lives in `objects/<Object>/<folder>/`; its full name is `<Object>.<name>`. */
  childOfObject?: boolean;
  /** Extension of the content file that sits next to the `-meta.xml` (e.g. `cls`). */
  content?: string;
}

const KINDS: Record<string, MetadataKind> = {
  object: { type: "CustomObject" },
  field: { type: "CustomField", childOfObject: true },
  validationRule: { type: "ValidationRule", childOfObject: true },
  listView: { type: "ListView", childOfObject: true },
  recordType: { type: "RecordType", childOfObject: true },
  fieldSet: { type: "FieldSet", childOfObject: true },
  compactLayout: { type: "CompactLayout", childOfObject: true },
  webLink: { type: "WebLink", childOfObject: true },
  businessProcess: { type: "BusinessProcess", childOfObject: true },
  sharingReason: { type: "SharingReason", childOfObject: true },
  index: { type: "Index", childOfObject: true },
  cls: { type: "ApexClass", content: "cls" },
  trigger: { type: "ApexTrigger", content: "trigger" },
  page: { type: "ApexPage", content: "page" },
  component: { type: "ApexComponent", content: "component" },
  resource: { type: "StaticResource" },
  app: { type: "CustomApplication" },
  tab: { type: "CustomTab" },
  flow: { type: "Flow" },
  flowDefinition: { type: "FlowDefinition" },
  flexipage: { type: "FlexiPage" },
  layout: { type: "Layout" },
  permissionset: { type: "PermissionSet" },
  permissionsetgroup: { type: "PermissionSetGroup" },
  profile: { type: "Profile" },
  customPermission: { type: "CustomPermission" },
  namedCredential: { type: "NamedCredential" },
  externalCredential: { type: "ExternalCredential" },
  remoteSite: { type: "RemoteSiteSetting" },
  cspTrustedSite: { type: "CspTrustedSite" },
  md: { type: "CustomMetadata" },
  globalValueSet: { type: "GlobalValueSet" },
  standardValueSet: { type: "StandardValueSet" },
  quickAction: { type: "QuickAction" },
  messageChannel: { type: "LightningMessageChannel" },
  notiftype: { type: "CustomNotificationType" },
  connectedApp: { type: "ConnectedApp" },
  externalServiceRegistration: { type: "ExternalServiceRegistration" },
  pathAssistant: { type: "PathAssistant" },
  duplicateRule: { type: "DuplicateRule" },
  authprovider: { type: "AuthProvider" }
};

/** Every TypeScript type the table relies on, so a test can prove `@salesforce/types` has them all. */
export const KNOWN_TYPES: readonly string[] = [
  ...new Set([...Object.values(KINDS).map((k) => k.type), "LightningComponentBundle", "AuraDefinitionBundle"])
];

const AURA_DEFINITIONS = ["cmp", "app", "evt", "intf", "tokens"];

export type SourceFileRole =
  /** A `-meta.xml` to validate against `xmlType`. */
  | {
      kind: "definition";
      type: string;
      fullName: string;
      xmlType: string;
      content?: string;
    }
  /** Part of a component defined elsewhere (content file, bundle member). */
  | { kind: "member"; type: string; fullName: string; problem?: string }
  | { kind: "unknown"; reason: string };

/**
 * Classifies one file of a package directory.
 * @param path forward-slash path relative to the package directory
 * @param exists tells whether a sibling path (same convention) exists
 */
export function classify(path: string, exists: (path: string) => boolean): SourceFileRole {
  const parts = path.split("/");
  const fileName = parts[parts.length - 1];

  const bundleAt = parts.findIndex((p, i) => (p === "lwc" || p === "aura") && i + 2 < parts.length);
  if (bundleAt !== -1) {
    const bundle = parts[bundleAt + 1];
    const lwc = parts[bundleAt] === "lwc";
    const type = lwc ? "LightningComponentBundle" : "AuraDefinitionBundle";
    const isDefinition =
      parts.length === bundleAt + 3 &&
      (lwc
        ? fileName === `${bundle}.js-meta.xml`
        : AURA_DEFINITIONS.some((e) => fileName === `${bundle}.${e}-meta.xml`));
    return isDefinition
      ? { kind: "definition", type, fullName: bundle, xmlType: type }
      : { kind: "member", type, fullName: bundle };
  }

  const staticAt = parts.indexOf("staticresources");
  if (staticAt !== -1 && staticAt + 1 < parts.length && !fileName.endsWith(".resource-meta.xml")) {
    const name = parts[staticAt + 1].split(".")[0];
    return exists([...parts.slice(0, staticAt + 1), `${name}.resource-meta.xml`].join("/"))
      ? { kind: "member", type: "StaticResource", fullName: name }
      : {
          kind: "unknown",
          reason: `static resource has no ${name}.resource-meta.xml`
        };
  }

  if (!fileName.endsWith("-meta.xml")) {
    if (exists(`${path}-meta.xml`)) {
      const suffix = fileName.slice(fileName.lastIndexOf(".") + 1);
      const kind = KINDS[suffix];
      if (kind)
        return {
          kind: "member",
          type: kind.type,
          fullName: fileName.slice(0, fileName.lastIndexOf("."))
        };
    }
    const dot = fileName.lastIndexOf(".");
    const kind = dot === -1 ? undefined : KINDS[fileName.slice(dot + 1)];
    // Still a component the package should ship, so the convert output is checked for it too.
    return kind?.content
      ? {
          kind: "member",
          type: kind.type,
          fullName: fileName.slice(0, dot),
          problem: `has no ${fileName}-meta.xml, so sf project convert source leaves it out of the package`
        }
      : { kind: "unknown", reason: "belongs to no metadata component" };
  }

  const base = fileName.slice(0, -"-meta.xml".length);
  const dot = base.lastIndexOf(".");
  const suffix = dot === -1 ? "" : base.slice(dot + 1);
  const name = dot === -1 ? base : base.slice(0, dot);
  if (suffix === "settings") {
    return {
      kind: "definition",
      type: "Settings",
      fullName: name,
      xmlType: `${name}Settings`
    };
  }
  const kind = KINDS[suffix];
  if (!kind)
    return {
      kind: "unknown",
      reason: `unknown metadata suffix .${suffix}-meta.xml`
    };
  if (kind.childOfObject) {
    const object = parts.length >= 3 ? parts[parts.length - 3] : "";
    return {
      kind: "definition",
      type: kind.type,
      fullName: `${object}.${name}`,
      xmlType: kind.type
    };
  }
  return kind.content
    ? {
        kind: "definition",
        type: kind.type,
        fullName: name,
        xmlType: kind.type,
        content: `${name}.${kind.content}`
      }
    : {
        kind: "definition",
        type: kind.type,
        fullName: name,
        xmlType: kind.type
      };
}

/** Name the XML's own `<fullName>` must carry, if it has one: the last part of the component name. */
export function ownName(fullName: string, type: string): string {
  return type === "CustomMetadata" ? fullName : fullName.slice(fullName.lastIndexOf(".") + 1);
}
