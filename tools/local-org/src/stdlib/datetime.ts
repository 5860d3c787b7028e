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
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const targetY = y + Math.floor(m / 12);
  const targetM = ((m % 12) + 12) % 12;
  const dim = new Date(Date.UTC(targetY, targetM + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), dim);
  return Date.UTC(targetY, targetM, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** Java SimpleDateFormat patterns, for the letters Apex code commonly uses. */
export function formatPattern(ms: number, pattern: string, unsupported: (what: string) => never): string {
  const d = new Date(ms);
  let out = "";
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      out += end === i + 1 ? "'" : pattern.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    const h = d.getUTCHours();
    switch (c) {
      case "y":
        out += n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n);
        break;
      case "M":
        out +=
          n >= 4
            ? MONTHS[d.getUTCMonth()]
            : n === 3
              ? MONTHS[d.getUTCMonth()].slice(0, 3)
              : pad(d.getUTCMonth() + 1, n);
        break;
      case "d":
        out += pad(d.getUTCDate(), n);
        break;
      case "E":
        out += n >= 4 ? DAYS[d.getUTCDay()] : DAYS[d.getUTCDay()].slice(0, 3);
        break;
      case "H":
        out += pad(h, n);
        break;
      case "h":
        out += pad(h % 12 === 0 ? 12 : h % 12, n);
        break;
      case "m":
        out += pad(d.getUTCMinutes(), n);
        break;
      case "s":
        out += pad(d.getUTCSeconds(), n);
        break;
      case "S":
        out += pad(d.getUTCMilliseconds(), n);
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
        out += pad(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1, n);
        break;
      case "u":
        out += pad(d.getUTCDay() === 0 ? 7 : d.getUTCDay(), n);
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
        if (/[A-Za-z]/.test(c)) unsupported(`Datetime format pattern letter '${c}'`);
        out += c.repeat(n);
    }
  }
  return out;
}

export function dateArith(rt: RuntimeContext, op: string, l: Value, r: Value, loc: Loc): Value {
  if (typeof r === "number" && (op === "+" || op === "-")) {
    const days = op === "+" ? r : -r;
    if (l instanceof ApexDate) return ApexDate.fromMs(l.ms + days * DAY);
    if (l instanceof ApexDatetime) return new ApexDatetime(l.ms + days * DAY);
    // Time + Integer adds milliseconds and wraps around midnight.
    if (l instanceof ApexTime) return shiftTime(l, days);
  }
  // Datetime + a Long, Decimal or Double adds days, a fraction being part of a day.
  if (l instanceof ApexDatetime && r !== null && (op === "+" || op === "-")) {
    const days =
      typeof r === "bigint" ? Number(r) : r instanceof ApexDecimal || r instanceof ApexDouble ? toJsNumber(r) : null;
    if (days !== null) return new ApexDatetime(l.ms + Math.round((op === "+" ? days : -days) * DAY));
  }
  unsupported(rt, `operator ${op} on ${runtimeTypeName(l)} and ${runtimeTypeName(r)}`, loc);
}

export function parseDatetimeText(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text.trim()
  );
  if (!m) return null;
  let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, m[7] ? +m[7].padEnd(3, "0") : 0);
  if (m[8] && m[8] !== "Z") {
    const sign = m[8][0] === "-" ? -1 : 1;
    const digits = m[8].slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return ms;
}

export function installDates(lib: Stdlib) {
  const rt = lib.runtime;
  const int = (v: Value): number => {
    if (v === null) nullPointer(rt);
    return Number(v);
  };
  const todayMs = () => {
    const n = new Date();
    return Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate());
  };
  lib.static_("Date", {
    today: () => ApexDate.fromMs(todayMs()),
    newInstance: (a) => ApexDate.fromMs(Date.UTC(int(a[0]), int(a[1]) - 1, int(a[2]))),
    valueOf: (a: Value[]) => {
      const v = a[0];
      if (v === null) return null;
      if (v instanceof ApexDatetime) return ApexDate.fromMs(v.ms);
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(String(v));
      if (!m) throwApex(rt, "TypeException", `Invalid date: ${String(v)}`);
      return ApexDate.fromMs(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    },
    parse: (a) => {
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(String(a[0]));
      if (!m) throwApex(rt, "TypeException", `Invalid date: ${String(a[0])}`);
      return ApexDate.fromMs(Date.UTC(+m[3], +m[1] - 1, +m[2]));
    },
    daysInMonth: (a) => new Date(Date.UTC(int(a[0]), int(a[1]), 0)).getUTCDate(),
    isLeapYear: (a) => {
      const y = int(a[0]);
      return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    }
  });
  lib.instance<ApexDate>("date", {
    year: (d) => d.y,
    month: (d) => d.m,
    day: (d) => d.d,
    dayOfYear: (d) => Math.round((d.ms - Date.UTC(d.y, 0, 1)) / DAY) + 1,
    addDays: (d, a) => ApexDate.fromMs(d.ms + int(a[0]) * DAY),
    addMonths: (d, a) => ApexDate.fromMs(addMonths(d.ms, int(a[0]))),
    addYears: (d, a) => ApexDate.fromMs(addMonths(d.ms, 12 * int(a[0]))),
    daysBetween: (d, a) => Math.round(((a[0] as ApexDate).ms - d.ms) / DAY),
    monthsBetween: (d, a) => {
      const o = a[0] as ApexDate;
      return (o.y - d.y) * 12 + (o.m - d.m);
    },
    isSameDay: (d, a) => (a[0] as ApexDate).ms === d.ms,
    toStartOfMonth: (d) => new ApexDate(d.y, d.m, 1),
    toStartOfWeek: (d) => ApexDate.fromMs(d.ms - new Date(d.ms).getUTCDay() * DAY),
    format: (d) => `${d.m}/${d.d}/${d.y}`
  });

  lib.static_("Datetime", {
    now: () => new ApexDatetime(Date.now()),
    newInstance: (a) => {
      if (a.length === 1) return new ApexDatetime(Number(a[0]));
      if (a.length === 2) {
        const d = a[0] as ApexDate;
        const t = a[1] as ApexTime;
        return new ApexDatetime(d.ms + t.ms);
      }
      return new ApexDatetime(
        Date.UTC(int(a[0]), int(a[1]) - 1, int(a[2]), int(a[3] ?? 0), int(a[4] ?? 0), int(a[5] ?? 0))
      );
    },
    newInstanceGmt: (a) =>
      a.length === 2
        ? new ApexDatetime((a[0] as ApexDate).ms + (a[1] as ApexTime).ms)
        : new ApexDatetime(
            Date.UTC(int(a[0]), int(a[1]) - 1, int(a[2]), int(a[3] ?? 0), int(a[4] ?? 0), int(a[5] ?? 0))
          ),
    valueOf: (a: Value[]) => {
      if (a[0] === null) return null;
      const ms = parseDatetimeText(String(a[0]));
      if (ms === null) throwApex(rt, "TypeException", `Invalid date/time: ${String(a[0])}`);
      return new ApexDatetime(ms);
    },
    valueOfGmt: (a) => {
      if (a[0] === null) return null;
      const ms = parseDatetimeText(String(a[0]));
      if (ms === null) throwApex(rt, "TypeException", `Invalid date/time: ${String(a[0])}`);
      return new ApexDatetime(ms);
    }
  });
  const dt = (d: ApexDatetime) => new Date(d.ms);
  lib.instance<ApexDatetime>("datetime", {
    getTime: (d) => BigInt(d.ms),
    date: (d) => ApexDate.fromMs(d.ms),
    dateGmt: (d) => ApexDate.fromMs(d.ms),
    time: (d) => new ApexTime(d.ms % DAY),
    timeGmt: (d) => new ApexTime(d.ms % DAY),
    year: (d) => dt(d).getUTCFullYear(),
    yearGmt: (d) => dt(d).getUTCFullYear(),
    month: (d) => dt(d).getUTCMonth() + 1,
    monthGmt: (d) => dt(d).getUTCMonth() + 1,
    day: (d) => dt(d).getUTCDate(),
    dayGmt: (d) => dt(d).getUTCDate(),
    hour: (d) => dt(d).getUTCHours(),
    hourGmt: (d) => dt(d).getUTCHours(),
    minute: (d) => dt(d).getUTCMinutes(),
    minuteGmt: (d) => dt(d).getUTCMinutes(),
    second: (d) => dt(d).getUTCSeconds(),
    secondGmt: (d) => dt(d).getUTCSeconds(),
    millisecond: (d) => dt(d).getUTCMilliseconds(),
    addDays: (d, a) => new ApexDatetime(d.ms + int(a[0]) * DAY),
    addHours: (d, a) => new ApexDatetime(d.ms + int(a[0]) * 3600000),
    addMinutes: (d, a) => new ApexDatetime(d.ms + int(a[0]) * 60000),
    addSeconds: (d, a) => new ApexDatetime(d.ms + int(a[0]) * 1000),
    addMonths: (d, a) => new ApexDatetime(addMonths(d.ms, int(a[0]))),
    addYears: (d, a) => new ApexDatetime(addMonths(d.ms, 12 * int(a[0]))),
    isSameDay: (d, a) => Math.floor(d.ms / DAY) === Math.floor((a[0] as ApexDatetime).ms / DAY),
    format: (d, a, l) => {
      if (a.length > 1 && !["GMT", "UTC", "Etc/GMT", "Etc/UTC"].includes(String(a[1]))) {
        unsupported(rt, `Datetime.format in time zone ${String(a[1])} (only GMT)`, l);
      }
      return formatPattern(d.ms, a.length > 0 ? String(a[0]) : "M/d/yyyy h:mm a", (w) => unsupported(rt, w, l));
    },
    formatGmt: (d, a, l) => formatPattern(d.ms, String(a[0]), (w) => unsupported(rt, w, l)),
    formatLong: (d, _a, l) => formatPattern(d.ms, "M/d/yyyy h:mm:ss a z", (w) => unsupported(rt, w, l))
  });
  lib.static_("Time", {
    newInstance: (a) => new ApexTime(((int(a[0]) * 60 + int(a[1])) * 60 + int(a[2])) * 1000 + int(a[3]))
  });
  lib.instance<ApexTime>("time", {
    hour: (t) => Math.floor(t.ms / 3600000),
    minute: (t) => Math.floor((t.ms % 3600000) / 60000),
    second: (t) => Math.floor((t.ms % 60000) / 1000),
    millisecond: (t) => t.ms % 1000,
    addHours: (t, a) => shiftTime(t, int(a[0]) * 3600000),
    addMinutes: (t, a) => shiftTime(t, int(a[0]) * 60000),
    addSeconds: (t, a) => shiftTime(t, int(a[0]) * 1000),
    addMilliseconds: (t, a) => shiftTime(t, int(a[0]))
  });
}

/** Times wrap around midnight. */
function shiftTime(t: ApexTime, ms: number): ApexTime {
  return new ApexTime((((t.ms + ms) % DAY) + DAY) % DAY);
}
