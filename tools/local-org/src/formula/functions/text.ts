// Text functions: TEXT, VALUE, LEN, CONTAINS, BEGINS, FIND, LEFT, RIGHT, MID, SUBSTITUTE,
// TRIM, UPPER, LOWER, LPAD, RPAD, REGEX, INCLUDES. Blank text reads as "", and comparisons are
// case-sensitive, as on the platform.
import { fromJavaRegex } from "../../runtime/java-regex.js";
import { evaluationError, unsupportedFormulaFeature } from "../errors.js";
import { formulaText, number, type FormulaValue } from "../values.js";
import type { ApexDecimal } from "../../runtime/values.js";
import { arity, integerArgument, textArgument, type FormulaFunction } from "./arguments.js";

/** The number a text holds, or null when it holds none. */
export function parseNumberText(text: string): ApexDecimal | null {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  return number(trimmed.replace(/^\+/, ""));
}

function pad(side: "left" | "right"): FormulaFunction {
  return (args, evaluation, name) => {
    arity(name, args, 2, 3);
    const text = textArgument(evaluation, args[0], name);
    const length = integerArgument(evaluation, args[1], name);
    if (length === null) return null;
    const padding = args.length > 2 ? textArgument(evaluation, args[2], name) : " ";
    if (length <= 0) return "";
    if (text.length >= length) return text.slice(0, length);
    if (padding === "") return text;
    const fill = padding.repeat(Math.ceil((length - text.length) / padding.length)).slice(0, length - text.length);
    return side === "left" ? fill + text : text + fill;
  };
}

export const TEXT_FUNCTIONS: Record<string, FormulaFunction> = {
  TEXT: (args, evaluation, name): FormulaValue => {
    arity(name, args, 1);
    return formulaText(evaluation.evaluate(args[0]));
  },
  VALUE: (args, evaluation, name) => {
    arity(name, args, 1);
    const text = textArgument(evaluation, args[0], name);
    if (text.trim() === "") return null;
    const value = parseNumberText(text);
    if (value === null) evaluationError(`VALUE() cannot convert "${text}" to a number`);
    return value;
  },
  LEN: (args, evaluation, name) => {
    arity(name, args, 1);
    return number(textArgument(evaluation, args[0], name).length);
  },
  CONTAINS: (args, evaluation, name) => {
    arity(name, args, 2);
    return textArgument(evaluation, args[0], name).includes(textArgument(evaluation, args[1], name));
  },
  BEGINS: (args, evaluation, name) => {
    arity(name, args, 2);
    return textArgument(evaluation, args[0], name).startsWith(textArgument(evaluation, args[1], name));
  },
  FIND: (args, evaluation, name) => {
    arity(name, args, 2, 3);
    const search = textArgument(evaluation, args[0], name);
    const text = textArgument(evaluation, args[1], name);
    const start = args.length > 2 ? (integerArgument(evaluation, args[2], name) ?? 1) : 1;
    if (search === "" || start < 1) return number(0);
    return number(text.indexOf(search, start - 1) + 1);
  },
  LEFT: (args, evaluation, name) => {
    arity(name, args, 2);
    const text = textArgument(evaluation, args[0], name);
    const count = integerArgument(evaluation, args[1], name);
    return count === null || count <= 0 ? "" : text.slice(0, count);
  },
  RIGHT: (args, evaluation, name) => {
    arity(name, args, 2);
    const text = textArgument(evaluation, args[0], name);
    const count = integerArgument(evaluation, args[1], name);
    return count === null || count <= 0 ? "" : text.slice(Math.max(0, text.length - count));
  },
  MID: (args, evaluation, name) => {
    arity(name, args, 3);
    const text = textArgument(evaluation, args[0], name);
    const start = Math.max(1, integerArgument(evaluation, args[1], name) ?? 1);
    const count = integerArgument(evaluation, args[2], name);
    return count === null || count <= 0 ? "" : text.slice(start - 1, start - 1 + count);
  },
  SUBSTITUTE: (args, evaluation, name) => {
    arity(name, args, 3);
    const text = textArgument(evaluation, args[0], name);
    const old = textArgument(evaluation, args[1], name);
    const replacement = textArgument(evaluation, args[2], name);
    return old === "" ? text : text.split(old).join(replacement);
  },
  TRIM: (args, evaluation, name) => {
    arity(name, args, 1);
    return textArgument(evaluation, args[0], name).trim();
  },
  UPPER: (args, evaluation, name) => {
    arity(name, args, 1, 2);
    return textArgument(evaluation, args[0], name).toUpperCase();
  },
  LOWER: (args, evaluation, name) => {
    arity(name, args, 1, 2);
    return textArgument(evaluation, args[0], name).toLowerCase();
  },
  LPAD: pad("left"),
  RPAD: pad("right"),
  // The whole text must match, as Java's String.matches does; blank text is "".
  REGEX: (args, evaluation, name) => {
    arity(name, args, 2);
    const text = textArgument(evaluation, args[0], name);
    const pattern = textArgument(evaluation, args[1], name);
    const regex = fromJavaRegex(`^(?:${pattern})$`) ?? unsupportedFormulaFeature(`regular expression '${pattern}'`);
    return regex.test(text);
  },
  // Whether a multi-select picklist value (values joined by ";") includes one value.
  INCLUDES: (args, evaluation, name) => {
    arity(name, args, 2);
    const selected = textArgument(evaluation, args[0], name);
    const value = textArgument(evaluation, args[1], name);
    return selected !== "" && selected.split(";").includes(value);
  }
};
