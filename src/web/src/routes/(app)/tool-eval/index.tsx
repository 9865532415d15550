// /tool-eval/: the user's tool suites — create, import (file: original JSON or BFCL JSON Lines; MCP server),
// download the example, export (original JSON, BFCL), delete. A suite opens in /tool-eval/suite/?id=….
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { Badge } from "~/components/badge";
import { ErrorBanner } from "~/components/error-banner";
import { TextField } from "~/components/text-field";
import { McpImportDialog } from "~/components/tool-eval/mcp-import-dialog";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { fmtDateTime, fmtRelative } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { plural } from "~/lib/format";
import { describeError } from "~/lib/http";
import { downloadExample, exportSuiteBfcl, exportSuiteJson, ImportProblem, importExample, importFiles } from "~/lib/suite-actions";
import { editorHref } from "~/lib/suite-files";
import { showToast, toastError } from "~/lib/toast";
import type { McpImportResponse, SuiteSummary } from "~/lib/tool-suite-types";

interface SuitesState {
  loading: boolean;
  error: string;
  /** Row actions in flight, by suite id ("export", "bfcl", "delete"). */
  busy: Record<string, string>;
  importing: boolean;
  importProblem: { message: string; details: string[] } | null;
  creating: boolean;
  createName: string;
  createDescription: string;
  createError: string;
  saving: boolean;
  mcpOpen: boolean;
  highlighted: string;
}

const SOURCE_LABEL: Record<string, string> = { import: "imported", bfcl: "BFCL", mcp: "MCP" };

export default component$(() => {
  // Plain objects, replaced whole on every change (see src/web/README.md).
  const suites = useSignal<SuiteSummary[]>([]);
  const state = useStore<SuitesState>({
    loading: true,
    error: "",
    busy: {},
    importing: false,
    importProblem: null,
    creating: false,
    createName: "",
    createDescription: "",
    createError: "",
    saving: false,
    mcpOpen: false,
    highlighted: "",
  });

  const load = $(async () => {
    try {
      suites.value = (await api.get<{ suites: SuiteSummary[] }>("/api/tool-suites")).suites;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(() => load(), { strategy: "document-ready" });

  const setBusy = $((id: string, what: string | null) => {
    const { [id]: _, ...rest } = state.busy;
    state.busy = what ? { ...rest, [id]: what } : rest;
  });

  const afterImport = $(async (suiteId: string, message: string, warnings: string[] = []) => {
    state.importProblem = null;
    state.highlighted = suiteId;
    await load();
    showToast("success", message, warnings.slice(0, 5));
  });

  const onFiles = $(async (_: Event, input: HTMLInputElement) => {
    const files = input.files ? Array.from(input.files) : [];
    if (files.length === 0) return;
    state.importing = true;
    state.importProblem = null;
    try {
      const { result, label } = await importFiles(files);
      await afterImport(
        result.suite_id,
        `Imported ${label}: ${plural(result.tools_imported, "tool")}, ${plural(result.test_cases_created, "case")}.`,
        result.warnings,
      );
    } catch (err) {
      state.importProblem = err instanceof ImportProblem ? { message: err.message, details: err.details } : describeError(err);
    } finally {
      state.importing = false;
      input.value = ""; // choosing the same file again imports it again
    }
  });

  const onImportExample = $(async () => {
    state.importing = true;
    try {
      const res = await importExample();
      await afterImport(
        res.suite_id,
        `Imported the example suite: ${plural(res.tools_imported, "tool")}, ${plural(res.test_cases_created, "case")}.`,
      );
    } catch (err) {
      toastError(err);
    } finally {
      state.importing = false;
    }
  });

  const onMcpImported = $(async (res: McpImportResponse) => {
    state.mcpOpen = false;
    showToast(
      "success",
      `Imported ${plural(res.tools_imported, "tool")} from MCP` +
        (res.test_cases_generated ? ` with ${plural(res.test_cases_generated, "generated case")}.` : "."),
    );
    location.assign(editorHref(res.suite_id));
  });

  const createSuite = $(async () => {
    const name = state.createName.trim();
    if (!name) {
      state.createError = "Give the suite a name.";
      return;
    }
    state.saving = true;
    state.createError = "";
    try {
      const res = await api.post<{ suite_id: string }>("/api/tool-suites", { name, description: state.createDescription.trim() });
      state.creating = false;
      state.createName = "";
      state.createDescription = "";
      location.assign(editorHref(res.suite_id));
    } catch (err) {
      state.createError = describeError(err).message;
    } finally {
      state.saving = false;
    }
  });

  const runExport = $(async (suite: SuiteSummary, kind: "export" | "bfcl") => {
    await setBusy(suite.id, kind);
    try {
      if (kind === "export") await exportSuiteJson(suite.id, suite.name);
      else await exportSuiteBfcl(suite.id, suite.name);
    } catch (err) {
      toastError(err);
    } finally {
      await setBusy(suite.id, null);
    }
  });

  const remove = $(async (suite: SuiteSummary) => {
    const ok = await confirmAction({
      title: "Delete this suite?",
      message: `“${suite.name}”, its ${plural(suite.tool_count, "tool")} and ${plural(suite.test_case_count, "test case")} are deleted permanently. Past evaluation results keep their copy.`,
      confirmLabel: "Delete suite",
    });
    if (!ok) return;
    await setBusy(suite.id, "delete");
    try {
      await api.del(`/api/tool-suites/${encodeURIComponent(suite.id)}`);
      suites.value = suites.value.filter((s) => s.id !== suite.id);
      showToast("success", `Deleted “${suite.name}”.`);
    } catch (err) {
      toastError(err);
    } finally {
      await setBusy(suite.id, null);
    }
  });

  const list = suites.value;

  return (
    <section class="page te-suites-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Tool suites</h1>
          <p class="page-lede">
            A suite is a set of tools (OpenAI function JSON) and test cases saying which call a model should make. Run suites against models on the
            Evaluate tab.
          </p>
        </div>
      </header>

      <div class="te-toolbar">
        <button
          type="button"
          class="btn btn-primary btn-sm"
          data-testid="suite-new"
          aria-expanded={state.creating}
          onClick$={() => {
            state.creating = !state.creating;
            if (state.creating) requestAnimationFrame(() => document.getElementById("new-suite-name")?.focus());
          }}
        >
          + New suite
        </button>
        <label
          class={`btn btn-ghost btn-sm te-file-btn${state.importing ? " is-busy" : ""}`}
          title="The original's suite JSON, or BFCL question (+ possible-answer) JSON Lines"
        >
          {state.importing ? "Importing…" : "Import file"}
          <input
            type="file"
            class="sr-only"
            accept=".json,.jsonl,.ndjson,application/json"
            multiple
            disabled={state.importing}
            data-testid="suite-import-file"
            onChange$={onFiles}
          />
        </label>
        <button type="button" class="btn btn-ghost btn-sm" data-testid="mcp-open" onClick$={() => (state.mcpOpen = true)}>
          Import from MCP server
        </button>
        <button
          type="button"
          class="btn btn-ghost btn-sm push-right"
          data-testid="suite-download-example"
          onClick$={async () => {
            try {
              await downloadExample();
            } catch (err) {
              toastError(err);
            }
          }}
        >
          Download example
        </button>
      </div>

      {state.creating && (
        <form class="card te-create" data-testid="suite-create-form" preventdefault:submit onSubmit$={createSuite} noValidate>
          <h2 class="card-title">New suite</h2>
          <div class="form-grid">
            <TextField
              prefix="new-suite"
              name="name"
              label="Name"
              maxLength={256}
              value={state.createName}
              error={state.createError || undefined}
              testId="suite-create-name"
              onInput$={$((_: Event, el: HTMLInputElement) => {
                state.createName = el.value;
              })}
            />
            <TextField
              prefix="new-suite"
              name="description"
              label="Description"
              maxLength={5000}
              placeholder="optional"
              value={state.createDescription}
              testId="suite-create-description"
              onInput$={$((_: Event, el: HTMLInputElement) => {
                state.createDescription = el.value;
              })}
            />
          </div>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-sm" disabled={state.saving} data-testid="suite-create-submit">
              {state.saving ? "Creating…" : "Create and open"}
            </button>
            <button type="button" class="btn btn-ghost btn-sm" onClick$={() => (state.creating = false)}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {state.importProblem && (
        <div class="inline-error te-import-error" role="alert" data-testid="suite-import-error">
          <div class="te-import-error-head">
            <strong>Import failed.</strong> <span>{state.importProblem.message}</span>
            <button type="button" class="link-btn push-right" onClick$={() => (state.importProblem = null)}>
              Dismiss
            </button>
          </div>
          {state.importProblem.details.length > 0 && (
            <ul class="te-issues mono">
              {state.importProblem.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {state.error && <ErrorBanner message={state.error} onAction$={load} />}

      {state.loading ? (
        <div class="card">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
            <span class="skeleton-card" />
          </div>
        </div>
      ) : list.length === 0 && !state.error ? (
        <div class="card empty-state" data-testid="suites-empty">
          <h2 class="card-title">No suites yet</h2>
          <p class="muted">Start from the example (one weather tool, three cases), import a suite file, or create one from scratch.</p>
          <div class="te-empty-actions">
            <button type="button" class="btn btn-primary" disabled={state.importing} data-testid="suite-import-example" onClick$={onImportExample}>
              Import the example suite
            </button>
            <button type="button" class="btn btn-ghost" onClick$={() => (state.creating = true)}>
              Create a suite
            </button>
          </div>
        </div>
      ) : (
        <div class="card card-flush table-wrap">
          <table class="table te-suites-table" data-testid="suites-table">
            <thead>
              <tr>
                <th scope="col">Suite</th>
                <th scope="col" class="num">
                  Tools
                </th>
                <th scope="col" class="num">
                  Cases
                </th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => {
                const busy = state.busy[s.id];
                return (
                  <tr key={s.id} class={state.highlighted === s.id ? "is-highlighted" : ""} data-testid="suite-row" data-suite-id={s.id}>
                    <td class="te-suite-cell">
                      <a href={editorHref(s.id)} class="te-suite-name" data-testid="suite-open">
                        {s.name}
                      </a>
                      {SOURCE_LABEL[s.source] && <Badge tone="outline">{SOURCE_LABEL[s.source]}</Badge>}
                      {s.description && <span class="te-suite-desc muted small">{s.description}</span>}
                    </td>
                    <td class="num" data-testid="suite-tool-count">
                      {s.tool_count}
                    </td>
                    <td class="num" data-testid="suite-case-count">
                      {s.test_case_count}
                    </td>
                    <td class="nowrap muted" title={fmtDateTime(s.updated_at)}>
                      {fmtRelative(s.updated_at)}
                    </td>
                    <td class="te-row-actions">
                      <a href={editorHref(s.id)} class="btn btn-ghost btn-sm">
                        Edit
                      </a>
                      <button
                        type="button"
                        class="btn btn-ghost btn-sm"
                        disabled={!!busy}
                        title="Download in the original suite JSON format (imports back unchanged)"
                        data-testid="suite-export"
                        onClick$={() => runExport(s, "export")}
                      >
                        {busy === "export" ? "…" : "Export"}
                      </button>
                      <button
                        type="button"
                        class="btn btn-ghost btn-sm"
                        disabled={!!busy}
                        title="Download BFCL question and possible-answer JSON Lines"
                        data-testid="suite-export-bfcl"
                        onClick$={() => runExport(s, "bfcl")}
                      >
                        {busy === "bfcl" ? "…" : "BFCL"}
                      </button>
                      <button
                        type="button"
                        class="btn btn-danger-ghost btn-sm"
                        disabled={!!busy}
                        aria-label={`Delete ${s.name}`}
                        data-testid="suite-delete"
                        onClick$={() => remove(s)}
                      >
                        {busy === "delete" ? "Deleting…" : "Delete"}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <McpImportDialog open={state.mcpOpen} onClose$={() => (state.mcpOpen = false)} onImported$={onMcpImported} />
    </section>
  );
});

export const head: DocumentHead = { title: "Suites · Tool Eval" };
