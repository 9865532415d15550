// One colour per model, wherever a model is drawn (live and final results, History): the colour follows the model's
// identity (provider key + model id), never its position in a list, so results arriving in another order or the
// server's aggregates replacing the browser's do not repaint a model.

/** Distinct and readable on the dark surface. */
export const MODEL_PALETTE = ["#bfff00", "#5aa9ff", "#2dd4bf", "#ffb627", "#c084fc", "#ff6b84", "#f472b6", "#94a3b8", "#4ade80", "#fb923c"];

export interface ModelIdentity {
  provider_key: string;
  model_id: string;
}

/** The stable identity of a model: the same string for a target, a result, an aggregate. */
export function modelIdentity(m: ModelIdentity): string {
  return `${m.provider_key}\u0000${m.model_id}`;
}

/** FNV-1a (32 bit): a small, well-spread string hash; the same in every browser. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Colours for the models drawn together (`identities`, from `modelIdentity`). Each model takes the palette slot its
 * identity hashes to; when two models of the same set hash to one slot, the one whose identity sorts later takes
 * the next free slot. So a model keeps its colour in every view of the same set of models (give the run's targets,
 * not the results so far), and across sets unless its slot is taken. With more models than colours, colours repeat.
 */
export function modelColors(identities: Iterable<string>): Map<string, string> {
  const unique = [...new Set(identities)].sort();
  const taken = new Set<number>();
  const out = new Map<string, string>();
  for (const id of unique) {
    const home = hash(id) % MODEL_PALETTE.length;
    let slot = home;
    if (taken.size < MODEL_PALETTE.length) {
      while (taken.has(slot)) slot = (slot + 1) % MODEL_PALETTE.length;
    }
    taken.add(slot);
    out.set(id, MODEL_PALETTE[slot]!);
  }
  return out;
}
