// MCP import: URL + transport → Discover (POST /api/mcp/discover) → tick tools → suite name/description and
// "generate test cases" → Import (POST /api/mcp/import) → the caller opens the new suite.

import { $, component$, type PropFunction, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { TextField } from "~/components/text-field";
import { api } from "~/lib/api-client";
import { ApiError, describeError } from "~/lib/http";
import type { McpDiscoverResponse, McpImportResponse, McpTool, McpTransport } from "~/lib/tool-suite-types";
import { SwitchRow } from "../switch-row";

export interface McpImportDialogProps {
  open: boolean;
  onClose$: PropFunction<() => void>;
  onImported$: PropFunction<(result: McpImportResponse) => Promise<void>>;
}

interface DialogState {
  url: string;
  transport: McpTransport;
  discovering: boolean;
  error: string;
  serverName: string;
  serverTransport: string;
  /** The server answered but listed no tools. */
  noTools: string;
  /** Indexes into the discovered list: a server may list two tools with one name (the import renames them). */
  selected: number[];
  suiteName: string;
  suiteDescription: string;
  generate: boolean;
  importing: boolean;
  importError: string;
  importDetails: string[];
}

const TRANSPORTS: Array<{ value: McpTransport; label: string }> = [
  { value: "auto", label: "Auto-detect" },
  { value: "streamable_http", label: "Streamable HTTP" },
  { value: "sse", label: "SSE (legacy)" },
];

/** The name the server gives a suite when none is typed (spec §8.10). */
function defaultSuiteName(names: string[]): string {
  return `MCP: ${names.slice(0, 3).join(", ")}${names.length > 3 ? "..." : ""}`;
}

function validUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

function discoverMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 504) return `${err.message} (the server did not answer in time)`;
    if (err.status === 502) return `${err.message} (not reachable, or not an MCP server)`;
  }
  return describeError(err).message;
}

export const McpImportDialog = component$<McpImportDialogProps>((props) => {
  const dialogRef = useSignal<HTMLDialogElement>();
  const tools = useSignal<McpTool[]>([]);
  const state = useStore<DialogState>({
    url: "",
    transport: "auto",
    discovering: false,
    error: "",
    serverName: "",
    serverTransport: "",
    noTools: "",
    selected: [],
    suiteName: "",
    suiteDescription: "",
    generate: true,
    importing: false,
    importError: "",
    importDetails: [],
  });

  // document-ready: a closed <dialog> is never "visible", so the default strategy would never run this.
  useVisibleTask$(
    ({ track }) => {
      const open = track(() => props.open);
      const dialog = dialogRef.value;
      if (!dialog) return;
      if (open && !dialog.open) dialog.showModal();
      if (!open && dialog.open) dialog.close();
    },
    { strategy: "document-ready" },
  );

  const discover = $(async () => {
    const url = state.url.trim();
    if (!validUrl(url)) {
      state.error = "Enter the server's http:// or https:// URL.";
      return;
    }
    state.discovering = true;
    state.error = "";
    state.noTools = "";
    try {
      const res = await api.post<McpDiscoverResponse>("/api/mcp/discover", { url, transport: state.transport });
      tools.value = res.tools ?? [];
      state.serverName = res.server_name;
      state.serverTransport = res.transport;
      state.selected = tools.value.map((_, i) => i);
      if (res.error || tools.value.length === 0) state.noTools = res.error ?? "The server lists no tools.";
    } catch (err) {
      tools.value = [];
      state.serverName = "";
      state.error = discoverMessage(err);
    } finally {
      state.discovering = false;
    }
  });

  const runImport = $(async () => {
    const chosen = tools.value.filter((_, i) => state.selected.includes(i));
    if (chosen.length === 0) {
      state.importError = "Tick at least one tool.";
      return;
    }
    state.importing = true;
    state.importError = "";
    state.importDetails = [];
    try {
      const body: Record<string, unknown> = { tools: chosen, generate_test_cases: state.generate };
      if (state.suiteName.trim()) body.suite_name = state.suiteName.trim();
      if (state.suiteDescription.trim()) body.suite_description = state.suiteDescription.trim();
      const res = await api.post<McpImportResponse>("/api/mcp/import", body);
      await props.onImported$(res);
    } catch (err) {
      const { message, details } = describeError(err);
      state.importError = message;
      state.importDetails = details;
    } finally {
      state.importing = false;
    }
  });

  const list = tools.value;
  const allSelected = list.length > 0 && state.selected.length === list.length;

  return (
    <dialog ref={dialogRef} class="modal-dialog mcp-dialog" aria-labelledby="mcp-title" data-testid="mcp-dialog" onCancel$={() => props.onClose$()}>
      <div class="modal-head">
        <h2 id="mcp-title">Import tools from an MCP server</h2>
        <button type="button" class="icon-btn" aria-label="Close" data-testid="mcp-close" onClick$={() => props.onClose$()}>
          ×
        </button>
      </div>

      <form class="mcp-connect" preventdefault:submit onSubmit$={discover} noValidate>
        <div class="field mcp-url-field">
          <label for="mcp-url">Server URL</label>
          <input
            id="mcp-url"
            name="url"
            type="url"
            class="mono"
            placeholder="https://example.com/mcp"
            autoComplete="off"
            spellcheck={false}
            value={state.url}
            aria-invalid={state.error ? "true" : undefined}
            data-testid="mcp-url"
            onInput$={(_, el) => (state.url = el.value)}
          />
        </div>
        <div class="field">
          <label for="mcp-transport">Transport</label>
          <select id="mcp-transport" name="transport" data-testid="mcp-transport" onChange$={(_, el) => (state.transport = el.value as McpTransport)}>
            {TRANSPORTS.map((t) => (
              <option key={t.value} value={t.value} selected={state.transport === t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-primary mcp-discover" disabled={state.discovering} data-testid="mcp-discover">
          {state.discovering ? "Connecting…" : "Discover"}
        </button>
      </form>
      {state.error && (
        <p class="inline-error" role="alert" data-testid="mcp-error">
          {state.error}
        </p>
      )}

      {state.serverName && (
        <div class="mcp-result">
          <p class="muted small">
            <span class="text-strong">{state.serverName}</span> · {list.length} tool{list.length === 1 ? "" : "s"}
            {state.serverTransport ? ` · ${state.serverTransport}` : ""}
          </p>
          {state.noTools ? (
            <p class="callout" data-testid="mcp-no-tools">
              {state.noTools}
            </p>
          ) : (
            <>
              <div class="mcp-tools-head">
                <label class="te-check">
                  <input
                    type="checkbox"
                    checked={allSelected}
                    data-testid="mcp-select-all"
                    onChange$={(_, el) => (state.selected = el.checked ? list.map((_, i) => i) : [])}
                  />
                  <span>
                    {state.selected.length} of {list.length} selected
                  </span>
                </label>
              </div>
              <ul class="mcp-tools" aria-label="Tools offered by the server">
                {list.map((t, i) => (
                  <li key={`${i}:${t.name}`}>
                    <label class="te-check mcp-tool">
                      <input
                        type="checkbox"
                        checked={state.selected.includes(i)}
                        data-testid={`mcp-tool-${t.name}`}
                        onChange$={(_, el) => (state.selected = el.checked ? [...state.selected, i] : state.selected.filter((n) => n !== i))}
                      />
                      <span class="mcp-tool-text">
                        <span class="mono text-strong">{t.name}</span>
                        {t.description && <span class="muted small mcp-tool-desc">{t.description}</span>}
                      </span>
                      <span class="badge badge-grey">
                        {t.parameter_count} param{t.parameter_count === 1 ? "" : "s"}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>

              <div class="form-grid">
                <TextField
                  prefix="mcp-suite"
                  name="name"
                  label="Suite name"
                  maxLength={256}
                  placeholder={defaultSuiteName(list.filter((_, i) => state.selected.includes(i)).map((t) => t.name))}
                  value={state.suiteName}
                  testId="mcp-suite-name"
                  onInput$={$((_: Event, el: HTMLInputElement) => {
                    state.suiteName = el.value;
                  })}
                />
                <TextField
                  prefix="mcp-suite"
                  name="description"
                  label="Description"
                  maxLength={5000}
                  placeholder="optional"
                  value={state.suiteDescription}
                  testId="mcp-suite-description"
                  onInput$={$((_: Event, el: HTMLInputElement) => {
                    state.suiteDescription = el.value;
                  })}
                />
              </div>
              <SwitchRow
                id="mcp-generate"
                label="Generate test cases"
                hint="One case per tool, with example values for its required parameters. Edit them afterwards."
                checked={state.generate}
                testId="mcp-generate"
                onChange$={$((_: Event, el: HTMLInputElement) => {
                  state.generate = el.checked;
                })}
              />
              {state.importError && (
                <div class="inline-error" role="alert" data-testid="mcp-import-error">
                  <span>{state.importError}</span>
                  {state.importDetails.length > 0 && (
                    <ul class="te-issues">
                      {state.importDetails.map((d, i) => (
                        <li key={i}>{d}</li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
            </>
          )}
        </div>
      )}

      <div class="confirm-actions">
        <button type="button" class="btn btn-ghost" onClick$={() => props.onClose$()}>
          Cancel
        </button>
        <button
          type="button"
          class="btn btn-primary"
          disabled={!state.serverName || !!state.noTools || state.selected.length === 0 || state.importing}
          data-testid="mcp-import"
          onClick$={runImport}
        >
          {state.importing
            ? "Importing…"
            : state.selected.length
              ? `Import ${state.selected.length} tool${state.selected.length === 1 ? "" : "s"}`
              : "Import"}
        </button>
      </div>
    </dialog>
  );
});
