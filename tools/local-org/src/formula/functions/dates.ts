// Date functions: DATE, TODAY, NOW, ADDMONTHS, DAY, MONTH, YEAR, WEEKDAY, DATEVALUE,
// DATETIMEVALUE. TODAY and NOW read the context's clock; the running user is in GMT.
import { ApexDate, ApexDatetime } from "../../runtime/values.js";
import { evaluationError } from "../errors.js";
import { number } from "../values.js";
import { arity, dateArgument, dateOrDatetimeArgument, integerArgument, type FormulaFunction } from "./arguments.js";

function validDate(year: number, month: number, day: number): ApexDate {
  const ms = Date.UTC(year, month - 1, day);
  const date = ApexDate.fromMs(ms);
  if (year < 1700 || year > 4000 || date.y !== year || date.m !== month || date.d !== day)
    evaluationError(`DATE(${year}, ${month}, ${day}) is not a valid date`);
  return date;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Adds months; a day the target month lacks, or the last day of a month, becomes the target's last day. */
export function addMonths(date: ApexDate, months: number): ApexDate {
  const index = date.y * 12 + (date.m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = daysIn(year, month);
  const day = date.d === daysIn(date.y, date.m) ? lastDay : Math.min(date.d, lastDay);
  return new ApexDate(year, month, day);
}

function datePart(part: "y" | "m" | "d"): FormulaFunction {
  return (args, evaluation, name) => {
    arity(name, args, 1);
    const date = dateArgument(evaluation, args[0], name);
    return date === null ? null : number(date[part]);
  };
}

export const DATE_FUNCTIONS: Record<string, FormulaFunction> = {
  DATE: (args, evaluation, name) => {
    arity(name, args, 3);
    const [year, month, day] = args.map((node) => integerArgument(evaluation, node, name));
    if (year === null || month === null || day === null) return null;
    return validDate(year, month, day);
  },
  TODAY: (args, evaluation, name) => {
    arity(name, args, 0);
    return ApexDate.fromMs(evaluation.context.now());
  },
  NOW: (args, evaluation, name) => {
    arity(name, args, 0);
    return new ApexDatetime(evaluation.context.now());
  },
  ADDMONTHS: (args, evaluation, name) => {
    arity(name, args, 2);
    const start = dateOrDatetimeArgument(evaluation, args[0], name);
    const months = integerArgument(evaluation, args[1], name);
    if (start === null || months === null) return null;
    if (start instanceof ApexDate) return addMonths(start, months);
    const day = ApexDate.fromMs(start.ms);
    return new ApexDatetime(addMonths(day, months).ms + (start.ms - day.ms));
  },
  YEAR: datePart("y"),
  MONTH: datePart("m"),
  DAY: datePart("d"),
  WEEKDAY: (args, evaluation, name) => {
    arity(name, args, 1);
    const date = dateArgument(evaluation, args[0], name);
    return date === null ? null : number(new Date(date.ms).getUTCDay() + 1);
  },
  DATEVALUE: (args, evaluation, name) => {
    arity(name, args, 1);
    const value = evaluation.evaluate(args[0]);
    if (value === null || value === "") return null;
    if (value instanceof ApexDate) return value;
    if (value instanceof ApexDatetime) return ApexDate.fromMs(value.ms);
    if (typeof value === "string") {
      const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
      if (!match) evaluationError(`DATEVALUE() cannot convert "${value}" to a date`);
      return validDate(Number(match[1]), Number(match[2]), Number(match[3]));
    }
    return evaluation.expect(value, "Date", `function '${name}()'`);
  },
  DATETIMEVALUE: (args, evaluation, name) => {
    arity(name, args, 1);
    const value = evaluation.evaluate(args[0]);
    if (value === null || value === "") return null;
    if (value instanceof ApexDatetime) return value;
    if (value instanceof ApexDate) return new ApexDatetime(value.ms);
    if (typeof value === "string") {
      const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$/.exec(value.trim());
      if (!match) evaluationError(`DATETIMEVALUE() cannot convert "${value}" to a date/time`);
      const date = validDate(Number(match[1]), Number(match[2]), Number(match[3]));
      return new ApexDatetime(
        date.ms + (Number(match[4] ?? 0) * 3600 + Number(match[5] ?? 0) * 60 + Number(match[6] ?? 0)) * 1000
      );
    }
    return evaluation.expect(value, "DateTime", `function '${name}()'`);
  }
};
