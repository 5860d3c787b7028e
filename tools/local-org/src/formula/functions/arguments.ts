// Argument readers shared by the built-in functions: each checks the count or the type and
// fails with the platform's message ("Incorrect number of parameters for function 'IF()'.
// Expected 3, received 2").
import { ApexDate, ApexDatetime, type ApexDecimal } from "../../runtime/values.js";
import type { FormulaNode } from "../syntax.js";
import type { FormulaEvaluation, FormulaFunction } from "../evaluation.js";
import { evaluationError } from "../errors.js";

export type { FormulaFunction };

export function arity(name: string, args: FormulaNode[], min: number, max = min): void {
  if (args.length >= min && args.length <= max) return;
  const expected = min === max ? String(min) : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  evaluationError(
    `Incorrect number of parameters for function '${name}()'. Expected ${expected}, received ${args.length}`
  );
}

const where = (name: string) => `function '${name}()'`;

/** Text, with blank read as "". */
export function textArgument(evaluation: FormulaEvaluation, node: FormulaNode, name: string): string {
  const value = evaluation.evaluate(node);
  if (value === null) return "";
  return evaluation.expect(value, "Text", where(name)) as string;
}

export function numberArgument(evaluation: FormulaEvaluation, node: FormulaNode, name: string): ApexDecimal | null {
  return evaluation.expect(evaluation.evaluate(node), "Number", where(name)) as ApexDecimal | null;
}

export function dateArgument(evaluation: FormulaEvaluation, node: FormulaNode, name: string): ApexDate | null {
  return evaluation.expect(evaluation.evaluate(node), "Date", where(name)) as ApexDate | null;
}

export function dateOrDatetimeArgument(
  evaluation: FormulaEvaluation,
  node: FormulaNode,
  name: string
): ApexDate | ApexDatetime | null {
  const value = evaluation.evaluate(node);
  if (value === null) return null;
  if (value instanceof ApexDate || value instanceof ApexDatetime) return value;
  return evaluation.expect(value, "Date", where(name)) as ApexDate;
}

export function checkboxArgument(evaluation: FormulaEvaluation, node: FormulaNode, name: string): boolean {
  return evaluation.asCheckbox(evaluation.evaluate(node), where(name));
}

/** A whole number argument such as a length or a count of months; fractions are cut off. */
export function integerArgument(evaluation: FormulaEvaluation, node: FormulaNode, name: string): number | null {
  const value = numberArgument(evaluation, node, name);
  return value === null ? null : value.d.trunc().toNumber();
}
