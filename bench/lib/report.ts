/** The bench run's outputs: one line per figure on the console, and the JSON + Markdown report files. */
import type { Figure, ScenarioResult } from "./scenario.ts";

export interface ScenarioOutcome extends ScenarioResult {
  status: "ok" | "broken";
  duration_s: number;
  ports: string;
  /** Why the scenario is broken (crash, lost or duplicated result). */
  error?: string;
}

export interface BenchReport {
  date: string;
  quick: boolean;
  only: string[] | null;
  started_at: string;
  finished_at: string;
  duration_s: number;
  machine: { cpus: number; cpu_model: string; memory_gb: number; platform: string; node: string; load_avg_at_start: number[] };
  git: { commit: string; branch: string; dirty: boolean };
  scenarios: ScenarioOutcome[];
}

export function formatValue(f: Pick<Figure, "value" | "unit">): string {
  if (f.unit === "×") return `${f.value.toFixed(3)}×`; // ratios are read against bars like 1.02 and 1.15
  const abs = Math.abs(f.value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return `${f.value.toFixed(digits)} ${f.unit}`;
}

function mark(f: Figure): string {
  return f.meets === undefined ? " " : f.meets ? "✓" : "✗";
}

export function figureLine(f: Figure): string {
  return `  ${mark(f)} ${f.label}: ${formatValue(f)}${f.bar ? `   bar: ${f.bar}` : ""}`;
}

/** Figures held to a bar; for a scenario without any bar, all of its figures. */
function headline(s: ScenarioOutcome): Figure[] {
  const barred = s.figures.filter((f) => f.bar);
  return barred.length ? barred : s.figures;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function markdown(r: BenchReport): string {
  const mode = r.quick ? "`npm run bench -- --quick`" : "`npm run bench`";
  const barred = r.scenarios.flatMap((s) => s.figures.filter((f) => f.bar));
  const met = barred.filter((f) => f.meets).length;
  const brokenOnes = r.scenarios.filter((s) => s.status === "broken");
  const out: string[] = [
    `# Benchmark report, ${r.date}${r.quick ? " (quick)" : ""}`,
    "",
    `${mode}${r.only ? ` --only ${r.only.join(",")}` : ""} · ${r.machine.cpus} CPUs (${r.machine.cpu_model}), ` +
      `${r.machine.memory_gb} GB · Node ${r.machine.node} · commit \`${r.git.commit.slice(0, 12)}\`${r.git.dirty ? " (uncommitted changes)" : ""} ` +
      `on \`${r.git.branch}\` · ${(r.duration_s / 60).toFixed(1)} min · load average at start ${r.machine.load_avg_at_start.map((x) => x.toFixed(2)).join(" / ")}`,
    "",
    "Everything runs on loopback on one shared machine (other engineers run tests on it at the same time), so the " +
      "numbers are noisy. A missed bar is ✗ here and never fails CI; only a broken scenario (crash, lost or duplicated " +
      "result) does.",
    "",
    `**${met} of ${barred.length} bars met.** Broken scenarios: ${brokenOnes.length ? brokenOnes.map((s) => `\`${s.id}\``).join(", ") : "none"}.`,
    "",
    "## Summary",
    "",
    "| scenario | figure | value | bar | |",
    "|---|---|---|---|---|",
  ];
  for (const s of r.scenarios) {
    if (s.status === "broken") {
      out.push(`| ${s.id} | **broken**: ${cell(s.error ?? "")} | | | ✗ |`);
      continue;
    }
    for (const f of headline(s)) out.push(`| ${s.id} | ${cell(f.label)} | ${formatValue(f)} | ${cell(f.bar ?? "no bar")} | ${mark(f)} |`);
  }
  for (const s of r.scenarios) {
    out.push(
      "",
      `## ${s.id}: ${s.title}`,
      "",
      `${s.status === "ok" ? "Completed" : "**Broken**"} in ${s.duration_s.toFixed(1)} s (ports ${s.ports}).`,
    );
    if (s.error) out.push("", "```", s.error, "```");
    if (s.figures.length) {
      out.push("", "| figure | value | bar | |", "|---|---|---|---|");
      for (const f of s.figures) out.push(`| ${cell(f.label)} | ${formatValue(f)} | ${cell(f.bar ?? "–")} | ${mark(f)} |`);
    }
    if (s.notes.length) out.push("", ...s.notes.map((n) => `- ${n}`));
  }
  out.push("", `Raw samples: the JSON file next to this report.`, "");
  return out.join("\n");
}
