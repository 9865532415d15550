/**
 * `llm-bench capacity`: a capacity probe (issue 18) on the deployment signed in with `llm-bench login`. Shows the
 * server's estimate, submits POST /api/capacity, prints a line per finished level as the job streams it, then reads
 * the stored probe back (knee, highest level meeting the SLO, stop reason — the server's analysis, not redone
 * here) for the report and the assertions. Ctrl+C cancels the job on the server; finished levels are kept.
 */
import type { CapacityEstimate, CapacityRunDetail } from "../shared/capacity.ts";
import { type CapacityFlags, capacityRequest, checkCapacityAssertion, parseCapacityAssertion } from "./capacity-options.ts";
import { type CapacityAssertionOutcome, type CapacityReport, estimateLine, levelLine, renderCapacity } from "./capacity-report.ts";
import { CliError, type Command, EXIT, parseOptions, version } from "./command.ts";
import { loadCredentials } from "./credentials.ts";
import { Deployment } from "./deployment.ts";
import { JobFollower } from "./follow.ts";
import { emitReport, REPORT_OPTIONS, reportFormat } from "./output.ts";

const USAGE = `llm-bench capacity — probe how models on your deployment hold up as concurrency grows

Usage:
  llm-bench capacity --model PROVIDER_KEY/MODEL_ID [--model ...] --slo-ttft-ms MS --slo-itl-ms MS [options]

  --model <key/id>        a target as on the deployment (provider key / model id); repeat for up to 8
  --slo-ttft-ms <ms>      the SLO's TTFT p95 bound (required)
  --slo-itl-ms <ms>       the SLO's ITL p95 bound (required)
  --levels <list>         the concurrency ladder, strictly increasing (default 1,2,4,8,16,32)
  --hold-requests <n>     requests per level (default 20; at least the level, rounded up to a multiple of it)
  --hold-seconds <s>      or: keep each level busy this long (not both)
  --loop <closed|open>    closed (default): L streams back to back; open: Poisson arrivals at --rate
  --rate <r>              open loop: arrivals per second at the first level (level L gets r × L / first level)
  --max-tokens <n>        output tokens per request (default 256)
  --context-tier <n>      filler tokens before the prompt (default 0)
  --prompt <text>         the prompt (the server's default otherwise)
  --seed <n>              fixes the open loop's arrival times
  --budget-tokens <n>     stop the ladder after this many tokens
  --budget-usd <x>        stop the ladder after this cost
  --assert <expr>         e.g. "max_level_meeting_slo >= 8" or "knee_level >= 4", checked per target; repeatable
  --estimate-only         print the estimate and exit without starting the probe
  --format <fmt>          the report: table (default), json, markdown or junit
  --output <file>         write the report there (the table still goes to stdout)
  --ci                    plain progress lines (the default; kept for symmetry with run)
  --quiet                 no progress lines
  -h, --help              this text

The estimate (requests, tokens, cost at most) is printed first, then a line per finished level (achieved over
requested concurrency, TTFT p95, ITL p95, aggregate tok/s, goodput, SLO met), then per target the knee, the
highest level meeting the SLO and why the ladder stopped, as the deployment stored them (its Capacity page shows
the same probe). An assertion on a figure the probe did not find (no knee in the ladder, no level meeting the
SLO) fails. Ctrl+C cancels the probe on the server; the levels that finished are reported.

Needs llm-bench login first (or LLM_BENCH_URL and LLM_BENCH_TOKEN). When $GITHUB_STEP_SUMMARY is set, the
Markdown report is appended to it.
Exit codes: 0 passed, 1 an assertion failed, 2 bad option or not logged in / token refused, 3 the deployment
cannot be reached or the probe failed (or was cancelled) there, 130 interrupted (the probe was cancelled on the server).
`;

export const capacityCommand: Command = {
  name: "capacity",
  summary: "probe a model's concurrency limit on your deployment (knee, SLO limit); exit 1 when an --assert fails",
  usage: USAGE,
  async run(argv) {
    const { values } = parseOptions(argv, {
      model: { type: "string", multiple: true },
      levels: { type: "string" },
      "hold-requests": { type: "string" },
      "hold-seconds": { type: "string" },
      loop: { type: "string" },
      rate: { type: "string" },
      "slo-ttft-ms": { type: "string" },
      "slo-itl-ms": { type: "string" },
      "max-tokens": { type: "string" },
      "context-tier": { type: "string" },
      prompt: { type: "string" },
      seed: { type: "string" },
      "budget-tokens": { type: "string" },
      "budget-usd": { type: "string" },
      assert: { type: "string", multiple: true },
      "estimate-only": { type: "boolean", default: false },
      ...REPORT_OPTIONS,
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    const format = reportFormat(values.format);
    const request = capacityRequest(values as CapacityFlags);
    const assertions = (values.assert ?? []).map(parseCapacityAssertion);
    const log = (line: string) => (values.quiet ? undefined : process.stderr.write(`${line}\n`));

    const api = new Deployment(loadCredentials());
    const estimate = await api.json<CapacityEstimate>("/api/capacity/estimate", { body: request });
    if (values["estimate-only"]) {
      process.stdout.write(`${estimateLine(estimate)}\n`);
      return EXIT.ok;
    }
    log(estimateLine(estimate));

    const started = Date.now();
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    const follower = await JobFollower.open(api);
    let submitted: { job_id: string; run_id: string };
    let end: Awaited<ReturnType<JobFollower["follow"]>>;
    try {
      submitted = await api.json<{ job_id: string; run_id: string }>("/api/capacity", { body: request });
      log(`capacity probe ${submitted.run_id} submitted (job ${submitted.job_id})`);
      // Lines name the target as --model did (display names may hold spaces, which a CI log grep trips on).
      const key = (t: { provider_key: string; model_id: string }) => `${t.provider_key}/${t.model_id}`;
      end = await follower.follow(
        submitted.job_id,
        (e) => {
          if (e.type === "capacity_level") log(levelLine(key(e.data), e.data));
          else if (e.type === "capacity_stopped") log(`capacity ${key(e.data)}: the ladder stopped at level ${e.data.at_level} (${e.data.reason})`);
        },
        controller.signal,
      );
    } finally {
      process.off("SIGINT", onSigint);
      follower.close();
    }
    if (!controller.signal.aborted && (end === "failed" || end === "interrupted")) {
      throw new CliError(`the capacity job ${submitted.job_id} ${end} on the server`, EXIT.provider);
    }

    const run = await api.settled<CapacityRunDetail>(`/api/capacity/history/${encodeURIComponent(submitted.run_id)}`);
    const outcomes: CapacityAssertionOutcome[] = assertions.flatMap((a) =>
      run.targets.map((t) => ({
        assertion: a.text,
        provider_key: t.provider_key,
        model_id: t.model_id,
        ...checkCapacityAssertion(a, t[a.metric]),
      })),
    );
    const failed = outcomes.filter((o) => !o.passed).length;
    const interrupted = controller.signal.aborted;
    const verdict = interrupted
      ? { code: EXIT.interrupted, text: `INTERRUPTED: the probe was cancelled on the server (job ${submitted.job_id} ended ${end})` }
      : end === "cancelled"
        ? { code: EXIT.provider, text: `CANCELLED: the probe was cancelled on the deployment (not from here), so no verdict` }
        : failed
          ? { code: EXIT.failed, text: `FAILED: ${failed} of ${outcomes.length} assertions failed` }
          : { code: EXIT.ok, text: "PASSED" };
    const report: CapacityReport = {
      llm_bench_version: version(),
      started_at: new Date(started).toISOString(),
      duration_ms: Date.now() - started,
      url: api.url,
      job_id: submitted.job_id,
      job_end: end,
      estimate,
      run,
      assertions: outcomes,
      exit_code: verdict.code,
      verdict: verdict.text,
    };

    emitReport("capacity", format, values.output, (f) => renderCapacity(report, f));
    if (interrupted)
      process.stderr.write(`llm-bench capacity: interrupted: the capacity job ${submitted.job_id} was cancelled on the server (it ended ${end})\n`);
    return verdict.code;
  },
};
