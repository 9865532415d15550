// Small formatting and parsing helpers shared by forms and tables.
import { boundsIssue } from "../../../shared/request-limits.ts";

/** "My Provider 2" → "my-provider-2" (matches ^[a-z0-9_-]{1,64}$). */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, 64);
}

export const PROVIDER_KEY_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** Splits "a, b,,c" into ["a","b","c"], trimmed and de-duplicated. */
export function splitList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item && !out.includes(item)) out.push(item);
  }
  return out;
}

/** Empty → null; otherwise a finite number or an error message. */
export function parseOptionalNumber(
  raw: FormDataEntryValue | null,
  label: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): { value: number | null; error?: string } {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") return { value: null };
  const value = Number(text);
  if (!Number.isFinite(value)) return { value: null, error: `${label} must be a number.` };
  // Both bounds known (the API's, src/shared/request-limits.ts): say the whole range, as the API does.
  if (opts.min !== undefined && opts.max !== undefined) {
    const issue = boundsIssue(label, value, { min: opts.min, max: opts.max, integer: Boolean(opts.integer) });
    return issue ? { value: null, error: issue } : { value };
  }
  if (opts.integer && !Number.isInteger(value)) return { value: null, error: `${label} must be a whole number.` };
  if (opts.min !== undefined && value < opts.min) return { value: null, error: `${label} must be at least ${opts.min}.` };
  if (opts.max !== undefined && value > opts.max) return { value: null, error: `${label} must be at most ${opts.max}.` };
  return { value };
}

export function formValue(form: FormData, name: string): string {
  const raw = form.get(name);
  return typeof raw === "string" ? raw.trim() : "";
}

/** "1 case", "3 cases". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatTokens(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  // Decimal first (128000 → 128K), then binary (131072 → 128K, 1048576 → 1M), else one decimal place.
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_048_576 && n % 1_048_576 === 0) return `${n / 1_048_576}M`;
  if (n >= 1_000_000) return `${trimZeros(n / 1_000_000, 1)}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}K`;
  if (n >= 1_024 && n % 1_024 === 0) return `${n / 1_024}K`;
  if (n >= 1_000) return `${trimZeros(n / 1_000, 1)}K`;
  return String(n);
}

export function formatPrice(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return `$${n < 1 ? n.toFixed(3).replace(/0+$/, "").replace(/\.$/, "") : trimZeros(n)}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleDateString(undefined, { dateStyle: "medium" });
}

function trimZeros(n: number, digits = 2): string {
  return n.toFixed(digits).replace(/\.?0+$/, "");
}
