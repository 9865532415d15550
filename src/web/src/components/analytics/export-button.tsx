// A button that downloads a file the API builds (CSV exports), with a busy state and a toast on failure.
import { $, component$, useSignal } from "@builder.io/qwik";
import { downloadFromApi } from "~/lib/api-download";
import { toastError } from "~/lib/toast";

export const ExportButton = component$<{ path: string; filename: string; label?: string; testId: string; title?: string }>((props) => {
  const busy = useSignal(false);
  const run = $(async () => {
    busy.value = true;
    try {
      await downloadFromApi(props.path, props.filename);
    } catch (err) {
      toastError(err);
    } finally {
      busy.value = false;
    }
  });
  return (
    <button type="button" class="btn btn-ghost btn-sm" data-testid={props.testId} disabled={busy.value} title={props.title} onClick$={run}>
      {busy.value ? "Exporting…" : (props.label ?? "Export CSV")}
    </button>
  );
});
