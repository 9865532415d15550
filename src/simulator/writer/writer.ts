/**
 * The simulator's meta-model (`sim-writer`): answers a prompt-generation request from the prompt tuner with prompts
 * whose quality against `sim-tunable` is known, so a tuner run can be checked against the optimum.
 *
 * Quick requests get N prompts in five styles, each a recipe applied to the base prompt's traits (the keywords
 * sim-tunable reacts to): "clean" drops every bad trait and adds a good one (always among the first five, so a
 * weak base can always be beaten), "loose" drops the good ones and adds "creative" (worse), and three mixed ones.
 * Evolution requests mutate the parents' full texts: conservative edits of the best parent drop one bad trait and
 * add one missing good one (its good traits are kept), bold rewrites keep its good traits in a new style and
 * sometimes take a risk, and a crossover brings in the runner-up's good traits. Every choice is a draw seeded by
 * the request text and the model's tag, so the same request gets the same answer.
 */

import { draw } from "../caller/caller.ts";
import {
  addSentence,
  BAD_TRAITS,
  compose,
  coreSentences,
  DEFAULT_CORE,
  dropTrait,
  GOOD_TRAITS,
  NEUTRAL_SENTENCES,
  STYLES,
  type Style,
  TRAIT_SENTENCE,
  type Trait,
  traitsOf,
} from "./prompt-text.ts";
import { type Parent, readWriterTask, type WriterTask } from "./read-request.ts";

/** How the answer is wrapped: plain JSON, JSON in a ```json fence after a sentence, or JSON cut off mid-prompt. */
export type WriterFormat = "json" | "fenced" | "broken";
/** What the request asked for in `response_format` (OpenAI) or `output_format` (Anthropic). */
export type ResponseFormat = "json_schema" | "json_object" | null;

export interface WriterRequest {
  system: string;
  user: string;
  responseFormat: ResponseFormat;
}

interface Written {
  prompt: string;
  style: string;
  parentIndex: number | null;
  mutationType: string | null;
}

type Recipe = "clean" | "loose" | "trimmed" | "mixed" | "restrained";
const RECIPES: readonly Recipe[] = ["clean", "loose", "trimmed", "mixed", "restrained"];

const BOLD_OPENERS = [
  "You are an assistant that carries out requests with tools.",
  "You are a tool-calling assistant.",
  "You help users by calling the right tool with the right arguments.",
] as const;

/** The answer text, or null when the request is not a prompt-generation request. */
export function writerAnswer(request: WriterRequest, seed: string, format: WriterFormat): string | null {
  const task = readWriterTask(request.user);
  if (!task) return null;
  const rng = seeded(`writer\u0000${seed}\u0000${request.system}\u0000${request.user}`);
  const written = task.mode === "quick" ? quick(task, rng) : evolve(task, rng);
  return render(written, task.mode, request.responseFormat, format);
}

type Rng = (label: string) => number;

function seeded(key: string): Rng {
  return (label) => draw(`${key}\u0000${label}`);
}

function pick<T>(items: readonly T[], u: number): T {
  return items[Math.min(items.length - 1, Math.floor(u * items.length))] as T;
}

function quick(task: WriterTask, rng: Rng): Written[] {
  const core = coreSentences(task.base);
  const base = traitsOf(task.base);
  const order = recipeOrder(Math.min(task.count, RECIPES.length), rng);
  const out: Written[] = [];
  for (let k = 0; k < task.count; k++) {
    const styleIndex = k % STYLES.length;
    // Same style again (k ≥ 5) gets another recipe, so (style, recipe) pairs stay distinct for 25 prompts.
    const recipe = order[(styleIndex + Math.floor(k / STYLES.length)) % RECIPES.length] as Recipe;
    const traits = applyRecipe(recipe, base, (label) => rng(`${k}\u0000${label}`));
    const style = STYLES[styleIndex] as Style;
    out.push({
      prompt: compose(style, core.length > 0 ? core : [DEFAULT_CORE], sentencesFor(traits), task.tools),
      style,
      parentIndex: null,
      mutationType: null,
    });
  }
  return distinct(out);
}

/** A seeded order of the recipes with "clean" and "loose" among the first `shown`. */
function recipeOrder(shown: number, rng: Rng): Recipe[] {
  const order = [...RECIPES];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng(`shuffle${i}`) * (i + 1));
    [order[i], order[j]] = [order[j] as Recipe, order[i] as Recipe];
  }
  const bringIn = (recipe: Recipe, avoid: number) => {
    const at = order.indexOf(recipe);
    if (at < shown) return at;
    let slot = Math.floor(rng(`slot-${recipe}`) * shown);
    if (slot === avoid) slot = (slot + 1) % shown;
    [order[at], order[slot]] = [order[slot] as Recipe, order[at] as Recipe];
    return slot;
  };
  const clean = bringIn("clean", -1);
  if (shown >= 2) bringIn("loose", clean);
  return order;
}

function applyRecipe(recipe: Recipe, base: Set<Trait>, rng: Rng): Set<Trait> {
  const goods = GOOD_TRAITS.filter((t) => base.has(t));
  const bads = BAD_TRAITS.filter((t) => base.has(t));
  const missingGood = GOOD_TRAITS.filter((t) => !base.has(t));
  switch (recipe) {
    case "clean":
      return new Set([...goods, ...(missingGood.length > 0 ? [pick(missingGood, rng("good"))] : [])]);
    case "loose":
      return new Set<Trait>([...bads, bads.includes("creativity") ? "always" : "creativity"]);
    case "trimmed": {
      if (bads.length === 0) return new Set([...goods, ...(missingGood.length > 0 ? [pick(missingGood, rng("good"))] : [])]);
      const dropped = pick(bads, rng("bad"));
      return new Set([...goods, ...bads.filter((t) => t !== dropped)]);
    }
    case "mixed":
      return new Set<Trait>([...goods, ...bads, "precision", "creativity"]);
    case "restrained":
      return new Set<Trait>([...goods, ...bads.filter((t) => t !== "always"), "restraint"]);
  }
}

function sentencesFor(traits: Set<Trait>): string[] {
  return [...GOOD_TRAITS, ...BAD_TRAITS].filter((t) => traits.has(t)).map((t) => TRAIT_SENTENCE[t]);
}

type Mutation =
  | { kind: "conservative"; parent: Parent; fix: number }
  | { kind: "bold"; parent: Parent; variant: number }
  | { kind: "crossover"; parent: Parent; other: Parent };

function evolve(task: WriterTask, rng: Rng): Written[] {
  // Best first; a tie keeps the listed order, as the tuner lists survivors best first.
  const ranked = task.parents.map((p, i) => ({ p, i })).sort((a, b) => b.p.score - a.p.score || a.i - b.i);
  const best = (ranked[0] as { p: Parent }).p;
  const second = ranked[1]?.p;
  const plan: Mutation[] = [
    { kind: "conservative", parent: best, fix: 0 },
    { kind: "bold", parent: best, variant: 0 },
    { kind: "conservative", parent: best, fix: 1 },
    second ? { kind: "crossover", parent: best, other: second } : { kind: "conservative", parent: best, fix: 2 },
    { kind: "bold", parent: best, variant: 1 },
  ];
  for (let j = plan.length; j < task.count; j++) {
    const parent = (ranked[j % ranked.length] as { p: Parent }).p;
    plan.push(j % 2 === 0 ? { kind: "conservative", parent, fix: j } : { kind: "bold", parent, variant: j });
  }
  const out = plan.slice(0, task.count).map((m, j) => mutate(m, task.tools, (label) => rng(`${j}\u0000${label}`)));
  return distinct(out);
}

function mutate(m: Mutation, tools: string[], rng: Rng): Written {
  const traits = traitsOf(m.parent.text);
  const done = (prompt: string): Written => ({ prompt, style: m.kind, parentIndex: m.parent.index, mutationType: m.kind });
  switch (m.kind) {
    case "conservative": {
      // One targeted edit: drop one bad trait and add one missing good one; the parent's good traits stay.
      const bads = BAD_TRAITS.filter((t) => traits.has(t));
      const missing = GOOD_TRAITS.filter((t) => !traits.has(t));
      let text = m.parent.text;
      if (bads.length > 0) text = dropTrait(text, bads[(m.fix + Math.floor(rng("bad") * bads.length)) % bads.length] as Trait);
      if (missing.length > 0)
        text = addSentence(text, TRAIT_SENTENCE[missing[(m.fix + Math.floor(rng("good") * missing.length)) % missing.length] as Trait]);
      if (bads.length === 0 && missing.length === 0)
        text = addSentence(text, neutralFor(text, Math.floor(rng("neutral") * NEUTRAL_SENTENCES.length)));
      return done(keepGood(text, traits));
    }
    case "bold": {
      // A rewrite in another style keeps the good traits; it adds a missing one, or takes a risk, or neither.
      const keep = new Set(GOOD_TRAITS.filter((t) => traits.has(t)));
      const missing = GOOD_TRAITS.filter((t) => !traits.has(t));
      const u = rng("risk");
      if (u < 0.5 && missing.length > 0) keep.add(pick(missing, rng("good")));
      else if (u >= 0.5 && u < 0.8) keep.add("creativity");
      const style = STYLES[(Math.floor(rng("style") * STYLES.length) + m.variant) % STYLES.length] as Style;
      return done(compose(style, [pick(BOLD_OPENERS, rng("opener"))], sentencesFor(keep), tools));
    }
    case "crossover": {
      // The best parent, with the runner-up's good traits it lacks and without bad ones the runner-up does without.
      const other = traitsOf(m.other.text);
      let text = m.parent.text;
      for (const t of BAD_TRAITS) if (traits.has(t) && !other.has(t)) text = dropTrait(text, t);
      for (const t of GOOD_TRAITS) if (other.has(t) && !traitsOf(text).has(t)) text = addSentence(text, TRAIT_SENTENCE[t]);
      return done(keepGood(text, traits));
    }
  }
}

/** A dropped sentence may have carried a good trait too; put any lost one back. */
function keepGood(text: string, parent: Set<Trait>): string {
  let out = text;
  for (const t of GOOD_TRAITS) if (parent.has(t) && !traitsOf(out).has(t)) out = addSentence(out, TRAIT_SENTENCE[t]);
  return out;
}

/** The first neutral sentence from `start` on that the text does not have yet. */
function neutralFor(text: string, start: number): string {
  for (let n = 0; n < NEUTRAL_SENTENCES.length; n++) {
    const sentence = NEUTRAL_SENTENCES[(start + n) % NEUTRAL_SENTENCES.length] as string;
    if (!text.includes(sentence)) return sentence;
  }
  return NEUTRAL_SENTENCES[start % NEUTRAL_SENTENCES.length] as string;
}

/** Prompts must differ: a repeat gets one more neutral sentence, then another, until it is new. */
function distinct(items: Written[]): Written[] {
  const seen = new Set<string>();
  return items.map((w, k) => {
    let prompt = w.prompt;
    while (seen.has(prompt)) prompt = addSentence(prompt, neutralFor(prompt, k));
    seen.add(prompt);
    return { ...w, prompt };
  });
}

function render(items: Written[], mode: WriterTask["mode"], responseFormat: ResponseFormat, format: WriterFormat): string {
  // Under a json_schema response format the entries follow the schema ({style, prompt, parent_index}); otherwise
  // the shape the meta-prompt asked for.
  const prompts = items.map((w) => {
    if (responseFormat === "json_schema") return { style: w.style, prompt: w.prompt, parent_index: w.parentIndex };
    if (mode === "quick") return { style: w.style, prompt: w.prompt };
    return { parent_index: w.parentIndex, mutation_type: w.mutationType, prompt: w.prompt };
  });
  const json = JSON.stringify({ prompts }, null, 2);
  if (format === "fenced") return `Here are the prompts you asked for.\n\n\`\`\`json\n${json}\n\`\`\`\n`;
  if (format === "broken") return brokenJson(json, items[0]?.prompt ?? "");
  return json;
}

/** The answer cut inside its first prompt (before any bracket in it), as a model that ran out of tokens leaves it. */
function brokenJson(json: string, firstPrompt: string): string {
  const encoded = JSON.stringify(firstPrompt).slice(1, -1);
  const at = json.indexOf(`"prompt": "${encoded.slice(0, 20)}`);
  if (at === -1) return json.slice(0, json.indexOf("[") + 1);
  const bracket = encoded.search(/[[\]{}]/);
  const keep = Math.min(40, bracket === -1 ? encoded.length : bracket);
  return json.slice(0, at + `"prompt": "`.length + keep);
}
