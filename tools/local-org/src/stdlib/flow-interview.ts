// Flow.Interview: Apex starts autolaunched flows with Flow.Interview.createInterview(name,
// inputs) or new Flow.Interview.<Name>(inputs), runs them with start() in the current
// transaction, and reads output variables with getVariableValue(name). The flows themselves run
// in the flow engine, reached through the starter given here.
import { throwApex } from "../runtime/errors.js";
import { mapEntries, str } from "../runtime/operators.js";
import { ApexMap, NativeObject, type Value } from "../runtime/values.js";
import type { Stdlib } from "./registry.js";

export interface FlowStarter {
  /** API names of the flows Apex can start (active autolaunched flows). */
  names(): string[];
  /** Runs the flow; outputs are its output variables by lower-case name. Null when it failed
   * with an unhandled fault (its changes are rolled back). */
  start(apiName: string, inputs: Map<string, Value>): Map<string, Value> | null;
}

interface InterviewData extends Record<string, unknown> {
  flow: string;
  inputs: Map<string, Value>;
  outputs: Map<string, Value> | null;
}

export function installFlowInterview(lib: Stdlib, starter: FlowStarter): void {
  const runtime = lib.runtime;
  const names = starter.names();
  const create = (flow: string, typeName: string, inputs: Value): NativeObject => {
    const values = new Map<string, Value>();
    if (inputs instanceof ApexMap) for (const [key, value] of mapEntries(inputs)) values.set(str(runtime, key), value);
    const data: InterviewData = { flow, inputs: values, outputs: null };
    return new NativeObject(typeName, data);
  };
  lib.namespaces.add("flow");
  lib.nativeType("Flow.Interview");
  lib.static_("Interview", {
    createInterview: (args) => {
      const name = args[0] === null ? "" : str(runtime, args[0]);
      const flow = names.find((n) => n.toLowerCase() === name.toLowerCase());
      if (!flow) throwApex(runtime, "FlowException", `No active autolaunched flow named ${name}`);
      return create(flow, "Interview", args[1] ?? null);
    }
  });
  const methods = {
    start: (self: NativeObject) => {
      const data = self.data as InterviewData;
      const outputs = starter.start(data.flow, data.inputs);
      if (outputs === null) throwApex(runtime, "FlowException", "An unhandled fault has occurred in this flow");
      data.outputs = outputs;
      return null;
    },
    getVariableValue: (self: NativeObject, args: Value[]) => {
      const data = self.data as InterviewData;
      const name = args[0] === null ? "" : str(runtime, args[0]).toLowerCase();
      return data.outputs?.get(name) ?? null;
    }
  };
  lib.instance<NativeObject>("interview", methods);
  for (const name of names) {
    lib.nativeType(`Flow.Interview.${name}`, (args) => create(name, name, args[0] ?? null));
    lib.instance<NativeObject>(name.toLowerCase(), methods);
  }
}
