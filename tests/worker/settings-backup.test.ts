/**
 * Settings backup and restore: a round trip onto a new account, the dry run, and that a bad file (malformed,
 * or valid in shape but refused by a rule) changes nothing. Keys never appear in a backup.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { CANARY } from "./canaries.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

type Account = Awaited<ReturnType<typeof signUp>>;

async function ok(r: Promise<{ status: number; json: any; text: string }>, status = 200) {
  const res = await r;
  expect(res.status, res.text).toBe(status);
  return res.json;
}

const backupOf = async (a: Account) => {
  const b = await ok(call("/api/export/settings", { token: a.token }));
  const { exported_at: _at, ...rest } = b;
  return rest;
};

/** What a user can read about their settings through the ordinary API. */
async function settingsView(a: Account) {
  const [providers, models, prompts, phase10, config] = await Promise.all([
    call("/api/v2/providers", { token: a.token }),
    call("/api/v2/models", { token: a.token }),
    call("/api/config/prompts", { token: a.token }),
    call("/api/settings/phase10", { token: a.token }),
    call("/api/config", { token: a.token }),
  ]);
  const strip = (x: unknown) =>
    JSON.parse(JSON.stringify(x, (k, v) => (["id", "provider_id", "created_at", "updated_at"].includes(k) ? undefined : v)));
  return strip({ providers: providers.json, models: models.json, prompts: prompts.json, phase10: phase10.json, config: config.json });
}

let source: Account;

beforeAll(async () => {
  source = await signUp();
  const token = source.token;
  const provider = await ok(
    call("/api/v2/providers", {
      token,
      body: { provider_key: "my_vllm", display_name: "My vLLM", api_base: "https://llm.example.com/v1", is_local: true },
    }),
    201,
  );
  await ok(
    call(`/api/v2/providers/${provider.provider.id}/models`, {
      token,
      body: {
        model_id: "qwen/qwen3-8b",
        display_name: "Qwen3 8B",
        context_window: 32768,
        input_cost_per_mtok: 0.1,
        output_cost_per_mtok: 0.4,
        skip_params: ["top_k"],
      },
    }),
    201,
  );
  await ok(call("/api/keys", { method: "PUT", token, body: { provider_key: "my_vllm", value: CANARY.USER_KEY } }));
  await ok(
    call("/api/config/prompts", { token, body: { key: "haiku", label: "Haiku", category: "creative", prompt: "Write a haiku about latency." } }),
  );
  await ok(
    call("/api/settings/phase10", {
      method: "PUT",
      token,
      body: { param_tuner: { presets: [{ name: "Cool", search_space: { temperature: [0, 0.2] } }] }, prompt_tuner: { generations: 4 } },
    }),
  );
});

describe("settings backup", () => {
  it("holds providers, models, templates and tuner presets, and never a key", async () => {
    const r = await call("/api/export/settings", { token: source.token });
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-disposition")).toMatch(/benchmark-settings-\d{4}-\d{2}-\d{2}\.json/);
    expect(r.json.format).toBe("llm-benchmark-studio/settings");
    expect(Object.keys(r.json.sections)).toEqual(["providers", "prompt_templates", "settings", "schedules"]);
    const mine = r.json.sections.providers.find((p: any) => p.provider_key === "my_vllm");
    expect(mine.models[0]).toMatchObject({ model_id: "qwen/qwen3-8b", input_cost_per_mtok: 0.1, skip_params: ["top_k"] });
    expect(r.json.sections.prompt_templates.some((t: any) => t.key === "haiku")).toBe(true);
    expect(r.json.sections.settings.param_tuner.presets[0].name).toBe("Cool");
    expect(r.text).not.toContain(CANARY.USER_KEY);
    expect(r.text).not.toMatch(/ciphertext|"iv"/);
  });

  it("restores onto a new account: the dry run reports and changes nothing, the restore makes the settings equal", async () => {
    const backup = await ok(call("/api/export/settings", { token: source.token }));
    const fresh = await signUp();
    const before = await settingsView(fresh);

    const dry = await ok(call("/api/import/settings?dry_run=true", { token: fresh.token, body: backup }));
    expect(dry.dry_run).toBe(true);
    expect(dry.applied).toBe(false);
    expect(dry.sections.providers.added).toEqual(expect.arrayContaining(["provider my_vllm", "model my_vllm/qwen/qwen3-8b"]));
    expect(dry.sections.prompt_templates.added).toEqual(["prompt template haiku"]);
    expect(dry.sections.settings.added).toEqual(expect.arrayContaining(["setting param_tuner", "setting prompt_tuner"]));
    expect(await settingsView(fresh)).toEqual(before);

    const applied = await ok(call("/api/import/settings", { token: fresh.token, body: backup }));
    expect(applied.applied).toBe(true);
    expect(applied.sections).toEqual(dry.sections);
    expect(await backupOf(fresh)).toEqual(await backupOf(source));
    // The key stayed behind: the restored provider has none.
    const keys = await ok(call("/api/keys", { token: fresh.token }));
    expect(JSON.stringify(keys)).not.toContain(CANARY.USER_KEY);

    // Restoring again changes nothing and says so.
    const again = await ok(call("/api/import/settings", { token: fresh.token, body: backup }));
    expect(again.writes).toBe(0);
    for (const s of Object.values(again.sections) as any[]) expect([...s.added, ...s.updated]).toEqual([]);
  });

  it("a bad file changes nothing", async () => {
    const backup = await ok(call("/api/export/settings", { token: source.token }));
    const target = await signUp();
    const before = await settingsView(target);
    const ruleBroken = structuredClone(backup);
    // Valid shape up to the last provider, which names a binding it may not: the whole restore is refused.
    ruleBroken.sections.providers.push({ ...ruleBroken.sections.providers.at(-1), provider_key: "zz_last", api_key_env: "JWT_SECRET", models: [] });
    const bad = [
      { ...backup, version: 2 },
      { ...backup, format: "something-else" },
      { ...backup, sections: { ...backup.sections, schedules: [{ name: "half a schedule" }] } }, // schedules (issue 15)
      { ...backup, sections: { ...backup.sections, alerts: [] } },
      { ...backup, sections: { ...backup.sections, prompt_templates: [{ key: "ok", label: "x", category: "c", prompt: "" }] } },
      {
        ...backup,
        sections: { ...backup.sections, settings: { prompt_tuner: { mode: "quick", generations: 99, population_size: 5, max_api_calls: 1 } } },
      },
      ruleBroken,
    ];
    for (const body of bad) {
      expectEnvelope(await call("/api/import/settings", { token: target.token, body }), 400, "validation_failed");
    }
    expect(await settingsView(target)).toEqual(before);
    const { results } = await env.DB.prepare("SELECT provider_key FROM providers WHERE user_id = ? AND provider_key IN ('my_vllm', 'zz_last')")
      .bind(target.user.id)
      .all();
    expect(results).toEqual([]);
  });

  it("updates what differs and keeps what the file lacks", async () => {
    const backup = await ok(call("/api/export/settings", { token: source.token }));
    const target = await signUp();
    await ok(call("/api/config/prompts", { token: target.token, body: { key: "haiku", label: "Old", category: "creative", prompt: "Old text" } }));
    await ok(call("/api/config/prompts", { token: target.token, body: { key: "mine_only", label: "Mine", category: "general", prompt: "Keep me" } }));
    const result = await ok(
      call("/api/import/settings", { token: target.token, body: { ...backup, sections: { prompt_templates: backup.sections.prompt_templates } } }),
    );
    expect(result.sections.prompt_templates.updated).toEqual(["prompt template haiku"]);
    expect(Object.keys(result.sections)).toEqual(["prompt_templates"]);
    const prompts = await ok(call("/api/config/prompts", { token: target.token }));
    expect(JSON.stringify(prompts)).toContain("Keep me");
    expect(JSON.stringify(prompts)).toContain("Write a haiku about latency.");
  });
});

// schedules (issue 15)
describe("settings backup: schedules", () => {
  it("exports schedules without webhook URL or secret; restores them disabled onto a new account; a bad schedule changes nothing", async () => {
    const a = await signUp();
    const secret = "never-in-a-backup-secret";
    const hook = "https://hooks.example.com/services/T000/B000/abcdefsecretpath";
    await ok(
      call("/api/schedules", {
        token: a.token,
        body: {
          name: "Weekly eval",
          config: { models: ["qwen/qwen3-8b"], prompt: "Hi", runs: 3 },
          cron: "0 6 * * 1",
          timezone: "Europe/Berlin",
          alerts: { baseline_runs: 7, thresholds: { ttft_p50_pct: 40 }, webhook_url: hook, webhook_secret: secret },
        },
      }),
      201,
    );
    const backup = await backupOf(a);
    const text = JSON.stringify(backup);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("abcdefsecretpath");
    expect(backup.sections.schedules).toEqual([
      expect.objectContaining({ name: "Weekly eval", kind: "benchmark", cron: "0 6 * * 1", timezone: "Europe/Berlin", interval_hours: null }),
    ]);

    const b = await signUp();
    const dry = await ok(call("/api/import/settings?dry_run=true", { token: b.token, body: backup }));
    expect(JSON.stringify(dry)).toContain("schedule Weekly eval");
    expect((await ok(call("/api/schedules", { token: b.token }))).schedules).toEqual([]);
    await ok(call("/api/import/settings", { token: b.token, body: backup }));
    const [restored] = (await ok(call("/api/schedules", { token: b.token }))).schedules;
    expect(restored).toMatchObject({ name: "Weekly eval", enabled: false, next_run: null, cron: "0 6 * * 1", timezone: "Europe/Berlin" });
    expect(restored.alerts).toMatchObject({ baseline_runs: 7, webhook_url: null, webhook_secret_set: false });
    expect(restored.alerts.thresholds.ttft_p50_pct).toBe(40);
    expect(restored.config).toEqual(backup.sections.schedules[0].config);

    // A schedule the API would refuse (a cron every minute) refuses the whole file: nothing changes.
    const c = await signUp();
    const bad = structuredClone(backup);
    bad.sections.schedules[0].cron = "* * * * *";
    const refused = await call("/api/import/settings", { token: c.token, body: bad });
    expectEnvelope(refused, 400);
    expect((await ok(call("/api/schedules", { token: c.token }))).schedules).toEqual([]);
  });
});
