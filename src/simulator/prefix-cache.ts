/**
 * cache<ms>: a prefix cache per model id, as llama.cpp, vLLM or SGLang keep one. A request whose prompt prefix
 * (its first PREFIX_CHARS characters, system text first) the model id has served before is a hit and gets the
 * cached TTFT. All or nothing: enough to show whether a benchmark's prompts repeat a prefix, not a prefill model.
 */

/** 16 tokens at the simulator's 4 characters per token: vLLM's cache block. */
export const PREFIX_CHARS = 64;

/** Prefixes remembered per model id; the oldest go first, so a long run cannot grow memory without bound. */
const MAX_PREFIXES_PER_MODEL = 10_000;

export class PrefixCache {
  #seen = new Map<string, Set<string>>();

  /** Records that `model` served `prefix`; true when it had served it before (a hit). */
  visit(model: string, prefix: string): boolean {
    const seen = this.#seen.get(model) ?? new Set<string>();
    this.#seen.set(model, seen);
    if (seen.has(prefix)) return true;
    if (seen.size >= MAX_PREFIXES_PER_MODEL) seen.delete(seen.values().next().value as string);
    seen.add(prefix);
    return false;
  }

  reset(model?: string): void {
    if (model === undefined) this.#seen.clear();
    else this.#seen.delete(model);
  }
}
