import { PatternError } from '../../errors.js';
import {
  type ByteSet,
  addRange,
  addSet,
  complement,
  emptySet,
  foldAscii,
  literalSource,
  posixSet,
  propertySet,
  renderSet,
  shorthandSet,
  shorthandSource,
} from './byte-set.js';

/**
 * Translates a PCRE2 pattern, compiled by OSSEC 4.3.0 with CASELESS only (ossec-analysis.md 4.3),
 * into JS RegExp source that runs on byte strings (byte-string.ts). The input is the pattern's own
 * byte string (one char per UTF-8 byte), as PCRE2 without UTF reads it.
 *
 * Choices, all made so that V8's linear-time fallback can take over on hostile input
 * (regexp-engine.ts):
 *  - caseless letters become `[aA]` classes instead of the `i` flag;
 *  - `$`, `\z`, `\Z` all mean end of subject: OSSEC's subjects never hold a newline (1.2.5), so
 *    PCRE2's "before a final newline" never arises there;
 *  - bounded quantifiers on group-free atoms are expanded (`x{2,4}` -> `xx(?:x(?:x)?)?`);
 *  - atomic groups and possessive quantifiers are emulated as `(?=(X))\N`, which is exact but needs
 *    a lookahead and a backreference, so those patterns lose the protection;
 *  - backreferences are kept and the `i` flag is then required (PCRE2 compares them caselessly).
 * Not supported (PatternError): recursion and subroutine calls, conditionals, callouts,
 * backtracking verbs and `(*UTF)`-style settings, `\X`, backreferences into a branch reset group.
 */
export interface Translation {
  source: string;
  flags: string;
  /**
   * For each PCRE2 capture group, in order, the JS groups that implement it (more than one only
   * inside a branch reset `(?|`, where alternatives share numbers).
   */
  groups: number[][];
  /** False when the regex uses something V8's linear engine cannot run. */
  backtrackSafe: boolean;
}

interface Opts {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  xx: boolean;
  U: boolean;
  n: boolean;
}

interface Group {
  real: boolean;
  js: number;
}

type Piece = string | { open: Group } | { ref: number | string | Group; at: number };

type FrameKind = 'capture' | 'plain' | 'reset' | 'atomic' | 'lookahead' | 'lookbehind';

interface Frame {
  kind: FrameKind;
  saved: Opts;
  start: number;
  helper?: Group;
  /** Branch reset `(?|`: the group count at its start and the highest reached by an alternative. */
  resetFrom?: number;
  resetMax?: number;
}

/** Past this many generated characters, a bounded quantifier is left as `{n,m}`. */
const MAX_EXPANSION = 20000;
/** V8's linear engine refuses quantifier bounds above this (experimental-compiler.cc). */
const LINEAR_MAX_BOUND = 16;
const MAX_QUANTIFIER = 65535;

export function translatePcre2(pattern: string): Translation {
  return new Translator(pattern).run();
}

class Translator {
  private pos = 0;
  private readonly out: Piece[] = [];
  private opts: Opts = { i: true, m: false, s: false, x: false, xx: false, U: false, n: false };
  private readonly stack: Frame[] = [];
  /** By PCRE2 group number - 1; several JS groups share a number inside a branch reset `(?|`. */
  private readonly captures: Group[][] = [];
  /** PCRE2 groups opened so far (the next group's number - 1). */
  private capCount = 0;
  private readonly names = new Map<string, number>();
  /** Index in `out` where the last quantifiable item starts, or -1. */
  private atomStart = -1;
  private needsI = false;
  private safe = true;

  constructor(private readonly src: string) {}

  private fail(reason: string): never {
    throw new PatternError(`invalid PCRE2 pattern '${this.src}': ${reason} at offset ${this.pos}`);
  }

  run(): Translation {
    const src = this.src;
    // Start-of-pattern settings that change nothing here; any other (*...) is refused below.
    for (;;) {
      const m = /^\(\*(?:LF|NO_JIT|NO_START_OPT|NO_AUTO_POSSESS|NO_DOTSTAR_ANCHOR|LIMIT_(?:MATCH|DEPTH|HEAP|RECURSION)=\d+)\)/.exec(
        src.slice(this.pos),
      );
      if (!m) break;
      this.pos += m[0].length;
    }
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (this.opts.x) {
        if (c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r') {
          this.pos++;
          continue;
        }
        if (c === '#') {
          while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
          continue;
        }
      }
      switch (c) {
        case '\\':
          this.escape();
          break;
        case '[':
          this.pos++;
          this.atom(renderSet(this.charClass()));
          break;
        case '(':
          this.openGroup();
          break;
        case ')':
          this.closeGroup();
          break;
        case '|': {
          this.pos++;
          this.out.push('|');
          this.atomStart = -1;
          const top = this.stack[this.stack.length - 1];
          if (top?.kind === 'reset') {
            top.resetMax = Math.max(top.resetMax!, this.capCount);
            this.capCount = top.resetFrom!;
          }
          break;
        }
        case '^':
          this.pos++;
          this.assertion(this.opts.m ? this.lookaround('(?<![^\\n])') : '^');
          break;
        case '$':
          this.pos++;
          this.assertion(this.opts.m ? this.lookaround('(?![^\\n])') : '$');
          break;
        case '.':
          this.pos++;
          this.atom(this.opts.s ? '[\\s\\S]' : '[^\\n]');
          break;
        case '*':
        case '+':
        case '?':
          this.pos++;
          this.quantifier(c === '+' ? 1 : 0, c === '?' ? 1 : Infinity);
          break;
        case '{': {
          const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(this.pos));
          if (!m) {
            this.pos++;
            this.literal(0x7b);
            break;
          }
          this.pos += m[0].length;
          const min = Number(m[1]);
          const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
          if (min > MAX_QUANTIFIER || (max !== Infinity && max > MAX_QUANTIFIER)) this.fail('number too big in {} quantifier');
          if (max < min) this.fail('numbers out of order in {} quantifier');
          this.quantifier(min, max);
          break;
        }
        default:
          this.pos++;
          this.literal(c.charCodeAt(0));
      }
    }
    if (this.stack.length > 0) this.fail('missing closing parenthesis');
    return this.finish();
  }

  // ---- items -------------------------------------------------------------------------------

  private atom(js: string): void {
    this.atomStart = this.out.length;
    this.out.push(js);
  }

  private assertion(js: string): void {
    this.out.push(js);
    this.atomStart = -1;
  }

  private lookaround(js: string): string {
    this.safe = false;
    return js;
  }

  private literal(code: number): void {
    this.atom(literalSource(code, this.opts.i));
  }

  private quantifier(min: number, max: number): void {
    let lazy = false;
    let possessive = false;
    const next = this.src[this.pos];
    if (next === '?') {
      lazy = true;
      this.pos++;
    } else if (next === '+') {
      possessive = true;
      this.pos++;
    }
    if (this.opts.U && !possessive) lazy = !lazy;
    if (this.atomStart < 0) this.fail('quantifier does not follow a repeatable item');
    const start = this.atomStart;
    const atomPieces = this.out.splice(start);
    let body: Piece[];
    if (!atomPieces.some((p) => typeof p === 'object' && 'open' in p) && (min > 1 || (max !== Infinity && max > 1))) {
      body = expand(atomPieces, min, max, lazy) ?? quantified(atomPieces, min, max, lazy);
    } else body = quantified(atomPieces, min, max, lazy);
    if (body.length > 0 && typeof body[body.length - 1] === 'string' && /\{\d/.test(body[body.length - 1] as string)) {
      if (min > LINEAR_MAX_BOUND || (max !== Infinity && max > LINEAR_MAX_BOUND)) this.safe = false;
    }
    if (possessive) {
      const helper: Group = { real: false, js: 0 };
      this.safe = false;
      body = ['(?=', { open: helper }, ...body, '))', { ref: helper, at: this.pos }];
    }
    this.out.push(...body);
    this.atomStart = -1;
  }

  // ---- escapes -----------------------------------------------------------------------------

  private escape(): void {
    const src = this.src;
    if (this.pos + 1 >= src.length) this.fail('\\ at end of pattern');
    const e = src[this.pos + 1];
    this.pos += 2;
    const shorthand = shorthandSource(e);
    if (shorthand !== undefined) return this.atom(shorthand);
    switch (e) {
      case 'N':
        if (src[this.pos] === '{') this.fail('\\N{name} is not supported without UTF');
        return this.atom('[^\\n]');
      case 'R':
        return this.atom('(?:\\r\\n|[\\n\\v\\f\\r\\x85])');
      case 'C':
        return this.atom('[\\s\\S]');
      case 'b':
        return this.assertion('\\b');
      case 'B':
        return this.assertion('\\B');
      case 'A':
      case 'G': // matching always starts at offset 0, so \G is \A
        return this.assertion('^');
      case 'z':
      case 'Z':
        return this.assertion('$');
      case 'K': // only moves the reported start; we report the end and captures only
        return;
      case 'E':
        return;
      case 'Q': {
        const end = src.indexOf('\\E', this.pos);
        const text = src.slice(this.pos, end < 0 ? src.length : end);
        this.pos = end < 0 ? src.length : end + 2;
        for (const ch of text) this.literal(ch.charCodeAt(0));
        return;
      }
      case 'g':
        return this.gReference();
      case 'k':
        return this.kReference();
      case 'p':
      case 'P':
        return this.atom(renderSet(this.property(e)));
      case 'X':
        this.fail('\\X (extended grapheme cluster) is not supported');
        break;
      default:
        break;
    }
    if (e >= '1' && e <= '9') {
      const digits = /^\d*/.exec(src.slice(this.pos))![0];
      const n = Number(e + digits);
      if (n < 10 || e === '8' || e === '9' || n <= this.capCount) {
        this.pos += digits.length;
        return this.backref(n);
      }
      // Otherwise octal: up to three octal digits, the rest are literals.
      const oct = /^[0-7]{1,3}/.exec(src.slice(this.pos - 1))![0];
      this.pos += oct.length - 1;
      return this.literal(Number.parseInt(oct, 8) & 0xff);
    }
    const code = this.charEscape(e);
    if (code === undefined) this.fail(`unrecognized character follows \\: '${e}'`);
    this.literal(code);
  }

  /** Escapes that stand for one character, valid inside and outside classes. */
  private charEscape(e: string): number | undefined {
    const src = this.src;
    switch (e) {
      case 'a':
        return 0x07;
      case 'e':
        return 0x1b;
      case 'f':
        return 0x0c;
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 't':
        return 0x09;
      case '0': {
        const m = /^[0-7]{0,2}/.exec(src.slice(this.pos))![0];
        this.pos += m.length;
        return Number.parseInt('0' + m, 8);
      }
      case 'o': {
        const m = /^\{([0-7]+)\}/.exec(src.slice(this.pos));
        if (!m) this.fail('missing opening brace after \\o');
        this.pos += m[0].length;
        return this.byteValue(Number.parseInt(m[1], 8));
      }
      case 'x': {
        if (src[this.pos] === '{') {
          const m = /^\{([0-9a-fA-F]+)\}/.exec(src.slice(this.pos));
          if (!m) this.fail('malformed \\x{...}');
          this.pos += m[0].length;
          return this.byteValue(Number.parseInt(m[1], 16));
        }
        const m = /^[0-9a-fA-F]{0,2}/.exec(src.slice(this.pos))![0];
        this.pos += m.length;
        return m === '' ? 0 : Number.parseInt(m, 16);
      }
      case 'c': {
        const x = src[this.pos];
        if (x === undefined || x.charCodeAt(0) < 0x20 || x.charCodeAt(0) > 0x7e) this.fail('\\c must be followed by a printable ASCII character');
        this.pos++;
        return x.toUpperCase().charCodeAt(0) ^ 0x40;
      }
      default:
        if (/[A-Za-z0-9]/.test(e)) return undefined;
        return e.charCodeAt(0);
    }
  }

  /** `\\pL`, `\\p{Name}`, `\\p{^Name}`, `\\P...`; the position is after the `p`. */
  private property(e: string): ByteSet {
    const m = /^(?:\{(\^?)([A-Za-z_&][A-Za-z0-9_& ]*)\}|([A-Za-z]))/.exec(this.src.slice(this.pos));
    if (!m) this.fail('malformed \\P or \\p sequence');
    this.pos += m[0].length;
    const name = (m[2] ?? m[3]).replace(/[ _]/g, '');
    const set = propertySet(name) ?? propertySet(name[0].toUpperCase() + name.slice(1).toLowerCase());
    if (!set) this.fail(`unknown property name after \\P or \\p: '${name}'`);
    return (e === 'P') !== (m[1] === '^') ? complement(set) : set;
  }

  private byteValue(v: number): number {
    if (v > 0xff) this.fail('character code point value in \\x{} or \\o{} is too large');
    return v;
  }

  private gReference(): void {
    const rest = this.src.slice(this.pos);
    let m = /^\{(-?\d+)\}/.exec(rest) ?? /^(-?\d+)/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      let n = Number(m[1]);
      if (n === 0) this.fail('a subpattern number of zero is not allowed');
      if (n < 0) n = this.capCount + n + 1;
      if (n <= 0) this.fail('reference to non-existent subpattern');
      return this.backref(n);
    }
    m = /^\{([A-Za-z_]\w*)\}/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      return this.backref(m[1]);
    }
    if (rest[0] === '<' || rest[0] === "'") this.fail('subroutine calls (\\g<...>) are not supported');
    this.fail('malformed \\g reference');
  }

  private kReference(): void {
    const m = /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(this.src.slice(this.pos));
    if (!m) this.fail('\\k must be followed by a group name in <>, \'\' or {}');
    this.pos += m[0].length;
    this.backref(m[1] ?? m[2] ?? m[3]);
  }

  private backref(target: number | string): void {
    this.safe = false;
    // PCRE2 compares a backreference caselessly; only the `i` flag can do that in JS.
    if (this.opts.i) this.needsI = true;
    this.atomStart = this.out.length;
    this.out.push({ ref: target, at: this.pos });
  }

  // ---- classes -----------------------------------------------------------------------------

  private charClass(): ByteSet {
    const src = this.src;
    const set = emptySet();
    let negate = false;
    if (src[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    let first = true;
    this.quoting = false;
    for (;;) {
      if (this.pos >= src.length) this.fail('missing terminating ] for character class');
      const c = src[this.pos];
      if (!this.quoting && c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (!this.quoting && this.opts.xx && (c === ' ' || c === '\t')) {
        this.pos++;
        continue;
      }
      const lo = this.classItem();
      if (lo === null) continue;
      const dash = src[this.pos] === '-' && this.pos + 1 < src.length && src[this.pos + 1] !== ']';
      if (typeof lo !== 'number') {
        addSet(set, lo);
        if (dash) this.fail('invalid range in character class');
        continue;
      }
      if (dash && !this.quoting) {
        this.pos++;
        let hi = this.classItem();
        while (hi === null && this.pos < src.length) hi = this.classItem();
        if (hi === null || typeof hi !== 'number') this.fail('invalid range in character class');
        if (hi < lo) this.fail('range out of order in character class');
        addRange(set, lo, hi);
      } else set[lo] = 1;
    }
    if (this.opts.i) foldAscii(set);
    return negate ? complement(set) : set;
  }

  /** Inside `\Q...\E` within a class. */
  private quoting = false;

  /** One class member: a byte, a set (`\d`, `[:alpha:]`), or null for `\Q` / `\E`. */
  private classItem(): number | ByteSet | null {
    const src = this.src;
    const c = src[this.pos];
    if (this.quoting) {
      if (c === '\\' && src[this.pos + 1] === 'E') {
        this.pos += 2;
        this.quoting = false;
        return null;
      }
      this.pos++;
      return c.charCodeAt(0);
    }
    if (c === '[') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(this.pos));
      if (m) {
        const s = posixSet(m[2]);
        if (!s) this.fail(`unknown POSIX class name '${m[2]}'`);
        this.pos += m[0].length;
        return m[1] ? complement(s) : s;
      }
      if (/^\[([.=]).*?\1\]/.test(src.slice(this.pos))) this.fail('POSIX collating elements are not supported');
    }
    if (c !== '\\') {
      this.pos++;
      return c.charCodeAt(0);
    }
    if (this.pos + 1 >= src.length) this.fail('\\ at end of pattern');
    const e = src[this.pos + 1];
    this.pos += 2;
    const set = shorthandSet(e);
    if (set) return set;
    switch (e) {
      case 'b':
        return 0x08;
      case 'E':
        return null;
      case 'Q':
        this.quoting = true;
        return null;
      case 'N':
      case 'R':
      case 'X':
      case 'B':
        this.fail(`escape sequence \\${e} is invalid in character class`);
        break;
      case 'p':
      case 'P':
        return this.property(e);
      default:
        break;
    }
    if (e >= '1' && e <= '7') {
      const oct = /^[0-7]{1,3}/.exec(src.slice(this.pos - 1))![0];
      this.pos += oct.length - 1;
      return Number.parseInt(oct, 8) & 0xff;
    }
    const code = this.charEscape(e);
    if (code === undefined) this.fail(`unrecognized character follows \\: '${e}'`);
    return code;
  }

  // ---- groups ------------------------------------------------------------------------------

  private openGroup(): void {
    const src = this.src;
    const start = this.out.length;
    this.pos++;
    if (src[this.pos] === '*') this.fail('(*...) verbs and options such as (*UTF) are not supported');
    if (src[this.pos] !== '?') {
      if (this.opts.n) return this.push('plain', start, '(?:');
      return this.pushCapture(start);
    }
    this.pos++;
    const d = src[this.pos];
    const rest = src.slice(this.pos);
    switch (d) {
      case '#': {
        const end = src.indexOf(')', this.pos);
        if (end < 0) this.fail('missing ) after (?# comment');
        this.pos = end + 1;
        return;
      }
      case ':':
        this.pos++;
        return this.push('plain', start, '(?:');
      case '>': {
        this.pos++;
        this.safe = false;
        const helper: Group = { real: false, js: 0 };
        this.push('atomic', start, '(?=', helper);
        this.out.push({ open: helper });
        return;
      }
      case '=':
      case '!':
        this.pos++;
        this.safe = false;
        return this.push('lookahead', start, '(?' + d);
      case '<': {
        if (rest[1] === '=' || rest[1] === '!') {
          this.pos += 2;
          this.safe = false;
          return this.push('lookbehind', start, '(?<' + rest[1]);
        }
        const m = /^<([A-Za-z_]\w*)>/.exec(rest);
        if (!m) this.fail('syntax error in subpattern name (missing terminator?)');
        this.pos += m[0].length;
        return this.pushCapture(start, m[1]);
      }
      case "'": {
        const m = /^'([A-Za-z_]\w*)'/.exec(rest);
        if (!m) this.fail('syntax error in subpattern name (missing terminator?)');
        this.pos += m[0].length;
        return this.pushCapture(start, m[1]);
      }
      case 'P': {
        let m = /^P<([A-Za-z_]\w*)>/.exec(rest);
        if (m) {
          this.pos += m[0].length;
          return this.pushCapture(start, m[1]);
        }
        m = /^P=([A-Za-z_]\w*)\)/.exec(rest);
        if (m) {
          this.pos += m[0].length;
          return this.backref(m[1]);
        }
        this.fail('recursion and subroutine calls ((?P>...)) are not supported');
        break;
      }
      case '|':
        this.pos++;
        this.push('reset', start, '(?:');
        this.stack[this.stack.length - 1].resetFrom = this.capCount;
        this.stack[this.stack.length - 1].resetMax = this.capCount;
        return;
      case '(':
        this.fail('conditional groups (?(...)...) are not supported');
        break;
      case 'C':
        this.fail('callouts (?C...) are not supported');
        break;
      case 'R':
      case '&':
        this.fail('recursion and subroutine calls are not supported');
        break;
      default:
        break;
    }
    if (d !== undefined && /[0-9+]/.test(d)) this.fail('recursion and subroutine calls are not supported');
    if (d === '-' && /^-\d/.test(rest)) this.fail('recursion and subroutine calls are not supported');
    // Option settings: (?imnsxU-imnsxU) or (?^...), alone or as (?...:...).
    const m = /^(\^?)([imnsxJU]*)(?:-([imnsxJU]*))?([:)])/.exec(rest);
    if (!m) this.fail('unrecognized character after (? or (?-');
    this.pos += m[0].length;
    const next: Opts = { ...this.opts };
    if (m[1]) Object.assign(next, { i: false, m: false, n: false, s: false, x: false, xx: false });
    applyOptions(next, m[2], true);
    if (m[3] !== undefined) applyOptions(next, m[3], false);
    if (m[4] === ')') {
      this.opts = next;
      return;
    }
    this.push('plain', start, '(?:');
    this.opts = next;
  }

  private pushCapture(start: number, name?: string): void {
    const g: Group = { real: true, js: 0 };
    const n = ++this.capCount;
    (this.captures[n - 1] ??= []).push(g);
    if (name !== undefined) {
      if (this.names.has(name) && this.names.get(name) !== n) this.fail(`two named subpatterns have the same name '${name}'`);
      this.names.set(name, n);
    }
    this.stack.push({ kind: 'capture', saved: { ...this.opts }, start });
    this.out.push({ open: g });
  }

  private push(kind: FrameKind, start: number, js: string, helper?: Group): void {
    this.stack.push({ kind, saved: { ...this.opts }, start, helper });
    this.out.push(js);
  }

  private closeGroup(): void {
    const frame = this.stack.pop();
    if (!frame) this.fail('unmatched closing parenthesis');
    this.pos++;
    this.opts = frame.saved;
    if (frame.kind === 'reset') this.capCount = Math.max(frame.resetMax!, this.capCount);
    if (frame.kind === 'atomic') {
      this.out.push('))', { ref: frame.helper!, at: this.pos });
    } else this.out.push(')');
    this.atomStart = frame.kind === 'lookbehind' ? -1 : frame.start;
  }

  // ---- output ------------------------------------------------------------------------------

  private finish(): Translation {
    let js = 0;
    for (const p of this.out) if (typeof p === 'object' && 'open' in p) p.open.js = ++js;
    let source = '';
    for (const p of this.out) {
      if (typeof p === 'string') source += p;
      else if ('open' in p) source += '(';
      else source += `(?:\\${this.resolve(p.ref, p.at).js})`;
    }
    return {
      source,
      flags: this.needsI ? 'i' : '',
      groups: this.captures.map((gs) => gs.map((g) => g.js)),
      backtrackSafe: this.safe,
    };
  }

  private resolve(ref: number | string | Group, at: number): Group {
    if (typeof ref === 'object') return ref;
    const n = typeof ref === 'number' ? ref : this.names.get(ref);
    const gs = n === undefined ? undefined : this.captures[n - 1];
    if (gs && gs.length > 1) {
      this.pos = at;
      this.fail('a backreference to a group number shared inside (?|...) is not supported');
    }
    const g = gs?.[0];
    if (!g) {
      this.pos = at;
      this.fail(typeof ref === 'number' ? 'reference to non-existent subpattern' : `reference to non-existent subpattern name '${ref}'`);
    }
    return g;
  }
}

function applyOptions(o: Opts, letters: string, on: boolean): void {
  for (let k = 0; k < letters.length; k++) {
    const l = letters[k];
    if (l === 'x') {
      if (letters[k + 1] === 'x') {
        o.xx = on;
        k++;
      }
      o.x = on;
      if (!on) o.xx = false;
    } else if (l === 'i' || l === 'm' || l === 's' || l === 'U' || l === 'n') o[l] = on;
    // J (duplicate names) changes nothing we support.
  }
}

function quantified(atom: Piece[], min: number, max: number, lazy: boolean): Piece[] {
  let q: string;
  if (min === 0 && max === Infinity) q = '*';
  else if (min === 1 && max === Infinity) q = '+';
  else if (min === 0 && max === 1) q = '?';
  else if (max === Infinity) q = `{${min},}`;
  else if (min === max) q = `{${min}}`;
  else q = `{${min},${max}}`;
  return [...atom, q + (lazy ? '?' : '')];
}

/**
 * `X{n,m}` as n copies of X and m-n nested optional copies, which V8's linear engine accepts at
 * any size (it refuses bounds above 16). Same preference order: greedy tries the longest first,
 * lazy the shortest. Only for group-free X, since copies would duplicate capture groups.
 */
function expand(atom: Piece[], min: number, max: number, lazy: boolean): Piece[] | undefined {
  const size = atom.reduce((n, p) => n + (typeof p === 'string' ? p.length : 8), 0) + 6;
  const copies = min + (max === Infinity ? 1 : max - min);
  if (size * copies > MAX_EXPANSION) return undefined;
  const wrapped: Piece[] = atom.length === 1 ? atom : ['(?:', ...atom, ')'];
  const out: Piece[] = [];
  for (let k = 0; k < min; k++) out.push(...wrapped);
  if (max === Infinity) {
    out.push(...wrapped, lazy ? '*?' : '*');
    return out;
  }
  let tail: Piece[] = [];
  for (let k = 0; k < max - min; k++) tail = ['(?:', ...wrapped, ...tail, lazy ? ')??' : ')?'];
  out.push(...tail);
  return out;
}
