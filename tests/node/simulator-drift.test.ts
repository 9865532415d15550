// The simulator's injected drift (`/__sim/drift`: extra TTFT, another system_fingerprint) and its test webhook
// receiver (`/__sim/webhooks/<id>`), which the schedules' regression tests rely on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
});
afterAll(async () => {
  await sim?.close();
});

const MODEL = "sim-ttft20-tps2000-len4";

/** Time to the first content chunk of a streamed reply, and the fingerprint it carries. */
async function firstChunk(): Promise<{ ms: number; fingerprint: string }> {
  const t0 = performance.now();
  const res = await fetch(`${sim.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }], stream: true }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  const chunk = JSON.parse(
    text
      .split("\n")
      .find((l) => l.startsWith("data: {"))!
      .slice(6),
  );
  return { ms, fingerprint: chunk.system_fingerprint };
}

describe("drift", () => {
  it("adds TTFT and changes the fingerprint for one model until cleared", async () => {
    const before = await firstChunk();
    expect(before.fingerprint).toBe("fp_simulator");
    const set = await fetch(`${sim.url}/__sim/drift`, {
      method: "PUT",
      body: JSON.stringify({ model: MODEL, ttft_add_ms: 300, system_fingerprint: "fp_b" }),
    });
    expect(await set.json()).toEqual({ status: "ok", model: MODEL, ttft_add_ms: 300, system_fingerprint: "fp_b", output_tokens_add: 0 });
    const drifted = await firstChunk();
    expect(drifted.ms - before.ms).toBeGreaterThan(250);
    expect(drifted.fingerprint).toBe("fp_b");
    expect((await fetch(`${sim.url}/__sim/drift?model=${MODEL}`, { method: "DELETE" })).status).toBe(200);
    expect((await firstChunk()).fingerprint).toBe("fp_simulator");
  });

  it("bills extra output tokens in the usage of a non-streamed reply, the reply itself unchanged", async () => {
    const ask = async () => {
      const res = await fetch(`${sim.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
        body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }),
      });
      return (await res.json()) as { usage: { completion_tokens: number }; choices: Array<{ message: { content: string } }> };
    };
    const before = await ask();
    await fetch(`${sim.url}/__sim/drift`, { method: "PUT", body: JSON.stringify({ model: MODEL, output_tokens_add: 40 }) });
    const drifted = await ask();
    expect(drifted.usage.completion_tokens).toBe(before.usage.completion_tokens + 40);
    expect(drifted.choices[0]!.message.content).toBe(before.choices[0]!.message.content);
    await fetch(`${sim.url}/__sim/drift?model=${MODEL}`, { method: "DELETE" });
    expect((await ask()).usage.completion_tokens).toBe(before.usage.completion_tokens);
  });

  it("refuses a bad drift body", async () => {
    for (const body of [
      {},
      { model: MODEL, ttft_add_ms: -1 },
      { model: MODEL, ttft_add_ms: 1e9 },
      { model: MODEL, system_fingerprint: 5 },
      { model: MODEL, output_tokens_add: 1.5 },
    ]) {
      expect((await fetch(`${sim.url}/__sim/drift`, { method: "PUT", body: JSON.stringify(body) })).status).toBe(400);
    }
  });
});

describe("webhook receiver", () => {
  it("records deliveries and refuses the first k", async () => {
    expect((await fetch(`${sim.url}/__sim/webhooks/box1`, { method: "PUT", body: JSON.stringify({ fail_first: 1 }) })).status).toBe(200);
    const send = () => fetch(`${sim.url}/__sim/webhooks/box1`, { method: "POST", headers: { "x-test": "yes" }, body: '{"a":1}' });
    expect((await send()).status).toBe(500);
    expect((await send()).status).toBe(200);
    const { deliveries } = (await (await fetch(`${sim.url}/__sim/webhooks/box1`)).json()) as { deliveries: any[] };
    expect(deliveries.map((d) => [d.answered, d.body, d.headers["x-test"]])).toEqual([
      [500, '{"a":1}', "yes"],
      [200, '{"a":1}', "yes"],
    ]);
    expect((await fetch(`${sim.url}/__sim/webhooks/box1`, { method: "PUT", body: JSON.stringify({ fail_first: -1 }) })).status).toBe(400);
  });
});
