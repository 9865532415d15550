import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kneeLevel } from "../../src/shared/capacity-analysis.ts";
import { CapacityStore, capacityTruth, loadFactor } from "../../src/simulator/capacity.ts";
import { parseModelId } from "../../src/simulator/profile.ts";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";

const profile = (id: string) => {
  const r = parseModelId(id);
  if (!r.ok) throw new Error(r.message);
  return r.profile;
};

describe("capacity model options", () => {
  it("parses slots, load and rps", () => {
    expect(profile("sim-slots8-load50-rps30")).toMatchObject({ slots: 8, loadPct: 50, rpsLimit: 30 });
    expect(profile("sim")).toMatchObject({ slots: null, loadPct: 100, rpsLimit: null });
    expect(parseModelId("sim-load50").ok).toBe(false); // load without slots
    expect(parseModelId("sim-slots0").ok).toBe(false);
  });
});

describe("the capacity store", () => {
  it("slows a fuller batch, queues beyond the slots, and refuses above the rate", () => {
    const store = new CapacityStore();
    const p = profile("sim-slots2-load100-rps3-tagA");
    const a = store.admit(p, 0);
    if (!a.ok) throw new Error("refused");
    expect(a).toMatchObject({ waitMs: 0, factor: 1 });
    a.hold(100);
    const b = store.admit(p, 10);
    if (!b.ok) throw new Error("refused");
    expect(b.factor).toBe(loadFactor(2, 2, 100));
    expect(b.factor).toBe(1.5);
    b.hold(200);
    const c = store.admit(p, 20); // both slots busy: waits for the first to free at 100
    if (!c.ok) throw new Error("refused");
    expect(c.waitMs).toBe(80);
    c.hold(80 + 100); // planned from its arrival: the wait, then its own 100 ms → the slot frees at 200
    const d = new CapacityStore();
    const q = profile("sim-slots1-tagQ");
    const first = d.admit(q, 0);
    if (!first.ok) throw new Error("refused");
    first.hold(100);
    const second = d.admit(q, 0);
    if (!second.ok) throw new Error("refused");
    expect(second.waitMs).toBe(100);
    second.hold(second.waitMs + 100); // frees at 200, not 300: the wait is counted once
    const third = d.admit(q, 0);
    expect(third.ok && third.waitMs).toBe(200);
    expect(store.admit(p, 30).ok).toBe(false); // a 4th admission within one second
    expect(store.admit(p, 1001).ok).toBe(true); // the window moved on
  });
});

describe("the truth", () => {
  const input = { ttftMs: 50, tps: 200, tokens: 20, slots: 8, loadPct: 100, levels: [1, 2, 4, 8, 16, 32], slo: { ttft_ms: 100, itl_p95_ms: 7.5 } };
  it("the knee is at the slots, the SLO limit where ITL crosses it", () => {
    const t = capacityTruth(input);
    expect(t.knee_level).toBe(8);
    expect(t.max_level_meeting_slo).toBe(4); // ITL 5·(1 + 3/8) = 6.9 ≤ 7.5 < 5·(1 + 7/8) = 9.4
    // The restated knee rule agrees with the probe's.
    expect(kneeLevel(t.levels.map((l) => ({ level: l.level, aggregate_output_tps: l.aggregate_output_tps, e2e_p95_ms: l.e2e_ms })))).toBe(8);
  });
  it("moves with the slots", () => {
    expect(capacityTruth({ ...input, slots: 16 }).knee_level).toBe(16);
    expect(capacityTruth({ ...input, slots: 64, levels: [1, 2, 4, 8, 16, 32, 64, 128] }).knee_level).toBe(64);
  });
});

describe("through HTTP", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  async function ask(model: string) {
    const r = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-x", "content-type": "application/json" },
      body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    const id = r.headers.get("x-sim-request-id");
    await r.text();
    return { status: r.status, record: id ? sim.log.get(id) : undefined };
  }

  it("four at once on two slots: the later two queue, all are logged with their chunks", async () => {
    await ask("sim-ttft1-len1"); // the connection pool warms up, so the four arrive together
    const model = "sim-ttft50-tps100-len5-slots2-load100-tagHttp";
    const results = await Promise.all([0, 1, 2, 3].map(() => ask(model)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const ttfts = results.map((r) => r.record!.profile!.ttft_ms).sort((a, b) => a - b);
    expect(ttfts[0]).toBe(50); // alone in the batch
    expect(ttfts[1]).toBe(75); // shares the batch: 50 × 1.5
    expect(ttfts[2]).toBeGreaterThan(75); // waited for a slot (a service takes 75 + 4 × 15 ms)
    expect(ttfts[3]).toBeGreaterThan(75);
    for (const r of results) expect(r.record!.chunks.length).toBeGreaterThan(0);
  });

  it("answers 429 above its rate", async () => {
    const model = "sim-ttft1-tps5000-len2-rps2-tagRate";
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(model)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
});
