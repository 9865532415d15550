/**
 * `llm-bench capacity`'s flags → the deployment's capacity request (validated by the shared CapacityRequestSchema,
 * the same check the server makes) and its assertions ("knee_level >= 8"). No I/O here, so it is tested alone.
 */
import { type CapacityRequest, CapacityRequestSchema } from "../shared/capacity.ts";
import { CliError } from "./command.ts";

/** The per-target figures an assertion can name (both from the deployment's stored summary). */
export const CAPACITY_ASSERT_METRICS = ["knee_level", "max_level_meeting_slo"] as const;
export type CapacityAssertMetric = (typeof CAPACITY_ASSERT_METRICS)[number];
const OPS = [">=", "<=", "==", ">", "<"] as const;
export type CapacityAssertOp = (typeof OPS)[number];

export interface CapacityAssertion {
  text: string;
  metric: CapacityAssertMetric;
  op: CapacityAssertOp;
  value: number;
}

/** The flags as node:util parseArgs returns them (strings; repeatable ones as arrays). */
export interface CapacityFlags {
  model?: string[];
  levels?: string;
  "hold-requests"?: string;
  "hold-seconds"?: string;
  loop?: string;
  rate?: string;
  "slo-ttft-ms"?: string;
  "slo-itl-ms"?: string;
  "max-tokens"?: string;
  "context-tier"?: string;
  prompt?: string;
  seed?: string;
  "budget-tokens"?: string;
  "budget-usd"?: string;
}

function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(n)) throw new CliError(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}

/** "provider_key/model_id": the model id may itself contain slashes (e.g. openrouter ids), the key may not. */
export function parseTarget(raw: string): { provider_key: string; model_id: string } {
  const i = raw.indexOf("/");
  if (i <= 0 || i === raw.length - 1)
    throw new CliError(`--model must be provider_key/model_id (as on the deployment's Providers page), got ${JSON.stringify(raw)}`);
  return { provider_key: raw.slice(0, i), model_id: raw.slice(i + 1) };
}

/** Builds the request body; any problem (a flag or the schema) is exit 2 naming the flag. */
export function capacityRequest(f: CapacityFlags): CapacityRequest {
  if (!f.model?.length) throw new CliError("give at least one --model provider_key/model_id");
  const ttft = numberFlag("slo-ttft-ms", f["slo-ttft-ms"]);
  const itl = numberFlag("slo-itl-ms", f["slo-itl-ms"]);
  if (ttft === undefined || itl === undefined) throw new CliError("the SLO is required: --slo-ttft-ms and --slo-itl-ms (ITL p95)");
  const budgetTokens = numberFlag("budget-tokens", f["budget-tokens"]);
  const budgetUsd = numberFlag("budget-usd", f["budget-usd"]);
  const body: Record<string, unknown> = {
    targets: f.model.map(parseTarget),
    slo: { ttft_ms: ttft, itl_p95_ms: itl },
    levels: f.levels === undefined ? undefined : f.levels.split(",").map((l) => numberFlag("levels", l)),
    hold_requests: numberFlag("hold-requests", f["hold-requests"]),
    hold_seconds: numberFlag("hold-seconds", f["hold-seconds"]),
    loop: f.loop,
    rate: numberFlag("rate", f.rate),
    max_tokens: numberFlag("max-tokens", f["max-tokens"]),
    context_tier: numberFlag("context-tier", f["context-tier"]),
    prompt: f.prompt,
    seed: numberFlag("seed", f.seed),
    budget:
      budgetTokens === undefined && budgetUsd === undefined
        ? undefined
        : { ...(budgetTokens !== undefined ? { max_tokens: budgetTokens } : {}), ...(budgetUsd !== undefined ? { max_cost_usd: budgetUsd } : {}) },
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  const parsed = CapacityRequestSchema.safeParse(body);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${flagOf(i.path)}: ${i.message}`);
    throw new CliError(`invalid capacity probe:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The schema's field path, said as the flag that sets it. */
function flagOf(path: PropertyKey[]): string {
  const [head, second] = path.map(String);
  const flags: Record<string, string> = {
    targets: "--model",
    levels: "--levels",
    hold_requests: "--hold-requests",
    hold_seconds: "--hold-seconds",
    loop: "--loop",
    rate: "--rate",
    max_tokens: "--max-tokens",
    context_tier: "--context-tier",
    prompt: "--prompt",
    seed: "--seed",
  };
  if (head === "slo") return second === "ttft_ms" ? "--slo-ttft-ms" : "--slo-itl-ms";
  if (head === "budget") return second === "max_cost_usd" ? "--budget-usd" : "--budget-tokens";
  return flags[head ?? ""] ?? path.join(".");
}

/** "max_level_meeting_slo >= 8" → an assertion; anything else is exit 2 saying what is allowed. */
export function parseCapacityAssertion(text: string): CapacityAssertion {
  const m = /^\s*([a-z_]+)\s*(>=|<=|==|>|<)\s*(\d+)\s*$/.exec(text);
  if (!m || !(CAPACITY_ASSERT_METRICS as readonly string[]).includes(m[1]!)) {
    throw new CliError(
      `--assert ${JSON.stringify(text)}: write <metric> <op> <level>, metric ${CAPACITY_ASSERT_METRICS.join(" or ")}, op one of ${OPS.join(" ")}`,
    );
  }
  return { text: text.trim(), metric: m[1] as CapacityAssertMetric, op: m[2] as CapacityAssertOp, value: Number(m[3]) };
}

/**
 * Checks an assertion on one target's figure. null (no knee found in the ladder, or no level met the SLO) fails:
 * the probe did not show the level the assertion asks for.
 */
export function checkCapacityAssertion(a: CapacityAssertion, actual: number | null): { passed: boolean; message: string } {
  if (actual === null) {
    const what = a.metric === "knee_level" ? "no knee within the ladder" : "no level met the SLO";
    return { passed: false, message: `${what} (${a.metric} is none)` };
  }
  const passed =
    a.op === ">="
      ? actual >= a.value
      : a.op === "<="
        ? actual <= a.value
        : a.op === ">"
          ? actual > a.value
          : a.op === "<"
            ? actual < a.value
            : actual === a.value;
  return { passed, message: `${a.metric} = ${actual}` };
}
