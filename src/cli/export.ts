/** `llm-bench export <run_id>`: one run from the deployment as JSON or CSV, through the app's own export endpoints. */
import { writeFileSync } from "node:fs";
import { CliError, type Command, EXIT, parseOptions } from "./command.ts";
import { loadCredentials } from "./credentials.ts";
import { apiError, Deployment } from "./deployment.ts";

const USAGE = `llm-bench export — download one run from your deployment

Usage:
  llm-bench export <run_id> [--format json|csv] [--output FILE]

  run_id            a benchmark or tool-eval run id (llm-bench history lists them)
  --format <fmt>    json (default): the run with every result; csv: one row per measured call (benchmark) or
                    per model (tool eval)
  --output <file>   write it there instead of stdout
  -h, --help        this text

Needs llm-bench login first (or LLM_BENCH_URL and LLM_BENCH_TOKEN).
Exit codes: 0 exported, 2 bad option, unknown run, or not logged in / token refused, 3 the deployment cannot be reached.
`;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The body of a GET, or null on 404 (the id may be the other kind of run). */
async function getOrNull(api: Deployment, pathname: string): Promise<string | null> {
  const res = await api.fetch(pathname);
  const text = await res.text();
  if (res.status === 404) return null;
  if (!res.ok) {
    let body: { error?: string; code?: string } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw apiError(res.status, body, `GET ${pathname}`);
  }
  return text;
}

/** The eval summaries CSV of the run's suite, cut to this run's rows (its first column is the run id). */
function onlyRun(csv: string, id: string): string {
  const lines = csv.split(/\r?\n/);
  return `${[lines[0], ...lines.slice(1).filter((l) => l.startsWith(`${id},`))].join("\n")}\n`;
}

export async function exportRun(api: Deployment, id: string, format: "json" | "csv"): Promise<string> {
  const e = encodeURIComponent(id);
  const bench = await getOrNull(api, `/api/history/${e}`);
  if (bench !== null)
    return format === "json" ? `${JSON.stringify(JSON.parse(bench), null, 2)}\n` : ((await getOrNull(api, `/api/export/run/${e}`)) ?? "");
  const evalRun = await getOrNull(api, `/api/export/eval/${e}`);
  if (evalRun === null) throw new CliError(`no run ${id} on ${api.url} (llm-bench history lists your runs)`);
  if (format === "json") return `${JSON.stringify(JSON.parse(evalRun), null, 2)}\n`;
  const { suite_id } = JSON.parse(evalRun) as { suite_id: string | null };
  const csv = await getOrNull(api, `/api/export/tool-eval${suite_id ? `?suite_id=${encodeURIComponent(suite_id)}` : ""}`);
  return onlyRun(csv ?? "", id);
}

export const exportCommand: Command = {
  name: "export",
  summary: "download one run from your deployment as JSON or CSV (after llm-bench login)",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      { format: { type: "string", default: "json" }, output: { type: "string" }, help: { type: "boolean", short: "h" } },
      true,
    );
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new CliError("give one run id (llm-bench history lists them)");
    const id = positionals[0]!;
    if (!ID.test(id)) throw new CliError(`not a run id: ${id}`);
    if (values.format !== "json" && values.format !== "csv") throw new CliError("--format must be json or csv");
    const text = await exportRun(new Deployment(loadCredentials()), id, values.format);
    if (values.output) {
      try {
        writeFileSync(values.output, text);
      } catch (e) {
        throw new CliError(`cannot write --output ${values.output}: ${(e as Error).message}`);
      }
      process.stderr.write(`Wrote ${values.output}\n`);
    } else process.stdout.write(text);
    return EXIT.ok;
  },
};
