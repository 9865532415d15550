import { describe, expect, it } from "vitest";
import { MAX_PROMPT_CHARS, parsePromptAnswer } from "../../src/shared/tuning/prompt-answer.ts";

const texts = (raw: string, max = 10) => parsePromptAnswer(raw, max)?.prompts.map((p) => p.text);

describe("parsePromptAnswer: accepted shapes", () => {
  it("reads {prompts:[{style, prompt}]} as json", () => {
    const raw = JSON.stringify({
      prompts: [
        { style: "concise", prompt: "Use the tools." },
        { style: "detailed", prompt: "Call tools carefully." },
      ],
    });
    expect(parsePromptAnswer(raw, 5)).toEqual({
      format: "json",
      prompts: [
        { text: "Use the tools.", style: "concise", parentIndex: null, mutationType: null },
        { text: "Call tools carefully.", style: "detailed", parentIndex: null, mutationType: null },
      ],
    });
  });

  it("reads a bare array of objects and of strings", () => {
    expect(texts(JSON.stringify([{ prompt: "A" }, { prompt: "B" }]))).toEqual(["A", "B"]);
    const bare = parsePromptAnswer(JSON.stringify(["First prompt", "Second prompt"]), 5);
    expect(bare?.format).toBe("json");
    expect(bare?.prompts).toEqual([
      { text: "First prompt", style: null, parentIndex: null, mutationType: null },
      { text: "Second prompt", style: null, parentIndex: null, mutationType: null },
    ]);
    expect(texts(JSON.stringify({ prompts: ["x", { text: "y" }] }))).toEqual(["x", "y"]);
  });

  it("reads evolution entries: parent_index, mutation_type, and text for prompt", () => {
    const raw = JSON.stringify({
      prompts: [
        { parent_index: 2, mutation_type: "bold", prompt: "Rewritten." },
        { parent_index: "#0", mutation_type: "conservative", text: "Edited." },
        { parent_index: "1", style: "numbered", mutation_type: "crossover", prompt: "Crossed." },
      ],
    });
    expect(parsePromptAnswer(raw, 5)?.prompts).toEqual([
      { text: "Rewritten.", style: "bold", parentIndex: 2, mutationType: "bold" },
      { text: "Edited.", style: "conservative", parentIndex: 0, mutationType: "conservative" },
      { text: "Crossed.", style: "numbered", parentIndex: 1, mutationType: "crossover" },
    ]);
  });

  it("keeps entries with odd fields instead of dropping them: a bad index or style becomes null", () => {
    const raw = JSON.stringify({
      prompts: [
        { prompt: "P", parent_index: -1, style: 7 },
        { prompt: "Q", parent_index: 1.5, extra: true },
      ],
    });
    expect(parsePromptAnswer(raw, 5)?.prompts).toEqual([
      { text: "P", style: null, parentIndex: null, mutationType: null },
      { text: "Q", style: null, parentIndex: null, mutationType: null },
    ]);
  });

  it("skips entries without a usable prompt but keeps the rest", () => {
    expect(texts(JSON.stringify({ prompts: [{ style: "x" }, { prompt: 42 }, null, 3, { prompt: "ok" }] }))).toEqual(["ok"]);
  });
});

describe("parsePromptAnswer: fences and prose", () => {
  it("strips ```json fences after a sentence", () => {
    const raw = `Here you go:\n\n\`\`\`json\n${JSON.stringify({ prompts: [{ style: "s", prompt: "Fenced prompt." }] }, null, 2)}\n\`\`\`\nHope this helps.`;
    const parsed = parsePromptAnswer(raw, 5);
    expect(parsed?.format).toBe("fenced");
    expect(parsed?.prompts.map((p) => p.text)).toEqual(["Fenced prompt."]);
  });

  it("strips a bare ``` fence and an unclosed one", () => {
    expect(parsePromptAnswer('```\n["a", "b"]\n```', 5)).toMatchObject({ format: "fenced", prompts: [{ text: "a" }, { text: "b" }] });
    expect(parsePromptAnswer('```json\n{"prompts":["only"]}', 5)).toMatchObject({ format: "fenced", prompts: [{ text: "only" }] });
  });

  it("extracts the first balanced object from prose, ignoring brackets inside strings", () => {
    const raw = `Sure! I wrote these {as asked}: {"prompts":[{"style":"s","prompt":"Use tools {carefully} [always]."}]} Let me know.`;
    const parsed = parsePromptAnswer(raw, 5);
    expect(parsed?.format).toBe("extracted");
    expect(parsed?.prompts.map((p) => p.text)).toEqual(["Use tools {carefully} [always]."]);
  });

  it("extracts an array from prose, and an inner list when the outer object is not valid JSON", () => {
    expect(parsePromptAnswer('Prompts: ["one", "two"]. Done.', 5)).toMatchObject({
      format: "extracted",
      prompts: [{ text: "one" }, { text: "two" }],
    });
    // A trailing comma spoils the outer object; the inner array is still valid JSON.
    const raw = '{"prompts": [{"prompt": "inner"}], }';
    expect(parsePromptAnswer(raw, 5)).toMatchObject({ format: "extracted", prompts: [{ text: "inner" }] });
    // Another key than "prompts": the list inside is still found.
    expect(parsePromptAnswer('{"variations": ["a"]}', 5)).toMatchObject({ format: "extracted", prompts: [{ text: "a" }] });
  });
});

describe("parsePromptAnswer: cleaning", () => {
  it("trims, drops empty and whitespace-only prompts and exact duplicates", () => {
    const raw = JSON.stringify({ prompts: ["  Same  ", "", "   \n ", "Same", { prompt: "Same" }, "Other", "other"] });
    expect(texts(raw)).toEqual(["Same", "Other", "other"]);
  });

  it("returns only the first max prompts, counting after the drops", () => {
    const raw = JSON.stringify(["a", "", "a", "b", "c", "d"]);
    expect(texts(raw, 3)).toEqual(["a", "b", "c"]);
    expect(texts(raw, 1)).toEqual(["a"]);
  });

  it(`cuts a prompt at ${MAX_PROMPT_CHARS} characters`, () => {
    const long = "x".repeat(MAX_PROMPT_CHARS + 500);
    const [text] = texts(JSON.stringify([long])) ?? [];
    expect(text?.length).toBe(MAX_PROMPT_CHARS);
  });
});

describe("parsePromptAnswer: nothing usable → null", () => {
  it.each([
    ["empty answer", ""],
    ["plain prose", "I cannot help with that."],
    ["truncated JSON", '{"prompts": [{"style": "concise", "prompt": "You are a helpful'],
    ["an object without a list of prompts", '{"answer": 42, "note": "none"}'],
    ["only empty prompts", '{"prompts": ["", "  ", {"prompt": ""}]}'],
    ["an empty list", '{"prompts": []}'],
    ["a list of numbers", "[1, 2, 3]"],
    ["a JSON string", '"just a prompt"'],
    ["a fence holding prose", "```\nno json here\n```"],
  ])("%s", (_name, raw) => {
    expect(parsePromptAnswer(raw, 5)).toBeNull();
  });

  it("returns null when max is 0", () => {
    expect(parsePromptAnswer('["a"]', 0)).toBeNull();
  });
});
