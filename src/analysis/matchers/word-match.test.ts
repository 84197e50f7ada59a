import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osWordMatch } from './word-match.js';

test('4.4: case-insensitive substring with | alternatives', () => {
  assert.equal(osWordMatch('authentication_failed', 'syslog,sshd,AUTHENTICATION_FAILED,'), true);
  assert.equal(osWordMatch('foo|bar', 'xBARx'), true);
  assert.equal(osWordMatch('foo|bar', 'baz'), false);
});

test('4.4: a leading ^ is a prefix test, per alternative', () => {
  assert.equal(osWordMatch('^ab', 'abc'), true);
  assert.equal(osWordMatch('^ab', 'cab'), false);
  assert.equal(osWordMatch('x|^cd', 'xxcd'), true);
  assert.equal(osWordMatch('zz|^cd', 'xxcd'), false);
  assert.equal(osWordMatch('^', 'anything'), true);
});

test('4.4: $ is not special', () => {
  assert.equal(osWordMatch('a$', 'a$b'), true);
  assert.equal(osWordMatch('a$', 'a'), false);
});

test('4.4: empty pattern never matches; an empty alternative always does', () => {
  assert.equal(osWordMatch('', 'x'), false);
  assert.equal(osWordMatch('', ''), false);
  assert.equal(osWordMatch('abc|', 'zzz'), true);
  assert.equal(osWordMatch('|abc', 'zzz'), true);
});

test('a non-anchored alternative never matches an empty subject', () => {
  assert.equal(osWordMatch('a', ''), false);
  assert.equal(osWordMatch('^a', ''), false);
});
