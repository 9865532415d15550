/**
 * The pure pieces behind History's comparison and the pages' addresses: how a change is written (enough precision,
 * "=" only when equal), one colour per model whatever order results come in, compare bars per context tier, runs
 * measured vs failed, the address of a view (expanded runs, comparison, open case), and the page data the Worker
 * serves so Qwik City keeps that address.
 */
import { describe, expect, it } from "vitest";
import type { BenchmarkResult } from "../../src/shared/events.ts";
import { aggregateResults, summarize } from "../../src/web/src/lib/bench-stats.ts";
import type { Aggregate } from "../../src/web/src/lib/benchmark-types.ts";
import { compareChart, metricChart, scatterChart } from "../../src/web/src/lib/chart-specs.ts";
import { deltaClass, relativeDelta } from "../../src/web/src/lib/compare-delta.ts";
import { MODEL_PALETTE, modelColors, modelIdentity } from "../../src/web/src/lib/model-colors.ts";
import { caseParam, readCaseRef, readHistoryView, withCase, withHistoryView } from "../../src/web/src/lib/view-url.ts";
import { isPageDataPath, withPageHref } from "../../src/worker/page-data.ts";

function result(model: string, over: Partial<BenchmarkResult> = {}): BenchmarkResult {
  return {
    type: "result",
    provider: "Local",
    provider_key: "local",
    model,
    model_id: model,
    run: 1,
    runs: 1,
    context_tokens: 0,
    success: true,
    error: null,
    error_class: null,
    error_host: null,
    error_hint: null,
    ttfb_ms: 50,
    ttft_ms: 80,
    ttfa_ms: 80,
    total_ms: 1000,
    total_time_s: 1,
    output_tokens: 100,
    input_tokens: 10,
    token_source: "usage",
    output_speed_tps: 150,
    tokens_per_second: 100,
    e2e_tps: 100,
    itl_ms: 6,
    prefill_tps: null,
    input_tokens_per_second: null,
    cost: null,
    ...over,
  };
}

const aggregatesOf = (...results: BenchmarkResult[]): Aggregate[] => aggregateResults(results);

describe("relativeDelta", () => {
  it("keeps a decimal below 1 %, so a half-token change is not read as no change", () => {
    expect(relativeDelta(150.5, 150)).toEqual({ text: "+0.3%", direction: "up" });
    expect(relativeDelta(149.5, 150)).toEqual({ text: "\u22120.3%", direction: "down" });
    expect(relativeDelta(1000.1, 1000)).toEqual({ text: "+<0.1%", direction: "up" });
    expect(relativeDelta(99.9, 100)).toEqual({ text: "\u22120.1%", direction: "down" });
  });

  it("rounds to whole percents from 1 % up, and writes = only for equal values", () => {
    expect(relativeDelta(165, 150)?.text).toBe("+10%");
    expect(relativeDelta(75, 150)?.text).toBe("\u221250%");
    expect(relativeDelta(101.6, 100)?.text).toBe("+2%");
    expect(relativeDelta(150, 150)).toEqual({ text: "=", direction: "same" });
  });

  it("has no relative change without both values or against a zero baseline", () => {
    expect(relativeDelta(undefined, 150)).toBeNull();
    expect(relativeDelta(150, null)).toBeNull();
    expect(relativeDelta(5, 0)).toBeNull();
    expect(relativeDelta(Number.NaN, 3)).toBeNull();
  });

  it("colours by what is better for the metric", () => {
    const faster = relativeDelta(160, 150)!;
    expect(deltaClass(faster, true)).toBe("delta delta-good"); // speed up
    expect(deltaClass(faster, false)).toBe("delta delta-bad"); // TTFT up
    expect(deltaClass(relativeDelta(150, 150)!, true)).toBe("delta");
  });
});

describe("model colours", () => {
  const ids = ["openai\u0000gpt-4.1", "anthropic\u0000claude-sonnet", "local\u0000sim-a", "local\u0000sim-b", "groq\u0000llama"];

  it("give each model of a set its own colour, whatever order the set comes in", () => {
    const a = modelColors(ids);
    const b = modelColors([...ids].reverse());
    expect(new Set(a.values()).size).toBe(ids.length);
    for (const id of ids) expect(b.get(id)).toBe(a.get(id));
  });

  it("keep a model's colour across sets while its slot is free, and repeat colours only past the palette", () => {
    const alone = new Map(ids.map((id) => [id, modelColors([id]).get(id)!]));
    const together = modelColors(ids);
    const uncontested = ids.filter((id) => ids.filter((other) => alone.get(other) === alone.get(id)).length === 1);
    expect(uncontested.length).toBeGreaterThan(0);
    for (const id of uncontested) expect(together.get(id), id).toBe(alone.get(id));
    const many = Array.from({ length: MODEL_PALETTE.length + 3 }, (_, i) => `p\u0000m${i}`);
    expect(new Set(modelColors(many.slice(0, MODEL_PALETTE.length)).values()).size).toBe(MODEL_PALETTE.length);
    expect(modelColors(many).size).toBe(many.length);
  });

  it("are the same in the live charts (results arriving in any order) and in the server's final aggregates", () => {
    const runs = [
      result("fast", { context_tokens: 0 }),
      result("fast", { context_tokens: 1000 }),
      result("slow"),
      result("slow", { context_tokens: 1000 }),
    ];
    const targets = [
      { provider_key: "local", model_id: "fast" },
      { provider_key: "local", model_id: "slow" },
    ];
    const colourOf = (aggs: Aggregate[], model: string) =>
      metricChart(aggs, "output_speed_tps", targets)?.series.find((s) => s.label === model)?.color;
    const liveFirst = aggregatesOf(runs[2]!, runs[3]!); // only "slow" so far
    const final = aggregatesOf(...runs);
    const finalReordered = aggregatesOf(runs[3]!, runs[1]!, runs[2]!, runs[0]!);
    expect(colourOf(liveFirst, "slow")).toBe(colourOf(final, "slow"));
    expect(colourOf(finalReordered, "fast")).toBe(colourOf(final, "fast"));
    expect(colourOf(final, "fast")).toBe(modelColors(targets.map(modelIdentity)).get(modelIdentity(targets[0]!)));
    expect(scatterChart(finalReordered, targets)?.series.find((s) => s.label === "fast")?.color).toBe(colourOf(final, "fast"));
  });
});

describe("compareChart", () => {
  it("keeps every context tier of a run as its own bar group", () => {
    const runA = aggregatesOf(result("m", { context_tokens: 0, output_speed_tps: 150 }), result("m", { context_tokens: 8000, output_speed_tps: 90 }));
    const runB = aggregatesOf(result("m", { context_tokens: 0, output_speed_tps: 140 }), result("m", { context_tokens: 8000, output_speed_tps: 70 }));
    const spec = compareChart(
      [
        { label: "#1", aggregates: runA },
        { label: "#2", aggregates: runB },
      ],
      "output_speed_tps",
    )!;
    expect(spec.labels).toEqual(["m @ 0", "m @ 8K"]);
    expect(spec.series.map((s) => s.values)).toEqual([
      [150, 90],
      [140, 70],
    ]);
  });

  it("labels by model alone when every run has one and the same tier, with a gap for a model a run lacks", () => {
    const spec = compareChart(
      [
        { label: "#1", aggregates: aggregatesOf(result("a"), result("b", { output_speed_tps: 60 })) },
        { label: "#2", aggregates: aggregatesOf(result("a", { output_speed_tps: 151 })) },
      ],
      "output_speed_tps",
    )!;
    expect(spec.labels).toEqual(["a", "b"]);
    expect(spec.series[1]!.values).toEqual([151, null]);
  });
});

describe("summarize", () => {
  it("counts measured runs and failed runs apart", () => {
    const results = [
      result("a"),
      result("a", { run: 2 }),
      result("a", { run: 3, success: false, error: "boom", output_speed_tps: null }),
      result("b", { type: "skipped" }),
    ];
    const s = summarize(results, aggregateResults(results));
    expect(s.measuredRuns).toBe(2);
    expect(s.failures).toBe(1);
    expect(s.skipped).toBe(1);
  });
});

describe("view addresses", () => {
  it("reads expanded runs and a comparison of two to four runs", () => {
    expect(readHistoryView("?run=a&run=b&run=a&compare=x,y,x")).toEqual({ expanded: ["a", "b"], compare: ["x", "y"] });
    expect(readHistoryView("?compare=x").compare).toEqual([]); // one run is no comparison
    expect(readHistoryView("?compare=a,b,c,d,e").compare).toEqual(["a", "b", "c", "d"]);
    expect(readHistoryView("?compare=%20,a,,b")).toEqual({ expanded: [], compare: ["a", "b"] });
    expect(readHistoryView(`?run=${"z".repeat(500)}`).expanded).toEqual([]);
  });

  it("writes them back, keeping the other parameters and readable separators", () => {
    expect(withHistoryView("/history/?job=j1", { compare: ["a", "b"] })).toBe("/history/?job=j1&compare=a,b");
    expect(withHistoryView("/history/?compare=a,b&run=c", { compare: [] })).toBe("/history/?run=c");
    expect(withHistoryView("http://host/history/?compare=a,b", { expanded: ["c", "d"] })).toBe("/history/?compare=a,b&run=c&run=d");
    const back = withHistoryView("/history/", { expanded: ["r1"], compare: ["a", "b", "c"] });
    expect(readHistoryView(new URL(back, "http://x").search)).toEqual({ expanded: ["r1"], compare: ["a", "b", "c"] });
  });

  it("round-trips an open case, model ids with any character included", () => {
    const ref = { evalId: "e1", testCaseId: "c1", providerKey: "openrouter", modelId: "meta/llama~3.1:free" };
    const href = withCase("/tool-eval/history/?run=e1", ref);
    expect(href).toBe(`/tool-eval/history/?run=e1&case=${caseParam(ref).replaceAll(":", "%3A").replaceAll("/", "%2F")}`);
    expect(readCaseRef(new URL(href, "http://x").search)).toEqual(ref);
    expect(withCase(href, null)).toBe("/tool-eval/history/?run=e1");
    expect(readCaseRef("?case=only~three~parts")).toBeNull();
    expect(readCaseRef("?case=e~~p~m")).toBeNull();
  });
});

describe("page data (Worker)", () => {
  const prerendered = JSON.stringify({ _entry: "4", _objs: [{}, "\u0001", 200, "/history/", { loaders: "0", action: "1", status: "2", href: "3" }] });

  it("points the page's href at the requested address, leaving the rest as it was", () => {
    const out = JSON.parse(withPageHref(prerendered, "/history/?compare=a,b")!);
    const entry = out._objs[Number.parseInt(out._entry, 36)];
    expect(out._objs[Number.parseInt(entry.href, 36)]).toBe("/history/?compare=a,b");
    expect(out._objs.slice(0, 4)).toEqual([{}, "\u0001", 200, "/history/"]);
    expect(entry.status).toBe("2");
  });

  it("leaves what it does not recognise alone", () => {
    expect(withPageHref("not json", "/x/?a=1")).toBeNull();
    expect(withPageHref(JSON.stringify({ _entry: "0", _objs: [{ href: "5" }] }), "/x/?a=1")).toBeNull();
    expect(withPageHref(JSON.stringify({ loaders: {} }), "/x/?a=1")).toBeNull();
  });

  it("is only the site's page data, never the API", () => {
    expect(isPageDataPath("/history/q-data.json")).toBe(true);
    expect(isPageDataPath("/q-data.json")).toBe(true);
    expect(isPageDataPath("/api/history/q-data.json")).toBe(false);
    expect(isPageDataPath("/history/")).toBe(false);
  });
});
