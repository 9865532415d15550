/**
 * Context-tier filler: natural-language text of exactly N tokens (o200k_base), different for every run so that
 * provider prompt caches cannot flatter later runs. The text is generated from a seeded word stream rather than
 * a bundled book, which keeps the Worker small; the seed mixes the run id, model and run number.
 */
import { tokenizer } from "./tokens.ts";

const SUBJECTS = [
  "The harbor",
  "A quiet village",
  "The old lighthouse keeper",
  "Every traveler",
  "The river",
  "A young cartographer",
  "The northern wind",
  "The market square",
  "An engineer",
  "The library",
];
const VERBS = ["remembered", "described", "carried", "watched", "measured", "followed", "questioned", "gathered", "repaired", "imagined"];
const OBJECTS = [
  "the long winter",
  "a map of forgotten roads",
  "the sound of distant bells",
  "every lantern along the pier",
  "the slow turning of the tide",
  "a letter that never arrived",
  "the colors of the evening sky",
  "the patient work of the bridge builders",
  "stories told by sailors",
  "the shape of the mountains",
];
const TAILS = [
  "before the sun rose.",
  "while the town slept.",
  "with careful attention.",
  "as the rain began to fall.",
  "and wrote it all down.",
  "without saying a word.",
  "for the hundredth time.",
  "until nothing else mattered.",
];

function seeded(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

/** Exactly `tokens` tokens of filler (0 → empty string). */
export async function fillerText(tokens: number, seed: string): Promise<string> {
  if (tokens <= 0) return "";
  const tk = await tokenizer();
  const rand = seeded(seed);
  const sentences: string[] = [`[Reference notes ${seed.slice(0, 12)}]`];
  // ~12 tokens per sentence; overshoot slightly, then cut to the exact count.
  const target = tokens + 16;
  let estimate = 0;
  while (estimate < target) {
    const s = `${pick(rand, SUBJECTS)} ${pick(rand, VERBS)} ${pick(rand, OBJECTS)} ${pick(rand, TAILS)}`;
    sentences.push(s);
    estimate += 12;
  }
  let ids = tk.encode(sentences.join(" "));
  while (ids.length < tokens)
    ids = tk.encode(`${tk.decode(ids)} ${pick(rand, SUBJECTS)} ${pick(rand, VERBS)} ${pick(rand, OBJECTS)} ${pick(rand, TAILS)}`);
  let text = tk.decode(ids.slice(0, tokens));
  // Decoding a cut can merge differently on re-encode; trim until the count is exact.
  for (let n = tk.encode(text).length, cut = tokens; n !== tokens && cut > 0; n = tk.encode(text).length) {
    cut += n > tokens ? -1 : 1;
    text = tk.decode(ids.slice(0, cut));
    if (cut > ids.length) break;
  }
  return text;
}
