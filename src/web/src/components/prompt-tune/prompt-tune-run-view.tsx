// A prompt tune's results, live or stored: the Best Prompt card (once there is an answer), the score trend (best per
// generation against the base prompt; chart.js, lazy) and the generation timeline with one card per prompt.
import { component$, type PropFunction } from "@builder.io/qwik";
import { type ChartSpec, seriesColor } from "~/lib/chart-specs";
import type { PromptLiveItem } from "~/lib/prompt-tune-live-fold";
import { type PromptCard, type PromptTimeline, promptTimeline } from "~/lib/prompt-tune-timeline";
import { candidateLabel, type ModelRef, type PromptTuneAnswer, type PromptTuneMode } from "~/lib/prompt-tune-types";
import { Badge, type BadgeTone } from "../badge";
import { ChartCanvas } from "../charts/chart-canvas";
import { BestPromptCard, pct } from "./best-prompt-card";

const GENERATION_STATE: Record<string, { text: string; tone: BadgeTone }> = {
  pending: { text: "waiting", tone: "outline" },
  writing: { text: "writing prompts", tone: "blue" },
  evaluating: { text: "evaluating", tone: "blue" },
  ranked: { text: "ranked", tone: "teal" },
  failed: { text: "failed", tone: "coral" },
};

export function trendChart(t: PromptTimeline): ChartSpec {
  const toPct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
  return {
    kind: "line",
    labels: ["Base", ...t.trend.map((g) => `Gen ${g.generation}`)],
    series: [
      { label: "Best in generation", color: seriesColor(0), values: [toPct(t.base_score), ...t.trend.map((g) => toPct(g.best))] },
      { label: "Base prompt", color: seriesColor(7), values: [toPct(t.base_score), ...t.trend.map(() => toPct(t.base_score))] },
    ],
    xTitle: "generation",
    yTitle: "score",
    unit: "%",
  };
}

const CardView = component$<{ card: PromptCard; names: Record<string, string>; multiTarget: boolean }>(({ card, names, multiTarget }) => {
  const badge = card.mutation_type ?? card.style;
  return (
    <li
      class={`pt-card${card.best_so_far ? " is-best" : ""}${card.survived === false ? " is-dropped" : ""}`}
      data-testid={`pt-card-${card.key}`}
      data-survived={card.survived === null ? "" : String(card.survived)}
      data-best={card.best_so_far ? "true" : "false"}
      data-scored={card.score === null ? "false" : "true"}
    >
      <div class="pt-card-head">
        <span class="text-strong">{card.label}</span>
        {badge && (
          <Badge tone={card.mutation_type ? "amber" : "blue"} testId={`pt-card-style-${card.key}`}>
            {badge}
          </Badge>
        )}
        {card.running && <Badge tone="outline">running</Badge>}
        {card.survived === true && (
          <Badge tone="teal" testId={`pt-card-survivor-${card.key}`}>
            survivor
          </Badge>
        )}
        {card.best_so_far && (
          <Badge tone="lime" testId={`pt-card-best-${card.key}`}>
            best so far
          </Badge>
        )}
        <span class="pt-card-score text-strong" data-testid={`pt-card-score-${card.key}`}>
          {pct(card.score)}
        </span>
      </div>
      {card.parent_key && card.generation > 0 && (
        <p class="muted small pt-card-parent">
          from {candidateLabel(card.parent_key)}
          {card.parent_preview && card.parent_key !== "base" && <span title={card.parent_preview}> · “{card.parent_preview.slice(0, 60)}…”</span>}
        </p>
      )}
      <p class="pt-card-text small" title={card.text}>
        {card.text}
      </p>
      {(multiTarget || card.heldout.length > 0) && (
        <ul class="pt-card-targets small muted">
          {multiTarget &&
            card.targets.map((t) => (
              <li key={`${t.provider_key}::${t.model_id}`}>
                {names[`${t.provider_key}::${t.model_id}`] ?? t.model_id}: {t.score === null ? "—" : pct(t.score)}
                {t.failed_calls > 0 && <span class="text-danger"> · {t.failed_calls} failed</span>}
              </li>
            ))}
          {card.heldout.map((h) => (
            <li key={`h-${h.provider_key}::${h.model_id}`}>
              held-out{multiTarget ? ` (${names[`${h.provider_key}::${h.model_id}`] ?? h.model_id})` : ""}: {pct(h.score)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
});

export interface PromptTuneRunViewProps {
  tuneId: string | null;
  items: PromptLiveItem[];
  answer: PromptTuneAnswer | null;
  final: boolean;
  running: boolean;
  mode: PromptTuneMode | null;
  generations: number;
  targets: ModelRef[];
  basePrompt: string;
  modelNames: Record<string, string>;
  onApply$: PropFunction<(prompt: string) => void>;
  /** Prefix for the Best Prompt card's test ids (History opens several). */
  testId?: string;
}

export const PromptTuneRunView = component$<PromptTuneRunViewProps>((props) => {
  const timeline = promptTimeline({
    items: props.items,
    answer: props.answer,
    final: props.final,
    running: props.running,
    mode: props.mode,
    generations: props.generations,
    targets: props.targets,
    basePrompt: props.basePrompt,
  });
  const chart = trendChart(timeline);
  const anyScored = timeline.base_score !== null || timeline.trend.some((g) => g.best !== null);
  const multiTarget = props.targets.length > 1;
  // A list even for the one base card: a lone component given `timeline.base` kept its first props (never re-rendered).
  const baseCards = timeline.base ? [timeline.base] : [];

  return (
    <div class="pt-run-view" data-testid={props.testId ? `${props.testId}-view` : "pt-run-view"}>
      {props.answer && props.tuneId && props.final && (
        <BestPromptCard
          tuneId={props.tuneId}
          answer={props.answer}
          partial={false}
          onApply$={props.onApply$}
          testId={props.testId ?? "best-prompt"}
        />
      )}

      {anyScored && (
        <section class="card pt-trend" aria-label="Score trend">
          <h3 class="te-subtitle">Score trend · best per generation vs the base prompt</h3>
          <ChartCanvas
            testId={props.testId ? `${props.testId}-trend` : "pt-trend-chart"}
            spec={chart}
            label="Best score per generation against the base prompt"
            height={180}
          />
        </section>
      )}

      <section class="card pt-timeline" aria-label="Generations" data-testid={props.testId ? `${props.testId}-timeline` : "pt-timeline"}>
        <h3 class="te-subtitle">Generations</h3>
        <div class="pt-base" data-testid="pt-base">
          <ul class="pt-cards">
            {baseCards.map((c) => (
              <CardView key={c.key} card={c} names={props.modelNames} multiTarget={multiTarget} />
            ))}
          </ul>
        </div>
        <ol class="pt-generations">
          {timeline.generations.map((g) => {
            const st = GENERATION_STATE[g.state]!;
            return (
              <li key={g.generation} class="pt-generation" data-testid={`pt-generation-${g.generation}`} data-state={g.state}>
                <div class="pt-generation-head">
                  <span class="text-strong">Generation {g.generation}</span>
                  <Badge tone={st.tone} testId={`pt-generation-state-${g.generation}`}>
                    {st.text}
                  </Badge>
                  {g.best_score !== null && <span class="muted small">best {pct(g.best_score)}</span>}
                </div>
                {g.error && (
                  <p class="field-error" role="alert" data-testid={`pt-generation-error-${g.generation}`}>
                    The meta-model's answer could not be used: {g.error}
                  </p>
                )}
                {g.cards.length > 0 && (
                  <ul class="pt-cards">
                    {g.cards.map((c) => (
                      <CardView key={c.key} card={c} names={props.modelNames} multiTarget={multiTarget} />
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
});
