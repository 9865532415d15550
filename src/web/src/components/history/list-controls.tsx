// The History pages' list controls: the search box with its icon and the "Load more" button.
import { component$, type QRL } from "@builder.io/qwik";

export interface SearchBoxProps {
  value: string;
  placeholder: string;
  label: string;
  testId: string;
  onInput$: QRL<(value: string) => void>;
}

export const SearchBox = component$<SearchBoxProps>((props) => (
  <div class="search-box">
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
      <path
        d="m20 20-4.5-4.5M17 10.5a6.5 6.5 0 1 1-13 0 6.5 6.5 0 0 1 13 0Z"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
      />
    </svg>
    <input
      type="search"
      placeholder={props.placeholder}
      aria-label={props.label}
      value={props.value}
      data-testid={props.testId}
      onInput$={(_, el) => props.onInput$(el.value)}
    />
  </div>
));

export const LoadMoreButton = component$<{ loading: boolean; testId: string; onClick$: QRL<() => unknown> }>((props) => (
  <div class="load-more">
    <button type="button" class="btn btn-ghost" data-testid={props.testId} disabled={props.loading} onClick$={props.onClick$}>
      {props.loading ? "Loading…" : "Load more"}
    </button>
  </div>
));
