/**
 * What a check_diff rule reports besides OSSEC's `Previous output:` block: the change itself.
 * Plain data, copied into `Alert.diff` by the engine (src/alerts/alert.ts AlertDiff).
 */

/**
 * - `change`: the output differs from the previous one (OSSEC's only kind);
 * - `flapping`: one alert summarising a change that reverted, or an output that kept changing,
 *   within the rule's `flapping` window (later repeats of the same flapping are not reported);
 * - `baseline`: the first output seen for this (agent, rule, location), reported only when the
 *   rule asks for it with `baseline_level`.
 */
export type ChangeKind = 'change' | 'flapping' | 'baseline';

export interface ChangeReport {
  kind: ChangeKind;
  /** Lines of the current output that the previous one did not have, as printed (not masked). */
  added: string[];
  /** Lines of the previous output that the current one no longer has, as printed. */
  removed: string[];
  /**
   * `--- previous` / `+++ current` and hunks of `-`/`+`/` ` lines. In set and multiset modes, or when
   * the change was too large to align within its bounds, one `@@ ... @@` line says so and the
   * removed and added lines follow. Empty for a baseline.
   */
  unified: string;
  /** True when the diff was not aligned within its bounds or a listing was cut (the summary says which). */
  truncated: boolean;
  /** One line for people: counts, how the outputs were compared, and any cut or fallback. */
  summary: string;
}
