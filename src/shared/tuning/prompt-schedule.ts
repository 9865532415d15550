/**
 * The prompt tuner's schedule, replayed from what is stored, so a redelivered worker asks for exactly what is
 * missing. In order: the base prompt on every search case (it is the baseline every candidate is compared with),
 * then per generation one meta-model call and its candidates on every search case, then (with a held-out split)
 * the leader and the base on the held-out cases.
 *
 * Selection: a generation's candidates are ranked by their mean score over targets and search cases; the top
 * `selection_ratio` survive (at least one) and become the next generation's parents. Elitism: the best prompt so
 * far (from any generation, the base included) is always among the parents, so a bad generation cannot lose it,
 * and the final comparison ranks every candidate ever scored. Survivor ties go to the earlier candidate: that only
 * picks parents, it is not a claim; the answer itself treats ties as ties (`compareCandidates`).
 */

export const BASE_CANDIDATE = "base";
export const candidateKey = (generation: number, index: number) => `g${generation}p${index}`;

export interface StoredCandidate {
  key: string;
  generation: number;
  index: number;
  text: string;
}

export interface StoredGeneration {
  generation: number;
  status: "generated" | "failed";
  candidates: StoredCandidate[];
}

export interface PromptScheduleInput {
  generations: number;
  selectionRatio: number;
  /** Target keys ("provider_key::model_id"), in the tune's order. */
  targets: readonly string[];
  search: readonly string[];
  holdout: readonly string[];
  basePrompt: string;
  stored: readonly StoredGeneration[];
  /** candidate → target → case → score in [0, 1] (a failed call scores 0). */
  scores: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>>;
}

export interface TrialNeed {
  candidate: string;
  target: string;
  caseId: string;
}

export interface Parent {
  key: string;
  text: string;
  /** Mean score in [0, 1]. */
  score: number;
}

export type PromptStep =
  | { kind: "evaluate"; generation: number; needs: TrialNeed[] }
  | { kind: "generate"; generation: number; parents: Parent[] }
  | { kind: "holdout"; needs: TrialNeed[] }
  | { kind: "done" };

/** Mean over targets of the mean over `cases` (targets or cases without a score are left out); null when none. */
export function candidateScore(input: Pick<PromptScheduleInput, "targets" | "scores">, candidate: string, cases: readonly string[]): number | null {
  const byTarget = input.scores.get(candidate);
  if (!byTarget) return null;
  const targetMeans: number[] = [];
  for (const t of input.targets) {
    const byCase = byTarget.get(t);
    if (!byCase) continue;
    const s = cases.flatMap((c) => (byCase.has(c) ? [byCase.get(c)!] : []));
    if (s.length) targetMeans.push(s.reduce((a, b) => a + b, 0) / s.length);
  }
  return targetMeans.length ? targetMeans.reduce((a, b) => a + b, 0) / targetMeans.length : null;
}

function missing(input: PromptScheduleInput, candidates: readonly string[], cases: readonly string[]): TrialNeed[] {
  const needs: TrialNeed[] = [];
  for (const candidate of candidates)
    for (const target of input.targets)
      for (const caseId of cases) if (!input.scores.get(candidate)?.get(target)?.has(caseId)) needs.push({ candidate, target, caseId });
  return needs;
}

/** Candidates ranked by search score, best first; equal scores keep their order (base, then by generation and index). */
export function rankedCandidates(input: PromptScheduleInput, keys: readonly string[]): { key: string; score: number }[] {
  return keys
    .map((key, order) => ({ key, order, score: candidateScore(input, key, input.search) }))
    .filter((c): c is { key: string; order: number; score: number } => c.score !== null)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ key, score }) => ({ key, score }));
}

export function survivorsOf(input: PromptScheduleInput, generation: StoredGeneration): string[] {
  const ranked = rankedCandidates(
    input,
    generation.candidates.map((c) => c.key),
  );
  return ranked.slice(0, Math.max(1, Math.floor(ranked.length * input.selectionRatio))).map((c) => c.key);
}

export function nextPromptStep(input: PromptScheduleInput): PromptStep {
  const baseNeeds = missing(input, [BASE_CANDIDATE], input.search);
  if (baseNeeds.length) return { kind: "evaluate", generation: 0, needs: baseNeeds };
  const texts = new Map<string, string>([[BASE_CANDIDATE, input.basePrompt]]);
  const everyone: string[] = [BASE_CANDIDATE];
  let parents: string[] = [BASE_CANDIDATE];
  for (let g = 1; g <= input.generations; g++) {
    const stored = input.stored.find((s) => s.generation === g);
    if (!stored) {
      const elite = rankedCandidates(input, everyone)[0]?.key;
      const keys = elite && !parents.includes(elite) ? [...parents, elite] : parents;
      return {
        kind: "generate",
        generation: g,
        parents: keys.map((key) => ({ key, text: texts.get(key)!, score: candidateScore(input, key, input.search) ?? 0 })),
      };
    }
    if (stored.status === "failed" || !stored.candidates.length) continue; // the next generation mutates the same parents
    const keys = stored.candidates.map((c) => c.key);
    for (const c of stored.candidates) texts.set(c.key, c.text);
    const needs = missing(input, keys, input.search);
    if (needs.length) return { kind: "evaluate", generation: g, needs };
    everyone.push(...keys);
    parents = survivorsOf(input, stored);
  }
  if (input.holdout.length) {
    // Every prompt at the top (a tie names no single winner, so each is checked) and the base, on unseen cases.
    const leaders = leadersOf(input, everyone).filter((k) => k !== BASE_CANDIDATE);
    if (leaders.length) {
      const needs = missing(input, [...leaders, BASE_CANDIDATE], input.holdout);
      if (needs.length) return { kind: "holdout", needs };
    }
  }
  return { kind: "done" };
}

/** The candidates sharing the top search score (one when there is a single best). */
export function leadersOf(input: PromptScheduleInput, keys: readonly string[]): string[] {
  const ranked = rankedCandidates(input, keys);
  const top = ranked[0]?.score;
  return top === undefined ? [] : ranked.filter((c) => Math.abs(c.score - top) < 1e-12).map((c) => c.key);
}

/** Every candidate key with stored candidates, base first, in generation and index order. */
export function allCandidates(stored: readonly StoredGeneration[]): string[] {
  return [
    BASE_CANDIDATE,
    ...[...stored].sort((a, b) => a.generation - b.generation).flatMap((g) => [...g.candidates].sort((a, b) => a.index - b.index).map((c) => c.key)),
  ];
}

/** Calls a tune plans: the base and every candidate on every search case and target, the meta calls, the held-out check. */
/** (A tie at the top checks each tied prompt on the held-out cases, so that part can grow.) */
export function plannedPromptCalls(p: { generations: number; population: number; targets: number; searchCases: number; holdoutCases: number }) {
  const evalCalls = (1 + p.generations * p.population) * p.targets * p.searchCases + 2 * p.targets * p.holdoutCases;
  return { metaCalls: p.generations, evalCalls, total: p.generations + evalCalls };
}
