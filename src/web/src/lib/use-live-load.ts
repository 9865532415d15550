// Load-on-show plus reload when another tab or device changes the same configuration: the pattern every
// settings panel and every live-job page (use-live-job.ts) shares. `fetchAndApply` fetches and writes into the
// panel's store; this hook owns the loading/error bookkeeping and the `config_changed` subscription.
import { $, type QRL, useVisibleTask$, type VisibleTaskStrategy } from "@builder.io/qwik";
import type { ConfigScope } from "../../../shared/events.ts";
import { onConfigChanged } from "./event-bus";
import { describeError } from "./http";

export interface LoadState {
  loading: boolean;
  error: string;
}

/** `strategy`: a page loads with the document ("document-ready"); a panel when it comes into view (the default). */
export function useLiveLoad(
  state: LoadState,
  scopes: ConfigScope[],
  fetchAndApply: QRL<() => Promise<void>>,
  strategy?: VisibleTaskStrategy,
): QRL<() => Promise<void>> {
  const load = $(async () => {
    try {
      await fetchAndApply();
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });
  useVisibleTask$(
    ({ cleanup }) => {
      void load();
      cleanup(onConfigChanged(scopes, () => void load()));
    },
    { strategy },
  );
  return load;
}
