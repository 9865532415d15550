/**
 * Free text that leaves through a share (a provider's error message, a model's answer) scrubbed of anything that
 * could carry a credential: URL userinfo (`https://user:pass@host`), URL query strings (`?api_key=…`) and
 * key-shaped tokens (lib/redact.ts). Stored messages were already sanitized when the call failed; this is the
 * second fence, because a share is readable by anyone holding the link.
 */
import { z } from "@hono/zod-openapi";
import type { ModelParamAdjustments } from "../../shared/events.ts";
import { TIER1_PARAMS, TIER2_PARAMS } from "../../shared/provider-params.ts";
import { redact } from "../lib/redact.ts";

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
const URL_QUERY = /\b([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?[^\s#)"'\]]*/gi;

export function publicText(text: string): string;
export function publicText(text: string | null): string | null;
export function publicText(text: string | null): string | null {
  if (text === null) return null;
  return redact(text.replace(URL_USERINFO, "$1").replace(URL_QUERY, "$1"));
}

/** Sampling parameters a share may show: the named tiers only; `passthrough` (free-form kwargs) never. */
const SHOWN_PARAMS: ReadonlySet<string> = new Set([...TIER1_PARAMS, ...TIER2_PARAMS]);
type Primitive = string | number | boolean | null;
const PrimitiveSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const PublicSamplingParamsSchema = z.record(z.string(), z.union([PrimitiveSchema, z.array(PrimitiveSchema)]));
const isPrimitive = (v: unknown): v is Primitive => v === null || ["string", "number", "boolean"].includes(typeof v);

export function publicProviderParams(params: unknown): Record<string, Primitive | Primitive[]> | null {
  if (!params || typeof params !== "object" || Array.isArray(params)) return null;
  const out: Record<string, Primitive | Primitive[]> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!SHOWN_PARAMS.has(k)) continue;
    if (isPrimitive(v)) out[k] = typeof v === "string" ? publicText(v) : v;
    else if (Array.isArray(v) && v.every(isPrimitive)) out[k] = v.map((x) => (typeof x === "string" ? publicText(x) : x));
  }
  return Object.keys(out).length ? out : null;
}

/** What the parameter registry changed per model; a passthrough kwarg is named, its value is not shown. */
export function publicParamAdjustments(models: ModelParamAdjustments | undefined): ModelParamAdjustments {
  return (models ?? []).map((m) => ({
    model_id: m.model_id,
    provider: m.provider,
    provider_key: m.provider_key,
    adjustments: m.adjustments.map((a) => {
      const shown = SHOWN_PARAMS.has(a.param) && a.action !== "passthrough";
      const value = (v: unknown) => (shown && isPrimitive(v) ? (typeof v === "string" ? publicText(v) : v) : null);
      return { param: a.param, original: value(a.original), adjusted: value(a.adjusted), action: a.action, reason: publicText(a.reason) };
    }),
  }));
}
