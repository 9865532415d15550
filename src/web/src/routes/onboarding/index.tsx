// Onboarding wizard: welcome + simulator → optional first API key → done (marks onboarding complete).
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useNavigate } from "@builder.io/qwik-city";
import { api } from "~/lib/api-client";
import { describeError } from "~/lib/http";
import { updateUser } from "~/lib/session";
import { showToast, toastError } from "~/lib/toast";
import type { ProviderKeyInfo } from "~/lib/types";

type Step = 1 | 2 | 3;

const FEATURED = [
  { match: /^openai$/, label: "OpenAI", blurb: "GPT models" },
  { match: /^anthropic$/, label: "Anthropic", blurb: "Claude models" },
  { match: /gemini|google/, label: "Google Gemini", blurb: "Gemini models" },
];

interface OnboardingState {
  step: Step;
  loadingKeys: boolean;
  keys: ProviderKeyInfo[];
  keysError: string;
  selected: string;
  saving: boolean;
  keyError: string;
  savedProvider: string;
  finishing: boolean;
}

const STEP_LABELS = ["Welcome", "Add a key", "You're set"];

export default component$(() => {
  const nav = useNavigate();
  const keyInput = useSignal<HTMLInputElement>();
  const state = useStore<OnboardingState>({
    step: 1,
    loadingKeys: true,
    keys: [],
    keysError: "",
    selected: "",
    saving: false,
    keyError: "",
    savedProvider: "",
    finishing: false,
  });

  useVisibleTask$(async () => {
    try {
      const res = await api.get<{ keys: ProviderKeyInfo[] }>("/api/keys");
      state.keys = res.keys;
      const firstFeatured = FEATURED.map((f) => res.keys.find((k) => f.match.test(k.provider_key))).find(Boolean);
      state.selected = firstFeatured?.provider_key ?? res.keys.find((k) => k.requires_key)?.provider_key ?? "";
    } catch (err) {
      state.keysError = describeError(err).message;
    } finally {
      state.loadingKeys = false;
    }
  });

  const goTo = $((step: Step) => {
    state.step = step;
    state.keyError = "";
    setTimeout(() => document.getElementById("onboarding-step-title")?.focus(), 0);
  });

  const saveKey = $(async () => {
    const provider = state.keys.find((k) => k.provider_key === state.selected);
    const value = keyInput.value?.value.trim() ?? "";
    if (!provider) {
      state.keyError = "Choose a provider first, or skip and use the simulator.";
      return;
    }
    if (!value) {
      if (provider.has_user_key) {
        state.savedProvider = provider.display_name;
        await goTo(3);
        return;
      }
      state.keyError = `Paste your ${provider.display_name} API key, or skip and use the simulator.`;
      keyInput.value?.focus();
      return;
    }
    state.saving = true;
    state.keyError = "";
    try {
      const res = await api.put<{ last4: string | null }>("/api/keys", { provider_key: provider.provider_key, value });
      if (keyInput.value) keyInput.value.value = "";
      state.savedProvider = provider.display_name;
      showToast("success", `${provider.display_name} key saved${res.last4 ? ` (ends in ${res.last4})` : ""}.`);
      await goTo(3);
    } catch (err) {
      const { message, details } = describeError(err);
      state.keyError = [message, ...details].join(" ");
    } finally {
      state.saving = false;
    }
  });

  const finish = $(async (target: string) => {
    state.finishing = true;
    try {
      await api.post("/api/onboarding/complete");
      updateUser({ onboarding_completed: true });
      await nav(target);
    } catch (err) {
      toastError(err);
      state.finishing = false;
    }
  });

  const featured = FEATURED.map((f) => ({ ...f, info: state.keys.find((k) => f.match.test(k.provider_key)) })).filter((f) => f.info);
  const featuredKeys = new Set(featured.map((f) => f.info!.provider_key));
  const others = state.keys.filter((k) => k.requires_key && !featuredKeys.has(k.provider_key));
  const simulator = state.keys.find((k) => !k.requires_key && /simulator/.test(k.provider_key));
  const selectedInfo = state.keys.find((k) => k.provider_key === state.selected);

  return (
    <section class="onboarding" aria-labelledby="onboarding-step-title">
      <ol class="stepper" aria-label="Onboarding progress">
        {STEP_LABELS.map((label, i) => {
          const n = i + 1;
          const status = n < state.step ? "done" : n === state.step ? "current" : "todo";
          return (
            <li key={label} class={`stepper-item is-${status}`} aria-current={status === "current" ? "step" : undefined}>
              <span class="stepper-num">{status === "done" ? "✓" : n}</span>
              <span class="stepper-label">{label}</span>
            </li>
          );
        })}
      </ol>

      <div class="card onboarding-card">
        {state.step === 1 && (
          <div class="onboarding-step" data-testid="onboarding-step-1">
            <p class="eyebrow">Step 1 of 3</p>
            <h1 id="onboarding-step-title" tabIndex={-1}>
              Welcome to LLM Benchmark Studio
            </h1>
            <p class="lede">
              LLM Benchmark Studio measures how fast models respond — time to first token, output speed, cost — and how accurately they call tools.
            </p>
            <div class="callout">
              <h2 class="callout-title">
                Meet the <span class="text-accent">Local simulator</span>
              </h2>
              <p>
                The studio ships with a built-in “Local simulator” provider: a fake LLM endpoint that streams realistic responses with configurable
                speed. It works with <strong>no API key</strong>, in local development, so you can try every feature before spending a cent.
              </p>
              {simulator && (
                <p class="small">
                  <span class="badge badge-teal">NO KEY NEEDED</span> <strong>{simulator.display_name}</strong> is available in your account.
                </p>
              )}
            </div>
            <div class="onboarding-actions">
              <span />
              <button type="button" class="btn btn-primary" data-testid="onboarding-next" onClick$={() => goTo(2)}>
                Get started →
              </button>
            </div>
          </div>
        )}

        {state.step === 2 && (
          <form class="onboarding-step" data-testid="onboarding-step-2" noValidate preventdefault:submit onSubmit$={saveKey}>
            <p class="eyebrow">Step 2 of 3</p>
            <h1 id="onboarding-step-title" tabIndex={-1}>
              Connect a provider
            </h1>
            <p class="lede">
              Paste an API key to benchmark real models. It's encrypted at rest and only the last 4 characters are ever shown again. You can add more
              later in Settings.
            </p>

            {state.loadingKeys && (
              <div class="skeleton-list" role="status" aria-label="Loading providers">
                <span class="skeleton-row" />
              </div>
            )}
            {state.keysError && (
              <p class="inline-error" role="alert">
                {state.keysError}
              </p>
            )}

            {!state.loadingKeys && state.keys.length > 0 && (
              <fieldset class="provider-picker">
                <legend class="label">Provider</legend>
                <div class="provider-options">
                  {featured.map((f) => (
                    <label key={f.info!.provider_key} class={`provider-option${state.selected === f.info!.provider_key ? " is-selected" : ""}`}>
                      <input
                        type="radio"
                        name="provider_key"
                        value={f.info!.provider_key}
                        checked={state.selected === f.info!.provider_key}
                        onChange$={() => (state.selected = f.info!.provider_key)}
                      />
                      <span class="provider-option-name">{f.label}</span>
                      <span class="muted small">{f.blurb}</span>
                      {f.info!.has_user_key && <span class="badge badge-lime">YOUR KEY</span>}
                    </label>
                  ))}
                </div>
                {others.length > 0 && (
                  <div class="field">
                    <label for="onboarding-other">Or another provider</label>
                    <select
                      id="onboarding-other"
                      onChange$={(_, el) => {
                        if (el.value) state.selected = el.value;
                      }}
                    >
                      <option value="" selected={featuredKeys.has(state.selected)}>
                        Choose…
                      </option>
                      {others.map((k) => (
                        <option key={k.provider_key} value={k.provider_key} selected={state.selected === k.provider_key}>
                          {k.display_name}
                        </option>
                      ))}
                    </select>
                  </div>
                )}
              </fieldset>
            )}

            <div class="field">
              <label for="onboarding-key">{selectedInfo ? `${selectedInfo.display_name} API key` : "API key"}</label>
              <input
                id="onboarding-key"
                ref={keyInput}
                name="value"
                type="password"
                autoComplete="off"
                data-1p-ignore
                data-lpignore="true"
                spellcheck={false}
                placeholder={selectedInfo?.has_user_key ? `Saved ••••${selectedInfo.last4 ?? ""} — paste to replace` : "Paste API key"}
                aria-invalid={state.keyError ? "true" : undefined}
                aria-describedby={state.keyError ? "onboarding-key-error" : undefined}
                data-testid="onboarding-key"
              />
              {state.keyError && (
                <p id="onboarding-key-error" class="field-error" role="alert">
                  {state.keyError}
                </p>
              )}
            </div>

            <div class="onboarding-actions">
              <button type="button" class="btn btn-ghost" onClick$={() => goTo(1)}>
                ← Back
              </button>
              <div class="onboarding-actions-right">
                <button type="button" class="btn btn-ghost" data-testid="onboarding-skip" onClick$={() => goTo(3)}>
                  Skip — use the simulator
                </button>
                <button type="submit" class="btn btn-primary" data-testid="onboarding-next" disabled={state.saving}>
                  {state.saving ? "Saving…" : "Save key & continue"}
                </button>
              </div>
            </div>
          </form>
        )}

        {state.step === 3 && (
          <div class="onboarding-step" data-testid="onboarding-step-3">
            <p class="eyebrow">Step 3 of 3</p>
            <h1 id="onboarding-step-title" tabIndex={-1}>
              You're set
            </h1>
            <p class="lede">
              {state.savedProvider
                ? `Your ${state.savedProvider} key is saved. `
                : "You're starting with the Local simulator — add real keys any time in Settings. "}
              Here's where to go next:
            </p>
            <div class="next-links">
              {[
                { href: "/benchmark/", title: "Benchmark", body: "Compare speed and cost across models." },
                { href: "/tool-eval/", title: "Tool Eval", body: "Score tool-calling accuracy on your suites." },
                { href: "/settings/", title: "Settings", body: "Keys, providers, models and defaults." },
              ].map((l) => (
                <a key={l.href} href={l.href} class="next-link card" preventdefault:click onClick$={() => finish(l.href)}>
                  <span class="next-link-title">{l.title} →</span>
                  <span class="muted small">{l.body}</span>
                </a>
              ))}
            </div>
            <div class="onboarding-actions">
              <button type="button" class="btn btn-ghost" onClick$={() => goTo(2)}>
                ← Back
              </button>
              <button
                type="button"
                class="btn btn-primary"
                data-testid="onboarding-finish"
                disabled={state.finishing}
                onClick$={() => finish("/benchmark/")}
              >
                {state.finishing ? "Finishing…" : "Finish & go to Benchmark"}
              </button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
});

export const head: DocumentHead = { title: "Welcome" };
