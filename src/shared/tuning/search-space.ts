/**
 * The parameter tuner's search space (original §9.1, §9.3): parse and check it, count and enumerate its combos
 * without materialising the grid, draw a seeded random sample, and resolve each combo per target through the
 * provider parameter registry so combos that clamp to the same call run once.
 *
 * Deviations from the original, on purpose: an empty list, a range with `step ≤ 0` or `min > max`, and a grid
 * over the cap are refused with a message naming the field (the original skipped them silently or ran them all).
 */
import { type Adjustment, validateParams } from "../provider-params.ts";

export type ParamValue = string | number | boolean;
export type Combo = Record<string, ParamValue>;

/** Default cap on a grid's size; over it the user is pointed at random search or successive halving. */
export const MAX_GRID_COMBOS = 5_000;
/** A range may not expand to more values than this (a typo such as step 0.0001 would pin the planner). */
export const MAX_RANGE_VALUES = 1_000;

/** Parameter names a space may use (the schema checks them). */
export const PARAM_NAME = /^[a-z_][a-z0-9_]{0,63}$/;
export const TOOL_CHOICES = ["auto", "required", "none"] as const;

/** A numeric dimension: from min up to max by step. */
export interface ParamRange {
  min: number;
  max: number;
  step: number;
}
/**
 * A parsed search space. Written by hand rather than inferred: the web app imports this module, and the zod schema
 * (search-space-schema.ts, which checks that the two agree) would bring all of zod into its first load.
 */
export type SearchSpace = Record<string, ParamValue[] | ParamRange>;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** How many values a range expands to. */
export const rangeLength = (r: ParamRange) => Math.floor((r.max - r.min) / r.step + 1e-9) + 1;

/** One dimension's values in order: a list as given, a range from min upward by step up to max (6 dp). */
export function dimensionValues(dim: SearchSpace[string]): ParamValue[] {
  if (Array.isArray(dim)) return [...new Set(dim)];
  const n = rangeLength(dim);
  return Array.from({ length: n }, (_, i) => round6(dim.min + i * dim.step));
}

/** The space as ordered dimensions; combos enumerate in insertion order, the last dimension fastest. */
export class Grid {
  readonly names: string[];
  readonly values: ParamValue[][];
  readonly size: number;

  constructor(space: SearchSpace) {
    this.names = Object.keys(space);
    this.values = this.names.map((n) => dimensionValues(space[n]!));
    this.size = this.values.reduce((p, v) => p * v.length, 1); // an empty space is one combo: {}
  }

  /** The combo at a grid index (mixed-radix decode), so a sample never needs the whole grid in memory. */
  at(index: number): Combo {
    const combo: Combo = {};
    let rest = index;
    for (let d = this.names.length - 1; d >= 0; d--) {
      const vs = this.values[d]!;
      combo[this.names[d]!] = vs[rest % vs.length]!;
      rest = Math.floor(rest / vs.length);
    }
    // Keep insertion order in the object, as the user wrote the space.
    return Object.fromEntries(this.names.map((n) => [n, combo[n]!]));
  }

  all(): Combo[] {
    return Array.from({ length: this.size }, (_, i) => this.at(i));
  }

  /** `n` distinct combos drawn uniformly with the given generator (all of them, in grid order, when n ≥ size). */
  sample(n: number, random: () => number): Combo[] {
    if (n >= this.size) return this.all();
    const picked = new Set<number>();
    // Floyd's algorithm: n draws, no retries, uniform over n-subsets.
    for (let j = this.size - n; j < this.size; j++) {
      const t = Math.floor(random() * (j + 1));
      picked.add(picked.has(t) ? j : t);
    }
    return [...picked].sort((a, b) => a - b).map((i) => this.at(i));
  }
}

/** A combo as one target will really be called: the registry's resolved parameters and what it changed. */
export interface ResolvedCombo {
  /** Index of this combo in the list it was resolved from. */
  index: number;
  config: Combo;
  temperature: number;
  tool_choice: (typeof TOOL_CHOICES)[number];
  provider_params: Record<string, unknown>;
  adjustments: Adjustment[];
  /** Indices of the combos that resolved to the same call and were merged into this one. */
  merged: number[];
}

export interface MergedCombo {
  index: number;
  config: Combo;
  into: number;
  reason: string;
}

/**
 * Resolves combos for one target (§9.3): temperature (0 when absent) and every provider parameter go through the
 * registry; combos whose resolved call is identical run once. `defaultToolChoice` fills a combo without one.
 */
export function resolveCombos(
  target: { providerKey: string; modelId: string },
  combos: readonly Combo[],
  defaultToolChoice: (typeof TOOL_CHOICES)[number],
): { kept: ResolvedCombo[]; merged: MergedCombo[] } {
  const byKey = new Map<string, ResolvedCombo>();
  const kept: ResolvedCombo[] = [];
  const merged: MergedCombo[] = [];
  combos.forEach((config, index) => {
    const { temperature, tool_choice, max_tokens: _ignored, ...rest } = config;
    const toolChoice = (typeof tool_choice === "string" ? tool_choice : defaultToolChoice) as ResolvedCombo["tool_choice"];
    const v = validateParams(target.providerKey, target.modelId, { temperature: typeof temperature === "number" ? temperature : 0, ...rest });
    const { temperature: resolvedTemp, ...providerParams } = v.resolved_params;
    const key = JSON.stringify([toolChoice, resolvedTemp ?? null, Object.entries(providerParams).sort(([a], [b]) => a.localeCompare(b))]);
    const first = byKey.get(key);
    if (first) {
      first.merged.push(index);
      const changes = v.adjustments.filter((a) => a.action === "clamp" || a.action === "drop");
      merged.push({
        index,
        config,
        into: first.index,
        reason: changes.length
          ? changes.map((a) => `${a.param}: ${a.reason}`).join("; ")
          : "the same call as an earlier combo after the provider's parameter rules",
      });
      return;
    }
    const r: ResolvedCombo = {
      index,
      config,
      temperature: typeof resolvedTemp === "number" ? resolvedTemp : 0,
      tool_choice: toolChoice,
      provider_params: providerParams,
      adjustments: v.adjustments,
      merged: [],
    };
    byKey.set(key, r);
    kept.push(r);
  });
  return { kept, merged };
}
