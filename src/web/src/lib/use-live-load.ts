// Load-on-show plus reload when another tab or device changes the same configuration: the pattern every
// settings panel shares. `fetchAndApply` fetches and writes into the panel's store; this hook owns the
// loading/error bookkeeping and the `config_changed` subscription.
import { $, type QRL, useVisibleTask$ } from "@builder.io/qwik";
import type { ConfigScope } from "../../../shared/events.ts";
import { onConfigChanged } from "./event-bus";
import { describeError } from "./http";

export interface LoadState {
  loading: boolean;
  error: string;
}

export function useLiveLoad(state: LoadState, scopes: ConfigScope[], fetchAndApply: QRL<() => Promise<void>>): QRL<() => Promise<void>> {
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
  useVisibleTask$(({ cleanup }) => {
    void load();
    cleanup(onConfigChanged(scopes, () => void load()));
  });
  return load;
}
