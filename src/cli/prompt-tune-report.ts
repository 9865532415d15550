/**
 * `llm-bench prompt-tune`'s report and verdict. Every figure and statement is the deployment's stored answer
 * (GET /api/tool-eval/prompt-tune/history/{id}); the verdict reads its headline significance, the best prompt
 * against the base prompt, as `tune` does for settings.
 */
import { BASE_CANDIDATE } from "../shared/tuning/prompt-schedule.ts";
import type { PromptTuneAnswer } from "../shared/tuning/prompt-tune-answer.ts";
import { EXIT } from "./command.ts";
import type { Format } from "./report.ts";
import { junitDocument, mdCell, mdTable, textTable } from "./text-format.ts";

export interface PromptTuneReport {
  llm_bench_version: string;
  config: string;
  started_at: string;
  duration_ms: number;
  url: string;
  tune_id: string;
  job_id: string;
  status: string;
  suite_name: string;
  mode: string;
  answer: PromptTuneAnswer;
  /** decided, insufficient_evidence, or beaten (--fail-if-beaten and a prompt beats the base). */
  outcome: "decided" | "insufficient_evidence" | "beaten";
  exit_code: number;
  verdict: string;
}

/** Failed calls first (no verdict), then a beaten base prompt, then undecided evidence. */
export function promptTuneVerdict(
  answer: PromptTuneAnswer,
  failIfBeaten: boolean,
): { code: number; text: string; outcome: PromptTuneReport["outcome"] } {
  const failed = answer.candidates.reduce((n, c) => n + c.targets.reduce((m, t) => m + t.failed_calls, 0), 0);
  const s = answer.significance;
  const outcome: PromptTuneReport["outcome"] =
    failIfBeaten && s?.verdict === "better" && answer.best_key !== BASE_CANDIDATE
      ? "beaten"
      : !s || s.verdict === "insufficient_evidence"
        ? "insufficient_evidence"
        : "decided";
  if (failed)
    return {
      code: EXIT.provider,
      outcome,
      text: `PROVIDER FAILURE: ${failed} evaluation calls got no answer (they score 0, so the ranking is not a verdict)`,
    };
  if (outcome === "beaten") return { code: EXIT.failed, outcome, text: `FAILED: a written prompt beats the base prompt (${s!.statement})` };
  if (outcome === "insufficient_evidence") {
    const more = s?.more_cases_needed ? ` (about ${s.more_cases_needed} more cases would)` : "";
    return { code: EXIT.insufficient, outcome, text: `INSUFFICIENT EVIDENCE: the best prompt could not be told from the base prompt${more}` };
  }
  return { code: EXIT.ok, outcome, text: "DECIDED" };
}

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? "–" : x.toFixed(digits));
const oneLine = (text: string, max = 80) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const HEAD = ["", "prompt", "generation", "score", "survived", "text"];
function rows(a: PromptTuneAnswer): string[][] {
  return [...a.candidates]
    .sort((x, y) => (y.score ?? -1) - (x.score ?? -1))
    .map((c) => [c.key === a.best_key ? "*" : "", c.label, String(c.generation), num(c.score), c.survived ? "yes" : "", oneLine(c.text)]);
}

function lines(r: PromptTuneReport): string[] {
  const a = r.answer;
  const out = [
    a.best_prompt ? `best: ${a.candidates.find((c) => c.key === a.best_key)?.label} (score ${num(a.best_score)})` : `best: none (${a.statement})`,
  ];
  if (a.significance) out.push(`significance: ${a.significance.statement}`);
  for (const h of a.holdout) out.push(`held-out check: ${h.statement}`);
  return out;
}

const heading = (r: PromptTuneReport) =>
  `Prompt tune on "${r.suite_name}" (${r.mode}, ${r.answer.trials_run} evaluation calls, ${r.answer.meta_calls} meta calls) on ${r.url}, tune ${r.tune_id} (${r.status})`;

export function promptTuneTable(r: PromptTuneReport): string {
  const parts = [heading(r), textTable(HEAD, rows(r.answer)), lines(r).join("\n")];
  if (r.answer.best_prompt) parts.push(`Best prompt:\n${r.answer.best_prompt}`);
  parts.push(r.verdict);
  return `${parts.join("\n\n")}\n`;
}

export function promptTuneMarkdown(r: PromptTuneReport): string {
  const parts = [
    `## llm-bench prompt-tune: ${r.verdict}`,
    mdCell(heading(r)),
    mdTable(HEAD, rows(r.answer)),
    lines(r)
      .map((l) => `- ${l}`)
      .join("\n"),
  ];
  if (r.answer.best_prompt) parts.push(`Best prompt:\n\n\`\`\`text\n${r.answer.best_prompt.replaceAll("```", "'''")}\n\`\`\``);
  return `${parts.join("\n\n")}\n`;
}

export function renderPromptTune(r: PromptTuneReport, format: Format): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(r, null, 2)}\n`;
    case "junit":
      return junitDocument(`llm-bench prompt-tune ${r.config}`, r.started_at, r.duration_ms, [
        {
          classname: `llm-bench.prompt-tune.${r.suite_name}`,
          name: "best prompt vs base prompt",
          outcome: r.outcome === "decided" ? "pass" : r.outcome === "beaten" ? "fail" : "skipped",
          message: r.answer.significance?.statement ?? r.answer.statement,
          ...(r.outcome === "beaten" ? { detail: r.answer.best_prompt ?? "" } : {}),
        },
      ]);
    case "markdown":
      return promptTuneMarkdown(r);
    default:
      return promptTuneTable(r);
  }
}
