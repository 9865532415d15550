// Previous/next paging for the admin tables (audit log, logs): "from–to of total".
import { component$, type QRL } from "@builder.io/qwik";
import { ADMIN_PAGE_SIZE } from "~/lib/admin-types";

export const Pager = component$((props: { offset: number; total: number; onPage$: QRL<(delta: number) => Promise<void>> }) => {
  const from = props.total === 0 ? 0 : props.offset + 1;
  const to = Math.min(props.offset + ADMIN_PAGE_SIZE, props.total);
  return (
    <div class="admin-pager">
      <span class="muted small">
        {from}–{to} of {props.total}
      </span>
      <button type="button" class="btn btn-ghost btn-sm" disabled={props.offset === 0} onClick$={() => props.onPage$(-1)}>
        Previous
      </button>
      <button type="button" class="btn btn-ghost btn-sm" disabled={to >= props.total} onClick$={() => props.onPage$(1)}>
        Next
      </button>
    </div>
  );
});
