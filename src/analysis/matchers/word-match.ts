import { asciiLower } from './caseless.js';

/**
 * OS_WordMatch (ossec-analysis.md 4.4), used for `if_group` and a few internal checks:
 * `|`-separated alternatives, each a case-insensitive (ASCII) substring, or a prefix when it starts
 * with `^`. `$` is an ordinary character. An empty pattern never matches, but an empty alternative
 * (`a|`) matches everything, as does a lone `^`. A non-anchored alternative never matches an empty
 * subject.
 */
export function osWordMatch(pattern: string, subject: string): boolean {
  if (pattern === '') return false;
  const s = asciiLower(subject);
  for (const alt of asciiLower(pattern).split('|')) {
    if (alt === '') return true;
    if (alt.startsWith('^')) {
      if (s.startsWith(alt.slice(1))) return true;
    } else if (s !== '' && s.includes(alt)) return true;
  }
  return false;
}
