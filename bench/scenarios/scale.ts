/**
 * Scale and loss: many users, each with two open WebSockets, submit one benchmark each at the same moment against
 * the simulator. Every job must finish, every result must be stored exactly once, and both sockets of a user must
 * see the same job events (terminal one included). A lost or duplicated result, a job that never finishes or an
 * event one socket missed makes the scenario throw: that is a broken product, not a noisy number.
 */

import { api, type SignedUpUser, signUp, startBenchStack } from "../lib/app.ts";
import type { Figure, Scenario, ScenarioOptions } from "../lib/scenario.ts";
import { round, summarize } from "../lib/stats.ts";

/** 3 measured calls of ~0.5 s each (80 ms TTFT, then 63 tokens at 150 tok/s), no warm-up. */
const TARGET = { provider_key: "local_simulator", model_id: "sim-ttft80-tps150-len200" };
const BENCH = { targets: [TARGET], runs: 3, max_tokens: 64, warmup: false, prompt: "Count to twenty." };
const SOCKETS_PER_USER = 2;
const TERMINAL = new Set(["job_completed", "job_failed", "job_cancelled"]);

interface Received {
  at: number;
  raw: string;
  msg: { type: string; job_id?: string };
}

interface LiveSocket {
  ws: WebSocket;
  received: Received[];
  closedEarly: boolean;
}

async function openSocket(baseUrl: string, token: string): Promise<LiveSocket> {
  const { ticket } = await api(baseUrl, "/api/auth/ws-ticket", { token, body: {} });
  const ws = new WebSocket(`${baseUrl.replace("http", "ws")}/ws?ticket=${encodeURIComponent(ticket)}`);
  const s: LiveSocket = { ws, received: [], closedEarly: false };
  ws.addEventListener("message", (e) => s.received.push({ at: performance.now(), raw: String(e.data), msg: JSON.parse(String(e.data)) }));
  ws.addEventListener("close", () => (s.closedEarly = true));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("socket: no sync within 20 s")), 20_000);
    const check = () => {
      if (s.received.some((r) => r.msg.type === "sync")) {
        clearTimeout(timer);
        resolve();
      } else if (s.closedEarly) {
        clearTimeout(timer);
        reject(new Error("socket closed before sync"));
      } else setTimeout(check, 20);
    };
    check();
  });
  return s;
}

const jobEvents = (s: LiveSocket, jobId: string) => s.received.filter((r) => r.msg.job_id === jobId);
const terminalAt = (s: LiveSocket, jobId: string) => jobEvents(s, jobId).find((r) => TERMINAL.has(r.msg.type))?.at;

async function waitUntil(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `fn` over items with at most `limit` in flight (sign-ups are bcrypt-heavy). */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export const scenario: Scenario = {
  id: "scale",
  title: "Scale and loss: simultaneous benchmarks from many users, two sockets each",
  async run(opts: ScenarioOptions) {
    const users = opts.quick ? 10 : 50;
    const jobTimeoutMs = opts.quick ? 120_000 : 300_000;
    const stack = await startBenchStack({ portBase: opts.portBase, label: "scale" });
    const sockets: LiveSocket[] = [];
    try {
      const stamp = Date.now();
      opts.log(`signing up ${users} users`);
      const accounts: SignedUpUser[] = await pool(
        Array.from({ length: users }, (_, i) => i),
        6,
        (i) => signUp(stack.url, `scale-${stamp}-${i}@example.com`),
      );
      const socketsOf = await pool(accounts, 10, async (u) => {
        const pair: LiveSocket[] = [];
        for (let k = 0; k < SOCKETS_PER_USER; k++) pair.push(await openSocket(stack.url, u.token));
        sockets.push(...pair);
        return pair;
      });
      opts.log(`${sockets.length} sockets open`);

      // One job alone first: the reference for what a job takes when nothing else runs.
      const singleT0 = performance.now();
      const single = await api(stack.url, "/api/benchmark", { token: accounts[0]!.token, body: BENCH });
      await waitUntil("the single reference job", () => terminalAt(socketsOf[0]![0]!, single.job_id) !== undefined, jobTimeoutMs);
      const singleMs = terminalAt(socketsOf[0]![0]!, single.job_id)! - singleT0;
      opts.log(`one job alone: ${Math.round(singleMs)} ms`);

      // Everyone at once.
      opts.log(`${users} users submit at the same moment`);
      const t0 = performance.now();
      const submits = await Promise.all(
        accounts.map(async (u) => {
          const s = performance.now();
          const r = await api(stack.url, "/api/benchmark", { token: u.token, body: BENCH });
          return { jobId: r.job_id as string, runId: r.run_id as string, submitMs: performance.now() - s };
        }),
      );
      const finished = () => submits.filter((s, i) => socketsOf[i]!.every((sock) => terminalAt(sock, s.jobId) !== undefined)).length;
      try {
        await waitUntil(`all ${users} jobs to finish`, () => finished() === users, jobTimeoutMs);
      } catch (err) {
        const views = await Promise.all(submits.map((s, i) => api(stack.url, `/api/jobs/${s.jobId}`, { token: accounts[i]!.token })));
        const stuck = views
          .filter((v) => !["done", "failed", "cancelled", "interrupted"].includes(v.status))
          .map((v) => `${v.id}: ${v.status} ${v.progress_pct}%`);
        throw new Error(
          `${(err as Error).message}; ${finished()} finished; not finished per the API: ${stuck.join(", ") || "none (events missing)"}`,
        );
      }
      const lastTerminal = Math.max(...submits.flatMap((s, i) => socketsOf[i]!.map((sock) => terminalAt(sock, s.jobId)!)));
      const wallMs = lastTerminal - t0;
      await new Promise((r) => setTimeout(r, 500)); // let trailing frames land before comparing sockets

      // Checks: job status, stored results exactly once, both sockets saw the same events.
      const problems: string[] = [];
      const perJob: { queuedMs: number; runMs: number; doneMs: number }[] = [];
      let storedResults = 0;
      let eventsChecked = 0;
      for (const [i, s] of submits.entries()) {
        const u = accounts[i]!;
        const job = await api(stack.url, `/api/jobs/${s.jobId}`, { token: u.token });
        if (job.status !== "done") problems.push(`user ${i}: job ${s.jobId} ended ${job.status} (${job.error_msg ?? ""})`);
        const run = await api(stack.url, `/api/history/${s.runId}`, { token: u.token });
        const keys = run.results.map((r: any) => `${r.provider_key}/${r.model_id}/${r.context_tokens}/${r.run}`);
        storedResults += keys.length;
        if (keys.length !== BENCH.runs) problems.push(`user ${i}: ${keys.length} stored results, ${BENCH.runs} requested`);
        if (new Set(keys).size !== keys.length) problems.push(`user ${i}: duplicated results ${keys.join(", ")}`);
        if (run.results.some((r: any) => !r.success))
          problems.push(
            `user ${i}: failed calls: ${run.results
              .filter((r: any) => !r.success)
              .map((r: any) => r.error)
              .join("; ")}`,
          );

        const [a, b] = socketsOf[i]!.map((sock) => jobEvents(sock, s.jobId).map((r) => r.raw));
        const left = [...a!].sort().join("\n");
        const right = [...b!].sort().join("\n");
        if (left !== right) problems.push(`user ${i}: the two sockets saw different events (${a!.length} vs ${b!.length})`);
        const results = a!.filter((raw) => JSON.parse(raw).type === "benchmark_result").length;
        if (results !== BENCH.runs) problems.push(`user ${i}: ${results} benchmark_result events, ${BENCH.runs} expected`);
        if (!a!.some((raw) => JSON.parse(raw).type === "job_completed")) problems.push(`user ${i}: no job_completed event`);
        eventsChecked += a!.length + b!.length;

        const events = jobEvents(socketsOf[i]![0]!, s.jobId);
        const firstWork = events.find((r) => r.msg.type === "benchmark_progress" || r.msg.type === "benchmark_result")?.at ?? t0;
        const done = terminalAt(socketsOf[i]![0]!, s.jobId)!;
        perJob.push({ queuedMs: firstWork - t0, runMs: done - firstWork, doneMs: done - t0 });
      }
      if (sockets.some((s) => s.closedEarly)) problems.push(`${sockets.filter((s) => s.closedEarly).length} sockets closed during the run`);
      if (problems.length) throw new Error(`scale: ${problems.length} problem(s):\n${problems.slice(0, 20).join("\n")}`);

      const sumRun = perJob.reduce((acc, j) => acc + j.runMs, 0);
      const figures: Figure[] = [
        { label: "Users (each submits one benchmark, all at once)", value: users, unit: "users" },
        { label: "Jobs finished", value: submits.length, unit: "jobs", bar: `= ${users} (every job finishes)`, meets: true },
        {
          label: "Results stored",
          value: storedResults,
          unit: "results",
          bar: `= ${users * BENCH.runs}, none lost or duplicated`,
          meets: storedResults === users * BENCH.runs,
        },
        {
          label: "Job events compared across both sockets of each user",
          value: eventsChecked,
          unit: "events",
          bar: "both sockets see the same events, terminal included",
          meets: true,
        },
        { label: "Wall time: simultaneous submit → last job finished", value: round(wallMs / 1000, 2), unit: "s" },
        { label: "One job alone (reference)", value: round(singleMs / 1000, 2), unit: "s" },
        { label: "Wall time ÷ one job alone", value: round(wallMs / singleMs, 1), unit: "×" },
        { label: "Jobs running at once, on average (Σ job run time ÷ wall time)", value: round(sumRun / wallMs, 1), unit: "jobs" },
        { label: "Wait before a job's first call: median", value: Math.round(summarize(perJob.map((j) => j.queuedMs)).p50), unit: "ms" },
        { label: "Wait before a job's first call: max", value: Math.round(Math.max(...perJob.map((j) => j.queuedMs))), unit: "ms" },
        { label: "Submit (POST /api/benchmark) under the burst: p50", value: Math.round(summarize(submits.map((s) => s.submitMs)).p50), unit: "ms" },
        { label: "Submit under the burst: max", value: Math.round(Math.max(...submits.map((s) => s.submitMs))), unit: "ms" },
      ];
      const serialShare = Math.max(0, (wallMs - singleMs) / wallMs);
      return {
        id: "scale",
        title: "Scale and loss: simultaneous benchmarks from many users, two sockets each",
        figures,
        notes: [
          `${users} users signed up through the API (registration has no rate limit; the login limiter only counts failed logins, so the bench needs no bypass), each opened ${SOCKETS_PER_USER} WebSockets (Node's WebSocket, ticket from POST /api/auth/ws-ticket) and then all submitted one benchmark in the same instant: ${BENCH.runs} measured calls, no warm-up, against the simulator model ${TARGET.model_id} with max_tokens ${BENCH.max_tokens}.`,
          "Checked (any failure throws): every job ends 'done'; GET /api/history/{run} holds exactly the requested results, none duplicated and all successful; both sockets of each user received the same job events (compared as the exact frames), including benchmark_result per call and job_completed.",
          `Local serialization: wrangler dev's local queue hands the consumer one batch (≤ 10 messages, one message per provider group) at a time, so locally jobs run in waves. Wall time was ${round(wallMs / 1000, 1)} s against ${round(singleMs / 1000, 1)} s for one job alone, i.e. about ${Math.round(serialShare * 100)} % of the wall time is waiting for the local queue; on average ${round(sumRun / wallMs, 1)} jobs ran at once. Cloudflare Queues in production scales consumer invocations out (concurrent batches), so the same burst there should finish in about one job's time plus queue latency.`,
          "Waits are measured on the client: from the simultaneous submit to the job's first benchmark_progress/benchmark_result frame, and from there to its terminal frame.",
        ],
        raw: { perJob, submits: submits.map((s) => s.submitMs), singleMs, wallMs },
      };
    } finally {
      for (const s of sockets) {
        try {
          s.ws.close(1000);
        } catch {
          // already closed
        }
      }
      await stack.stop();
    }
  },
};
