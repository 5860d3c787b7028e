/**
 * What a person needs to read a flow run: the flow's label, how it starts, and the label and kind of each
 * element by API name (the local org's flow events name elements by API name). Read from the flow's XML.
 */
import fs from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";

export interface FlowElementOutline {
  label: string;
  /** The metadata list the element is in: actionCalls, assignments, decisions, loops, recordLookups, ... */
  kind: string;
}

export interface FlowOutline {
  apiName: string;
  label: string;
  /** The file the flow was read from (for a user's flow, the file they gave). */
  file: string;
  status: string;
  start: {
    object: string | null;
    triggerType: string | null;
    recordTriggerType: string | null;
    /** The entry conditions as Flow Builder shows them: a formula, or filters joined by their logic. */
    conditions: string;
    /** Labels of the scheduled paths (Run Asynchronously, or a time offset). */
    scheduledPaths: string[];
  };
  elements: Map<string, FlowElementOutline>;
}

/** A flow file that cannot be read as a flow a save of an Opportunity starts. */
export class FlowFileError extends Error {}

const ELEMENT_LISTS = [
  "actionCalls",
  "assignments",
  "collectionProcessors",
  "customErrors",
  "decisions",
  "loops",
  "recordCreates",
  "recordDeletes",
  "recordLookups",
  "recordRollbacks",
  "recordUpdates",
  "screens",
  "subflows",
  "transforms",
  "waits"
];

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ELEMENT_LISTS.includes(name) || name === "filters" || name === "scheduledPaths"
});

type XmlNode = Record<string, unknown>;

const text = (node: unknown, key: string): string | null => {
  const value = (node as XmlNode | undefined)?.[key];
  return value === undefined || value === null || typeof value === "object" ? null : String(value);
};

/**
 * Reads a flow file. shownAs names the file in errors (the user's own path when the file read is a copy).
 * Throws FlowFileError, with what to do, for a file that is not a record-triggered flow on Opportunity.
 */
export function readFlowOutline(
  file: string,
  shownAs: string = file,
  options: { subflow?: boolean } = {}
): FlowOutline {
  let xml: string;
  try {
    xml = fs.readFileSync(file, "utf8");
  } catch {
    throw new FlowFileError(`cannot read ${shownAs}`);
  }
  let flow: XmlNode | undefined;
  try {
    flow = (parser.parse(xml) as { Flow?: XmlNode }).Flow;
  } catch (error) {
    throw new FlowFileError(`${shownAs} is not well-formed XML (${(error as Error).message.split("\n")[0]})`);
  }
  if (!flow || typeof flow !== "object") {
    throw new FlowFileError(`${shownAs} is not a flow: its root element must be <Flow> (a .flow-meta.xml file)`);
  }
  const start = flow.start as XmlNode | undefined;
  const object = text(start, "object");
  const triggerType = text(start, "triggerType");
  // A subflow (an autolaunched flow the template calls) has a start without trigger.
  const subflow = options.subflow === true && start !== undefined && !triggerType;
  if (!subflow && (!start || !triggerType?.startsWith("Record") || object !== "Opportunity")) {
    throw new FlowFileError(
      `${shownAs} is not a record-triggered flow on Opportunity (${triggerType ? `trigger ${triggerType}` : "no record trigger"}${object ? ` on ${object}` : ""}): give a flow that a save of an opportunity starts, such as a copy of the subscription template`
    );
  }
  const startNode = start as XmlNode;
  const elements = new Map<string, FlowElementOutline>();
  for (const kind of ELEMENT_LISTS) {
    for (const element of (flow[kind] as XmlNode[] | undefined) ?? []) {
      const name = text(element, "name");
      if (name) elements.set(name, { label: text(element, "label") ?? name, kind });
    }
  }
  return {
    apiName: path.basename(file).replace(/\.flow-meta\.xml$|\.flow$/, ""),
    label: text(flow, "label") ?? path.basename(file),
    file: shownAs,
    status: text(flow, "status") ?? "Draft",
    start: {
      object,
      triggerType,
      recordTriggerType: text(start, "recordTriggerType"),
      conditions: describeConditions(startNode),
      scheduledPaths: ((startNode.scheduledPaths as XmlNode[] | undefined) ?? []).map((scheduled) =>
        text(scheduled, "pathType") === "AsyncAfterCommit"
          ? "Run Asynchronously"
          : (text(scheduled, "label") ?? text(scheduled, "name") ?? "a scheduled path")
      )
    },
    elements
  };
}

function describeConditions(start: XmlNode): string {
  const formula = text(start, "filterFormula");
  if (formula) return `formula ${formula.replace(/\s+/g, " ")}`;
  const filters = (start.filters as XmlNode[] | undefined) ?? [];
  if (filters.length === 0) return "none";
  const described = filters.map((filter, i) => {
    const value = filter.value as XmlNode | undefined;
    const shown = value ? Object.values(value).map(String)[0] : "";
    return `${i + 1}. ${text(filter, "field")} ${text(filter, "operator")} ${shown}`.trim();
  });
  const logic = text(start, "filterLogic") ?? "and";
  const changed = text(start, "doesRequireRecordChangedToMeetCriteria") === "true";
  return `${described.join("; ")} (${logic})${changed ? ", only when a record is updated to meet them" : ""}`;
}
