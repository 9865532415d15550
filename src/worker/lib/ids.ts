/** Ids and timestamps: one format everywhere (see db/schema.ts). */

/** 32 lowercase hex characters from the platform CSPRNG. */
export function newId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** ISO-8601 UTC with milliseconds and `Z`; sorts as text in time order. */
export function isoNow(now = Date.now()): string {
  return new Date(now).toISOString();
}

export function isoIn(ms: number, now = Date.now()): string {
  return new Date(now + ms).toISOString();
}
