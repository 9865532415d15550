/** /api/onboarding and /api/settings/phase10: per-user account state and feature settings. */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { JudgeSettings, ParamSupportSettings, ParamTunerSettings, PromptTunerSettings } from "../../shared/settings.ts";
import { FEATURE_DEFAULTS } from "../../shared/settings-defaults.ts";
import { clearSection, readSection, writeSection } from "../config/settings.ts";
import { users } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { errors, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { isoNow } from "../lib/ids.ts";

/** Mounted at /api/onboarding. */
export const onboardingRoutes = newRouter();
/** Mounted at /api/settings. */
export const settingsRoutes = newRouter();

onboardingRoutes.openapi(
  route({
    method: "get",
    path: "/status",
    operationId: "getOnboardingStatus",
    auth: "user",
    tags: ["account"],
    summary: "Whether the user has completed onboarding",
    responses: { 200: jsonResponse(z.object({ completed: z.boolean() }), "Onboarding status"), 401: errors[401] },
  }),
  (c) => c.json({ completed: c.var.user.onboardingCompleted }, 200),
);

onboardingRoutes.openapi(
  route({
    method: "post",
    path: "/complete",
    operationId: "completeOnboarding",
    auth: "user",
    tags: ["account"],
    summary: "Mark onboarding as completed",
    responses: { 200: jsonResponse(OkSchema, "Marked complete"), 401: errors[401] },
  }),
  async (c) => {
    await c.var.db.update(users).set({ onboardingCompleted: true, updatedAt: isoNow() }).where(eq(users.id, c.var.user.id));
    await audit(c, { action: "onboarding_complete", userId: c.var.user.id });
    notifyUser(c, { type: "config_changed", scope: "onboarding" });
    return c.json({ status: "ok" as const }, 200);
  },
);

const FeatureSettings = z
  .object({
    judge: JudgeSettings,
    param_tuner: ParamTunerSettings,
    prompt_tuner: PromptTunerSettings,
    param_support: ParamSupportSettings,
  })
  .openapi("FeatureSettings");

const FeatureSettingsPatch = z
  .object({
    judge: JudgeSettings.partial().optional(),
    param_tuner: ParamTunerSettings.partial().optional(),
    prompt_tuner: PromptTunerSettings.partial().optional(),
    param_support: ParamSupportSettings.optional().openapi({ description: "null resets it to the default (none)" }),
  })
  .strict();

const SECTIONS = ["judge", "param_tuner", "prompt_tuner"] as const;

/** Who reads these settings: the web app's forms, never the server's request handling (see the judge routes). */
const FEATURE_SETTINGS_NOTE =
  "These are form defaults for the web app, not server-side request defaults: no judge, tune or eval request reads " +
  "them, so a request that leaves a field out gets the default its own schema documents. The Judge page prefills its " +
  "judge model (`judge.model_id`: a model id or provider_key::model_id) and custom instructions " +
  "(`judge.custom_instructions`) from the `judge` section.";

async function readFeatureSettings(c: { var: { db: Parameters<typeof readSection>[0]; user: { id: string } } }) {
  const db = c.var.db;
  const userId = c.var.user.id;
  const [judge, paramTuner, promptTuner, paramSupport] = await Promise.all([
    readSection(db, userId, "judge", {}),
    readSection(db, userId, "param_tuner", {}),
    readSection(db, userId, "prompt_tuner", {}),
    readSection(db, userId, "param_support", FEATURE_DEFAULTS.param_support),
  ]);
  // Saved values are merged over the defaults, so a default added later reaches existing users.
  return FeatureSettings.parse({
    judge: { ...FEATURE_DEFAULTS.judge, ...judge },
    param_tuner: { ...FEATURE_DEFAULTS.param_tuner, ...paramTuner },
    prompt_tuner: { ...FEATURE_DEFAULTS.prompt_tuner, ...promptTuner },
    param_support: paramSupport,
  });
}

settingsRoutes.openapi(
  route({
    method: "get",
    path: "/phase10",
    operationId: "getFeatureSettings",
    auth: "user",
    tags: ["account"],
    summary: "Judge, tuner and parameter-support settings (defaults merged with saved values)",
    description: FEATURE_SETTINGS_NOTE,
    responses: { 200: jsonResponse(FeatureSettings, "Settings"), 401: errors[401] },
  }),
  async (c) => c.json(await readFeatureSettings(c), 200),
);

settingsRoutes.openapi(
  route({
    method: "put",
    path: "/phase10",
    operationId: "updateFeatureSettings",
    auth: "user",
    tags: ["account"],
    summary: "Save judge, tuner or parameter-support settings (each section merged; param_support null resets it)",
    description: FEATURE_SETTINGS_NOTE,
    request: jsonBody(FeatureSettingsPatch),
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), "Saved"), 400: errors[400] },
  }),
  async (c) => {
    const patch = c.req.valid("json");
    const current = await readFeatureSettings(c);
    const writes = [];
    for (const section of SECTIONS) {
      const change = patch[section];
      if (!change) continue;
      const merged = { ...current[section], ...change };
      const schema = { judge: JudgeSettings, param_tuner: ParamTunerSettings, prompt_tuner: PromptTunerSettings }[section];
      writes.push(writeSection(c.var.db, c.var.user.id, section, schema.parse(merged)));
    }
    // null is param_support's default (GET answers null until one is saved), so it resets to it: the row goes.
    if (patch.param_support === null) writes.push(clearSection(c.var.db, c.var.user.id, "param_support"));
    else if (patch.param_support !== undefined) writes.push(writeSection(c.var.db, c.var.user.id, "param_support", patch.param_support));
    if (writes.length) {
      const [first, ...rest] = writes;
      await c.var.db.batch([first!, ...rest]);
    }
    notifyUser(c, { type: "config_changed", scope: "settings" });
    return c.json({ ok: true as const }, 200);
  },
);
