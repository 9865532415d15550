/**
 * D1 schema for the whole product: the single source of truth for `migrations/` (drizzle-kit generates them).
 *
 * Conventions (see ARCHITECTURE.md "Data model"):
 * - ids are 32-char lowercase hex strings made by the app (`newId()`); audit_log uses an integer key.
 * - every timestamp is ISO-8601 UTC with milliseconds and a `Z` (`2026-11-27T05:24:05.123Z`), written by the
 *   app or by the `NOW` default below, so text comparison is time order (the original mixed two formats).
 * - enums are CHECK constraints; foreign keys say what happens on delete, deliberately:
 *   CASCADE for things a user owns, SET NULL for history that must outlive what it points at.
 * - results are rows (one per measured run / scored case), not JSON blobs, so analytics aggregate in SQL.
 */
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CALL_ERROR_CLASSES } from "../../shared/call-errors.ts";
import { JOB_STATUSES, JOB_TYPES } from "../../shared/jobs.ts";
import { MATCH_MODES as PARAM_SCORING, SCORER_NAMES as SCORERS } from "../../shared/scoring/types.ts";

const NOW = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const createdAt = () => text("created_at").notNull().default(NOW);
const updatedAt = () => text("updated_at").notNull().default(NOW);
const bool = (name: string) => integer(name, { mode: "boolean" });

// schedules and alerts (issue 15)
export const SCHEDULE_KINDS = ["benchmark", "tool_eval"] as const;
export const ALERT_METRICS = ["ttft_p50", "output_speed_p50", "error_rate", "cost_per_run", "tool_accuracy"] as const;
export const ALERT_CAUSES = ["model_version_changed", "price_changed", "rate_limit_surge", "shift_beyond_noise"] as const;
export const WEBHOOK_STATUSES = ["none", "pending", "delivered", "failed"] as const;
const inList = (column: string, values: readonly string[]) => sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(", ")})`);

export const ROLES = ["admin", "user"] as const;
export const API_KINDS = ["openai", "anthropic"] as const;
export const PROVIDER_SOURCES = ["catalogue", "custom", "simulator"] as const;
export const RUN_STATUSES = ["running", "completed", "failed", "cancelled", "interrupted"] as const;
/** LLM-call failure classes (src/shared/call-errors.ts; `network` became `connection`/`disconnected` in 0002). */
export const ERROR_CLASSES = CALL_ERROR_CLASSES;
export const TOOL_CHOICES = ["required", "auto", "none"] as const;

// ---------------------------------------------------------------- accounts and security

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(), // stored lower-cased; unique index below
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("user"),
    onboardingCompleted: bool("onboarding_completed").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), check("users_role_ck", inList("role", ROLES))],
);

/** Opaque refresh tokens, stored as SHA-256 hashes. A login starts a family; every refresh rotates within it. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    familyId: text("family_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: text("expires_at").notNull(),
    createdAt: createdAt(),
    rotatedAt: text("rotated_at"), // set when exchanged for a successor; presenting it again is reuse
    revokedAt: text("revoked_at"),
    userAgent: text("user_agent"),
  },
  (t) => [
    uniqueIndex("refresh_tokens_hash_uq").on(t.tokenHash),
    index("refresh_tokens_user_idx").on(t.userId),
    index("refresh_tokens_family_idx").on(t.familyId),
    index("refresh_tokens_expires_idx").on(t.expiresAt),
  ],
);

/** Login limiter state per client IP; in D1 so it holds across isolates and restarts. */
export const loginAttempts = sqliteTable("login_attempts", {
  ip: text("ip").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: text("window_started_at").notNull(),
  lockedUntil: text("locked_until"),
});

/** Append-only; survives user deletion (user_id set null, email kept). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    createdAt: createdAt(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email"),
    action: text("action").notNull(),
    resourceType: text("resource_type"),
    resourceId: text("resource_id"),
    detail: text("detail", { mode: "json" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_log_created_idx").on(t.createdAt),
    index("audit_log_user_idx").on(t.userId, t.createdAt),
    index("audit_log_action_idx").on(t.action, t.createdAt),
  ],
);

export const rateLimits = sqliteTable(
  "rate_limits",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    benchmarksPerHour: integer("benchmarks_per_hour").notNull().default(20),
    maxConcurrent: integer("max_concurrent").notNull().default(1),
    maxRunsPerBenchmark: integer("max_runs_per_benchmark").notNull().default(10),
    updatedAt: updatedAt(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    check("rate_limits_per_hour_ck", sql`${t.benchmarksPerHour} BETWEEN 1 AND 1000`),
    check("rate_limits_concurrent_ck", sql`${t.maxConcurrent} BETWEEN 1 AND 50`),
    check("rate_limits_runs_ck", sql`${t.maxRunsPerBenchmark} BETWEEN 1 AND 100`),
  ],
);

// ---------------------------------------------------------------- per-user configuration

export const providers = sqliteTable(
  "providers",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    providerKey: text("provider_key").notNull(),
    displayName: text("display_name").notNull(),
    apiKind: text("api_kind", { enum: API_KINDS }).notNull().default("openai"),
    apiBase: text("api_base"),
    apiKeyEnv: text("api_key_env"),
    modelIdPrefix: text("model_id_prefix"),
    isLocal: bool("is_local").notNull().default(false), // local servers need no key
    source: text("source", { enum: PROVIDER_SOURCES }).notNull().default("custom"),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("providers_user_key_uq").on(t.userId, t.providerKey),
    check("providers_api_kind_ck", inList("api_kind", API_KINDS)),
    check("providers_source_ck", inList("source", PROVIDER_SOURCES)),
  ],
);

export const models = sqliteTable(
  "models",
  {
    id: text("id").primaryKey(),
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    modelId: text("model_id").notNull(), // the id sent to the provider
    displayName: text("display_name").notNull(),
    contextWindow: integer("context_window").notNull().default(128000),
    maxOutputTokens: integer("max_output_tokens"),
    skipParams: text("skip_params", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    inputCostPerMtok: real("input_cost_per_mtok"), // USD per 1M tokens; null = use the built-in table
    outputCostPerMtok: real("output_cost_per_mtok"),
    systemPrompt: text("system_prompt"),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("models_provider_model_uq").on(t.providerId, t.modelId),
    check("models_context_ck", sql`${t.contextWindow} BETWEEN 1 AND 10000000`),
    check("models_prices_ck", sql`coalesce(${t.inputCostPerMtok}, 0) >= 0 AND coalesce(${t.outputCostPerMtok}, 0) >= 0`),
  ],
);

/** AES-GCM ciphertext of a provider key. The AAD binds it to (user, provider) so rows cannot be swapped. */
export const userApiKeys = sqliteTable(
  "user_api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    ciphertext: text("ciphertext").notNull(), // base64
    iv: text("iv").notNull(), // base64, 12 random bytes per record
    keyVersion: integer("key_version").notNull().default(1), // which master key encrypted it (rotation)
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("user_api_keys_user_provider_uq").on(t.userId, t.providerId)],
);

export const promptTemplates = sqliteTable(
  "prompt_templates",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    label: text("label").notNull(),
    category: text("category").notNull().default("general"),
    prompt: text("prompt").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("prompt_templates_user_key_uq").on(t.userId, t.key)],
);

/** Settings documents (validated by zod on every write); one row per user and section. */
export const userSettings = sqliteTable(
  "user_settings",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    section: text("section").notNull(), // benchmark_defaults | judge | param_tuner | prompt_tuner | param_support
    value: text("value", { mode: "json" }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.section] })],
);

// ---------------------------------------------------------------- jobs (written through by the UserHub)

export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    jobType: text("job_type", { enum: JOB_TYPES }).notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("pending"),
    progressPct: integer("progress_pct").notNull().default(0),
    progressDetail: text("progress_detail").notNull().default(""),
    params: text("params_json", { mode: "json" }).notNull().default(sql`'{}'`),
    resultRef: text("result_ref"),
    resultType: text("result_type"),
    errorClass: text("error_class"),
    errorMsg: text("error_msg"),
    createdAt: createdAt(),
    startedAt: text("started_at"),
    completedAt: text("completed_at"),
    timeoutAt: text("timeout_at"),
    timeoutSeconds: integer("timeout_seconds").notNull().default(7200),
    lastProgressAt: text("last_progress_at"), // lost-work detection
    errorCount: integer("error_count").notNull().default(0), // failed units of work (runs, cases)
  },
  (t) => [
    index("jobs_user_created_idx").on(t.userId, t.createdAt),
    index("jobs_user_status_idx").on(t.userId, t.status),
    index("jobs_status_timeout_idx").on(t.status, t.timeoutAt),
    check("jobs_type_ck", inList("job_type", JOB_TYPES)),
    check("jobs_status_ck", inList("status", JOB_STATUSES)),
    check("jobs_progress_ck", sql`${t.progressPct} BETWEEN 0 AND 100`),
  ],
);

// ---------------------------------------------------------------- speed benchmarks

/**
 * A scheduled benchmark or tool eval (issue 15). `config_json` is exactly the body of POST /api/benchmark or
 * POST /api/tool-eval; each run is an ordinary job of that kind whose run row carries `schedule_id`. Timing is an
 * interval (hours, anchored at `anchor_at`) or a cron expression in an IANA zone. `alerts_json` holds the alert
 * settings; the webhook's signing secret is sealed (vault) and never leaves the server.
 */
export const schedules = sqliteTable(
  "schedules",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: SCHEDULE_KINDS }).notNull(),
    config: text("config_json", { mode: "json" }).notNull(),
    intervalHours: integer("interval_hours"),
    cron: text("cron"),
    timezone: text("timezone").notNull().default("UTC"),
    anchorAt: text("anchor_at").notNull(),
    enabled: bool("enabled").notNull().default(true),
    alerts: text("alerts_json", { mode: "json" }).notNull(),
    webhookSecretCiphertext: text("webhook_secret_ciphertext"),
    webhookSecretIv: text("webhook_secret_iv"),
    lastRunAt: text("last_run_at"),
    nextRunAt: text("next_run_at"),
    lastJobId: text("last_job_id"),
    lastRunId: text("last_run_id"),
    lastStatus: text("last_status"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("schedules_user_idx").on(t.userId, t.createdAt),
    check("schedules_kind_ck", inList("kind", SCHEDULE_KINDS)),
    check("schedules_interval_ck", sql`${t.intervalHours} IS NULL OR ${t.intervalHours} BETWEEN 1 AND 720`),
    check("schedules_timing_ck", sql`(${t.intervalHours} IS NULL) <> (${t.cron} IS NULL)`),
  ],
);

/**
 * A regression or drift one scheduled run showed against its schedule's baseline: one row per (run, model,
 * metric). Webhook delivery state is kept on the row (attempts, last status, delivered_at).
 */
export const scheduleAlerts = sqliteTable(
  "schedule_alerts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    scheduleId: text("schedule_id")
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    runId: text("run_id").notNull(),
    metric: text("metric", { enum: ALERT_METRICS }).notNull(),
    providerKey: text("provider_key").notNull(),
    modelId: text("model_id").notNull(),
    baselineValue: real("baseline_value").notNull(),
    value: real("value").notNull(),
    changePct: real("change_pct").notNull(),
    thresholdPct: real("threshold_pct").notNull(),
    test: text("test").notNull(), // e.g. mann_whitney, median_mad
    evidence: text("evidence_json", { mode: "json" }).notNull(),
    cause: text("cause", { enum: ALERT_CAUSES }).notNull(),
    causeDetail: text("cause_detail").notNull().default(""),
    acknowledgedAt: text("acknowledged_at"),
    webhookStatus: text("webhook_status", { enum: WEBHOOK_STATUSES }).notNull().default("none"),
    webhookAttempts: integer("webhook_attempts").notNull().default(0),
    webhookLastError: text("webhook_last_error"),
    webhookDeliveredAt: text("webhook_delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("schedule_alerts_uq").on(t.runId, t.providerKey, t.modelId, t.metric),
    index("schedule_alerts_user_idx").on(t.userId, t.acknowledgedAt, t.createdAt),
    index("schedule_alerts_schedule_idx").on(t.scheduleId, t.createdAt),
    check("schedule_alerts_metric_ck", inList("metric", ALERT_METRICS)),
    check("schedule_alerts_cause_ck", inList("cause", ALERT_CAUSES)),
    check("schedule_alerts_webhook_ck", inList("webhook_status", WEBHOOK_STATUSES)),
  ],
);

export const benchmarkRuns = sqliteTable(
  "benchmark_runs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    scheduleId: text("schedule_id").references(() => schedules.id, { onDelete: "set null" }),
    source: text("source", { enum: ["manual", "schedule", "rerun", "api"] })
      .notNull()
      .default("manual"),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    prompt: text("prompt").notNull(),
    maxTokens: integer("max_tokens").notNull(),
    temperature: real("temperature"),
    runs: integer("runs").notNull().default(1),
    warmup: bool("warmup").notNull().default(true),
    contextTiers: text("context_tiers", { mode: "json" }).$type<number[]>().notNull(),
    config: text("config_json", { mode: "json" }).notNull(), // full request incl. targets and provider params
    createdAt: createdAt(),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("benchmark_runs_user_created_idx").on(t.userId, t.createdAt),
    index("benchmark_runs_schedule_idx").on(t.scheduleId, t.createdAt), // a schedule's baseline (issue 15)
    check("benchmark_runs_status_ck", inList("status", RUN_STATUSES)),
    check("benchmark_runs_source_ck", inList("source", ["manual", "schedule", "rerun", "api"])),
  ],
);

/** One row per measured request (metrics.md). Model identity is snapshotted so history outlives config edits. */
export const benchmarkResults = sqliteTable(
  "benchmark_results",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => benchmarkRuns.id, { onDelete: "cascade" }),
    modelRef: text("model_ref").references(() => models.id, { onDelete: "set null" }),
    providerKey: text("provider_key").notNull(),
    providerName: text("provider_name").notNull(),
    modelId: text("model_id").notNull(),
    modelName: text("model_name").notNull(),
    contextTokens: integer("context_tokens").notNull().default(0),
    runNumber: integer("run_number").notNull(), // 0 = warm-up (stored, never aggregated)
    success: bool("success").notNull(),
    ttfbMs: real("ttfb_ms"),
    ttftMs: real("ttft_ms"),
    ttfaMs: real("ttfa_ms"),
    totalMs: real("total_ms"),
    outputTokens: integer("output_tokens"),
    inputTokens: integer("input_tokens"),
    tokenSource: text("token_source", { enum: ["provider", "tokenizer"] }),
    outputSpeedTps: real("output_speed_tps"),
    e2eTps: real("e2e_tps"),
    itlMs: real("itl_ms"),
    prefillTps: real("prefill_tps"),
    costUsd: real("cost_usd"),
    errorClass: text("error_class", { enum: ERROR_CLASSES }),
    error: text("error"),
    errorHost: text("error_host"), // host[:port] of the provider a failed call went to; never a URL with credentials
    timings: text("timings_json", { mode: "json" }), // raw t0 and event arrival offsets, to recompute any metric
    createdAt: createdAt(),
  },
  (t) => [
    // A redelivered queue message re-inserts the same key and is ignored: results are idempotent.
    uniqueIndex("benchmark_results_run_uq").on(t.runId, t.providerKey, t.modelId, t.contextTokens, t.runNumber),
    index("benchmark_results_model_idx").on(t.modelId, t.createdAt),
    // analytics (issue 15): covers the leaderboard/trend/Pareto columns, so those queries never read timings_json
    index("benchmark_results_analytics_idx").on(
      t.runId,
      t.runNumber,
      t.success,
      t.providerKey,
      t.modelId,
      t.contextTokens,
      t.ttftMs,
      t.outputSpeedTps,
      t.e2eTps,
      t.costUsd,
    ),
    check("benchmark_results_error_ck", sql`${t.errorClass} IS NULL OR ${inList("error_class", ERROR_CLASSES)}`),
  ],
);

// ---------------------------------------------------------------- tool-calling evaluation

export const toolSuites = sqliteTable(
  "tool_suites",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    systemPrompt: text("system_prompt"),
    tools: text("tools_json", { mode: "json" }).notNull(), // OpenAI function tools, validated as JSON Schema
    // Import metadata kept for exact round trips: provider→original tool names, BFCL's original functions.
    meta: text("meta_json", { mode: "json" }),
    source: text("source", { enum: ["manual", "import", "bfcl", "mcp"] })
      .notNull()
      .default("manual"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("tool_suites_user_updated_idx").on(t.userId, t.updatedAt)],
);

export const toolTestCases = sqliteTable(
  "tool_test_cases",
  {
    id: text("id").primaryKey(),
    suiteId: text("suite_id")
      .notNull()
      .references(() => toolSuites.id, { onDelete: "cascade" }),
    sortOrder: integer("sort_order").notNull().default(0),
    prompt: text("prompt").notNull(),
    expectedTool: text("expected_tool", { mode: "json" }), // name | names[] | null (no call expected)
    expectedParams: text("expected_params", { mode: "json" }), // object, or list of objects for parallel calls
    paramScoring: text("param_scoring", { enum: PARAM_SCORING }).notNull().default("exact"),
    shouldCallTool: bool("should_call_tool").notNull().default(true),
    category: text("category"),
    multiTurn: text("multi_turn_config", { mode: "json" }),
    scoringConfig: text("scoring_config", { mode: "json" }),
    // Per-case extras from imports: source id, system message, offered tools, tool overrides, BFCL answer key.
    extra: text("extra_json", { mode: "json" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("tool_test_cases_suite_idx").on(t.suiteId, t.sortOrder), check("tool_test_cases_scoring_ck", inList("param_scoring", PARAM_SCORING))],
);

export const experiments = sqliteTable(
  "experiments",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    suiteId: text("suite_id")
      .notNull()
      .references(() => toolSuites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    suiteSnapshot: text("suite_snapshot_json", { mode: "json" }),
    baselineEvalId: text("baseline_eval_id").references((): AnySQLiteColumn => toolEvalRuns.id, {
      onDelete: "set null",
    }),
    baselineScore: real("baseline_score"),
    bestScore: real("best_score"),
    bestSource: text("best_source", { enum: ["eval", "param_tune", "prompt_tune"] }),
    bestSourceId: text("best_source_id"),
    bestConfig: text("best_config_json", { mode: "json" }),
    status: text("status", { enum: ["active", "archived"] })
      .notNull()
      .default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("experiments_user_status_idx").on(t.userId, t.status, t.updatedAt),
    index("experiments_suite_idx").on(t.suiteId),
    check("experiments_status_ck", inList("status", ["active", "archived"])),
    check("experiments_best_source_ck", sql`${t.bestSource} IS NULL OR ${inList("best_source", ["eval", "param_tune", "prompt_tune"])}`),
  ],
);

export const toolEvalRuns = sqliteTable(
  "tool_eval_runs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    suiteId: text("suite_id").references(() => toolSuites.id, { onDelete: "set null" }),
    suiteName: text("suite_name").notNull(), // snapshot: history survives the suite
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    experimentId: text("experiment_id").references((): AnySQLiteColumn => experiments.id, { onDelete: "set null" }),
    scheduleId: text("schedule_id").references(() => schedules.id, { onDelete: "set null" }),
    scorer: text("scorer", { enum: SCORERS }).notNull().default("classic"),
    temperature: real("temperature"),
    toolChoice: text("tool_choice", { enum: TOOL_CHOICES }).notNull().default("required"),
    config: text("config_json", { mode: "json" }).notNull(), // targets, system prompts, provider params
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    createdAt: createdAt(),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("tool_eval_runs_user_created_idx").on(t.userId, t.createdAt),
    index("tool_eval_runs_experiment_idx").on(t.experimentId),
    index("tool_eval_runs_schedule_idx").on(t.scheduleId, t.createdAt), // a schedule's baseline (issue 15)
    // analytics (issue 15): the suite filter of the tool-eval leaderboard and the Pareto view
    index("tool_eval_runs_user_suite_idx").on(t.userId, t.suiteId, t.createdAt),
    check("tool_eval_runs_scorer_ck", inList("scorer", SCORERS)),
    check("tool_eval_runs_choice_ck", inList("tool_choice", TOOL_CHOICES)),
    check("tool_eval_runs_status_ck", inList("status", RUN_STATUSES)),
  ],
);

/** One row per (run, case, model): every score part, the calls made, and the raw exchange without keys. */
export const toolEvalResults = sqliteTable(
  "tool_eval_results",
  {
    id: text("id").primaryKey(),
    evalRunId: text("eval_run_id")
      .notNull()
      .references(() => toolEvalRuns.id, { onDelete: "cascade" }),
    testCaseId: text("test_case_id").references(() => toolTestCases.id, { onDelete: "set null" }),
    modelRef: text("model_ref").references(() => models.id, { onDelete: "set null" }),
    providerKey: text("provider_key").notNull(),
    providerName: text("provider_name"), // a snapshot, like model_name (null on rows stored before 0002)
    modelId: text("model_id").notNull(),
    modelName: text("model_name").notNull(),
    category: text("category"),
    success: bool("success").notNull(),
    toolSelectionScore: real("tool_selection_score"),
    paramAccuracy: real("param_accuracy"),
    overallScore: real("overall_score"),
    irrelevanceScore: real("irrelevance_score"),
    scoreParts: text("score_parts_json", { mode: "json" }), // scorer-specific breakdown
    actualCalls: text("actual_calls_json", { mode: "json" }),
    formatCompliance: text("format_compliance", { enum: ["PASS", "NORMALIZED", "FAIL"] }),
    errorType: text("error_type"),
    errorClass: text("error_class", { enum: ERROR_CLASSES }),
    error: text("error"),
    errorHost: text("error_host"), // host[:port] of the provider a failed call went to; never a URL with credentials
    latencyMs: real("latency_ms"),
    rounds: integer("rounds"),
    rawRequest: text("raw_request_json", { mode: "json" }),
    rawResponse: text("raw_response_json", { mode: "json" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tool_eval_results_uq").on(t.evalRunId, t.testCaseId, t.providerKey, t.modelId),
    index("tool_eval_results_model_idx").on(t.modelId, t.createdAt),
    check("tool_eval_results_format_ck", sql`${t.formatCompliance} IS NULL OR ${inList("format_compliance", ["PASS", "NORMALIZED", "FAIL"])}`),
  ],
);

// ---------------------------------------------------------------- tuners and judge

export const TUNE_STRATEGIES = ["grid", "random", "halving"] as const;

/** One parameter tune: its request as planned (`config_json`) and, once finished, its answer (`summary_json`). */
export const paramTuneRuns = sqliteTable(
  "param_tune_runs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    suiteId: text("suite_id").references(() => toolSuites.id, { onDelete: "set null" }),
    suiteName: text("suite_name").notNull(),
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    experimentId: text("experiment_id").references(() => experiments.id, { onDelete: "set null" }),
    strategy: text("strategy", { enum: TUNE_STRATEGIES }).notNull().default("grid"),
    seed: integer("seed").notNull(),
    repeats: integer("repeats").notNull().default(1),
    searchSpace: text("search_space_json", { mode: "json" }).notNull(),
    config: text("config_json", { mode: "json" }).notNull(), // targets, resolved combos, cases, split, budgets
    totalCombos: integer("total_combos").notNull(),
    plannedTrials: integer("planned_trials").notNull(),
    bestScore: real("best_score"),
    bestConfig: text("best_config_json", { mode: "json" }),
    summary: text("summary_json", { mode: "json" }), // per-target answer, written when the job ends
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    createdAt: createdAt(),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("param_tune_runs_user_created_idx").on(t.userId, t.createdAt),
    index("param_tune_runs_experiment_idx").on(t.experimentId),
    check("param_tune_runs_strategy_ck", inList("strategy", TUNE_STRATEGIES)),
    check("param_tune_runs_status_ck", inList("status", RUN_STATUSES)),
  ],
);

/** What a tuner trial stores about its scored case: scores, latency, tokens, cost, the calls made, the failure. */
const trialOutcome = () => ({
  score: real("score").notNull(),
  toolScore: real("tool_score"),
  paramScore: real("param_score"),
  passed: bool("passed").notNull(),
  latencyMs: real("latency_ms"),
  inputTokens: integer("input_tokens"),
  outputTokens: integer("output_tokens"),
  costUsd: real("cost_usd"),
  actualCalls: text("actual_calls_json", { mode: "json" }),
  errorClass: text("error_class", { enum: ERROR_CLASSES }),
  error: text("error"),
});

/** One trial: a combo on a case (one repeat) for one target. Unique, so a redelivered worker stores nothing twice. */
export const paramTuneTrials = sqliteTable(
  "param_tune_trials",
  {
    id: text("id").primaryKey(),
    tuneRunId: text("tune_run_id")
      .notNull()
      .references(() => paramTuneRuns.id, { onDelete: "cascade" }),
    providerKey: text("provider_key").notNull(),
    modelId: text("model_id").notNull(),
    combo: text("combo").notNull(),
    caseId: text("case_id").notNull(), // no FK: the tune keeps its trials when a case is edited away
    repeat: integer("repeat").notNull(),
    ...trialOutcome(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("param_tune_trials_uq").on(t.tuneRunId, t.providerKey, t.modelId, t.combo, t.caseId, t.repeat)],
);

export const PROMPT_TUNE_MODES = ["quick", "evolutionary"] as const;

/** One prompt tune: its plan (`config_json`: targets, cases, split, limits) and, once finished, its answer. */
export const promptTuneRuns = sqliteTable(
  "prompt_tune_runs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    suiteId: text("suite_id").references(() => toolSuites.id, { onDelete: "set null" }),
    suiteName: text("suite_name").notNull(),
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    experimentId: text("experiment_id").references(() => experiments.id, { onDelete: "set null" }),
    mode: text("mode", { enum: PROMPT_TUNE_MODES }).notNull(),
    metaProviderKey: text("meta_provider_key").notNull(),
    metaModelId: text("meta_model_id").notNull(),
    basePrompt: text("base_prompt").notNull(),
    seed: integer("seed").notNull(),
    config: text("config_json", { mode: "json" }).notNull(),
    totalPrompts: integer("total_prompts").notNull(),
    bestPrompt: text("best_prompt"),
    bestScore: real("best_score"),
    summary: text("summary_json", { mode: "json" }), // the answer, written when the job ends
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    createdAt: createdAt(),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("prompt_tune_runs_user_created_idx").on(t.userId, t.createdAt),
    index("prompt_tune_runs_experiment_idx").on(t.experimentId),
    check("prompt_tune_runs_mode_ck", inList("mode", PROMPT_TUNE_MODES)),
    check("prompt_tune_runs_status_ck", inList("status", RUN_STATUSES)),
  ],
);

/**
 * One meta-model call's outcome: the generation's prompts were written (its candidates are stored in the same
 * batch) or it failed after its retries. Unique per run × generation, so a redelivery never asks twice.
 */
export const promptTuneGenerations = sqliteTable(
  "prompt_tune_generations",
  {
    id: text("id").primaryKey(),
    tuneRunId: text("tune_run_id")
      .notNull()
      .references(() => promptTuneRuns.id, { onDelete: "cascade" }),
    generation: integer("generation").notNull(),
    status: text("status", { enum: ["generated", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    /** How the answer was read: json, fenced or extracted (lenient parsing). */
    answerFormat: text("answer_format"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: real("cost_usd"),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("prompt_tune_generations_uq").on(t.tuneRunId, t.generation)],
);

/** A prompt the meta-model wrote (generation ≥ 1), with the survivor of the previous generation it came from. */
export const promptTuneCandidates = sqliteTable(
  "prompt_tune_candidates",
  {
    id: text("id").primaryKey(),
    tuneRunId: text("tune_run_id")
      .notNull()
      .references(() => promptTuneRuns.id, { onDelete: "cascade" }),
    generation: integer("generation").notNull(),
    candidateIndex: integer("candidate_index").notNull(),
    promptText: text("prompt_text").notNull(),
    style: text("style"),
    /** The parent's candidate key ("base" or "g1p3"), when the meta-model named one. */
    parentKey: text("parent_key"),
    mutationType: text("mutation_type"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("prompt_tune_candidates_uq").on(t.tuneRunId, t.generation, t.candidateIndex)],
);

/** One candidate prompt on one case for one target. Unique, so a redelivered worker stores nothing twice. */
export const promptTuneTrials = sqliteTable(
  "prompt_tune_trials",
  {
    id: text("id").primaryKey(),
    tuneRunId: text("tune_run_id")
      .notNull()
      .references(() => promptTuneRuns.id, { onDelete: "cascade" }),
    /** "base" or "g<generation>p<index>". */
    candidate: text("candidate").notNull(),
    providerKey: text("provider_key").notNull(),
    modelId: text("model_id").notNull(),
    caseId: text("case_id").notNull(), // no FK: the tune keeps its trials when a case is edited away
    ...trialOutcome(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("prompt_tune_trials_uq").on(t.tuneRunId, t.candidate, t.providerKey, t.modelId, t.caseId)],
);

export const JUDGE_MODES = ["post_eval", "live_inline", "comparative"] as const;
export const JUDGE_ROLES = ["primary", "second", "compare"] as const;
export const JUDGE_OVERRIDES = ["pass", "marginal", "fail"] as const;

/**
 * One judge run (issue 14): a post-eval or live-inline review of an eval run, or a comparison of two. Its judge
 * configuration (model, prompt version, instructions) is what a judge card is kept for.
 */
export const judgeReports = sqliteTable(
  "judge_reports",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    evalRunId: text("eval_run_id").references(() => toolEvalRuns.id, { onDelete: "set null" }),
    evalRunIdB: text("eval_run_id_b").references(() => toolEvalRuns.id, { onDelete: "set null" }),
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    experimentId: text("experiment_id").references(() => experiments.id, { onDelete: "set null" }),
    suiteName: text("suite_name").notNull().default(""),
    judgeProviderKey: text("judge_provider_key").notNull(),
    judgeModelId: text("judge_model_id").notNull(),
    judgeModelName: text("judge_model_name").notNull(),
    secondProviderKey: text("second_provider_key"),
    secondModelId: text("second_model_id"),
    mode: text("mode", { enum: JUDGE_MODES }).notNull(),
    promptVersion: text("prompt_version").notNull(),
    customInstructions: text("custom_instructions").notNull().default(""),
    concurrency: integer("concurrency").notNull().default(1),
    config: text("config_json", { mode: "json" }).notNull(), // what to judge (result ids or pairs), tools
    report: text("report_json", { mode: "json" }), // written when the job ends: per-model reports or the comparison
    overallGrade: text("overall_grade"),
    overallScore: real("overall_score"),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    createdAt: createdAt(),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("judge_reports_user_created_idx").on(t.userId, t.createdAt),
    index("judge_reports_eval_idx").on(t.evalRunId),
    index("judge_reports_experiment_idx").on(t.experimentId),
    check("judge_reports_mode_ck", inList("mode", JUDGE_MODES)),
    check("judge_reports_status_ck", inList("status", RUN_STATUSES)),
  ],
);

/**
 * One judge answer: a verdict on one eval result (by the primary or the second judge), or a comparison of two
 * results judged in both orders. Unique per report × item, so a redelivered item is stored once. A user's
 * override is stored beside the verdict, never applied to the automated score, and becomes a human label.
 */
export const judgeVerdicts = sqliteTable(
  "judge_verdicts",
  {
    id: text("id").primaryKey(),
    reportId: text("report_id")
      .notNull()
      .references(() => judgeReports.id, { onDelete: "cascade" }),
    itemKey: text("item_key").notNull(),
    role: text("role", { enum: JUDGE_ROLES }).notNull(),
    judgeProviderKey: text("judge_provider_key").notNull(),
    judgeModelId: text("judge_model_id").notNull(),
    evalResultId: text("eval_result_id").references(() => toolEvalResults.id, { onDelete: "set null" }),
    evalResultIdB: text("eval_result_id_b").references(() => toolEvalResults.id, { onDelete: "set null" }),
    testCaseId: text("test_case_id"), // a snapshot: no FK, the verdict outlives an edited suite
    providerKey: text("provider_key").notNull(),
    modelId: text("model_id").notNull(),
    modelName: text("model_name").notNull(),
    automatedPassed: bool("automated_passed"),
    qualityScore: integer("quality_score"),
    verdict: text("verdict").notNull(),
    summary: text("summary").notNull().default(""),
    reasoning: text("reasoning").notNull().default(""),
    toolSelectionAssessment: text("tool_selection_assessment").notNull().default("unknown"),
    paramAssessment: text("param_assessment").notNull().default("unknown"),
    comparison: text("comparison_json", { mode: "json" }), // compare: both orders, the combined winner
    answerFormat: text("answer_format"),
    error: text("error"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: real("cost_usd"),
    latencyMs: real("latency_ms"),
    overrideVerdict: text("override_verdict", { enum: JUDGE_OVERRIDES }),
    overrideReason: text("override_reason"),
    overriddenAt: text("overridden_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("judge_verdicts_uq").on(t.reportId, t.itemKey),
    index("judge_verdicts_result_idx").on(t.evalResultId),
    check("judge_verdicts_role_ck", inList("role", JUDGE_ROLES)),
    check("judge_verdicts_quality_ck", sql`${t.qualityScore} IS NULL OR ${t.qualityScore} BETWEEN 1 AND 5`),
    check("judge_verdicts_override_ck", sql`${t.overrideVerdict} IS NULL OR ${inList("override_verdict", JUDGE_OVERRIDES)}`),
  ],
);

/** The cross-case report on one model (or, for a comparison, the judge's summary of one model pair). */
export const judgeModelReports = sqliteTable(
  "judge_model_reports",
  {
    id: text("id").primaryKey(),
    reportId: text("report_id")
      .notNull()
      .references(() => judgeReports.id, { onDelete: "cascade" }),
    providerKey: text("provider_key").notNull(),
    modelId: text("model_id").notNull(),
    modelName: text("model_name").notNull(),
    report: text("report_json", { mode: "json" }).notNull(),
    costUsd: real("cost_usd"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("judge_model_reports_uq").on(t.reportId, t.providerKey, t.modelId)],
);

// ---------------------------------------------------------------- admin console (issue 16)

export const LOG_EVENT_LEVELS = ["warn", "error"] as const;

/** Warning and error log lines (already redacted), newest last; pruned to a fixed number of rows (lib/log-store.ts). */
export const logEvents = sqliteTable(
  "log_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    createdAt: createdAt(),
    level: text("level", { enum: LOG_EVENT_LEVELS }).notNull(),
    message: text("message").notNull(),
    requestId: text("request_id"),
    line: text("line").notNull(), // the whole JSON log line as printed
  },
  (t) => [index("log_events_level_idx").on(t.level, t.id), check("log_events_level_ck", inList("level", LOG_EVENT_LEVELS))],
);

/**
 * Admin-managed provider keys shared with every user who has no key of their own for that provider. The key only
 * ever goes to `api_base` (the AAD binds the ciphertext to provider key and URL); see config/shared-keys.ts.
 */
export const sharedProviderKeys = sqliteTable(
  "shared_provider_keys",
  {
    providerKey: text("provider_key").primaryKey(),
    apiKind: text("api_kind", { enum: API_KINDS }).notNull(),
    apiBase: text("api_base").notNull(),
    ciphertext: text("ciphertext").notNull(),
    iv: text("iv").notNull(),
    keyVersion: integer("key_version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  () => [check("shared_provider_keys_api_kind_ck", inList("api_kind", API_KINDS))],
);

/** How many sockets each user's hub has open, written by the hub on connect and close (admin system view). */
export const hubSockets = sqliteTable(
  "hub_sockets",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    sockets: integer("sockets").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("hub_sockets_open_idx").on(t.sockets)],
);

// ---------------------------------------------------------------- sharing (issue 16: read-only shares of runs)

/**
 * A read-only share of one resource: a link (an unguessable token; only its SHA-256 hash is stored, so a copy of
 * the database opens nothing) or named accounts (share_recipients). `resource_type` is a key of the registry in
 * src/worker/shares/registry.ts, checked by zod at the API rather than a CHECK, so a new type needs no rebuild.
 * Revoking deletes the row; the audit log keeps the history.
 */
export const shares = sqliteTable(
  "shares",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id").notNull(),
    tokenHash: text("token_hash"), // null for a share with named accounts only
    expiresAt: text("expires_at"),
    openCount: integer("open_count").notNull().default(0),
    lastOpenedAt: text("last_opened_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("shares_token_hash_uq").on(t.tokenHash),
    index("shares_user_created_idx").on(t.userId, t.createdAt),
    index("shares_resource_idx").on(t.resourceType, t.resourceId),
  ],
);

/** The accounts a share names (same deployment); deleting the share or the account removes the row. */
export const shareRecipients = sqliteTable(
  "share_recipients",
  {
    shareId: text("share_id")
      .notNull()
      .references(() => shares.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.shareId, t.userId] }), index("share_recipients_user_idx").on(t.userId)],
);

// ---------------------------------------------------------------- capacity probe (issue 18, migration 0015)

/** One capacity probe: its request after defaults (`config_json`, src/shared/capacity.ts CapacityConfig). */
export const capacityRuns = sqliteTable(
  "capacity_runs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    config: text("config_json", { mode: "json" }).notNull(),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("running"),
    createdAt: createdAt(),
    completedAt: text("completed_at"),
  },
  (t) => [index("capacity_runs_user_created_idx").on(t.userId, t.createdAt), check("capacity_runs_status_ck", inList("status", RUN_STATUSES))],
);

/** One finished level of one target: its figures (CapacityLevelResult), what it spent, and the stop it decided. */
export const capacityLevels = sqliteTable(
  "capacity_levels",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => capacityRuns.id, { onDelete: "cascade" }),
    providerKey: text("provider_key").notNull(),
    modelId: text("model_id").notNull(),
    level: integer("level").notNull(),
    result: text("result_json", { mode: "json" }).notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costUsd: real("cost_usd"),
    stopReason: text("stop_reason"),
    stopAtLevel: integer("stop_at_level"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("capacity_levels_uq").on(t.runId, t.providerKey, t.modelId, t.level)],
);

/** Every request of a probe (CapacitySample as JSON), unique per run × target × level × stream × seq. */
export const capacitySamples = sqliteTable(
  "capacity_samples",
  {
    runId: text("run_id")
      .notNull()
      .references(() => capacityRuns.id, { onDelete: "cascade" }),
    providerKey: text("provider_key").notNull(),
    modelId: text("model_id").notNull(),
    level: integer("level").notNull(),
    stream: integer("stream").notNull(),
    seq: integer("seq").notNull(),
    data: text("data_json", { mode: "json" }).notNull(),
  },
  (t) => [uniqueIndex("capacity_samples_uq").on(t.runId, t.providerKey, t.modelId, t.level, t.stream, t.seq)],
);
