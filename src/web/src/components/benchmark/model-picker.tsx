// Model grid grouped by provider: checkboxes, select all/none per provider and globally, key status hints.
import { $, component$, sync$, useStore } from "@builder.io/qwik";
import { formatTokens } from "~/lib/format";
import { AppLink } from "../app-link";
import { Badge } from "../badge";
import { KEY_BADGES } from "../settings/key-status-badge";
import { modelKey, type ProviderOption } from "./form-state";

export interface ModelPickerProps {
  /** Any form with a `selected` list of `modelKey()` strings (Benchmark, Tool Eval). */
  form: { selected: string[] };
  providers: ProviderOption[];
  loading: boolean;
  disabled: boolean;
}

export const ModelPicker = component$<ModelPickerProps>(({ form, providers, loading, disabled }) => {
  /** Groups the user collapsed (all start open so every checkbox is reachable). */
  const expanded = useStore<Record<string, boolean>>({});
  const total = providers.reduce((n, p) => n + p.models.length, 0);
  const selectedCount = form.selected.length;

  // The checkboxes are the source of truth at event time: bulk buttons flip them synchronously (sync$), then
  // every handler copies the checked set into the form, so late-loading handlers can never undo a later click.
  const flipCheckboxes = sync$((_: Event, button: HTMLElement) => {
    const scope = button.closest("[data-select-scope]");
    const on = button.getAttribute("data-select") === "all";
    scope?.querySelectorAll<HTMLInputElement>("input[data-model-key]").forEach((box) => {
      if (!box.disabled) box.checked = on;
    });
  });
  const readCheckboxes = $((_: Event, el: HTMLElement) => {
    const root = el.closest(".bench-models");
    if (!root) return;
    form.selected = [...root.querySelectorAll<HTMLInputElement>("input[data-model-key]:checked")].map((box) => box.dataset.modelKey ?? "");
  });

  return (
    <section class="card bench-models" aria-labelledby="models-heading" data-select-scope>
      <div class="card-head">
        <div>
          <h2 id="models-heading" class="card-title">
            Models
          </h2>
          <p class="muted small" aria-live="polite" data-testid="selected-count">
            {loading ? "Loading your models…" : `${selectedCount} of ${total} selected`}
          </p>
        </div>
        <div class="btn-row">
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            data-testid="select-all"
            data-select="all"
            disabled={disabled || loading || selectedCount === total}
            onClick$={[flipCheckboxes, readCheckboxes]}
          >
            Select all
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            data-testid="select-none"
            data-select="none"
            disabled={disabled || loading || selectedCount === 0}
            onClick$={[flipCheckboxes, readCheckboxes]}
          >
            None
          </button>
        </div>
      </div>

      {loading && (
        <div class="skeleton-list" aria-hidden="true">
          <span class="skeleton-row" />
          <span class="skeleton-row" />
          <span class="skeleton-row" />
        </div>
      )}

      {!loading && total === 0 && (
        <p class="muted">
          No models configured yet. <AppLink href="/settings/providers/">Add a provider and models</AppLink> to start.
        </p>
      )}

      <div class="provider-groups">
        {providers.map((p) => {
          const keys = p.models.map(modelKey);
          const chosen = keys.filter((k) => form.selected.includes(k)).length;
          const needsKey = p.key_status === "not_set";
          const badge = p.key_status ? KEY_BADGES[p.key_status] : null;
          const isOpen = expanded[p.provider_key] ?? true;
          const panelId = `models-of-${p.provider_key}`.replace(/[^a-zA-Z0-9_-]/g, "_");
          return (
            <fieldset
              key={p.provider_key}
              class={`provider-group${isOpen ? "" : " is-collapsed"}${needsKey ? " is-keyless" : ""}`}
              data-select-scope
              data-testid={`provider-group-${p.provider_key}`}
            >
              <legend class="sr-only">{p.display_name}</legend>
              <div class="provider-group-head">
                <div class="provider-group-title">
                  <button
                    type="button"
                    class="provider-group-toggle"
                    aria-expanded={isOpen}
                    aria-controls={panelId}
                    onClick$={() => (expanded[p.provider_key] = !isOpen)}
                  >
                    <span class={`chevron${isOpen ? " is-open" : ""}`} aria-hidden="true">
                      ›
                    </span>
                    <span class="provider-group-name">{p.display_name}</span>
                  </button>
                  {badge && (
                    <Badge tone={needsKey ? "amber" : badge.tone} title={badge.title}>
                      {needsKey ? "NO KEY" : badge.label}
                    </Badge>
                  )}
                  <span class="muted small">
                    {chosen}/{keys.length}
                  </span>
                </div>
                <div class="provider-group-actions">
                  <button
                    type="button"
                    class="link-btn small"
                    data-select="all"
                    disabled={disabled || chosen === keys.length}
                    aria-label={`Select all ${p.display_name} models`}
                    onClick$={[flipCheckboxes, readCheckboxes]}
                  >
                    All
                  </button>
                  <span class="muted small" aria-hidden="true">
                    ·
                  </span>
                  <button
                    type="button"
                    class="link-btn small"
                    data-select="none"
                    disabled={disabled || chosen === 0}
                    aria-label={`Select no ${p.display_name} models`}
                    onClick$={[flipCheckboxes, readCheckboxes]}
                  >
                    None
                  </button>
                </div>
              </div>
              {needsKey && isOpen && (
                <p class="provider-group-hint small">
                  No API key set — runs will fail. <AppLink href="/settings/keys/">Add a key</AppLink>
                </p>
              )}
              <div class="model-options" id={panelId} hidden={!isOpen}>
                {p.models.map((m) => {
                  const key = modelKey(m);
                  const checked = form.selected.includes(key);
                  const id = `model-${p.provider_key}-${m.model_id}`.replace(/[^a-zA-Z0-9_-]/g, "_");
                  return (
                    <label key={key} for={id} class={`model-option${checked ? " is-selected" : ""}`} title={m.model_id}>
                      <input
                        id={id}
                        type="checkbox"
                        checked={checked}
                        disabled={disabled}
                        data-testid={`model-checkbox-${p.provider_key}-${m.model_id}`}
                        data-model-key={key}
                        onChange$={readCheckboxes}
                      />
                      <span class="model-option-text">
                        <span class="model-option-name">{m.display_name}</span>
                        <span class="model-option-meta">
                          {m.display_name !== m.model_id && <span class="mono">{m.model_id}</span>}
                          {m.context_window ? <span>{formatTokens(m.context_window)} ctx</span> : null}
                        </span>
                      </span>
                    </label>
                  );
                })}
              </div>
            </fieldset>
          );
        })}
      </div>
    </section>
  );
});
