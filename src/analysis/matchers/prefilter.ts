/**
 * Literal prefilters: a cheap necessary condition for a compiled pattern, checked before the regex
 * runs. OSSEC's patterns are mostly literal text (`Failed password for`, `^Installed|^Updated`),
 * and on most events most of the patterns tried do not match; a substring search on the
 * lower-cased subject says so for a fraction of the cost of a RegExp call, and on a hostile 1 MB
 * line it bounds the work to one linear scan per literal.
 *
 * The analysis reads the JS source our translators generate (os-match.ts, os-regex.ts,
 * pcre2-translate.ts, literal.ts) and derives, per alternative, the literal runs every match must
 * contain (and, after `^`, the text it must start with). It is only ever a *necessary* condition:
 * when the check fails the regex cannot match, when it passes the regex decides. So results never
 * change; anything the analysis does not understand contributes "no requirement".
 *
 * Case: a literal atom is a plain ASCII character or a class of exactly the two cases of one ASCII
 * letter (`[aA]`); anything else (e.g. OSMatch's `[kK\u212A]`, which can match a non-ASCII
 * character) ends the run. Literals are ASCII and checked on `subject.toLowerCase()`: an ASCII run
 * that matches case-insensitively is, lower-cased, a substring of the lower-cased subject (and for
 * the UTF-8 byte strings of PCRE2 patterns, an ASCII run occurs in the bytes exactly where it
 * occurs in the text).
 */

import { LastTwo } from './last-two.js';

/** A condition on the lower-cased subject. */
export type Requirement =
  | { readonly t: 'true' }
  | { readonly t: 'lit'; readonly s: string }
  | { readonly t: 'pre'; readonly s: string }
  | { readonly t: 'and'; readonly of: readonly Requirement[] }
  | { readonly t: 'or'; readonly of: readonly Requirement[] };

const TRUE: Requirement = { t: 'true' };

/** Shorter literals (outside a prefix) filter too little to pay for the search. */
const MIN_LITERAL = 3;
/** At most this many checks per alternative (the longest: any subset is still necessary). */
const MAX_AND = 2;

interface Quant {
  min: number;
  max: number;
}

type Item =
  | { k: 'char'; lit: string | undefined }
  | { k: 'group'; alts: QItem[][]; look: boolean }
  | { k: 'assert'; a: '^' | '$' | 'b' }
  | { k: 'backref' };

interface QItem {
  item: Item;
  q: Quant;
}

class Unsupported extends Error {}

/** Parses the subset of JS regex syntax our translators emit. */
class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): QItem[][] {
    const alts = this.alts();
    if (this.i !== this.s.length) throw new Unsupported('trailing input');
    return alts;
  }

  private alts(): QItem[][] {
    const out: QItem[][] = [this.seq()];
    while (this.s[this.i] === '|') {
      this.i++;
      out.push(this.seq());
    }
    return out;
  }

  private seq(): QItem[] {
    const out: QItem[] = [];
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '|' || c === ')') return out;
      const item = this.item();
      out.push({ item, q: this.quant() });
    }
  }

  private quant(): Quant {
    const c = this.s[this.i];
    let q: Quant;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i, this.i + 24));
      if (!m) return { min: 1, max: 1 };
      this.i += m[0].length - 1;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    } else return { min: 1, max: 1 };
    this.i++;
    if (this.s[this.i] === '?') this.i++; // lazy: same requirement
    return q;
  }

  private item(): Item {
    const s = this.s;
    const c = s[this.i];
    switch (c) {
      case '^':
        this.i++;
        return { k: 'assert', a: '^' };
      case '$':
        this.i++;
        return { k: 'assert', a: '$' };
      case '.':
        this.i++;
        return { k: 'char', lit: undefined };
      case '[':
        return this.cls();
      case '(':
        return this.group();
      case '\\':
        return this.escape();
      default:
        this.i++;
        return { k: 'char', lit: asciiLit(c.charCodeAt(0)) };
    }
  }

  private group(): Item {
    const s = this.s;
    this.i++;
    let look = false;
    if (s[this.i] === '?') {
      const n = s[this.i + 1];
      if (n === ':') this.i += 2;
      else if (n === '=' || n === '!') {
        this.i += 2;
        look = true;
      } else if (n === '<' && (s[this.i + 2] === '=' || s[this.i + 2] === '!')) {
        this.i += 3;
        look = true;
      } else if (n === '<') {
        const end = s.indexOf('>', this.i);
        if (end < 0) throw new Unsupported('group name');
        this.i = end + 1;
      } else throw new Unsupported('group kind');
    }
    const alts = this.alts();
    if (s[this.i] !== ')') throw new Unsupported('unclosed group');
    this.i++;
    return { k: 'group', alts, look };
  }

  private escape(): Item {
    const s = this.s;
    const e = s[this.i + 1];
    if (e === undefined) throw new Unsupported('trailing backslash');
    this.i += 2;
    switch (e) {
      case 'b':
      case 'B':
        return { k: 'assert', a: 'b' };
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        return { k: 'char', lit: undefined };
      case 'x': {
        const h = s.slice(this.i, this.i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Unsupported('\\x');
        this.i += 2;
        return { k: 'char', lit: asciiLit(Number.parseInt(h, 16)) };
      }
      case 'u': {
        const h = s.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) throw new Unsupported('\\u');
        this.i += 4;
        return { k: 'char', lit: asciiLit(Number.parseInt(h, 16)) };
      }
      case 't':
        return { k: 'char', lit: '\t' };
      case 'n':
        return { k: 'char', lit: '\n' };
      case 'r':
        return { k: 'char', lit: '\r' };
      case 'v':
        return { k: 'char', lit: '\v' };
      case 'f':
        return { k: 'char', lit: '\f' };
      case '0':
        return { k: 'char', lit: '\0' };
      case 'c':
        this.i++;
        return { k: 'char', lit: undefined };
      case 'k':
        throw new Unsupported('named backreference');
      default:
        if (e >= '1' && e <= '9') {
          while (s[this.i] >= '0' && s[this.i] <= '9') this.i++;
          return { k: 'backref' };
        }
        if (/[A-Za-z]/.test(e)) throw new Unsupported(`escape \\${e}`);
        return { k: 'char', lit: asciiLit(e.charCodeAt(0)) };
    }
  }

  /** A class is a literal only as `[xX]` (the two cases of one ASCII letter) or a single ASCII char. */
  private cls(): Item {
    const s = this.s;
    const start = this.i;
    this.i++;
    if (s[this.i] === '^') this.i++;
    let first = true;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) throw new Unsupported('unclosed class');
      if (c === ']' && !first) break;
      first = false;
      this.i += c === '\\' ? 2 : 1;
    }
    this.i++;
    const body = s.slice(start + 1, this.i - 1);
    if (body.length === 2) {
      const a = body.charCodeAt(0);
      const b = body.charCodeAt(1);
      const lo = a | 0x20;
      if (lo === (b | 0x20) && a !== b && lo >= 0x61 && lo <= 0x7a) return { k: 'char', lit: String.fromCharCode(lo) };
    }
    return { k: 'char', lit: undefined };
  }
}

/** The lower-cased char when `code` is ASCII and not a line break (those never reach a pattern). */
function asciiLit(code: number): string | undefined {
  if (code >= 0x80) return undefined;
  const ch = String.fromCharCode(code);
  return ch.toLowerCase();
}

function orOf(reqs: Requirement[]): Requirement {
  if (reqs.length === 0) return { t: 'or', of: [] }; // cannot happen: at least one alternative
  for (const r of reqs) if (r.t === 'true') return TRUE;
  return reqs.length === 1 ? reqs[0] : { t: 'or', of: reqs };
}

function andOf(reqs: Requirement[]): Requirement {
  const useful = reqs.filter((r) => r.t !== 'true');
  if (useful.length === 0) return TRUE;
  // Prefixes first (cheapest and most selective), then the longest literals.
  useful.sort((a, b) => weight(b) - weight(a));
  const kept = useful.slice(0, MAX_AND);
  return kept.length === 1 ? kept[0] : { t: 'and', of: kept };
}

function weight(r: Requirement): number {
  if (r.t === 'pre') return 1000 + r.s.length;
  if (r.t === 'lit') return r.s.length;
  return 1;
}

function altsReq(alts: QItem[][]): Requirement {
  return orOf(alts.map(seqReq));
}

function seqReq(seq: QItem[]): Requirement {
  const parts: Requirement[] = [];
  let run = '';
  let runIsPrefix = false;
  // Only `^` and other zero-width assertions seen so far: the next literal run starts the match.
  let atStart = true;
  let anchored = false;
  const flush = (): void => {
    if (run !== '') {
      if (runIsPrefix) parts.push({ t: 'pre', s: run });
      else if (run.length >= MIN_LITERAL) parts.push({ t: 'lit', s: run });
    }
    run = '';
    runIsPrefix = false;
  };
  for (const { item, q } of seq) {
    if (item.k === 'assert') {
      if (item.a === '^' && atStart && q.min >= 1) anchored = true;
      if (q.min === 0) continue;
      continue; // zero width: a run goes on across it
    }
    if (item.k === 'char' && item.lit !== undefined && q.min >= 1) {
      if (run === '' && atStart && anchored) runIsPrefix = true;
      run += item.lit;
      atStart = false;
      if (q.max !== 1 || q.min !== 1) flush();
      continue;
    }
    atStart = false;
    flush();
    if (q.min === 0) continue;
    if (item.k === 'group' && !item.look) parts.push(altsReq(item.alts));
  }
  flush();
  return andOf(parts);
}

/** The requirement of a JS regex source of our dialect; TRUE when nothing useful is known. */
export function requirementOf(source: string, flags: string): Requirement {
  if (flags.includes('m') || flags.includes('u') || flags.includes('s') || flags.includes('y') || flags.includes('g')) return TRUE;
  try {
    return altsReq(new Parser(source).parse());
  } catch (e) {
    if (e instanceof Unsupported) return TRUE;
    throw e;
  }
}

/**
 * A requirement ready to run on a lower-cased subject. Every check is the same shape and runs
 * through one function (passes), so the call sites stay monomorphic: a closure per pattern made
 * every call an indirect one that V8 could not inline.
 */
export interface Prefilter {
  readonly kind: number;
  /** The literal (LIT) or prefix (PRE). */
  readonly s: string;
  /** LIT: four pair hashes spread over the literal, doubled. PRE: the first char code. */
  readonly h0: number;
  readonly h1: number;
  readonly h2: number;
  readonly h3: number;
  /** AND / OR: the operands. */
  readonly of: readonly Prefilter[];
}

const LIT = 0;
const PRE = 1;
const AND = 2;
const OR = 3;
const NONE: readonly Prefilter[] = [];

/** A check over the lower-cased subject, or undefined when there is nothing to check. */
export function compileRequirement(r: Requirement): Prefilter | undefined {
  if (r.t === 'true') return undefined;
  return build(r);
}

function check(kind: number, s: string, h: readonly number[], of: readonly Prefilter[]): Prefilter {
  return { kind, s, h0: h[0] ?? 0, h1: h[1] ?? 0, h2: h[2] ?? 0, h3: h[3] ?? 0, of };
}

function build(r: Requirement): Prefilter {
  switch (r.t) {
    case 'true':
      return check(AND, '', [], NONE);
    case 'lit':
      return check(LIT, r.s, bigramsOf(r.s), NONE);
    case 'pre':
      return check(PRE, r.s, [r.s.charCodeAt(0)], NONE);
    case 'and':
      return check(AND, '', [], r.of.map(build));
    case 'or':
      return check(OR, '', [], r.of.map(build));
  }
}

/** Both conditions (either alone when the other is undefined). */
export function bothOf(a: Prefilter | undefined, b: Prefilter | undefined): Prefilter | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return check(AND, '', [], [a, b]);
}

/** True when `l` (a lower-cased subject) may match: false means the pattern cannot. */
export function passes(c: Prefilter, l: string): boolean {
  switch (c.kind) {
    case LIT: {
      // Most literals are absent, and most absent literals have a pair of characters the
      // subject lacks: a few table reads instead of a substring search.
      if (l !== bigramSubject) buildBigrams(l);
      const g = bigramGen;
      const k = bigramSlot;
      if (bigrams[c.h0 + k] !== g || bigrams[c.h1 + k] !== g || bigrams[c.h2 + k] !== g || bigrams[c.h3 + k] !== g) return false;
      return l.includes(c.s);
    }
    case PRE:
      return l.charCodeAt(0) === c.h0 && (c.s.length === 1 || l.startsWith(c.s));
    case AND: {
      const of = c.of;
      for (let i = 0; i < of.length; i++) if (!passes(of[i], l)) return false;
      return true;
    }
    default: {
      const of = c.of;
      for (let i = 0; i < of.length; i++) if (passes(of[i], l)) return true;
      return false;
    }
  }
}

const lower = new LastTwo((subject) => subject.toLowerCase());

/** `subject.toLowerCase()`, remembered for the last two subjects (last-two.ts). */
export function lowerOf(subject: string): string {
  return lower.of(subject);
}

/*
 * The set of adjacent character pairs of the current subject, as a hashed bitmap stamped with a
 * generation number (no clearing between subjects). A literal whose pairs are not all present
 * cannot occur. Hash collisions only let a check through to the substring search.
 *
 * Two sets, interleaved in one table (entry `hash * 2 + slot`): the current subject's and the one
 * before. The rules tried on an event alternate between its log and a field or the program name;
 * with one set, each switch back to the log rebuilt it (2.6 builds an event, 7% of a decoding
 * thread's time). A literal's pair hashes are stored doubled, so a check is one add per read.
 */
const BIGRAM_BITS = 12;
const BIGRAM_MASK = (1 << BIGRAM_BITS) - 1;
const bigrams = new Uint32Array(2 << BIGRAM_BITS);
/** The current set: its slot (0 or 1), stamp and subject; then the previous one's. */
let bigramSlot = 0;
let bigramGen = 0;
let bigramSubject: string | undefined;
let otherGen = 0;
let otherSubject: string | undefined;
/** The last stamp given to either set: stamps are never reused, so no set needs clearing. */
let stamp = 0;

function bigramHash(a: number, b: number): number {
  return ((a * 0x9e5) ^ (b * 0x3b)) & BIGRAM_MASK;
}

/** Makes `l`'s set the current one: the previous set if it is `l`'s, else a rebuilt one. */
function buildBigrams(l: string): void {
  bigramSlot ^= 1;
  const g0 = bigramGen;
  bigramGen = otherGen;
  otherGen = g0;
  const s0 = bigramSubject;
  bigramSubject = otherSubject;
  otherSubject = s0;
  if (l === bigramSubject) return;
  bigramSubject = l;
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    bigrams.fill(0);
    otherSubject = undefined;
    stamp = 1;
  }
  const g = (bigramGen = stamp);
  const slot = bigramSlot;
  const n = l.length;
  let prev = n > 0 ? l.charCodeAt(0) : 0;
  for (let i = 1; i < n; i++) {
    const c = l.charCodeAt(i);
    bigrams[(bigramHash(prev, c) << 1) | slot] = g;
    prev = c;
  }
}

/** Four pair hashes (doubled: see bigrams) spread over a literal of at least two characters (repeats are harmless). */
function bigramsOf(s: string): number[] {
  const pairs: number[] = [];
  for (let i = 1; i < s.length; i++) pairs.push(bigramHash(s.charCodeAt(i - 1), s.charCodeAt(i)) << 1);
  const pick = (f: number): number => pairs[Math.min(pairs.length - 1, Math.floor(f * pairs.length))];
  return [pick(0), pick(0.34), pick(0.67), pairs[pairs.length - 1]];
}
