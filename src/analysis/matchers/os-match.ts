import './regexp-engine.js';
import { PatternError } from '../../errors.js';
import { caselessAtom } from './caseless.js';
import { literalMatcher } from './literal.js';
import type { Matcher } from './matcher.js';
import { buildRegExp, regexpMatcher } from './regexp-matcher.js';

/** OS_PATTERN_MAXSIZE (ossec-analysis.md 4.1). */
export const OS_PATTERN_MAXSIZE = 2048;

/** OSMatch_CouldBeOptimized: an optional `^`, at least one ordinary char, an optional `$`. */
const OPTIMIZABLE = /^\^?[^$|^]+\$?$/;

/**
 * OSMatch, the "string match" language (ossec-analysis.md 4.1): only `^`, `$` and `|` are special,
 * there are no escapes, and matching is case-insensitive.
 */
export function compileOsMatch(pattern: string): Matcher {
  if (pattern.length > OS_PATTERN_MAXSIZE) {
    throw new PatternError(`pattern longer than ${OS_PATTERN_MAXSIZE} characters`);
  }
  if (pattern === '') {
    return { pattern, test: () => true, exec: () => ({ end: 0, captures: [] }) };
  }
  if (OPTIMIZABLE.test(pattern)) {
    const starts = pattern.startsWith('^');
    const ends = pattern.endsWith('$');
    const body = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
    if (starts && ends) return literalMatcher(pattern, 'equal', body);
    if (starts) return literalMatcher(pattern, 'prefix', body);
    if (ends) return literalMatcher(pattern, 'suffix', body);
  }
  return regexMatcher(pattern);
}

/**
 * What OSSEC hands to PCRE2 (UTF, caseless): every character literal except `^`, `$` and `|`, which
 * keep their PCRE2 meaning wherever they are (so `a^b` can never match).
 */
function regexMatcher(pattern: string): Matcher {
  let src = '';
  for (const ch of splitUnits(pattern)) {
    if (ch === '^' || ch === '$' || ch === '|') src += ch;
    else src += ch.length === 1 ? caselessAtom(ch, 'unicode') : escapePair(ch);
  }
  return regexpMatcher(pattern, buildRegExp(src, '', pattern), false);
}

/** Code units, except that a surrogate pair stays together. */
function splitUnits(s: string): string[] {
  const out: string[] = [];
  for (const cp of s) out.push(cp);
  return out;
}

function escapePair(pair: string): string {
  return [...Array(pair.length).keys()].map((i) => '\\u' + pair.charCodeAt(i).toString(16).padStart(4, '0')).join('');
}
