// What a formula is evaluated in (its context) and what built-in functions see of the
// evaluation running them. The evaluator implements FormulaEvaluation; the functions depend
// only on this file, so the evaluator and its function table do not import each other.
import type { Value } from "../runtime/values.js";
import type { FormulaNode } from "./syntax.js";
import type { FormulaType, FormulaValue } from "./values.js";

export interface FormulaContext {
  /** The value of a reference: a field, a flow resource or merge field, a global such as $User.Id. */
  resolve(reference: string): Value;
  /** Epoch milliseconds of the current time, for NOW() and TODAY(). */
  now(): number;
  /** The record being saved, for ISNEW(), ISCHANGED() and PRIORVALUE(). */
  record?: { isNew(): boolean; priorValue(reference: string): Value };
}

/** One evaluation of one formula, as built-in functions use it. */
export interface FormulaEvaluation {
  readonly context: FormulaContext;
  evaluate(node: FormulaNode): FormulaValue;
  /** `=` and `<>`: blank equals blank, blank text equals "", text is compared case-sensitively. */
  equals(left: FormulaValue, right: FormulaValue): boolean;
  /** A condition: blank counts as false. `where` names the function or operator for errors. */
  asCheckbox(value: FormulaValue, where: string): boolean;
  /** Fails with the platform's message when a value is not of the expected type. */
  expect(value: FormulaValue, type: FormulaType, where: string): FormulaValue;
}

/** A built-in function: its argument nodes (evaluated as it needs them), the evaluation, its upper-case name. */
export type FormulaFunction = (args: FormulaNode[], evaluation: FormulaEvaluation, name: string) => FormulaValue;
