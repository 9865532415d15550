// Which characters Python's `re` treats as equal under IGNORECASE (str patterns, Unicode): x matches c when
// lower(x) == lower(c), or when both lowercase forms share an uppercase (`ſ`/`s`, `ı`/`i`, `ς`/`σ`, `ΐ`/`ΐ`…;
// CPython lists those in re._casefix). Both conditions are "same uppercase of the lowercase form", so the
// classes are computed from the engine's own case mappings: no Unicode tables are shipped, and the result
// differs from Python only where the two Unicode versions differ. JavaScript's `i` flag uses simple case
// folding instead, which misses `İ`/`ı` ~ `i`.

/** Blocks without any cased character, skipped when building the table (CJK, Hangul, surrogates, …). */
const CASELESS: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0xa640],
  [0xac00, 0xfb00],
  [0x12000, 0x16e40],
  [0x17000, 0x1e900],
];
const LAST_CASED = 0x1ffff;

let groups: Map<number, readonly number[]> | null = null;

/** Code point → every code point Python's IGNORECASE matches it with (itself included); built on first use. */
function caseGroups(): Map<number, readonly number[]> {
  if (groups) return groups;
  const byKey = new Map<string, number[]>();
  let skip = 0;
  for (let cp = 0; cp <= LAST_CASED; cp++) {
    const block = CASELESS[skip];
    if (block && cp === block[0]) {
      cp = block[1] - 1;
      skip++;
      continue;
    }
    const ch = String.fromCodePoint(cp);
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === ch && upper === ch) continue;
    // Full lowercase is one code point except for U+0130, whose simple lowercase is its first one ("i").
    const key = String.fromCodePoint(lower.codePointAt(0) ?? cp).toUpperCase();
    const members = byKey.get(key);
    if (members) members.push(cp);
    else byKey.set(key, [cp]);
  }
  groups = new Map();
  for (const members of byKey.values()) {
    if (members.length < 2) continue;
    for (const cp of members) groups.set(cp, members);
  }
  return groups;
}

/** The code points Python matches `cp` with under IGNORECASE, or null when it has no other case form. */
export function caseEquivalents(cp: number): readonly number[] | null {
  return caseGroups().get(cp) ?? null;
}

/** Every code point that a class holding `ranges` also matches under IGNORECASE (members not in the ranges). */
export function caseClosureOf(ranges: ReadonlyArray<readonly [number, number]>): number[] {
  const inRanges = (cp: number): boolean => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
  const out = new Set<number>();
  const seen = new Set<readonly number[]>();
  for (const [cp, members] of caseGroups()) {
    if (seen.has(members) || !inRanges(cp)) continue;
    seen.add(members);
    for (const m of members) if (!inRanges(m)) out.add(m);
  }
  return [...out].sort((a, b) => a - b);
}
