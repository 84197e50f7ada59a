import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandConfig } from '../../config/model.js';
import { memoryContext } from '../context.js';
import { SourceCounters } from '../source.js';
import { collector, sleep, tempDir, waitFor } from '../test-support.js';
import { CommandSource, STAGGER_BATCH_MS, staggerOffsets } from './command-source.js';
import { failingCommandsFile } from './failing-commands.js';

function cmd(command: string, over: Partial<CommandConfig> = {}): CommandConfig {
  return {
    type: 'command',
    file: 'test.conf',
    line: 1,
    command,
    format: 'command',
    alias: command,
    frequencySeconds: 3600,
    timeoutSeconds: 60,
    maxOutputBytes: 65536,
    ...over,
  };
}

async function runOnce(config: CommandConfig, prefix?: string): Promise<ReturnType<typeof collector>> {
  const ctx = memoryContext(tempDir('cmd'));
  const src = new CommandSource([config], ctx, { prefix, killGraceMs: 100 });
  const c = collector();
  src.start(c.emit);
  // A run's events are emitted together, synchronously: the first one means all are there.
  await waitFor(() => c.events.length > 0, 3000, 'events');
  await src.stop();
  return c;
}

test('command format: one event per line; location and kind; no alias means the command text', async () => {
  const c = await runOnce(cmd("printf 'one\\ntwo\\n'", { alias: 'lines' }));
  assert.deepEqual(c.messages(), ["ospatrol: output: 'lines': one", "ospatrol: output: 'lines': two"]);
  assert.equal(c.events[0].location, 'lines');
  assert.equal(c.events[0].kind, 'command');
  assert.equal(typeof c.events[0].receivedAt, 'number');

  const quoted = `awk 'BEGIN{printf "%-8s|\\n", "a"}'`;
  const c2 = await runOnce(cmd(quoted, { alias: '' }));
  assert.deepEqual(c2.messages(), [`ospatrol: output: '${quoted}': a       |`]);
  assert.equal(c2.events[0].location, quoted);
});

test('full_command with and without trailing newline; ossec prefix', async () => {
  const a = await runOnce(cmd("printf 'a\\nb\\n'", { alias: 'f', format: 'full_command' }));
  assert.deepEqual(a.messages(), ["ospatrol: output: 'f':\na\nb"]);
  const b = await runOnce(cmd("printf 'a\\nb'", { alias: 'f', format: 'full_command' }), 'ossec');
  assert.deepEqual(b.messages(), ["ossec: output: 'f':\na\nb"]);
});

test('non-zero exit and stderr become their own events', async () => {
  const c = await runOnce(cmd('echo out; echo oops >&2; exit 2', { alias: 'bad', format: 'full_command' }));
  assert.deepEqual(c.messages(), [
    "ospatrol: output: 'bad':\nout",
    "ospatrol: command stderr: 'bad':\noops",
    "ospatrol: command exit: 'bad': status 2",
  ]);
});

test('timeout: the command is killed and a timeout event emitted', async () => {
  const ctx = memoryContext(tempDir('cmd'));
  const src = new CommandSource([cmd('echo started; sleep 1000', { alias: 'hang', format: 'full_command', timeoutSeconds: 0.2 })], ctx, {
    killGraceMs: 100,
  });
  const c = collector();
  src.start(c.emit);
  await waitFor(() => c.events.length === 2, 3000);
  await src.stop();
  assert.deepEqual(c.messages(), [
    "ospatrol: output: 'hang':\nstarted\n[ospatrol: output truncated: command killed after 0.2s]",
    "ospatrol: command timeout: 'hang': killed after 0.2s",
  ]);
  assert.equal(ctx.counters.get(SourceCounters.COMMAND_TIMEOUT), 1);
});

test('huge output: cut with the marker, no hang', async () => {
  const started = Date.now();
  const c = await runOnce(cmd('yes | head -c 10000000', { alias: 'yes', format: 'full_command' }));
  assert.ok(Date.now() - started < 3000);
  assert.equal(c.events.length, 1);
  const m = c.events[0].message;
  assert.ok(m.startsWith("ospatrol: output: 'yes':\ny\ny\n"));
  assert.ok(m.endsWith('\ny\n[ospatrol: output truncated at 65536 bytes]'));
  assert.equal(m.length, "ospatrol: output: 'yes':\n".length + 65536 + '[ospatrol: output truncated at 65536 bytes]'.length);
});

test('scheduler: runs at start and again each period; one command never overlaps itself', async () => {
  const dir = tempDir('cmd');
  const log = join(dir, 'runs');
  const ctx = memoryContext(dir);
  // Each run takes ~250 ms; the period is 100 ms: ticks must be skipped, runs must not interleave.
  const slow = cmd(`echo start >> ${log}; sleep 0.25; echo end >> ${log}`, { alias: 'slow', frequencySeconds: 0.1 });
  const quick = cmd('echo tick', { alias: 'quick', frequencySeconds: 0.15 });
  const src = new CommandSource([slow, quick], ctx, { minPeriodMs: 10, killGraceMs: 100 });
  const c = collector();
  const t0 = Date.now();
  src.start(c.emit);
  await waitFor(() => c.events.length >= 3, 2000);
  const ticks = c.events.map((e) => e.receivedAt - t0);
  assert.ok(ticks[1] >= 140 && ticks[2] >= 290, `quick runs on the grid: ${ticks}`);
  // Wait for two whole runs of the slow command and two skipped ticks, however loaded the machine.
  const runs = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  await waitFor(() => runs().length >= 4 && (ctx.counters.get(SourceCounters.COMMAND_SKIPPED_OVERLAP) ?? 0) >= 2, 10_000, 'two runs');
  await src.stop();
  const lines = runs();
  for (let i = 0; i < lines.length; i++) assert.equal(lines[i], i % 2 === 0 ? 'start' : 'end', `no overlap: ${lines}`);
  assert.ok((ctx.counters.get(SourceCounters.COMMAND_SKIPPED_OVERLAP) ?? 0) >= 2);
  assert.ok(c.messages().every((m) => m === "ospatrol: output: 'quick': tick"));
});

test('the first run is at start-up, not one period later', async () => {
  // A 60 s period makes "at start" and "after a period" impossible to confuse on a loaded machine.
  const ctx = memoryContext(tempDir('cmd'));
  const src = new CommandSource([cmd('echo first', { alias: 'first', frequencySeconds: 60 })], ctx, { killGraceMs: 100 });
  const c = collector();
  src.start(c.emit);
  await waitFor(() => c.events.length >= 1, 10_000);
  await src.stop();
  assert.deepEqual(c.messages(), ["ospatrol: output: 'first': first"]);
});

test('a command that succeeds after failing reports its recovery once', async () => {
  const dir = tempDir('cmd');
  const flag = join(dir, 'fixed');
  const ctx = memoryContext(dir);
  const src = new CommandSource([cmd(`test -e ${flag} && echo ok || exit 2`, { alias: 'svc', frequencySeconds: 0.1 })], ctx, {
    minPeriodMs: 10,
    killGraceMs: 100,
  });
  const c = collector();
  src.start(c.emit);
  await waitFor(() => c.messages().includes("ospatrol: command exit: 'svc': status 2"), 5000, 'the failure');
  writeFileSync(flag, '');
  await waitFor(() => c.messages().filter((m) => m === "ospatrol: output: 'svc': ok").length >= 3, 5000, 'three good runs');
  await src.stop();
  assert.deepEqual(
    c.messages().filter((m) => m.includes('recovered')),
    ["ospatrol: command recovered: 'svc': status 0"],
  );
});

test('a recovery after a restart is still reported: which commands fail is kept in the state directory (0600)', async () => {
  const dir = tempDir('cmd');
  const flag = join(dir, 'fixed');
  const config = cmd(`test -e ${flag} && echo ok || exit 2`, { alias: 'svc', frequencySeconds: 3600 });
  const first = new CommandSource([config], memoryContext(dir), { killGraceMs: 100 });
  const c1 = collector();
  first.start(c1.emit);
  await waitFor(() => c1.messages().includes("ospatrol: command exit: 'svc': status 2"), 5000, 'the failure');
  await first.stop();
  const file = failingCommandsFile(dir);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, failing: ['svc'] });
  assert.equal(statSync(file).mode & 0o777, 0o600);

  // Fixed while OSPatrol was down: the first run after the restart reports the recovery.
  writeFileSync(flag, '');
  const second = new CommandSource([config], memoryContext(dir), { killGraceMs: 100 });
  const c2 = collector();
  second.start(c2.emit);
  await waitFor(() => c2.messages().includes("ospatrol: command recovered: 'svc': status 0"), 5000, 'the recovery');
  await second.stop();
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, failing: [] });

  // A damaged file is logged and counted, never fatal.
  writeFileSync(file, '{"version":1,"failing":');
  const ctx = memoryContext(dir);
  const third = new CommandSource([config], ctx, { killGraceMs: 100 });
  const c3 = collector();
  third.start(c3.emit);
  await waitFor(() => c3.events.length > 0, 5000, 'a run');
  await third.stop();
  assert.equal(ctx.counters.get(SourceCounters.COMMAND_STATE_FAILED), 1);
  assert.match(ctx.logs.map((l) => l.msg).join('\n'), /not valid JSON/);

  // A command no longer configured is forgotten at start.
  writeFileSync(file, JSON.stringify({ version: 1, failing: ['gone', 'svc'] }));
  const fourth = new CommandSource([config], memoryContext(dir), { killGraceMs: 100 });
  fourth.start(collector().emit);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, failing: ['svc'] });
  await fourth.stop();
});

test('a hanging command does not delay another command', async () => {
  const ctx = memoryContext(tempDir('cmd'));
  const src = new CommandSource([cmd('sleep 1000', { alias: 'hang' }), cmd('echo hi', { alias: 'hi', frequencySeconds: 0.05 })], ctx, {
    minPeriodMs: 10,
    killGraceMs: 100,
  });
  const c = collector();
  src.start(c.emit);
  await waitFor(() => c.events.length >= 3, 2000);
  await src.stop();
  assert.ok(c.messages().every((m) => m === "ospatrol: output: 'hi': hi"));
});

test('stop kills running commands promptly and emits nothing for them', async () => {
  const ctx = memoryContext(tempDir('cmd'));
  const src = new CommandSource([cmd('echo partial; sleep 1000', { alias: 'hang', format: 'full_command' })], ctx, { killGraceMs: 100 });
  const c = collector();
  src.start(c.emit);
  await waitFor(() => ctx.counters.get(SourceCounters.COMMAND_RUNS) === 1);
  await sleep(50);
  const t = Date.now();
  await src.stop();
  assert.ok(Date.now() - t < 1000);
  assert.deepEqual(c.events, []);
});

test('commands are staggered deterministically: first at start-up, in batches, all within their first period', () => {
  const B = STAGGER_BATCH_MS;
  // A usual configuration: one command per batch, all within a few batches of start-up.
  assert.deepEqual(staggerOffsets([600_000, 360_000, 360_000]), [0, B, 2 * B]);
  // 1,000 commands every 10 s: batches of 10 every 100 ms over the whole period, in configuration order.
  const many = staggerOffsets(Array.from({ length: 1000 }, () => 10_000));
  assert.deepEqual(many.slice(0, 12), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, B, B]);
  assert.equal(many[999], 9900);
  assert.equal(new Set(many).size, 100);
  // Periods shorter than a batch, mixed periods: each offset stays below its own period.
  for (const periods of [
    [10, 10, 10],
    [150, 100],
    [1000, ...Array.from({ length: 99 }, () => 3_600_000)],
    Array.from({ length: 7 }, (_, i) => 250 * (i + 1)),
  ]) {
    const offsets = staggerOffsets(periods);
    assert.equal(offsets[0], 0);
    assert.ok(
      offsets.every((o, i) => o >= 0 && o < periods[i] && o % B === 0),
      `${periods} -> ${offsets}`,
    );
    // Same configuration, same offsets.
    assert.deepEqual(staggerOffsets(periods), offsets);
  }
  assert.deepEqual(staggerOffsets([]), []);
});

test('many commands running at once: no listener warning, and stop kills every one', async () => {
  const ctx = memoryContext(tempDir('cmd'));
  const marker = `ospcmdtest${process.pid}`;
  const n = 12;
  // `; :` keeps the shell (and its command line, with the marker) alive around the sleep.
  const cfgs = Array.from({ length: n }, (_, i) => cmd(`sleep 1000; : ${marker}`, { alias: `c${i}`, timeoutSeconds: 0 }));
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.name);
  process.on('warning', onWarning);
  const src = new CommandSource(cfgs, ctx, { killGraceMs: 100 });
  const c = collector();
  src.start(c.emit);
  const alive = (): number =>
    readdirSync('/proc').filter((p) => {
      try {
        return /^\d+$/.test(p) && readFileSync(`/proc/${p}/cmdline`, 'latin1').includes(marker);
      } catch {
        return false;
      }
    }).length;
  // A run is counted as its shell is spawned; none of them ends on its own.
  await waitFor(() => ctx.counters.get(SourceCounters.COMMAND_RUNS) === n, 10_000, 'all commands started');
  assert.ok(alive() >= n);
  await src.stop();
  process.off('warning', onWarning);
  assert.deepEqual(c.events, []);
  await waitFor(() => alive() === 0, 3000, 'every command killed');
  assert.deepEqual(warnings.filter((w) => w === 'MaxListenersExceededWarning'), []);
});
