// Optional provider parameters (tier 2: top_p, top_k, penalties, seed, reasoning effort; tier 3: passthrough JSON).
// A value that is not a number (or not JSON) is marked here and not sent; ranges differ per provider, so the server's
// parameter registry adjusts them and the run lists every clamp, drop or rename (ParamAdjustmentsNote).
import { component$ } from "@builder.io/qwik";
import type { BenchmarkForm, BenchmarkFormIssues } from "./form-state";

const NUMERIC: Array<{ key: keyof BenchmarkForm["providerParams"]; label: string; step: string; hint: string }> = [
  { key: "top_p", label: "top_p", step: "0.05", hint: "0–1" },
  { key: "top_k", label: "top_k", step: "1", hint: "1–500, not on every provider" },
  { key: "frequency_penalty", label: "frequency_penalty", step: "0.1", hint: "−2–2" },
  { key: "presence_penalty", label: "presence_penalty", step: "0.1", hint: "−2–2" },
  { key: "seed", label: "seed", step: "1", hint: "integer" },
];

export const ProviderParamsFields = component$<{ form: BenchmarkForm; issues: BenchmarkFormIssues }>(({ form, issues }) => {
  const p = form.providerParams;
  const anyIssue = NUMERIC.some((f) => issues[f.key]) || Boolean(issues.passthrough);
  return (
    <details class="provider-params" data-testid="provider-params" open={anyIssue || undefined}>
      <summary>Provider parameters (optional)</summary>
      <p class="muted small">
        Checked per provider before the run: a value outside the provider's range is clamped to it, and the run lists every adjustment.
      </p>
      <div class="form-grid">
        {NUMERIC.map((f) => (
          <div class="field" key={f.key}>
            <label for={`pp-${f.key}`}>{f.label}</label>
            <input
              id={`pp-${f.key}`}
              name={f.key}
              type="number"
              step={f.step}
              placeholder={f.hint}
              value={p[f.key]}
              aria-invalid={issues[f.key] ? "true" : undefined}
              data-testid={`param-${f.key}`}
              onInput$={(_, el) => (p[f.key] = el.value)}
            />
            {issues[f.key] && (
              <p class="field-error" role="alert" data-testid={`param-${f.key}-error`}>
                {issues[f.key]}
              </p>
            )}
          </div>
        ))}
        <div class="field">
          <label for="pp-reasoning">reasoning_effort</label>
          <select
            id="pp-reasoning"
            name="reasoning_effort"
            data-testid="param-reasoning_effort"
            onChange$={(_, el) => (p.reasoning_effort = el.value)}
          >
            {["", "none", "low", "medium", "high"].map((v) => (
              <option key={v} value={v} selected={p.reasoning_effort === v}>
                {v || "provider default"}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <label for="pp-passthrough">Passthrough (JSON object of provider-specific parameters)</label>
        <textarea
          id="pp-passthrough"
          name="passthrough"
          rows={2}
          class="mono"
          placeholder='{"min_p": 0.05}'
          value={p.passthrough}
          aria-invalid={issues.passthrough ? "true" : undefined}
          data-testid="param-passthrough"
          onInput$={(_, el) => (p.passthrough = el.value)}
        />
        {issues.passthrough && (
          <p class="field-error" role="alert" data-testid="param-passthrough-error">
            {issues.passthrough}
          </p>
        )}
      </div>
    </details>
  );
});
