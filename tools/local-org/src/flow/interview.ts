// A flow interview: one running instance of a flow, with its resource values, element outputs,
// loop positions, the element it is at, and how it ended. Interviews of one batch share a
// context: the host, the engine's flows, and the parent records they have loaded.
import type { SObjectValue, Value } from "../runtime/values.js";
import type { FlowHost } from "./host.js";
import { nameKey, type FlowDefinition } from "./model.js";

/** Where an interview runs: its path and what that allows. */
export interface InterviewPath {
  /** "synchronous" (the start connector), or the scheduled path's name. */
  name: string;
  /** Before-save interviews change $Record without DML and run a restricted set of elements. */
  beforeSave: boolean;
  /** Asynchronous and scheduled paths: IsChanged is not available there. */
  asynchronous: boolean;
  /** True when the triggering record was being created (no $Record__Prior). */
  isNew: boolean;
}

export interface FlowEvent {
  flow: string;
  interview: number;
  path: string;
  element: string;
  kind: string;
  detail: string;
}

/** What an engine gives the interviews it runs. */
export interface InterviewEnvironment {
  host: FlowHost;
  findFlow(apiName: string): FlowDefinition | null;
  record(event: FlowEvent): void;
}

let nextInterviewNumber = 1;

export class InterviewBatch {
  /** Parent records loaded for references such as $Record.Account.Name, by object and id. */
  readonly parents = new Map<string, Map<string, SObjectValue | null>>();
  readonly interviews: FlowInterview[] = [];
  constructor(readonly environment: InterviewEnvironment) {}
}

export class FlowInterview {
  readonly number = nextInterviewNumber++;
  readonly startedAt: number;
  /** Variable values by lower-case name. */
  readonly values = new Map<string, Value>();
  /** Outputs of elements by lower-case element name: records found, ids created, loop items,
   * decision outcomes taken. */
  readonly outputs = new Map<string, Value>();
  /** Outputs stored automatically by actions and subflows, by element and output name. */
  readonly elementOutputs = new Map<string, Map<string, Value>>();
  readonly loops = new Map<string, { items: Value[]; index: number }>();
  /** $Record and $Record__Prior of a record-triggered interview. */
  record: SObjectValue | null = null;
  prior: SObjectValue | null = null;
  faultMessage: string | null = null;
  /** The element the interview is at, by lower-case name; null when it has reached the end. */
  current: string | null;
  state: "ready" | "parked" | "finished" | "failed" = "ready";
  failure: { element: string; message: string } | null = null;
  /** Errors a Custom Error element put on the triggering record. */
  readonly recordErrors: { message: string; field: string | null }[] = [];
  steps = 0;

  constructor(
    readonly flow: FlowDefinition,
    readonly batch: InterviewBatch,
    public path: InterviewPath,
    start: string | null
  ) {
    this.current = start === null ? null : nameKey(start);
    this.startedAt = batch.environment.host.now();
    batch.interviews.push(this);
  }

  get host(): FlowHost {
    return this.batch.environment.host;
  }

  get guid(): string {
    return `local-${this.flow.apiName}-${this.number}`;
  }

  log(element: string, kind: string, detail: string) {
    this.batch.environment.record({
      flow: this.flow.apiName,
      interview: this.number,
      path: this.path.name,
      element,
      kind,
      detail
    });
  }
}
