import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRecord, type SendRecord } from "../../src/simulator/send-log.ts";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";
import { TEST_SIMULATOR_PORT } from "./ports.ts";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
});
afterAll(async () => {
  await sim?.close();
});

const WAIT_MS = 10_000;
const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(WAIT_MS) });

function chat(model: string, requestId?: string) {
  return fetch(`${sim.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", ...(requestId ? { "x-sim-request-id": requestId } : {}) },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], stream: true }),
    signal: AbortSignal.timeout(WAIT_MS),
  });
}

describe("control API", () => {
  it("reports health, also on the shared test simulator", async () => {
    expect(await (await get(`${sim.url}/__sim/health`)).json()).toEqual({ status: "ok" });
    expect(await (await get(`http://127.0.0.1:${TEST_SIMULATOR_PORT}/__sim/health`)).json()).toEqual({ status: "ok" });
  });

  it("lists example models in OpenAI and Anthropic shapes", async () => {
    const list = (await (await get(`${sim.url}/v1/models`)).json()) as any;
    expect(list.object).toBe("list");
    expect(list.data.length).toBeGreaterThanOrEqual(5);
    expect(list.data.every((m: any) => m.object === "model" && m.id.startsWith("sim-"))).toBe(true);
    expect(list.data.some((m: any) => m.id.includes("reason"))).toBe(true);
    const anth = (await (
      await fetch(`${sim.url}/v1/models`, { headers: { "anthropic-version": "2023-06-01" }, signal: AbortSignal.timeout(WAIT_MS) })
    ).json()) as any;
    expect(anth.data[0].type).toBe("model");
    expect(anth.has_more).toBe(false);
    expect((await get(`${sim.url}/v1/models/sim-ttft5`)).status).toBe(200);
    expect((await get(`${sim.url}/v1/models/gpt-4o`)).status).toBe(404);
  });

  it("records every request under the caller's x-sim-request-id and echoes it", async () => {
    const res = await chat("sim-ttft5-tps1000-len3-chunk2", "ctl-req-1");
    expect(res.headers.get("x-sim-request-id")).toBe("ctl-req-1");
    await res.text();
    const record = (await (await get(`${sim.url}/__sim/log?request_id=ctl-req-1`)).json()) as SendRecord;
    expect(record).toMatchObject({
      request_id: "ctl-req-1",
      protocol: "openai",
      model: "sim-ttft5-tps1000-len3-chunk2",
      stream: true,
      status: 200,
      output_tokens: 3,
      input_tokens: 1,
      outcome: "completed",
    });
    expect(record.chunks.map((c) => c.kind)).toEqual(["text", "text", "done", "done"]);
    expect(record.chunks.map((c) => c.tokens)).toEqual([2, 1, 0, 0]);
    expect(record.chunks.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(record.first_output_at).toBe(record.chunks[0]!.sent_at);
    expect(record.last_output_at).toBe(record.chunks[1]!.sent_at);
    expect(record.ended_at!).toBeGreaterThanOrEqual(record.last_output_at!);
    for (const c of record.chunks) expect(c.sent_at).toBeGreaterThanOrEqual(record.received_at);

    // Errors are logged too, and generated ids are echoed.
    const err = await fetch(`${sim.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k" },
      body: JSON.stringify({ model: "sim-fault500", max_tokens: 5, messages: [{ role: "user", content: "x" }] }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    const generated = err.headers.get("x-sim-request-id")!;
    expect(generated).toMatch(/^simreq_/);
    const errRecord = (await (await get(`${sim.url}/__sim/log?request_id=${generated}`)).json()) as SendRecord;
    expect(errRecord).toMatchObject({ protocol: "anthropic", status: 500, outcome: "error" });
    expect(errRecord.chunks.map((c) => c.kind)).toEqual(["error"]);
  });

  it("returns the newest N records, 404 for unknown ids, and clears on DELETE", async () => {
    for (const id of ["ctl-a", "ctl-b", "ctl-c"]) await (await chat("sim-ttft1-tps1000-len1", id)).text();
    const newest = (await (await get(`${sim.url}/__sim/log?limit=2`)).json()) as { records: SendRecord[] };
    expect(newest.records.map((r) => r.request_id)).toEqual(["ctl-c", "ctl-b"]);
    expect((await get(`${sim.url}/__sim/log?request_id=does-not-exist`)).status).toBe(404);
    expect((await get(`${sim.url}/__sim/log?limit=0`)).status).toBe(400);

    // In-process access: the returned handle and the module helper see the same records.
    expect(sim.log.get("ctl-b")?.model).toBe("sim-ttft1-tps1000-len1");
    expect(getRecord("ctl-c")?.request_id).toBe("ctl-c");
    expect(sim.log.list(1)[0]?.request_id).toBe("ctl-c");

    expect((await fetch(`${sim.url}/__sim/log`, { method: "DELETE", signal: AbortSignal.timeout(WAIT_MS) })).status).toBe(200);
    expect((await get(`${sim.url}/__sim/log?request_id=ctl-a`)).status).toBe(404);
    expect(((await (await get(`${sim.url}/__sim/log`)).json()) as any).records).toEqual([]);
  });

  it("answers unknown routes with 404 and wrong methods with 405", async () => {
    expect((await get(`${sim.url}/v2/nothing`)).status).toBe(404);
    expect((await get(`${sim.url}/v1/chat/completions`)).status).toBe(405);
    expect((await get(`${sim.url}/__sim/nothing`)).status).toBe(404);
  });
});

describe("lifecycle", () => {
  it("close() ends hanging connections and frees the port", async () => {
    const own = await startSimulator({ port: 0, quiet: true });
    const res = await fetch(`${own.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: JSON.stringify({ model: "sim-hang", stream: true, messages: [{ role: "user", content: "x" }] }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(res.status).toBe(200);
    const read = res
      .body!.getReader()
      .read()
      .then(
        () => "ended",
        () => "errored",
      );
    const started = Date.now();
    const closing = own.close;
    await closing(); // works unbound, as the global setup calls it
    expect(Date.now() - started).toBeLessThan(2000);
    expect(["ended", "errored"]).toContain(await read);
    expect(own.log.list(1)[0]?.outcome).toBe("server_closed");
    await own.close(); // idempotent
    await expect(get(`${own.url}/__sim/health`)).rejects.toThrow();
  });

  it("the CLI prints its URL, serves, and exits cleanly on SIGTERM", async () => {
    const main = path.join(import.meta.dirname, "../../src/simulator/main.ts");
    const child = spawn(process.execPath, [main, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no URL line within 5 s")), 5000);
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
      });
      expect(await (await get(`${url}/__sim/health`)).json()).toEqual({ status: "ok" });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("timeout"), 5000))]);
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
