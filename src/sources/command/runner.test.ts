import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveGroupMembers, processGone, waitFor } from '../test-support.js';
import { runCommand } from './runner.js';

const opts = { timeoutMs: 5000, maxOutputBytes: 64 * 1024, killGraceMs: 200 };

test('stdout and stderr are captured separately, with the exit status', async () => {
  const r = await runCommand("echo out; echo err >&2; printf 'no newline'; exit 3", opts);
  assert.equal(r.stdout.toString(), 'out\nno newline');
  assert.equal(r.stderr.toString(), 'err\n');
  assert.equal(r.exitCode, 3);
  assert.equal(r.signal, null);
  assert.equal(r.killedBy, undefined);
  assert.equal(r.stdoutTruncated, false);
});

test('a death by signal is reported as the signal', async () => {
  const r = await runCommand('kill -USR1 $$', opts);
  assert.equal(r.exitCode, null);
  assert.equal(r.signal, 'SIGUSR1');
  assert.equal(r.killedBy, undefined);
});

test('a command full of quotes reaches the shell unchanged', async () => {
  const r = await runCommand(`awk 'BEGIN{printf "%-8s|\\n", "a"}'`, opts);
  assert.equal(r.stdout.toString(), 'a       |\n');
  assert.equal(r.exitCode, 0);
});

test('timeout kills the whole process group, children included', async () => {
  // The inner shell prints the PIDs of its two sleeps, then waits on them.
  const started = Date.now();
  const r = await runCommand(`sh -c 'sleep 1000 & echo $!; sleep 1000 & echo $!; wait'`, { ...opts, timeoutMs: 300 });
  assert.ok(Date.now() - started < 3000, 'returned promptly');
  assert.equal(r.killedBy, 'timeout');
  const pids = r.stdout.toString().trim().split('\n').map(Number);
  assert.equal(pids.length, 2);
  assert.ok(r.pid !== undefined);
  await waitFor(() => pids.every(processGone), 2000, 'sleeps to die');
  // SIGKILLed processes need a moment to leave the process table.
  await waitFor(() => liveGroupMembers(r.pid!).length === 0, 2000, 'the group to die');
});

test('timeout of a plain `sleep 1000`', async () => {
  const r = await runCommand('sleep 1000', { ...opts, timeoutMs: 200 });
  assert.equal(r.killedBy, 'timeout');
  assert.equal(r.signal, 'SIGTERM');
  // SIGKILLed processes need a moment to leave the process table.
  await waitFor(() => liveGroupMembers(r.pid!).length === 0, 2000, 'the group to die');
});

test('a group that ignores SIGTERM is SIGKILLed after the grace period', async () => {
  const started = Date.now();
  // Ignored signals stay ignored across exec, so the sleep ignores TERM too.
  const r = await runCommand(`trap '' TERM; sleep 1000; echo never`, { ...opts, timeoutMs: 200, killGraceMs: 150 });
  assert.equal(r.killedBy, 'timeout');
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(Date.now() - started < 2000);
  // SIGKILLed processes need a moment to leave the process table.
  await waitFor(() => liveGroupMembers(r.pid!).length === 0, 2000, 'the group to die');
});

test('huge output is cut at the cap, the producer killed, and nothing hangs', async () => {
  const started = Date.now();
  const r = await runCommand('yes | head -c 10000000', { ...opts, maxOutputBytes: 65536 });
  assert.ok(Date.now() - started < 3000);
  assert.equal(r.stdoutTruncated, true);
  assert.equal(r.killedBy, 'output-limit');
  assert.equal(r.stdout.length, 65536);
  assert.equal(r.stdout.subarray(0, 4).toString(), 'y\ny\n');
  // SIGKILLed processes need a moment to leave the process table.
  await waitFor(() => liveGroupMembers(r.pid!).length === 0, 2000, 'the group to die');
});

test('stderr beyond the cap is dropped without killing the command', async () => {
  const r = await runCommand('head -c 100000 /dev/zero >&2; echo done', { ...opts, maxOutputBytes: 1000 });
  assert.equal(r.stderrTruncated, true);
  assert.equal(r.stderr.length, 1000);
  assert.equal(r.stdout.toString(), 'done\n');
  assert.equal(r.exitCode, 0);
  assert.equal(r.killedBy, undefined);
});

test('binary output is kept as bytes', async () => {
  const r = await runCommand("printf '\\000\\377\\376a\\n'", opts);
  assert.deepEqual([...r.stdout], [0, 255, 254, 97, 10]);
});

test('background processes left behind by the shell are killed', async () => {
  const r = await runCommand('sleep 1000 >/dev/null 2>&1 & echo $!', opts);
  const pid = Number(r.stdout.toString().trim());
  assert.equal(r.leftoversKilled, true);
  await waitFor(() => processGone(pid), 2000, 'leftover to die');
});

test('abort kills the group and marks the result', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const r = await runCommand('sleep 1000', { ...opts, signal: ac.signal });
  assert.equal(r.killedBy, 'aborted');
  // SIGKILLed processes need a moment to leave the process table.
  await waitFor(() => liveGroupMembers(r.pid!).length === 0, 2000, 'the group to die');
});

test('a shell that cannot be started is reported, not thrown', async () => {
  const r = await runCommand('true', { ...opts, shell: '/nonexistent/sh' });
  assert.match(r.spawnError ?? '', /ENOENT/);
  assert.equal(r.pid, undefined);
});
