/**
 * `ospatrol logtest -a --threads N` (analysis/parallel/): worker threads decode and run the
 * stateless rule filters, the main thread runs the stateful ones in input order. The alerts must be
 * exactly those of one thread, in the same order: checked with real processes on the seeded
 * benchmark corpus (sshd, sudo, web, postfix, ... with frequency and if_matched_* rules firing)
 * against the whole OSSEC ruleset, and on a check_diff sequence with our own ruleset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// The benchmark's deterministic corpus generator (bench/corpus.mjs).
import { writeCorpus } from '../bench/corpus.mjs';
import { cliPath, projectRoot, scratch } from './support/local-process.js';
import { conformanceAvailable, conformanceDir } from './support/conformance.js';

const available = conformanceAvailable();
const skip = available === true ? false : available;

function logtest(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, 'logtest', '-q', '-a', ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** alerts.log records without what depends on when they ran (alert id, date). */
function records(text: string): string[] {
  return text
    .split(/\n(?=\*\* Alert \d+\.\d+:)/)
    .filter((r) => r.startsWith('** Alert'))
    .map((r) => r.replace(/^\*\* Alert \d+\.\d+:/, '** Alert:').replace(/\n\d{4} \w{3} \d{2} \d{2}:\d{2}:\d{2} /, '\n'));
}

test('two and three threads give the alerts of one thread, in order (OSSEC ruleset, 20,000 events)', { skip }, async () => {
  const file = join(scratch('logtest-threads'), 'corpus.log');
  await writeCorpus({ events: 20000, seed: 5, out: file, hostile: false });
  const input = readFileSync(file, 'utf8');
  const conf = join(conformanceDir, 'ossec-4.3.0', 'etc', 'ossec-full-ruleset.conf');
  const one = logtest(['-c', conf], input);
  assert.equal(one.status, 0, one.stderr);
  const serial = records(one.stdout);
  assert.ok(serial.length > 5000, `only ${serial.length} alerts`);
  assert.ok(serial.some((r) => /\nRule: \d+ \(level \d+\) -> .*(multiple|brute force|repeated)/i.test(r)), 'no frequency rule fired');
  for (const threads of ['2', '3']) {
    const r = logtest(['-c', conf, '--threads', threads], input);
    assert.equal(r.status, 0, r.stderr);
    const parallel = records(r.stdout);
    assert.equal(parallel.length, serial.length, `${threads} threads: alert count`);
    for (let i = 0; i < serial.length; i++) assert.equal(parallel[i], serial[i], `${threads} threads: alert ${i} differs`);
  }
});

test('threads keep check_diff state in order (our ruleset, full_command records)', () => {
  const conf = join(projectRoot, 'etc', 'ospatrol.conf');
  const outputs = ['tcp 0.0.0.0:22 LISTEN', 'tcp 0.0.0.0:22 LISTEN', 'tcp 0.0.0.0:22 LISTEN\ntcp 0.0.0.0:4444 LISTEN', 'tcp 0.0.0.0:22 LISTEN'];
  // Many records, so that they spread over several batches and workers.
  const input = Array.from({ length: 3000 }, (_, i) => outputs[i % outputs.length] + '\n---\n').join('');
  const args = ['-c', conf, '--record-separator', '---', '--full-command', 'netstat'];
  const one = logtest(args, input);
  assert.equal(one.status, 0, one.stderr);
  const serial = records(one.stdout);
  assert.ok(serial.length >= 1000 && serial.every((r) => r.includes('Previous output:')), `${serial.length} alerts`);
  const two = logtest([...args, '-t', '2'], input);
  assert.equal(two.status, 0, two.stderr);
  assert.deepEqual(records(two.stdout), serial);
});

test('--threads is refused without -a or with -v, and takes a number', () => {
  const conf = join(projectRoot, 'etc', 'ospatrol.conf');
  const noA = spawnSync(process.execPath, [cliPath, 'logtest', '-q', '-c', conf, '-t', '2'], { input: 'x\n', encoding: 'utf8' });
  assert.equal(noA.status, 2);
  assert.match(noA.stderr, /--threads works with -a/);
  const bad = logtest(['-c', conf, '-t', 'two'], 'x\n');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--threads takes a number/);
});
