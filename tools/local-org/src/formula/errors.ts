// Errors of formulas: a formula that cannot be read, and one that cannot be evaluated
// (division by zero, a wrong argument type, ...). Raised by free functions so callers can
// add where the formula lives (field, flow resource) to the message.

/** The formula's text is not valid formula syntax. */
export class FormulaSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number
  ) {
    super(message);
  }
}

/** The formula is valid but fails when evaluated, as `#Error!` does on the platform. */
export class FormulaEvaluationError extends Error {}

/** A function or feature the platform has but this evaluator does not. */
export class FormulaUnsupportedError extends Error {}

export function syntaxError(message: string, position: number): never {
  throw new FormulaSyntaxError(message, position);
}

export function evaluationError(message: string): never {
  throw new FormulaEvaluationError(message);
}

export function unsupportedFormulaFeature(feature: string): never {
  throw new FormulaUnsupportedError(`${feature} is not supported by local-org`);
}
