// Compatibility matrix: per selected model × enabled parameter, what its provider does with the space's values —
// supported, clamped, dropped or passed through — from the server's own parameter registry (src/shared).
import { component$ } from "@builder.io/qwik";
import { type Compat, compatRow } from "~/lib/tune-space";
import type { SearchSpace } from "../../../../shared/tuning/search-space.ts";
import { Badge, type BadgeTone } from "../badge";
import type { ModelOption } from "../benchmark/form-state";

const TONE: Record<Compat, BadgeTone> = { supported: "teal", clamped: "amber", dropped: "coral", passthrough: "blue" };
const LABEL: Record<Compat, string> = { supported: "Supported", clamped: "Clamped", dropped: "Dropped", passthrough: "Passthrough" };

export interface CompatMatrixProps {
  models: ModelOption[];
  space: SearchSpace;
  /** Per "provider_key::model_id", the model's own never-send list. */
  skipParams: Record<string, string[]>;
}

export const CompatMatrix = component$<CompatMatrixProps>(({ models, space, skipParams }) => {
  const params = Object.keys(space);
  if (!models.length || !params.length) return null;
  return (
    <div class="field">
      <span class="label">Compatibility</span>
      <div class="table-wrap">
        <table class="table tune-compat" data-testid="compat-matrix">
          <thead>
            <tr>
              <th scope="col">Model</th>
              {params.map((p) => (
                <th key={p} scope="col" class="mono">
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {models.map((m) => {
              const key = `${m.provider_key}::${m.model_id}`;
              const cells = compatRow(m.provider_key, m.model_id, space, skipParams[key] ?? []);
              return (
                <tr key={key} data-testid={`compat-row-${m.model_id}`}>
                  <td class="mono small" title={`${m.display_name} · ${m.provider}`}>
                    {m.model_id}
                  </td>
                  {cells.map((c) => (
                    <td key={c.param} data-testid={`compat-${m.model_id}-${c.param}`} data-status={c.status}>
                      <Badge tone={TONE[c.status]} title={c.reason}>
                        {LABEL[c.status]}
                      </Badge>
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="field-hint">Clamped values run at the provider's limit; combos that become the same call run once (the run lists which merged).</p>
    </div>
  );
});
