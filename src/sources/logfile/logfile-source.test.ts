import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { LogfileConfig } from '../../config/model.js';
import { memoryContext, type MemoryContext } from '../context.js';
import { SourceCounters } from '../source.js';
import { collector, sleep, tempDir, waitFor } from '../test-support.js';
import { LogfileSource, type LogfileSourceOptions } from './logfile-source.js';

function cfg(location: string, over: Partial<LogfileConfig> = {}): LogfileConfig {
  return { type: 'logfile', file: 't.conf', line: 1, location, format: 'syslog', linesPerEvent: 0, onlyFutureEvents: true, alias: undefined, ...over };
}

const FAST: LogfileSourceOptions = { pollIntervalMs: 10, rescanIntervalMs: 30, checkpointIntervalMs: 50, rotateGraceMs: 60 };

interface Running {
  ctx: MemoryContext;
  src: LogfileSource;
  /** Lines read from files (kind localfile). */
  lines: () => string[];
  /** Rotation/truncation notices (kind internal). */
  notices: () => string[];
  events: ReturnType<typeof collector>['events'];
}

async function start(stateDir: string, configs: LogfileConfig[], opts: LogfileSourceOptions = {}): Promise<Running> {
  const ctx = memoryContext(stateDir);
  const src = new LogfileSource(configs, ctx, { ...FAST, ...opts });
  const c = collector();
  src.start(c.emit);
  await src.ready();
  return {
    ctx,
    src,
    events: c.events,
    lines: () => c.events.filter((e) => e.kind === 'localfile').map((e) => e.message),
    notices: () => c.events.filter((e) => e.kind === 'internal').map((e) => e.message),
  };
}

/** Wait for `n` lines, then a few more polls to be sure nothing else (duplicates) arrives. */
async function expectLines(r: Running, expected: string[]): Promise<void> {
  await waitFor(() => r.lines().length >= expected.length, 3000, `${expected.length} lines (have ${JSON.stringify(r.lines())})`);
  await sleep(60);
  assert.deepEqual(r.lines(), expected);
}

const seq = (p: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${p}${from + i}`);
const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');

test('append: only future lines by default, partial line carried until its newline, location and kind', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, 'old1\nold2\n');
  const r = await start(dir, [cfg(f)]);
  appendFileSync(f, 'a\nb\nc-part');
  await expectLines(r, ['a', 'b']);
  appendFileSync(f, 'ial\n');
  await expectLines(r, ['a', 'b', 'c-partial']);
  assert.equal(r.events[0].location, f);
  assert.equal(r.events[0].kind, 'localfile');
  await r.src.stop();
});

test('only-future-events no: the existing content is read; alias becomes the location', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, 'old1\nold2\n');
  const r = await start(dir, [cfg(f, { onlyFutureEvents: false, alias: 'myapp' })]);
  await expectLines(r, ['old1', 'old2']);
  assert.equal(r.events[0].location, 'myapp');
  await r.src.stop();
});

test('only-future-events yes: a line half-written at start is read whole, not as a fragment', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, 'old\nhalf-');
  const r = await start(dir, [cfg(f)]);
  appendFileSync(f, 'line\nnext\n');
  await expectLines(r, ['half-line', 'next']);
  await r.src.stop();
});

test('rename rotation: the old file is drained, late writes to it included, then the new file from 0', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '');
  const r = await start(dir, [cfg(f)], { rotateGraceMs: 400 });
  appendFileSync(f, text(seq('p', 1, 3)));
  await expectLines(r, seq('p', 1, 3));
  renameSync(f, `${f}.1`);
  appendFileSync(`${f}.1`, text(['late1', 'late2']));
  writeFileSync(f, text(seq('n', 1, 3)));
  await expectLines(r, [...seq('p', 1, 3), 'late1', 'late2', ...seq('n', 1, 3)]);
  // Still within the grace period: a writer that has not reopened yet is still heard.
  appendFileSync(`${f}.1`, 'late3\n');
  await expectLines(r, [...seq('p', 1, 3), 'late1', 'late2', ...seq('n', 1, 3), 'late3']);
  assert.deepEqual(r.notices(), [`ospatrol: File rotated (inode changed): '${f}'.`]);
  assert.equal(r.events.find((e) => e.kind === 'internal')?.location, 'ospatrol-logcollector');
  await r.src.stop();
});

test('copytruncate: lines after the truncation are read from 0', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '');
  const r = await start(dir, [cfg(f)], { prefix: 'ossec' });
  appendFileSync(f, text(seq('p', 1, 5)));
  await expectLines(r, seq('p', 1, 5));
  copyFileSync(f, `${f}.1`);
  truncateSync(f, 0);
  appendFileSync(f, text(['c1', 'c2']));
  await expectLines(r, [...seq('p', 1, 5), 'c1', 'c2']);
  assert.deepEqual(r.notices(), [`ossec: File size reduced (inode remained): '${f}'.`]);
  await r.src.stop();
});

test('delete and recreate', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '');
  const r = await start(dir, [cfg(f)]);
  appendFileSync(f, text(['a', 'b']));
  await expectLines(r, ['a', 'b']);
  unlinkSync(f);
  await sleep(30);
  writeFileSync(f, text(seq('r', 1, 4)));
  await expectLines(r, ['a', 'b', ...seq('r', 1, 4)]);
  assert.equal(r.ctx.counters.get(SourceCounters.LOGFILE_ROTATED), 1);
  await r.src.stop();
});

test('truncate then at once more bytes than before: caught by the head fingerprint, no loss, no garbage', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '');
  const r = await start(dir, [cfg(f)]);
  appendFileSync(f, text(seq('old', 1, 10)));
  await expectLines(r, seq('old', 1, 10));
  // One synchronous step: no poll can see the short file.
  writeFileSync(f, text(seq('new', 1, 30)));
  await expectLines(r, [...seq('old', 1, 10), ...seq('new', 1, 30)]);
  assert.equal(r.ctx.counters.get(SourceCounters.LOGFILE_TRUNCATED), 1);
  await r.src.stop();
});

test('a missing file is picked up when it appears, from its first line', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'later.log');
  const r = await start(dir, [cfg(f)]);
  await sleep(30);
  writeFileSync(f, text(['x1', 'x2']));
  await expectLines(r, ['x1', 'x2']);
  assert.ok(r.ctx.logs.some((l) => l.msg.includes('waiting for it to appear')));
  await r.src.stop();
});

test('glob: existing matches and files created later; non-matching files ignored', async () => {
  const dir = tempDir('lf');
  writeFileSync(join(dir, 'a.log'), 'a-old\n');
  const r = await start(dir, [cfg(join(dir, '*.log'))]);
  appendFileSync(join(dir, 'a.log'), 'a1\n');
  await expectLines(r, ['a1']);
  writeFileSync(join(dir, 'b.log'), text(['b1', 'b2']));
  writeFileSync(join(dir, 'c.txt'), 'no\n');
  await expectLines(r, ['a1', 'b1', 'b2']);
  assert.deepEqual(
    r.events.map((e) => e.location),
    [join(dir, 'a.log'), join(dir, 'b.log'), join(dir, 'b.log')],
  );
  await r.src.stop();
});

test('glob that also matches rotated names: a renamed file is not read twice', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '');
  const r = await start(dir, [cfg(join(dir, 'app.log*'))]);
  appendFileSync(f, text(['a', 'b']));
  await expectLines(r, ['a', 'b']);
  renameSync(f, `${f}.1`);
  writeFileSync(f, 'c\n');
  await expectLines(r, ['a', 'b', 'c']);
  await sleep(150); // several rescans and the end of the grace period
  appendFileSync(`${f}.1`, 'd\n');
  await expectLines(r, ['a', 'b', 'c', 'd']);
  await r.src.stop();
});

test('restart resumes from the checkpoint: no line lost or repeated, partial line included', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '1\n2\n');
  const r1 = await start(dir, [cfg(f, { onlyFutureEvents: false })]);
  await expectLines(r1, ['1', '2']);
  appendFileSync(f, '3\n4-part');
  await expectLines(r1, ['1', '2', '3']);
  await r1.src.stop();
  const positions = join(dir, 'queue', 'logcollector', 'positions.json');
  assert.equal(statSync(positions).mode & 0o777, 0o600);
  const saved = JSON.parse(readFileSync(positions, 'utf8'));
  assert.equal(saved.files[0].pos, 6); // before the partial line

  appendFileSync(f, 'ial\n5\n'); // written while stopped
  // onlyFutureEvents is ignored for a checkpointed file: the checkpoint wins.
  const r2 = await start(dir, [cfg(f)]);
  await expectLines(r2, ['4-partial', '5']);
  appendFileSync(f, '6\n');
  await expectLines(r2, ['4-partial', '5', '6']);
  await r2.src.stop();
});

test('restart after a rotation that happened while stopped: the old file is finished first', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '1\n');
  const r1 = await start(dir, [cfg(f, { onlyFutureEvents: false })]);
  await expectLines(r1, ['1']);
  await r1.src.stop();
  appendFileSync(f, '2\n3\n');
  renameSync(f, `${f}-20240105`);
  writeFileSync(f, '4\n');
  const r2 = await start(dir, [cfg(f)]);
  await expectLines(r2, ['2', '3', '4']);
  await r2.src.stop();
});

test('a file replaced while stopped is read from its start', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, 'aaaa\n');
  const r1 = await start(dir, [cfg(f, { onlyFutureEvents: false })]);
  await expectLines(r1, ['aaaa']);
  await r1.src.stop();
  writeFileSync(f, 'bbbbbbbb\ncc\n'); // same inode, new content, bigger
  const r2 = await start(dir, [cfg(f)]);
  await expectLines(r2, ['bbbbbbbb', 'cc']);
  await r2.src.stop();
});

test('multi-line:3 joins lines with a space; an incomplete group survives a restart', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'ml.log');
  writeFileSync(f, text(['a', 'b', 'c', 'd', 'e', 'f', 'g']));
  const ml = cfg(f, { format: 'multi-line', linesPerEvent: 3, onlyFutureEvents: false });
  const r1 = await start(dir, [ml]);
  await expectLines(r1, ['a b c', 'd e f']);
  await r1.src.stop();
  const r2 = await start(dir, [ml]);
  appendFileSync(f, text(['h', 'i']));
  await expectLines(r2, ['g h i']);
  await r2.src.stop();
});

test('over-long lines are cut and counted; invalid UTF-8 and NUL pass through as text', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'x.log');
  writeFileSync(f, '');
  const r = await start(dir, [cfg(f)], { maxLineBytes: 10 });
  appendFileSync(f, `${'x'.repeat(25)}\nnext\n`);
  appendFileSync(f, Buffer.from([0x61, 0xff, 0x00, 0x62, 0x0d, 0x0a]));
  await expectLines(r, ['x'.repeat(10), 'next', 'a\uFFFD\u0000b']);
  assert.equal(r.ctx.counters.get(SourceCounters.LOGFILE_LINE_TRUNCATED), 1);
  await r.src.stop();
});

test('explicit acknowledgement: unacknowledged lines are read again after a restart', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'app.log');
  writeFileSync(f, '1\n2\n');
  const opts: LogfileSourceOptions = { ackMode: 'explicit' };
  const r1 = await start(dir, [cfg(f, { onlyFutureEvents: false })], opts);
  await expectLines(r1, ['1', '2']);
  const mark = r1.src.mark();
  appendFileSync(f, '3\n');
  await expectLines(r1, ['1', '2', '3']);
  r1.src.acknowledge(mark); // 1 and 2 are handled; 3 is not
  await r1.src.stop();
  const r2 = await start(dir, [cfg(f)], opts);
  await expectLines(r2, ['3']);
  r2.src.acknowledge();
  await r2.src.stop();
  const r3 = await start(dir, [cfg(f)], opts);
  await expectLines(r3, []);
  await r3.src.stop();
});

test('one poll reads at most the budget per file; the rest follows at once', async () => {
  const dir = tempDir('lf');
  const f = join(dir, 'big.log');
  const lines = seq('l', 1, 2000);
  writeFileSync(f, text(lines));
  const r = await start(dir, [cfg(f, { onlyFutureEvents: false })], { maxBytesPerPoll: 1024, pollIntervalMs: 1000 });
  await expectLines(r, lines);
  await r.src.stop();
  assert.ok(existsSync(join(dir, 'queue', 'logcollector', 'positions.json')));
});

test('a FIFO or directory at the location is reported and skipped, never blocks the loop', async () => {
  const dir = tempDir('lf');
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const f = join(dir, 'ok.log');
  writeFileSync(f, '');
  const r = await start(dir, [cfg(fifo), cfg(dir), cfg(f)]);
  appendFileSync(f, 'fine\n');
  await expectLines(r, ['fine']);
  assert.equal(r.ctx.counters.get(SourceCounters.LOGFILE_NOT_REGULAR), 2);
  await r.src.stop();
});
