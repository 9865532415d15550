/**
 * Reads the meta-model's answer to a prompt-generation request (original §10.2), leniently: models wrap JSON in
 * fences, add a sentence before it, return a bare list, or use `text` for `prompt`. Each entry is checked with zod
 * on its own, so one odd entry does not throw away the rest. null means nothing usable, and the caller retries.
 */
import { z } from "zod";

export interface ProposedPrompt {
  text: string;
  /** The style the writer named; for a mutation without one, its mutation type. */
  style: string | null;
  parentIndex: number | null;
  mutationType: string | null;
}

/** How the prompts were found: the whole answer was JSON, JSON inside a ``` fence, or JSON cut out of prose. */
export type AnswerFormat = "json" | "fenced" | "extracted";

/** A prompt longer than this is cut: a runaway answer must not become a 1 MB system prompt on every eval call. */
export const MAX_PROMPT_CHARS = 50_000;
const MAX_LABEL_CHARS = 100;
/** Bracket openings tried when cutting JSON out of prose; bounds the work on a long answer full of braces. */
const MAX_EXTRACT_ATTEMPTS = 50;

const label = z
  .string()
  .transform((s) => s.trim().slice(0, MAX_LABEL_CHARS))
  .nullish()
  .catch(null);

/** An index as a number, a numeric string, or "#2" (as the meta-prompt lists parents). */
const index = z
  .union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^\s*#?\d{1,6}\s*$/)
      .transform((s) => Number(s.replace(/[#\s]/g, ""))),
  ])
  .nullish()
  .catch(null);

const EntryObject = z.looseObject({
  prompt: z.string().optional().catch(undefined),
  text: z.string().optional().catch(undefined),
  style: label,
  mutation_type: label,
  parent_index: index,
});

const Entry = z.union([
  z.string().transform((text) => ({ text, style: null, mutationType: null, parentIndex: null })),
  EntryObject.transform(fromObject),
]);

const Answer = z.union([z.array(z.unknown()), z.looseObject({ prompts: z.array(z.unknown()) }).transform((o) => o.prompts)]);

function fromObject(o: z.infer<typeof EntryObject>) {
  return {
    text: o.prompt ?? o.text ?? "",
    style: o.style || o.mutation_type || null,
    mutationType: o.mutation_type || null,
    parentIndex: o.parent_index ?? null,
  };
}

export function parsePromptAnswer(raw: string, max: number): { prompts: ProposedPrompt[]; format: AnswerFormat } | null {
  const whole = fromJsonText(raw, max);
  if (whole) return { prompts: whole, format: "json" };
  const fenced = fencedBody(raw);
  if (fenced !== null) {
    const prompts = fromJsonText(fenced, max);
    if (prompts) return { prompts, format: "fenced" };
  }
  for (const candidate of balancedSpans(raw)) {
    const prompts = fromJsonText(candidate, max);
    if (prompts) return { prompts, format: "extracted" };
  }
  return null;
}

/** The usable prompts in a JSON text, or null when it is not JSON of an accepted shape or holds no prompt. */
function fromJsonText(text: string, max: number): ProposedPrompt[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch {
    return null;
  }
  const answer = Answer.safeParse(value);
  if (!answer.success) return null;
  const seen = new Set<string>();
  const prompts: ProposedPrompt[] = [];
  for (const item of answer.data) {
    if (prompts.length >= max) break;
    const entry = Entry.safeParse(item);
    if (!entry.success) continue;
    const text = entry.data.text.trim().slice(0, MAX_PROMPT_CHARS);
    if (text === "" || seen.has(text)) continue;
    seen.add(text);
    prompts.push({ ...entry.data, text });
  }
  return prompts.length > 0 ? prompts : null;
}

/** The body of the first ``` fence (with or without a language tag); an unclosed fence runs to the end. */
function fencedBody(raw: string): string | null {
  const match = /```[A-Za-z0-9_-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/.exec(raw);
  return match ? (match[1] as string) : null;
}

/**
 * The balanced {…} or […] spans of the first MAX_EXTRACT_ATTEMPTS openings, in order; brackets inside JSON strings
 * do not count.
 */
function* balancedSpans(raw: string): Generator<string> {
  let openings = 0;
  for (let start = 0; start < raw.length; start++) {
    const ch = raw[start];
    if (ch !== "{" && ch !== "[") continue;
    if (++openings > MAX_EXTRACT_ATTEMPTS) return;
    const end = matchingClose(raw, start);
    if (end !== -1) yield raw.slice(start, end + 1);
  }
}

function matchingClose(raw: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < raw.length; i++) {
    const ch = raw[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{") stack.push("}");
    else if (ch === "[") stack.push("]");
    else if (ch === "}" || ch === "]") {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
