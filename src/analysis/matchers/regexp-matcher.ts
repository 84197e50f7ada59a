import { GuardedRegExp } from './regexp-engine.js';
import type { Matcher, MatchResult } from './matcher.js';

/**
 * At most this many captures are handed back (ossec-analysis.md 4.2: "at most 64 are kept").
 */
export const MAX_CAPTURES = 64;

/** Compiles generated JS regex source, turning a syntax error into a PatternError. */
export function buildRegExp(source: string, flags: string, pattern: string): GuardedRegExp {
  return new GuardedRegExp(source, flags, pattern);
}

/**
 * Packs the captures of a JS match the way OSSEC does: groups that did not take part are removed,
 * set-but-empty ones are kept (ossec-analysis.md 3.4 step 7). `groups` lists the JS group numbers
 * that are real capture groups of the source pattern (helper groups are left out).
 */
export function packCaptures(m: RegExpExecArray, groups: readonly (readonly number[])[] | undefined): string[] {
  const out: string[] = [];
  if (groups) {
    for (const alternatives of groups) {
      for (const g of alternatives) {
        const v = m[g];
        if (v !== undefined) {
          out.push(v);
          break;
        }
      }
      if (out.length === MAX_CAPTURES) break;
    }
    return out;
  }
  for (let g = 1; g < m.length; g++) {
    const v = m[g];
    if (v !== undefined) {
      out.push(v);
      if (out.length === MAX_CAPTURES) break;
    }
  }
  return out;
}

/** A Matcher over a JS RegExp run on the subject as is. */
export function regexpMatcher(pattern: string, re: GuardedRegExp, withCaptures: boolean): Matcher {
  return {
    pattern,
    test: (subject) => re.test(subject),
    prefilter: () => re.prefilter(),
    exec(subject): MatchResult | null {
      const m = re.exec(subject);
      if (!m) return null;
      return { end: m.index + m[0].length, captures: withCaptures ? packCaptures(m, undefined) : [] };
    },
  };
}
