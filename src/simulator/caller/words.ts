/**
 * Words of a request as the simulated caller sees them: tokens with their positions, a light stemmer
 * (so "lights"/"light", "raining"/"rain", "scheduled"/"schedule" meet), and clause boundaries.
 */

export interface Word {
  /** As written (punctuation stripped). */
  raw: string;
  lower: string;
  stem: string;
  /** Index among the words of the text. */
  index: number;
  /** Character offsets in the text. */
  start: number;
  end: number;
  /** First word of a sentence (capitalisation says nothing about it being a name). */
  sentenceStart: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** A light suffix stemmer: both sides of every comparison go through it, so it only has to be consistent. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, "");
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  const strip = (suffix: string, minRest: number) => {
    if (!w.endsWith(suffix)) return false;
    const rest = w.slice(0, -suffix.length);
    if (rest.length < minRest || !/[aeiouy]/.test(rest)) return false;
    w = rest;
    return true;
  };
  if (strip("ing", 3) || strip("ed", 3)) {
    // napping → nap, shopped → shop (but fill, pass, buzz keep their double letter)
    if (/([b-df-hj-km-prtv-xz])\1$/.test(w)) w = w.slice(0, -1);
  }
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

export function words(text: string): Word[] {
  const out: Word[] = [];
  let sentenceStart = true;
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    const between = text.slice(last, start);
    if (out.length > 0 && /[.!?:;—–]|\s-\s|\n/.test(between)) sentenceStart = true;
    const raw = m[0];
    out.push({ raw, lower: raw.toLowerCase(), stem: stem(raw), index: out.length, start, end: start + raw.length, sentenceStart });
    sentenceStart = false;
    last = start + raw.length;
  }
  return out;
}

/** Words of an identifier or a description: snake_case, camelCase, dots and spaces all separate. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export interface Span {
  start: number;
  end: number;
  text: string;
}

/**
 * Clauses: pieces of the text between sentence ends, dashes, semicolons, colons, commas and the joiners
 * "then", "and then", "if", "so", "but". Joiner words are left out of the pieces.
 */
export function clauses(text: string): Span[] {
  const out: Span[] = [];
  const boundary = /[.!?;:—–]+\s*|\s-\s|,\s*|\n+|\b(?:and then|then|if|so|but)\b\s*/gi;
  let from = 0;
  for (const m of text.matchAll(boundary)) {
    const at = m.index ?? 0;
    push(out, text, from, at);
    from = at + m[0].length;
  }
  push(out, text, from, text.length);
  return out;
}

function push(out: Span[], text: string, start: number, end: number): void {
  const piece = text.slice(start, end);
  const lead = piece.length - piece.trimStart().length;
  const trimmed = piece.trim();
  if (trimmed !== "") out.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
}

/** Splits a list-like stretch of text into items at commas, semicolons and "and"/"or"/"then" joiners. */
export function listItems(text: string): Span[] {
  const out: Span[] = [];
  const boundary = /\s*[,;]\s*(?:and\s+|or\s+|then\s+)?|\s+(?:and|or|then|plus)\s+/gi;
  let from = 0;
  for (const m of text.matchAll(boundary)) {
    const at = m.index ?? 0;
    push(out, text, from, at);
    from = at + m[0].length;
  }
  push(out, text, from, text.length);
  return out;
}
