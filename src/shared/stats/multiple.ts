/**
 * Multiple comparisons. When one claim rests on several tests (the best combo against each other combo), each p is
 * adjusted with Holm's step-down procedure (Holm 1979): it keeps the chance of any false "better" in the family at
 * alpha, like Bonferroni, but rejects more.
 *
 * Definition (the "adjusted p" form, as R's `p.adjust(method = "holm")`): sort the m p-values ascending,
 * p(1) ≤ … ≤ p(m); adjusted p(i) = min(1, max over j ≤ i of (m − j + 1)·p(j)); each adjusted value goes back to
 * its original position. Comparing adjusted p with alpha is the same as Holm's sequential rule.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  // Equal p's end up with equal adjusted values (the running max carries the first one's), so order never decides.
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
