import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { LineReader } from './line-reader.js';

/** The lines readline gives for `bytes` (what logtest read before). */
async function readlineLines(bytes: Buffer): Promise<string[]> {
  const input = new PassThrough();
  const rl = createInterface({ input, crlfDelay: Infinity });
  const out: string[] = [];
  rl.on('line', (l) => out.push(l));
  const closed = new Promise((r) => rl.once('close', r));
  input.end(bytes);
  await closed;
  return out;
}

/** The lines LineReader gives for `bytes` written in pieces cut at `cuts` (byte offsets). */
async function readerLines(bytes: Buffer, cuts: number[]): Promise<string[]> {
  const input = new PassThrough();
  const out: string[] = [];
  const reader = new LineReader(input, (l) => out.push(l));
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    input.write(bytes.subarray(at, c));
    at = c;
  }
  input.end();
  await reader.done;
  return out;
}

test('lines as readline gives them, however the input is cut into chunks', async () => {
  const fixed = ['', 'a', 'a\n', 'a\n\n', '\n', '\r', '\r\n', 'a\rb', 'a\r\nb\n', 'a\r\rb', 'a\n\rb\r', 'é\r\nü\nß', 'x\r\n\r\n'];
  // Seeded: the same inputs and cuts on every run.
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = ['a', 'b', ' ', '\n', '\r', '\r\n', 'é', '€', '𝄞', 'Failed password for root'];
  const random = Array.from({ length: 300 }, () => Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]).join(''));
  let compared = 0;
  for (const text of [...fixed, ...random]) {
    const bytes = Buffer.from(text, 'utf8');
    const expected = await readlineLines(bytes);
    const cutSets = [[], Array.from({ length: bytes.length - 1 }, (_, i) => i + 1), [...new Set(Array.from({ length: 3 }, () => rand(bytes.length + 1)))].sort((a, b) => a - b)];
    for (const cuts of cutSets) {
      assert.deepEqual(await readerLines(bytes, cuts), expected, `${JSON.stringify(text)} cut at ${cuts.join(',')}`);
      compared++;
    }
  }
  assert.ok(compared > 900);
});

test('pause stops the stream, resume goes on; nothing is lost', async () => {
  const input = new PassThrough();
  const out: string[] = [];
  const reader: LineReader = new LineReader(input, (l) => {
    out.push(l);
    if (l === 'b') {
      reader.pause();
      setTimeout(() => reader.resume(), 20);
    }
  });
  input.write('a\nb\n');
  input.write('c\n');
  input.end('d');
  await reader.done;
  assert.deepEqual(out, ['a', 'b', 'c', 'd']);
});
