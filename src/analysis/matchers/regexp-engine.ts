/**
 * Bounds the time any regex can take on a hostile log line. Every compiler in this folder imports
 * this module first, because the V8 flag below must be set before our RegExps are compiled.
 *
 * Why: log lines are attacker-controlled, and a backtracking engine can be made to take exponential
 * time on a pattern like `^(a+)+$` (deps.md section 4 measured 10 s for 29 characters). With
 * `--enable-experimental-regexp-engine-on-excessive-backtracks`, V8 runs a regex on its fast
 * backtracking engine and, once one execution exceeds `--regexp-backtracks-before-fallback`
 * backtracks, re-runs it on its linear-time engine. The flag cannot go in NODE_OPTIONS, so it is
 * set here at runtime.
 *
 * Measured on Node 20 (V8 11.3), two limits of that mechanism shape this module:
 *  1. It only applies to regexes the linear engine accepts: no `i` or `u` flag, no lookarounds, no
 *     backreferences, no quantifier bound above 16 (multiplied through nesting). The translators
 *     therefore spell case-insensitivity as `[aA]` classes and expand `{n,m}` on group-free atoms.
 *     PCRE2 patterns that need backreferences, lookarounds, atomic groups or possessive
 *     quantifiers cannot be protected (`Pcre2Matcher.backtrackSafe` is false for them).
 *  2. Greedy loops over a class backtrack without counting, so before the fallback triggers a
 *     regex can spend about `limit x subject length` steps: with the default limit of 50,000, the
 *     OSRegex translation `^(\w+)\s*(\w+)$` took 76 s on a 1 MB line. The limit is read when V8
 *     compiles a regex (lazily, at an exec, and again when it tiers up), not per exec. So long
 *     subjects are run on twin RegExps with a lower limit, each exec of a twin wrapped in a flag
 *     change so that any (re)compilation of the twin sees that lower limit. The twin's source gets a
 *     harmless `(?:)` suffix so that V8's regexp compilation cache does not hand back the primary.
 * Result: the 1 MB case above runs in about 1.5 s (the linear engine's own speed), ordinary
 * subjects pay nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { PatternError } from '../../errors.js';
import { compileRequirement, lowerOf, passes, requirementOf, type Prefilter } from './prefilter.js';

const DEFAULT_LIMIT = 50000;
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
setFlagsFromString(`--regexp-backtracks-before-fallback=${DEFAULT_LIMIT}`);

/**
 * Subject length -> backtrack limit. Up to 2048 chars the default applies (worst case about 0.1 s
 * on this machine); OSSEC messages are at most 6144 bytes (ossec-analysis.md 1.1).
 */
const TIERS: readonly { maxLength: number; limit: number }[] = [
  { maxLength: 2048, limit: DEFAULT_LIMIT },
  { maxLength: 65536, limit: 1000 },
  { maxLength: Infinity, limit: 20 },
];

/**
 * Regexes run on at most this many characters of a subject, OSSEC's own message limit (OS_MAXSTR,
 * ossec-analysis.md 1.1: OSSEC cuts every message there before anything sees it). Past the
 * backtracking limits above, a hostile line still costs: greedy class loops backtrack without
 * counting, so `\[(\S+)\]: ` on 100 KB of `a[a[a[...` took 0.1 s in one pattern (quadratic), and
 * V8's linear engine itself runs at about 1 µs per character. At 6,144 characters the worst line
 * we know costs about 20 ms in all. The cut is marked with CUT, a character no text holds (a
 * noncharacter; PCRE2 byte strings stop at U+00FF), so `$` cannot match at the cut, and CUT is
 * taken off any capture that reaches it. Literal patterns and the prefilters still see the whole
 * subject, and check_diff and the alert keep the whole message (sources cap lines at 64 KiB).
 */
export const MAX_REGEX_SUBJECT = 6144;
const CUT = '\uffff';

let cutFrom: string | undefined;
let cutTo = '';

function capped(subject: string): string {
  if (subject.length <= MAX_REGEX_SUBJECT) return subject;
  if (subject !== cutFrom) {
    cutFrom = subject;
    cutTo = subject.slice(0, MAX_REGEX_SUBJECT) + CUT;
  }
  return cutTo;
}

/** Takes CUT off the match and its captures (only the last character of any of them can be CUT). */
function uncut(m: RegExpExecArray | null): RegExpExecArray | null {
  if (m === null) return null;
  for (let i = 0; i < m.length; i++) {
    const v = m[i];
    if (v !== undefined && v.length > 0 && v.charCodeAt(v.length - 1) === 0xffff) m[i] = v.slice(0, -1);
  }
  return m;
}

function withLimit<T>(limit: number, f: () => T): T {
  setFlagsFromString(`--regexp-backtracks-before-fallback=${limit}`);
  try {
    return f();
  } finally {
    setFlagsFromString(`--regexp-backtracks-before-fallback=${DEFAULT_LIMIT}`);
  }
}

/**
 * A RegExp whose executions are bounded as described above. Non-global, non-sticky. Each execution
 * first checks the pattern's literal prefilter (prefilter.ts), a necessary condition: when it fails
 * the regex is not run at all.
 */
export class GuardedRegExp {
  private readonly primary: RegExp;
  private readonly twins: (RegExp | undefined)[] = [];
  /**
   * The literal prefilter, worked out on the first execution: most loaded patterns never run on a
   * given host's logs, and the analysis costs as much as the translation (start-up time).
   */
  private pre: Prefilter | undefined | null = null;

  constructor(
    readonly source: string,
    readonly flags: string,
    pattern: string,
  ) {
    try {
      this.primary = new RegExp(source, flags);
    } catch (e) {
      throw new PatternError(`invalid pattern '${pattern}': ${(e as Error).message}`);
    }
  }

  /** The literal prefilter (prefilter.ts) every match needs on the lower-cased subject; undefined: none. */
  prefilter(): Prefilter | undefined {
    if (this.pre === null) this.pre = compileRequirement(requirementOf(this.source, this.flags));
    return this.pre;
  }

  exec(subject: string): RegExpExecArray | null {
    const pre = this.pre === null ? this.prefilter() : this.pre;
    if (pre !== undefined && !passes(pre, lowerOf(subject))) return null;
    if (subject.length <= TIERS[0].maxLength) return this.primary.exec(subject);
    const s = capped(subject);
    const tier = TIERS.findIndex((t) => s.length <= t.maxLength);
    const re = this.twin(tier);
    return s === subject ? withLimit(TIERS[tier].limit, () => re.exec(s)) : uncut(withLimit(TIERS[tier].limit, () => re.exec(s)));
  }

  test(subject: string): boolean {
    const pre = this.pre === null ? this.prefilter() : this.pre;
    if (pre !== undefined && !passes(pre, lowerOf(subject))) return false;
    if (subject.length <= TIERS[0].maxLength) return this.primary.test(subject);
    const s = capped(subject);
    const tier = TIERS.findIndex((t) => s.length <= t.maxLength);
    const re = this.twin(tier);
    return withLimit(TIERS[tier].limit, () => re.test(s));
  }

  private twin(tier: number): RegExp {
    let re = this.twins[tier];
    if (!re) {
      re = new RegExp(this.source + '(?:)'.repeat(tier), this.flags);
      this.twins[tier] = re;
    }
    return re;
  }
}
