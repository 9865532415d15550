// "Link to experiment": the active experiments of the chosen suite, for the Evaluate and tuner pages. The run is
// sent with `experiment_id`, so its end updates the experiment's baseline and best.
import { component$, type Signal, useSignal, useTask$, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import type { Experiment } from "~/lib/experiment-types";

export interface ExperimentPickerProps {
  /** Element id of the select (one picker per page). */
  id: string;
  suiteId: string;
  /** The chosen experiment's id ("" = not linked), from useExperimentId(). */
  chosen: Signal<string>;
  disabled?: boolean;
}

/**
 * The page's chosen experiment id ("" = none), first `?experiment=` in the page URL: the Experiments page links
 * here with the experiment preselected.
 */
export function useExperimentId(): Signal<string> {
  const experimentId = useSignal("");
  useVisibleTask$(
    () => {
      experimentId.value = new URL(location.href).searchParams.get("experiment") ?? "";
    },
    { strategy: "document-ready" },
  );
  return experimentId;
}

export const ExperimentPicker = component$<ExperimentPickerProps>((props) => {
  const all = useSignal<Experiment[] | null>(null);

  useTask$(async ({ track }) => {
    const suiteId = track(() => props.suiteId);
    if (typeof window === "undefined") return;
    try {
      all.value ??= (await api.get<{ experiments: Experiment[] }>("/api/experiments")).experiments;
    } catch {
      all.value = []; // linking is optional: without the list the run simply is not linked
    }
    // A choice from another suite cannot be linked (the API would refuse it).
    const chosen = props.chosen;
    if (suiteId && chosen.value && !all.value.some((e) => e.id === chosen.value && e.suite_id === suiteId)) chosen.value = "";
  });

  const options = (all.value ?? []).filter((e) => e.suite_id === props.suiteId);
  return (
    <div class="field experiment-picker">
      <label for={props.id}>Experiment</label>
      <select
        id={props.id}
        data-testid="experiment-picker"
        value={props.chosen.value}
        disabled={props.disabled}
        onChange$={(_, el) => (props.chosen.value = el.value)}
      >
        <option value="">Not linked</option>
        {options.map((e) => (
          <option key={e.id} value={e.id} selected={e.id === props.chosen.value}>
            {e.name}
          </option>
        ))}
      </select>
      <p class="field-hint">
        {options.length ? "Linked runs join the experiment's timeline and can become its best." : "No active experiment on this suite."}
      </p>
    </div>
  );
});
