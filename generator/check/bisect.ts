/**
 * Which of a leaf's raised modules to hold: the smallest set of candidates
 * whose hold makes the leaf build and pass, found by binary search. `passes`
 * runs one trial (regenerate with those holds, build, smoke-check); every
 * trial's answer is remembered, so no hold set is tried twice.
 *
 * The search assumes that holding more never breaks what holding fewer fixed.
 * With all candidates held the leaf must pass, else no hold helps (null).
 * Then, with `needed` the culprits found so far, the shortest prefix of the
 * remaining candidates that makes the leaf pass ends in a culprit; it joins
 * `needed` and the search repeats over the candidates before it.
 */
export interface Bisection<T> {
  /** The holds that make the leaf pass; null when holding every candidate does not. */
  readonly holds: T[] | null;
  /** Trials run (builds), remembered answers not counted. */
  readonly trials: number;
}

export async function bisectHolds<T>(candidates: readonly T[], passes: (held: readonly T[]) => Promise<boolean>, key: (t: T) => string): Promise<Bisection<T>> {
  // Holding nothing is how the leaf failed in the first place.
  const seen = new Map<string, boolean>([["", false]]);
  let trials = 0;
  const trial = async (held: readonly T[]): Promise<boolean> => {
    const id = held.map(key).sort().join("\n");
    const known = seen.get(id);
    if (known !== undefined) return known;
    trials++;
    const ok = await passes(held);
    seen.set(id, ok);
    return ok;
  };

  if (candidates.length === 0 || !(await trial(candidates))) return { holds: null, trials };
  const needed: T[] = [];
  let pool = [...candidates];
  while (!(await trial(needed))) {
    let lo = 1;
    let hi = pool.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await trial([...needed, ...pool.slice(0, mid)])) hi = mid;
      else lo = mid + 1;
    }
    const culprit = pool[lo - 1];
    if (culprit === undefined) break;
    needed.push(culprit);
    pool = pool.slice(0, lo - 1);
  }
  return { holds: needed, trials };
}
