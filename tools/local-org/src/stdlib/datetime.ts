// Date, Datetime and Time. The local org's user time zone is GMT, so local and GMT
// variants agree.
import type { Loc } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexTime,
  pad,
  toJsNumber,
  type Value
} from "../runtime/values.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { runtimeTypeName } from "../runtime/conversion.js";

const DAY = 86400000;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December"
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function addMonths(ms: number, n: number): number {
  const date = new Date(ms);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + n;
  const targetY = y + Math.floor(m / 12);
  const targetM = ((m % 12) + 12) % 12;
  const dim = new Date(Date.UTC(targetY, targetM + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), dim);
  return Date.UTC(
    targetY,
    targetM,
    day,
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds()
  );
}

/** Java SimpleDateFormat patterns, for the letters Apex code commonly uses. */
export function formatPattern(ms: number, pattern: string, unsupported: (what: string) => never): string {
  const date = new Date(ms);
  let out = "";
  for (let i = 0; i < pattern.length;) {
    const character = pattern[i];
    if (character === "'") {
      const end = pattern.indexOf("'", i + 1);
      out += end === i + 1 ? "'" : pattern.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === character) n++;
    i += n;
    const h = date.getUTCHours();
    switch (character) {
      case "y":
        out += n === 2 ? pad(date.getUTCFullYear() % 100, 2) : pad(date.getUTCFullYear(), n);
        break;
      case "M":
        out +=
          n >= 4
            ? MONTHS[date.getUTCMonth()]
            : n === 3
              ? MONTHS[date.getUTCMonth()].slice(0, 3)
              : pad(date.getUTCMonth() + 1, n);
        break;
      case "d":
        out += pad(date.getUTCDate(), n);
        break;
      case "E":
        out += n >= 4 ? DAYS[date.getUTCDay()] : DAYS[date.getUTCDay()].slice(0, 3);
        break;
      case "H":
        out += pad(h, n);
        break;
      case "h":
        out += pad(h % 12 === 0 ? 12 : h % 12, n);
        break;
      case "m":
        out += pad(date.getUTCMinutes(), n);
        break;
      case "s":
        out += pad(date.getUTCSeconds(), n);
        break;
      case "S":
        out += pad(date.getUTCMilliseconds(), n);
        break;
      case "a":
        out += h < 12 ? "AM" : "PM";
        break;
      case "Z":
        out += "+0000";
        break;
      case "X":
        out += "Z";
        break;
      case "z":
        out += "GMT";
        break;
      case "D":
        out += pad(Math.floor((ms - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY) + 1, n);
        break;
      case "u":
        out += pad(date.getUTCDay() === 0 ? 7 : date.getUTCDay(), n);
        break;
      case "k":
        out += pad(h === 0 ? 24 : h, n);
        break;
      case "K":
        out += pad(h % 12, n);
        break;
      case "G":
        out += "AD";
        break;
      default:
        // Java's other pattern letters (week numbers, ...) are not modelled; other text is copied.
        if (/[A-Za-z]/.test(character)) unsupported(`Datetime format pattern letter '${character}'`);
        out += character.repeat(n);
    }
  }
  return out;
}

export function dateArith(runtime: RuntimeContext, operator: string, l: Value, r: Value, loc: Loc): Value {
  if (typeof r === "number" && (operator === "+" || operator === "-")) {
    const days = operator === "+" ? r : -r;
    if (l instanceof ApexDate) return ApexDate.fromMs(l.ms + days * DAY);
    if (l instanceof ApexDatetime) return new ApexDatetime(l.ms + days * DAY);
    // Time + Integer adds milliseconds and wraps around midnight.
    if (l instanceof ApexTime) return shiftTime(l, days);
  }
  // Datetime + a Long, Decimal or Double adds days, a fraction being part of a day.
  if (l instanceof ApexDatetime && r !== null && (operator === "+" || operator === "-")) {
    const days =
      typeof r === "bigint" ? Number(r) : r instanceof ApexDecimal || r instanceof ApexDouble ? toJsNumber(r) : null;
    if (days !== null) return new ApexDatetime(l.ms + Math.round((operator === "+" ? days : -days) * DAY));
  }
  unsupported(runtime, `operator ${operator} on ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
}

export function parseDatetimeText(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text.trim()
  );
  if (!match) return null;
  let ms = Date.UTC(
    +match[1],
    +match[2] - 1,
    +match[3],
    +match[4],
    +match[5],
    match[6] ? +match[6] : 0,
    match[7] ? +match[7].padEnd(3, "0") : 0
  );
  if (match[8] && match[8] !== "Z") {
    const sign = match[8][0] === "-" ? -1 : 1;
    const digits = match[8].slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return ms;
}

export function installDates(lib: Stdlib) {
  const runtime = lib.runtime;
  const int = (value: Value): number => {
    if (value === null) nullPointer(runtime);
    return Number(value);
  };
  const todayMs = () => {
    const n = new Date(runtime.clock.now());
    return Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate());
  };
  lib.static_("Date", {
    today: () => ApexDate.fromMs(todayMs()),
    newInstance: (args) => ApexDate.fromMs(Date.UTC(int(args[0]), int(args[1]) - 1, int(args[2]))),
    valueOf: (args: Value[]) => {
      const value = args[0];
      if (value === null) return null;
      if (value instanceof ApexDatetime) return ApexDate.fromMs(value.ms);
      const match = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(String(value));
      if (!match) throwApex(runtime, "TypeException", `Invalid date: ${String(value)}`);
      return ApexDate.fromMs(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    },
    parse: (args) => {
      const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(String(args[0]));
      if (!match) throwApex(runtime, "TypeException", `Invalid date: ${String(args[0])}`);
      return ApexDate.fromMs(Date.UTC(+match[3], +match[1] - 1, +match[2]));
    },
    daysInMonth: (args) => new Date(Date.UTC(int(args[0]), int(args[1]), 0)).getUTCDate(),
    isLeapYear: (args) => {
      const y = int(args[0]);
      return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    }
  });
  lib.instance<ApexDate>("date", {
    year: (date) => date.y,
    month: (date) => date.m,
    day: (date) => date.d,
    dayOfYear: (date) => Math.round((date.ms - Date.UTC(date.y, 0, 1)) / DAY) + 1,
    addDays: (date, args) => ApexDate.fromMs(date.ms + int(args[0]) * DAY),
    addMonths: (date, args) => ApexDate.fromMs(addMonths(date.ms, int(args[0]))),
    addYears: (date, args) => ApexDate.fromMs(addMonths(date.ms, 12 * int(args[0]))),
    daysBetween: (date, args) => Math.round(((args[0] as ApexDate).ms - date.ms) / DAY),
    monthsBetween: (date, args) => {
      const o = args[0] as ApexDate;
      return (o.y - date.y) * 12 + (o.m - date.m);
    },
    isSameDay: (date, args) => (args[0] as ApexDate).ms === date.ms,
    toStartOfMonth: (date) => new ApexDate(date.y, date.m, 1),
    toStartOfWeek: (date) => ApexDate.fromMs(date.ms - new Date(date.ms).getUTCDay() * DAY),
    format: (date) => `${date.m}/${date.d}/${date.y}`
  });

  lib.static_("Datetime", {
    now: () => new ApexDatetime(runtime.clock.now()),
    newInstance: (args) => {
      if (args.length === 1) return new ApexDatetime(Number(args[0]));
      if (args.length === 2) {
        const date = args[0] as ApexDate;
        const time = args[1] as ApexTime;
        return new ApexDatetime(date.ms + time.ms);
      }
      return new ApexDatetime(
        Date.UTC(int(args[0]), int(args[1]) - 1, int(args[2]), int(args[3] ?? 0), int(args[4] ?? 0), int(args[5] ?? 0))
      );
    },
    newInstanceGmt: (args) =>
      args.length === 2
        ? new ApexDatetime((args[0] as ApexDate).ms + (args[1] as ApexTime).ms)
        : new ApexDatetime(
            Date.UTC(
              int(args[0]),
              int(args[1]) - 1,
              int(args[2]),
              int(args[3] ?? 0),
              int(args[4] ?? 0),
              int(args[5] ?? 0)
            )
          ),
    valueOf: (args: Value[]) => {
      if (args[0] === null) return null;
      const ms = parseDatetimeText(String(args[0]));
      if (ms === null) throwApex(runtime, "TypeException", `Invalid date/time: ${String(args[0])}`);
      return new ApexDatetime(ms);
    },
    valueOfGmt: (args) => {
      if (args[0] === null) return null;
      const ms = parseDatetimeText(String(args[0]));
      if (ms === null) throwApex(runtime, "TypeException", `Invalid date/time: ${String(args[0])}`);
      return new ApexDatetime(ms);
    }
  });
  const dt = (datetime: ApexDatetime) => new Date(datetime.ms);
  lib.instance<ApexDatetime>("datetime", {
    getTime: (datetime) => BigInt(datetime.ms),
    date: (datetime) => ApexDate.fromMs(datetime.ms),
    dateGmt: (datetime) => ApexDate.fromMs(datetime.ms),
    time: (datetime) => new ApexTime(datetime.ms % DAY),
    timeGmt: (datetime) => new ApexTime(datetime.ms % DAY),
    year: (datetime) => dt(datetime).getUTCFullYear(),
    yearGmt: (datetime) => dt(datetime).getUTCFullYear(),
    month: (datetime) => dt(datetime).getUTCMonth() + 1,
    monthGmt: (datetime) => dt(datetime).getUTCMonth() + 1,
    day: (datetime) => dt(datetime).getUTCDate(),
    dayGmt: (datetime) => dt(datetime).getUTCDate(),
    hour: (datetime) => dt(datetime).getUTCHours(),
    hourGmt: (datetime) => dt(datetime).getUTCHours(),
    minute: (datetime) => dt(datetime).getUTCMinutes(),
    minuteGmt: (datetime) => dt(datetime).getUTCMinutes(),
    second: (datetime) => dt(datetime).getUTCSeconds(),
    secondGmt: (datetime) => dt(datetime).getUTCSeconds(),
    millisecond: (datetime) => dt(datetime).getUTCMilliseconds(),
    addDays: (datetime, args) => new ApexDatetime(datetime.ms + int(args[0]) * DAY),
    addHours: (datetime, args) => new ApexDatetime(datetime.ms + int(args[0]) * 3600000),
    addMinutes: (datetime, args) => new ApexDatetime(datetime.ms + int(args[0]) * 60000),
    addSeconds: (datetime, args) => new ApexDatetime(datetime.ms + int(args[0]) * 1000),
    addMonths: (datetime, args) => new ApexDatetime(addMonths(datetime.ms, int(args[0]))),
    addYears: (datetime, args) => new ApexDatetime(addMonths(datetime.ms, 12 * int(args[0]))),
    isSameDay: (datetime, args) => Math.floor(datetime.ms / DAY) === Math.floor((args[0] as ApexDatetime).ms / DAY),
    format: (datetime, args, loc) => {
      if (args.length > 1 && !["GMT", "UTC", "Etc/GMT", "Etc/UTC"].includes(String(args[1]))) {
        unsupported(runtime, `Datetime.format in time zone ${String(args[1])} (only GMT)`, loc);
      }
      return formatPattern(datetime.ms, args.length > 0 ? String(args[0]) : "M/d/yyyy h:mm a", (w) =>
        unsupported(runtime, w, loc)
      );
    },
    formatGmt: (datetime, args, loc) =>
      formatPattern(datetime.ms, String(args[0]), (w) => unsupported(runtime, w, loc)),
    formatLong: (datetime, _args, loc) =>
      formatPattern(datetime.ms, "M/d/yyyy h:mm:ss a z", (w) => unsupported(runtime, w, loc))
  });
  lib.static_("Time", {
    newInstance: (args) => new ApexTime(((int(args[0]) * 60 + int(args[1])) * 60 + int(args[2])) * 1000 + int(args[3]))
  });
  lib.instance<ApexTime>("time", {
    hour: (time) => Math.floor(time.ms / 3600000),
    minute: (time) => Math.floor((time.ms % 3600000) / 60000),
    second: (time) => Math.floor((time.ms % 60000) / 1000),
    millisecond: (time) => time.ms % 1000,
    addHours: (time, args) => shiftTime(time, int(args[0]) * 3600000),
    addMinutes: (time, args) => shiftTime(time, int(args[0]) * 60000),
    addSeconds: (time, args) => shiftTime(time, int(args[0]) * 1000),
    addMilliseconds: (time, args) => shiftTime(time, int(args[0]))
  });
}

/** Times wrap around midnight. */
function shiftTime(time: ApexTime, ms: number): ApexTime {
  return new ApexTime((((time.ms + ms) % DAY) + DAY) % DAY);
}
