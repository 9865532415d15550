// Admin → Limits: one account's job limits (jobs per hour, concurrent jobs, runs per benchmark).
import { $, component$, useStore, useTask$, useVisibleTask$ } from "@builder.io/qwik";
import type { AdminUser, UserLimits } from "~/lib/admin-types";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import { LIMIT_RANGES } from "../../../../shared/job-limits.ts";

/** The API's ranges (shared with the server, which checks them again). */
const FIELDS = [
  { name: "benchmarks_per_hour", label: "Jobs per hour", ...LIMIT_RANGES.benchmarks_per_hour },
  { name: "max_concurrent", label: "Concurrent jobs", ...LIMIT_RANGES.max_concurrent },
  { name: "max_runs_per_benchmark", label: "Runs per benchmark", ...LIMIT_RANGES.max_runs_per_benchmark },
] as const;

type FieldName = (typeof FIELDS)[number]["name"];

export const LimitsPanel = component$((props: { userId: string }) => {
  const state = useStore({
    users: [] as AdminUser[],
    userId: props.userId,
    limits: null as UserLimits | null,
    values: {} as Record<FieldName, string>,
    error: "",
    saving: false,
  });

  useVisibleTask$(async () => {
    try {
      state.users = (await api.get<{ users: AdminUser[] }>("/api/admin/users?limit=500")).users;
      if (!state.userId) state.userId = state.users.find((u) => !u.is_self)?.id ?? state.users[0]?.id ?? "";
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  useTask$(async ({ track }) => {
    const id = track(() => state.userId);
    if (!id || typeof window === "undefined") return;
    try {
      const limits = await api.get<UserLimits>(`/api/admin/users/${id}/rate-limit`);
      state.limits = limits;
      state.values = {
        benchmarks_per_hour: String(limits.benchmarks_per_hour),
        max_concurrent: String(limits.max_concurrent),
        max_runs_per_benchmark: String(limits.max_runs_per_benchmark),
      };
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  const save = $(async () => {
    const body: Record<string, number> = {};
    for (const f of FIELDS) {
      const n = Number(state.values[f.name]);
      if (!Number.isInteger(n) || n < f.min || n > f.max) {
        showToast("error", `${f.label} must be a whole number from ${f.min} to ${f.max}.`);
        return;
      }
      body[f.name] = n;
    }
    state.saving = true;
    try {
      state.limits = await api.put<UserLimits>(`/api/admin/users/${state.userId}/rate-limit`, body);
      const email = state.users.find((u) => u.id === state.userId)?.email ?? "the user";
      showToast("success", `Limits saved for ${email}.`);
    } catch (err) {
      toastError(err);
    } finally {
      state.saving = false;
    }
  });

  return (
    <div class="settings-panel" data-testid="admin-limits">
      <div class="panel-head">
        <div>
          <h2>Limits</h2>
          <p class="muted small">
            Applied on the user's next submission; a higher concurrency starts their queued jobs at once. Jobs over the concurrency limit wait in a
            queue; jobs over the hourly limit are refused.
          </p>
        </div>
      </div>
      {state.error && (
        <div class="inline-error" role="alert">
          {state.error}
        </div>
      )}
      <form class="card" preventdefault:submit onSubmit$={save}>
        <div class="field">
          <label for="limits-user">Account</label>
          <select id="limits-user" data-testid="limits-user" value={state.userId} onChange$={(_, el) => (state.userId = el.value)}>
            {state.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </select>
        </div>
        <div class="form-grid">
          {FIELDS.map((f) => (
            <div class="field" key={f.name}>
              <label for={`limit-${f.name}`}>{f.label}</label>
              <input
                id={`limit-${f.name}`}
                type="number"
                inputMode="numeric"
                min={f.min}
                max={f.max}
                step={1}
                value={state.values[f.name] ?? ""}
                data-testid={`limit-${f.name}`}
                onInput$={(_, el) => (state.values = { ...state.values, [f.name]: el.value })}
              />
              <p class="field-hint">
                {f.min}–{f.max}
              </p>
            </div>
          ))}
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="limits-save" disabled={state.saving || !state.limits}>
            {state.saving ? "Saving…" : "Save limits"}
          </button>
          {state.limits?.updated_at && <span class="muted small">last changed {fmtDateTime(state.limits.updated_at)}</span>}
        </div>
      </form>
    </div>
  );
});
