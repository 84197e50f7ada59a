import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeNul, unescapeNul } from './nul-escape.js';

test('NUL and the escape mark round-trip; other text is untouched', () => {
  for (const s of ['', 'plain', 'a\u0000b', '\u0000', '\u2400', '\u24000', '\u2400\u0000\u2400', "x'\"\\%$1?😀\u0000'); DROP TABLE x;--"]) {
    assert.equal(unescapeNul(escapeNul(s)), s, JSON.stringify(s));
    assert.ok(!escapeNul(s).includes('\u0000'));
  }
  assert.equal(escapeNul('plain ✓'), 'plain ✓');
  assert.equal(escapeNul('a\u0000b'), 'a\u24000b');
  assert.equal(escapeNul('\u2400'), '\u2400\u2400');
});

test('distinct strings stay distinct (unique keys keep their meaning)', () => {
  const inputs = ['\u0000', '\u24000', '\u2400\u2400', '\u2400', '0', '\u2400\u0000'];
  assert.equal(new Set(inputs.map(escapeNul)).size, inputs.length);
});
