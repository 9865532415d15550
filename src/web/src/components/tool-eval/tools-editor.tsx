// The suite's tools as one JSON editor each: live parse and shape errors while typing, the server's JSON-Schema
// errors (PUT /api/tool-suites/{id} → details "tools.<i>.…") under the tool they concern, add, remove, save all.
import { $, component$, type PropFunction, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { ApiError, describeError } from "~/lib/http";
import { isPlainObject, parseJsonText } from "~/lib/json-text";
import { showToast } from "~/lib/toast";
import type { SuiteSummary, Tool } from "~/lib/tool-suite-types";
import { setDirty } from "~/lib/unsaved-guard";

export interface ToolsEditorProps {
  suiteId: string;
  tools: Tool[];
  onSaved$: PropFunction<(tools: Tool[], summary: SuiteSummary) => void>;
}

interface ToolDraft {
  /** Stable list key (drafts are added and removed). */
  key: number;
  text: string;
  open: boolean;
  serverErrors: string[];
}

interface ToolCheck {
  tool: Tool | null;
  error: string;
  name: string;
  paramCount: number;
  requiredCount: number;
  description: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const pretty = (t: Tool) => JSON.stringify(t, null, 2);

/** Parses one tool's text and checks the shape the API requires (the server also checks the JSON Schema). */
function checkTool(text: string): ToolCheck {
  const none = { tool: null, name: "", paramCount: 0, requiredCount: 0, description: "" };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ...none, error: `Invalid JSON: ${parsed.error}` };
  const v = parsed.value;
  if (!isPlainObject(v)) return { ...none, error: 'A tool is a JSON object: {"type": "function", "function": {…}}.' };
  const fn = v.function;
  const name = isPlainObject(fn) && typeof fn.name === "string" ? fn.name : "";
  const params = isPlainObject(fn) && isPlainObject(fn.parameters) ? fn.parameters : null;
  const info = {
    name,
    paramCount: params && isPlainObject(params.properties) ? Object.keys(params.properties).length : 0,
    requiredCount: params && Array.isArray(params.required) ? params.required.length : 0,
    description: isPlainObject(fn) && typeof fn.description === "string" ? fn.description : "",
  };
  let error = "";
  if (v.type !== "function") error = '"type" must be "function".';
  else if (!isPlainObject(fn)) error = '"function" must be an object with a name.';
  else if (!NAME_PATTERN.test(name)) error = "function.name: letters, digits, _ . - (1–64 characters).";
  else if (fn.description !== undefined && typeof fn.description !== "string") error = "function.description must be text.";
  else if (fn.parameters !== undefined && !params) error = "function.parameters must be a JSON Schema object.";
  return { ...info, tool: error ? null : (v as unknown as Tool), error };
}

function isDirty(drafts: ToolDraft[], saved: string[]): boolean {
  return drafts.length !== saved.length || drafts.some((d, i) => d.text !== saved[i]);
}

function draftsOf(tools: Tool[], startKey: number): ToolDraft[] {
  return tools.map((t, i) => ({ key: startKey + i, text: pretty(t), open: tools.length <= 2, serverErrors: [] }));
}

export const ToolsEditor = component$<ToolsEditorProps>((props) => {
  const drafts = useSignal<ToolDraft[]>(draftsOf(props.tools, 0));
  const saved = useSignal<string[]>(props.tools.map(pretty));
  const state = useStore({ nextKey: props.tools.length, busy: false, error: "", details: [] as string[] });

  useVisibleTask$(({ track, cleanup }) => {
    track(() => drafts.value);
    track(() => saved.value);
    setDirty("tools", isDirty(drafts.value, saved.value));
    cleanup(() => setDirty("tools", false));
  });

  const update = $((key: number, patch: Partial<ToolDraft>) => {
    drafts.value = drafts.value.map((d) => (d.key === key ? { ...d, ...patch } : d));
  });

  const addTool = $(() => {
    const names = new Set(drafts.value.map((d) => checkTool(d.text).name));
    let name = "new_tool";
    for (let n = 2; names.has(name); n++) name = `new_tool_${n}`;
    const tool: Tool = {
      type: "function",
      function: { name, description: "", parameters: { type: "object", properties: {}, required: [] } },
    };
    drafts.value = [...drafts.value, { key: state.nextKey, text: pretty(tool), open: true, serverErrors: [] }];
    const key = state.nextKey;
    state.nextKey += 1;
    requestAnimationFrame(() => document.getElementById(`tool-json-${key}`)?.focus());
  });

  const save = $(async () => {
    state.error = "";
    state.details = [];
    const checks = drafts.value.map((d) => checkTool(d.text));
    const bad = checks.findIndex((c) => c.error);
    if (bad >= 0) {
      drafts.value = drafts.value.map((d, i) => (checks[i]!.error ? { ...d, open: true } : d));
      state.error = `Tool ${bad + 1} has a problem; fix it before saving.`;
      return;
    }
    const tools = checks.map((c) => c.tool!);
    state.busy = true;
    try {
      const summary = await api.put<SuiteSummary>(`/api/tool-suites/${encodeURIComponent(props.suiteId)}`, { tools });
      drafts.value = drafts.value.map((d) => ({ ...d, serverErrors: [] }));
      saved.value = drafts.value.map((d) => d.text);
      showToast("success", `Saved ${tools.length} tool${tools.length === 1 ? "" : "s"}.`);
      await props.onSaved$(tools, summary);
    } catch (err) {
      // "tools.3.function.parameters" → tool 3; anything else stays with the card.
      const perTool = new Map<number, string[]>();
      const rest: string[] = [];
      if (err instanceof ApiError) {
        for (const d of err.details) {
          const m = /^tools\.(\d+)(?:\.(.*))?$/.exec(d.path);
          if (m) {
            const i = Number(m[1]);
            perTool.set(i, [...(perTool.get(i) ?? []), m[2] ? `${m[2]}: ${d.message}` : d.message]);
          } else rest.push(d.path ? `${d.path}: ${d.message}` : d.message);
        }
      }
      drafts.value = drafts.value.map((d, i) => {
        const errors = perTool.get(i) ?? [];
        return { ...d, serverErrors: errors, open: d.open || errors.length > 0 };
      });
      state.error = perTool.size
        ? `The server rejected ${perTool.size} tool${perTool.size === 1 ? "" : "s"}: see below.`
        : describeError(err).message;
      state.details = rest;
    } finally {
      state.busy = false;
    }
  });

  const list = drafts.value;
  const checks = list.map((d) => checkTool(d.text));
  const nameCounts = new Map<string, number>();
  for (const c of checks) if (c.name) nameCounts.set(c.name, (nameCounts.get(c.name) ?? 0) + 1);
  const dirty = isDirty(list, saved.value);

  return (
    <section class="card te-tools" data-testid="tools-editor" aria-labelledby="tools-title">
      <div class="card-head">
        <div>
          <h2 id="tools-title" class="card-title">
            Tools <span class="muted">({list.length})</span>
          </h2>
          <p class="muted small">OpenAI function tools; each tool's parameters are a JSON Schema.</p>
        </div>
        <div class="btn-row">
          <button type="button" class="btn btn-ghost btn-sm" data-testid="tool-add" onClick$={addTool}>
            + Add tool
          </button>
          <button type="button" class="btn btn-primary btn-sm" disabled={state.busy || !dirty} data-testid="tools-save" onClick$={save}>
            {state.busy ? "Saving…" : dirty ? "Save tools" : "Saved"}
          </button>
        </div>
      </div>

      {state.error && (
        <div class="inline-error" role="alert" data-testid="tools-error">
          <span>{state.error}</span>
          {state.details.length > 0 && (
            <ul class="te-issues">
              {state.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {list.length === 0 && <p class="muted te-empty-line">No tools yet. Add one, or import a suite that has them.</p>}

      <ol class="te-tool-list">
        {list.map((d, i) => {
          const c = checks[i]!;
          const duplicate = c.name && (nameCounts.get(c.name) ?? 0) > 1 ? `Another tool is also named “${c.name}”.` : "";
          const problem = c.error || duplicate;
          const changed = d.text !== saved.value[i];
          return (
            <li
              key={d.key}
              class={`te-tool${problem || d.serverErrors.length ? " has-error" : ""}`}
              data-testid={`tool-item-${i}`}
              data-tool-name={c.name}
            >
              <div class="te-tool-head">
                <button
                  type="button"
                  class="te-tool-toggle"
                  aria-expanded={d.open}
                  aria-controls={`tool-panel-${d.key}`}
                  data-testid="tool-toggle"
                  onClick$={() => update(d.key, { open: !d.open })}
                >
                  <span class={`chevron${d.open ? " is-open" : ""}`} aria-hidden="true">
                    ›
                  </span>
                  <span class="mono text-strong">{c.name || "(unnamed)"}</span>
                  <span class="badge badge-grey">
                    {c.paramCount} param{c.paramCount === 1 ? "" : "s"}
                    {c.requiredCount ? ` · ${c.requiredCount} required` : ""}
                  </span>
                  {changed && <span class="badge badge-amber">edited</span>}
                  {(problem || d.serverErrors.length > 0) && <span class="badge badge-coral">error</span>}
                  <span class="muted small te-tool-desc">{c.description}</span>
                </button>
                <button
                  type="button"
                  class="btn btn-danger-ghost btn-sm"
                  aria-label={`Remove tool ${c.name || i + 1}`}
                  data-testid="tool-remove"
                  onClick$={() => (drafts.value = drafts.value.filter((x) => x.key !== d.key))}
                >
                  Remove
                </button>
              </div>
              <div id={`tool-panel-${d.key}`} class="te-tool-body" hidden={!d.open}>
                <textarea
                  id={`tool-json-${d.key}`}
                  class="mono te-json"
                  rows={Math.min(24, Math.max(6, d.text.split("\n").length + 1))}
                  spellcheck={false}
                  aria-label={`JSON of tool ${c.name || i + 1}`}
                  aria-invalid={problem || d.serverErrors.length ? "true" : undefined}
                  value={d.text}
                  data-testid="tool-json"
                  onInput$={(_, el) => update(d.key, { text: el.value, serverErrors: [] })}
                />
                {problem && (
                  <p class="field-error" data-testid="tool-error">
                    {problem}
                  </p>
                )}
                {d.serverErrors.length > 0 && (
                  <ul class="field-error te-issues" data-testid="tool-server-error">
                    {d.serverErrors.map((e, j) => (
                      <li key={j}>{e}</li>
                    ))}
                  </ul>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
});
