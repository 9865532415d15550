// Small pill label; `tone` picks the colour. A plain (inline) component so it always follows its parent's data.
import type { JSXChildren, JSXOutput } from "@builder.io/qwik";

export type BadgeTone = "lime" | "blue" | "grey" | "teal" | "coral" | "amber" | "outline";

export interface BadgeProps {
  tone?: BadgeTone;
  testId?: string;
  title?: string;
  children?: JSXChildren;
}

export function Badge({ tone = "grey", testId, title, children }: BadgeProps): JSXOutput {
  return (
    <span class={`badge badge-${tone}`} data-testid={testId} title={title}>
      {children}
    </span>
  );
}
