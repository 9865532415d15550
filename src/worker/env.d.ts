/**
 * Secrets and optional settings that `wrangler types` cannot see (they live in `.dev.vars` locally and in
 * `wrangler secret put` in production). Every one is optional at the type level: the code checks and fails
 * closed with a clear `server_misconfigured` error when a required one is missing.
 */
interface EnvSecrets {
  /** HS256 key for access, CLI and WebSocket-ticket tokens (≥ 32 chars). */
  JWT_SECRET?: string;
  /** base64 of 32 random bytes: the AES-256-GCM master key for the provider-key vault. */
  VAULT_MASTER_KEY?: string;
  /** Local development and tests only: base URL of the loopback LLM simulator; adds a "Local simulator" provider. */
  SIMULATOR_BASE_URL?: string;
  /** Comma list of extra origins allowed to open the WebSocket and (if set) to call the API cross-origin. */
  ALLOWED_ORIGINS?: string;
  /** Operator-provided shared provider keys, by the provider's `api_key_env` name (e.g. OPENAI_API_KEY). */
  [sharedKey: `${string}_API_KEY`]: string | undefined;
}

interface Env extends EnvSecrets {}
declare namespace Cloudflare {
  interface Env extends EnvSecrets {}
}
