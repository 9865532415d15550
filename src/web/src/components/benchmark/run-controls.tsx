// Pieces both run forms (Benchmark, Tool Eval Evaluate) show: the temperature slider and the failed-submit alert.
import { component$ } from "@builder.io/qwik";
import { clamp, LIMITS } from "./form-state";

/** Temperature 0–2 in steps of 0.1, written straight into `form`. */
export const TemperatureSlider = component$<{ form: { temperature: number }; id: string; testId: string }>(({ form, id, testId }) => (
  <div class="slider-field">
    <div class="slider-head">
      <label for={id}>Temperature</label>
      <output for={id} class="slider-value mono">
        {form.temperature.toFixed(1)}
      </output>
    </div>
    <input
      id={id}
      type="range"
      min={LIMITS.temperature.min}
      max={LIMITS.temperature.max}
      step={LIMITS.temperature.step}
      value={form.temperature}
      data-testid={testId}
      onInput$={(_, el) => (form.temperature = clamp(Math.round(Number(el.value) * 10) / 10, 0, 2))}
    />
  </div>
));

/** Why the run could not start, with the server's field details. */
export const SubmitAlert = component$<{ error: string; details: string[]; testId: string }>((props) => (
  <div class="form-alert" role="alert" data-testid={props.testId}>
    <span>{props.error}</span>
    {props.details.length > 0 && (
      <ul class="alert-details">
        {props.details.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
    )}
  </div>
));
