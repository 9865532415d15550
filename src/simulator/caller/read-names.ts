/**
 * Who, where and what it is called: places, rooms, people, message text and names or labels. These read spans
 * of the text itself (proper names, quoted text, "saying …"), so they mark what they take for other parameters.
 */

import { contentStems, FAMILY, modifiersBefore, phraseIndex, related } from "./phrases.ts";
import { found, free, inScope, mark, type ReadContext, type Reading, type Schema } from "./read-context.ts";
import { FILLER_NOUNS, NUMBER_WORDS, ROOMS, STOP } from "./vocabulary.ts";
import { identifierWords, type Span, stem } from "./words.ts";

export function isFamily(text: string): boolean {
  return FAMILY.includes(text.toLowerCase());
}

export function readPlace(ctx: ReadContext, scope: Span): Reading | undefined {
  const candidates = ctx.names.filter((n) => free(ctx, n, scope) && !n.acronym && !isFamily(n.text));
  const after = (n: Span) => /\b(?:in|from|to|at|near|for|of|visit|visiting|around)\s+$/i.test(ctx.text.slice(Math.max(0, n.start - 12), n.start));
  const pick = candidates.find(after) ?? candidates[0];
  if (!pick) return undefined;
  mark(ctx, pick);
  // "Riga, Latvia", "Chicago, Illinois": a place followed by its region.
  const next = ctx.names.find((n) => n.start > pick.end && /^,\s*$/.test(ctx.text.slice(pick.end, n.start)));
  if (next && next.words <= 2) {
    mark(ctx, next);
    return found(ctx.text.slice(pick.start, next.end));
  }
  return found(pick.text);
}

export function roomsIn(ctx: ReadContext, scope: Span): Span[] {
  const out: Span[] = [];
  const lower = ctx.lower;
  for (const room of ROOMS) {
    let at = phraseIndex(lower, room, scope.start);
    while (at >= 0 && at + room.length <= scope.end) {
      if (!out.some((r) => at < r.end && at + room.length > r.start))
        out.push({ start: at, end: at + room.length, text: ctx.text.slice(at, at + room.length) });
      at = phraseIndex(lower, room, at + 1);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export function readPerson(ctx: ReadContext, scope: Span): Reading | undefined {
  const family = ctx.words.find((w) => inScope(w, scope) && FAMILY.includes(w.lower) && !ctx.used.has(w.start));
  const named = ctx.names.filter((n) => free(ctx, n, scope) && !n.acronym && n.words <= 2);
  const afterCue = (s: Span) =>
    /\b(?:to|invite|tell|text|email|call|message|notify|remind|ask|with|for|by|of)\s+$/i.test(ctx.text.slice(Math.max(0, s.start - 10), s.start));
  const pick = named.find(afterCue) ?? (family ? { start: family.start, end: family.end, text: family.raw } : named[0]);
  if (!pick) return undefined;
  mark(ctx, pick);
  return found(pick.text);
}

/** "saying dinner is ready", "that I'll be home by 6", "about the power cut": what a message should say. */
export function readMessage(name: string, ctx: ReadContext, scope: Span): Reading | undefined {
  const quote = ctx.quotes.find((q) => free(ctx, q, scope));
  const text = ctx.text.slice(scope.start, scope.end);
  const nameStems = contentStems(identifierWords(name));
  const mentioned = ctx.words.some((w) => inScope(w, scope) && nameStems.some((s) => related(w.stem, s) >= 0.8));
  if (quote && mentioned) {
    mark(ctx, quote);
    return found(quote.text);
  }
  const m =
    /\b(?:saying|says|that says|to say|telling (?:them|him|her)|reading|with the message|note saying|that)\s+(.+?)(?:\s+[—–-]\s+|[.!?;]|,\s*(?:and\s+)?(?:mark|make|send|then)\b|$)/i.exec(
      text,
    );
  if (m && (m[1] as string).trim().length > 1) return found((m[1] as string).trim());
  // "add todo with content go to sleep at 9 pm": whatever follows the parameter's name.
  const named = ctx.words.find((w) => inScope(w, scope) && nameStems.includes(w.stem));
  if (named) {
    const rest = /^\s*(?:[:=]|is|of)?\s*(.+?)\s*(?:[.!?]|$)/.exec(ctx.text.slice(named.end, scope.end))?.[1];
    if (rest && rest.length > 1) return found(rest);
  }
  if (quote) {
    mark(ctx, quote);
    return found(quote.text);
  }
  return undefined;
}

/** Names and labels: quoted text, "called X", "my X playlist", "a timer for the laundry", the verb's object. */
export function readNaming(name: string, schema: Schema, ctx: ReadContext, scope: Span): Reading | undefined {
  const quote = ctx.quotes.find((q) => free(ctx, q, scope));
  if (quote) {
    mark(ctx, quote);
    return found(quote.text);
  }
  const text = ctx.text.slice(scope.start, scope.end);
  const called = /\b(?:called|named|titled)\s+([\p{L}\p{N}_][\p{L}\p{N}_ ]*?)(?=\s+(?:that|which|to|for|on|at|with)\b|[,.;:!?]|$)/iu.exec(text);
  if (called && !/_/.test(called[1] as string)) return found((called[1] as string).trim());

  // The thing being named: "playlist" for a playlist name, "list" for "Name for the shopping list".
  const desc = typeof schema.description === "string" ? schema.description : "";
  const heads = [...identifierWords(name), ...desc.split(/[^\p{L}]+/u)]
    .map(stem)
    .filter((s, i, all) => s.length > 2 && !STOP.has(s) && !NAMING_WORDS.has(s) && all.indexOf(s) === i);
  for (const head of [...heads].reverse()) {
    const at = ctx.words.findIndex((w) => inScope(w, scope) && w.stem === head);
    if (at < 0) continue;
    const mods = modifiersBefore(ctx.text, ctx.words, at);
    const cleaned = mods && cleanName(mods, ctx);
    if (cleaned) return found(cleaned);
  }
  // "a timer for the laundry cycle", "for it" (the pasta from "I put pasta on the stove").
  const forWhat = /\bfor\s+(?:the\s+|my\s+|a\s+)?([\p{L}][\p{L} ]*?)(?=[,.;:!?]|\s+(?:and|in|at|on|to|so|then)\b|$)/iu.exec(text);
  const labelIt = /\b(?:label|name|call|tag)\s+it\b/i.test(text);
  if (forWhat && !/^(?:it|that|this|me|you|us|them|now|later|today|tomorrow|tonight)$/i.test(forWhat[1] as string)) {
    const words = (forWhat[1] as string).split(/\s+/).filter((w) => !FILLER_NOUNS.has(stem(w)) && !/^\d/.test(w));
    const minutesLike = words.some((w) => /^(minutes?|hours?|seconds?|days?)$/i.test(w));
    if (words.length > 0 && words.length <= 4 && !minutesLike) return found(words.join(" "));
  }
  if (labelIt || (forWhat && /^it$/i.test(forWhat[1] as string))) {
    const antecedent = activityOf(ctx);
    if (antecedent) return found(antecedent);
  }
  return undefined;
}

const NAMING_WORDS = new Set(["name", "titl", "label", "optional", "nam", "for", "the"]);

/** What the speaker is doing: "I'm power napping" → "power nap", "I put pasta on the stove" → "pasta". */
function activityOf(ctx: ReadContext): string | null {
  const gerund = /\bI['’]?m\s+((?:[a-z]+\s+)?[a-z]+ing)\b/i.exec(ctx.text);
  if (gerund) {
    const ws = (gerund[1] as string).split(/\s+/);
    const last = ws.pop() as string;
    const base = last.replace(/ing$/, "").replace(/([b-df-hj-np-tv-z])\1$/, "$1");
    if (!/^(go|about|going|try|trying|look|looking|expect|expecting|decid|deciding)/.test(ws[0] ?? base)) return [...ws, base].join(" ");
  }
  const put = /\bI\s+(?:put|placed|started|am making|am cooking|am baking|made)\s+(?:the\s+|some\s+|a\s+)?([a-z]+(?:\s+[a-z]+)?)\b/i.exec(ctx.text);
  if (put) {
    const ws = (put[1] as string).split(/\s+/).filter((w) => !/^(on|in|into|at)$/i.test(w));
    const cut = ws.findIndex((w) => /^(on|in|into|at|for)$/i.test(w));
    return (cut >= 0 ? ws.slice(0, cut) : ws).slice(0, 1).join(" ") || null;
  }
  return null;
}

/** A name without the words other parameters took (enum options, days, frequencies). */
export function cleanName(span: Span, ctx: ReadContext): string | null {
  const kept = span.text.split(/\s+/).filter((w) => {
    const s = stem(w);
    if (ctx.enumStems.has(s) || STOP.has(s) || /^\d/.test(w) || w.toLowerCase() in NUMBER_WORDS) return false;
    if (
      /^(bi-?weekly|fortnightly|daily|weekly|monthly|yearly|annual|weekday|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?$/i.test(
        w,
      )
    )
      return false;
    if (/^(minutes?|hours?|seconds?)$/i.test(w)) return false;
    return true;
  });
  return kept.length > 0 ? kept.join(" ") : null;
}
