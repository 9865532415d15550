/**
 * A provider's listed models, merged with what the app already knows: the catalogue's display names, context
 * windows and output limits (src/shared/catalogue.ts), built-in prices (src/shared/pricing.ts), and which models
 * the user has already added. Pure, so the rules are tested without a provider.
 */
import { type CatalogueModel, PROVIDER_CATALOGUE, SIMULATOR_MODELS } from "../../shared/catalogue.ts";
import { builtInPrice } from "../../shared/pricing.ts";
import type { ListedModel } from "./list-models.ts";

export interface DiscoveredModel {
  /** The model id as it would be stored: the provider's model id prefix applied. */
  id: string;
  display_name: string;
  context_window: number | null;
  max_output_tokens: number | null;
  input_cost_per_mtok: number | null;
  output_cost_per_mtok: number | null;
  /** Where the price comes from: the provider's own list, the built-in table (used automatically), or none. */
  price_source: "provider" | "built_in" | null;
  owned_by: string | null;
  in_catalogue: boolean;
  already_added: boolean;
}

export interface MergeContext {
  providerKey: string;
  source: "catalogue" | "custom" | "simulator";
  modelIdPrefix: string | null;
  /** Model ids the user already has under this provider. */
  existingIds: ReadonlySet<string>;
}

/** The catalogue models that describe this provider's models: its own entry first, then any entry by bare id. */
function catalogueLookup(ctx: MergeContext): (id: string) => CatalogueModel | undefined {
  const own = ctx.source === "simulator" ? SIMULATOR_MODELS : (PROVIDER_CATALOGUE.find((p) => p.provider_key === ctx.providerKey)?.models ?? []);
  const everyone = PROVIDER_CATALOGUE.flatMap((p) => p.models);
  const bare = (id: string) => id.split("/").at(-1) ?? id;
  return (id) => own.find((m) => m.model_id === id) ?? everyone.find((m) => m.model_id === id || m.model_id === bare(id));
}

export function withPrefix(prefix: string | null, id: string): string {
  return prefix && !id.startsWith(`${prefix}/`) ? `${prefix}/${id}` : id;
}

export function mergeDiscovered(listed: readonly ListedModel[], ctx: MergeContext): DiscoveredModel[] {
  const lookup = catalogueLookup(ctx);
  const byId = new Map<string, DiscoveredModel>();
  for (const m of listed) {
    const id = withPrefix(ctx.modelIdPrefix, m.id);
    if (byId.has(id)) continue;
    const cat = lookup(m.id);
    const providerPriced = m.input_cost_per_mtok !== null && m.output_cost_per_mtok !== null;
    const builtIn = builtInPrice(m.id);
    const tablePriced = builtIn.inputPerMtok !== null && builtIn.outputPerMtok !== null;
    byId.set(id, {
      id,
      display_name: cat?.display_name ?? m.display_name ?? m.id,
      context_window: cat?.context_window ?? m.context_window,
      max_output_tokens: cat?.max_output_tokens ?? m.max_output_tokens,
      input_cost_per_mtok: providerPriced ? m.input_cost_per_mtok : tablePriced ? builtIn.inputPerMtok : null,
      output_cost_per_mtok: providerPriced ? m.output_cost_per_mtok : tablePriced ? builtIn.outputPerMtok : null,
      price_source: providerPriced ? "provider" : tablePriced ? "built_in" : null,
      owned_by: m.owned_by,
      in_catalogue: cat !== undefined,
      already_added: ctx.existingIds.has(id),
    });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
