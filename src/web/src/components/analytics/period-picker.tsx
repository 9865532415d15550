// The period select every Analytics tab shares (7 / 30 / 90 days, all time).
import { component$, type PropFunction } from "@builder.io/qwik";
import { PERIOD_LABELS, PERIODS, type Period } from "~/lib/analytics-types";

export const PeriodPicker = component$<{ value: Period; testId: string; onChange$: PropFunction<(p: Period) => void> }>((props) => (
  <label class="an-control">
    <span class="label">Period</span>
    <select data-testid={props.testId} value={props.value} onChange$={(_, el) => props.onChange$(el.value as Period)}>
      {PERIODS.map((p) => (
        <option key={p} value={p} selected={p === props.value}>
          {PERIOD_LABELS[p]}
        </option>
      ))}
    </select>
  </label>
));
