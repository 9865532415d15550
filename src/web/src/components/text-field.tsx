// One labelled text input with its hint and error: the field shape the app's forms repeat. An inline component
// (no lazy boundary): forms either read it through FormData on submit or bind `value` + `onInput$`.
import type { QRL } from "@builder.io/qwik";

export interface TextFieldProps {
  /** Element ids are `${prefix}-${name}`. */
  prefix: string;
  name: string;
  label: string;
  value: string | number;
  error?: string;
  hint?: string;
  placeholder?: string;
  type?: "text" | "url" | "number";
  /** Numbers: integer steps (else any decimal). */
  integer?: boolean;
  /** Identifiers, URLs and env names read best in monospace and must not be spell-checked. */
  mono?: boolean;
  required?: boolean;
  readOnly?: boolean;
  pattern?: string;
  maxLength?: number;
  testId?: string;
  onInput$?: QRL<(event: Event, element: HTMLInputElement) => void>;
}

export const TextField = (props: TextFieldProps) => {
  const id = `${props.prefix}-${props.name}`;
  const type = props.type ?? "text";
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={type}
        class={props.mono ? "mono" : undefined}
        required={props.required}
        readOnly={props.readOnly}
        pattern={props.pattern}
        maxLength={props.maxLength}
        autoComplete="off"
        spellcheck={props.mono ? false : undefined}
        inputMode={type === "number" ? (props.integer ? "numeric" : "decimal") : undefined}
        min={type === "number" ? 0 : undefined}
        step={type === "number" ? (props.integer ? 1 : "any") : undefined}
        placeholder={props.placeholder}
        value={props.value}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        aria-invalid={props.error ? "true" : undefined}
        data-testid={props.testId}
        onInput$={props.onInput$}
      />
      {props.hint && (
        <p id={`${id}-hint`} class="field-hint">
          {props.hint}
        </p>
      )}
      {props.error && <p class="field-error">{props.error}</p>}
    </div>
  );
};
