// The array diff alone: the package's index loads every algorithm (about 13 ms more at each start, workers included).
import { diffArrays } from 'diff/lib/diff/array.js';
import type { DiffBounds } from './bounds.js';

/** Old and new line indexes of lines the two outputs share, both increasing. */
export type Alignment = Array<[number, number]>;

/**
 * Aligns two ordered lists of line keys within `bounds`, or returns undefined when the change is
 * too large to align (the caller then compares the lines regardless of order).
 *
 * Before jsdiff runs, the work is cut down the way GNU diff does: the common lines at both ends
 * are matched at once, and lines present on one side only are set aside as removed or added
 * (they cannot be part of any alignment). What is left is usually small, so a typical change in a
 * 10,000-line output costs a few milliseconds and a completely different output costs nothing;
 * only many moved lines make the alignment hit `maxEditLength`. The result is a valid diff, not
 * always the shortest one.
 */
export function alignLines(a: readonly string[], b: readonly string[], bounds: DiffBounds): Alignment | undefined {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const aEnd = a.length - suf;
  const bEnd = b.length - suf;

  const inA = new Set<string>();
  for (let i = pre; i < aEnd; i++) inA.add(a[i]);
  const inB = new Set<string>();
  for (let j = pre; j < bEnd; j++) inB.add(b[j]);
  const ai: number[] = [];
  for (let i = pre; i < aEnd; i++) if (inB.has(a[i])) ai.push(i);
  const bi: number[] = [];
  for (let j = pre; j < bEnd; j++) if (inA.has(b[j])) bi.push(j);

  const pairs: Alignment = [];
  for (let k = 0; k < pre; k++) pairs.push([k, k]);
  if (ai.length > 0 && bi.length > 0) {
    const fa = ai.map((i) => a[i]);
    const fb = bi.map((j) => b[j]);
    const changes = diffArrays(fa, fb, { maxEditLength: bounds.maxEditLength, timeout: bounds.timeoutMs });
    if (changes === undefined) return undefined;
    let x = 0;
    let y = 0;
    for (const c of changes) {
      const n = c.count;
      if (c.added) y += n;
      else if (c.removed) x += n;
      else {
        for (let k = 0; k < n; k++) pairs.push([ai[x + k], bi[y + k]]);
        x += n;
        y += n;
      }
    }
  }
  for (let k = suf; k > 0; k--) pairs.push([a.length - k, b.length - k]);
  return pairs;
}
