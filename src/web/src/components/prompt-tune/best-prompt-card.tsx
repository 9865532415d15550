// The Best Prompt card: the server's answer with its significance statement word for word, the held-out checks,
// and Copy / Apply to Evaluate / Save to library. A tie or an unproven top score is never shown as a win: a tie
// lists the tied prompts and the actions act on the one the user picks.
import { $, component$, type PropFunction, useSignal, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { describeError } from "~/lib/http";
import { BASE_KEY, candidateLabel, type PromptTuneAnswer, type Significance } from "~/lib/prompt-tune-types";
import { showToast } from "~/lib/toast";
import { Badge, type BadgeTone } from "../badge";

const VERDICT: Record<Significance["verdict"], { label: string; tone: BadgeTone }> = {
  better: { label: "Better", tone: "lime" },
  worse: { label: "Worse", tone: "coral" },
  not_distinguishable: { label: "Not distinguishable", tone: "grey" },
  insufficient_evidence: { label: "Insufficient evidence", tone: "amber" },
};

const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);

export const SignificanceLine = component$<{ s: Significance; testId: string }>(({ s, testId }) => {
  const v = VERDICT[s.verdict];
  return (
    <div class="pt-sig" data-testid={testId} data-verdict={s.verdict}>
      <Badge tone={v.tone} testId={`${testId}-verdict`}>
        {v.label}
      </Badge>{" "}
      <span data-testid={`${testId}-statement`}>{s.statement}</span>
      <p class="muted small mono">
        vs {s.compared_with} · diff {signed(s.diff)} pts · {Math.round(s.ci_level * 100)}% CI [{signed(s.ci[0])}, {signed(s.ci[1])}] · p ={" "}
        {s.p_value < 0.001 ? "< 0.001" : s.p_value.toFixed(3)} · {s.method}
      </p>
    </div>
  );
});

export interface BestPromptCardProps {
  tuneId: string;
  answer: PromptTuneAnswer;
  /** The tune still runs: the card says "so far". */
  partial: boolean;
  onApply$: PropFunction<(prompt: string) => void>;
  testId?: string;
}

export const BestPromptCard = component$<BestPromptCardProps>((props) => {
  const a = props.answer;
  const tied = a.best_key === null && a.tied_for_best.length > 1;
  const picked = useSignal<string>("");
  const saved = useStore<{ busy: boolean; label: string; error: string }>({ busy: false, label: "", error: "" });
  const key = tied ? picked.value : (a.best_key ?? "");
  const chosen = a.candidates.find((c) => c.key === key) ?? null;
  const s = a.significance;
  const proven = !tied && a.best_key !== null && a.best_key !== BASE_KEY && s?.verdict === "better";
  const title = tied
    ? `No single best: ${a.tied_for_best.length} prompts tie`
    : a.best_key === null
      ? "No prompt scored yet"
      : a.best_key === BASE_KEY
        ? "The base prompt scored highest"
        : proven
          ? "Best prompt"
          : "Top score, not a proven improvement";
  const testId = props.testId ?? "best-prompt";

  const copy = $(async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      showToast("success", "Prompt copied.");
    } catch {
      showToast("error", "The browser would not copy; select the text instead.");
    }
  });

  const save = $(async (candidate: string) => {
    saved.busy = true;
    saved.error = "";
    try {
      const res = await api.post<{ key: string; label: string }>(`/api/tool-eval/prompt-tune/history/${encodeURIComponent(props.tuneId)}/save`, {
        candidate,
      });
      saved.label = res.label;
      showToast("success", `Saved to the prompt library as “${res.label}”.`);
    } catch (err) {
      saved.error = describeError(err).message;
    } finally {
      saved.busy = false;
    }
  });

  return (
    <section
      class={`card pt-best${proven ? " is-proven" : ""}`}
      data-testid={testId}
      data-verdict={s?.verdict ?? "none"}
      data-tie={tied ? "true" : "false"}
      aria-labelledby={`${testId}-title`}
    >
      <div class="card-head">
        <div>
          <p class="muted small">{props.partial ? "So far (the tune is still running)" : "Answer"}</p>
          <h3 id={`${testId}-title`} class="card-title" data-testid={`${testId}-title`}>
            {title}
          </h3>
        </div>
        {a.best_score !== null && !tied && (
          <p class="pt-best-score">
            <span class="text-strong" data-testid={`${testId}-score`}>
              {pct(a.best_score)}
            </span>
            <span class="muted small"> vs base {pct(a.base_score)}</span>
          </p>
        )}
      </div>

      {tied && (
        <fieldset class="pt-tie" data-testid={`${testId}-tie`}>
          <legend class="small">These score the same; pick one to copy, apply or save:</legend>
          {a.tied_for_best.map((k) => {
            const c = a.candidates.find((x) => x.key === k);
            return (
              <label key={k} class="pt-tie-option">
                <input
                  type="radio"
                  name={`${testId}-tie`}
                  value={k}
                  checked={picked.value === k}
                  data-testid={`${testId}-pick-${k}`}
                  onChange$={() => (picked.value = k)}
                />
                <span>
                  <span class="text-strong">{candidateLabel(k)}</span> <span class="muted small">{pct(c?.score)}</span>
                  <span class="pt-tie-text small">{c?.text.slice(0, 160)}</span>
                </span>
              </label>
            );
          })}
        </fieldset>
      )}

      {chosen && (
        <pre class="pt-best-text" data-testid={`${testId}-text`}>
          {chosen.text}
        </pre>
      )}

      {s && <SignificanceLine s={s} testId={`${testId}-significance`} />}
      {!s && a.statement && <p class="muted small">{a.statement}</p>}

      {a.holdout.length > 0 && (
        <div class="pt-holdout" data-testid={`${testId}-holdout`}>
          <p class="small text-strong">On held-out cases the search never saw:</p>
          {a.holdout.map((h) => (
            <div key={h.candidate}>
              <p class="small muted">{candidateLabel(h.candidate)}</p>
              <SignificanceLine s={h} testId={`${testId}-holdout-${h.candidate}`} />
            </div>
          ))}
        </div>
      )}

      {a.comparisons.length > 1 && (
        <details class="small">
          <summary>Every comparison ({a.comparisons.length}, Holm-adjusted together)</summary>
          {a.comparisons.map((c, i) => (
            <SignificanceLine key={i} s={c} testId={`${testId}-comparison-${i}`} />
          ))}
        </details>
      )}

      {(chosen || tied) && (
        <div class="btn-row pt-best-actions">
          <button
            type="button"
            class="btn btn-sm btn-ghost"
            data-testid={`${testId}-copy`}
            disabled={!chosen}
            onClick$={() => chosen && copy(chosen.text)}
          >
            Copy
          </button>
          <button
            type="button"
            class="btn btn-sm btn-primary"
            data-testid={`${testId}-apply`}
            disabled={!chosen}
            onClick$={() => chosen && props.onApply$(chosen.text)}
          >
            Apply to Evaluate
          </button>
          <button
            type="button"
            class="btn btn-sm"
            data-testid={`${testId}-save`}
            disabled={!chosen || saved.busy}
            onClick$={() => chosen && save(chosen.key)}
          >
            {saved.busy ? "Saving…" : "Save to library"}
          </button>
        </div>
      )}
      {saved.label && (
        <p class="small text-ok" data-testid={`${testId}-saved`}>
          Saved as “{saved.label}”.
        </p>
      )}
      {saved.error && (
        <p class="field-error" role="alert" data-testid={`${testId}-save-error`}>
          {saved.error}
        </p>
      )}
    </section>
  );
});
