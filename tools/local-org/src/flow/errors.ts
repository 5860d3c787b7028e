// Errors of flows, raised by free functions. A configuration error (an unsupported feature, a
// connector to a missing element) stops the run; a fault fails one interview at one element
// and is what fault connectors catch.

/** The flow uses a feature local-org does not run, or is not a valid flow: nothing runs. */
export class FlowConfigurationError extends Error {}

/** A fault of one interview at one element, carrying the text of $Flow.FaultMessage. */
export class FlowFault extends Error {}

const place = (flow: string, element: string | null) => `Flow ${flow}${element ? `, element ${element}` : ""}`;

export function unsupportedFlowFeature(flow: string, element: string | null, feature: string): never {
  throw new FlowConfigurationError(`${place(flow, element)}: ${feature} is not supported by local-org`);
}

export function invalidFlow(flow: string, element: string | null, problem: string): never {
  throw new FlowConfigurationError(`${place(flow, element)}: ${problem}`);
}

export function flowFault(message: string): never {
  throw new FlowFault(message);
}
