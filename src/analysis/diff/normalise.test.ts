import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { comparable } from './normalise.js';
import { OSSEC_DIFF_SPEC } from './spec.js';
import { specWith } from './test-support.js';

const same = (a: string, b: string, spec = OSSEC_DIFF_SPEC): boolean => comparable(a, spec).canonical === comparable(b, spec).canonical;

test('text (OSSEC): the whole text exactly, blank lines and spaces included', () => {
  assert.equal(comparable('a\n\nb ', OSSEC_DIFF_SPEC).canonical, 'a\n\nb ');
  assert.deepEqual(comparable('a\n\nb ', OSSEC_DIFF_SPEC).lines, ['a', '', 'b ']);
  assert.equal(same('a\nb', 'b\na'), false);
  assert.equal(same('a b', 'a  b'), false);
  assert.equal(same('a', 'A'), false);
});

test('lines: order counts, blank lines do not', () => {
  const s = specWith({ mode: 'lines' });
  assert.equal(same('a\n\nb', 'a\nb\n', s), true);
  assert.equal(same('a\nb', 'b\na', s), false);
  assert.equal(same('a b', 'a  b', s), false);
});

test('set and multiset: order does not count; duplicates count in a multiset only', () => {
  const set = specWith({ mode: 'set' });
  const multi = specWith({ mode: 'multiset' });
  assert.equal(same('a\nb\nc', 'c\na\nb', set), true);
  assert.equal(same('a\nb\nc', 'c\na\nb', multi), true);
  assert.equal(same('a\nb', 'a\nb\nb', set), true);
  assert.equal(same('a\nb', 'a\nb\nb', multi), false);
  assert.equal(same('a\nb', 'a\nc', set), false);
});

test('ignore_whitespace: runs of blanks are one space, ends and blank lines do not count', () => {
  const s = specWith({ ignoreWhitespace: true });
  assert.equal(same('tcp   0 0  0.0.0.0:22\n', '  tcp 0 0 0.0.0.0:22', s), true);
  assert.equal(same('a b', 'ab', s), false);
  assert.equal(same('a\n\n\nb', 'a\nb', s), true);
});

test('masks: each match replaced, groups kept through \\N, applied before whitespace folding', () => {
  const pid = specWith({ masks: [['pid=\\d+']] });
  assert.equal(same('sshd pid=812 fd=3', 'sshd pid=1990 fd=3', pid), true);
  assert.equal(same('sshd pid=812 fd=3', 'nginx pid=812 fd=3', pid), false);
  assert.equal(comparable('x pid=1 pid=2', pid).keys[0], 'x # #');

  const queues = specWith({ ignoreWhitespace: true, masks: [['^(tcp6?)\\s+\\d+\\s+\\d+', '\\1']] });
  assert.equal(
    same('tcp        0      0 0.0.0.0:22  0.0.0.0:*  LISTEN', 'tcp     1234     17 0.0.0.0:22      0.0.0.0:*   LISTEN', queues),
    true,
  );
  assert.equal(comparable('tcp6  5 0 :::80', queues).keys[0], 'tcp6 :::80');
  // The lines kept for display are the ones printed, not the masked ones.
  assert.deepEqual(comparable('tcp  5 0 :::80', queues).lines, ['tcp  5 0 :::80']);

  const literal = specWith({ masks: [['(\\d+):(\\d+)', '\\2$1\\\\\\0']] });
  assert.equal(comparable('at 10:30', literal).keys[0], 'at 30$1\\10:30');
});
