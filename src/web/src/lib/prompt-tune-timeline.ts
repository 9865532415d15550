// A prompt tune as the page draws it (pure): generations with their prompt cards, each card's score per target,
// survivors, the best prompt so far, and the score trend per generation against the base prompt. Built from the
// stored answer (a read on attach, or the final one) with the live items on top: while the job runs the items are
// newer than the last read; once the final read is in there are no items and the answer is the whole truth.
import type { PromptLiveItem } from "./prompt-tune-live-fold.ts";
import { BASE_KEY, type CandidateView, candidateLabel, type PromptTuneAnswer, type PromptTuneMode } from "./prompt-tune-types.ts";

export interface CardTarget {
  provider_key: string;
  model_id: string;
  /** 0–1 on the search cases (null until it has run). */
  score: number | null;
  cases: number;
  failed_calls: number;
}

export interface PromptCard {
  key: string;
  label: string;
  generation: number;
  index: number;
  text: string;
  style: string | null;
  mutation_type: string | null;
  parent_key: string | null;
  /** The parent's first characters, from the live event (the stored answer names the parent by key). */
  parent_preview: string | null;
  targets: CardTarget[];
  /** Mean over targets on the search cases, 0–1. */
  score: number | null;
  /** Scores on the held-out cases, per target, once that check ran. */
  heldout: { provider_key: string; model_id: string; score: number }[];
  /** Survived selection (evolutionary runs, once the generation was ranked); null = not decided. */
  survived: boolean | null;
  best_so_far: boolean;
  /** An evaluation of this prompt is running now. */
  running: boolean;
}

export type GenerationState = "pending" | "writing" | "evaluating" | "ranked" | "failed";

export interface TimelineGeneration {
  generation: number;
  state: GenerationState;
  error: string | null;
  cards: PromptCard[];
  best_score: number | null;
}

export interface PromptTimeline {
  base: PromptCard | null;
  generations: TimelineGeneration[];
  /** The candidate with the top score so far (null while nothing is scored, or when the final answer is a tie). */
  best_so_far: string | null;
  /** Best score per generation (null = nothing scored) and the base prompt's, 0–1. */
  trend: { generation: number; best: number | null }[];
  base_score: number | null;
}

export interface TimelineInput {
  items: readonly PromptLiveItem[];
  answer: PromptTuneAnswer | null;
  /** The answer is final (the job is over and it was read after). */
  final: boolean;
  /** The job still runs (running markers are shown only then). */
  running: boolean;
  mode: PromptTuneMode | null;
  generations: number;
  /** Targets in the run's order (from the submit or the stored run). */
  targets: readonly { provider_key: string; model_id: string }[];
  basePrompt: string;
}

const SEARCH = "search cases";
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const sameTarget = (a: { provider_key: string; model_id: string }, b: { provider_key: string; model_id: string }) =>
  a.provider_key === b.provider_key && a.model_id === b.model_id;

function cardFromAnswer(c: CandidateView): PromptCard {
  return {
    key: c.key,
    label: c.label,
    generation: c.generation,
    index: c.index,
    text: c.text,
    style: c.style,
    mutation_type: c.mutation_type,
    parent_key: c.parent_key,
    parent_preview: null,
    targets: c.targets.map((t) => ({
      provider_key: t.provider_key,
      model_id: t.model_id,
      score: t.cases ? t.overall_score : null,
      cases: t.cases,
      failed_calls: t.failed_calls,
    })),
    score: c.score,
    heldout: [],
    survived: null,
    best_so_far: false,
    running: false,
  };
}

function emptyCard(key: string, generation: number, index: number, text: string): PromptCard {
  return {
    key,
    label: candidateLabel(key),
    generation,
    index,
    text,
    style: null,
    mutation_type: null,
    parent_key: null,
    parent_preview: null,
    targets: [],
    score: null,
    heldout: [],
    survived: null,
    best_so_far: false,
    running: false,
  };
}

export function promptTimeline(input: TimelineInput): PromptTimeline {
  const { items, answer } = input;
  const cards = new Map<string, PromptCard>();
  for (const c of answer?.candidates ?? []) cards.set(c.key, cardFromAnswer(c));
  const card = (key: string, generation: number, index: number) => {
    let c = cards.get(key);
    if (!c) {
      c = emptyCard(key, generation, index, key === BASE_KEY ? input.basePrompt : "");
      cards.set(key, c);
    }
    return c;
  };
  if (!cards.has(BASE_KEY) && input.basePrompt) card(BASE_KEY, 0, 0);

  // Live items on top of the last read.
  const liveScored = new Set<string>();
  const starts = new Map<string, number>();
  const done = new Map<string, number>();
  for (const i of items) {
    if (i.item === "generated") {
      const c = card(i.candidate, i.generation, i.index);
      if (!c.text || (c.text.length < i.text.length && c.text === i.text.slice(0, c.text.length))) c.text = i.text;
      c.style ??= i.style;
      c.mutation_type ??= i.mutation_type;
      c.parent_preview = i.parent_preview;
      if (!c.parent_key && input.mode !== "evolutionary") c.parent_key = BASE_KEY;
    } else if (i.item === "eval_start") {
      const k = `${i.candidate}\u0000${i.stage}`;
      starts.set(k, (starts.get(k) ?? 0) + 1);
    } else if (i.item === "eval") {
      const k = `${i.candidate}\u0000${i.stage}`;
      done.set(k, (done.get(k) ?? 0) + 1);
      const c = card(i.candidate, i.generation, Number(/p(\d+)$/.exec(i.candidate)?.[1] ?? 0));
      if (i.stage === SEARCH) {
        const figures = { provider_key: i.provider_key, model_id: i.model_id, score: i.overall_score, cases: i.cases, failed_calls: 0 };
        const at = c.targets.findIndex((t) => sameTarget(t, i));
        c.targets = at >= 0 ? c.targets.map((t, n) => (n === at ? { ...t, ...figures, failed_calls: t.failed_calls } : t)) : [...c.targets, figures];
        liveScored.add(c.key);
      } else {
        c.heldout = [...c.heldout.filter((h) => !sameTarget(h, i)), { provider_key: i.provider_key, model_id: i.model_id, score: i.overall_score }];
      }
    }
  }
  for (const c of cards.values()) {
    // Targets in the run's order; a card scored live averages what has reported.
    if (input.targets.length) {
      c.targets = input.targets.map(
        (t) =>
          c.targets.find((x) => sameTarget(x, t)) ?? { provider_key: t.provider_key, model_id: t.model_id, score: null, cases: 0, failed_calls: 0 },
      );
    }
    if (liveScored.has(c.key) || c.score === null) {
      const scored = c.targets.flatMap((t) => (t.score === null ? [] : [t.score]));
      c.score = scored.length ? mean(scored) : c.score;
    }
    if (input.running) {
      for (const stage of [SEARCH, "held-out cases"]) {
        const k = `${c.key}\u0000${stage}`;
        if ((starts.get(k) ?? 0) > (done.get(k) ?? 0)) c.running = true;
      }
    }
  }

  // Generations: the stored answer's outcome, then what the live items say.
  const total = Math.max(input.generations, answer?.generations.length ?? 0, ...[...cards.values()].map((c) => c.generation));
  const gens: TimelineGeneration[] = Array.from({ length: total }, (_, n) => ({
    generation: n + 1,
    state: "pending" as GenerationState,
    error: null,
    cards: [],
    best_score: null,
  }));
  const survivorsOf = new Map<number, Set<string>>();
  for (const g of answer?.generations ?? []) {
    const gen = gens[g.generation - 1];
    if (!gen) continue;
    if (g.status === "failed") {
      gen.state = "failed";
      gen.error = g.error;
    } else if (g.status === "generated") {
      const own = g.candidates.map((k) => cards.get(k));
      // Ranked once every prompt of it has its score (mid-run reads rank whatever has run).
      gen.state = own.length && own.every((c) => c?.targets.every((t) => t.score !== null)) ? "ranked" : "evaluating";
      if (gen.state === "ranked" || input.final) survivorsOf.set(g.generation, new Set(g.survivors));
    }
  }
  for (const i of items) {
    const gen = gens[i.generation - 1];
    if (!gen) continue;
    if (i.item === "generation_start" && gen.state === "pending") gen.state = "writing";
    else if (i.item === "generated" && (gen.state === "pending" || gen.state === "writing")) gen.state = "evaluating";
    else if (i.item === "generation_error") {
      gen.state = "failed";
      gen.error = i.message;
    } else if (i.item === "generation_complete") {
      gen.state = "ranked";
      survivorsOf.set(i.generation, new Set(i.survivors.map((idx) => `g${i.generation}p${idx}`)));
    }
  }
  for (const c of cards.values()) {
    if (c.key === BASE_KEY) continue;
    const gen = gens[c.generation - 1];
    if (!gen) continue;
    if (gen.state === "pending" || gen.state === "writing") gen.state = "evaluating";
    const survivors = survivorsOf.get(c.generation);
    // Selection matters only where a next generation is bred from the survivors.
    if (survivors && input.mode === "evolutionary") c.survived = survivors.has(c.key);
    gen.cards.push(c);
  }
  for (const gen of gens) {
    gen.cards.sort((a, b) => a.index - b.index);
    const scored = gen.cards.flatMap((c) => (c.score === null ? [] : [c.score]));
    gen.best_score = scored.length ? Math.max(...scored) : null;
  }

  // The best so far: the server's pick once final (none for a tie), else the top score (a tie marks nobody).
  const base = cards.get(BASE_KEY) ?? null;
  let best: string | null;
  if (input.final && answer) best = answer.best_key;
  else {
    const ranked = [...cards.values()].filter((c) => c.score !== null).sort((a, b) => b.score! - a.score!);
    best = ranked.length && (ranked.length === 1 || ranked[0]!.score! > ranked[1]!.score!) ? ranked[0]!.key : null;
  }
  for (const c of cards.values()) c.best_so_far = c.key === best;

  return {
    base,
    generations: gens,
    best_so_far: best,
    trend: gens.map((g) => ({ generation: g.generation, best: g.best_score })),
    base_score: base?.score ?? answer?.base_score ?? null,
  };
}
