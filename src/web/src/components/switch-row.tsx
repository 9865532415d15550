// One labelled on/off switch with its hint: the checkbox-as-switch row the app's forms repeat. An inline component
// (no lazy boundary), like TextField.
import type { QRL } from "@builder.io/qwik";

export interface SwitchRowProps {
  id: string;
  /** For forms read through FormData. */
  name?: string;
  label: string;
  hint: string;
  checked: boolean;
  testId: string;
  onChange$: QRL<(event: Event, element: HTMLInputElement) => void>;
}

export const SwitchRow = (props: SwitchRowProps) => (
  <label class="switch-row" for={props.id}>
    <span>
      <span class="switch-label">{props.label}</span>
      <span class="field-hint">{props.hint}</span>
    </span>
    <input
      id={props.id}
      name={props.name}
      type="checkbox"
      role="switch"
      class="switch"
      checked={props.checked}
      aria-checked={props.checked}
      data-testid={props.testId}
      onChange$={props.onChange$}
    />
  </label>
);
