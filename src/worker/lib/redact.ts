/**
 * Scrubs secrets from any text that may leave the Worker (error messages, logs).
 * Keeps a short prefix so a user can still tell which key was involved.
 */
const PATTERNS: Array<[RegExp, (m: string) => string]> = [
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,}/g, (m) => `${m.slice(0, 8)}***`],
  [/\b(?:gsk|xai|fw|key)[_-][A-Za-z0-9_-]{8,}/g, (m) => `${m.slice(0, 4)}***`],
  [/\bAIza[A-Za-z0-9_-]{10,}/g, (m) => `${m.slice(0, 4)}***`],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, (_m) => "Bearer ***"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, () => "***jwt***"],
];

export function redact(text: string, exactSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of exactSecrets) {
    if (secret && secret.length > 4) out = out.split(secret).join("***");
  }
  for (const [re, fn] of PATTERNS) out = out.replace(re, fn);
  return out;
}
