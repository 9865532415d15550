/**
 * The capacity probe's bounds and defaults (src/shared/capacity.ts has the contract). No zod here: the Capacity page
 * imports this module, and zod (~26 KB gz) would otherwise come with it.
 */
export const CAPACITY_LIMITS = {
  targets: { min: 1, max: 8 },
  level: { min: 1, max: 128 },
  levels: { max: 12 },
  hold_requests: { min: 1, max: 1000 },
  hold_seconds: { min: 1, max: 600 },
  rate: { min: 0.01, max: 1000 },
  max_tokens: { min: 1, max: 8192 },
} as const;

export const DEFAULT_CAPACITY_LEVELS = [1, 2, 4, 8, 16, 32] as const;
export const DEFAULT_HOLD_REQUESTS = 20;
