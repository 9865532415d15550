// The search-space builder: one row per parameter of the original's list (§9.6), each on/off, as a {min, max, step}
// range or a list; the values it expands to, or the message the API would answer, shown next to it.
import { component$ } from "@builder.io/qwik";
import { NUMERIC_PARAMS, type SpaceForm, type SpaceIssues, spaceFromForm, TOOL_CHOICE_VALUES } from "~/lib/tune-space";
import { dimensionValues } from "../../../../shared/tuning/search-space.ts";

function preview(values: readonly (string | number | boolean)[]): string {
  const shown = values.length > 6 ? [...values.slice(0, 3), "…", ...values.slice(-2)] : values;
  return `${values.length} value${values.length === 1 ? "" : "s"}: ${shown.join(", ")}`;
}

export const SpaceBuilder = component$<{ space: SpaceForm; issues: SpaceIssues; disabled: boolean }>(({ space, issues, disabled }) => {
  const built = spaceFromForm(space).space;
  const tcError = issues.tool_choice;
  return (
    <fieldset class="tune-space" data-testid="space-builder" disabled={disabled}>
      <legend class="label">Search space</legend>
      <div class="tune-space-rows">
        {NUMERIC_PARAMS.map((p) => {
          const dim = space.numeric[p.name]!;
          const fieldIssue = ["min", "max", "step", "list"].map((f) => issues[`${p.name}.${f}`]).find(Boolean);
          const dimension = built[p.name];
          return (
            <div key={p.name} class={`tune-dim${dim.enabled ? " is-on" : ""}`} data-testid={`space-param-${p.name}`}>
              <label class="tune-dim-name te-check" title={p.hint}>
                <input
                  type="checkbox"
                  checked={dim.enabled}
                  data-testid={`space-enable-${p.name}`}
                  onChange$={(_, el) => (dim.enabled = el.checked)}
                />
                <span class="mono">{p.label}</span>
              </label>
              {dim.enabled && (
                <>
                  <select
                    class="tune-dim-mode"
                    aria-label={`${p.label}: range or list`}
                    value={dim.mode}
                    data-testid={`space-mode-${p.name}`}
                    onChange$={(_, el) => (dim.mode = el.value === "list" ? "list" : "range")}
                  >
                    <option value="range">range</option>
                    <option value="list">list</option>
                  </select>
                  {dim.mode === "range" ? (
                    <span class="tune-dim-range">
                      {(["min", "max", "step"] as const).map((f) => (
                        <label key={f} class="tune-dim-num">
                          <span class="muted small">{f}</span>
                          <input
                            type="number"
                            step="any"
                            value={dim[f]}
                            aria-invalid={issues[`${p.name}.${f}`] ? "true" : undefined}
                            aria-label={`${p.label} ${f}`}
                            data-testid={`space-${f}-${p.name}`}
                            onInput$={(_, el) => (dim[f] = el.value)}
                          />
                        </label>
                      ))}
                    </span>
                  ) : (
                    <input
                      class="tune-dim-list"
                      type="text"
                      placeholder="e.g. 0, 0.2, 0.7"
                      value={dim.list}
                      aria-invalid={issues[`${p.name}.list`] ? "true" : undefined}
                      aria-label={`${p.label} values`}
                      data-testid={`space-list-${p.name}`}
                      onInput$={(_, el) => (dim.list = el.value)}
                    />
                  )}
                  {fieldIssue ? (
                    <p class="field-error tune-dim-msg" role="alert" data-testid={`space-error-${p.name}`}>
                      {fieldIssue}
                    </p>
                  ) : (
                    dimension && (
                      <p class="field-hint tune-dim-msg mono" data-testid={`space-values-${p.name}`}>
                        {preview(dimensionValues(dimension))}
                      </p>
                    )
                  )}
                </>
              )}
            </div>
          );
        })}
        <div class={`tune-dim${space.toolChoice.enabled ? " is-on" : ""}`} data-testid="space-param-tool_choice">
          <label class="tune-dim-name te-check">
            <input
              type="checkbox"
              checked={space.toolChoice.enabled}
              data-testid="space-enable-tool_choice"
              onChange$={(_, el) => (space.toolChoice = { ...space.toolChoice, enabled: el.checked })}
            />
            <span class="mono">tool_choice</span>
          </label>
          {space.toolChoice.enabled && (
            <>
              <span class="tune-dim-range">
                {TOOL_CHOICE_VALUES.map((v) => (
                  <label key={v} class="tune-dim-check te-check">
                    <input
                      type="checkbox"
                      checked={space.toolChoice.values.includes(v)}
                      data-testid={`space-tool-choice-${v}`}
                      onChange$={(_, el) =>
                        (space.toolChoice = {
                          ...space.toolChoice,
                          values: el.checked
                            ? [...space.toolChoice.values.filter((x) => x !== v), v]
                            : space.toolChoice.values.filter((x) => x !== v),
                        })
                      }
                    />
                    {v}
                  </label>
                ))}
              </span>
              {tcError && (
                <p class="field-error tune-dim-msg" role="alert" data-testid="space-error-tool_choice">
                  {tcError}
                </p>
              )}
            </>
          )}
        </div>
      </div>
    </fieldset>
  );
});
