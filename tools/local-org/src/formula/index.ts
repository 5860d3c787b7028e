// The formula language: parse once, evaluate many times against a context.
export { parseFormula, parseFormulaCached, formulaFunctions, formulaReferences } from "./parser.js";
export { FUNCTIONS as FORMULA_FUNCTIONS } from "./functions/index.js";
export { evaluateFormula } from "./evaluator.js";
export type { FormulaContext } from "./evaluation.js";
export { FormulaEvaluationError, FormulaSyntaxError, FormulaUnsupportedError } from "./errors.js";
export { formulaText, isBlank, numberText, typeOf, type FormulaType, type FormulaValue } from "./values.js";
export { addMonths } from "./functions/dates.js";
