/**
 * Timestamps in free text (logs, SDK dumps, console copies), the time, duration and time-range
 * arguments of the CLI, the settings and the extension's custom time range (one parser for all of
 * them), and the UTC formats every part prints. Pure functions; no I/O.
 *
 * Zones: a timestamp whose text states its zone (`Z`, `+09:00`, `UTC+0900`, `GMT`, a few common
 * abbreviations) is exact and `zoneKnown` is true. A zone-less time is read as UTC, or as the local
 * zone when `timeZone: 'local'` is passed, and `zoneKnown` is false so callers can widen their search
 * (hints.ts does: zone offsets in use run from UTC−12 to UTC+14).
 */
import { TrailLensError } from './errors';
import { spanSet } from './spans';
import { clip } from './text';

export interface TimeWindow {
  start: Date;
  end: Date;
}

export interface FoundTime {
  time: Date;
  start: number;
  end: number;
  /** True when the text itself says which zone the time is in. */
  zoneKnown: boolean;
}

export interface TimeOptions {
  /** Reference for year-less times (syslog) and relative arguments. */
  now?: Date;
  /** How to read zone-less times; UTC when absent. */
  timeZone?: 'UTC' | 'local';
}

/**
 * How far before a time hint a search starts: trailLens.requestIdSearch.aroundMinutes' default, the
 * engine's, and the CLI's --window default with --around.
 */
export const DEFAULT_AROUND_MINUTES = 30;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const MONTH_NAME =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';

/** Abbreviations that name one zone unambiguously enough for a search window. CST and IST do not. */
const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  JST: 9 * 60,
  KST: 9 * 60,
  PST: -8 * 60,
  PDT: -7 * 60,
  MST: -7 * 60,
  MDT: -6 * 60,
  EST: -5 * 60,
  EDT: -4 * 60,
  CET: 60,
  CEST: 120,
  BST: 60,
};

/** A zone after a time: `Z`, ` UTC`, `+09:00`, ` +0900`, ` UTC+0900`, ` (UTC+09:00)`, ` GMT+9`, ` JST`. */
const ZONE =
  '(Z|\\s?\\(?(?:UTC|GMT)(?:\\s?[+-]\\d{1,2}(?::?\\d{2})?)?\\)?|[+-]\\d{2}(?::?\\d{2})?|\\s[+-]\\d{2}:?\\d{2}|\\s(?:JST|KST|PST|PDT|MST|MDT|EST|EDT|CET|CEST|BST))?(?![A-Za-z0-9])';

/** Offset in minutes east of UTC, or undefined when `zone` is empty or unreadable. */
export function parseZone(zone: string | undefined): number | undefined {
  if (!zone) return undefined;
  const z = zone
    .trim()
    .replace(/^\(|\)$/g, '')
    .toUpperCase();
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  if (z in ZONE_ABBREVIATIONS) return ZONE_ABBREVIATIONS[z];
  const m = /^(?:UTC|GMT)?\s?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = m[3] ? Number(m[3]) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Builds the instant, rejecting impossible dates (Feb 30, 25:00). `offset` undefined = zone-less. */
function build(p: Parts, offset: number | undefined, local: boolean): Date | undefined {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31) return undefined;
  if (p.hour > 23 || p.minute > 59 || p.second > 60) return undefined;
  const second = Math.min(p.second, 59); // a leap second lands on :59
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, second, p.ms);
  const check = new Date(utc);
  if (check.getUTCDate() !== p.day || check.getUTCMonth() !== p.month - 1) return undefined;
  if (offset !== undefined) return new Date(utc - offset * MINUTE);
  if (local) return new Date(p.year, p.month - 1, p.day, p.hour, p.minute, second, p.ms);
  return check;
}

function fraction(digits: string | undefined): number {
  return digits ? Number(digits.slice(0, 3).padEnd(3, '0')) : 0;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function hour12(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  const pm = meridiem.toUpperCase() === 'P';
  if (hour < 1 || hour > 12) return 99; // invalid: "13:00 PM"
  return (hour % 12) + (pm ? 12 : 0);
}

type Reader = (m: RegExpExecArray, opts: Required<TimeOptions>) => { time: Date | undefined; zoneKnown: boolean };

const TIME_KEY = /(?:time|date|timestamp|^ts$|_at$|At$|epoch|when)/i;

/** The formats, most specific first; a later format never claims text an earlier one matched. */
const FORMATS: ReadonlyArray<{ re: RegExp; read: Reader }> = [
  {
    // ISO 8601 and its relatives: 2024-08-08T05:49:02Z, 2024-08-08 05:49:02.123, 2024-08-08 14:48:55,123 (Python),
    // 2024-08-08 14:49:02 UTC+0900 (CloudFormation console), 2024/08/08 14:48:55 (Go's log package).
    re: new RegExp(
      `(?<![\\d/-])(\\d{4})([-/])(\\d{2})\\2(\\d{2})(?:T|\\s{1,2})(\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?${ZONE}`,
      'g',
    ),
    read: (m, o) =>
      zoned(m[9], o, { year: +m[1], month: +m[3], day: +m[4], hour: +m[5], minute: +m[6], second: +(m[7] ?? 0), ms: fraction(m[8]) }),
  },
  {
    // HTTP Date header (boto3 HTTPHeaders, CLI --debug): Thu, 08 Aug 2024 05:49:02 GMT
    re: new RegExp(`(?<![A-Za-z])${WEEKDAY},?\\s(\\d{1,2})\\s${MON}\\s(\\d{4})\\s(\\d{2}):(\\d{2}):(\\d{2})${ZONE}`, 'g'),
    read: (m, o) => zoned(m[7], o, { year: +m[3], month: monthIndex(m[2]), day: +m[1], hour: +m[4], minute: +m[5], second: +m[6], ms: 0 }),
  },
  {
    // java.util.Date#toString: Thu Aug 08 05:49:02 UTC 2024
    re: new RegExp(
      `(?<![A-Za-z])${WEEKDAY}\\s${MON}\\s{1,2}(\\d{1,2})\\s(\\d{2}):(\\d{2}):(\\d{2})\\s([A-Z]{1,5}(?:[+-]\\d{2}:?\\d{2})?)\\s(\\d{4})(?!\\d)`,
      'g',
    ),
    read: (m, o) => zoned(m[6], o, { year: +m[7], month: monthIndex(m[1]), day: +m[2], hour: +m[3], minute: +m[4], second: +m[5], ms: 0 }),
  },
  {
    // Common/combined log format: [08/Aug/2024:14:48:55 +0900]
    re: new RegExp(`(?<!\\d)(\\d{1,2})/${MON}/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?:\\s([+-]\\d{4}))?(?!\\d)`, 'g'),
    read: (m, o) => zoned(m[7], o, { year: +m[3], month: monthIndex(m[2]), day: +m[1], hour: +m[4], minute: +m[5], second: +m[6], ms: 0 }),
  },
  {
    // Console forms: "Aug 8, 2024, 2:48:55 PM", "August 08, 2024, 14:49:02 (UTC+09:00)"
    re: new RegExp(
      `(?<![A-Za-z])${MONTH_NAME}\\.?\\s(\\d{1,2}),?\\s(\\d{4}),?\\s(?:at\\s)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s?([AaPp])\\.?[Mm]\\.?)?${ZONE}`,
      'g',
    ),
    read: (m, o) =>
      zoned(m[8], o, {
        year: +m[3],
        month: monthIndex(m[1]),
        day: +m[2],
        hour: hour12(+m[4], m[7]),
        minute: +m[5],
        second: +(m[6] ?? 0),
        ms: 0,
      }),
  },
  {
    // en-US numeric: 8/8/2024, 2:49:02 PM (month first; a first number above 12 can only be a day)
    re: new RegExp(
      `(?<![\\d/])(\\d{1,2})/(\\d{1,2})/(\\d{4}),?\\s(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s?([AaPp])\\.?[Mm]\\.?)?${ZONE}`,
      'g',
    ),
    read: (m, o) => {
      const [a, b] = [+m[1], +m[2]];
      const [month, day] = a > 12 ? [b, a] : [a, b];
      return zoned(m[8], o, { year: +m[3], month, day, hour: hour12(+m[4], m[7]), minute: +m[5], second: +(m[6] ?? 0), ms: 0 });
    },
  },
  {
    // syslog: "Aug  8 14:48:55" (no year: the latest such time not after now + 1 day)
    re: new RegExp(`(?<![A-Za-z])${MON}\\s{1,2}(\\d{1,2})\\s(\\d{2}):(\\d{2}):(\\d{2})(?![\\d:])`, 'g'),
    read: (m, o) => {
      const parts = { year: o.now.getUTCFullYear(), month: monthIndex(m[1]), day: +m[2], hour: +m[3], minute: +m[4], second: +m[5], ms: 0 };
      let r = zoned(undefined, o, parts);
      if (r.time && r.time.getTime() > o.now.getTime() + DAY) r = zoned(undefined, o, { ...parts, year: parts.year - 1 });
      return r;
    },
  },
  {
    // Epoch seconds or milliseconds, only as the value of a time-like key: "eventTime": 1723096142
    re: /(["']?)([A-Za-z_$][\w$.-]{0,40})\1\s*[:=]\s*["']?(\d{10}|\d{13})(?:\.\d+)?(?![\d])/g,
    read: (m) => {
      const key = m[2].split('.').pop() ?? '';
      if (!TIME_KEY.test(key)) return { time: undefined, zoneKnown: true };
      const n = Number(m[3]);
      const ms = m[3].length === 13 ? n : n * SECOND;
      // 2000-01-01 .. 2100-01-01: anything else is a counter or an ID, not a time.
      if (ms < 946684800000 || ms > 4102444800000) return { time: undefined, zoneKnown: true };
      return { time: new Date(ms), zoneKnown: true };
    },
  },
];

function zoned(zone: string | undefined, o: Required<TimeOptions>, parts: Parts): { time: Date | undefined; zoneKnown: boolean } {
  const offset = parseZone(zone);
  return { time: build(parts, offset, o.timeZone === 'local'), zoneKnown: offset !== undefined };
}

/** Every timestamp in `text`, in document order. */
export function findTimestamps(text: string, opts?: TimeOptions): FoundTime[] {
  const o: Required<TimeOptions> = { now: opts?.now ?? new Date(), timeZone: opts?.timeZone ?? 'UTC' };
  const found: FoundTime[] = [];
  const taken = spanSet();
  for (const { re, read } of FORMATS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      // For the epoch form only the number is the timestamp, not its key.
      const start = re === FORMATS[FORMATS.length - 1].re ? m.index + m[0].lastIndexOf(m[3]) : m.index;
      const end = m.index + m[0].length;
      if (taken.overlaps(start, end)) continue;
      const { time, zoneKnown } = read(m, o);
      if (time && !Number.isNaN(time.getTime())) {
        found.push({ time, start, end, zoneKnown });
        taken.add(start, end);
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

const UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(?:ms|msecs?|milliseconds?)$/, 1],
  [/^(?:s|secs?|seconds?)$/, SECOND],
  [/^(?:m|mins?|minutes?)$/, MINUTE],
  [/^(?:h|hrs?|hours?)$/, HOUR],
  [/^(?:d|days?)$/, DAY],
  [/^(?:w|wks?|weeks?)$/, WEEK],
];

function invalidDuration(value: string): TrailLensError {
  return new TrailLensError('InvalidInput', `"${clip(value, 60)}" is not a duration.`, {
    hint: 'Use a number and a unit, e.g. 30s, 15m, 2h, 90d, 1w, 1h30m, or ISO 8601 such as PT15M.',
  });
}

/**
 * '15m', '2h', '90d', '30s', '1w', '1h30m', '2 hours', ISO 'PT15M' / 'P1DT2H' → milliseconds.
 * A bare number is refused: its unit would be a guess.
 */
export function parseDuration(value: string): number {
  const v = value.trim();
  if (v.length === 0 || v.length > 100) throw invalidDuration(value);
  const iso = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(v);
  if (iso) {
    if (!iso.slice(1).some((x) => x !== undefined) || /T$/i.test(v)) throw invalidDuration(value);
    const [w, d, h, m, s] = iso.slice(1).map((x) => Number(x ?? 0));
    return Math.round(w * WEEK + d * DAY + h * HOUR + m * MINUTE + s * SECOND);
  }
  if (!/^(?:\d+(?:\.\d+)?\s*[a-z]+[\s,]*)+$/i.test(v)) throw invalidDuration(value);
  let total = 0;
  for (const [, n, unit] of v.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const factor = UNITS.find(([re]) => re.test(unit.toLowerCase()))?.[1];
    if (factor === undefined) throw invalidDuration(value);
    total += Number(n) * factor;
  }
  return Math.round(total);
}

/** 900000 → '15m', 5400000 → '1h 30m', 1500 → '1.5s'; at most the two largest units. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < SECOND) return `${Math.round(ms)}ms`;
  if (ms < MINUTE) return `${Number((ms / SECOND).toFixed(1))}s`;
  const parts: string[] = [];
  let rest = Math.floor(ms / SECOND) * SECOND;
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.slice(0, 2).join(' ');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * The one UTC formatter, to the second (milliseconds are dropped, as CloudTrail drops them):
 * 'text' '2024-08-08 05:49:02 UTC' for people; 'iso' '2024-08-08T05:49:02Z', CloudTrail's eventTime
 * form; 'sql' '2024-08-08 05:49:02', a timestamp literal for Athena and CloudTrail Lake.
 */
export function formatUtc(d: Date, style: 'text' | 'iso' | 'sql' = 'text'): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (style === 'iso') return `${date}T${clock}Z`;
  return style === 'sql' ? `${date} ${clock}` : `${date} ${clock} UTC`;
}

/** '09:40–10:20 UTC' within one UTC day, else '2024-08-07 23:00 – 2024-08-08 01:00 UTC'. Seconds only when they are not :00. */
export function formatWindow(w: TimeWindow): string {
  const seconds = w.start.getUTCSeconds() !== 0 || w.end.getUTCSeconds() !== 0;
  const clock = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
  const date = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (date(w.start) === date(w.end)) return `${clock(w.start)}–${clock(w.end)} UTC`;
  return `${date(w.start)} ${clock(w.start)} – ${date(w.end)} ${clock(w.end)} UTC`;
}

/**
 * A time argument: 'now'; a relative age '15m', '2h', '3d', '1w' (also '-15m', '15m ago', '1h30m');
 * epoch seconds (10 digits) or milliseconds (13); an ISO date (UTC midnight) or date-time; any form
 * findTimestamps reads, when it is the whole value. Zone-less times are UTC, like CloudTrail's own.
 */
export function parseTimeArg(value: string, now: Date = new Date()): Date {
  const v = value.trim();
  if (/^now$/i.test(v)) return new Date(now.getTime());
  if (/^\d{10}$/.test(v)) return new Date(Number(v) * SECOND);
  if (/^\d{13}$/.test(v)) return new Date(Number(v));
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (date) {
    const d = build({ year: +date[1], month: +date[2], day: +date[3], hour: 0, minute: 0, second: 0, ms: 0 }, 0, false);
    if (d) return d;
  }
  const relative = /^-?\s*(.+?)(?:\s+ago)?$/i.exec(v);
  if (relative && /^\d/.test(relative[1]) && !/^\d{4}-/.test(relative[1])) {
    try {
      return new Date(now.getTime() - parseDuration(relative[1]));
    } catch {
      // not a duration; try the absolute forms below
    }
  }
  const found = findTimestamps(v, { now, timeZone: 'UTC' });
  if (found.length === 1 && found[0].start === 0 && found[0].end === v.length) return found[0].time;
  throw invalidTime(value);
}

function invalidTime(value: string): TrailLensError {
  return new TrailLensError('InvalidInput', `"${clip(value, 60)}" is not a time.`, {
    hint: 'Use an ISO time (2024-08-08T05:49:02Z), a date (2024-08-08), epoch seconds, "now", or an age such as 15m, 2h, 3d, 1w.',
  });
}

function ordered(start: Date, end: Date): TimeWindow {
  if (start.getTime() >= end.getTime()) {
    throw new TrailLensError('InvalidInput', `The start (${formatUtc(start)}) must be before the end (${formatUtc(end)}).`);
  }
  return { start, end };
}

/** A time range typed by a person: a length back from now (kept relative, so it rolls), or a start and end. */
export type TimeRangeArg = { kind: 'relative'; ms: number } | { kind: 'absolute'; start: Date; end: Date };

/** Where a typed range may split into start and end: "/", "..", "–", "—", " to ", " -- ", or white space. */
const RANGE_SEPARATOR = /\s*(?:\/|\.\.|[–—]|(?<=\s)(?:to|--)(?=\s))\s*|\s+/gi;

/**
 * A typed time range, in every form parseTimeArg reads: a duration ('36h', 'PT90M') back from now;
 * one time (from then to now); or a start and an end split by one of RANGE_SEPARATOR
 * ('2024-08-08T09:00Z/2024-08-08T10:30Z', '2024-08-08 09:00 2024-08-08 10:30', '3d to 2d').
 */
export function parseTimeRange(value: string, now: Date = new Date()): TimeRangeArg {
  const v = value.trim();
  if (v.length === 0 || v.length > 200) {
    throw new TrailLensError(
      'InvalidInput',
      v ? 'That time range is too long.' : 'Enter a duration such as 24h, or a start and an end time.',
    );
  }
  try {
    return { kind: 'relative', ms: parseDuration(v) };
  } catch {
    // not a duration: a time or a pair of times
  }
  const parse = (text: string): Date | undefined => {
    try {
      return parseTimeArg(text, now);
    } catch {
      return undefined;
    }
  };
  const single = parse(v);
  if (single) return { kind: 'absolute', ...ordered(single, now) };
  let explicit: { left: string; right: string } | undefined;
  RANGE_SEPARATOR.lastIndex = 0;
  for (let m = RANGE_SEPARATOR.exec(v); m; m = RANGE_SEPARATOR.exec(v)) {
    const left = v.slice(0, m.index);
    const right = v.slice(m.index + m[0].length);
    if (!left || !right) continue;
    const [start, end] = [parse(left), parse(right)];
    if (start && end) return { kind: 'absolute', ...ordered(start, end) };
    if (!explicit && m[0].trim()) explicit = { left, right };
  }
  if (explicit) throw invalidTime(parse(explicit.left) ? explicit.right : explicit.left);
  throw new TrailLensError('InvalidInput', `"${clip(value, 60)}" is not a duration, a time, nor a start and an end time.`, {
    hint: 'Use a duration back from now (45m, 36h, 10d), or a start and end such as 2024-08-08T09:00Z/2024-08-08T10:30Z (UTC unless an offset is given).',
  });
}

/** The CLI's and the API's window options: start/end, or around ± window, or window alone (back from now). */
export interface WindowArgs {
  start?: string;
  end?: string;
  around?: string;
  window?: string;
}

/** The window `args` ask for, or undefined when they name none; `maxAgeMs` is where an open start begins. */
export function windowFromArgs(args: WindowArgs, now: Date, maxAgeMs: number): TimeWindow | undefined {
  if (args.around) {
    if (args.start || args.end) throw new TrailLensError('InvalidInput', 'Use --around/--window or --start/--end, not both');
    const t = parseTimeArg(args.around, now);
    const half = parseDuration(args.window ?? `${DEFAULT_AROUND_MINUTES}m`);
    return { start: new Date(t.getTime() - half), end: new Date(Math.min(now.getTime(), t.getTime() + half)) };
  }
  if (args.window && !args.start && !args.end) return { start: new Date(now.getTime() - parseDuration(args.window)), end: now };
  if (!args.start && !args.end) return undefined;
  const start = args.start ? parseTimeArg(args.start, now) : new Date(now.getTime() - maxAgeMs);
  const end = args.end ? parseTimeArg(args.end, now) : now;
  return ordered(start, end);
}
