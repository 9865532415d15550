/**
 * Recognisable secret values for the worker test project (vitest.config.ts binds them) and every form in which
 * one could leak: raw, base64/base64url (at each of the three byte alignments, so a canary embedded in a longer
 * encoded string is still found), hex and percent-encoding. Plain module: imported by vitest.config.ts in Node
 * and by the tests inside workerd.
 *
 * None of them looks like a provider key (no `sk-`/`gsk_`… prefix): `redact()` would hide those from logs, and
 * the scan must prove that secrets never reach output at all, not that a regex happens to match them.
 */
const VAULT_KEY_BYTES = "CanaryVaultMasterKey7e41c9d0b2aQ"; // exactly 32 ASCII bytes: AES-256

export const CANARY = {
  JWT_SECRET: "CanaryJwtSecret3f9a51c7e2d84b60aa17QZ",
  VAULT_MASTER_KEY: btoa(VAULT_KEY_BYTES),
  /** An operator's shared provider key. OPENROUTER (not OPENAI): its catalogue entry has no models, so tests that
   *  probe every provider (GET /api/health/providers) never send a real request to the internet with it. */
  OPERATOR_KEY_ENV: "OPENROUTER_API_KEY",
  OPERATOR_KEY: "CanaryOperatorKey5b2e90d4c1f7a3e8QX",
  /** Stored through PUT /api/keys by the fixture users of the fuzz, matrix and tour tests. */
  USER_KEY: "CanaryUserApiKey8d3c6f1a9e2b47d0QW",
} as const;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The part of base64(prefix + secret) that depends only on the secret's bytes, for each prefix length mod 3. */
function base64Cores(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const padded = new Uint8Array(k + bytes.length);
    padded.set(bytes, k);
    const encoded = toBase64(padded);
    const start = Math.ceil(k / 3) * 4;
    const end = Math.floor((k + bytes.length) / 3) * 4;
    out.push(encoded.slice(start, end));
  }
  return out;
}

/** Every needle to search for, each with the name of the canary and the form. */
export function canaryNeedles(): Array<{ name: string; form: string; needle: string }> {
  const secrets: Array<[string, Uint8Array]> = [
    ["JWT_SECRET", new TextEncoder().encode(CANARY.JWT_SECRET)],
    ["VAULT_MASTER_KEY", new TextEncoder().encode(VAULT_KEY_BYTES)],
    ["VAULT_MASTER_KEY (configured base64)", new TextEncoder().encode(CANARY.VAULT_MASTER_KEY)],
    [CANARY.OPERATOR_KEY_ENV, new TextEncoder().encode(CANARY.OPERATOR_KEY)],
    ["user API key", new TextEncoder().encode(CANARY.USER_KEY)],
  ];
  const needles: Array<{ name: string; form: string; needle: string }> = [];
  for (const [name, bytes] of secrets) {
    const raw = new TextDecoder().decode(bytes);
    needles.push({ name, form: "raw", needle: raw });
    needles.push({ name, form: "percent-encoded", needle: encodeURIComponent(raw) });
    needles.push({ name, form: "hex", needle: toHex(bytes) });
    needles.push({ name, form: "HEX", needle: toHex(bytes).toUpperCase() });
    for (const core of base64Cores(bytes)) {
      needles.push({ name, form: "base64", needle: core });
      needles.push({ name, form: "base64url", needle: core.replace(/\+/g, "-").replace(/\//g, "_") });
    }
  }
  // Case-insensitive hex is covered by the two cases; drop exact duplicates (percent-encoding of plain ASCII).
  return [...new Map(needles.map((n) => [n.needle, n])).values()];
}
