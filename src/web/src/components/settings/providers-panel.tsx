// Providers & models: add provider, re-add deleted catalogue providers, and one card per provider.

import { $, component$, useStore } from "@builder.io/qwik";
import { ProviderHealthCheck } from "~/components/health/provider-health";
import { api } from "~/lib/api-client";
import { ApiError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import type { CatalogueProvider, ConfigResponse, ProviderWithModels } from "~/lib/types";
import { useLiveLoad } from "~/lib/use-live-load";
import { ProviderCard } from "./provider-card";
import { ProviderForm } from "./provider-form";

interface ProvidersState {
  loading: boolean;
  error: string;
  providers: ProviderWithModels[];
  catalogue: CatalogueProvider[];
  adding: string | null;
}

export const ProvidersPanel = component$(() => {
  const state = useStore<ProvidersState>({ loading: true, error: "", providers: [], catalogue: [], adding: null });

  const load = useLiveLoad(
    state,
    ["providers", "models", "keys"],
    $(async () => {
      const [config, catalogue] = await Promise.all([
        api.get<ConfigResponse>("/api/config"),
        api.get<{ providers: CatalogueProvider[] }>("/api/provider-catalogue").catch(() => ({ providers: [] })),
      ]);
      state.providers = config.providers;
      state.catalogue = catalogue.providers;
    }),
  );

  const addFromCatalogue = $(async (entry: CatalogueProvider) => {
    state.adding = entry.provider_key;
    try {
      try {
        // Restores the provider with its default models (the API's catalogue endpoint).
        await api.post(`/api/provider-catalogue/${encodeURIComponent(entry.provider_key)}`);
      } catch (err) {
        if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 405)) throw err;
        // Older API without that endpoint: create the provider from the catalogue fields.
        await api.post("/api/v2/providers", {
          provider_key: entry.provider_key,
          display_name: entry.display_name,
          api_kind: entry.api_kind,
          api_base: entry.api_base,
          api_key_env: entry.api_key_env,
        });
      }
      showToast("success", `Added ${entry.display_name} back.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.adding = null;
    }
  });

  const present = new Set(state.providers.map((p) => p.provider_key));
  const missingCatalogue = state.catalogue.filter((c) => !(c.configured ?? present.has(c.provider_key)));

  return (
    <div class="settings-panel">
      <div class="panel-head">
        <div>
          <h2>Providers &amp; models</h2>
          <p class="muted small">Each provider is an API endpoint; its models are what you pick when you run a benchmark.</p>
        </div>
        <button
          type="button"
          class="btn btn-sm btn-primary"
          data-testid="add-provider-jump"
          onClick$={() => {
            document.getElementById("add-provider")?.scrollIntoView({ behavior: "smooth", block: "start" });
            document.getElementById("new-provider-display_name")?.focus({ preventScroll: true });
          }}
        >
          + Add provider
        </button>
      </div>

      {state.error && (
        <div class="inline-error" role="alert">
          {state.error}{" "}
          <button type="button" class="link-btn" onClick$={load}>
            Retry
          </button>
        </div>
      )}

      {state.loading && (
        <div class="skeleton-list" role="status" aria-label="Loading providers">
          <span class="skeleton-card" />
          <span class="skeleton-card" />
        </div>
      )}

      {!state.loading && !state.error && state.providers.length === 0 && (
        <div class="card empty-state">
          <p>No providers yet.</p>
          <p class="muted small">Add one below, or add a catalogue provider back.</p>
        </div>
      )}

      <div class="provider-list">
        {state.providers.map((provider) => (
          <ProviderCard key={provider.id} provider={provider} onChanged$={load} />
        ))}
      </div>

      {state.providers.length > 0 && <ProviderHealthCheck />}

      <div class="provider-extras">
        <section id="add-provider" class="card add-provider-card" aria-labelledby="add-provider-title">
          <h3 id="add-provider-title" class="card-title">
            Add a provider
          </h3>
          <p class="muted small">Any OpenAI-compatible or Anthropic-compatible endpoint.</p>
          <ProviderForm onSaved$={load} />
        </section>
        {missingCatalogue.length > 0 && (
          <section class="card catalogue-card" aria-labelledby="catalogue-title" data-testid="catalogue">
            <h3 id="catalogue-title" class="card-title">
              Add from catalogue
            </h3>
            <p class="muted small">Built-in providers you removed. Add them back with one click.</p>
            <ul class="catalogue-list">
              {missingCatalogue.map((entry) => (
                <li key={entry.provider_key} class="catalogue-item">
                  <div>
                    <span class="cell-title">{entry.display_name}</span> <span class="muted small mono">{entry.provider_key}</span>
                  </div>
                  <button
                    type="button"
                    class="btn btn-ghost btn-sm"
                    data-testid={`catalogue-add-${entry.provider_key}`}
                    disabled={state.adding !== null}
                    onClick$={() => addFromCatalogue(entry)}
                  >
                    {state.adding === entry.provider_key ? "Adding…" : "Add"}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
});
