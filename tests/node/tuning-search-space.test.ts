import { describe, expect, it } from "vitest";
import { dimensionValues, Grid, MAX_RANGE_VALUES, resolveCombos } from "../../src/shared/tuning/search-space.ts";
import { SearchSpaceSchema } from "../../src/shared/tuning/search-space-schema.ts";

const parse = (space: unknown) => SearchSpaceSchema.safeParse(space);
const paths = (space: unknown) => {
  const r = parse(space);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

/** A small deterministic generator for tests (the shared statistics module has the product's). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("search space: parsing (§9.1) and the deviations we chose", () => {
  it("expands lists as given and ranges from min by step up to max, rounded to 6 dp", () => {
    expect(dimensionValues({ min: 0, max: 1, step: 0.25 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(dimensionValues({ min: 0, max: 0.3, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3]); // 0.30000000000000004 is kept
    expect(dimensionValues({ min: 0.5, max: 1, step: 0.3 })).toEqual([0.5, 0.8]);
    expect(dimensionValues(["auto", "required", "auto"])).toEqual(["auto", "required"]);
    const r = parse({ temperature: {} });
    expect(r.success && dimensionValues(r.data.temperature!)).toHaveLength(11); // defaults 0..1 step 0.1
  });
  it("refuses, naming the field, what the original skipped silently", () => {
    expect(paths({ top_k: [] })).toEqual(["top_k"]);
    expect(paths({ temperature: { min: 0, max: 1, step: 0 } })).toEqual(["temperature.step"]);
    expect(paths({ temperature: { min: 0, max: 1, step: -0.1 } })).toEqual(["temperature.step"]);
    expect(paths({ top_p: { min: 1, max: 0, step: 0.1 } })).toEqual(["top_p.min"]);
    expect(paths({ tool_choice: ["auto", "sometimes"] })).toEqual(["tool_choice.1"]);
    expect(paths({ tool_choice: { min: 0, max: 1, step: 1 } })).toEqual(["tool_choice"]);
    expect(paths({ temperature: { min: 0, max: 2, step: 2 / (MAX_RANGE_VALUES * 2) } })).toEqual(["temperature.step"]);
    expect(paths({ "Bad-Name": [1] })).toEqual(["Bad-Name"]);
  });
});

describe("search space: the grid", () => {
  const space = SearchSpaceSchema.parse({ temperature: [0, 0.5, 1], tool_choice: ["auto", "required"], top_p: [0.9, 1] });
  const grid = new Grid(space);

  it("counts and enumerates the Cartesian product in insertion order, last dimension fastest", () => {
    expect(grid.size).toBe(12);
    const all = grid.all();
    expect(all[0]).toEqual({ temperature: 0, tool_choice: "auto", top_p: 0.9 });
    expect(all[1]).toEqual({ temperature: 0, tool_choice: "auto", top_p: 1 });
    expect(all[11]).toEqual({ temperature: 1, tool_choice: "required", top_p: 1 });
    expect(new Set(all.map((c) => JSON.stringify(c))).size).toBe(12);
    expect(Object.keys(all[5]!)).toEqual(["temperature", "tool_choice", "top_p"]);
  });
  it("an empty space is one combo, {}", () => {
    expect(new Grid({}).all()).toEqual([{}]);
  });
  it("samples distinct combos reproducibly for a seed, without building the grid", () => {
    const big = new Grid(SearchSpaceSchema.parse({ a: { min: 0, max: 999, step: 1 }, b: { min: 0, max: 999, step: 1 } }));
    expect(big.size).toBe(1_000_000);
    const one = big.sample(50, lcg(7));
    expect(one).toHaveLength(50);
    expect(new Set(one.map((c) => JSON.stringify(c))).size).toBe(50);
    expect(big.sample(50, lcg(7))).toEqual(one);
    expect(big.sample(50, lcg(8))).not.toEqual(one);
    expect(grid.sample(99, lcg(1))).toEqual(grid.all()); // asking for more than exists gives the grid
  });
});

describe("search space: per-target resolution and de-duplication (§9.3)", () => {
  it("runs once the Anthropic temperatures that clamp to the same value, and says which were merged and why", () => {
    const combos = new Grid(SearchSpaceSchema.parse({ temperature: [0.5, 1, 1.5, 2] })).all();
    const { kept, merged } = resolveCombos({ providerKey: "anthropic", modelId: "claude-sonnet-4-5" }, combos, "auto");
    expect(kept.map((k) => k.temperature)).toEqual([0.5, 1]);
    expect(kept[1]!.merged).toEqual([2, 3]);
    expect(merged.map((m) => [m.index, m.into])).toEqual([
      [2, 1],
      [3, 1],
    ]);
    expect(merged[0]!.reason).toMatch(/temperature/);
  });
  it("keeps distinct calls apart, fills tool choice, and passes other parameters as provider params", () => {
    const combos = new Grid(SearchSpaceSchema.parse({ temperature: [0, 1.5], top_p: [0.5] })).all();
    const { kept, merged } = resolveCombos({ providerKey: "openai", modelId: "gpt-4o-mini" }, combos, "required");
    expect(merged).toEqual([]);
    expect(kept.map((k) => [k.temperature, k.tool_choice, k.provider_params])).toEqual([
      [0, "required", { top_p: 0.5 }],
      [1.5, "required", { top_p: 0.5 }],
    ]);
  });
});
