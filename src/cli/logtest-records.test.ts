import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RecordSplitter, type RecordOptions } from './logtest-records.js';

async function messages(lines: string[], opts: Partial<RecordOptions> = {}): Promise<string[]> {
  const splitter = new RecordSplitter({ prefix: 'ospatrol', ...opts });
  const out: string[] = [];
  for (const l of lines) {
    const m = splitter.line(l);
    if (m !== undefined) out.push(m);
  }
  const last = splitter.end();
  if (last !== undefined) out.push(last);
  return out;
}

test('default: one event per line, lines shorter than 2 characters skipped (ossec-logtest)', async () => {
  assert.deepEqual(await messages(['ab', '', 'x', 'cd']), ['ab', 'cd']);
});

test('--record-separator: multi-line events; the end of input ends the last one', async () => {
  assert.deepEqual(await messages(['a', 'b', '---', '', 'c', '---', '---', 'd'], { separator: '---' }), ['a\nb', '\nc', 'd']);
});

test('--full-command: each record is what the command source emits for that output', async () => {
  assert.deepEqual(await messages(['a', 'b', '--', '--', 'c'], { separator: '--', fullCommand: 'netstat' }), [
    "ospatrol: output: 'netstat':\na\nb",
    "ospatrol: output: 'netstat':\nc",
  ]);
  assert.deepEqual(await messages(['x'], { fullCommand: 'w', prefix: 'ossec' }), ["ossec: output: 'w':\nx"]);
});
