import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PatternError } from '../../errors.js';
import { compileOsMatch } from './os-match.js';

const matches = (p: string, s: string) => compileOsMatch(p).test(s);

test('4.1 examples from the spec (verified against OSSEC)', () => {
  assert.equal(matches('abc', 'abcd'), true);
  assert.equal(matches('^ab', ' ab'), false);
  assert.equal(matches('zzzz$', 'zzzzzzzzzzzz '), false);
  assert.equal(matches('^bin$|^shell$', 'ashell'), false);
  assert.equal(matches('a.b', 'axb'), false);
  assert.equal(matches('\\.', 'x.y'), false);
  assert.equal(matches('\\.', 'x\\.y'), true);
  assert.equal(matches('(x)', 'a(x)b'), true);
  assert.equal(matches('foo', 'xFOOx'), true);
});

test('empty pattern always matches; empty alternative matches everything', () => {
  assert.equal(matches('', ''), true);
  assert.equal(matches('', 'anything'), true);
  assert.equal(matches('abc|', 'zzz'), true);
  assert.equal(matches('|abc', 'zzz'), true);
});

test('anchors per alternative, and inside a pattern they are PCRE2 anchors', () => {
  assert.equal(matches('^bin$|^shell$', 'SHELL'), true);
  assert.equal(matches('x|y$', 'ya'), false);
  assert.equal(matches('x|y$', 'ay'), true);
  assert.equal(matches('a^b', 'a^b'), false);
  assert.equal(matches('a$b', 'a$b'), false);
  assert.equal(matches('^$', ''), true);
  assert.equal(matches('^$', 'x'), false);
  assert.equal(matches('^', 'x'), true);
  assert.equal(matches('$', 'x'), true);
});

test('every other character is literal', () => {
  for (const p of ['a+b*?c', '[a]{1}', '(x)', 'a\\b', 'a.b']) assert.equal(matches(p, `<${p}>`), true, p);
  assert.equal(matches('a+b', 'aab'), false);
  assert.equal(matches('[a]', 'a'), false);
});

test('fast paths: equality, prefix, suffix, case-insensitive', () => {
  assert.equal(matches('^Hello World$', 'hello world'), true);
  assert.equal(matches('^Hello World$', 'hello world!'), false);
  assert.equal(matches('^sshd', 'SSHD[12]: x'), true);
  assert.equal(matches('failed$', 'login FAILED'), true);
  assert.equal(matches('failed$', 'login FAILED '), false);
});

test('exec returns the end of the match and no captures', () => {
  assert.deepEqual(compileOsMatch('^abc').exec('abcdef'), { end: 3, captures: [] });
  assert.deepEqual(compileOsMatch('def$').exec('abcdef'), { end: 6, captures: [] });
  assert.deepEqual(compileOsMatch('^abcdef$').exec('ABCDEF'), { end: 6, captures: [] });
  assert.deepEqual(compileOsMatch('cd').exec('abcdef'), { end: 4, captures: [] });
  assert.deepEqual(compileOsMatch('x|cd|ab').exec('abcdef'), { end: 2, captures: [] });
  assert.equal(compileOsMatch('zz').exec('abc'), null);
});

test('non-ASCII: unanchored patterns fold Unicode (PCRE2 UTF), fast paths fold ASCII only (verified)', () => {
  assert.equal(matches('mär', 'xMÄRx'), true);
  assert.equal(matches('^mär', 'MÄR x'), false);
  assert.equal(matches('^mär', 'mär x'), true);
  assert.equal(matches('mär$', 'x MÄR'), false);
  assert.equal(matches('k', 'x\u212a'), true); // KELVIN SIGN folds to k under PCRE2 UTF caseless
  assert.equal(matches('^k', '\u212a'), false);
});

test('pattern longer than 2048 characters is refused', () => {
  assert.doesNotThrow(() => compileOsMatch('a'.repeat(2048)));
  assert.throws(() => compileOsMatch('a'.repeat(2049)), PatternError);
});
