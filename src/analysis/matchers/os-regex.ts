import './regexp-engine.js';
import { PatternError } from '../../errors.js';
import { caselessAtom } from './caseless.js';
import { literalMatcher } from './literal.js';
import type { Matcher } from './matcher.js';
import { OS_PATTERN_MAXSIZE } from './os-match.js';
import { buildRegExp, regexpMatcher } from './regexp-matcher.js';

/**
 * The character classes of OSRegex as 4.3.0 rewrites them (ossec-analysis.md 4.2). `\w` includes
 * `@`, `_` and `-`; `\s` is a space only.
 * Known deviation: under PCRE2's UTF caseless matching `[A-Za-z]` also matches KELVIN SIGN (U+212A)
 * and LONG S (U+017F). Adding them to `\w` doubles the cost of V8's linear-time engine, which is
 * what bounds hostile input (regexp-engine.ts), so `\w` stays ASCII. Literal `k`/`s` do fold to them.
 */
const CLASSES: Readonly<Record<string, string>> = {
  w: '[A-Za-z0-9@_\\-]',
  W: '[^A-Za-z0-9@_\\-]',
  d: '[0-9]',
  D: '[^0-9]',
  s: ' ',
  S: '[^ ]',
  p: '[()*+,.:;<=>?[\\]!"\'#%&$|{}\\-]',
  '.': '[\\s\\S]',
};

/** Escapes copied through as the literal character (`\t` is a tab). */
const LITERAL_ESCAPES = new Set(['t', '$', '(', ')', '{', '}', '[', ']', '\\', '|', '<']);

/** OSRegex_CouldBeOptimized: anchored literal made of these characters only (4.2). */
const OPTIMIZABLE = /^\^?[a-zA-Z0-9 !"#%&',/:;<=>@_`~-]*\$?$/;

type Token =
  | { t: 'atom'; js: string; backslash: boolean }
  | { t: 'quant'; q: '+' | '*' }
  | { t: 'open' }
  | { t: 'close' }
  | { t: 'alt' }
  | { t: 'caret' }
  | { t: 'dollar' };

/**
 * OSRegex, the OSSEC regex language, translated exactly as 4.3.0's `OSRegex_ConvertRegex` does
 * before it hands the result to PCRE2 (ossec-analysis.md 4.2), then emitted as JS.
 */
export function compileOsRegex(pattern: string): Matcher {
  if (pattern.length > OS_PATTERN_MAXSIZE) {
    throw new PatternError(`pattern longer than ${OS_PATTERN_MAXSIZE} characters`);
  }
  // Unlike OSMatch, an empty OSRegex does not compile (verified: "Syntax error on regex: ''").
  if (pattern === '') throw new PatternError('empty pattern');
  if (OPTIMIZABLE.test(pattern)) {
    const starts = pattern.startsWith('^');
    const ends = pattern.length > (starts ? 1 : 0) && pattern.endsWith('$');
    const body = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
    if (starts && ends) return literalMatcher(pattern, 'equal', body);
    if (starts) return literalMatcher(pattern, 'prefix', body);
    if (ends) return literalMatcher(pattern, 'suffix', body);
  }
  return regexMatcher(pattern);
}

function regexMatcher(pattern: string): Matcher {
  const source = toJsSource(tokenize(pattern), pattern);
  return regexpMatcher(pattern, buildRegExp(source, '', pattern), true);
}

/** The left-to-right scan of `OSRegex_ConvertRegex`, in its order of tests. */
function tokenize(p: string): Token[] {
  const out: Token[] = [];
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const c = p[i];
    // Purely positional (4.2): the char two back is a backslash, whatever that backslash was.
    if (i >= 2 && p[i - 2] === '\\' && (c === '+' || c === '*')) {
      out.push({ t: 'quant', q: c });
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= n) throw new PatternError(`invalid pattern '${p}': trailing backslash`);
      const e = p[i + 1];
      i++;
      const cls = CLASSES[e];
      if (cls !== undefined) out.push({ t: 'atom', js: cls, backslash: false });
      else if (LITERAL_ESCAPES.has(e)) {
        out.push({ t: 'atom', js: e === 't' ? '\\t' : literal(e), backslash: e === '\\' });
      } else throw new PatternError(`invalid pattern '${p}': unknown escape '\\${e}'`);
      continue;
    }
    switch (c) {
      case '$':
        out.push({ t: 'dollar' });
        break;
      case '^':
        out.push({ t: 'caret' });
        break;
      case '|':
        out.push({ t: 'alt' });
        break;
      case '(':
        out.push({ t: 'open' });
        break;
      case ')':
        out.push({ t: 'close' });
        break;
      default:
        // `.[]{}+?*` are escaped by the converter: all literal.
        out.push({ t: 'atom', js: literal(c), backslash: false });
    }
  }
  return out;
}

function literal(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdfff) return '\\u' + code.toString(16).padStart(4, '0');
  return caselessAtom(ch, 'unicode');
}

function toJsSource(tokens: Token[], pattern: string): string {
  let src = '';
  let open = 0;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    switch (tok.t) {
      case 'atom':
        src += tok.js;
        break;
      case 'quant': {
        const prev = tokens[k - 1];
        src += tok.q + (isGreedy(tokens, k, prev) ? '' : '?');
        break;
      }
      case 'open':
        open++;
        src += '(';
        break;
      case 'close':
        if (open === 0) throw new PatternError(`invalid pattern '${pattern}': unbalanced ')'`);
        open--;
        src += ')';
        break;
      case 'alt':
        src += '|';
        break;
      case 'caret':
        src += '^';
        break;
      case 'dollar':
        src += '$';
        break;
    }
  }
  if (open !== 0) throw new PatternError(`invalid pattern '${pattern}': unbalanced '('`);
  return src;
}

/**
 * OSREGEX_TO_PCRE2_FIX (4.2): a lazy quantifier followed only by `)`s and then `|` or the end of
 * the pattern becomes greedy again, unless the converted text before it ends in a backslash, which
 * only happens after the escape `\\`. A following `$` keeps it lazy (its PCRE2 form starts with `(`).
 */
function isGreedy(tokens: Token[], k: number, prev: Token | undefined): boolean {
  if (prev?.t === 'atom' && prev.backslash) return false;
  let j = k + 1;
  while (j < tokens.length && tokens[j].t === 'close') j++;
  return j === tokens.length || tokens[j].t === 'alt';
}
