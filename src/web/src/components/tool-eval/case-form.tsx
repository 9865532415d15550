// Add or edit one test case: every field the API accepts (expected call, parameters and match mode, irrelevance,
// category, multi-turn mock responses/rounds/hops/prerequisites). JSON is checked as it is typed; the server's
// field errors appear next to the field they concern until that field is edited.

import { $, component$, type PropFunction, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import {
  type CaseDraft,
  type DraftField,
  draftFieldOf,
  draftFromCase,
  draftToBody,
  emptyDraft,
  MATCH_MODE_LABELS,
  MATCH_MODES,
  validateDraft,
} from "~/lib/case-draft";
import { splitList } from "~/lib/format";
import { ApiError, describeError } from "~/lib/http";
import { showToast } from "~/lib/toast";
import type { MatchMode, TestCase } from "~/lib/tool-suite-types";
import { setDirty } from "~/lib/unsaved-guard";
import { SwitchRow } from "../switch-row";

export interface CaseFormProps {
  suiteId: string;
  /** Absent = a new case. */
  testCase?: TestCase;
  /** 1-based position, for the heading. */
  position?: number;
  toolNames: string[];
  categories: string[];
  /** Called with the updated case, or null after a create (the caller reloads the list). */
  onSaved$: PropFunction<(updated: TestCase | null) => Promise<void>>;
  onCancel$: PropFunction<() => void>;
  onDelete$?: PropFunction<() => Promise<void>>;
}

interface FormState {
  busy: boolean;
  submitted: boolean;
  touched: DraftField[];
  /** Server errors with the field text they were about (hidden once the field changes). */
  server: Partial<Record<DraftField, { message: string; text: string }>>;
  formError: string;
  formDetails: string[];
}

/** `list` (the datalist id) is a valid input attribute that Qwik's JSX types leave out. */
const datalist = (id: string) => ({ list: id }) as Record<string, string>;

const COMMON_CATEGORIES = ["simple", "multiple", "parallel", "parallel_multiple", "irrelevance", "multi_turn"];

export const CaseForm = component$<CaseFormProps>((props) => {
  const existing = props.testCase;
  const prefix = existing ? `case-${existing.id}` : "case-new";
  const start = existing ? draftFromCase(existing) : emptyDraft();
  const draft = useStore<CaseDraft>({ ...start });
  const initial = useSignal<CaseDraft>({ ...start });
  const state = useStore<FormState>({ busy: false, submitted: false, touched: [], server: {}, formError: "", formDetails: [] });

  useVisibleTask$(({ track, cleanup }) => {
    track(() => Object.values(draft).join("\u0000"));
    const dirty = (Object.keys(draft) as DraftField[]).some((k) => draft[k] !== initial.value[k]);
    setDirty(prefix, dirty);
    cleanup(() => setDirty(prefix, false));
  });

  const edit = $((field: DraftField, value: string | boolean) => {
    (draft as unknown as Record<string, string | boolean>)[field] = value;
    if (!state.touched.includes(field)) state.touched = [...state.touched, field];
  });

  const save = $(async () => {
    state.submitted = true;
    state.formError = "";
    state.formDetails = [];
    if (Object.keys(validateDraft(draft)).length) {
      state.formError = "Fix the highlighted fields first.";
      return;
    }
    const snapshot: CaseDraft = { ...draft };
    const body = draftToBody(snapshot, existing ? initial.value : undefined, existing);
    if (existing && Object.keys(body).length === 0) {
      showToast("info", "Nothing changed.");
      await props.onCancel$();
      return;
    }
    state.busy = true;
    try {
      if (existing) {
        const updated = await api.put<TestCase>(
          `/api/tool-suites/${encodeURIComponent(props.suiteId)}/cases/${encodeURIComponent(existing.id)}`,
          body,
        );
        initial.value = snapshot;
        setDirty(prefix, false);
        showToast("success", `${`Saved case ${props.position ?? ""}`.trim()}.`);
        await props.onSaved$(updated);
      } else {
        await api.post(`/api/tool-suites/${encodeURIComponent(props.suiteId)}/cases`, body);
        initial.value = snapshot;
        setDirty(prefix, false);
        showToast("success", "Case added.");
        await props.onSaved$(null);
      }
    } catch (err) {
      const server: FormState["server"] = {};
      const rest: string[] = [];
      if (err instanceof ApiError) {
        for (const d of err.details) {
          const field = draftFieldOf(d.path);
          if (field && !server[field]) server[field] = { message: d.message, text: String(snapshot[field]) };
          else if (!field) rest.push(d.path ? `${d.path}: ${d.message}` : d.message);
        }
      }
      state.server = server;
      state.formError = describeError(err).message;
      state.formDetails = rest;
    } finally {
      state.busy = false;
    }
  });

  const clientErrors = validateDraft(draft);
  const errorFor = (field: DraftField): string | undefined => {
    const server = state.server[field];
    if (server && server.text === String(draft[field])) return server.message;
    return state.submitted || state.touched.includes(field) ? clientErrors[field] : undefined;
  };
  const invalid = (field: DraftField) => (errorFor(field) ? "true" : undefined);
  const errorLine = (field: DraftField) => {
    const message = errorFor(field);
    return message ? (
      <p class="field-error" id={`${prefix}-${field}-error`} data-testid={`case-error-${field}`}>
        {message}
      </p>
    ) : null;
  };
  const describedBy = (field: DraftField, hint = true) =>
    [errorFor(field) ? `${prefix}-${field}-error` : "", hint ? `${prefix}-${field}-hint` : ""].filter(Boolean).join(" ") || undefined;

  const unknownTools = draft.no_tool ? [] : splitList(draft.expected_tool).filter((n) => props.toolNames.length && !props.toolNames.includes(n));
  const unknownPrereqs = splitList(draft.valid_prerequisites).filter((n) => props.toolNames.length && !props.toolNames.includes(n));
  const categories = [...new Set([...props.categories, ...COMMON_CATEGORIES])];
  const listId = `${prefix}-tools`;

  return (
    <form class="te-case-form" data-testid="case-form" preventdefault:submit onSubmit$={save} noValidate>
      <div class="te-case-form-head">
        <h3>{existing ? `Edit case ${props.position ?? ""}` : "New test case"}</h3>
        {existing && <span class="muted small mono">{existing.id}</span>}
      </div>

      <datalist id={listId}>
        {props.toolNames.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <datalist id={`${prefix}-categories`}>
        {categories.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>

      <div class="field">
        <label for={`${prefix}-prompt`}>User message</label>
        <textarea
          id={`${prefix}-prompt`}
          name="prompt"
          rows={3}
          maxLength={50_000}
          value={draft.prompt}
          aria-invalid={invalid("prompt")}
          aria-describedby={describedBy("prompt", false)}
          data-testid="case-prompt"
          onInput$={(_, el) => edit("prompt", el.value)}
        />
        {errorLine("prompt")}
      </div>

      <fieldset class="te-fieldset">
        <legend>Expected call</legend>
        <div class="te-expected-row">
          <div class="field">
            <label for={`${prefix}-expected_tool`}>Expected tool</label>
            <input
              id={`${prefix}-expected_tool`}
              name="expected_tool"
              type="text"
              class="mono"
              {...datalist(listId)}
              autoComplete="off"
              spellcheck={false}
              disabled={draft.no_tool}
              placeholder={draft.no_tool ? "no tool" : "tool_name — or several, comma-separated"}
              value={draft.no_tool ? "" : draft.expected_tool}
              aria-invalid={invalid("expected_tool")}
              aria-describedby={describedBy("expected_tool")}
              data-testid="case-expected-tool"
              onInput$={(_, el) => edit("expected_tool", el.value)}
            />
            <p class="field-hint" id={`${prefix}-expected_tool-hint`}>
              Several names = any of them is right (one call), or one name per call when the parameters below are a list (parallel calls).
              {unknownTools.length > 0 && <span class="te-warn"> Not in this suite: {unknownTools.join(", ")}.</span>}
            </p>
            {errorLine("expected_tool")}
          </div>
          <label class="te-check te-no-tool">
            <input
              type="checkbox"
              name="no_tool"
              checked={draft.no_tool}
              data-testid="case-no-tool"
              onChange$={(_, el) => {
                void edit("no_tool", el.checked);
                void edit("should_call_tool", !el.checked);
              }}
            />
            <span>No tool expected</span>
          </label>
        </div>

        <SwitchRow
          id={`${prefix}-should_call_tool`}
          name="should_call_tool"
          label="Model should call a tool"
          hint="Off = an irrelevance case: the right answer is to make no call."
          checked={draft.should_call_tool}
          testId="case-should-call"
          onChange$={$((_: Event, el: HTMLInputElement) => {
            edit("should_call_tool", el.checked);
          })}
        />
        {errorLine("should_call_tool")}

        <div class="field">
          <label for={`${prefix}-expected_params`}>Expected parameters (JSON)</label>
          <textarea
            id={`${prefix}-expected_params`}
            name="expected_params"
            rows={Math.min(12, Math.max(3, draft.expected_params.split("\n").length))}
            class="mono te-json"
            spellcheck={false}
            placeholder={'{"city": "Paris"}'}
            value={draft.expected_params}
            aria-invalid={invalid("expected_params")}
            aria-describedby={describedBy("expected_params")}
            data-testid="case-expected-params"
            onInput$={(_, el) => edit("expected_params", el.value)}
          />
          <p class="field-hint" id={`${prefix}-expected_params-hint`}>
            Values the call must have (extra arguments are ignored). A list of objects = parallel calls. Empty = don't score parameters; {"{}"} =
            always right.
          </p>
          {errorLine("expected_params")}
        </div>

        <div class="form-grid">
          <div class="field">
            <label for={`${prefix}-param_scoring`}>Parameter matching</label>
            <select
              id={`${prefix}-param_scoring`}
              name="param_scoring"
              aria-invalid={invalid("param_scoring")}
              data-testid="case-param-scoring"
              onChange$={(_, el) => edit("param_scoring", el.value as MatchMode)}
            >
              {MATCH_MODES.map((m) => (
                <option key={m} value={m} selected={draft.param_scoring === m}>
                  {MATCH_MODE_LABELS[m]}
                </option>
              ))}
            </select>
            {errorLine("param_scoring")}
          </div>
          <div class="field">
            <label for={`${prefix}-epsilon`}>Epsilon</label>
            <input
              id={`${prefix}-epsilon`}
              name="epsilon"
              type="number"
              step="any"
              min={0}
              inputMode="decimal"
              placeholder="0.01"
              disabled={draft.param_scoring !== "numeric_tolerance" && draft.epsilon === ""}
              value={draft.epsilon}
              aria-invalid={invalid("epsilon")}
              aria-describedby={describedBy("epsilon")}
              data-testid="case-epsilon"
              onInput$={(_, el) => edit("epsilon", el.value)}
            />
            <p class="field-hint" id={`${prefix}-epsilon-hint`}>
              Numeric tolerance only (scoring_config.epsilon).
            </p>
            {errorLine("epsilon")}
          </div>
          <div class="field">
            <label for={`${prefix}-category`}>Category</label>
            <input
              id={`${prefix}-category`}
              name="category"
              type="text"
              {...datalist(`${prefix}-categories`)}
              maxLength={64}
              autoComplete="off"
              placeholder="optional, e.g. simple"
              value={draft.category}
              aria-invalid={invalid("category")}
              data-testid="case-category"
              onInput$={(_, el) => edit("category", el.value)}
            />
            {errorLine("category")}
          </div>
        </div>
      </fieldset>

      <fieldset class="te-fieldset">
        <legend>Multi-turn</legend>
        <SwitchRow
          id={`${prefix}-multi_turn`}
          name="multi_turn"
          label="Multi-turn case"
          hint="The model may call other tools first; their answers come from the mock responses."
          checked={draft.multi_turn}
          testId="case-multi-turn"
          onChange$={$((_: Event, el: HTMLInputElement) => {
            edit("multi_turn", el.checked);
          })}
        />
        {draft.multi_turn && (
          <div class="te-multi" data-testid="case-multi-fields">
            <div class="form-grid">
              <div class="field">
                <label for={`${prefix}-max_rounds`}>Max rounds</label>
                <input
                  id={`${prefix}-max_rounds`}
                  name="max_rounds"
                  type="number"
                  min={1}
                  max={20}
                  step={1}
                  inputMode="numeric"
                  value={draft.max_rounds}
                  aria-invalid={invalid("max_rounds")}
                  data-testid="case-max-rounds"
                  onInput$={(_, el) => edit("max_rounds", el.value)}
                />
                {errorLine("max_rounds")}
              </div>
              <div class="field">
                <label for={`${prefix}-optimal_hops`}>Optimal hops</label>
                <input
                  id={`${prefix}-optimal_hops`}
                  name="optimal_hops"
                  type="number"
                  min={1}
                  max={20}
                  step={1}
                  inputMode="numeric"
                  value={draft.optimal_hops}
                  aria-invalid={invalid("optimal_hops")}
                  data-testid="case-optimal-hops"
                  onInput$={(_, el) => edit("optimal_hops", el.value)}
                />
                {errorLine("optimal_hops")}
              </div>
              <div class="field">
                <label for={`${prefix}-valid_prerequisites`}>Valid prerequisites</label>
                <input
                  id={`${prefix}-valid_prerequisites`}
                  name="valid_prerequisites"
                  type="text"
                  class="mono"
                  autoComplete="off"
                  spellcheck={false}
                  placeholder="get_time, get_weather"
                  value={draft.valid_prerequisites}
                  aria-invalid={invalid("valid_prerequisites")}
                  aria-describedby={describedBy("valid_prerequisites")}
                  data-testid="case-valid-prerequisites"
                  onInput$={(_, el) => edit("valid_prerequisites", el.value)}
                />
                <p class="field-hint" id={`${prefix}-valid_prerequisites-hint`}>
                  Tools that may be called before the expected one without a detour penalty.
                  {unknownPrereqs.length > 0 && <span class="te-warn"> Not in this suite: {unknownPrereqs.join(", ")}.</span>}
                </p>
                {errorLine("valid_prerequisites")}
              </div>
            </div>
            <div class="field">
              <label for={`${prefix}-mock_responses`}>Mock responses (JSON)</label>
              <textarea
                id={`${prefix}-mock_responses`}
                name="mock_responses"
                rows={Math.min(12, Math.max(3, draft.mock_responses.split("\n").length))}
                class="mono te-json"
                spellcheck={false}
                placeholder={'{"get_time": {"time": "09:30"}}'}
                value={draft.mock_responses}
                aria-invalid={invalid("mock_responses")}
                aria-describedby={describedBy("mock_responses")}
                data-testid="case-mock-responses"
                onInput$={(_, el) => edit("mock_responses", el.value)}
              />
              <p class="field-hint" id={`${prefix}-mock_responses-hint`}>
                What each tool returns when the model calls it: {"{"}"tool_name": object or text{"}"}. Unlisted tools return {'{"status": "ok"}'}.
              </p>
              {errorLine("mock_responses")}
            </div>
          </div>
        )}
      </fieldset>

      {state.formError && (
        <div class="inline-error" role="alert" data-testid="case-form-error">
          <span>{state.formError}</span>
          {state.formDetails.length > 0 && (
            <ul class="te-issues">
              {state.formDetails.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" disabled={state.busy} data-testid="case-save">
          {state.busy ? "Saving…" : existing ? "Save case" : "Add case"}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" data-testid="case-cancel" onClick$={() => props.onCancel$()}>
          Cancel
        </button>
        {props.onDelete$ && (
          <button
            type="button"
            class="btn btn-danger-ghost btn-sm push-right"
            disabled={state.busy}
            data-testid="case-delete"
            onClick$={() => props.onDelete$?.()}
          >
            Delete case
          </button>
        )}
      </div>
    </form>
  );
});
