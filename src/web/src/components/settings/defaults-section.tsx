// One section's bookkeeping on Settings → Defaults and its footer: the server's refusal (message and details), the
// Save (the form's submit) and "Reset to defaults" buttons, and the "Saved" status that stays until the next edit.
import type { QRL } from "@builder.io/qwik";

export type SectionKey = "judge" | "param_tuner" | "prompt_tuner";

export interface SectionUi {
  saving: boolean;
  /** Edited since the last load or save: a reload (another tab saved) leaves the form as the user has it. */
  dirty: boolean;
  /** "Saved.", or what Reset did; cleared by the next edit. */
  status: string;
  /** Why the last save did not happen: nothing sent (fields to fix) or the server's 4xx message. */
  error: string;
  details: string[];
  /** The server's field errors by field name, until that section is edited again. */
  serverIssues: Record<string, string>;
}

export const freshSectionUi = (): SectionUi => ({ saving: false, dirty: false, status: "", error: "", details: [], serverIssues: {} });

/** The field's message: what the form sees now, else what the server said about it at the last save. */
export const issueOf = (live: Partial<Record<string, string>>, ui: SectionUi, field: string): string | null =>
  live[field] ?? ui.serverIssues[field] ?? null;

interface FooterProps {
  section: SectionKey;
  label: string;
  ui: SectionUi;
  onReset$: QRL<(section: SectionKey) => void>;
}

export const SectionFooter = ({ section, label, ui, onReset$ }: FooterProps) => (
  <>
    {ui.error && (
      <div class="form-alert" role="alert" data-testid={`defaults-${section}-error`}>
        <p>{ui.error}</p>
        {ui.details.length > 0 && (
          <ul class="small">
            {ui.details.slice(0, 8).map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        )}
      </div>
    )}
    <div class="form-actions">
      <button type="submit" class="btn btn-primary btn-sm" disabled={ui.saving} data-testid={`defaults-${section}-save`}>
        {ui.saving ? "Saving…" : `Save ${label}`}
      </button>
      <button
        type="button"
        class="btn btn-ghost btn-sm"
        disabled={ui.saving}
        onClick$={() => onReset$(section)}
        data-testid={`defaults-${section}-reset`}
      >
        Reset to defaults
      </button>
      {ui.status && (
        <span class="text-accent small" role="status" data-testid={`defaults-${section}-status`}>
          {ui.status}
        </span>
      )}
    </div>
  </>
);
