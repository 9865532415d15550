// Maps API validation details ({path, message}) onto form field names.
import { ApiError } from "~/lib/http";

export type FieldErrors = Record<string, string>;

/** Field errors keyed by the last path segment (e.g. "body.context_window" → "context_window"). */
export function fieldErrorsFrom(err: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!(err instanceof ApiError)) return out;
  for (const detail of err.details) {
    const field = detail.path.split(".").pop() ?? detail.path;
    if (field && !out[field]) out[field] = detail.message;
  }
  return out;
}
