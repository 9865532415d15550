// A page-level error with one way out (Retry, Dismiss): the red banner every page shows when a load fails.
import { component$, type QRL } from "@builder.io/qwik";

export interface ErrorBannerProps {
  message: string;
  onAction$: QRL<() => unknown>;
  /** The button's text. */
  action?: string;
  testId?: string;
}

export const ErrorBanner = component$<ErrorBannerProps>(({ message, onAction$, action = "Retry", testId }) => (
  <div class="banner banner-danger" role="alert" data-testid={testId}>
    <span>{message}</span>
    <button type="button" class="btn btn-sm btn-ghost" onClick$={onAction$}>
      {action}
    </button>
  </div>
));
