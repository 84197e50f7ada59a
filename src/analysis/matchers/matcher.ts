import type { Prefilter } from './prefilter.js';

/**
 * A compiled pattern of one of OSSEC's three languages (ossec-analysis.md section 4).
 * Compiled once at load; the hot path only calls test/exec.
 */
export interface Matcher {
  /** The pattern as written in the file. */
  readonly pattern: string;
  /** True when the pattern matches anywhere in the subject (case-insensitive, as OSSEC 4.3.0). */
  test(subject: string): boolean;
  /**
   * Match and return where the overall match ends (decoders use it for offsets and `pmatch`) and the
   * captures, with groups that did not take part packed away (ossec-analysis.md 3.4 step 7).
   */
  exec(subject: string): MatchResult | null;
  /**
   * A cheap necessary condition on `subject.toLowerCase()` (prefilter.ts): when it fails, test
   * and exec fail. Undefined (or absent) when nothing is known. For a PCRE2 matcher, which runs on
   * the UTF-8 bytes, it holds on the text too: its literals are ASCII runs, and an ASCII run of the
   * bytes is one of the text.
   */
  prefilter?(): Prefilter | undefined;
}

export interface MatchResult {
  /** Index in the subject just after the overall match. */
  end: number;
  /** Captured substrings, unset groups removed, in group order. */
  captures: string[];
}
