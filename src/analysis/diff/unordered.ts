/**
 * Lines added and removed when order does not count: as multisets (a line printed twice must be
 * present twice) or as sets (duplicates ignored). Linear time; also the fallback of an ordered
 * diff that is too large to align. Indexes refer to the input lists, in their order.
 */
export function unorderedDiff(
  a: readonly string[],
  b: readonly string[],
  distinct: boolean,
): { removed: number[]; added: number[] } {
  if (distinct) {
    const inA = new Set(a);
    const inB = new Set(b);
    const removed: number[] = [];
    const added: number[] = [];
    const seen = new Set<string>();
    a.forEach((k, i) => {
      if (!inB.has(k) && !seen.has(k)) {
        seen.add(k);
        removed.push(i);
      }
    });
    seen.clear();
    b.forEach((k, j) => {
      if (!inA.has(k) && !seen.has(k)) {
        seen.add(k);
        added.push(j);
      }
    });
    return { removed, added };
  }
  const count = new Map<string, number>();
  for (const k of a) count.set(k, (count.get(k) ?? 0) + 1);
  const added: number[] = [];
  b.forEach((k, j) => {
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else added.push(j);
  });
  // What is left over in `count` was removed: take those occurrences from the end of `a`.
  const removedRev: number[] = [];
  for (let i = a.length - 1; i >= 0; i--) {
    const n = count.get(a[i]) ?? 0;
    if (n > 0) {
      count.set(a[i], n - 1);
      removedRev.push(i);
    }
  }
  return { removed: removedRev.reverse(), added };
}
