// Admin → Logs: the stored warning and error events (already redacted), by level and text, a page at a time.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { ADMIN_PAGE_SIZE, type LogEvent } from "~/lib/admin-types";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { describeError } from "~/lib/http";
import { Badge } from "../badge";
import { Pager } from "./pager";

/** Fields every line has; the rest are shown as the event's detail. */
const COMMON = new Set(["time", "level", "message", "request_id"]);

export const LogsPanel = component$(() => {
  const state = useStore({ level: "", search: "", offset: 0, count: 0, logs: [] as LogEvent[], loading: true, error: "" });

  const load = $(async () => {
    state.loading = true;
    const q = new URLSearchParams({ limit: String(ADMIN_PAGE_SIZE), offset: String(state.offset) });
    if (state.level) q.set("level", state.level);
    if (state.search.trim()) q.set("search", state.search.trim());
    try {
      const res = await api.get<{ count: number; logs: LogEvent[] }>(`/api/admin/logs?${q}`);
      state.logs = res.logs;
      state.count = res.count;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });
  useVisibleTask$(() => void load());

  const filter = $(async () => {
    state.offset = 0;
    await load();
  });
  const page = $(async (delta: number) => {
    state.offset = Math.max(0, state.offset + delta * ADMIN_PAGE_SIZE);
    await load();
  });

  return (
    <div class="settings-panel" data-testid="admin-logs">
      <div class="panel-head">
        <div>
          <h2>Logs</h2>
          <p class="muted small">
            The latest warnings and errors, kept in the database for this page (the full log is the Worker's console output: Workers Logs or{" "}
            <code>wrangler tail</code>). Secrets are removed before anything is written.
          </p>
        </div>
      </div>
      <form class="admin-filters" preventdefault:submit onSubmit$={filter}>
        <label class="sr-only" for="logs-level">
          Level
        </label>
        <select
          id="logs-level"
          value={state.level}
          onChange$={(_, el) => {
            state.level = el.value;
            return filter();
          }}
          data-testid="logs-level"
        >
          <option value="">Warnings and errors</option>
          <option value="error">Errors</option>
          <option value="warn">Warnings</option>
        </select>
        <label class="sr-only" for="logs-search">
          Search
        </label>
        <input
          id="logs-search"
          type="search"
          placeholder="Search text"
          value={state.search}
          onInput$={(_, el) => (state.search = el.value)}
          data-testid="logs-search"
        />
        <button type="submit" class="btn btn-ghost btn-sm">
          Search
        </button>
      </form>
      {state.error && (
        <div class="inline-error" role="alert">
          {state.error}
        </div>
      )}
      <div class="table-wrap card card-flush">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Message</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {!state.loading && state.logs.length === 0 && (
              <tr>
                <td colSpan={4} class="muted">
                  No log events match.
                </td>
              </tr>
            )}
            {state.logs.map((l) => (
              <tr key={l.id} data-testid="log-row">
                <td class="nowrap">{fmtDateTime(l.created_at)}</td>
                <td>
                  <Badge tone={l.level === "error" ? "coral" : "amber"}>{l.level}</Badge>
                </td>
                <td>{l.message}</td>
                <td class="mono small admin-detail">
                  {JSON.stringify(Object.fromEntries(Object.entries(l.fields).filter(([k]) => !COMMON.has(k))))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager offset={state.offset} total={state.count} onPage$={page} />
    </div>
  );
});
