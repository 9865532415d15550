// What a History page says when its address names runs it cannot show (deleted, another account's, mistyped):
// the ids, why that can be, and a way to drop them from the address.
import { component$, type QRL } from "@builder.io/qwik";

export interface NotFoundNoticeProps {
  /** "run", "evaluation", "case result". */
  what: string;
  ids: readonly string[];
  testId: string;
  onDismiss$: QRL<() => unknown>;
}

const short = (id: string) => (id.length > 14 ? `${id.slice(0, 12)}…` : id);

export const NotFoundNotice = component$<NotFoundNoticeProps>((props) => {
  const many = props.ids.length > 1;
  return (
    <div class="banner banner-notice" role="status" data-testid={props.testId}>
      <span>
        {many ? `${props.ids.length} ${props.what}s in this address were not found` : `This ${props.what} was not found`} (
        {props.ids.map((id, i) => (
          <span key={id}>
            {i > 0 && ", "}
            <code title={id}>{short(id)}</code>
          </span>
        ))}
        ): {many ? "they may have been deleted, or belong" : "it may have been deleted, or belong"} to another account.
      </span>
      <button type="button" class="btn btn-sm btn-ghost" onClick$={props.onDismiss$}>
        Dismiss
      </button>
    </div>
  );
});
