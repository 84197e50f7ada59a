import { caselessAtom } from './caseless.js';
import type { Matcher } from './matcher.js';
import { buildRegExp, regexpMatcher } from './regexp-matcher.js';

/**
 * The literal fast paths OSSEC 4.3.0 takes for anchored all-literal patterns: `^lit$` strcasecmp,
 * `^lit` strncasecmp, `lit$` strrcasecmp (ossec-analysis.md 4.1-4.3). What matters is their
 * semantics, not their speed: the C functions fold ASCII letters only, even where the PCRE2 path
 * of the same language would fold Unicode (verified: OSMatch `^mär` does not match `MÄR`). They
 * report the end of the match as the C code does: after the prefix, or at the end of the subject.
 * A regex of ASCII-folded letters has exactly those semantics and is as fast as a hand-written
 * comparison in V8, so that is what we build.
 */
export type LiteralKind = 'equal' | 'prefix' | 'suffix';

export function literalMatcher(pattern: string, kind: LiteralKind, literal: string): Matcher {
  let src = '';
  for (let i = 0; i < literal.length; i++) src += caselessAtom(literal[i], 'ascii');
  if (kind !== 'suffix') src = '^' + src;
  if (kind !== 'prefix') src += '$';
  return regexpMatcher(pattern, buildRegExp(src, '', pattern), false);
}
