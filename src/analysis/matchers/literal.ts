import type { Matcher, MatchResult } from './matcher.js';
import { hasUnicodePartners, lowerSubject } from './caseless.js';

/**
 * The literal fast paths OSSEC 4.3.0 takes for anchored all-literal patterns (`^lit$` strcasecmp,
 * `^lit` strncasecmp, `lit$` strrcasecmp; ossec-analysis.md 4.1-4.3). They fold ASCII only, as the
 * C functions do, and report the end of match the way the C code does: after the prefix, or at the
 * end of the subject.
 */
export type LiteralKind = 'equal' | 'prefix' | 'suffix';

export function literalMatcher(pattern: string, kind: LiteralKind, literal: string): Matcher {
  const lit = literal.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  const n = lit.length;
  const test = (subject: string): boolean => {
    if (subject.length < n) return false;
    const s = lowerSubject(subject);
    if (kind === 'equal') return s === lit;
    if (kind === 'prefix') return s.startsWith(lit);
    return s.endsWith(lit);
  };
  return {
    pattern,
    test,
    exec(subject): MatchResult | null {
      if (!test(subject)) return null;
      return { end: kind === 'prefix' ? n : subject.length, captures: [] };
    },
  };
}

/**
 * An unanchored literal searched as a substring. Not an OSSEC fast path (OSSEC hands these to
 * PCRE2), so it must give PCRE2's answer: it only runs when ASCII folding equals PCRE2's folding,
 * and otherwise defers to `fallback`, the equivalent regex.
 */
export function substringMatcher(pattern: string, literal: string, fallback: Matcher, unicode: boolean): Matcher {
  const lit = literal.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  // eslint-disable-next-line no-control-regex
  const asciiOnly = !/[^\x00-\x7f]/.test(lit);
  const hasKS = unicode && /[ks]/.test(lit);
  if (!asciiOnly) return fallback;
  const usable = (subject: string): boolean => !hasKS || !hasUnicodePartners(subject);
  return {
    pattern,
    test(subject) {
      if (!usable(subject)) return fallback.test(subject);
      return lowerSubject(subject).includes(lit);
    },
    exec(subject): MatchResult | null {
      if (!usable(subject)) return fallback.exec(subject);
      const i = lowerSubject(subject).indexOf(lit);
      return i < 0 ? null : { end: i + lit.length, captures: [] };
    },
  };
}
