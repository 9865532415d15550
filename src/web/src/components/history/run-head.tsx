// The pieces every History row starts with (benchmark runs and eval runs): the expand toggle, and the run's time
// with its status badge. Inline components: they render inside the row's own component.
import type { QRL } from "@builder.io/qwik";
import { fmtDateTime } from "~/lib/bench-format";
import type { BadgeTone } from "../badge";

const STATUS_TONE: Record<string, BadgeTone> = { completed: "lime", running: "blue", failed: "coral", interrupted: "coral", cancelled: "amber" };

export const ExpandToggle = (props: { expanded: boolean; controls: string; testId: string; what: string; onToggle$: QRL<() => void> }) => (
  <button
    type="button"
    class="history-expand"
    aria-expanded={props.expanded}
    aria-controls={props.controls}
    data-testid={props.testId}
    onClick$={props.onToggle$}
  >
    <span class={`chevron${props.expanded ? " is-open" : ""}`} aria-hidden="true">
      ›
    </span>
    <span class="sr-only">
      {props.expanded ? "Collapse" : "Expand"} {props.what}
    </span>
  </button>
);

export const RunStamp = (props: { timestamp: string; status: string; statusTestId: string }) => (
  <>
    <time class="history-time" dateTime={props.timestamp} title={fmtDateTime(props.timestamp)}>
      {fmtDateTime(props.timestamp)}
    </time>
    <span class={`badge badge-${STATUS_TONE[props.status] ?? "grey"} status-text`} data-testid={props.statusTestId}>
      {props.status}
    </span>
  </>
);
