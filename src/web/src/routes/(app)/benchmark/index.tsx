// Benchmark placeholder: planned features plus the user's real configured models, grouped by provider.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { Link, type DocumentHead } from "@builder.io/qwik-city";
import { PlaceholderPage } from "~/components/placeholder-page";
import { api } from "~/lib/api-client";
import { onConfigChanged } from "~/lib/event-bus";
import { formatPrice, formatTokens } from "~/lib/format";
import { describeError } from "~/lib/http";
import type { ConfigResponse, ProviderWithModels } from "~/lib/types";

interface BenchmarkState {
  loading: boolean;
  error: string;
  providers: ProviderWithModels[];
}

export default component$(() => {
  const state = useStore<BenchmarkState>({ loading: true, error: "", providers: [] });

  const load = $(async () => {
    try {
      const config = await api.get<ConfigResponse>("/api/config");
      state.providers = config.providers;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(({ cleanup }) => {
    void load();
    cleanup(onConfigChanged(["providers", "models", "keys"], () => void load()));
  });

  const withModels = state.providers.filter((p) => p.models.length > 0);
  const modelCount = withModels.reduce((n, p) => n + p.models.length, 0);

  return (
    <PlaceholderPage
      title="Benchmark"
      summary="Benchmark will run the same prompt against many models at once and measure what users feel: time to first token, output speed and cost. The runner is being built; below are the models it will be able to use."
      planned={[
        "Model grid grouped by provider — pick any mix to run in parallel",
        "Context tiers (e.g. 0 / 1K / 5K tokens of filler) and a stress mode with repeated runs",
        "Live per-provider progress while the run streams",
        "TTFT and output-speed charts, with cost per run",
        "CSV and JSON export of every result",
      ]}
    >
      <section class="card" aria-labelledby="models-heading" data-testid="configured-models">
        <div class="card-head">
          <div>
            <h2 id="models-heading" class="card-title">
              Your configured models
            </h2>
            <p class="muted small">
              {state.loading
                ? "Loading…"
                : `${modelCount} model${modelCount === 1 ? "" : "s"} across ${withModels.length} provider${withModels.length === 1 ? "" : "s"}`}
            </p>
          </div>
          <Link href="/settings/providers/" class="btn btn-ghost btn-sm">
            Manage models
          </Link>
        </div>

        {state.error && (
          <div class="inline-error" role="alert">
            {state.error}{" "}
            <button type="button" class="link-btn" onClick$={load}>
              Retry
            </button>
          </div>
        )}

        {state.loading && !state.error && (
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-row" />
            <span class="skeleton-row" />
            <span class="skeleton-row" />
          </div>
        )}

        {!state.loading && !state.error && withModels.length === 0 && (
          <p class="muted">
            No models configured yet. <Link href="/settings/providers/">Add a provider and models</Link> to get started.
          </p>
        )}

        <div class="model-groups">
          {withModels.map((provider) => (
            <div key={provider.id} class="model-group">
              <h3 class="model-group-title">
                {provider.display_name}
                <span class="muted small mono">{provider.provider_key}</span>
              </h3>
              <ul class="model-chips">
                {provider.models.map((m) => (
                  <li key={m.id} class="model-chip" title={m.model_id}>
                    <span class="model-chip-name">{m.display_name || m.model_id}</span>
                    <span class="model-chip-meta">
                      {m.context_window ? `${formatTokens(m.context_window)} ctx` : "ctx unknown"}
                      {m.input_cost_per_mtok !== null || m.output_cost_per_mtok !== null
                        ? ` · ${formatPrice(m.input_cost_per_mtok)} / ${formatPrice(m.output_cost_per_mtok)} per 1M`
                        : ""}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>
    </PlaceholderPage>
  );
});

export const head: DocumentHead = { title: "Benchmark" };
