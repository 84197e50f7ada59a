import './regexp-engine.js';
import { PatternError } from '../../errors.js';
import { byteOffsetToIndex, fromByteString, patternBytes, toByteString } from './byte-string.js';
import { literalMatcher } from './literal.js';
import type { Matcher, MatchResult } from './matcher.js';
import { translatePcre2 } from './pcre2-translate.js';
import { buildRegExp, packCaptures } from './regexp-matcher.js';

export interface Pcre2Matcher extends Matcher {
  /**
   * False when the pattern uses a construct V8's linear-time fallback cannot run (backreferences,
   * lookarounds, atomic groups, possessive quantifiers, very large `{n,m}` on a group): a hostile
   * log line could then make it backtrack for a long time. Loaders may warn about it.
   */
  readonly backtrackSafe: boolean;
}

/** OSPcre2_CouldBeOptimized (ossec-analysis.md 4.3): anchored all-literal patterns. */
const OPTIMIZABLE = /^\^?[a-zA-Z0-9 !"#%&',/:;<=>@_`~-]*\$?$/;

/**
 * A `*_pcre2` element: PCRE2 compiled with CASELESS only, no UTF (ossec-analysis.md 4.3). Runs on
 * the UTF-8 bytes of the subject (byte-string.ts); `end` and captures are given back in terms of
 * the original string.
 */
export function compilePcre2(pattern: string): Pcre2Matcher {
  if (pattern === '') throw new PatternError('empty PCRE2 pattern');
  if (OPTIMIZABLE.test(pattern)) {
    const starts = pattern.startsWith('^');
    const ends = pattern.length > (starts ? 1 : 0) && pattern.endsWith('$');
    const body = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
    if (starts && ends) return { ...literalMatcher(pattern, 'equal', body), backtrackSafe: true };
    if (starts) return { ...literalMatcher(pattern, 'prefix', body), backtrackSafe: true };
    if (ends) return { ...literalMatcher(pattern, 'suffix', body), backtrackSafe: true };
  }
  return regexMatcher(pattern);
}

function regexMatcher(pattern: string): Pcre2Matcher {
  const t = translatePcre2(patternBytes(pattern));
  const re = buildRegExp(t.source, t.flags, pattern);
  return {
    pattern,
    backtrackSafe: t.backtrackSafe,
    test: (subject) => re.test(toByteString(subject)),
    prefilter: () => re.prefilter(),
    exec(subject): MatchResult | null {
      const bytes = toByteString(subject);
      const m = re.exec(bytes);
      if (!m) return null;
      const end = m.index + m[0].length;
      const captures = packCaptures(m, t.groups);
      if (bytes === subject) return { end, captures };
      return { end: byteOffsetToIndex(subject, end), captures: captures.map(fromByteString) };
    },
  };
}
