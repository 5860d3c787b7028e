// Logical functions: IF, CASE, AND, OR, NOT, ISBLANK, ISNULL, BLANKVALUE, NULLVALUE,
// ISPICKVAL, ISNUMBER, and the record functions ISNEW, ISCHANGED, PRIORVALUE.
import type { FormulaNode } from "../syntax.js";
import type { FormulaEvaluation } from "../evaluation.js";
import { evaluationError } from "../errors.js";
import { isBlank, toFormulaValue } from "../values.js";
import { arity, checkboxArgument, textArgument, type FormulaFunction } from "./arguments.js";
import { parseNumberText } from "./text.js";

function recordOf(evaluation: FormulaEvaluation, name: string) {
  const record = evaluation.context.record;
  if (!record) evaluationError(`Function ${name} may not be used in this type of formula`);
  return record;
}

function fieldReference(args: FormulaNode[], name: string): string {
  const node = args[0];
  if (node.kind !== "reference") evaluationError(`Function ${name} takes a field reference`);
  return node.path;
}

export const LOGICAL_FUNCTIONS: Record<string, FormulaFunction> = {
  IF: (args, evaluation, name) => {
    arity(name, args, 3);
    return checkboxArgument(evaluation, args[0], name) ? evaluation.evaluate(args[1]) : evaluation.evaluate(args[2]);
  },
  CASE: (args, evaluation, name) => {
    if (args.length < 4 || args.length % 2 !== 0)
      evaluationError(
        `Incorrect number of parameters for function '${name}()'. Expected an expression, value and result pairs, and an else result`
      );
    const subject = evaluation.evaluate(args[0]);
    for (let index = 1; index < args.length - 1; index += 2) {
      if (evaluation.equals(subject, evaluation.evaluate(args[index]))) return evaluation.evaluate(args[index + 1]);
    }
    return evaluation.evaluate(args[args.length - 1]);
  },
  AND: (args, evaluation, name) => {
    arity(name, args, 1, Infinity);
    return args.every((node) => checkboxArgument(evaluation, node, name));
  },
  OR: (args, evaluation, name) => {
    arity(name, args, 1, Infinity);
    return args.some((node) => checkboxArgument(evaluation, node, name));
  },
  NOT: (args, evaluation, name) => {
    arity(name, args, 1);
    return !checkboxArgument(evaluation, args[0], name);
  },
  ISBLANK: (args, evaluation, name) => {
    arity(name, args, 1);
    return isBlank(evaluation.evaluate(args[0]));
  },
  // Blank text is "" rather than null in fields, so ISNULL of a text field is false; use ISBLANK.
  ISNULL: (args, evaluation, name) => {
    arity(name, args, 1);
    return evaluation.evaluate(args[0]) === null;
  },
  BLANKVALUE: (args, evaluation, name) => {
    arity(name, args, 2);
    const value = evaluation.evaluate(args[0]);
    return isBlank(value) ? evaluation.evaluate(args[1]) : value;
  },
  NULLVALUE: (args, evaluation, name) => {
    arity(name, args, 2);
    const value = evaluation.evaluate(args[0]);
    return value === null ? evaluation.evaluate(args[1]) : value;
  },
  ISPICKVAL: (args, evaluation, name) => {
    arity(name, args, 2);
    return textArgument(evaluation, args[0], name) === textArgument(evaluation, args[1], name);
  },
  ISNUMBER: (args, evaluation, name) => {
    arity(name, args, 1);
    return parseNumberText(textArgument(evaluation, args[0], name)) !== null;
  },
  ISNEW: (args, evaluation, name) => {
    arity(name, args, 0);
    return recordOf(evaluation, name).isNew();
  },
  ISCHANGED: (args, evaluation, name) => {
    arity(name, args, 1);
    const record = recordOf(evaluation, name);
    const path = fieldReference(args, name);
    if (record.isNew()) return false;
    const prior = toFormulaValue(record.priorValue(path), path);
    return !evaluation.equals(prior, evaluation.evaluate(args[0]));
  },
  PRIORVALUE: (args, evaluation, name) => {
    arity(name, args, 1);
    const record = recordOf(evaluation, name);
    const path = fieldReference(args, name);
    return record.isNew() ? evaluation.evaluate(args[0]) : toFormulaValue(record.priorValue(path), path);
  }
};
