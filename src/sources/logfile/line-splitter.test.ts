import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, type LineSink } from './line-splitter.js';

function run(max: number, chunks: string[]): { lines: string[]; safe: string[] } {
  const s = new LineSplitter(max);
  const lines: string[] = [];
  const safe: string[] = [];
  const sink: LineSink = {
    line: (b, end, truncated) => {
      lines.push(`${b.toString()}${truncated ? '[cut]' : ''}@${end}`);
    },
    skipped: (end, still) => void safe.push(`${end}${still ? '+' : ''}`),
  };
  let base = 0;
  for (const c of chunks) {
    const buf = Buffer.from(c);
    s.feed(buf, base, sink);
    base += buf.length;
  }
  return { lines, safe };
}

test('splits on \\n, strips a trailing \\r, carries a partial line across chunks', () => {
  assert.deepEqual(run(100, ['a\r\nb', 'c\n', '\nd']).lines, ['a@3', 'bc@6', '@7']);
});

test('an over-long line is cut at the cap once, the rest skipped to its newline', () => {
  const r = run(4, ['abcdefgh', 'ij\nxy\n']);
  assert.deepEqual(r.lines, ['abcd[cut]@8', 'xy@14']);
  assert.deepEqual(r.safe, ['11']);
  const r2 = run(4, ['abcdefgh\nok\n']);
  assert.deepEqual(r2.lines, ['abcd[cut]@9', 'ok@12']);
  const r3 = run(4, ['abcdef', 'gh', 'i\n']);
  assert.deepEqual(r3.lines, ['abcd[cut]@6']);
  assert.deepEqual(r3.safe, ['8+', '10']);
});

test('takePartial returns and forgets the unterminated line', () => {
  const s = new LineSplitter(100);
  s.feed(Buffer.from('x\nyz\r'), 0, { line: () => {}, skipped: () => {} });
  assert.equal(s.pendingBytes, 3);
  assert.equal(s.takePartial()?.toString(), 'yz');
  assert.equal(s.takePartial(), undefined);
});
