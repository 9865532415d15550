/**
 * Reads a prompt-generation request the way the writer model needs it: how many prompts, the base prompt, the
 * parents with their scores and full texts, and the tool names. The markers are the ones the app's meta-prompts
 * write (src/shared/tuning/meta-prompt.ts); the simulator reads them from the wire like any model would.
 */

export interface Parent {
  index: number;
  score: number;
  text: string;
}

export interface WriterTask {
  count: number;
  /** quick: write variations of `base`; evolution: mutate `parents`. */
  mode: "quick" | "evolution";
  base: string;
  parents: Parent[];
  tools: string[];
}

/** A request asking for more is answered with this many: the simulator's answers stay a bounded size. */
export const MAX_WRITER_PROMPTS = 50;

const COUNT = /Write exactly (\d{1,6}) prompts\./;
const BASE = /^<<<BASE\n([\s\S]*?)\nBASE>>>$/m;
const PARENT = /^<<<PARENT (\d{1,6})\n([\s\S]*?)\nPARENT \1>>>$/gm;
const SCORE = /^#(\d{1,6}) \(score=(\d+(?:\.\d+)?)\): "(.*)"$/gm;
const TOOL_LINE = /^- ([A-Za-z0-9_.-]{1,64}): /;

/** The task, or null when the message is not a prompt-generation request (then the model answers as usual). */
export function readWriterTask(user: string): WriterTask | null {
  const count = COUNT.exec(user);
  if (!count) return null;
  const n = Math.min(MAX_WRITER_PROMPTS, Number(count[1]));
  if (n < 1) return null;

  const scores = new Map<number, { score: number; preview: string }>();
  for (const m of user.matchAll(SCORE)) scores.set(Number(m[1]), { score: Number(m[2]), preview: m[3] as string });
  const parents: Parent[] = [];
  for (const m of user.matchAll(PARENT)) {
    const index = Number(m[1]);
    parents.push({ index, score: scores.get(index)?.score ?? 0, text: m[2] as string });
  }
  // Without the full texts, the listed previews are all there is to mutate.
  if (parents.length === 0) for (const [index, s] of scores) parents.push({ index, score: s.score, text: s.preview });

  const base = BASE.exec(user)?.[1] ?? "";
  return { count: n, mode: parents.length > 0 ? "evolution" : "quick", base, parents, tools: toolNames(user) };
}

/** Names from the "Tools available:" list (one `- name: description` line each, up to the next blank line). */
function toolNames(user: string): string[] {
  const lines = user.split("\n");
  const start = lines.findIndex((l) => l.trim() === "Tools available:");
  if (start === -1) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = TOOL_LINE.exec(line);
    if (!m) break;
    names.push(m[1] as string);
  }
  return names;
}
