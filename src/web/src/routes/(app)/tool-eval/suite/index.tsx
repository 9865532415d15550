// /tool-eval/suite/?id=<id>: edit one suite — name, description, system prompt, tools (JSON per tool) and its
// test cases. Each part saves on its own; leaving with unsaved edits asks first.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, Link, useLocation } from "@builder.io/qwik-city";
import { Badge } from "~/components/badge";
import { ErrorBanner } from "~/components/error-banner";
import { CaseList } from "~/components/tool-eval/case-list";
import { SuiteDetailsForm } from "~/components/tool-eval/suite-details-form";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { ToolsEditor } from "~/components/tool-eval/tools-editor";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { ApiError, describeError } from "~/lib/http";
import { exportSuiteBfcl, exportSuiteJson } from "~/lib/suite-actions";
import { toastError } from "~/lib/toast";
import type { SuiteDetail, SuiteSummary, TestCase, Tool } from "~/lib/tool-suite-types";
import { clearDirty } from "~/lib/unsaved-guard";

interface EditorState {
  id: string;
  loading: boolean;
  error: string;
  notFound: boolean;
  exporting: string;
}

const SOURCE_LABEL: Record<string, string> = { manual: "created here", import: "imported", bfcl: "BFCL import", mcp: "MCP import" };

export default component$(() => {
  const loc = useLocation();
  const suite = useSignal<SuiteDetail | null>(null);
  const state = useStore<EditorState>({ id: "", loading: true, error: "", notFound: false, exporting: "" });

  const load = $(async (id: string) => {
    state.loading = true;
    try {
      suite.value = await api.get<SuiteDetail>(`/api/tool-suites/${encodeURIComponent(id)}`);
      state.error = "";
      state.notFound = false;
    } catch (err) {
      suite.value = null;
      if (err instanceof ApiError && err.status === 404) state.notFound = true;
      else state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  // The id is in the query string, which only the browser knows (the page is prerendered).
  useVisibleTask$(
    ({ track, cleanup }) => {
      track(() => loc.url.href);
      const id = new URL(location.href).searchParams.get("id") ?? "";
      if (id === state.id && suite.value) return;
      clearDirty();
      state.id = id;
      if (!id) {
        state.notFound = true;
        state.loading = false;
        return;
      }
      void load(id);
      cleanup(() => clearDirty());
    },
    { strategy: "document-ready" },
  );

  const onDetailsSaved = $((summary: SuiteSummary) => {
    if (suite.value) suite.value = { ...suite.value, ...summary };
  });

  const onToolsSaved = $((tools: Tool[], summary: SuiteSummary) => {
    if (suite.value) suite.value = { ...suite.value, ...summary, tools };
  });

  const onCasesChanged = $(async (cases: TestCase[] | null) => {
    const current = suite.value;
    if (!current) return;
    try {
      const next = cases ?? (await api.get<{ cases: TestCase[] }>(`/api/tool-suites/${encodeURIComponent(current.id)}/cases`)).cases;
      suite.value = { ...current, test_cases: next, test_case_count: next.length, updated_at: new Date().toISOString() };
    } catch (err) {
      toastError(err);
    }
  });

  const runExport = $(async (kind: "json" | "bfcl") => {
    const s = suite.value;
    if (!s) return;
    state.exporting = kind;
    try {
      if (kind === "json") await exportSuiteJson(s.id, s.name);
      else await exportSuiteBfcl(s.id, s.name);
    } catch (err) {
      toastError(err);
    } finally {
      state.exporting = "";
    }
  });

  const s = suite.value;

  return (
    <section class="page te-editor-page">
      <ToolEvalTabs />
      <Link href="/tool-eval/" class="te-back small">
        ← All suites
      </Link>

      {state.loading && !s ? (
        <div class="card" aria-busy="true">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
            <span class="skeleton-card" />
            <span class="skeleton-card" />
          </div>
        </div>
      ) : state.notFound ? (
        <div class="card empty-state" data-testid="suite-not-found">
          <h2 class="card-title">Suite not found</h2>
          <p class="muted">It may have been deleted, or the link is incomplete.</p>
          <Link href="/tool-eval/" class="btn btn-primary">
            Back to suites
          </Link>
        </div>
      ) : state.error || !s ? (
        <ErrorBanner message={state.error || "Could not load the suite."} onAction$={() => load(state.id)} />
      ) : (
        <>
          <header class="page-header te-editor-header">
            <div>
              <h1 data-testid="suite-title">{s.name}</h1>
              <p class="te-editor-meta muted small">
                <Badge tone="outline">{SOURCE_LABEL[s.source] ?? s.source}</Badge>
                <span data-testid="editor-tool-count">
                  {s.tools.length} tool{s.tools.length === 1 ? "" : "s"}
                </span>
                <span aria-hidden="true">·</span>
                <span data-testid="editor-case-count">
                  {s.test_cases.length} case{s.test_cases.length === 1 ? "" : "s"}
                </span>
                <span aria-hidden="true">·</span>
                <span>updated {fmtDateTime(s.updated_at)}</span>
              </p>
            </div>
            <div class="btn-row">
              <button
                type="button"
                class="btn btn-ghost btn-sm"
                disabled={!!state.exporting}
                data-testid="editor-export"
                onClick$={() => runExport("json")}
              >
                {state.exporting === "json" ? "Exporting…" : "Export JSON"}
              </button>
              <button
                type="button"
                class="btn btn-ghost btn-sm"
                disabled={!!state.exporting}
                data-testid="editor-export-bfcl"
                onClick$={() => runExport("bfcl")}
              >
                {state.exporting === "bfcl" ? "Exporting…" : "Export BFCL"}
              </button>
              <Link href="/tool-eval/evaluate/" class="btn btn-primary btn-sm">
                Evaluate
              </Link>
            </div>
          </header>

          <SuiteDetailsForm key={`details-${s.id}`} suite={s} onSaved$={onDetailsSaved} />
          <ToolsEditor key={`tools-${s.id}`} suiteId={s.id} tools={s.tools} onSaved$={onToolsSaved} />
          <CaseList suiteId={s.id} cases={s.test_cases} toolNames={s.tools.map((t) => t.function.name)} onChanged$={onCasesChanged} />
        </>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "Suite editor · Tool Eval" };
