/** `llm-bench history`: the recent benchmark and tool-eval runs on the deployment signed in with `llm-bench login`. */
import { CliError, type Command, EXIT, parseOptions } from "./command.ts";
import { loadCredentials } from "./credentials.ts";
import { Deployment } from "./deployment.ts";

const USAGE = `llm-bench history — recent runs on your deployment (benchmarks and tool evals, newest first)

Usage:
  llm-bench history [--limit N] [--format table|json]

  --limit <n>       how many runs (default 20, at most 200)
  --format <fmt>    table (default) or json
  -h, --help        this text

Needs llm-bench login first (or LLM_BENCH_URL and LLM_BENCH_TOKEN). llm-bench export <id> downloads a run.
Exit codes: 0 listed, 2 bad option or not logged in / token refused, 3 the deployment cannot be reached.
`;

export interface HistoryEntry {
  kind: "benchmark" | "tool_eval";
  id: string;
  status: string;
  started_at: string;
  completed_at: string | null;
  models: string[];
  detail: string;
}

interface BenchmarkRunView {
  id: string;
  status: string;
  timestamp: string;
  completed_at: string | null;
  runs: number;
  context_tiers: number[];
  config: { targets?: { model_id: string }[] };
}
interface EvalRunView {
  id: string;
  status: string;
  timestamp: string;
  completed_at: string | null;
  suite_name: string;
  scorer: string;
  models: { model_id: string }[];
}

export async function recentRuns(api: Deployment, limit: number): Promise<HistoryEntry[]> {
  const [bench, evals] = await Promise.all([
    api.json<{ runs: BenchmarkRunView[] }>(`/api/history?limit=${limit}`),
    api.json<{ runs: EvalRunView[] }>(`/api/tool-eval/history?limit=${limit}`),
  ]);
  const entries: HistoryEntry[] = [
    ...bench.runs.map((r) => ({
      kind: "benchmark" as const,
      id: r.id,
      status: r.status,
      started_at: r.timestamp,
      completed_at: r.completed_at,
      models: (r.config.targets ?? []).map((t) => t.model_id),
      detail: `${r.runs} runs × tiers ${r.context_tiers.join(", ")}`,
    })),
    ...evals.runs.map((r) => ({
      kind: "tool_eval" as const,
      id: r.id,
      status: r.status,
      started_at: r.timestamp,
      completed_at: r.completed_at,
      models: r.models.map((m) => m.model_id),
      detail: `${r.suite_name} (${r.scorer})`,
    })),
  ];
  return entries.sort((a, b) => b.started_at.localeCompare(a.started_at)).slice(0, limit);
}

function table(entries: HistoryEntry[]): string {
  if (!entries.length) return "No runs yet.\n";
  const head = ["started", "kind", "id", "status", "models", "detail"];
  const rows = entries.map((e) => [e.started_at.replace("T", " ").slice(0, 19), e.kind, e.id, e.status, e.models.join(", "), e.detail]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join("\n")}\n`;
}

export const historyCommand: Command = {
  name: "history",
  summary: "list recent runs on your deployment (after llm-bench login)",
  usage: USAGE,
  async run(argv) {
    const { values } = parseOptions(argv, {
      limit: { type: "string", default: "20" },
      format: { type: "string", default: "table" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new CliError("--limit must be a whole number from 1 to 200");
    if (values.format !== "table" && values.format !== "json") throw new CliError("--format must be table or json");
    const entries = await recentRuns(new Deployment(loadCredentials()), limit);
    process.stdout.write(values.format === "json" ? `${JSON.stringify(entries, null, 2)}\n` : table(entries));
    return EXIT.ok;
  },
};
