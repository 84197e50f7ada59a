/**
 * Limits on the work and the size of one diff. jsdiff's Myers algorithm costs about
 * (lines) x (edit length), so a completely rewritten 10,000-line output took 15.6 s unbounded
 * (deps.md section 7); these limits keep every diff to a fraction of a second and every alert to a
 * bounded size, with a stated fallback (see align.ts and report.ts).
 */
export interface DiffBounds {
  /**
   * Most edits (lines removed plus added) the alignment may explore after the common lines at
   * both ends and the lines found on one side only are set aside. Past it the change is reported
   * without alignment: lines compared regardless of order, `truncated` set. Deterministic.
   */
  maxEditLength: number;
  /** Wall-clock backstop for the same alignment (jsdiff's `timeout`), in ms. */
  timeoutMs: number;
  /** Characters of `added`, and separately of `removed`, listed before the listing is cut. */
  maxListChars: number;
  /** Characters of the unified text before it is cut. */
  maxUnifiedChars: number;
  /** Unchanged lines shown around each change in the unified text. */
  context: number;
}

/**
 * maxEditLength 1000 measured on the 2-core test machine with 10,000-line outputs: an alignment
 * that gives up takes 40-200 ms, one that succeeds with a 1 % change about 10 ms.
 */
export const DEFAULT_DIFF_BOUNDS: DiffBounds = Object.freeze({
  maxEditLength: 1000,
  timeoutMs: 1000,
  maxListChars: 64 * 1024,
  maxUnifiedChars: 64 * 1024,
  context: 3,
});
