/**
 * Password rules after NIST SP 800-63B §3.1.1.2: at least 8 characters (counted as Unicode code points, so any
 * script works), at most 72 bytes (bcrypt's input limit), no composition rules, and a refusal of passwords that
 * attackers try first: those on a list of common passwords (zxcvbn's, ~49,000 entries, maintained as
 * `@zxcvbn-ts/language-common`), one repeated character, a plain run like "12345678" or "abcdefgh", and
 * context-specific words (this service's name, the account's own email).
 */
import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_BYTES = 72;

let common: Set<string> | undefined;
/** Built on first use: the list is decompressed once per isolate, not at start-up. */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"]);
  return common;
}

const SERVICE_WORDS = ["llmbenchmarkstudio", "benchmarkstudio", "llmbench", "llm-bench"];

/** True for "aaaaaaaa", "12345678", "87654321", "abcdefgh": every step the same +1, −1 or 0. */
function isPlainRun(p: string): boolean {
  const codes = [...p].map((ch) => ch.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  if (Math.abs(step) > 1) return false;
  return codes.every((c, i) => i === 0 || c - codes[i - 1]! === step);
}

/** The reason a password is refused, in words a user can act on, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if ([...password].length < PASSWORD_MIN_CHARS) return `Password must be at least ${PASSWORD_MIN_CHARS} characters`;
  if (new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES) return `Password must be at most ${PASSWORD_MAX_BYTES} bytes`;
  const folded = password.normalize("NFKC").toLowerCase();
  const compact = folded.replace(/\s+/g, "");
  if (!compact) return "Password cannot be only spaces";
  if (isPlainRun(compact)) return "Password is a simple sequence or repetition; choose something harder to guess";
  if (commonPasswords().has(folded) || commonPasswords().has(compact)) {
    return "This password is on a list of commonly used passwords; choose a different one";
  }
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (
    (local && local.length >= 4 && compact.includes(local.replace(/\s+/g, "")) && compact.length - local.length < 4) ||
    SERVICE_WORDS.some((w) => compact.startsWith(w) && compact.length - w.length < 4)
  ) {
    return "Password is too close to your email or this service's name; choose a different one";
  }
  return null;
}
