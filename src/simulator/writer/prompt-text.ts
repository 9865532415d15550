/**
 * The writer's text work: which of sim-tunable's keyword traits a prompt carries, dropping the sentences that
 * carry one, adding a sentence in the prompt's own layout (prose, numbered rules or bullets), and composing a
 * prompt from scratch in one of five styles.
 */

import { matchedKeywords, TUNABLE_KEYWORDS } from "../caller/profiles.ts";

export type Trait = (typeof TUNABLE_KEYWORDS)[number]["id"];

/** Traits that lower sim-tunable's error (or spurious) rate, and those that raise it. */
export const GOOD_TRAITS: readonly Trait[] = ["precision", "restraint"];
export const BAD_TRAITS: readonly Trait[] = ["creativity", "always"];

/** The sentence the writer uses to give a prompt a trait. */
export const TRAIT_SENTENCE: Record<Trait, string> = {
  precision: "Be precise: copy names, numbers and dates exactly as the user gives them.",
  restraint: "Only call a tool when the request needs it; otherwise answer in plain text.",
  creativity: "Be creative in how you read the request.",
  always: "Always call a tool, even for small talk.",
};

/** Sentences that change no trait, to tell otherwise equal prompts apart. */
export const NEUTRAL_SENTENCES = [
  "Take parameter values from the user's own words.",
  "Use the tool names exactly as they are given.",
  "Read the whole request before choosing a tool.",
  "Fill in every required parameter.",
  "Leave out optional parameters the user did not mention.",
  "Prefer the tool whose description matches the request best.",
  "Do not invent values the user did not give.",
  "Keep any text reply short.",
] as const;

export const STYLES = ["concise", "detailed", "numbered rules", "conversational", "specification"] as const;
export type Style = (typeof STYLES)[number];

/** What the writer starts from when a request has no base prompt. */
export const DEFAULT_CORE = "You are a helpful assistant that uses tools to answer questions.";

const LIST_ITEM = /^(\s*)(?:(\d+)([.)])|([-*•]))\s+/;
const SENTENCE_END = /(?<=[.!?])\s+/;

export function traitsOf(text: string): Set<Trait> {
  return new Set(matchedKeywords(text).map((k) => k.id));
}

function hasTrait(text: string, trait: Trait): boolean {
  return matchedKeywords(text).some((k) => k.id === trait);
}

/** The text without the sentences that carry `trait` (a list item left empty goes too; numbering is redone). */
export function dropTrait(text: string, trait: Trait): string {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const marker = LIST_ITEM.exec(line)?.[0] ?? "";
    const body = line.slice(marker.length);
    const sentences = body.split(SENTENCE_END);
    const kept = sentences.filter((s) => !hasTrait(s, trait));
    if (kept.length === sentences.length) lines.push(line);
    else if (kept.some((s) => s.trim() !== "")) lines.push(marker + kept.join(" "));
  }
  let out = renumber(lines)
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  // A phrase split over two sentences or lines survives the above; cut the phrase itself.
  const phrases = TUNABLE_KEYWORDS.find((k) => k.id === trait)?.phrases ?? [];
  for (const p of phrases) out = out.replace(new RegExp(`\\b${p}\\b`, "gi"), "").replace(/[ \t]{2,}/g, " ");
  return out.trim();
}

/** Adds a sentence where it fits: after the last numbered or bulleted item, else at the end of the prose. */
export function addSentence(text: string, sentence: string): string {
  const lines = text.trim() === "" ? [] : text.trimEnd().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = LIST_ITEM.exec(lines[i] as string);
    if (!m) continue;
    const item = m[2] !== undefined ? `${m[1]}${Number(m[2]) + 1}${m[3]} ${sentence}` : `${m[1]}${m[4]} ${sentence}`;
    lines.splice(i + 1, 0, item);
    return renumber(lines).join("\n");
  }
  if (lines.length === 0) return sentence;
  const last = lines[lines.length - 1] as string;
  if (/[.!?]$/.test(last)) lines[lines.length - 1] = `${last} ${sentence}`;
  else lines.push(sentence);
  return lines.join("\n");
}

/** The sentences of a text that carry no trait, with list markers and layout removed. */
export function coreSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const body = line.replace(LIST_ITEM, "").trim();
    if (body === "") continue;
    for (const s of body.split(SENTENCE_END)) {
      const sentence = s.trim();
      if (sentence !== "" && traitsOf(sentence).size === 0) out.push(/[.!?:]$/.test(sentence) ? sentence : `${sentence}.`);
    }
  }
  return out;
}

/** A prompt in `style`: the core sentences, the trait sentences, and an instruction to use the tools. */
export function compose(style: Style, core: string[], extra: string[], tools: string[]): string {
  const lead = core.length > 0 ? core : [DEFAULT_CORE];
  const toolList = tools.length === 0 ? "the tools you are given" : tools.slice(0, 6).join(", ") + (tools.length > 6 ? " and the others" : "");
  switch (style) {
    case "concise":
      return [...lead, ...extra, `Use the tools (${toolList}) to carry out what the user asks.`].join(" ");
    case "detailed":
      return [
        ...lead,
        `You have these tools: ${toolList}.`,
        "For every request, work out which tool matches what the user wants, then fill in each required parameter from the user's words and add optional ones only when the user mentions them.",
        ...extra,
      ].join(" ");
    case "numbered rules": {
      const rules = [...lead, "Use the tools to carry out requests: pick the one whose description matches the request.", ...extra];
      return ["Follow these rules:", ...rules.map((r, i) => `${i + 1}. ${r}`)].join("\n");
    }
    case "conversational":
      return [
        "Hi!",
        ...lead,
        `When someone asks you to do something, use one of your tools (${toolList}) to do it, with the details they gave you.`,
        ...extra,
      ].join(" ");
    case "specification":
      return [
        `ROLE: ${lead.join(" ")}`,
        `TOOLS: ${toolList}`,
        "OUTPUT: a tool call whose arguments come from the request.",
        "RULES:",
        "- Use the tools to carry out requests.",
        ...extra.map((e) => `- ${e}`),
      ].join("\n");
  }
}

/** Numbers each run of numbered items 1, 2, 3 … again after items were dropped or inserted. */
function renumber(lines: string[]): string[] {
  let n = 0;
  return lines.map((line) => {
    const m = /^(\s*)\d+([.)])\s+/.exec(line);
    if (!m) {
      if (line.trim() !== "") n = 0;
      return line;
    }
    n++;
    return `${m[1]}${n}${m[2]} ${line.slice(m[0].length)}`;
  });
}
