// The suite's test cases: filter, badges (multi-turn, match mode, alternatives, no tool, parallel, category),
// select + bulk delete, and the case form inline (one case at a time, or a new case on top).
import { $, component$, type PropFunction, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { caseBadges, expectedParamsLabel, expectedToolLabel } from "~/lib/case-draft";
import { confirmAction } from "~/lib/confirm";
import { showToast, toastError } from "~/lib/toast";
import type { TestCase } from "~/lib/tool-suite-types";
import { hasUnsavedChanges } from "~/lib/unsaved-guard";
import { Badge } from "../badge";
import { CaseForm } from "./case-form";

export interface CaseListProps {
  suiteId: string;
  cases: TestCase[];
  toolNames: string[];
  /** The new list after an edit, delete, or (null) after a create: the caller reloads. */
  onChanged$: PropFunction<(cases: TestCase[] | null) => Promise<void>>;
}

interface ListState {
  filter: string;
  selected: string[];
  /** Case id being edited, "new", or "". */
  editing: string;
  deleting: boolean;
}

function matches(c: TestCase, q: string): boolean {
  if (!q) return true;
  const hay = [c.prompt, expectedToolLabel(c), c.category ?? "", JSON.stringify(c.expected_params ?? "")].join(" ").toLowerCase();
  return hay.includes(q.toLowerCase());
}

export const CaseList = component$<CaseListProps>((props) => {
  const state = useStore<ListState>({ filter: "", selected: [], editing: "", deleting: false });

  /** Opening another form drops unsaved edits in the current one: ask first. */
  const openForm = $(async (target: string) => {
    if (state.editing && state.editing !== target && hasUnsavedChanges("case-")) {
      const ok = await confirmAction({
        title: "Discard changes?",
        message: "The case you are editing has unsaved changes.",
        confirmLabel: "Discard",
      });
      if (!ok) return;
    }
    state.editing = state.editing === target ? "" : target;
  });

  const deleteCases = $(async (ids: string[]) => {
    const ok = await confirmAction({
      title: ids.length === 1 ? "Delete this test case?" : `Delete ${ids.length} test cases?`,
      message: "Deleted cases cannot be restored. Past evaluation results keep their copy.",
      confirmLabel: ids.length === 1 ? "Delete case" : `Delete ${ids.length} cases`,
    });
    if (!ok) return;
    state.deleting = true;
    try {
      const res = await api.post<{ deleted: number }>(`/api/tool-suites/${encodeURIComponent(props.suiteId)}/cases/bulk-delete`, { case_ids: ids });
      const gone = new Set(ids);
      state.selected = state.selected.filter((id) => !gone.has(id));
      if (gone.has(state.editing)) state.editing = "";
      await props.onChanged$(props.cases.filter((c) => !gone.has(c.id)));
      showToast("success", `Deleted ${res.deleted} case${res.deleted === 1 ? "" : "s"}.`);
    } catch (err) {
      toastError(err);
    } finally {
      state.deleting = false;
    }
  });

  const onSaved = $(async (updated: TestCase | null) => {
    state.editing = "";
    if (updated) await props.onChanged$(props.cases.map((c) => (c.id === updated.id ? updated : c)));
    else await props.onChanged$(null);
  });

  const all = props.cases;
  const visible = all.filter((c) => matches(c, state.filter.trim()));
  const visibleIds = visible.map((c) => c.id);
  const allVisibleSelected = visible.length > 0 && visibleIds.every((id) => state.selected.includes(id));
  const categories = [...new Set(all.map((c) => c.category).filter((c): c is string => Boolean(c)))];
  const position = new Map(all.map((c, i) => [c.id, i + 1]));

  return (
    <section class="card te-cases" data-testid="case-list" aria-labelledby="cases-title">
      <div class="card-head">
        <div>
          <h2 id="cases-title" class="card-title">
            Test cases <span class="muted">({all.length})</span>
          </h2>
          <p class="muted small">Each case is a user message and the call the model should make.</p>
        </div>
        <button
          type="button"
          class="btn btn-primary btn-sm"
          aria-expanded={state.editing === "new"}
          data-testid="case-add"
          onClick$={() => openForm("new")}
        >
          + Add case
        </button>
      </div>

      {state.editing === "new" && (
        <div class="te-case-new">
          <CaseForm
            suiteId={props.suiteId}
            toolNames={props.toolNames}
            categories={categories}
            onSaved$={onSaved}
            onCancel$={() => (state.editing = "")}
          />
        </div>
      )}

      {all.length > 0 && (
        <div class="te-case-toolbar">
          <label class="te-check">
            <input
              type="checkbox"
              checked={allVisibleSelected}
              aria-label="Select all shown cases"
              data-testid="case-select-all"
              onChange$={(_, el) => {
                const others = state.selected.filter((id) => !visibleIds.includes(id));
                state.selected = el.checked ? [...others, ...visibleIds] : others;
              }}
            />
            <span class="muted small">{state.selected.length ? `${state.selected.length} selected` : "Select"}</span>
          </label>
          <button
            type="button"
            class="btn btn-danger-ghost btn-sm"
            disabled={state.selected.length === 0 || state.deleting}
            data-testid="cases-bulk-delete"
            onClick$={() => deleteCases([...state.selected])}
          >
            {state.deleting ? "Deleting…" : `Delete selected${state.selected.length ? ` (${state.selected.length})` : ""}`}
          </button>
          <input
            type="search"
            class="te-case-filter push-right"
            placeholder="Filter by text, tool or category…"
            aria-label="Filter test cases"
            value={state.filter}
            data-testid="case-filter"
            onInput$={(_, el) => (state.filter = el.value)}
          />
        </div>
      )}

      {all.length === 0 && state.editing !== "new" && <p class="muted te-empty-line">No test cases yet.</p>}
      {all.length > 0 && visible.length === 0 && <p class="muted te-empty-line">No case matches “{state.filter}”.</p>}

      <ol class="te-case-list">
        {visible.map((c) => {
          const n = position.get(c.id) ?? 0;
          const editing = state.editing === c.id;
          const params = expectedParamsLabel(c);
          return (
            <li key={c.id} class={`te-case${editing ? " is-editing" : ""}`} data-testid="case-row" data-case-id={c.id}>
              <div class="te-case-row">
                <input
                  type="checkbox"
                  class="te-case-check"
                  checked={state.selected.includes(c.id)}
                  aria-label={`Select case ${n}`}
                  data-testid="case-select"
                  onChange$={(_, el) => (state.selected = el.checked ? [...state.selected, c.id] : state.selected.filter((id) => id !== c.id))}
                />
                <span class="te-case-num muted mono">{n}</span>
                <div class="te-case-main">
                  <p class="te-case-prompt" title={c.prompt}>
                    {c.prompt}
                  </p>
                  <p class="te-case-expect">
                    <span class="muted">→</span> <span class="mono text-strong">{expectedToolLabel(c)}</span>
                    {params && <span class="mono muted te-case-params">{params}</span>}
                  </p>
                  {caseBadges(c).length > 0 && (
                    <div class="te-badges">
                      {caseBadges(c).map((b) => (
                        <Badge key={b.kind} tone={b.tone} title={b.title} testId={`case-badge-${b.kind}`}>
                          {b.label}
                        </Badge>
                      ))}
                    </div>
                  )}
                </div>
                <button type="button" class="btn btn-ghost btn-sm" aria-expanded={editing} data-testid="case-edit" onClick$={() => openForm(c.id)}>
                  {editing ? "Close" : "Edit"}
                </button>
              </div>
              {editing && (
                <CaseForm
                  key={`${c.id}-${c.updated_at}`}
                  suiteId={props.suiteId}
                  testCase={c}
                  position={n}
                  toolNames={props.toolNames}
                  categories={categories}
                  onSaved$={onSaved}
                  onCancel$={() => (state.editing = "")}
                  onDelete$={() => deleteCases([c.id])}
                />
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
});
