// The markup the past-runs lists of the tuners and Capacity share (their logic: lib/use-history-list.ts): the card
// with its heading, error line, skeleton and empty note; and a row with its open toggle, time and status, the run's
// own lines and actions, Delete, and the opened run. Inline components (no lazy boundary): each list renders them
// from its own signals, and hands in its own lines and actions as JSX, and its run view as a function of the stored
// detail.
import type { JSXChildren, JSXOutput } from "@builder.io/qwik";
import { type HistoryList, isActiveRun } from "~/lib/use-history-list";
import { Badge } from "../badge";

/** What a list is called, in its test ids and classes ("tune-history" → tune-history-row-<id>, …) and its words. */
export interface HistoryKind {
  name: string;
  title: string;
  empty: string;
  /** What one run is called on its buttons ("tune", "probe"). */
  noun: string;
  /** The row summary's own class (its layout). */
  summaryClass: string;
}

interface ListedRun {
  id: string;
  status: string;
}

export const HistoryCard = ({ list, kind, children }: { list: HistoryList<ListedRun, unknown>; kind: HistoryKind; children?: JSXChildren }) => {
  const { state } = list;
  return (
    <section class={`card ${kind.name}`} aria-labelledby={`${kind.name}-heading`} data-testid={kind.name}>
      <div class="card-head">
        <h2 id={`${kind.name}-heading`} class="card-title">
          {kind.title}
        </h2>
      </div>
      {(state.error || state.rowError) && (
        <p class="field-error" role="alert" data-testid={`${kind.name}-error`}>
          {state.error || state.rowError}
        </p>
      )}
      {state.loading ? (
        <span class="skeleton-row" aria-hidden="true" />
      ) : list.runs.value.length === 0 ? (
        <p class="muted small" data-testid={`${kind.name}-empty`}>
          {kind.empty}
        </p>
      ) : (
        <ul class="history-list">{children}</ul>
      )}
    </section>
  );
};

export interface HistoryRowProps<Run extends ListedRun, Detail> {
  list: HistoryList<Run, Detail>;
  kind: HistoryKind;
  run: Run;
  /** When the run was made, formatted. */
  when: string;
  /** The rest of the time-and-status line. */
  line: JSXOutput;
  /** Actions before Delete. */
  actions?: JSXOutput;
  /** The opened run's view, from its stored detail (a skeleton shows until that is read). */
  view: (detail: Detail) => JSXOutput;
  /** The run's own lines under the first. */
  children?: JSXChildren;
}

export const HistoryRow = <Run extends ListedRun, Detail>({ list, kind, run, when, line, actions, view, children }: HistoryRowProps<Run, Detail>) => {
  const { toggle, remove } = list;
  const { id, status } = run;
  const open = list.state.open === id;
  const detail = open ? list.details.value[id] : undefined;
  const active = isActiveRun(status);
  const p = kind.name;
  return (
    <li class={`history-row${open ? " is-expanded" : ""}`} data-testid={`${p}-row-${id}`}>
      <div class={`history-summary ${kind.summaryClass}`}>
        <button
          type="button"
          class="icon-btn"
          aria-expanded={open}
          aria-label={open ? `Close ${kind.noun}` : `Open ${kind.noun}`}
          data-testid={`${p}-open-${id}`}
          onClick$={() => toggle(id)}
        >
          {open ? "▾" : "▸"}
        </button>
        <div class="history-main">
          <div class="history-line">
            <span class="muted small">{when}</span>{" "}
            <Badge tone={status === "completed" ? "teal" : active ? "blue" : "grey"} testId={`${p}-status-${id}`}>
              {status}
            </Badge>{" "}
            {line}
          </div>
          {children}
        </div>
        <div class="history-actions">
          {actions}
          <button
            type="button"
            class="btn btn-sm btn-danger-ghost"
            data-testid={`${p}-delete-${id}`}
            disabled={list.state.busy === id || active}
            title={active ? `Cancel the running ${kind.noun} before deleting it` : undefined}
            onClick$={() => remove(id)}
          >
            Delete
          </button>
        </div>
      </div>
      {open && (detail ? view(detail) : <span class="skeleton-row" aria-hidden="true" />)}
    </li>
  );
};
