/**
 * Context-tier filler, tested in Node: the o200k tokenizer tables are a 2.4 MB module, too large for the
 * workerd test pool's module channel (wrangler bundles it fine for dev and deploy).
 */
import { describe, expect, it } from "vitest";
import { fillerText } from "../../src/worker/llm/filler.ts";
import { countTokens } from "../../src/worker/llm/tokens.ts";

describe("context-tier filler", () => {
  it("is exactly N tokens (o200k_base), natural text, and different for every run", async () => {
    for (const n of [1, 17, 1000, 5000]) {
      const text = await fillerText(n, `run-a:${n}`);
      expect(await countTokens(text)).toBe(n);
    }
    const a = await fillerText(1000, "run-1");
    const b = await fillerText(1000, "run-2");
    expect(a).not.toBe(b); // defeats provider prompt caches
    expect(a.slice(0, 200)).toMatch(/[a-z]+ [a-z]+/);
    expect(await fillerText(0, "x")).toBe("");
  });
});
