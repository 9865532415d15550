/**
 * Phrase-level reading of a request: how related two words are, proper names, quoted strings, noun
 * phrases after a verb or before a head noun, and action phrases ("turn on the hallway lights").
 */

import { CONCEPTS, GENERIC, STOP } from "./vocabulary.ts";
import { type Span, stem, type Word } from "./words.ts";

/** 1 for the same stem, 0.8 for a shared long prefix ("remind"/"reminder"), 0.7 for the same topic group, else 0. */
export function related(a: string, b: string): number {
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // "reminder"/"remind", and abbreviations: "prob"/"probability", "calc"/"calculate", "temp"/"temperature".
  if (long.startsWith(short) && ((short.length >= 5 && long.length >= 5) || (short.length >= 4 && long.length >= 7))) return 0.8;
  // "multiplication"/"multiply": a long shared beginning.
  let shared = 0;
  while (shared < short.length && short[shared] === long[shared]) shared++;
  if (shared >= 6) return 0.75;
  // "cmd"/"command", "msg"/"message", "img"/"image": an abbreviation of consonants.
  if (
    short.length >= 2 &&
    short.length <= 4 &&
    long.length >= 5 &&
    !/[aeiou]/.test(short.slice(1)) &&
    short[0] === long[0] &&
    isSubsequence(short, long)
  )
    return 0.7;
  for (const group of CONCEPTS) if (group.has(a) && group.has(b)) return 0.7;
  return 0;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

/**
 * Whether a short all-letters token is the initials of consecutive words ("hcf" → "highest common factor");
 * returns the offset of the first of those words, or -1.
 */
export function acronymAt(token: string, ws: Word[]): number {
  if (!/^[a-z]{2,5}$/.test(token) || /[aeiou]/.test(token.slice(1))) return -1;
  for (let i = 0; i + token.length <= ws.length; i++) {
    let ok = true;
    for (let k = 0; k < token.length; k++) if ((ws[i + k] as Word).lower[0] !== token[k]) ok = false;
    if (ok) return (ws[i] as Word).start;
  }
  return -1;
}

/** The content words (stems) of an identifier or description, stop words and generic words left out. */
export function contentStems(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const s = stem(w);
    if (s.length < 2 || STOP.has(s) || GENERIC.has(s) || /^\d+$/.test(s)) continue;
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** Whether `phrase` occurs in `lower` as whole words. */
export function hasPhrase(lower: string, phrase: string): boolean {
  return phraseIndex(lower, phrase) >= 0;
}

export function phraseIndex(lower: string, phrase: string, from = 0): number {
  let at = lower.indexOf(phrase, from);
  while (at >= 0) {
    const before = at === 0 ? " " : (lower[at - 1] as string);
    const after = at + phrase.length >= lower.length ? " " : (lower[at + phrase.length] as string);
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return at;
    at = lower.indexOf(phrase, at + 1);
  }
  return -1;
}

const MONTH_OR_DAY = new Set(
  "january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday"
    .split(" ")
    .map(stem),
);

/** Verbs and other words that are capitalised only because they open a sentence. */
const SENTENCE_WORDS = new Set(
  `turn switch put keep cool shuffle start set make create check look tell send remind find calculate get show give let
   play book schedule email text call order buy add help what how is are can could would please i'm i'd it's its
   invite dim close open lock unlock wake warm heat cancel plan remember track compute convert translate search list
   retrieve fetch provide determine estimate predict identify generate analyze analyse compare recommend suggest
   weather sure hey hi hello ok okay so also then now today tomorrow tonight`
    .split(/\s+/)
    .filter(Boolean)
    .map(stem),
);
const NAME_JOINERS = new Set(["de", "da", "do", "del", "della", "di", "la", "le", "van", "von", "der", "of", "el", "al"]);

export const FAMILY = [
  "mom",
  "mum",
  "mother",
  "dad",
  "father",
  "grandma",
  "grandpa",
  "grandmother",
  "grandfather",
  "wife",
  "husband",
  "sister",
  "brother",
];

export interface ProperName extends Span {
  words: number;
  /** All capitals (SMS, BBQ): an acronym rather than a name. */
  acronym: boolean;
}

/** Runs of capitalised words ("São Paulo", "Trader Joe's", "New York"), sentence-opening verbs left out. */
export function properNames(text: string, ws: Word[]): ProperName[] {
  const out: ProperName[] = [];
  let run: Word[] = [];
  const flush = () => {
    while (run.length > 0 && NAME_JOINERS.has((run[run.length - 1] as Word).lower)) run.pop();
    if (run.length > 0) {
      const first = run[0] as Word;
      const last = run[run.length - 1] as Word;
      const raw = text.slice(first.start, last.end);
      out.push({ start: first.start, end: last.end, text: raw, words: run.length, acronym: run.every((w) => w.raw === w.raw.toUpperCase()) });
    }
    run = [];
  };
  for (const w of ws) {
    const capital = /^\p{Lu}/u.test(w.raw);
    const joinable = run.length > 0 && NAME_JOINERS.has(w.lower) && text.slice((run[run.length - 1] as Word).end, w.start) === " ";
    const adjacent = run.length === 0 || /^\s+$/.test(text.slice((run[run.length - 1] as Word).end, w.start)) || joinable;
    const isName =
      capital &&
      w.lower !== "i" &&
      !/^i['’]/.test(w.lower) &&
      !MONTH_OR_DAY.has(w.stem) &&
      !(w.sentenceStart && (SENTENCE_WORDS.has(w.stem) || STOP.has(w.stem)));
    if ((isName || joinable) && adjacent) run.push(w);
    else {
      flush();
      if (isName) run.push(w);
    }
  }
  flush();
  return out;
}

/** Quoted stretches: "…", “…”, ‘…’ and '…' (an apostrophe inside a word does not open or close one). */
export function quotedStrings(text: string): Span[] {
  const out: Span[] = [];
  const pattern = /"([^"]+)"|“([^”]+)”|‘([^’]+)’|(?<![\p{L}\p{N}])'([^']+?)'(?![\p{L}\p{N}])/gu;
  for (const m of text.matchAll(pattern)) {
    const inner = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
    const start = (m.index ?? 0) + 1;
    out.push({ start, end: start + inner.length, text: inner });
  }
  return out;
}

const DETERMINERS = new Set(["a", "an", "the", "my", "our", "your", "their", "his", "her", "some", "this", "that", "these", "those", "its"]);
/** Words that end a noun phrase. */
const PHRASE_END = new Set(
  `for on at in with to from by every each that which who when where called named about into onto after before
   until during than and or but so if then while because via using as is are was were be will should would can
   could please now today tonight tomorrow`.split(/\s+/),
);

/** A noun phrase starting at word `from`: determiners skipped, ends at a preposition, a number or punctuation. */
export function nounPhraseAt(text: string, ws: Word[], from: number, stopAtNumbers = true): Span | null {
  let i = from;
  while (i < ws.length && DETERMINERS.has((ws[i] as Word).lower)) i++;
  const picked: Word[] = [];
  for (; i < ws.length; i++) {
    const w = ws[i] as Word;
    if (picked.length > 0 && /[,.;:!?()—–"“”]|\s-\s/.test(text.slice((picked[picked.length - 1] as Word).end, w.start))) break;
    if (PHRASE_END.has(w.lower)) break;
    if (stopAtNumbers && /^\d/.test(w.raw)) break;
    picked.push(w);
    if (picked.length >= 6) break;
  }
  if (picked.length === 0) return null;
  const first = picked[0] as Word;
  const last = picked[picked.length - 1] as Word;
  return { start: first.start, end: last.end, text: text.slice(first.start, last.end) };
}

/** The words right before a head noun ("my jazz playlist" → "jazz"), determiners left out. */
export function modifiersBefore(text: string, ws: Word[], headIndex: number): Span | null {
  const picked: Word[] = [];
  for (let i = headIndex - 1; i >= 0; i--) {
    const w = ws[i] as Word;
    const next = ws[i + 1] as Word;
    if (/[,.;:!?()—–"“”]/.test(text.slice(w.end, next.start))) break;
    if (DETERMINERS.has(w.lower) || PHRASE_END.has(w.lower) || STOP.has(w.lower) || SENTENCE_WORDS.has(w.stem)) break;
    picked.unshift(w);
    if (picked.length >= 4) break;
  }
  if (picked.length === 0) return null;
  const first = picked[0] as Word;
  const last = picked[picked.length - 1] as Word;
  return { start: first.start, end: last.end, text: text.slice(first.start, last.end) };
}

/** Verbs that act on a device, and what the command is when the verb takes a particle. */
const ACTION_VERBS: Array<{ pattern: RegExp; command: (m: RegExpMatchArray) => string }> = [
  { pattern: /\b(?:turn|turns|turning|switch|switches|switching)\s+(on|off)\b/g, command: (m) => (m[1] as string).toLowerCase() },
  {
    pattern:
      /\b(start|starts|stop|stops|dim|dims|brighten|close|closes|open|lock|locks|unlock|unlocks|play|plays|pause|mute|arm|disarm|activate|deactivate|run|runs|boil|brew)\b/g,
    command: (m) => stem(m[1] as string),
  },
];

export interface ActionPhrase extends Span {
  command: string;
  device: Span;
}

/** "turn on the hallway lights", "start the coffee maker": a verb and the device it acts on. */
export function actionPhrases(text: string, ws: Word[], scope: Span): ActionPhrase[] {
  const lower = text.toLowerCase();
  const found: ActionPhrase[] = [];
  for (const { pattern, command } of ACTION_VERBS) {
    for (const m of lower.slice(scope.start, scope.end).matchAll(pattern)) {
      const start = scope.start + (m.index ?? 0);
      const end = start + m[0].length;
      const next = ws.findIndex((w) => w.start >= end);
      if (next < 0) continue;
      const device = nounPhraseAt(text, ws, next);
      if (!device || device.end > scope.end || device.start - end > 6) continue;
      found.push({ start, end: device.end, text: text.slice(start, device.end), command: command(m), device });
    }
  }
  return found.sort((a, b) => a.start - b.start).filter((a, i, all) => i === 0 || a.start >= (all[i - 1] as ActionPhrase).end);
}
