/**
 * The Param Tuner page's search-space model (src/web/src/lib/tune-space.ts) and its live fold's "newest report per
 * combo": the inline issues mirror the API's refusals, the combo and call counts are the server's own planning
 * (checked against what tests/worker/param-tune.test.ts gets back), the compatibility matrix reads the registry, and
 * presets keep to their limit.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { latestRows } from "../../src/web/src/lib/param-tune-live-fold.ts";
import type { ComboRow } from "../../src/web/src/lib/param-tune-types.ts";
import {
  BUILT_IN_PRESETS,
  caseSplit,
  compatRow,
  defaultSpaceForm,
  deletePreset,
  estimateTune,
  loadPresets,
  MAX_PRESETS,
  planTune,
  type SpaceForm,
  savePreset,
  spaceFromForm,
} from "../../src/web/src/lib/tune-space.ts";

const baseline = { temperature: 0, tool_choice: "auto" as const, provider_params: {} };

function form(edit: (f: SpaceForm) => void): SpaceForm {
  const f = defaultSpaceForm();
  edit(f);
  return f;
}

describe("space builder: what the API takes and what it refuses", () => {
  it("starts with temperature 0–2 step 0.1 and tool_choice auto + required, the original's defaults", () => {
    const { space, issues } = spaceFromForm(defaultSpaceForm());
    expect(issues).toEqual({});
    expect(space).toEqual({ temperature: { min: 0, max: 2, step: 0.1 }, tool_choice: ["auto", "required"] });
  });

  it("names the field for step ≤ 0, min > max, a non-number, an empty list and no tool choice", () => {
    const t = (patch: Partial<SpaceForm["numeric"][string]>) => spaceFromForm(form((f) => Object.assign(f.numeric.temperature!, patch))).issues;
    expect(t({ step: "0" })).toEqual({ "temperature.step": "step must be greater than 0" });
    expect(t({ step: "-0.1" })).toEqual({ "temperature.step": "step must be greater than 0" });
    expect(t({ min: "1.5", max: "0.5" })).toEqual({ "temperature.min": "min (1.5) is greater than max (0.5)" });
    expect(t({ max: "" })).toEqual({ "temperature.max": "max must be a number" });
    expect(t({ step: "0.0001" })["temperature.step"]).toMatch(/20,001 values; use at most 1000/);
    expect(t({ mode: "list", list: " , " })).toEqual({ "temperature.list": expect.stringMatching(/at least one value/) });
    expect(t({ mode: "list", list: "0.2, warm" })).toEqual({ "temperature.list": "“warm” is not a number" });
    const noChoice = spaceFromForm(
      form((f) => {
        f.toolChoice.values = [];
      }),
    ).issues;
    expect(noChoice.tool_choice).toMatch(/at least one tool choice/);
  });

  it("a list becomes numbers; a parameter turned off is left out", () => {
    const { space } = spaceFromForm(
      form((f) => {
        f.numeric.temperature = { ...f.numeric.temperature!, mode: "list", list: "0.2, 1 1.6" };
        f.toolChoice.enabled = false;
      }),
    );
    expect(space).toEqual({ temperature: [0.2, 1, 1.6] });
  });
});

describe("combo count and planned calls, as the server plans them", () => {
  const sim = [{ provider_key: "local_simulator", model_id: "sim-ttft1-tps2000-len4" }];

  it("counts the baseline as a combo when no combo makes its call (the worker test's 5 combos, 30 calls)", () => {
    const [plan] = planTune({
      space: { temperature: [0, 0.7], top_p: [0.5, 1] },
      strategy: "grid",
      nTrials: 50,
      repeats: 1,
      holdoutFraction: 0,
      cases: 6,
      baseline,
      models: sim,
    });
    expect(plan).toMatchObject({ expanded: 4, combos: 5, trials: 30, overCap: false });
  });

  it("merges combos an Anthropic model clamps to the same call, and the baseline that is one of them", () => {
    const [plan] = planTune({
      space: { temperature: [0, 1, 1.5, 2] },
      strategy: "grid",
      nTrials: 50,
      repeats: 2,
      holdoutFraction: 0,
      cases: 10,
      baseline,
      models: [{ provider_key: "anthropic", model_id: "claude-sonnet-4-5" }],
    });
    // 1.5 and 2 clamp to 1; the baseline (temperature 0, auto) is the first combo's call.
    expect(plan).toMatchObject({ expanded: 4, combos: 2, merged: 2, trials: 2 * 10 * 2 });
  });

  it("flags a grid over the cap, and halving plans fewer calls than the grid", () => {
    const big = { temperature: { min: 0, max: 2, step: 0.001 }, tool_choice: ["auto", "required", "none"] };
    const input = { space: big, nTrials: 50, repeats: 1, holdoutFraction: 0, cases: 40, baseline, models: sim };
    const [grid] = planTune({ ...input, strategy: "grid" });
    expect(grid).toMatchObject({ expanded: 6003, overCap: true });
    const [halving] = planTune({ ...input, strategy: "halving" });
    expect(halving!.overCap).toBe(false);
    expect(halving!.trials).toBeLessThan(6004 * 40);
    const [random] = planTune({ ...input, strategy: "random", nTrials: 20 });
    expect(random).toMatchObject({ combos: 21, trials: 21 * 40 });
  });

  it("splits held-out cases like the server: at least one, never all", () => {
    expect(caseSplit(10, 0.3)).toEqual({ search: 7, holdout: 3 });
    expect(caseSplit(2, 0.5)).toEqual({ search: 1, holdout: 1 });
    expect(caseSplit(10, 0)).toEqual({ search: 10, holdout: 0 });
  });

  it("estimates cost from the catalogue's price and says which model has none", () => {
    const plans = planTune({
      space: { temperature: [0] },
      strategy: "grid",
      nTrials: 1,
      repeats: 1,
      holdoutFraction: 0,
      cases: 10,
      baseline,
      models: sim,
    });
    const priced = estimateTune(plans, 2, () => ({ input: 1, output: 2 }));
    // 10 calls × (150 + 2·90 input tokens × $1/M + 40 output × $2/M).
    expect(priced.costUsd).toBeCloseTo((10 * (330 * 1 + 40 * 2)) / 1e6, 12);
    const unknown = estimateTune([{ ...plans[0]!, model_id: "my-own-model" }], 2, () => ({ input: null, output: null }));
    expect(unknown).toMatchObject({ costUsd: null, unpriced: ["my-own-model"] });
  });
});

describe("compatibility matrix", () => {
  it("reads the registry: clamped, dropped, passthrough, supported", () => {
    const space = { temperature: [0.5, 1.5], top_p: [0.9], repetition_penalty: [1.1], tool_choice: ["auto"] };
    const cells = Object.fromEntries(compatRow("anthropic", "claude-sonnet-4-5", space).map((c) => [c.param, c.status]));
    expect(cells).toMatchObject({ temperature: "clamped", repetition_penalty: "passthrough", tool_choice: "supported" });
    // Anthropic refuses temperature with top_p: one of them is dropped.
    expect(cells.top_p).toBe("dropped");
    const openai = compatRow("openai", "gpt-4o", { temperature: [0.2] }, ["temperature"]);
    expect(openai[0]).toMatchObject({ status: "dropped", reason: expect.stringMatching(/skip_params/) });
    expect(compatRow("openai", "gpt-4o", { temperature: [0.2, 1] })[0]!.status).toBe("supported");
  });
});

describe("presets", () => {
  beforeEach(() => {
    const store = new Map<string, string>();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
  });

  it("saves, replaces by name, deletes, and stops at the limit; built-in names are taken", () => {
    expect(BUILT_IN_PRESETS).toHaveLength(2);
    expect(savePreset("  ", defaultSpaceForm()).error).toMatch(/name/);
    expect(savePreset(BUILT_IN_PRESETS[0]!.name, defaultSpaceForm()).error).toMatch(/built-in/);
    const narrow = form((f) => (f.numeric.temperature = { ...f.numeric.temperature!, mode: "list", list: "0.2" }));
    expect(savePreset("narrow", narrow).error).toBe("");
    expect(savePreset("narrow", defaultSpaceForm()).presets).toHaveLength(1); // replaced, not added
    for (let i = 1; i < MAX_PRESETS; i++) expect(savePreset(`p${i}`, defaultSpaceForm()).error).toBe("");
    expect(savePreset("one too many", defaultSpaceForm()).error).toMatch(/At most 20/);
    expect(deletePreset("narrow")).toHaveLength(MAX_PRESETS - 1);
    expect(loadPresets().map((p) => p.name)).not.toContain("narrow");
  });
});

describe("live rows", () => {
  it("keeps each combo's newest report", () => {
    const row = (combo: string, trials: number, score: number) =>
      ({ provider_key: "p", model_id: "m", combo, trials, overall_score: score }) as unknown as ComboRow;
    const rows = latestRows([row("c0", 4, 0.5), row("c1", 4, 0.7), row("c0", 12, 0.6)]);
    expect(rows.map((r) => [r.combo, r.trials, r.overall_score])).toEqual([
      ["c0", 12, 0.6],
      ["c1", 4, 0.7],
    ]);
  });
});
