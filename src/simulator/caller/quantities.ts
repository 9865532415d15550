/**
 * Numbers, durations, clock times and dates in a request's text, each with where it was found, so the
 * argument reader can pick the one a parameter asks for and leave the rest to other parameters.
 */

import { NUMBER_WORDS } from "./vocabulary.ts";

export interface Found {
  start: number;
  end: number;
}

export interface NumberMention extends Found {
  value: number;
  /** Written with a decimal point ("5.0", "30.45"). */
  decimal: boolean;
}

export interface DurationMention extends Found {
  seconds: number;
  /** "biweekly": how often, not how long. */
  periodic?: boolean;
}

export interface ClockMention extends Found {
  hour: number;
  minute: number;
}

export interface DateMention extends Found {
  year: number | null;
  month: number | null;
  day: number | null;
  /** A day of the week (0 = Sunday) meaning its next occurrence. */
  weekday?: number;
  /** "until"/"through" before it, "skip"/"except" before it: what the date is for. */
  role: "start" | "end" | "except";
}

export interface Quantities {
  numbers: NumberMention[];
  durations: DurationMention[];
  clocks: ClockMention[];
  dates: DateMention[];
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_ALT = `(${MONTHS.join("|")}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)`;
const UNITS: Record<string, number> = {
  second: 1,
  seconds: 1,
  sec: 1,
  secs: 1,
  minute: 60,
  minutes: 60,
  min: 60,
  mins: 60,
  hour: 3600,
  hours: 3600,
  hr: 3600,
  hrs: 3600,
  day: 86400,
  days: 86400,
  week: 604800,
  weeks: 604800,
};
const UNIT_ALT = `(${Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .join("|")})\\b`;
const WORD_NUMBER = `(?:${Object.keys(NUMBER_WORDS).join("|")})(?:[\\s-](?:${Object.keys(NUMBER_WORDS).join("|")}))*`;
// A number as written: digits (thousands separators allowed), or number words ("one and a half", "a dozen").
const NUMBER_TEXT = `(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|${WORD_NUMBER}(?:\\s+and\\s+a\\s+half)?|an?\\s+dozen|an?\\s+couple(?:\\s+of)?|an?|half\\s+an?)`;

/** "one and a half" → 1.5, "twenty five" → 25, "a dozen" → 12, "30.45" → 30.45; null when not a number. */
export function numberValue(text: string): number | null {
  const t = text
    .toLowerCase()
    .trim()
    .replace(/,(?=\d{3})/g, "");
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (t === "a" || t === "an") return 1;
  if (/^half\s+an?$/.test(t)) return 0.5;
  let total = 0;
  let any = false;
  let rest = t.replace(/^an?\s+/, "");
  let half = 0;
  if (/\s+and\s+a\s+half$/.test(rest)) {
    half = 0.5;
    rest = rest.replace(/\s+and\s+a\s+half$/, "");
  }
  for (const part of rest.split(/[\s-]+/)) {
    if (part === "of") continue;
    const v = NUMBER_WORDS[part];
    if (v === undefined) return null;
    any = true;
    if (v === 100) total = (total || 1) * 100;
    else total += v;
  }
  return any ? total + half : null;
}

export function findQuantities(text: string): Quantities {
  const lower = text.toLowerCase();
  const taken: Found[] = [];
  const overlaps = (s: number, e: number) => taken.some((t) => s < t.end && e > t.start);
  const take = (s: number, e: number) => taken.push({ start: s, end: e });

  const dates: DateMention[] = [];
  const addDate = (m: RegExpMatchArray, year: number | null, month: number | null, day: number | null) => {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (overlaps(start, end)) return;
    take(start, end);
    dates.push({ start, end, year, month, day, role: dateRole(lower, start) });
  };
  for (const m of lower.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) addDate(m, Number(m[1]), Number(m[2]), Number(m[3]));
  for (const m of lower.matchAll(new RegExp(`\\bend of ${MONTH_ALT}\\b`, "g"))) {
    const month = monthIndex(m[1] as string);
    addDate(m, null, month, month === null ? null : -1);
  }
  for (const m of lower.matchAll(new RegExp(`\\b(\\d{4})\\s+${MONTH_ALT}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, "g"))) {
    addDate(m, Number(m[1]), monthIndex(m[2] as string), Number(m[3]));
  }
  for (const m of lower.matchAll(new RegExp(`\\b${MONTH_ALT}\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s*(\\d{4}))?`, "g"))) {
    addDate(m, m[3] ? Number(m[3]) : null, monthIndex(m[1] as string), Number(m[2]));
  }
  for (const m of lower.matchAll(new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_ALT}\\b(?:,?\\s+(\\d{4}))?`, "g"))) {
    addDate(m, m[3] ? Number(m[3]) : null, monthIndex(m[2] as string), Number(m[1]));
  }
  for (const m of lower.matchAll(/\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b/g)) addDate(m, null, null, Number(m[1]));
  for (const m of lower.matchAll(/\b(today|tonight|tomorrow)\b/g)) addDate(m, null, null, m[1] === "tomorrow" ? -2 : 0);
  // "next Thursday", "on Wednesday": the next such day (not one followed by its date, "Monday April 25th").
  for (const m of lower.matchAll(
    /\b(?:(?:next|this|upcoming|coming|on)\s+)*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!,?\s+(?:\d|january|february|march|april|may|june|july|august|september|october|november|december))/g,
  )) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (
      overlaps(start, end) ||
      (/\b(?:every|each|on)\s+$/.test(lower.slice(Math.max(0, start - 6), start)) && !/^(?:next|this|upcoming|coming)/.test(m[0]))
    )
      continue;
    take(start, end);
    dates.push({ start, end, year: null, month: null, day: null, weekday: WEEKDAYS.indexOf(m[1] as string), role: dateRole(lower, start) });
  }

  const clocks: ClockMention[] = [];
  const addClock = (m: RegExpMatchArray, hour: number, minute: number) => {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (overlaps(start, end) || hour > 23 || minute > 59) return;
    take(start, end);
    clocks.push({ start, end, hour, minute });
  };
  for (const m of lower.matchAll(/\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])/g)) {
    const h = Number(m[1]) % 12;
    addClock(m, (m[3] as string).startsWith("p") ? h + 12 : h, Number(m[2] ?? 0));
  }
  for (const m of lower.matchAll(/\b([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?\b/g)) addClock(m, Number(m[1]), Number(m[2]));
  for (const m of lower.matchAll(/\b(noon|midday|midnight)\b/g)) addClock(m, m[1] === "midnight" ? 0 : 12, 0);

  const durations: DurationMention[] = [];
  const durationPattern = new RegExp(`\\b${NUMBER_TEXT}[\\s-]*${UNIT_ALT}`, "g");
  for (const m of lower.matchAll(durationPattern)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const value = numberValue(m[1] as string);
    const unit = UNITS[m[2] as string];
    if (value === null || unit === undefined || overlaps(start, end)) continue;
    take(start, end);
    durations.push({ start, end, seconds: value * unit });
  }
  // "biweekly" and "fortnightly" are intervals of two weeks.
  for (const m of lower.matchAll(/\b(?:bi-?weekly|fortnightly)\b/g)) {
    const start = m.index ?? 0;
    durations.push({ start, end: start + m[0].length, seconds: 2 * 604800, periodic: true });
  }

  const numbers: NumberMention[] = [];
  for (const m of lower.matchAll(
    new RegExp(
      `(?<![\\w.])(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|${WORD_NUMBER}(?:\\s+and\\s+a\\s+half)?|a\\s+dozen)(?![\\d.]\\d)(?!\\w*\\d)`,
      "g",
    ),
  )) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const value = numberValue(m[1] as string);
    if (value === null) continue;
    // Numbers inside dates and clock times belong to them; durations keep theirs listed too (a bare "20 minutes" is also 20).
    if (dates.some((d) => start < d.end && end > d.start) || clocks.some((c) => start < c.end && end > c.start)) continue;
    numbers.push({ start, end, value, decimal: /\./.test(m[1] as string) });
  }
  const byStart = <T extends Found>(a: T, b: T) => a.start - b.start;
  dates.sort(byStart);
  // "skip April 18th and May 2nd": a date listed right after another shares its role.
  for (let i = 1; i < dates.length; i++) {
    const prev = dates[i - 1] as DateMention;
    const d = dates[i] as DateMention;
    if (/^\s*(?:,|and|,\s*and)\s*$/.test(lower.slice(prev.end, d.start))) d.role = prev.role;
    // "from 2023 April 4th to April 8th", "April 3rd to April 5th 2023": a range shares its year.
    if (d.year === null && prev.year !== null && d.month !== null) d.year = prev.year;
    if (prev.year === null && d.year !== null && prev.month !== null && /^\s*(?:to|-|–|until|through|and)\s*$/.test(lower.slice(prev.end, d.start)))
      prev.year = d.year;
  }
  return { numbers: numbers.sort(byStart), durations: durations.sort(byStart), clocks: clocks.sort(byStart), dates };
}

function monthIndex(name: string): number | null {
  const i = MONTHS.findIndex((m) => m.startsWith(name.slice(0, 3)));
  return i < 0 ? null : i + 1;
}

function dateRole(lower: string, start: number): DateMention["role"] {
  const before = lower.slice(Math.max(0, start - 30), start);
  if (/\b(until|till|through|ending|ends?|stop(?:s|ping)?)\s+(?:on\s+)?(?:the\s+)?$/.test(before)) return "end";
  if (/\b(skip(?:ping)?|except|excluding|not on|but not)\s+(?:on\s+)?(?:the\s+)?$/.test(before)) return "except";
  return "start";
}

/** A date as YYYY-MM-DD, resolving the year, "today"/"tomorrow" and "end of <month>" against `today`. */
export function isoDate(d: DateMention, today: { year: number; month: number; day: number }): string | null {
  let { year, month, day } = d;
  if (d.weekday !== undefined) {
    const base = new Date(Date.UTC(today.year, today.month - 1, today.day));
    const ahead = (d.weekday - base.getUTCDay() + 7) % 7 || 7;
    return new Date(base.getTime() + ahead * 86400000).toISOString().slice(0, 10);
  }
  if (month === null && (day === 0 || day === -2)) {
    const base = new Date(Date.UTC(today.year, today.month - 1, today.day + (day === -2 ? 1 : 0)));
    return base.toISOString().slice(0, 10);
  }
  month ??= today.month;
  year ??= month < today.month || (month === today.month && day !== null && day > 0 && day < today.day) ? today.year + 1 : today.year;
  if (day === -1) day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === null || day < 1 || day > 31) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** "today is Monday April 25th 2023", "Today is monday 2022-10-20": the text says what day it is. */
export function statedToday(text: string, q: Quantities): { year: number; month: number; day: number; mention: DateMention } | null {
  const lower = text.toLowerCase();
  for (const d of q.dates) {
    if (d.year === null || d.month === null || d.day === null || d.day < 1) continue;
    if (/\btoday(?:'s date)?\s+is\s+(?:\w+,?\s+)?$/.test(lower.slice(Math.max(0, d.start - 30), d.start)))
      return { year: d.year, month: d.month, day: d.day, mention: d };
  }
  return null;
}

export function pad(n: number): string {
  return String(n).padStart(2, "0");
}
