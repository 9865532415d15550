// Tool names providers accept are `^[a-zA-Z0-9_-]{1,64}$`; BFCL's functions use dots (`math.hcf`). We send a
// provider-safe name and keep a map back to the original so that answers are checked against BFCL's names.

const PROVIDER_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function isProviderSafeName(name: string): boolean {
  return PROVIDER_NAME.test(name);
}

/** `.` and any other disallowed character → `_`, cut to 64 characters. */
export function sanitizeToolName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
  return s.length > 0 ? s : "_";
}

/**
 * Provider names for a list of original names, unique and stable: a name that is already safe keeps itself;
 * others get the sanitized form, with `_2`, `_3`… when two originals would collide. Returns provider → original
 * for the renamed ones only.
 */
export function buildNameMap(originalNames: Iterable<string>): {
  toProvider: Map<string, string>;
  providerToOriginal: Record<string, string>;
} {
  const names = [...new Set(originalNames)];
  const taken = new Set(names.filter(isProviderSafeName));
  const toProvider = new Map<string, string>();
  const providerToOriginal: Record<string, string> = {};
  for (const name of names) {
    if (isProviderSafeName(name)) {
      toProvider.set(name, name);
      continue;
    }
    const base = sanitizeToolName(name);
    let candidate = base;
    for (let i = 2; taken.has(candidate); i++) {
      const suffix = `_${i}`;
      candidate = base.slice(0, 64 - suffix.length) + suffix;
    }
    taken.add(candidate);
    toProvider.set(name, candidate);
    providerToOriginal[candidate] = name;
  }
  return { toProvider, providerToOriginal };
}

/**
 * Resolves names seen in model output back to original names. Uses the suite's map when given, and otherwise
 * recognises the sanitized form of any known original name (so a run without the map still checks correctly).
 */
export function makeNameResolver(knownOriginalNames: Iterable<string>, nameMap: Record<string, string> | undefined): (name: string) => string {
  const map = new Map<string, string>(Object.entries(nameMap ?? {}));
  const known = new Set(knownOriginalNames);
  for (const original of known) {
    const safe = sanitizeToolName(original);
    if (safe !== original && !known.has(safe) && !map.has(safe)) map.set(safe, original);
  }
  return (name) => (known.has(name) ? name : (map.get(name) ?? name));
}
