// Discovery picker: the models a provider's own API lists (GET /api/models/discover), merged server-side with the
// catalogue's names and prices, each added with one click; for a local provider, which server answers
// (GET /api/lm-studio/detect). Nothing loads until the user asks.
import { $, component$, type PropFunction, useSignal, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { formatPrice, formatTokens } from "~/lib/format";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";

interface DiscoveredModel {
  id: string;
  display_name: string;
  context_window: number | null;
  max_output_tokens: number | null;
  input_cost_per_mtok: number | null;
  output_cost_per_mtok: number | null;
  price_source: "provider" | "built_in" | null;
  owned_by: string | null;
  in_catalogue: boolean;
  already_added: boolean;
}
interface Detection {
  available: boolean;
  backend: string;
  version: string | null;
  backend_type: string;
  models: Array<{ id: string }>;
  mlx_unsupported_params: string[];
}

const BACKEND_NAMES: Record<string, string> = {
  lm_studio: "LM Studio",
  ollama: "Ollama",
  llama_cpp: "llama.cpp",
  vllm: "vLLM",
  openai_compatible: "an OpenAI-compatible server",
};

export const DiscoverModels = component$<{
  providerId: string;
  providerKey: string;
  isLocal: boolean;
  onAdded$: PropFunction<() => Promise<void>>;
}>((props) => {
  const state = useStore<{ loading: boolean; error: string; models: DiscoveredModel[] | null; detection: Detection | null; filter: string }>({
    loading: false,
    error: "",
    models: null,
    detection: null,
    filter: "",
  });
  const adding = useSignal<string | null>(null);

  const discover = $(async () => {
    state.loading = true;
    state.error = "";
    try {
      const q = `provider_key=${encodeURIComponent(props.providerKey)}`;
      const [list, detection] = await Promise.all([
        api.get<{ models: DiscoveredModel[] }>(`/api/models/discover?${q}`),
        props.isLocal ? api.get<Detection>(`/api/lm-studio/detect?${q}`).catch(() => null) : Promise.resolve(null),
      ]);
      state.models = list.models;
      state.detection = detection;
    } catch (err) {
      state.error = describeError(err).message;
      state.models = null;
    } finally {
      state.loading = false;
    }
  });

  const add = $(async (m: DiscoveredModel) => {
    adding.value = m.id;
    try {
      const body: Record<string, unknown> = { model_id: m.id };
      if (m.display_name && m.display_name !== m.id) body.display_name = m.display_name;
      for (const k of ["context_window", "max_output_tokens", "input_cost_per_mtok", "output_cost_per_mtok"] as const)
        if (m[k] !== null) body[k] = m[k];
      await api.post(`/api/v2/providers/${encodeURIComponent(props.providerId)}/models`, body);
      m.already_added = true;
      state.models = [...(state.models ?? [])];
      showToast("success", `Added ${m.id}.`);
      await props.onAdded$();
    } catch (err) {
      toastError(err);
    } finally {
      adding.value = null;
    }
  });

  const needle = state.filter.trim().toLowerCase();
  const shown = (state.models ?? []).filter((m) => !needle || m.id.toLowerCase().includes(needle) || m.display_name.toLowerCase().includes(needle));
  const det = state.detection;

  return (
    <section class="discover" data-testid={`discover-${props.providerKey}`} aria-label={`Discover ${props.providerKey} models`}>
      <div class="discover-head">
        <button
          type="button"
          class="btn btn-ghost btn-sm"
          disabled={state.loading}
          onClick$={discover}
          data-testid={`discover-btn-${props.providerKey}`}
        >
          {state.loading ? "Asking the provider…" : state.models ? "Refresh list" : "Discover models"}
        </button>
        {state.models && (
          <input
            type="search"
            class="discover-filter"
            placeholder="Filter models"
            aria-label="Filter discovered models"
            value={state.filter}
            onInput$={(_, el) => (state.filter = el.value)}
          />
        )}
      </div>
      {det && (
        <p class="small muted" data-testid="backend-detection">
          {det.available
            ? `Local server: ${BACKEND_NAMES[det.backend] ?? det.backend}${det.version ? ` ${det.version}` : ""} · ${det.models.length} model${det.models.length === 1 ? "" : "s"} loaded${det.backend_type !== "unknown" ? ` · ${det.backend_type.toUpperCase()}` : ""}${det.mlx_unsupported_params.length ? ` · MLX ignores ${det.mlx_unsupported_params.join(", ")}` : ""}`
            : "No known local server (LM Studio, Ollama, llama.cpp, vLLM) answered at this address."}
        </p>
      )}
      {state.error && (
        <p class="inline-error" role="alert">
          {state.error}
        </p>
      )}
      {state.models && state.models.length === 0 && <p class="muted small">The provider lists no models.</p>}
      {shown.length > 0 && (
        <div class="table-wrap discover-table">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Context</th>
                <th scope="col">In / Out $/1M</th>
                <th scope="col">
                  <span class="sr-only">Add</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.id} data-testid={`discovered-${m.id}`}>
                  <td>
                    <span class="mono">{m.id}</span>
                    {m.display_name !== m.id && <span class="muted"> · {m.display_name}</span>}
                    {m.in_catalogue && <span class="muted"> · catalogue</span>}
                  </td>
                  <td>{formatTokens(m.context_window)}</td>
                  <td>
                    {formatPrice(m.input_cost_per_mtok)} / {formatPrice(m.output_cost_per_mtok)}
                  </td>
                  <td>
                    {m.already_added ? (
                      <span class="muted">Added</span>
                    ) : (
                      <button
                        type="button"
                        class="btn btn-primary btn-sm"
                        disabled={adding.value !== null}
                        onClick$={() => add(m)}
                        data-testid={`discover-add-${m.id}`}
                      >
                        {adding.value === m.id ? "Adding…" : "Add"}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
});
