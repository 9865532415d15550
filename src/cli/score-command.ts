/** `llm-bench score` as a command of the dispatcher (the scoring itself is in score.ts). */
import type { Command } from "./command.ts";
import { SCORE_USAGE, scoreMain } from "./score.ts";

export const scoreCommand: Command = {
  name: "score",
  summary: "score recorded tool calls against a suite, offline",
  usage: SCORE_USAGE,
  async run(argv) {
    const r = scoreMain(argv);
    if (r.stdout) process.stdout.write(r.stdout);
    if (r.stderr) process.stderr.write(r.stderr);
    return r.code;
  },
};
