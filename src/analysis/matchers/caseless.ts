/**
 * Case-insensitive matching without the RegExp `i` flag (see regexp-engine.ts for why): each letter
 * of a pattern becomes a class of its case variants.
 *
 * Two folding modes, because OSSEC 4.3.0 uses two:
 *  - `unicode`: OSMatch and OSRegex are compiled by PCRE2 with UTF|CASELESS (ossec-analysis.md 4.1,
 *    4.2), so case folding is Unicode's. That includes a few non-ASCII partners of ASCII letters
 *    (KELVIN SIGN for k, LATIN SMALL LETTER LONG S for s), which we reproduce.
 *  - `ascii`: `<pcre2>` patterns are compiled without UTF (4.3) and PCRE2's default tables only fold
 *    ASCII letters; the fast paths (strncasecmp and friends) are ASCII-only as well.
 */

/** Non-ASCII characters that PCRE2's Unicode caseless matching treats as equal to an ASCII letter. */
const ASCII_EXTRA: Readonly<Record<string, string>> = { k: '\u212A', s: '\u017F' };

const unicodeSets = new Map<string, string[]>();

/** The case variants of one UTF-16 code unit, itself included. */
export function caseVariants(ch: string, mode: 'unicode' | 'ascii'): string[] {
  const code = ch.charCodeAt(0);
  if (code < 0x80) {
    const lower = code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch;
    const upper = code >= 0x61 && code <= 0x7a ? String.fromCharCode(code - 32) : ch;
    if (lower === upper) return [ch];
    const extra = mode === 'unicode' ? ASCII_EXTRA[lower] : undefined;
    return extra ? [upper, lower, extra] : [upper, lower];
  }
  if (mode === 'ascii' || (code >= 0xd800 && code <= 0xdfff)) return [ch];
  let set = unicodeSets.get(ch);
  if (!set) {
    set = unicodeCaseSet(ch);
    unicodeSets.set(ch, set);
  }
  return set;
}

/**
 * Simple case folding closure of a non-ASCII BMP character, computed once per distinct character by
 * letting V8's `/iu` (which implements Unicode simple case folding, like PCRE2's caseless sets) test
 * every code unit. Only patterns with non-ASCII letters pay for this, once, at load.
 */
function unicodeCaseSet(ch: string): string[] {
  if (ch.toLowerCase() === ch && ch.toUpperCase() === ch && !/\p{L}/u.test(ch)) return [ch];
  const re = new RegExp(`^\\u{${ch.charCodeAt(0).toString(16)}}$`, 'iu');
  const out: string[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCharCode(c);
    if (re.test(s)) out.push(s);
  }
  return out.length > 0 ? out : [ch];
}

/** A JS regex source for one code unit, safe anywhere outside a class. */
export function escapeCodeUnit(ch: string): string {
  const code = ch.charCodeAt(0);
  if (/[A-Za-z0-9_ ]/.test(ch)) return ch;
  if (code > 0x20 && code < 0x7f) return '\\' + ch;
  return '\\u' + code.toString(16).padStart(4, '0');
}

/** A JS regex source for one code unit of a pattern, matched case-insensitively. */
export function caselessAtom(ch: string, mode: 'unicode' | 'ascii'): string {
  const v = caseVariants(ch, mode);
  if (v.length === 1) return escapeCodeUnit(ch);
  return '[' + v.map(escapeCodeUnit).join('') + ']';
}

/** Lower-cases ASCII letters only, keeping the length (indices stay valid in the original). */
export function asciiLower(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s.toLowerCase();
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
