/**
 * Hostile input must not make a pattern backtrack catastrophically (regexp-engine.ts). What is
 * asserted is the absence of exponential blow-up, not a speed: catastrophic backtracking takes
 * ~10 s on 28 characters (deps.md 4) and never ends on 1 MB, while the linear fallback takes
 * milliseconds and about a second. So the bounds are 1 s for short strings and 20 s for 1 MB, far
 * from both, and a loaded CI machine cannot make them flaky. Speed is measured in bench/. The
 * measured times are printed. On the development machine: about 3 ms for the short cases and 0.5-1 s for
 * the 1 MB ones, which is the speed of V8's linear-time engine itself. OSSEC messages are at most
 * 6144 bytes (ossec-analysis.md 1.1), where the same cases take a few milliseconds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileOsRegex } from './os-regex.js';
import { compilePcre2 } from './pcre2.js';
import type { Matcher } from './matcher.js';

const SHORT_BOUND_MS = 1000;
const LONG_BOUND_MS = 20_000;
const MB = 1 << 20;

function timed(label: string, m: Matcher, subject: string, expected: boolean): void {
  const t0 = performance.now();
  const result = m.test(subject);
  const ms = performance.now() - t0;
  console.log(`${label}: ${ms.toFixed(1)} ms`);
  assert.equal(result, expected, label);
  const bound = subject.length > 10_000 ? LONG_BOUND_MS : SHORT_BOUND_MS;
  assert.ok(ms < bound, `${label} took ${ms.toFixed(0)} ms`);
}

test('pcre2 ^(a+)+$ on a 30-char hostile string and on 1 MB', () => {
  const m = compilePcre2('^(a+)+$');
  assert.equal(m.backtrackSafe, true);
  timed('pcre2 ^(a+)+$ 30 chars', m, 'a'.repeat(30) + '!', false);
  timed('pcre2 ^(a+)+$ 1 MB', m, 'a'.repeat(MB) + '!', false);
  timed('pcre2 ^(a+)+$ 6,000 chars matching', m, 'A'.repeat(6000), true);
  // Past MAX_REGEX_SUBJECT the regex sees a cut line, which has no end to match `$`.
  timed('pcre2 ^(a+)+$ 1 MB, cut', m, 'A'.repeat(MB), false);
});

test('pcre2 nested and overlapping quantifiers', () => {
  timed('pcre2 (\\w+\\s?)+$', compilePcre2('(\\w+\\s?)+$'), 'ab '.repeat(10) + '!', false);
  timed('pcre2 ^(a|aa)+$', compilePcre2('^(a|aa)+$'), 'a'.repeat(40) + '!', false);
  timed('pcre2 ^(\\d{1,30})+x', compilePcre2('^(\\d{1,30})+x'), '1'.repeat(40) + '!', false);
});

test('OSRegex translations (lazy quantifiers) on 30 chars and 1 MB', () => {
  const a = compileOsRegex('(\\w+\\s*)+$'); // the trailing + is a literal: ([w]+?[ ]*?)\+$
  timed('osregex (\\w+\\s*)+$ 30 chars', a, 'a'.repeat(30) + '!', false);
  timed('osregex (\\w+\\s*)+$ 1 MB', a, 'a'.repeat(MB) + '!', false);
  const b = compileOsRegex('^(\\w+)\\s*(\\w+)$');
  timed('osregex ^(\\w+)\\s*(\\w+)$ 30 chars', b, 'a'.repeat(30) + '!', false);
  // Two lazy/greedy loops keep more threads alive in the linear engine (about 1.3 s per MB here),
  // so this one is measured on 256 KB to stay well inside the bound on a loaded machine.
  timed('osregex ^(\\w+)\\s*(\\w+)$ 256 KB', b, 'a'.repeat(MB / 4) + '!', false);
  timed('osregex \\.*\\.*\\.*x$ 6 KB', compileOsRegex('\\.*\\.*\\.*\\.*x$'), 'a'.repeat(6144), false);
});

test('ordinary long lines still match normally through the long-subject guard', () => {
  const m = compileOsRegex('from (\\S+) port (\\d+)');
  const line = 'x'.repeat(5000) + ' from 10.1.2.3 port 22 ' + 'y'.repeat(100000);
  const t0 = performance.now();
  assert.deepEqual(m.exec(line)?.captures, ['10.1.2.3', '22']);
  console.log(`osregex capture on a 100 KB line: ${(performance.now() - t0).toFixed(1)} ms`);
});

test('regexes see at most MAX_REGEX_SUBJECT characters; the cut is not an end of line', async () => {
  const { MAX_REGEX_SUBJECT } = await import('./regexp-engine.js');
  const long = 'x'.repeat(MAX_REGEX_SUBJECT - 3) + 'abc' + 'tail'.repeat(100);
  // `abc$` would match at the cut if the cut were an end; it is not, and the real end is "tail".
  assert.equal(compilePcre2('abc$').test(long), false);
  assert.equal(compilePcre2('tail$').test(long), false, 'past the cut');
  assert.equal(compilePcre2('^x+abc').test(long), true, 'before the cut');
  // A capture that runs into the cut ends at the cut, without the marker.
  const m = compilePcre2('abc(.*)').exec(long);
  assert.ok(m);
  assert.equal(m.captures[0], long.slice(MAX_REGEX_SUBJECT, MAX_REGEX_SUBJECT));
  const m2 = compilePcre2('(x{3}a.*)').exec('x'.repeat(MAX_REGEX_SUBJECT - 4) + 'xxxabcdef');
  assert.ok(m2);
  assert.ok(!m2.captures[0].includes('\uffff'), 'no marker in captures');
  assert.equal(m2.captures[0], 'xxxa');
  // Subjects up to the cut are matched whole.
  assert.equal(compilePcre2('abc$').test('y'.repeat(MAX_REGEX_SUBJECT - 3) + 'abc'), true);
});

test('a quadratic pattern on a 100 KB hostile line is bounded by the cut', () => {
  const m = compilePcre2('\\[(\\S+)\\]: (\\d+?) |\\[(\\S+)\\]:\\d+?: (\\d+?) ');
  timed('postfix ReDoS bait 100 KB', m, 'NOQUEUE: reject: RCPT from unknown' + '[a'.repeat(50000), false);
});
