// Comma/Enter-separated chips (e.g. skip params). The text box keeps `name`; committed chips go in `<name>_list`.
import { $, component$, sync$, useSignal } from "@builder.io/qwik";
import { splitList } from "~/lib/format";

export interface ChipInputProps {
  id: string;
  name: string;
  label: string;
  hint?: string;
  initial: string[];
  placeholder?: string;
}

/** Reads the final list from a submitted form: committed chips plus anything still typed. */
export function readChips(form: FormData, name: string): string[] {
  const committed = splitList(String(form.get(`${name}_list`) ?? ""));
  const pending = splitList(String(form.get(name) ?? ""));
  return [...new Set([...committed, ...pending])];
}

export const ChipInput = component$<ChipInputProps>(({ id, name, label, hint, initial, placeholder }) => {
  const chips = useSignal<string[]>([...initial]);
  const text = useSignal("");

  const commit = $(() => {
    const added = splitList(text.value).filter((c) => !chips.value.includes(c));
    if (added.length) chips.value = [...chips.value, ...added];
    text.value = "";
  });

  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="chip-box">
        {chips.value.map((chip) => (
          <span key={chip} class="chip">
            <span class="mono">{chip}</span>
            <button
              type="button"
              class="chip-remove"
              aria-label={`Remove ${chip}`}
              onClick$={() => (chips.value = chips.value.filter((c) => c !== chip))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          name={name}
          type="text"
          class="chip-text"
          autoComplete="off"
          spellcheck={false}
          placeholder={chips.value.length ? "" : placeholder}
          aria-describedby={hint ? `${id}-hint` : undefined}
          bind:value={text}
          onKeyDown$={[
            sync$((event: KeyboardEvent, input: HTMLInputElement) => {
              if ((event.key === "Enter" || event.key === ",") && input.value.trim()) event.preventDefault();
            }),
            $((event: KeyboardEvent) => {
              if (event.key === "Enter" || event.key === ",") {
                if (text.value.trim()) void commit();
              } else if (event.key === "Backspace" && text.value === "" && chips.value.length) {
                chips.value = chips.value.slice(0, -1);
              }
            }),
          ]}
          onBlur$={commit}
        />
      </div>
      <input type="hidden" name={`${name}_list`} value={chips.value.join(",")} />
      {hint && (
        <p id={`${id}-hint`} class="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
});
