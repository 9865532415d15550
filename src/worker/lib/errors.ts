/**
 * The one error envelope: `{ error, code, request_id, details? }`.
 * `error` stays a human string, as in the original API (`{"error": msg}`), so old clients keep working;
 * `code` is the stable, machine-readable part.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "invalid_json"
  | "body_too_large"
  | "unauthorized"
  | "token_expired"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "server_misconfigured"
  | "upstream_error"
  | "upstream_timeout"
  | "internal"
  // discovery and health: a user-given URL that points at a private network (lib/private-address.ts)
  | "private_address";

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what = "Resource") => new ApiError(404, "not_found", `${what} not found`);
export const conflict = (message: string) => new ApiError(409, "conflict", message);
export const badRequest = (message: string, details?: ErrorDetail[]) => new ApiError(400, "bad_request", message, details);
export const unauthorized = (message = "Not authenticated", code: ErrorCode = "unauthorized") => new ApiError(401, code, message);
export const forbidden = (message = "Forbidden") => new ApiError(403, "forbidden", message);
export const misconfigured = (what: string) => new ApiError(503, "server_misconfigured", `The server is not configured: ${what} is missing`);

export function errorBody(err: ApiError, requestId: string) {
  return {
    error: err.message,
    code: err.code,
    request_id: requestId,
    ...(err.details?.length ? { details: err.details } : {}),
  };
}
