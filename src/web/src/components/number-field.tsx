// A number input checked against the API's bounds (src/shared/request-limits.ts): the value typed stays as typed,
// and a value out of range gets its message next to the field (the form does not submit it), never a silent clamp.
import type { QRL } from "@builder.io/qwik";
import type { NumberBounds } from "../../../shared/request-limits.ts";

export interface NumberFieldProps {
  id: string;
  label: string;
  /** The text as typed (kept, so a wrong value stays visible beside its message). */
  value: string;
  bounds: NumberBounds;
  step?: number;
  /** The message for the current value, if it is not allowed. */
  error: string | null;
  testId: string;
  /** The hint under the field; "min–max" from the bounds when not given. */
  hint?: string;
  disabled?: boolean;
  onInput$: QRL<(event: Event, element: HTMLInputElement) => void>;
}

export const NumberField = (props: NumberFieldProps) => {
  const { bounds } = props;
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode={bounds.integer ? "numeric" : "decimal"}
        min={bounds.min}
        max={bounds.max}
        step={props.step ?? (bounds.integer ? 1 : "any")}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `${hintId} ${errorId}` : hintId}
        data-testid={props.testId}
        onInput$={props.onInput$}
      />
      <p id={hintId} class="field-hint">
        {props.hint ?? `${bounds.min.toLocaleString("en-US")}–${bounds.max.toLocaleString("en-US")}`}
      </p>
      {props.error && (
        <p id={errorId} class="field-error" role="alert" data-testid={`${props.testId}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
};
