/**
 * The settings backup and its restore. A backup is a list of named sections (providers with their models,
 * prompt templates, feature settings such as tuner presets); each section knows how to read itself and how to
 * plan its restore. A new section is one more entry in `BACKUP_SECTIONS`; schedules are one (without webhooks).
 *
 * Never in a backup: API keys (their ciphertext included), ids, timestamps. `api_key_env` is a variable *name*
 * and is checked on restore exactly as the providers API checks it.
 *
 * Restore merges by natural key (provider_key, model_id, template key, settings section): what the file has is
 * added or updated; nothing the file lacks is deleted. Every section is validated and planned before anything
 * is written, then every write goes in one D1 batch (one transaction): a bad file changes nothing, and a
 * dry run reports the same plan without the batch.
 */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { BenchmarkDefaultsSchema, JudgeSettings, ParamSupportSettings, ParamTunerSettings, PromptTunerSettings } from "../../shared/settings.ts";
import type { Db } from "../db/client.ts";
import { models, promptTemplates, providers, SCHEDULE_KINDS, schedules, userSettings } from "../db/schema.ts";
import { ApiError } from "../lib/errors.ts";
import { isoNow, newId } from "../lib/ids.ts";
import { assertKeyEnvAllowed, ModelFields, ModelId, ProviderCreate } from "../routes/providers.ts";
import { AlertSettingsInput, checkedTiming, validatedConfig } from "../schedules/config.ts";
import { alertSettingsOf } from "../schedules/store.ts";

export const BACKUP_FORMAT = "llm-benchmark-studio/settings";
export const BACKUP_VERSION = 1;

export interface SectionPlan {
  added: string[];
  updated: string[];
  unchanged: number;
  warnings: string[];
}

interface BackupSection<T> {
  name: string;
  schema: z.ZodType<T>;
  read(db: Db, userId: string): Promise<T>;
  plan(db: Db, userId: string, items: T, writes: BatchItem<"sqlite">[]): Promise<SectionPlan>;
}

const emptyPlan = (): SectionPlan => ({ added: [], updated: [], unchanged: 0, warnings: [] });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------- providers and their models

const BackupModel = z
  .object({
    model_id: ModelId,
    display_name: ModelFields.display_name,
    context_window: ModelFields.context_window,
    max_output_tokens: ModelFields.max_output_tokens,
    skip_params: ModelFields.skip_params,
    input_cost_per_mtok: ModelFields.input_cost_per_mtok,
    output_cost_per_mtok: ModelFields.output_cost_per_mtok,
    system_prompt: ModelFields.system_prompt,
    sort_order: z
      .number()
      .int()
      .min(-(2 ** 53))
      .max(2 ** 53),
  })
  .strict();
const BackupProvider = ProviderCreate.extend({
  source: z.enum(["catalogue", "custom", "simulator"]),
  sort_order: z
    .number()
    .int()
    .min(-(2 ** 53))
    .max(2 ** 53),
  models: z.array(BackupModel).max(1000),
}).strict();
type BackupProvider = z.infer<typeof BackupProvider>;

const providerFields = (p: BackupProvider) => ({
  displayName: p.display_name,
  apiKind: p.api_kind,
  apiBase: p.api_base ?? null,
  apiKeyEnv: p.api_key_env ?? null,
  modelIdPrefix: p.model_id_prefix ?? null,
  isLocal: p.is_local ?? false,
  sortOrder: p.sort_order,
});
const modelFields = (m: z.infer<typeof BackupModel>) => ({
  displayName: m.display_name,
  contextWindow: m.context_window,
  maxOutputTokens: m.max_output_tokens,
  skipParams: m.skip_params,
  inputCostPerMtok: m.input_cost_per_mtok,
  outputCostPerMtok: m.output_cost_per_mtok,
  systemPrompt: m.system_prompt,
  sortOrder: m.sort_order,
});

const providersSection: BackupSection<BackupProvider[]> = {
  name: "providers",
  schema: z
    .array(BackupProvider)
    .max(200)
    .refine((ps) => new Set(ps.map((p) => p.provider_key)).size === ps.length, { error: "Each provider_key may appear once" }),
  async read(db, userId) {
    const rows = await db.select().from(providers).where(eq(providers.userId, userId)).orderBy(providers.sortOrder, providers.providerKey);
    const modelRows = rows.length
      ? await db.select().from(models).innerJoin(providers, eq(providers.id, models.providerId)).where(eq(providers.userId, userId))
      : [];
    return rows.map((p) => ({
      provider_key: p.providerKey,
      display_name: p.displayName,
      api_kind: p.apiKind,
      api_base: p.apiBase,
      api_key_env: p.apiKeyEnv,
      model_id_prefix: p.modelIdPrefix,
      is_local: p.isLocal,
      source: p.source,
      sort_order: p.sortOrder,
      models: modelRows
        .filter((m) => m.models.providerId === p.id)
        .map(({ models: m }) => ({
          model_id: m.modelId,
          display_name: m.displayName,
          context_window: m.contextWindow,
          max_output_tokens: m.maxOutputTokens,
          skip_params: m.skipParams,
          input_cost_per_mtok: m.inputCostPerMtok,
          output_cost_per_mtok: m.outputCostPerMtok,
          system_prompt: m.systemPrompt,
          sort_order: m.sortOrder,
        }))
        .sort((a, b) => a.sort_order - b.sort_order || a.model_id.localeCompare(b.model_id)),
    }));
  },
  async plan(db, userId, items, writes) {
    const plan = emptyPlan();
    const existing = await db.select().from(providers).where(eq(providers.userId, userId));
    const existingModels = existing.length
      ? (await db.select().from(models).innerJoin(providers, eq(providers.id, models.providerId)).where(eq(providers.userId, userId))).map(
          (r) => r.models,
        )
      : [];
    const now = isoNow();
    for (const p of items) {
      const label = `provider ${p.provider_key}`;
      try {
        assertKeyEnvAllowed(p.provider_key, p.api_key_env);
      } catch (err) {
        if (err instanceof ApiError) throw restoreError(`providers.${p.provider_key}.api_key_env`, err.details?.[0]?.message ?? err.message);
        throw err;
      }
      const current = existing.find((e) => e.providerKey === p.provider_key);
      let providerId: string;
      if (current) {
        providerId = current.id;
        // The built-in simulator's address and protocol are the deployment's (ARCHITECTURE.md): only its models restore.
        const fields = current.source === "simulator" ? null : providerFields(p);
        const changed = fields && !same(fields, providerFields({ ...p, ...fromRow(current) }));
        if (changed) {
          writes.push(
            db
              .update(providers)
              .set({ ...fields, updatedAt: now })
              .where(eq(providers.id, current.id)),
          );
          plan.updated.push(label);
        } else plan.unchanged += 1;
        if (current.source === "simulator" && !same(providerFields({ ...p, ...fromRow(current) }), providerFields(p))) {
          plan.warnings.push(`${label}: the built-in simulator's settings belong to the deployment; only its models were restored`);
        }
      } else {
        if (p.source === "simulator") {
          plan.warnings.push(`${label}: this account has no built-in simulator by that key; skipped`);
          continue;
        }
        providerId = newId();
        writes.push(db.insert(providers).values({ id: providerId, userId, providerKey: p.provider_key, source: p.source, ...providerFields(p) }));
        plan.added.push(label);
      }
      for (const m of p.models) {
        const mLabel = `model ${p.provider_key}/${m.model_id}`;
        const currentModel = existingModels.find((x) => x.providerId === providerId && x.modelId === m.model_id);
        if (!currentModel) {
          writes.push(db.insert(models).values({ id: newId(), providerId, modelId: m.model_id, ...modelFields(m) }));
          plan.added.push(mLabel);
        } else if (!same(modelFields(m), modelFields(modelFromRow(currentModel)))) {
          writes.push(
            db
              .update(models)
              .set({ ...modelFields(m), updatedAt: now })
              .where(eq(models.id, currentModel.id)),
          );
          plan.updated.push(mLabel);
        } else plan.unchanged += 1;
      }
    }
    return plan;
  },
};

function fromRow(p: typeof providers.$inferSelect) {
  return {
    display_name: p.displayName,
    api_kind: p.apiKind,
    api_base: p.apiBase,
    api_key_env: p.apiKeyEnv,
    model_id_prefix: p.modelIdPrefix,
    is_local: p.isLocal,
    sort_order: p.sortOrder,
  };
}

function modelFromRow(m: typeof models.$inferSelect): z.infer<typeof BackupModel> {
  return {
    model_id: m.modelId,
    display_name: m.displayName,
    context_window: m.contextWindow,
    max_output_tokens: m.maxOutputTokens,
    skip_params: m.skipParams,
    input_cost_per_mtok: m.inputCostPerMtok,
    output_cost_per_mtok: m.outputCostPerMtok,
    system_prompt: m.systemPrompt,
    sort_order: m.sortOrder,
  };
}

// ---------------------------------------------------------------- prompt templates

const BackupTemplate = z
  .object({
    key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/),
    label: z.string().trim().min(1).max(256),
    category: z.string().trim().min(1).max(64),
    prompt: z.string().min(1).max(500_000),
  })
  .strict();
type BackupTemplate = z.infer<typeof BackupTemplate>;

const templatesSection: BackupSection<BackupTemplate[]> = {
  name: "prompt_templates",
  schema: z
    .array(BackupTemplate)
    .max(1000)
    .refine((ts) => new Set(ts.map((t) => t.key)).size === ts.length, { error: "Each template key may appear once" }),
  async read(db, userId) {
    const rows = await db.select().from(promptTemplates).where(eq(promptTemplates.userId, userId)).orderBy(promptTemplates.key);
    return rows.map((t) => ({ key: t.key, label: t.label, category: t.category, prompt: t.prompt }));
  },
  async plan(db, userId, items, writes) {
    const plan = emptyPlan();
    const existing = await db.select().from(promptTemplates).where(eq(promptTemplates.userId, userId));
    const now = isoNow();
    for (const t of items) {
      const current = existing.find((e) => e.key === t.key);
      const values = { label: t.label, category: t.category, prompt: t.prompt };
      if (!current) {
        writes.push(db.insert(promptTemplates).values({ id: newId(), userId, key: t.key, ...values }));
        plan.added.push(`prompt template ${t.key}`);
      } else if (!same(values, { label: current.label, category: current.category, prompt: current.prompt })) {
        writes.push(
          db
            .update(promptTemplates)
            .set({ ...values, updatedAt: now })
            .where(eq(promptTemplates.id, current.id)),
        );
        plan.updated.push(`prompt template ${t.key}`);
      } else plan.unchanged += 1;
    }
    return plan;
  },
};

// ---------------------------------------------------------------- feature settings (benchmark defaults, judge, tuner presets)

const SETTING_SCHEMAS = {
  benchmark_defaults: BenchmarkDefaultsSchema,
  judge: JudgeSettings,
  param_tuner: ParamTunerSettings,
  prompt_tuner: PromptTunerSettings,
  param_support: ParamSupportSettings.unwrap(),
} as const;
const BackupSettings = z.object(
  Object.fromEntries(Object.entries(SETTING_SCHEMAS).map(([k, s]) => [k, s.optional()])) as {
    [K in keyof typeof SETTING_SCHEMAS]: z.ZodOptional<(typeof SETTING_SCHEMAS)[K]>;
  },
);
type BackupSettings = z.infer<typeof BackupSettings>;

const settingsSection: BackupSection<BackupSettings> = {
  name: "settings",
  schema: BackupSettings.strict(),
  async read(db, userId) {
    const rows = await db.select().from(userSettings).where(eq(userSettings.userId, userId));
    const out: Record<string, unknown> = {};
    for (const r of rows) if (r.section in SETTING_SCHEMAS) out[r.section] = r.value;
    return out as BackupSettings;
  },
  async plan(db, userId, items, writes) {
    const plan = emptyPlan();
    const now = isoNow();
    for (const [section, value] of Object.entries(items)) {
      if (value === undefined) continue;
      const current = await db
        .select({ value: userSettings.value })
        .from(userSettings)
        .where(and(eq(userSettings.userId, userId), eq(userSettings.section, section)))
        .get();
      if (current && same(current.value, value)) {
        plan.unchanged += 1;
        continue;
      }
      writes.push(
        db
          .insert(userSettings)
          .values({ userId, section, value, updatedAt: now })
          .onConflictDoUpdate({ target: [userSettings.userId, userSettings.section], set: { value, updatedAt: now } }),
      );
      (current ? plan.updated : plan.added).push(`setting ${section}`);
    }
    return plan;
  },
};

// ---------------------------------------------------------------- schedules (issue 15)

/**
 * A schedule without its webhook: the URL is left out with the signing secret, because a webhook URL is often
 * itself a credential (Slack and Discord put the token in the path). Restored schedules arrive disabled: the user
 * turns them on where the models they name exist (the hub's timer is armed by enabling).
 */
const BackupSchedule = z
  .object({
    name: z.string().trim().min(1).max(256),
    kind: z.enum(SCHEDULE_KINDS),
    config: z.record(z.string(), z.unknown()),
    interval_hours: z.number().int().min(1).max(720).nullable(),
    cron: z.string().max(120).nullable(),
    timezone: z.string().max(64),
    alerts: AlertSettingsInput.omit({ webhook_url: true, webhook_secret: true }),
  })
  .strict();
type BackupSchedule = z.infer<typeof BackupSchedule>;

const schedulesSection: BackupSection<BackupSchedule[]> = {
  name: "schedules",
  schema: z.array(BackupSchedule).max(500),
  async read(db, userId) {
    const rows = await db.select().from(schedules).where(eq(schedules.userId, userId)).orderBy(schedules.createdAt);
    return rows.map((r) => {
      const { webhook_url: _, ...alerts } = alertSettingsOf(r);
      return {
        name: r.name,
        kind: r.kind,
        config: r.config as Record<string, unknown>,
        interval_hours: r.intervalHours,
        cron: r.cron,
        timezone: r.timezone,
        alerts,
      };
    });
  },
  async plan(db, userId, items, writes) {
    const plan = emptyPlan();
    const existing = await db.select().from(schedules).where(eq(schedules.userId, userId));
    const now = isoNow();
    for (const item of items) {
      // The same checks as the API: the config is its route's body, the timing an interval or a valid cron.
      const config = validatedConfig(item.kind, item.config);
      const timing = checkedTiming({ interval_hours: item.interval_hours ?? undefined, cron: item.cron ?? undefined, timezone: item.timezone });
      const current = existing.find((e) => e.name === item.name && e.kind === item.kind);
      const values = { config, intervalHours: timing.intervalHours, cron: timing.cron, timezone: timing.timezone };
      if (!current) {
        writes.push(
          db.insert(schedules).values({
            id: newId(),
            userId,
            name: item.name,
            kind: item.kind,
            ...values,
            anchorAt: now,
            enabled: false,
            nextRunAt: null,
            alerts: { ...item.alerts, webhook_url: null },
          }),
        );
        plan.added.push(`schedule ${item.name} (disabled: enable it on the Schedules page)`);
      } else {
        const { webhook_url, ...currentAlerts } = alertSettingsOf(current);
        const changed =
          !same(config, current.config) ||
          !same(timing, { intervalHours: current.intervalHours, cron: current.cron, timezone: current.timezone }) ||
          !same(item.alerts, currentAlerts);
        if (!changed) {
          plan.unchanged += 1;
          continue;
        }
        // The existing schedule keeps its webhook and its on/off state; a new timing restarts it from now.
        const timingChanged = current.intervalHours !== timing.intervalHours || current.cron !== timing.cron || current.timezone !== timing.timezone;
        writes.push(
          db
            .update(schedules)
            .set({
              ...values,
              alerts: { ...item.alerts, webhook_url },
              ...(timingChanged ? { anchorAt: now, enabled: false, nextRunAt: null } : {}),
              updatedAt: now,
            })
            .where(eq(schedules.id, current.id)),
        );
        plan.updated.push(`schedule ${item.name}${timingChanged && current.enabled ? " (new timing: disabled until you enable it)" : ""}`);
      }
    }
    if (items.length) plan.warnings.push("Schedules are restored without webhooks (URLs and signing secrets are never in a backup).");
    return plan;
  },
};

// ---------------------------------------------------------------- the document

/** The sections, in restore order. */
const BACKUP_SECTIONS = [providersSection, templatesSection, settingsSection, schedulesSection] as const;

export const SettingsBackupSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(BACKUP_VERSION, { error: `Only version ${BACKUP_VERSION} backups can be restored` }),
    exported_at: z.string().max(64).optional(),
    sections: z
      .object({
        providers: providersSection.schema.optional(),
        prompt_templates: templatesSection.schema.optional(),
        settings: settingsSection.schema.optional(),
        schedules: schedulesSection.schema.optional(),
      })
      .strict(),
  })
  .strict()
  .openapi("SettingsBackup");
export type SettingsBackup = z.infer<typeof SettingsBackupSchema>;

export async function exportSettings(db: Db, userId: string): Promise<SettingsBackup> {
  const sections: Record<string, unknown> = {};
  for (const s of BACKUP_SECTIONS) sections[s.name] = await s.read(db, userId);
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, exported_at: isoNow(), sections: sections as SettingsBackup["sections"] };
}

function restoreError(path: string, message: string) {
  return new ApiError(400, "validation_failed", "The backup could not be restored; nothing was changed", [{ path, message }]);
}

/** Plans every section, then (unless a dry run) writes all of it in one batch. */
export async function restoreSettings(db: Db, userId: string, backup: SettingsBackup, dryRun: boolean) {
  const writes: BatchItem<"sqlite">[] = [];
  const sections: Record<string, SectionPlan> = {};
  for (const s of BACKUP_SECTIONS) {
    const items = backup.sections[s.name as keyof SettingsBackup["sections"]];
    if (items === undefined) continue;
    sections[s.name] = await (s as BackupSection<unknown>).plan(db, userId, items, writes);
  }
  if (!dryRun && writes.length) {
    const [first, ...rest] = writes;
    await db.batch([first!, ...rest]);
  }
  return { dry_run: dryRun, applied: !dryRun, writes: writes.length, sections };
}
