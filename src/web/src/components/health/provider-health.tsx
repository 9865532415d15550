// Provider health: one tiny completion per provider (GET /api/health/providers), latency or the failure's class and
// hint. `compact` is the one-line check shown before a run (Benchmark, Evaluate); the full panel is on Settings.
import { $, component$, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { describeError } from "~/lib/http";

export interface ProviderHealth {
  name: string;
  provider_key: string;
  model_id: string | null;
  status: "ok" | "error" | "skipped";
  latency_ms: number | null;
  error: string | null;
  error_class: string | null;
  hint: string | null;
  host: string | null;
  empty_reply: boolean;
  checked_at: string;
}

const STATUS_TEXT = { ok: "up", error: "down", skipped: "skipped" } as const;

export const ProviderHealthCheck = component$<{ compact?: boolean }>(({ compact }) => {
  const state = useStore<{ busy: boolean; error: string; results: ProviderHealth[] | null }>({ busy: false, error: "", results: null });

  const check = $(async () => {
    state.busy = true;
    state.error = "";
    try {
      state.results = (await api.get<{ providers: ProviderHealth[] }>("/api/health/providers")).providers;
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.busy = false;
    }
  });

  const results = state.results;
  const button = (
    <button type="button" class="btn btn-ghost btn-sm" disabled={state.busy} onClick$={check} data-testid="health-check">
      {state.busy ? "Checking…" : results ? "Check again" : "Check providers"}
    </button>
  );

  if (compact) {
    return (
      <div class="health-compact" data-testid="health-compact" aria-live="polite">
        <span class="small muted">Provider health</span>
        {button}
        {state.error && <span class="inline-error small">{state.error}</span>}
        {results?.map((r) => (
          <span
            key={r.provider_key}
            class={`health-chip is-${r.status}`}
            title={r.status === "error" ? `${r.error_class}: ${r.error ?? ""}${r.hint ? `\n${r.hint}` : ""}` : (r.error ?? "")}
            data-testid={`health-${r.provider_key}`}
          >
            {r.name}: {r.status === "ok" ? `${r.latency_ms} ms` : r.status === "error" ? `${r.error_class}` : STATUS_TEXT[r.status]}
          </span>
        ))}
        {results?.some((r) => r.status === "error") && (
          <p class="small muted health-hints">
            {results
              .filter((r) => r.status === "error" && r.hint)
              .map((r) => (
                <span key={r.provider_key} class="health-hint">
                  {r.name}: {r.hint}
                </span>
              ))}
          </p>
        )}
      </div>
    );
  }

  return (
    <section class="card health-panel" aria-labelledby="health-title" data-testid="health-panel">
      <div class="panel-head">
        <div>
          <h3 id="health-title" class="card-title">
            Provider health
          </h3>
          <p class="muted small">One tiny completion ("Hi", 5 tokens, 10 s time-out) on each provider's first model.</p>
        </div>
        {button}
      </div>
      {state.error && (
        <p class="inline-error" role="alert">
          {state.error}
        </p>
      )}
      {results && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.provider_key} data-testid={`health-row-${r.provider_key}`}>
                  <td>{r.name}</td>
                  <td class="mono small">{r.model_id ?? "—"}</td>
                  <td>
                    <span class={`health-chip is-${r.status}`}>{STATUS_TEXT[r.status]}</span>
                  </td>
                  <td>{r.latency_ms !== null ? `${r.latency_ms} ms` : "—"}</td>
                  <td class="small">
                    {r.status === "ok" && (r.empty_reply ? "Answered with no text (still up)" : "")}
                    {r.status !== "ok" && (
                      <>
                        {r.error_class && <span class="mono">{r.error_class}</span>} {r.error}
                        {r.hint && <div class="muted">{r.hint}</div>}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
});
