import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PatternError } from '../../errors.js';
import { compilePcre2 } from './pcre2.js';

const exec = (p: string, s: string) => compilePcre2(p).exec(s);
const caps = (p: string, s: string) => exec(p, s)?.captures ?? null;

test('4.3: caseless, packed captures, end of match', () => {
  assert.deepEqual(exec('(?i)(ABC)', 'xabcx'), { end: 4, captures: ['abc'] });
  assert.deepEqual(caps('([A-Z]+)', 'abc'), ['abc']);
  assert.deepEqual(caps('(a)|(b)', 'xb'), ['b']);
  assert.deepEqual(caps('(a)?(b)', 'xb'), ['b']);
  assert.deepEqual(caps('(a*)(b)', 'xb'), ['', 'b']);
  assert.deepEqual(caps('(\\d{1,3})\\.(\\d{1,3})', 'ip 10.200.3000'), ['10', '200']);
  assert.deepEqual(caps('(.*?)@(.*)', 'a@b@c'), ['a', 'b@c']);
});

test('empty pattern is an error', () => {
  assert.throws(() => compilePcre2(''), PatternError);
});

test('\\z, \\Z and $ are end of subject, \\A and \\G are start', () => {
  assert.deepEqual(exec('abc\\z', 'xabc'), { end: 4, captures: [] });
  assert.equal(exec('abc\\z', 'abcx'), null);
  assert.deepEqual(exec('abc\\Z', 'xABC'), { end: 4, captures: [] });
  assert.equal(exec('\\Aabc', 'xabc'), null);
  assert.deepEqual(exec('\\Gab', 'abc'), { end: 2, captures: [] });
});

test('PCRE2 class meanings: \\w without @ or -, \\s with tab and VT, POSIX classes', () => {
  assert.deepEqual(caps('(\\w+)', 'a-b'), ['a']);
  assert.deepEqual(caps('(\\s+)', 'a\t\u000b b'), ['\t\u000b ']);
  assert.deepEqual(caps('([[:digit:]]+)', 'abc123'), ['123']);
  assert.deepEqual(caps('([[:^alpha:]]+)', 'ab12cd'), ['12']);
  assert.deepEqual(caps('([^a-c]+)', 'ABCdef'), ['def']); // negation after case folding
  assert.deepEqual(caps('([\\d-]+)', 'tel 555-1234'), ['555-1234']);
  assert.deepEqual(caps('([]a]+)', 'x]a]y'), [']a]']);
  assert.deepEqual(caps('(\\h+)(\\v*)', 'a b'), [' ', '']);
});

test('named groups, inline options, comments, quoting', () => {
  assert.deepEqual(caps('(?<user>\\w+)@(\\S+)', 'Bob@Example.com'), ['Bob', 'Example.com']);
  assert.deepEqual(caps('(?P<x>\\d+)', 'abc 42'), ['42']);
  assert.deepEqual(caps("(?'x'\\d+)", 'abc 42'), ['42']);
  assert.deepEqual(caps('(?-i)(ABC)', 'abc ABC'), ['ABC']);
  assert.deepEqual(caps('(\\w+)(?-i:B)', 'aab aaB'), ['aa']);
  assert.deepEqual(caps('(?#comment)(abc)', 'abc'), ['abc']);
  assert.deepEqual(caps('(?x) (a) b (c) # comment', 'abc'), ['a', 'c']);
  assert.deepEqual(caps('\\Q(a.b)\\E(c)', '(a.b)c'), ['c']);
  assert.deepEqual(caps('(?U)(a+)', 'aaa'), ['a']);
  assert.deepEqual(caps('(?s)(a.b)', 'a\nb'), ['a\nb']);
  assert.equal(exec('a.b', 'a\nb'), null);
});

test('literal escapes: \\x, octal, \\<, \\\\x5C', () => {
  assert.deepEqual(caps('(\\x41)\\101', 'aA'), ['a']);
  assert.deepEqual(caps('(\\<)(\\w+)', 'a<b'), ['<', 'b']);
  assert.deepEqual(caps('(\\\\x5C)', 'a\\x5Cb'), ['\\x5C']);
  assert.deepEqual(caps('(a{,3})', 'a{,3}'), ['a{,3}']); // not a quantifier in PCRE2 10.42
});

test('possessive quantifiers and atomic groups', () => {
  assert.equal(exec('a++a', 'aaa'), null);
  assert.equal(exec('(?>a+)a', 'aaa'), null);
  assert.deepEqual(caps('(a++)(b)', 'aaab'), ['aaa', 'b']);
  assert.equal(compilePcre2('a++b').backtrackSafe, false);
});

test('backreferences compare caselessly', () => {
  assert.deepEqual(caps('(\\w)\\1', 'xAa'), ['A']);
  assert.deepEqual(caps('(?<n>a)\\k<n>', 'aA'), ['a']);
  assert.deepEqual(caps('(a)\\g{-1}', 'aa'), ['a']);
});

test('branch reset shares group numbers', () => {
  assert.deepEqual(caps('(?|(a)|(b))(c)', 'xbc'), ['b', 'c']);
});

test('bytes, not characters: the subject is UTF-8 without the UTF flag', () => {
  assert.deepEqual(exec('.{3}', 'héllo'), { end: 2, captures: [] }); // h + the 2 bytes of é
  assert.deepEqual(exec('.{2}$', 'héé'), { end: 3, captures: [] });
  assert.deepEqual(caps('([\\x80-\\xff]+)', 'aéb'), ['é']);
  assert.deepEqual(caps('(\\S+) (\\S+)', 'héllo wörld'), ['héllo', 'wörld']);
  assert.equal(exec('é', 'xÉx'), null); // no case folding above ASCII (verified)
  assert.deepEqual(exec('é', 'xéx'), { end: 2, captures: [] });
  // \p{L} reads each byte as Latin-1: 0xC3 (Ã) is a letter, 0xA9 (©) is not, so the capture is
  // a lone lead byte, which decodes to U+FFFD (OSSEC printed the same broken byte).
  assert.deepEqual(caps('(\\p{L}+)', 'é1'), ['\uFFFD']);
});

test('fast paths for anchored literals', () => {
  assert.deepEqual(exec('^abc$', 'ABC'), { end: 3, captures: [] });
  assert.equal(exec('^abc$', 'ABCD'), null);
  assert.deepEqual(exec('^abc', 'ABCd'), { end: 3, captures: [] });
  assert.deepEqual(exec('abc$', 'dABC'), { end: 4, captures: [] });
  assert.deepEqual(exec('^$', ''), { end: 0, captures: [] });
  assert.deepEqual(exec('^', 'xy'), { end: 0, captures: [] });
});

test('compile errors (verified: OSSEC refuses them too)', () => {
  for (const p of ['(', '[a', 'a{3,2}', '\\', '*a', 'a**', '\\g<1>(a)', '(a)\\2', '[z-a]', '[\\d-z]', '\\x{100}', "(?'n'a)(?'n'b)", '\\c', '\\L', '(?(1)a|b)', '(?P>n)', '\\N{U+41}', '^*', '$+', '\\b+', 'a{99999}', '[[:foo:]]', '[[.a.]]', '(?z)', 'a{2}{3}', 'a+?+']) {
    assert.throws(() => compilePcre2(p), PatternError, p);
  }
});

test('not expressible in JS: refused with a clear reason', () => {
  assert.throws(() => compilePcre2('(?R)'), /recursion/);
  assert.throws(() => compilePcre2('(*UTF)a'), /\(\*UTF\)/);
});

test('large bounded quantifiers stay linear-capable by expansion', () => {
  const m = compilePcre2('^x{25}(a+)+$');
  assert.equal(m.backtrackSafe, true);
  assert.equal(m.test('x'.repeat(25) + 'aaa'), true);
  assert.equal(m.test('x'.repeat(24) + 'aaa'), false);
  assert.deepEqual(exec('(a{2,30}?)', 'aaaa'), { end: 2, captures: ['aa'] });
  assert.deepEqual(exec('(a{2,30})', 'a'.repeat(40)), { end: 30, captures: ['a'.repeat(30)] });
});
