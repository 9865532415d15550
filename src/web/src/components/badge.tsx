// Small pill label; `tone` picks the colour.
import { component$, Slot } from "@builder.io/qwik";

export type BadgeTone = "lime" | "blue" | "grey" | "teal" | "coral" | "amber" | "outline";

export const Badge = component$<{ tone?: BadgeTone; testId?: string; title?: string }>(
  ({ tone = "grey", testId, title }) => (
    <span class={`badge badge-${tone}`} data-testid={testId} title={title}>
      <Slot />
    </span>
  ),
);
