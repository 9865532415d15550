/**
 * `llm-bench.yaml` (or .json): providers, models, the speed benchmark, tool evals, assertions and a baseline.
 * The benchmark and each tool eval are validated by the API's own request schemas (so a config means what the same
 * request to the deployment means); every problem is reported with file, line, column and field, never a value
 * (a key pasted in the wrong place must not end up in a CI log).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { boundedNumber } from "../shared/bounded-number.ts";
import { MODEL_LIMITS } from "../shared/request-limits.ts";
import { BenchmarkRequestSchema } from "../worker/benchmark/config.ts";
import { type ParamTuneRequest, ParamTuneRequestSchema } from "../worker/param-tune/config.ts";
import { type PromptTuneRequest, PromptTuneRequestSchema } from "../worker/prompt-tune/config.ts";
import { EvalRequestSchema } from "../worker/tool-eval/eval-config.ts";
import { CliError, EXIT } from "./command.ts";

export const CONFIG_FILES = ["llm-bench.yaml", "llm-bench.yml", "llm-bench.json"];

// ---------------------------------------------------------------- assertions

export const ASSERTION_METRICS = ["ttft_p50_ms", "ttft_p95_ms", "output_tps_p50", "cost_per_run", "score"] as const;
export type AssertionMetric = (typeof ASSERTION_METRICS)[number];
const OPERATORS = ["<=", ">=", "<", ">"] as const;
export type Operator = (typeof OPERATORS)[number];

const ASSERTION_RE = new RegExp(`^\\s*(${ASSERTION_METRICS.join("|")})\\s*(<=|>=|<|>)\\s*(-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)\\s*$`, "i");

/** "ttft_p50_ms < 800" → its parts, or null. */
export function parseAssertion(text: string): { metric: AssertionMetric; op: Operator; value: number } | null {
  const m = ASSERTION_RE.exec(text);
  if (!m) return null;
  return { metric: m[1]!.toLowerCase() as AssertionMetric, op: m[2] as Operator, value: Number(m[3]) };
}

const AssertionSchema = z
  .object({
    assert: z.string().refine((s) => parseAssertion(s) !== null, {
      error: `expected "<metric> <op> <number>", metric one of ${ASSERTION_METRICS.join(", ")}, op one of ${OPERATORS.join(" ")}`,
    }),
    /** A model id of `models`; omitted = every model. */
    model: z.string().min(1).optional(),
    /** score only: the tool eval's name (its suite's name unless `name` is set); omitted = every tool eval. */
    eval: z.string().min(1).optional(),
    /** Speed only: one context tier; omitted = every tier. */
    tier: z.number().int().min(0).optional(),
  })
  .strict();

// ---------------------------------------------------------------- the file

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ProviderSchema = z
  .object({
    api: z.enum(["openai", "anthropic"]).default("openai"),
    base_url: z.url({ protocol: /^https?$/ }),
    /** The NAME of the environment variable holding the key; the key itself never goes in the file. */
    api_key_env: z.string().regex(ENV_NAME, "must be the name of an environment variable").optional(),
    name: z.string().min(1).max(128).optional(),
  })
  .strict();

const ModelSchema = z
  .object({
    provider: z.string().min(1),
    id: z.string().min(1).max(256),
    name: z.string().min(1).max(256).optional(),
    context_window: boundedNumber(MODEL_LIMITS.context_window).default(128_000),
    input_cost_per_mtok: boundedNumber(MODEL_LIMITS.cost_per_mtok).optional(),
    output_cost_per_mtok: boundedNumber(MODEL_LIMITS.cost_per_mtok).optional(),
    system_prompt: z.string().max(50_000).optional(),
    skip_params: z.array(z.string()).default([]),
  })
  .strict();

/** The CLI's own fields of a tool eval; the rest is EvalRequestSchema's. */
const ToolEvalFileFields = z.object({
  suite: z.string().min(1),
  answers: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  /** Model ids of `models` to evaluate; omitted = every model. */
  models: z.array(z.string().min(1)).min(1).optional(),
});

/**
 * The CLI's own fields of a tuner section (tune, prompt_tune); the rest is the API request's
 * (POST /api/tool-eval/param-tune or …/prompt-tune).
 */
const TunerFileFields = z.object({
  /** The tool eval whose suite, scorer and settings the tuner uses: its `name`, or its index in tool_evals (default 0). */
  eval: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
  /** Model ids of `models` to tune; omitted = the tool eval's models. */
  models: z.array(z.string().min(1)).min(1).optional(),
  /** prompt_tune only: the model id of `models` that writes the prompts. */
  meta_model: z.string().min(1).optional(),
});

const BaselineSchema = z
  .object({
    /** A results file written by `llm-bench run --format json --output FILE`. */
    file: z.string().min(1),
    /** Fail when a model's tool-eval score drops by more than this many points (0–100). */
    max_drop: z.number().min(0).max(100).optional(),
    /** Fail when a model's TTFT p95 rises by more than this percentage. */
    ttft_p95_increase_pct: z.number().min(0).max(10_000).optional(),
  })
  .strict();

const FileSchema = z
  .object({
    version: z.literal(1).optional(),
    providers: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "provider names: letters, digits, _ . - (at most 64)"), z.unknown()),
    models: z.array(z.unknown()).min(1),
    benchmark: z.record(z.string(), z.unknown()).optional(),
    tool_evals: z.array(z.unknown()).optional(),
    assertions: z.array(z.unknown()).optional(),
    baseline: z.unknown().optional(),
    tune: z.record(z.string(), z.unknown()).optional(),
    prompt_tune: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type ProviderConfig = z.infer<typeof ProviderSchema> & { key: string };
export type ModelConfig = z.infer<typeof ModelSchema>;
export type BenchmarkSettings = z.infer<typeof BenchmarkRequestSchema>;
export type ToolEvalSettings = z.infer<typeof ToolEvalFileFields> & Omit<z.infer<typeof EvalRequestSchema>, "suite_id" | "targets" | "models">;
export type AssertionConfig = z.infer<typeof AssertionSchema> & { metric: AssertionMetric; op: Operator; value: number; text: string };
export type BaselineConfig = z.infer<typeof BaselineSchema>;
/** The tune as `llm-bench tune` runs it: the request without the suite and targets, which the tool eval names. */
export type TuneSettings = Omit<ParamTuneRequest, "suite_id" | "targets" | "models" | "experiment_id"> & {
  /** Index into tool_evals. */
  eval: number;
  /** Model ids of `models` to tune. */
  models: string[];
};
/** The prompt tune as `llm-bench prompt-tune` submits it: the request without the suite, targets and meta-model ref. */
export type PromptTuneSettings = Omit<
  PromptTuneRequest,
  "suite_id" | "target_models" | "target_targets" | "meta_model" | "meta_provider_key" | "experiment_id"
> & {
  eval: number;
  models: string[];
  /** A model id of `models`. */
  meta_model: string;
};

export interface CliConfig {
  file: string;
  dir: string;
  providers: Map<string, ProviderConfig>;
  models: ModelConfig[];
  benchmark: BenchmarkSettings | null;
  toolEvals: ToolEvalSettings[];
  assertions: AssertionConfig[];
  baseline: BaselineConfig | null;
  tune: TuneSettings | null;
  promptTune: PromptTuneSettings | null;
}

// ---------------------------------------------------------------- errors with positions

type Path = (string | number)[];

export function pathText(p: readonly PropertyKey[]): string {
  return p.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), "");
}

interface Problem {
  path: Path;
  message: string;
}

class Located {
  readonly doc: ReturnType<typeof parseDocument>;
  readonly lines: LineCounter;
  readonly file: string;
  constructor(file: string, doc: ReturnType<typeof parseDocument>, lines: LineCounter) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
  }

  /** file:line:col of the deepest field on the path that exists (its key; a missing field points at its parent). */
  where(p: Path): string {
    for (let n = p.length; n >= 0; n--) {
      const offset = this.offsetOf(p.slice(0, n));
      if (offset !== null) {
        const { line, col } = this.lines.linePos(offset);
        return `${this.file}:${line}:${col}`;
      }
    }
    return this.file;
  }

  private offsetOf(p: Path): number | null {
    if (p.length === 0) return (this.doc.contents as Node | null)?.range?.[0] ?? null;
    const parent = (p.length === 1 ? this.doc.contents : this.doc.getIn(p.slice(0, -1), true)) as unknown;
    const last = p[p.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === last);
      const key = pair?.key as Node | undefined;
      return key?.range?.[0] ?? null;
    }
    if (isSeq(parent) && typeof last === "number") return (parent.items[last] as Node | undefined)?.range?.[0] ?? null;
    return null;
  }

  error(problems: Problem[]): CliError {
    const lines = problems.slice(0, 30).map((p) => `  ${this.where(p.path)}: ${pathText(p.path) || "(top level)"}: ${p.message}`);
    const more = problems.length > 30 ? `\n  … ${problems.length - 30} more` : "";
    return new CliError(`invalid config:\n${lines.join("\n")}${more}`, EXIT.input);
  }
}

/** zod issues → problems at `base` + the issue's path (unknown keys get their own path, so the field is named). */
function problemsOf(error: z.ZodError, base: Path, mapPath: (p: Path) => Path = (p) => p): Problem[] {
  return error.issues.flatMap((i) => {
    const p = mapPath(i.path.map((k) => (typeof k === "symbol" ? String(k) : k)));
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: [...base, ...p, k], message: "unknown field" }));
    return [{ path: [...base, ...p], message: i.message }];
  });
}

// ---------------------------------------------------------------- loading

export function findConfig(given: string | undefined): string {
  if (given) {
    if (!existsSync(given)) throw new CliError(`config file not found: ${given}`);
    return given;
  }
  const found = CONFIG_FILES.find((f) => existsSync(f));
  if (!found) throw new CliError(`no config file: give one, or create ${CONFIG_FILES[0]} (llm-bench init writes an example)`);
  return found;
}

/** Parses and validates a config; `env` resolves the keys' variables (only their presence is ever reported). */
export function loadConfig(file: string, env: NodeJS.ProcessEnv, opts: { requireKeys?: boolean } = {}): CliConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read config ${file}: ${(e as Error).message}`);
  }
  const lines = new LineCounter();
  // JSON is YAML too, so one parser gives line numbers for both.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const shown = doc.errors.slice(0, 10).map((e) => {
      const pos = e.linePos?.[0];
      return `  ${file}${pos ? `:${pos.line}:${pos.col}` : ""}: ${e.message.split("\n")[0]}`;
    });
    throw new CliError(`${file} is not valid YAML/JSON:\n${shown.join("\n")}`);
  }
  if (!isMap(doc.contents)) throw new CliError(`${file}: expected a mapping with providers, models, … at the top level`);
  const at = new Located(file, doc, lines);
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return validate(raw, at, path.dirname(path.resolve(file)), env, opts.requireKeys ?? true);
}

function validate(raw: unknown, at: Located, dir: string, env: NodeJS.ProcessEnv, requireKeys: boolean): CliConfig {
  const top = FileSchema.safeParse(raw);
  if (!top.success) throw at.error(problemsOf(top.error, []));
  const problems: Problem[] = [];

  const providers = new Map<string, ProviderConfig>();
  for (const [name, value] of Object.entries(top.data.providers)) {
    if (value && typeof value === "object" && "api_key" in value) {
      problems.push({
        path: ["providers", name, "api_key"],
        message: "keys never go in the config: set api_key_env to the name of an environment variable",
      });
      continue;
    }
    const r = ProviderSchema.safeParse(value);
    if (!r.success) problems.push(...problemsOf(r.error, ["providers", name]));
    else providers.set(name, { ...r.data, key: "" });
  }

  const models: ModelConfig[] = [];
  for (const [i, value] of top.data.models.entries()) {
    const r = ModelSchema.safeParse(value);
    if (!r.success) {
      problems.push(...problemsOf(r.error, ["models", i]));
      continue;
    }
    if (!(r.data.provider in top.data.providers)) problems.push({ path: ["models", i, "provider"], message: "not one of providers" });
    if (models.some((m) => m.provider === r.data.provider && m.id === r.data.id))
      problems.push({ path: ["models", i, "id"], message: "listed twice" });
    models.push(r.data);
  }
  const targets = models.map((m) => ({ provider_key: m.provider, model_id: m.id }));
  const modelIds = new Set(models.map((m) => m.id));
  // The request schemas' targets are the file's models: an issue at targets[i] is one at models[i].
  const toModels = (p: Path): Path => (p[0] === "targets" ? ["models", ...p.slice(1)] : p);

  let benchmark: BenchmarkSettings | null = null;
  if (top.data.benchmark) {
    for (const k of ["targets", "models"]) {
      if (k in top.data.benchmark) problems.push({ path: ["benchmark", k], message: "not allowed here: the benchmark runs every model of models" });
    }
    const r = BenchmarkRequestSchema.safeParse({ ...top.data.benchmark, targets });
    if (!r.success) {
      for (const p of problemsOf(r.error, [], toModels)) problems.push(p.path[0] === "models" ? p : { ...p, path: ["benchmark", ...p.path] });
    } else benchmark = r.data;
  }

  const toolEvals: ToolEvalSettings[] = [];
  for (const [i, value] of (top.data.tool_evals ?? []).entries()) {
    const base: Path = ["tool_evals", i];
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      problems.push({ path: base, message: "expected a mapping" });
      continue;
    }
    const { suite, answers, name, models: subset, ...rest } = value as Record<string, unknown>;
    const own = ToolEvalFileFields.safeParse({ suite, answers, name, models: subset });
    if (!own.success) {
      problems.push(...problemsOf(own.error, base));
      continue;
    }
    for (const [k, id] of (own.data.models ?? []).entries()) {
      if (!modelIds.has(id)) problems.push({ path: [...base, "models", k], message: "not a model id of models" });
    }
    for (const k of ["suite_id", "targets", "experiment_id"]) if (k in rest) problems.push({ path: [...base, k], message: "unknown field" });
    const r = EvalRequestSchema.safeParse({ ...rest, suite_id: "config", targets });
    if (!r.success) {
      problems.push(...problemsOf(r.error, base, toModels));
      continue;
    }
    const { suite_id: _s, targets: _t, models: _m, experiment_id: _e, ...settings } = r.data;
    toolEvals.push({
      ...settings,
      ...own.data,
      suite: path.resolve(dir, own.data.suite),
      ...(own.data.answers ? { answers: path.resolve(dir, own.data.answers) } : {}),
    });
  }

  const assertions: AssertionConfig[] = [];
  for (const [i, value] of (top.data.assertions ?? []).entries()) {
    const r = AssertionSchema.safeParse(value);
    if (!r.success) {
      problems.push(...problemsOf(r.error, ["assertions", i]));
      continue;
    }
    const parsed = parseAssertion(r.data.assert)!;
    if (r.data.model !== undefined && !modelIds.has(r.data.model))
      problems.push({ path: ["assertions", i, "model"], message: "not a model id of models" });
    if (parsed.metric === "score" && !toolEvals.length && !(top.data.tool_evals ?? []).length) {
      problems.push({ path: ["assertions", i, "assert"], message: "score needs a tool eval (tool_evals)" });
    }
    if (parsed.metric !== "score" && !top.data.benchmark)
      problems.push({ path: ["assertions", i, "assert"], message: `${parsed.metric} needs a benchmark section` });
    assertions.push({ ...r.data, ...parsed, text: r.data.assert.trim().replace(/\s+/g, " ") });
  }

  const tune = top.data.tune ? validateTune(top.data.tune, top.data.tool_evals ?? [], toolEvals, models, targets, problems, toModels) : null;
  const promptTune = top.data.prompt_tune ? validatePromptTune(top.data.prompt_tune, top.data.tool_evals ?? [], toolEvals, models, problems) : null;

  let baseline: BaselineConfig | null = null;
  if (top.data.baseline !== undefined) {
    const r = BaselineSchema.safeParse(top.data.baseline);
    if (!r.success) problems.push(...problemsOf(r.error, ["baseline"]));
    else baseline = { ...r.data, file: path.resolve(dir, r.data.file) };
  }

  if (!top.data.benchmark && !(top.data.tool_evals ?? []).length)
    problems.push({ path: [], message: "nothing to run: add a benchmark section or tool_evals" });
  if (problems.length) throw at.error(problems);

  // Keys last: a config can be checked without them, but a run cannot start without them.
  for (const [name, p] of providers) {
    if (!p.api_key_env) {
      p.key = "no-key"; // local servers and the simulator accept any non-empty key
      continue;
    }
    const key = env[p.api_key_env];
    if (!key && requireKeys) problems.push({ path: ["providers", name, "api_key_env"], message: `environment variable ${p.api_key_env} is not set` });
    else p.key = key ?? "";
  }
  if (problems.length) throw at.error(problems);
  return { file: at.file, dir, providers, models, benchmark, toolEvals, assertions, baseline, tune, promptTune };
}

/** The tool eval a tuner section names (`eval`: its name or index, default 0), or a problem at `<section>.eval`. */
function evalOf(ref: string | number | undefined, base: Path, toolEvals: ToolEvalSettings[], problems: Problem[]): number | null {
  const wanted = ref ?? 0;
  const index = typeof wanted === "number" ? wanted : toolEvals.findIndex((e) => e.name === wanted);
  if (toolEvals[index]) return index;
  const names = toolEvals.flatMap((x) => (x.name ? [x.name] : []));
  problems.push({
    path: [...base, "eval"],
    message:
      typeof wanted === "number"
        ? `tool_evals has no entry ${wanted}`
        : `no tool eval is named ${JSON.stringify(wanted)} (${names.length ? `names: ${names.join(", ")}` : "give the tool eval a name, or its index"})`,
  });
  return null;
}

/**
 * What a tuner section needs before its own schema: its own fields parsed, a tool eval to take the suite from, and
 * every model id it names among `models`. Null when a problem was recorded.
 */
function tunerBasics(
  section: "tune" | "prompt_tune",
  raw: Record<string, unknown>,
  rawEvals: unknown[],
  toolEvals: ToolEvalSettings[],
  models: ModelConfig[],
  problems: Problem[],
): { index: number; e: ToolEvalSettings; own: z.infer<typeof TunerFileFields>; rest: Record<string, unknown> } | null {
  const base: Path = [section];
  const { eval: evalRef, models: subset, meta_model: meta, ...rest } = raw;
  const own = TunerFileFields.safeParse({ eval: evalRef, models: subset, meta_model: meta });
  if (!own.success) {
    problems.push(...problemsOf(own.error, base));
    return null;
  }
  if (!rawEvals.length) {
    problems.push({ path: base, message: "a tuner needs a tool eval (tool_evals) to take its suite from" });
    return null;
  }
  // A tool eval with problems of its own is already reported; its settings are unknown.
  if (toolEvals.length !== rawEvals.length) return null;
  const index = evalOf(own.data.eval, base, toolEvals, problems);
  if (index === null) return null;
  const modelIds = new Set(models.map((m) => m.id));
  for (const [k, id] of (own.data.models ?? []).entries()) {
    if (!modelIds.has(id)) problems.push({ path: [...base, "models", k], message: "not a model id of models" });
  }
  if (own.data.meta_model !== undefined && !modelIds.has(own.data.meta_model))
    problems.push({ path: [...base, "meta_model"], message: "not a model id of models" });
  for (const k of ["suite_id", "targets", "target_models", "target_targets", "meta_provider_key", "experiment_id"]) {
    if (k in rest) problems.push({ path: [...base, k], message: "unknown field" });
  }
  return { index, e: toolEvals[index]!, own: own.data, rest };
}

const primitive = (v: unknown): v is string | number | boolean => ["string", "number", "boolean"].includes(typeof v);

/**
 * The tune section: ParamTuneRequestSchema's fields on the suite of one tool eval, whose scorer, max_tokens,
 * timeout, system prompt and models it inherits, and whose temperature, tool choice and provider params are the
 * baseline ("your current settings") every combo is compared with, unless the section says otherwise.
 */
function validateTune(
  raw: Record<string, unknown>,
  rawEvals: unknown[],
  toolEvals: ToolEvalSettings[],
  models: ModelConfig[],
  targets: { provider_key: string; model_id: string }[],
  problems: Problem[],
  toModels: (p: Path) => Path,
): TuneSettings | null {
  if ("meta_model" in raw) problems.push({ path: ["tune", "meta_model"], message: "unknown field (the prompt tuner's: prompt_tune)" });
  const basics = tunerBasics("tune", raw, rawEvals, toolEvals, models, problems);
  if (!basics) return null;
  const { index, e, own, rest } = basics;
  const inherited = {
    scorer: e.scorer,
    max_tokens: e.max_tokens,
    timeout: e.timeout,
    ...(typeof e.system_prompt === "string" ? { system_prompt: e.system_prompt } : {}),
    baseline: {
      temperature: e.temperature,
      ...(e.tool_choice ? { tool_choice: e.tool_choice } : {}),
      ...(e.provider_params ? { provider_params: Object.fromEntries(Object.entries(e.provider_params).filter(([, v]) => primitive(v))) } : {}),
    },
  };
  const r = ParamTuneRequestSchema.safeParse({ ...inherited, ...rest, suite_id: "config", targets });
  if (!r.success) {
    problems.push(...problemsOf(r.error, ["tune"], toModels));
    return null;
  }
  const { suite_id: _s, targets: _t, models: _m, experiment_id: _e, ...settings } = r.data;
  return { ...settings, eval: index, models: own.models ?? e.models ?? models.map((m) => m.id) };
}

/**
 * The prompt_tune section: PromptTuneRequestSchema's fields on one tool eval's suite. The base prompt is the tool
 * eval's system prompt and the candidates run with its temperature and tool choice, unless the section says
 * otherwise; `meta_model` (the model that writes prompts) is a model id of `models`.
 */
function validatePromptTune(
  raw: Record<string, unknown>,
  rawEvals: unknown[],
  toolEvals: ToolEvalSettings[],
  models: ModelConfig[],
  problems: Problem[],
): PromptTuneSettings | null {
  const basics = tunerBasics("prompt_tune", raw, rawEvals, toolEvals, models, problems);
  if (!basics) return null;
  const { index, e, own, rest } = basics;
  if (own.meta_model === undefined) {
    problems.push({ path: ["prompt_tune", "meta_model"], message: "required: the model id (of models) that writes the prompts" });
    return null;
  }
  const tuned = own.models ?? e.models ?? models.map((m) => m.id);
  const given = (rest.config ?? {}) as Record<string, unknown>;
  const inherited = {
    scorer: e.scorer,
    max_tokens: e.max_tokens,
    timeout: e.timeout,
    ...(typeof e.system_prompt === "string" && e.system_prompt.trim() ? { base_prompt: e.system_prompt } : {}),
  };
  const config =
    typeof given === "object" && given !== null && !Array.isArray(given)
      ? { temperature: e.temperature, ...(e.tool_choice ? { tool_choice: e.tool_choice } : {}), ...given }
      : given;
  const r = PromptTuneRequestSchema.safeParse({
    ...inherited,
    ...rest,
    config,
    suite_id: "config",
    target_targets: models.filter((m) => tuned.includes(m.id)).map((m) => ({ provider_key: m.provider, model_id: m.id })),
    meta_model: own.meta_model,
  });
  if (!r.success) {
    problems.push(...problemsOf(r.error, ["prompt_tune"], (p) => (p[0] === "target_targets" ? ["models", ...p.slice(1)] : p)));
    return null;
  }
  const { suite_id: _s, target_targets: _t, target_models: _tm, meta_model: _mm, meta_provider_key: _mp, experiment_id: _e, ...settings } = r.data;
  return { ...settings, eval: index, models: tuned, meta_model: own.meta_model };
}
