import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFramer } from './framing.js';

function frame(format: 'syslog' | 'multi-line', n: number, lines: string[]): { out: string[]; pending: boolean } {
  const f = createFramer(format, n);
  const out: string[] = [];
  for (const l of lines) {
    const m = f.push(l);
    if (m !== undefined) out.push(m);
  }
  return { out, pending: f.pending };
}

test('line formats: one event per non-empty line', () => {
  assert.deepEqual(frame('syslog', 0, ['a', '', 'b']).out, ['a', 'b']);
});

test('multi-line:N joins N lines with a space, as OSSEC (empty first line adds nothing)', () => {
  assert.deepEqual(frame('multi-line', 3, ['a', 'b', 'c', 'd', 'e', 'f', 'g']), { out: ['a b c', 'd e f'], pending: true });
  assert.deepEqual(frame('multi-line', 3, ['a', '', 'b']).out, ['a  b']);
  assert.deepEqual(frame('multi-line', 2, ['', 'a']).out, ['a']);
  const f = createFramer('multi-line', 3);
  f.push('x');
  assert.equal(f.flush(), 'x');
  assert.equal(f.pending, false);
});
