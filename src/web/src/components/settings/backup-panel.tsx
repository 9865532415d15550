// Settings → Backup: download a settings backup (providers and models, prompt templates, feature settings and tuner
// presets; never keys), and restore one: the file is first checked by a dry run that lists what would be added or
// updated, then restored in one step (all or nothing). A file that is not a valid backup changes nothing.
import { $, component$, useSignal, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { downloadFromApi } from "~/lib/api-download";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";

interface SectionPlan {
  added: string[];
  updated: string[];
  unchanged: number;
  warnings: string[];
}
interface RestoreResult {
  dry_run: boolean;
  applied: boolean;
  writes: number;
  sections: Record<string, SectionPlan>;
}

const SECTION_LABELS: Record<string, string> = {
  providers: "Providers and models",
  prompt_templates: "Prompt templates",
  settings: "Feature settings and tuner presets",
};

/** The largest file read: a backup is a few hundred KB at most. */
const MAX_BYTES = 5 * 1024 * 1024;

const PlanView = component$<{ result: RestoreResult }>(({ result }) => (
  <div class="backup-plan" data-testid={result.dry_run ? "backup-plan" : "backup-restored"}>
    {Object.entries(result.sections).map(([name, plan]) => (
      <div key={name} data-section={name}>
        <p class="label">{SECTION_LABELS[name] ?? name}</p>
        <p class="small">
          <span data-testid={`backup-${name}-added`}>{plan.added.length} added</span> ·{" "}
          <span data-testid={`backup-${name}-updated`}>{plan.updated.length} updated</span> · {plan.unchanged} unchanged
        </p>
        {plan.added.length > 0 && (
          <ul class="small">
            {plan.added.map((x) => (
              <li key={`a-${x}`}>
                <span class="text-accent">+</span> {x}
              </li>
            ))}
          </ul>
        )}
        {plan.updated.length > 0 && (
          <ul class="small">
            {plan.updated.map((x) => (
              <li key={`u-${x}`}>~ {x}</li>
            ))}
          </ul>
        )}
        {plan.warnings.map((w) => (
          <p key={w} class="field-warning small">
            {w}
          </p>
        ))}
      </div>
    ))}
  </div>
));

export const BackupPanel = component$(() => {
  const backup = useSignal<unknown>(null);
  const plan = useSignal<RestoreResult | null>(null);
  const state = useStore({ fileName: "", error: "", details: [] as string[], checking: false, restoring: false, downloading: false, restored: "" });

  const download = $(async () => {
    state.downloading = true;
    try {
      await downloadFromApi("/api/export/settings", "benchmark-settings.json");
    } catch (err) {
      toastError(err);
    } finally {
      state.downloading = false;
    }
  });

  const fail = $((message: string, details: string[] = []) => {
    state.error = message;
    state.details = details;
    plan.value = null;
    backup.value = null;
  });

  const chooseFile = $(async (_: Event, input: HTMLInputElement) => {
    const file = input.files?.[0];
    state.error = "";
    state.details = [];
    state.restored = "";
    plan.value = null;
    backup.value = null;
    if (!file) return;
    state.fileName = file.name;
    if (file.size > MAX_BYTES) return fail(`“${file.name}” is larger than 5 MB: it is not a settings backup.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return fail(`“${file.name}” is not a JSON file. Choose a backup downloaded from this page.`);
    }
    state.checking = true;
    try {
      plan.value = await api.post<RestoreResult>("/api/import/settings?dry_run=true", parsed);
      backup.value = parsed;
    } catch (err) {
      const { message, details } = describeError(err);
      await fail(`“${file.name}” can't be restored: ${message}`, details);
    } finally {
      state.checking = false;
    }
  });

  const restore = $(async () => {
    if (!backup.value) return;
    state.restoring = true;
    try {
      const result = await api.post<RestoreResult>("/api/import/settings?dry_run=false", backup.value);
      plan.value = result;
      backup.value = null;
      state.restored = `Restored: ${result.writes} change${result.writes === 1 ? "" : "s"} written.`;
      showToast("success", "Settings restored.");
    } catch (err) {
      const { message, details } = describeError(err);
      state.error = `The restore failed and nothing was changed: ${message}`;
      state.details = details;
    } finally {
      state.restoring = false;
    }
  });

  const p = plan.value;
  const changes = p ? Object.values(p.sections).reduce((n, s) => n + s.added.length + s.updated.length, 0) : 0;

  return (
    <div class="settings-panel" data-testid="backup-panel">
      <div class="card">
        <h2 class="card-title">Download a backup</h2>
        <p class="muted">
          One JSON file with your providers and models, prompt templates, benchmark defaults and tuner presets. API keys are never in it: add them
          again after a restore.
        </p>
        <button type="button" class="btn btn-primary" data-testid="backup-download" disabled={state.downloading} onClick$={download}>
          {state.downloading ? "Preparing…" : "Download backup"}
        </button>
      </div>

      <div class="card">
        <h2 class="card-title">Restore a backup</h2>
        <p class="muted">
          Choose a backup file: it is checked first and you see what would change. Restoring adds and updates what the file has and deletes nothing;
          it is all or nothing.
        </p>
        <label class="field">
          <span class="label">Backup file</span>
          <input
            type="file"
            accept="application/json,.json"
            data-testid="backup-file"
            onChange$={chooseFile}
            disabled={state.checking || state.restoring}
          />
        </label>
        {state.checking && <p class="muted small">Checking “{state.fileName}”…</p>}
        {state.error && (
          <div class="form-alert" role="alert" data-testid="backup-error">
            <p>{state.error}</p>
            {state.details.length > 0 && (
              <ul class="small">
                {state.details.slice(0, 12).map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {p && (
          <>
            <h3 class="te-subtitle">{p.dry_run ? (changes ? `What a restore would change (${changes})` : "Nothing would change") : "Restored"}</h3>
            <PlanView result={p} />
            {state.restored && (
              <p class="text-accent" role="status" data-testid="backup-restored-message">
                {state.restored}
              </p>
            )}
            {p.dry_run && (
              <div class="form-actions">
                <button type="button" class="btn btn-primary" data-testid="backup-restore" disabled={!changes || state.restoring} onClick$={restore}>
                  {state.restoring ? "Restoring…" : "Restore"}
                </button>
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
});
