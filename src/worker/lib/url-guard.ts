/** The private-address guard at the API: a refused URL is the 400 `private_address` envelope naming the field. */
import { ApiError } from "./errors.ts";
import { privateUrlRefusal } from "./private-address.ts";

export function assertPublicUrl(env: { ALLOW_PRIVATE_URLS?: string }, url: string | URL, field: string): void {
  const refusal = privateUrlRefusal(env, url);
  if (refusal) throw new ApiError(400, "private_address", refusal, [{ path: field, message: refusal }]);
}
