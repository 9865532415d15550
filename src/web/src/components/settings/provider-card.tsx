// One provider: summary, edit/delete, and an expandable model list with per-model editors.
import { $, component$, type PropFunction, useSignal } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import { formatPrice, formatTokens } from "~/lib/format";
import { showToast, toastError } from "~/lib/toast";
import type { Model, ProviderSource, ProviderWithModels } from "~/lib/types";
import { Badge, type BadgeTone } from "../badge";
import { DiscoverModels } from "./discover-models";
import { ModelEditor } from "./model-editor";
import { ProviderForm } from "./provider-form";

const SOURCE_BADGE: Record<ProviderSource, { label: string; tone: BadgeTone }> = {
  catalogue: { label: "CATALOGUE", tone: "blue" },
  custom: { label: "CUSTOM", tone: "lime" },
  simulator: { label: "SIMULATOR", tone: "teal" },
};

export const ProviderCard = component$<{ provider: ProviderWithModels; onChanged$: PropFunction<() => Promise<void>> }>(
  ({ provider, onChanged$ }) => {
    const expanded = useSignal(false);
    const editing = useSignal(false);
    const addingModel = useSignal(false);
    const editingModelId = useSignal<string | null>(null);
    const busy = useSignal(false);

    const deleteProvider = $(async () => {
      const count = provider.models.length;
      const ok = await confirmAction({
        title: `Delete ${provider.display_name}?`,
        message:
          count > 0
            ? `This also deletes its ${count} model${count === 1 ? "" : "s"} and your stored key for it.`
            : "Your stored key for it is deleted too.",
        confirmLabel: "Delete provider",
      });
      if (!ok) return;
      busy.value = true;
      try {
        await api.del(`/api/v2/providers/${encodeURIComponent(provider.id)}`);
        showToast("success", `Deleted ${provider.display_name}.`);
        await onChanged$();
      } catch (err) {
        toastError(err);
      } finally {
        busy.value = false;
      }
    });

    const deleteModel = $(async (model: Model) => {
      const ok = await confirmAction({
        title: `Delete ${model.display_name || model.model_id}?`,
        message: "It disappears from the benchmark model grid. Past results are kept.",
        confirmLabel: "Delete model",
      });
      if (!ok) return;
      try {
        await api.del(`/api/v2/models/${encodeURIComponent(model.id)}`);
        showToast("success", `Deleted ${model.model_id}.`);
        if (editingModelId.value === model.id) editingModelId.value = null;
        await onChanged$();
      } catch (err) {
        toastError(err);
      }
    });

    const source = SOURCE_BADGE[provider.source] ?? SOURCE_BADGE.custom;
    const modelCount = provider.models.length || provider.model_count;
    const panelId = `models-${provider.id}`;

    return (
      <article class="card provider-card" data-testid={`provider-card-${provider.provider_key}`}>
        <div class="provider-head">
          <div class="provider-id">
            <h3 class="provider-name">{provider.display_name}</h3>
            <div class="provider-meta">
              <span class="mono">{provider.provider_key}</span>
              <Badge tone="outline">{provider.api_kind === "anthropic" ? "Anthropic API" : "OpenAI API"}</Badge>
              <Badge tone={source.tone}>{source.label}</Badge>
              {provider.is_local && <Badge tone="teal">LOCAL</Badge>}
            </div>
            <p class="provider-url mono small" title={provider.api_base ?? ""}>
              {provider.api_base || "default endpoint"}
              {provider.api_key_env && <span class="muted"> · {provider.api_key_env}</span>}
            </p>
          </div>
          <div class="provider-actions">
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              aria-expanded={editing.value}
              onClick$={() => (editing.value = !editing.value)}
              data-testid={`provider-edit-${provider.provider_key}`}
            >
              {editing.value ? "Close" : "Edit"}
            </button>
            <button
              type="button"
              class="btn btn-danger-ghost btn-sm"
              disabled={busy.value}
              onClick$={deleteProvider}
              data-testid={`provider-delete-${provider.provider_key}`}
            >
              Delete
            </button>
          </div>
        </div>

        {editing.value && (
          <div class="provider-edit">
            <ProviderForm
              provider={provider}
              onSaved$={async () => {
                editing.value = false;
                await onChanged$();
              }}
              onCancel$={() => (editing.value = false)}
            />
          </div>
        )}

        <button
          type="button"
          class="models-toggle"
          aria-expanded={expanded.value}
          aria-controls={panelId}
          data-testid={`provider-models-toggle-${provider.provider_key}`}
          onClick$={() => (expanded.value = !expanded.value)}
        >
          <span class={`chevron${expanded.value ? " is-open" : ""}`} aria-hidden="true">
            ›
          </span>
          {modelCount} model{modelCount === 1 ? "" : "s"}
        </button>

        {expanded.value && (
          <div id={panelId} class="models-panel">
            {provider.models.length === 0 && <p class="muted small">No models yet.</p>}
            <ul class="model-list">
              {provider.models.map((model) => {
                const isEditing = editingModelId.value === model.id;
                return (
                  <li key={model.id} class="model-row" data-testid={`model-row-${model.model_id}`}>
                    <div class="model-summary">
                      <div class="model-names">
                        <span class="mono model-id">{model.model_id}</span>
                        {model.display_name && model.display_name !== model.model_id && <span class="muted small">{model.display_name}</span>}
                      </div>
                      <dl class="model-stats">
                        <div>
                          <dt>Context</dt>
                          <dd>{formatTokens(model.context_window)}</dd>
                        </div>
                        <div>
                          <dt>Max out</dt>
                          <dd>{formatTokens(model.max_output_tokens)}</dd>
                        </div>
                        <div>
                          <dt>In / Out $/1M</dt>
                          <dd>
                            {formatPrice(model.input_cost_per_mtok)} / {formatPrice(model.output_cost_per_mtok)}
                          </dd>
                        </div>
                      </dl>
                      <div class="model-actions">
                        <button
                          type="button"
                          class="btn btn-ghost btn-sm"
                          aria-expanded={isEditing}
                          data-testid={`model-edit-${model.model_id}`}
                          onClick$={() => (editingModelId.value = isEditing ? null : model.id)}
                        >
                          {isEditing ? "Close" : "Settings"}
                        </button>
                        <button
                          type="button"
                          class="btn btn-danger-ghost btn-sm"
                          data-testid={`model-delete-${model.model_id}`}
                          onClick$={() => deleteModel(model)}
                        >
                          Delete
                        </button>
                      </div>
                    </div>
                    {model.skip_params.length > 0 && !isEditing && (
                      <div class="model-skip small muted">
                        skips:{" "}
                        {model.skip_params.map((p) => (
                          <span key={p} class="chip chip-static mono">
                            {p}
                          </span>
                        ))}
                      </div>
                    )}
                    {isEditing && (
                      <ModelEditor
                        providerId={provider.id}
                        providerKey={provider.provider_key}
                        model={model}
                        onSaved$={async () => {
                          editingModelId.value = null;
                          await onChanged$();
                        }}
                        onCancel$={() => (editingModelId.value = null)}
                        onDelete$={() => deleteModel(model)}
                      />
                    )}
                  </li>
                );
              })}
            </ul>

            <DiscoverModels providerId={provider.id} providerKey={provider.provider_key} isLocal={provider.is_local} onAdded$={onChanged$} />

            {addingModel.value ? (
              <div class="add-model">
                <h4 class="subheading">Add a model to {provider.display_name}</h4>
                <ModelEditor
                  providerId={provider.id}
                  providerKey={provider.provider_key}
                  onSaved$={async () => {
                    addingModel.value = false;
                    await onChanged$();
                  }}
                  onCancel$={() => (addingModel.value = false)}
                />
              </div>
            ) : (
              <button
                type="button"
                class="btn btn-ghost btn-sm add-model-btn"
                data-testid={`add-model-${provider.provider_key}`}
                onClick$={() => (addingModel.value = true)}
              >
                + Add model
              </button>
            )}
          </div>
        )}
      </article>
    );
  },
);
