/**
 * Which tools a request is about, and in what order to call them: every tool is scored against the text
 * (its name, description, parameter names and enum values, matched as words, near words or topic words),
 * tools below a bar are not relevant, and a request that asks for information and then an action
 * ("Check the weather in Denver — if it's cold, heat the living room") gets the information first.
 */

import { readArguments } from "./arguments.ts";
import { acronymAt, contentStems, related } from "./phrases.ts";
import type { ReadContext } from "./read-context.ts";
import { CHAT_CUES, GENERIC, STOP } from "./vocabulary.ts";
import { identifierWords, stem, type Word } from "./words.ts";

export interface CallerTool {
  name: string;
  description: string;
  schema: unknown;
}

export interface ToolMatch {
  tool: CallerTool;
  score: number;
  /** Best match quality of a topic word of the tool's name: 1 as written, 0.8 near, 0.7 same topic, 0 none. */
  nameMatch: number;
  /** Share of the name's topic words the text matches (at least by topic). */
  nameCoverage: number;
  /** Offset of the earliest text word matching a topic word of the name (Infinity when none does). */
  firstNameHit: number;
  /** Reads information rather than changing anything (get_…, "Returns …"). */
  getter: boolean;
  /** Share of the required parameters the text gave a value for (1 when there are none). */
  coverage: number;
  relevant: boolean;
}

/** A tool is relevant from this score on (with a name or description match, see `isRelevant`). */
export const RELEVANCE_BAR = 3;

/** Actions scoring at least this share of the best one count as named "as strongly". */
const CLOSE_SCORES = 0.75;

const GETTER_VERBS = new Set(["get", "fetch", "retrieve", "check", "lookup", "look", "find", "search", "query", "read", "show", "list", "current"]);

interface Term {
  stem: string;
  weight: number;
  fromName: boolean;
}

function termsOf(tool: CallerTool): Term[] {
  const terms = new Map<string, Term>();
  const add = (s: string, weight: number, fromName: boolean) => {
    if (s.length < 2 || STOP.has(s) || /^\d+$/.test(s)) return;
    const prev = terms.get(s);
    if (!prev || prev.weight < weight) terms.set(s, { stem: s, weight, fromName: fromName || (prev?.fromName ?? false) });
  };
  for (const w of identifierWords(tool.name)) {
    const s = stem(w);
    add(s, GENERIC.has(s) ? 1 : 3, !GENERIC.has(s));
  }
  for (const s of contentStems(tool.description.split(/[^\p{L}\p{N}]+/u))) add(s, 1, false);
  const props = isObject(tool.schema) && isObject(tool.schema.properties) ? tool.schema.properties : {};
  for (const [key, prop] of Object.entries(props)) {
    for (const s of contentStems(identifierWords(key))) add(s, 1, false);
    if (isObject(prop) && Array.isArray(prop.enum))
      for (const v of prop.enum) if (typeof v === "string") for (const s of contentStems(identifierWords(v))) add(s, 0.5, false);
  }
  return [...terms.values()];
}

function isGetter(tool: CallerTool): boolean {
  const first = identifierWords(tool.name).map(stem)[0] ?? "";
  if (GETTER_VERBS.has(first)) return true;
  return /^\s*(get|gets|return|returns|retrieve|retrieves|fetch|fetches|look up|looks up|check|checks|find|finds|search|searches)\b/i.test(
    tool.description,
  );
}

/** The request's first word when it is a verb-like opener (not a pronoun or question word). */
function headWord(ws: Word[]): Word | undefined {
  const first = ws[0];
  return first && !STOP.has(first.stem) ? first : undefined;
}

export function scoreTool(tool: CallerTool, ctx: ReadContext): ToolMatch {
  const ws = ctx.words;
  const contentWords = ws.filter((w) => !STOP.has(w.stem));
  let score = 0;
  let nameMatch = 0;
  let firstNameHit = Number.POSITIVE_INFINITY;
  let nameTerms = 0;
  let nameHits = 0;
  for (const term of termsOf(tool)) {
    if (term.fromName) nameTerms++;
    let best = 0;
    let at = Number.POSITIVE_INFINITY;
    for (const w of contentWords) {
      const q = related(w.stem, term.stem);
      if (q > best || (q === best && q > 0 && w.start < at)) {
        best = q;
        at = w.start;
      }
    }
    if (best === 0 && term.fromName) {
      // "math.hcf" for "the highest common factor"
      const at2 = acronymAt(term.stem, ws);
      if (at2 >= 0) {
        best = 1;
        at = at2;
      }
    }
    if (best === 0) continue;
    score += term.weight * best;
    if (term.fromName) {
      if (best >= 0.7) nameHits++;
      nameMatch = Math.max(nameMatch, best);
      firstNameHit = Math.min(firstNameHit, at);
    }
  }
  const head = headWord(ws);
  if (head && termsOf(tool).some((t) => t.weight >= 1 && identifierWords(tool.name).map(stem).includes(t.stem) && related(head.stem, t.stem) >= 0.7))
    score += 2;
  const read = readArguments(tool.schema, ctx);
  const coverage = read.required === 0 ? 1 : read.requiredFound / read.required;
  score += read.required === 0 ? 1 : 2 * coverage;
  // "Tell me a joke about clouds": a request for text, unless it names the tool and gives what it needs.
  if ((nameMatch < 1 || coverage < 0.5) && ws.some((w) => CHAT_CUES.has(w.stem))) score *= 0.3;
  const nameCoverage = nameTerms === 0 ? 0 : nameHits / nameTerms;
  const match: ToolMatch = { tool, score, nameMatch, nameCoverage, firstNameHit, getter: isGetter(tool), coverage, relevant: false };
  match.relevant = isRelevant(match);
  return match;
}

/**
 * Relevant: the score reaches the bar, at least half of the name's topic words match, and either one of
 * them matches as written (or nearly), or by topic with at least half of the required values in the text.
 */
export function isRelevant(m: ToolMatch): boolean {
  if (m.score < RELEVANCE_BAR) return false;
  // "the freezing point" is not what calculate_boiling_point is for: most of the name must match.
  if (m.nameMatch >= 0.8 && m.nameCoverage >= 0.5) return true;
  if (m.nameMatch >= 0.7 && m.nameCoverage >= 0.5) return m.coverage >= 0.5;
  return m.coverage >= 0.5 && m.score >= RELEVANCE_BAR + 2;
}

/** Every tool scored against the text, best first (ties keep the offered order). */
export function rankTools(tools: CallerTool[], ctx: ReadContext): ToolMatch[] {
  return tools.map((t) => scoreTool(t, ctx)).sort((a, b) => b.score - a.score);
}

/**
 * The calls the request asks for, in order: information first (tools that read something and that the
 * text names before the action), then the action. Empty when no tool is relevant.
 */
export function planCalls(ranked: ToolMatch[], ctx: ReadContext, knowsToday: boolean): CallerTool[] {
  const relevant = ranked.filter((m) => m.relevant);
  if (relevant.length === 0) return [];
  // The action: of the actions named about as strongly as the best one, the one the text names first
  // ("Create a routine …: dim the lights, set the thermostat" is a routine, not a thermostat setting).
  const actions = relevant.filter((m) => !m.getter && m.nameMatch >= 0.7);
  const strongest = actions[0]?.score ?? 0;
  const action = actions.filter((m) => m.score >= CLOSE_SCORES * strongest).sort((a, b) => a.firstNameHit - b.firstNameHit)[0];
  const main = action ?? (relevant[0] as ToolMatch);
  if (main.getter) return [main.tool];
  // Information the text asks for before the action, named outright ("check the weather", "what time is it"),
  // in an earlier clause or joined by "and".
  const separated = (from: number, to: number) => /[.!?;:—–,]|\s-\s|\b(?:and|then|if)\b/i.test(ctx.text.slice(from, to));
  const before: ToolMatch[] = ranked.filter(
    (m) =>
      m.getter && m.tool !== main.tool && m.nameMatch >= 0.8 && m.firstNameHit < main.firstNameHit && separated(m.firstNameHit, main.firstNameHit),
  );
  before.sort((a, b) => a.firstNameHit - b.firstNameHit);
  const plan = before.map((m) => m.tool);
  // "today at noon": a date the model does not know yet, when a tool can tell it.
  if (!knowsToday && needsToday(main.tool, ctx)) {
    const clock = ranked.find(
      (m) => m.getter && /\b(date|time|today|clock)\b/i.test(`${identifierWords(m.tool.name).join(" ")} ${m.tool.description}`),
    );
    if (clock && !plan.includes(clock.tool)) plan.unshift(clock.tool);
  }
  plan.push(main.tool);
  return plan;
}

function needsToday(tool: CallerTool, ctx: ReadContext): boolean {
  if (!/\b(today|tonight|tomorrow|this (?:morning|afternoon|evening))\b/i.test(ctx.text)) return false;
  const props = isObject(tool.schema) && isObject(tool.schema.properties) ? tool.schema.properties : {};
  return Object.entries(props).some(([key, p]) => {
    const desc = isObject(p) && typeof p.description === "string" ? p.description : "";
    return /date|datetime|iso 8601/i.test(`${key} ${desc}`);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
