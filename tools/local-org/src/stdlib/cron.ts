// Cron expressions of scheduled Apex, read and checked as the platform does, and the times they
// fire. The syntax is `Seconds Minutes Hours Day_of_month Month Day_of_week [Year]`: seconds
// and minutes are plain integers; hours, months and years take `, - * /`; the day of the month
// also `? L W` (`L`, `L-3`, `LW`, `15W`) and the day of the week `? L #` (`L`, `6L`, `2#1`),
// with exactly one of the two days `?`. Month and day names (JAN, MON) may stand for numbers.
// Times are in the running user's time zone, which is GMT in the local org.

/** A cron expression the platform refuses, with its message (thrown as System.StringException). */
export class CronExpressionError extends Error {}

type DayOfMonth =
  | { kind: "none" }
  | { kind: "days"; days: Set<number> }
  /** `L` (offset 0) or `L-3`: that many days before the month's last day. */
  | { kind: "last"; offset: number }
  /** `LW`: the month's last weekday. */
  | { kind: "lastWeekday" }
  /** `15W`: the weekday nearest to that day, within the month. */
  | { kind: "nearestWeekday"; day: number };

type DayOfWeek =
  | { kind: "none" }
  /** Days 1 (Sunday) to 7 (Saturday). */
  | { kind: "days"; days: Set<number> }
  /** `6L`: the month's last Friday. */
  | { kind: "last"; day: number }
  /** `2#1`: the month's first Monday. */
  | { kind: "nth"; day: number; nth: number };

export interface CronSchedule {
  expression: string;
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  dayOfMonth: DayOfMonth;
  months: Set<number>;
  dayOfWeek: DayOfWeek;
  /** Null when the expression has no year field (every year). */
  years: Set<number> | null;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const LAST_YEAR = 2099;

interface FieldRule {
  min: number;
  max: number;
  /** The message for a value outside min..max. */
  range: string;
  names?: string[];
  namesMessage?: string;
}

const HOURS: FieldRule = { min: 0, max: 23, range: "Hour values must be between 0 and 23" };
const DAYS_OF_MONTH: FieldRule = { min: 1, max: 31, range: "Day of month values must be between 1 and 31" };
const MONTH_RULE: FieldRule = {
  min: 1,
  max: 12,
  range: "Month values must be between 1 and 12",
  names: MONTHS,
  namesMessage: "Invalid Month value"
};
const DAYS_OF_WEEK: FieldRule = {
  min: 1,
  max: 7,
  range: "Day-of-Week values must be between 1 and 7",
  names: DAYS,
  namesMessage: "Invalid Day-of-Week value"
};
const YEARS: FieldRule = { min: 1970, max: LAST_YEAR, range: `Year values must be between 1970 and ${LAST_YEAR}` };

function refuse(message: string): never {
  throw new CronExpressionError(message);
}

/** Reads a cron expression, refusing what the platform refuses with its messages. */
export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim() === "" ? [] : expression.trim().toUpperCase().split(/\s+/);
  if (fields.length < 6) refuse("Unexpected end of expression.");
  const [second, minute, hour, dayOfMonthText, month, dayOfWeekText, year] = fields;
  for (const text of [second, minute])
    if (!/^\d+$/.test(text)) {
      if (text.includes("?")) refuse("'?' can only be specified for Day-of-Month or Day-of-Week.");
      refuse(`Seconds and minutes must be specified as integers: ${expression}`);
    }
  const secondValue = Number(second);
  const minuteValue = Number(minute);
  if (secondValue > 59 || minuteValue > 59) refuse("Minute and Second values must be between 0 and 59");
  const dayOfMonth = parseDayOfMonth(dayOfMonthText);
  const dayOfWeek = parseDayOfWeek(dayOfWeekText);
  if ((dayOfMonth.kind === "none") === (dayOfWeek.kind === "none"))
    refuse("Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.");
  return {
    expression,
    seconds: new Set([secondValue]),
    minutes: new Set([minuteValue]),
    hours: parseValues(hour, HOURS),
    dayOfMonth,
    months: parseValues(month, MONTH_RULE),
    dayOfWeek,
    years: year === undefined ? null : parseValues(year, YEARS)
  };
}

function noQuestionMark(text: string) {
  if (text.includes("?")) refuse("'?' can only be specified for Day-of-Month or Day-of-Week.");
}

/** A value: a number or, where the field has them, a name such as JAN or MON. */
function value(text: string, rule: FieldRule): number {
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    if (number < rule.min || number > rule.max) refuse(rule.range);
    return number;
  }
  if (rule.names && /^[A-Z]+$/.test(text)) {
    const index = rule.names.indexOf(text);
    if (index < 0) refuse(`${rule.namesMessage}: '${text}'`);
    return index + 1;
  }
  return refuse(`Illegal characters for this position: '${text}'`);
}

/** A list of `*`, values, ranges (wrapping past the end, as 22-2 for hours) and increments (0/15, 5-30/5, * /2). */
function parseValues(text: string, rule: FieldRule): Set<number> {
  noQuestionMark(text);
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, (name) => (rule.names?.includes(name) ? "" : name))))
    refuse(`Illegal characters for this position: '${text}'`);
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") refuse(`Illegal characters for this position: '${text}'`);
    const [range, incrementText] = item.split("/", 2);
    if (item.split("/").length > 2) refuse(`Illegal characters for this position: '${item}'`);
    let start: number;
    let end: number;
    if (range === "*") {
      start = rule.min;
      end = rule.max;
    } else if (range.includes("-")) {
      const [from, to] = range.split("-");
      start = value(from, rule);
      end = value(to, rule);
    } else {
      start = value(range, rule);
      // `5/15` runs from 5 to the end of the field; a lone 5 is just 5.
      end = incrementText === undefined ? start : rule.max;
    }
    let increment = 1;
    if (incrementText !== undefined) {
      if (!/^\d+$/.test(incrementText)) refuse(`Illegal characters for this position: '${item}'`);
      increment = Number(incrementText);
      const size = rule.max - rule.min + 1;
      if (increment === 0) refuse(`Increment must be greater than 0: '${item}'`);
      if (increment > size) refuse(`Increment > ${size} : ${increment}`);
    }
    // A range that ends before it starts wraps around the field (FRI-MON, 22-2).
    const span = end >= start ? end - start : end - start + (rule.max - rule.min + 1);
    for (let step = 0; step <= span; step += increment)
      values.add(((start - rule.min + step) % (rule.max - rule.min + 1)) + rule.min);
  }
  return values;
}

function parseDayOfMonth(text: string): DayOfMonth {
  if (text === "?") return { kind: "none" };
  if (text.includes("?")) refuse(`Illegal character after '?': ${text}`);
  if (text.includes("#")) refuse(`'#' option is not valid here. (pos=${text.indexOf("#")})`);
  if (text.includes("L")) {
    if (text.includes(","))
      refuse("Support for specifying 'L' and 'LW' with other days of the month is not implemented");
    if (text === "L") return { kind: "last", offset: 0 };
    if (text === "LW") return { kind: "lastWeekday" };
    const offset = /^L-(\d+)$/.exec(text);
    if (offset) {
      if (Number(offset[1]) > 30) refuse("Offset from last day must be <= 30");
      return { kind: "last", offset: Number(offset[1]) };
    }
    return refuse(`'L' option is not valid here. (pos=${text.indexOf("L")})`);
  }
  if (text.includes("W")) {
    const nearest = /^(\d+)W$/.exec(text);
    if (!nearest) refuse(`'W' option is not valid here. (pos=${text.indexOf("W")})`);
    const day = Number(nearest[1]);
    if (day > 31)
      refuse("The 'W' option does not make sense with values larger than 31 (max number of days in a month)");
    if (day < 1) refuse(DAYS_OF_MONTH.range);
    return { kind: "nearestWeekday", day };
  }
  return { kind: "days", days: parseValues(text, DAYS_OF_MONTH) };
}

/** The text without the day names in it (whose letters are not options). */
function withoutDayNames(text: string): string {
  return text.replace(/[A-Z]{3}/g, (name) => (DAYS.includes(name) ? "" : name));
}

function parseDayOfWeek(text: string): DayOfWeek {
  if (text === "?") return { kind: "none" };
  if (text.includes("?")) refuse(`Illegal character after '?': ${text}`);
  // W is no option here, though it is a letter of WED.
  if (withoutDayNames(text).includes("W")) refuse(`'W' option is not valid here. (pos=${text.indexOf("W")})`);
  if (text.includes("#")) {
    if (text.includes(",")) refuse('Support for specifying multiple "nth" days is not implemented.');
    const [dayText, nthText] = text.split("#");
    const nth = Number(nthText);
    if (!/^\d$/.test(nthText ?? "") || nth < 1 || nth > 5)
      refuse("A numeric value between 1 and 5 must follow the '#' option");
    return { kind: "nth", day: value(dayText, DAYS_OF_WEEK), nth };
  }
  if (withoutDayNames(text).includes("L")) {
    if (text.includes(",")) refuse("Support for specifying 'L' with other days of the week is not implemented");
    // A lone L is the last day of the week, Saturday.
    if (text === "L") return { kind: "days", days: new Set([7]) };
    if (!/^[^L]+L$/.test(text)) refuse(`'L' option is not valid here. (pos=${text.indexOf("L")})`);
    return { kind: "last", day: value(text.slice(0, -1), DAYS_OF_WEEK) };
  }
  return { kind: "days", days: parseValues(text, DAYS_OF_WEEK) };
}

const DAY_MS = 86400000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day of the week of a date, 1 (Sunday) to 7 (Saturday). */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function dayMatches(schedule: CronSchedule, year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  const dom = schedule.dayOfMonth;
  switch (dom.kind) {
    case "days":
      return dom.days.has(day);
    case "last":
      return day === last - dom.offset;
    case "lastWeekday": {
      const lastWeekday = weekday(year, month, last);
      return day === (lastWeekday === 7 ? last - 1 : lastWeekday === 1 ? last - 2 : last);
    }
    case "nearestWeekday": {
      if (dom.day > last) return false;
      const target = weekday(year, month, dom.day);
      let nearest = dom.day;
      // Saturday moves to Friday, Sunday to Monday, without leaving the month.
      if (target === 7) nearest = dom.day === 1 ? 3 : dom.day - 1;
      else if (target === 1) nearest = dom.day === last ? dom.day - 2 : dom.day + 1;
      return day === nearest;
    }
    case "none": {
      const dow = schedule.dayOfWeek;
      const today = weekday(year, month, day);
      switch (dow.kind) {
        case "days":
          return dow.days.has(today);
        case "last":
          return today === dow.day && day + 7 > last;
        case "nth":
          return today === dow.day && Math.ceil(day / 7) === dow.nth;
        case "none":
          return false;
      }
    }
  }
}

/** The first time the schedule fires strictly after `afterMs` (epoch milliseconds), or null when it never does again. */
export function nextFireTime(schedule: CronSchedule, afterMs: number): number | null {
  const earliest = Math.floor(afterMs / 1000) * 1000 + 1000;
  const start = new Date(earliest);
  const times = [...schedule.hours]
    .sort((a, b) => a - b)
    .flatMap((hour) =>
      [...schedule.minutes]
        .sort((a, b) => a - b)
        .flatMap((minute) =>
          [...schedule.seconds].sort((a, b) => a - b).map((second) => (hour * 60 + minute) * 60 + second)
        )
    );
  let dayStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  for (;;) {
    const date = new Date(dayStart);
    const year = date.getUTCFullYear();
    if (year > LAST_YEAR) return null;
    const month = date.getUTCMonth() + 1;
    if (schedule.years && ![...schedule.years].some((y) => y >= year)) return null;
    if (
      (!schedule.years || schedule.years.has(year)) &&
      schedule.months.has(month) &&
      dayMatches(schedule, year, month, date.getUTCDate())
    ) {
      const time = times.map((seconds) => dayStart + seconds * 1000).find((candidate) => candidate >= earliest);
      if (time !== undefined) return time;
    }
    dayStart += DAY_MS;
  }
}
