/**
 * The capacity probe as a job kind (issue 18). One group ("capacity") probes the targets one after another, so
 * two targets never load the client or a shared server at once; an item is one level of one target. A level
 * is fanned out over lanes (Durable Objects of at most four streams, lane.ts) that start on a shared schedule;
 * the level's samples and figures are stored together, once (unique per run × target × level, samples per
 * level × stream × seq). The stop decision is taken when a level is stored, from stored levels only, and the
 * next item is replayed from them (`more`), so slices and redeliveries continue where the stored data ends.
 */
import { and, asc, eq } from "drizzle-orm";
import type { CapacityLevelResult, CapacityRequest, CapacitySample } from "../../shared/capacity.ts";
import {
  kneeLevel,
  kneePointOf,
  lanesFor,
  levelResult,
  maxLevelMeetingSlo,
  openLoopRate,
  poissonArrivals,
  requestsPerStream,
  STREAMS_PER_LANE,
  stopDecision,
} from "../../shared/capacity-analysis.ts";
import { priceFor } from "../../shared/pricing.ts";
import { TIER_HEADROOM, tierFits } from "../benchmark/measure.ts";
import type { Db } from "../db/client.ts";
import { capacityLevels, capacityRuns, capacitySamples } from "../db/schema.ts";
import type { JobKind, KindEvent } from "../jobs/kind.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { callParams } from "../llm/call-params.ts";
import { LlmError } from "../llm/errors.ts";
import { fillerText } from "../llm/filler.ts";
import type { ChatRequest, LlmTarget } from "../llm/stream.ts";
import { llmTargetFor, type ResolvedTarget, requestedTargets, resolveTargets } from "../llm/targets.ts";
import { configOf, ladderState, levelEstimate, plannedRequests, runEstimate } from "./ladder.ts";
import type { LaneSpec } from "./lane.ts";
import { parseConfig } from "./store.ts";

export const CAPACITY_GROUP = "capacity";
/** Every lane is up (it answered `ready`); the shared start is this far ahead, so each has its streams' RPC in hand. */
const LANE_LEAD_MS = 100;
const REQUEST_TIMEOUT_MS = 120_000;
/** Sample rows per INSERT (7 bound values each, under D1's 100 per statement). */
const SAMPLES_PER_INSERT = 12;

interface Item {
  index: number;
  resolved: ResolvedTarget;
  level: number;
}

interface LevelRun {
  samples: CapacitySample[];
  /** The level could not start (no key, a refused address): stored as a failed level that stops the ladder. */
  setupError: LlmError | null;
}

/** Targets resolved against the user's models, with the tier checked (a 400 names a model it does not fit). */
async function plannedTargets(db: Db, userId: string, body: CapacityRequest) {
  const found = await requestedTargets(db, userId, body);
  for (const t of found) {
    if (!tierFits(body.context_tier, t, body.max_tokens))
      throw new ApiError(
        400,
        "validation_failed",
        `Context tier ${body.context_tier} does not fit ${t.modelName} (window ${t.contextWindow} − max_tokens − ${TIER_HEADROOM})`,
        [{ path: "context_tier", message: "Too large for a selected model" }],
      );
  }
  return found;
}

/**
 * Tokens of a prompt for the estimate: a quarter of its characters, rounded up (the usual rule of thumb; the
 * tokenizer is large and an estimate shown before a run needs no exact count). Real counts come from usage.
 */
const estimatedTokens = (text: string) => Math.ceil(text.length / 4);

export const pricesOf = (t: ResolvedTarget) => priceFor(t.modelId, { input: t.inputCostPerMtok, output: t.outputCostPerMtok });

/** The estimate shown before a run, from the same plan the job runs. */
export async function estimateCapacity(db: Db, userId: string, body: CapacityRequest) {
  const found = await plannedTargets(db, userId, body);
  const config = configOf(
    body,
    found.map((t) => ({ provider_key: t.providerKey, model_id: t.modelId, display_name: t.modelName })),
    0,
  );
  return runEstimate(config, estimatedTokens(config.prompt), (i) => pricesOf(found[i]!));
}

export const capacityJob: JobKind<CapacityRequest, Item, LevelRun> = {
  type: "capacity",
  runTable: capacityRuns,

  async plan({ db, userId, runId }, body) {
    const found = await plannedTargets(db, userId, body);
    const seed = body.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]! % 2 ** 31;
    const targets = found.map((t) => ({ provider_key: t.providerKey, model_id: t.modelId, display_name: t.modelName }));
    const config = configOf(body, targets, seed);
    const requests = targets.length * config.levels.reduce((n, l) => n + plannedRequests(config, l), 0);
    return {
      runRow: { config },
      groups: [CAPACITY_GROUP],
      workTotal: requests,
      params: { run_id: runId, models: targets.length, levels: config.levels.join(","), loop: config.loop },
      progressDetail: `${targets.length} models × ${config.levels.length} levels (${config.loop} loop)`,
      initEvents: [{ type: "capacity_init", data: { run_id: runId, targets, levels: config.levels, loop: config.loop, slo: config.slo } }],
      response: { run_id: runId, seed },
      audit: { action: "capacity_start", resourceType: "capacity_run" },
    };
  },

  async openGroup({ env, db, group }) {
    const run = await db
      .select()
      .from(capacityRuns)
      .where(and(eq(capacityRuns.id, group.runId), eq(capacityRuns.userId, group.userId)))
      .get();
    if (!run) return null;
    const config = parseConfig(run.config);
    const { found } = await resolveTargets(db, group.userId, config.targets);
    const resolvedOf = (t: { provider_key: string; model_id: string }) =>
      found.find((f) => f.providerKey === t.provider_key && f.modelId === t.model_id);
    const llmTargets = new Map<string, LlmTarget | LlmError>();

    /** The next level of the first target whose ladder is not over, from the stored levels. */
    async function next(): Promise<Item[]> {
      const rows = await storedLevelRows(db, run!.id);
      for (const [index, t] of config.targets.entries()) {
        const resolved = resolvedOf(t);
        if (!resolved) continue; // the model was deleted since: nothing to probe
        const state = ladderState(config, t, rows);
        if (state.next !== null) return [{ index, resolved, level: state.next }];
      }
      return [];
    }

    async function llmTarget(t: ResolvedTarget): Promise<LlmTarget | LlmError> {
      const key = `${t.providerKey}::${t.modelId}`;
      if (!llmTargets.has(key)) {
        llmTargets.set(
          key,
          await llmTargetFor(env, db, group.userId, t).catch((err) =>
            err instanceof LlmError ? err : new LlmError("unknown", "The target could not be prepared"),
          ),
        );
      }
      return llmTargets.get(key)!;
    }

    return {
      items: await next(),
      more: next,
      announce: () => null,

      async run(item, signal) {
        const target = await llmTarget(item.resolved);
        if (target instanceof LlmError) return { samples: [], setupError: target };
        const filler = await fillerText(config.context_tier, `${run.id}:${item.level}`);
        const params = callParams(item.resolved, { temperature: 0.7, maxTokens: config.max_tokens }).params;
        const system = [filler, item.resolved.systemPrompt ?? ""].filter(Boolean).join("\n\n") || null;
        const request: ChatRequest = { system, prompt: config.prompt, params };
        // A fresh object per level and delivery: a lane never mixes two levels' streams.
        const attempt = newId();
        const lanes = lanesFor(config.loop, item.level);
        const stubs = Array.from({ length: lanes }, (_x, lane) =>
          env.CAPACITY_LANE.getByName(`${run.id}:${item.index}:${item.level}:${lane}:${attempt}`),
        );
        // Start-up of many objects is slow on a busy machine: the shared start is set once every lane is up.
        await Promise.all(stubs.map((stub) => stub.ready()));
        const startAt = Date.now() + LANE_LEAD_MS;
        const specs = laneSpecs(config, item, target, request, startAt);
        const stopAll = () => {
          for (const stub of stubs) void stub.cancel().catch(() => {});
        };
        signal.addEventListener("abort", stopAll, { once: true });
        try {
          const perLane = await Promise.all(stubs.map((stub, lane) => stub.run(specs[lane]!)));
          const samples = perLane
            .flat()
            .map((s) => ({ ...s, provider_key: item.resolved.providerKey, model_id: item.resolved.modelId, level: item.level }));
          return { samples, setupError: null };
        } finally {
          signal.removeEventListener("abort", stopAll);
        }
      },

      async store(item, out) {
        const t = config.targets[item.index]!;
        const existing = await db
          .select({ id: capacityLevels.id })
          .from(capacityLevels)
          .where(
            and(
              eq(capacityLevels.runId, run.id),
              eq(capacityLevels.providerKey, t.provider_key),
              eq(capacityLevels.modelId, t.model_id),
              eq(capacityLevels.level, item.level),
            ),
          )
          .get();
        if (existing) return null; // an earlier delivery stored this level
        const result = levelResult(
          { provider_key: t.provider_key, model_id: t.model_id, level: item.level, loop: config.loop, slo: config.slo },
          out.samples,
        );
        const prior = (await storedLevelRows(db, run.id)).filter((r) => r.providerKey === t.provider_key && r.modelId === t.model_id);
        const priorResults = config.levels.flatMap((l) => prior.filter((r) => r.level === l).map((r) => r.result as CapacityLevelResult));
        const done = [...priorResults, result];
        const prices = pricesOf(item.resolved);
        const inputTokens = out.samples.reduce((n, s) => n + (s.input_tokens ?? 0), 0);
        const outputTokens = out.samples.reduce((n, s) => n + (s.output_tokens ?? 0), 0);
        const levelCost = out.samples.reduce<number | null>((sum, s) => {
          if (s.status !== "ok") return sum;
          const c = priceOfSample(s, prices);
          return sum === null || c === null ? null : sum + c;
        }, 0);
        const spentTokens = prior.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0) + inputTokens + outputTokens;
        const spentCost = [...prior.map((r) => r.costUsd), levelCost].reduce<number | null>((a, c) => (a === null || c === null ? null : a + c), 0);
        const nextLevel = config.levels[config.levels.indexOf(item.level) + 1] ?? null;
        // The next level's requests will take about what this level's took (no tokenizer needed).
        const okSamples = out.samples.filter((x) => x.status === "ok" && x.input_tokens !== null);
        const inputPerRequest = okSamples.length ? okSamples.reduce((n, x) => n + (x.input_tokens ?? 0), 0) / okSamples.length : 0;
        const nextEstimate = nextLevel === null ? null : levelEstimate(config, nextLevel, inputPerRequest, prices);
        const stop =
          out.setupError || out.samples.length === 0
            ? { at_level: item.level, reason: "errors" as const }
            : stopDecision(done, { spent: { tokens: spentTokens, cost: spentCost }, nextEstimate, cap: config.budget }, nextLevel);

        const sampleRows = out.samples.map((s) => ({
          runId: run.id,
          providerKey: t.provider_key,
          modelId: t.model_id,
          level: item.level,
          stream: s.stream,
          seq: s.seq,
          data: s,
        }));
        const statements = [];
        for (let i = 0; i < sampleRows.length; i += SAMPLES_PER_INSERT) {
          statements.push(
            db
              .insert(capacitySamples)
              .values(sampleRows.slice(i, i + SAMPLES_PER_INSERT))
              .onConflictDoNothing(),
          );
        }
        const levelInsert = db
          .insert(capacityLevels)
          .values({
            id: newId(),
            runId: run.id,
            providerKey: t.provider_key,
            modelId: t.model_id,
            level: item.level,
            result,
            inputTokens,
            outputTokens,
            costUsd: levelCost,
            stopReason: stop?.reason ?? null,
            stopAtLevel: stop?.at_level ?? null,
          })
          .onConflictDoNothing()
          .returning({ id: capacityLevels.id });
        // One batch (a transaction in D1): a level's figures never exist without its samples, or twice.
        const results = await db.batch([levelInsert, ...statements] as unknown as Parameters<typeof db.batch>[0]);
        if ((results[0] as unknown[]).length !== 1) return null;

        const events: KindEvent[] = [{ type: "capacity_level", data: { ...result, run_id: run.id } }];
        if (stop) events.push({ type: "capacity_stopped", data: { run_id: run.id, provider_key: t.provider_key, model_id: t.model_id, ...stop } });
        if (stop || nextLevel === null) events.push(summaryEvent(run.id, t, done));
        const failedAll = result.ok === 0;
        const failure = failedAll ? failureOf(out) : null;
        return {
          events,
          units: Math.max(1, out.samples.length),
          detail: `${t.display_name}: ${item.level} in flight, ${result.ok}/${result.requests} ok`,
          outcome: failedAll ? "failed" : "ok",
          ...(failure ? { failure } : {}),
        };
      },
    };
  },

  async finish({ db, runId, status }) {
    const run = await db.select().from(capacityRuns).where(eq(capacityRuns.id, runId)).get();
    if (!run || status === "done") return [];
    const config = parseConfig(run.config);
    const rows = await storedLevelRows(db, runId);
    const events: KindEvent[] = [];
    for (const t of config.targets) {
      const state = ladderState(config, t, rows);
      if (state.next === null) continue; // its ladder ended on its own; its summary went out then
      if (status === "cancelled")
        events.push({
          type: "capacity_stopped",
          data: { run_id: runId, provider_key: t.provider_key, model_id: t.model_id, at_level: state.next, reason: "cancelled" },
        });
      const results = rows.filter((r) => r.providerKey === t.provider_key && r.modelId === t.model_id).map((r) => r.result as CapacityLevelResult);
      events.push(
        summaryEvent(
          runId,
          t,
          results.sort((a, b) => a.level - b.level),
        ),
      );
    }
    return events;
  },
};

function summaryEvent(runId: string, t: { provider_key: string; model_id: string }, done: readonly CapacityLevelResult[]): KindEvent {
  return {
    type: "capacity_summary",
    data: {
      run_id: runId,
      provider_key: t.provider_key,
      model_id: t.model_id,
      knee_level: kneeLevel(done.map(kneePointOf)),
      max_level_meeting_slo: maxLevelMeetingSlo(done),
    },
  };
}

function priceOfSample(s: CapacitySample, prices: ReturnType<typeof priceFor>): number | null {
  if (prices.inputPerMtok === null || prices.outputPerMtok === null) return null;
  return ((s.input_tokens ?? 0) * prices.inputPerMtok + (s.output_tokens ?? 0) * prices.outputPerMtok) / 1e6;
}

/** The most common failure class of a level whose every request failed, with one of its messages. */
function failureOf(out: LevelRun): { cls: string; message: string } {
  if (out.setupError) return { cls: out.setupError.cls, message: out.setupError.message };
  const counts = new Map<string, { n: number; message: string }>();
  for (const s of out.samples) {
    const cls = s.error_class ?? "unknown";
    const e = counts.get(cls) ?? { n: 0, message: s.error ?? "Failed" };
    e.n++;
    counts.set(cls, e);
  }
  const [cls, e] = [...counts.entries()].sort((a, b) => b[1].n - a[1].n)[0] ?? ["unknown", { n: 0, message: "No request was sent" }];
  return { cls, message: e.message };
}

/** How a level is spread over lanes: streams (closed loop) or seeded Poisson arrivals (open loop), four per lane at most. */
function laneSpecs(config: ReturnType<typeof parseConfig>, item: Item, target: LlmTarget, request: ChatRequest, startAt: number): LaneSpec[] {
  const lanes = lanesFor(config.loop, item.level);
  const base = {
    target,
    request,
    uniquePrefix: true,
    timeoutMs: REQUEST_TIMEOUT_MS,
    startAt,
    label: { provider_key: item.resolved.providerKey, model_id: item.resolved.modelId, level: item.level },
  };
  if (config.loop === "closed") {
    const count = config.hold_requests === null ? null : requestsPerStream(item.level, config.hold_requests);
    const untilAt = config.hold_seconds === null ? null : startAt + config.hold_seconds * 1000;
    return Array.from({ length: lanes }, (_x, lane) => ({
      ...base,
      label: { ...base.label, lane },
      streams: Array.from({ length: STREAMS_PER_LANE }, (_y, i) => lane * STREAMS_PER_LANE + i)
        .filter((s) => s < item.level)
        .map((stream) => ({ stream, count })),
      untilAt,
    }));
  }
  const rate = openLoopRate(config.rate ?? 1, item.level, config.levels[0] ?? 1);
  const limit = config.hold_requests !== null ? { count: config.hold_requests } : { durationMs: (config.hold_seconds ?? 1) * 1000 };
  const arrivals = poissonArrivals(rate, `${config.seed}:${item.index}:${item.level}`, limit);
  return Array.from({ length: lanes }, (_x, lane) => ({
    ...base,
    label: { ...base.label, lane },
    arrivals: arrivals.flatMap((at, seq) => (seq % lanes === lane ? [{ seq, at: startAt + at }] : [])),
  }));
}

export async function storedLevelRows(db: Db, runId: string) {
  return db
    .select({
      providerKey: capacityLevels.providerKey,
      modelId: capacityLevels.modelId,
      level: capacityLevels.level,
      result: capacityLevels.result,
      inputTokens: capacityLevels.inputTokens,
      outputTokens: capacityLevels.outputTokens,
      costUsd: capacityLevels.costUsd,
      stopReason: capacityLevels.stopReason,
      stopAtLevel: capacityLevels.stopAtLevel,
    })
    .from(capacityLevels)
    .where(eq(capacityLevels.runId, runId))
    .orderBy(asc(capacityLevels.level));
}
