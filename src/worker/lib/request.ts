/** Facts about the incoming request. */

/** Cloudflare sets CF-Connecting-IP on every request at the edge (and wrangler dev sets it locally). */
export function clientIp(req: Request): string {
  return req.headers.get("cf-connecting-ip") ?? "unknown";
}
