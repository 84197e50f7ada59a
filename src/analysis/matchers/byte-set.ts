/**
 * Sets of bytes (0-255), the character classes of non-UTF PCRE2 (ossec-analysis.md 4.3), with the
 * meanings of PCRE2's default character tables: ASCII only, nothing above 0x7f is a letter, digit
 * or space.
 */
export type ByteSet = Uint8Array;

export function emptySet(): ByteSet {
  return new Uint8Array(256);
}

export function addRange(set: ByteSet, lo: number, hi: number): void {
  for (let c = lo; c <= hi; c++) set[c] = 1;
}

export function addSet(set: ByteSet, other: ByteSet): void {
  for (let c = 0; c < 256; c++) if (other[c]) set[c] = 1;
}

export function complement(set: ByteSet): ByteSet {
  const out = emptySet();
  for (let c = 0; c < 256; c++) out[c] = set[c] ? 0 : 1;
  return out;
}

function fromRanges(...ranges: [number, number][]): ByteSet {
  const s = emptySet();
  for (const [lo, hi] of ranges) addRange(s, lo, hi);
  return s;
}

const DIGIT = fromRanges([0x30, 0x39]);
const WORD = fromRanges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]);
/** `\s`: since PCRE2 10.x (and Perl 5.18) it includes VT. */
const SPACE = fromRanges([0x09, 0x0d], [0x20, 0x20]);
/** `\h` and `\v` in non-UTF mode. */
const HSPACE = fromRanges([0x09, 0x09], [0x20, 0x20], [0xa0, 0xa0]);
const VSPACE = fromRanges([0x0a, 0x0d], [0x85, 0x85]);

const SHORTHANDS: Record<string, ByteSet> = {
  d: DIGIT,
  w: WORD,
  s: SPACE,
  h: HSPACE,
  v: VSPACE,
  D: complement(DIGIT),
  W: complement(WORD),
  S: complement(SPACE),
  H: complement(HSPACE),
  V: complement(VSPACE),
};

/**
 * The class shorthand escapes, lower case positive, upper case negated. The sets are shared:
 * callers copy before changing one (addSet into their own set).
 */
export function shorthandSet(letter: string): ByteSet | undefined {
  return Object.hasOwn(SHORTHANDS, letter) ? SHORTHANDS[letter] : undefined;
}

const SHORTHAND_SOURCES = new Map<string, string>();

/** renderSet(shorthandSet(letter)), computed once per letter. */
export function shorthandSource(letter: string): string | undefined {
  let text = SHORTHAND_SOURCES.get(letter);
  if (text === undefined) {
    const set = shorthandSet(letter);
    if (set === undefined) return undefined;
    text = renderSet(set);
    SHORTHAND_SOURCES.set(letter, text);
  }
  return text;
}

/** POSIX classes inside brackets, `[:name:]` (C locale). */
export function posixSet(name: string): ByteSet | undefined {
  switch (name) {
    case 'alpha':
      return fromRanges([0x41, 0x5a], [0x61, 0x7a]);
    case 'digit':
      return DIGIT;
    case 'alnum':
      return fromRanges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]);
    case 'space':
      return SPACE;
    case 'blank':
      return fromRanges([0x09, 0x09], [0x20, 0x20]);
    case 'cntrl':
      return fromRanges([0x00, 0x1f], [0x7f, 0x7f]);
    case 'graph':
      return fromRanges([0x21, 0x7e]);
    case 'print':
      return fromRanges([0x20, 0x7e]);
    case 'punct':
      return fromRanges([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]);
    case 'lower':
      return fromRanges([0x61, 0x7a]);
    case 'upper':
      return fromRanges([0x41, 0x5a]);
    case 'word':
      return WORD;
    case 'xdigit':
      return fromRanges([0x30, 0x39], [0x41, 0x46], [0x61, 0x66]);
    case 'ascii':
      return fromRanges([0x00, 0x7f]);
    default:
      return undefined;
  }
}

/** Adds the other case of every ASCII letter (PCRE2 caseless, default tables). */
export function foldAscii(set: ByteSet): void {
  for (let c = 0x41; c <= 0x5a; c++) {
    if (set[c] || set[c + 32]) {
      set[c] = 1;
      set[c + 32] = 1;
    }
  }
}

function esc(c: number): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
    return String.fromCharCode(c);
  }
  return '\\x' + c.toString(16).padStart(2, '0');
}

/**
 * The source renderSet gives for a set holding `code` alone, with its other ASCII case when
 * `caseless` (`[Aa]`, or the escaped byte): without building the set, since literals are most of
 * every pattern and loading translates a couple of thousand patterns.
 */
export function literalSource(code: number, caseless: boolean): string {
  if (caseless) {
    const lower = code | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) return `[${String.fromCharCode(lower - 0x20)}${String.fromCharCode(lower)}]`;
  }
  return esc(code);
}

/**
 * JS class source for a byte set. Subjects only ever hold chars 0-255 (byte strings), so a set of
 * more than half the bytes is written as the negation of the rest.
 */
export function renderSet(set: ByteSet): string {
  let count = 0;
  for (let c = 0; c < 256; c++) count += set[c];
  if (count === 256) return '[\\s\\S]';
  if (count === 0) return '[^\\s\\S]';
  const negate = count > 128;
  const target = negate ? 0 : 1;
  let body = '';
  for (let c = 0; c < 256; c++) {
    if (set[c] !== target) continue;
    let hi = c;
    while (hi + 1 < 256 && set[hi + 1] === target) hi++;
    if (hi === c) body += esc(c);
    else if (hi === c + 1) body += esc(c) + esc(hi);
    else body += esc(c) + '-' + esc(hi);
    c = hi;
  }
  if (!negate && count === 1) {
    return body;
  }
  return (negate ? '[^' : '[') + body + ']';
}

/**
 * `\p{Name}` without UTF: PCRE2 applies the Unicode property to each byte read as a code point
 * 0-255 (so `\p{L}` matches 0xC3, the lead byte of `é`). Caseless matching does not change it.
 * Names are general categories, scripts, `Any`, `L&`, and PCRE2's `Xan`, `Xsp`, `Xps`, `Xwd`.
 */
export function propertySet(name: string): ByteSet | undefined {
  const special: Record<string, string> = {
    Any: '[\\s\\S]',
    'L&': '[\\p{Lu}\\p{Ll}\\p{Lt}]',
    Lc: '[\\p{Lu}\\p{Ll}\\p{Lt}]',
    Xan: '[\\p{L}\\p{N}]',
    Xsp: '[\\p{Z}\\t\\n\\v\\f\\r]',
    Xps: '[\\p{Z}\\t\\n\\v\\f\\r]',
    Xwd: '[\\p{L}\\p{N}_]',
  };
  const candidates = special[name] ? [special[name]] : [`\\p{${name}}`, `\\p{Script=${name}}`];
  for (const src of candidates) {
    let re: RegExp;
    try {
      re = new RegExp(`^${src}$`, 'u');
    } catch {
      continue;
    }
    const set = emptySet();
    for (let c = 0; c < 256; c++) if (re.test(String.fromCharCode(c))) set[c] = 1;
    return set;
  }
  return undefined;
}
