// The built-in functions by upper-case name.
import type { FormulaFunction } from "./arguments.js";
import { LOGICAL_FUNCTIONS } from "./logical.js";
import { TEXT_FUNCTIONS } from "./text.js";
import { MATH_FUNCTIONS } from "./math.js";
import { DATE_FUNCTIONS } from "./dates.js";

export const FUNCTIONS = new Map<string, FormulaFunction>(
  Object.entries({ ...LOGICAL_FUNCTIONS, ...TEXT_FUNCTIONS, ...MATH_FUNCTIONS, ...DATE_FUNCTIONS })
);
