/**
 * Tokenizer fallback (o200k_base via gpt-tokenizer), used only when a provider reports no usage, and to build
 * context-tier filler of an exact length. Loaded lazily: it is large and most runs never need it.
 */
type Tokenizer = typeof import("gpt-tokenizer/encoding/o200k_base");
let loading: Promise<Tokenizer> | undefined;

export function tokenizer(): Promise<Tokenizer> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base");
  return loading;
}

export async function countTokens(text: string): Promise<number> {
  return (await tokenizer()).countTokens(text);
}
