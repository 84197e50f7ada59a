process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../runtime/logger.js';
import { sshdAlert } from '../../test-support/alert-fixtures.js';
import { AlertsLogSink } from '../alerts-log/alerts-log-sink.js';
import { AlertJournal } from '../journal/alert-journal.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { CursorStore } from './cursor-store.js';
import { FileOutput } from './file-output.js';
import type { Output } from './output.js';
import { OutputRunner } from './output-runner.js';

const FAST = { initialMs: 5, maxMs: 20 };

function setup(): { dir: string; journal: AlertJournal; cursors: CursorStore } {
  const dir = mkdtempSync(join(tmpdir(), 'osp-runner-'));
  return { dir, journal: AlertJournal.open({ dir: join(dir, 'journal') }), cursors: new CursorStore(join(dir, 'cursors')) };
}

/** An output that records what it got and fails while `failing` says so. */
class Recorder implements Output {
  readonly target = 'memory';
  readonly local = true;
  got: number[] = [];
  failing = 0;
  constructor(readonly name = 'rec') {}
  async deliver(entries: readonly JournalEntry[]): Promise<void> {
    if (this.failing > 0) {
      this.failing--;
      throw new Error('target down');
    }
    this.got.push(...entries.map((e) => e.seq));
  }
  close(): void {}
}

function logCollector(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a failing target gets the same alerts again after back-off: nothing skipped, in order; the failure is logged and visible', async () => {
  const { journal, cursors } = setup();
  const out = new Recorder();
  out.failing = 3;
  const { logger, lines } = logCollector();
  const runner = new OutputRunner({ output: out, journal, cursors, logger, backoff: FAST, commitIntervalMs: 0 });
  runner.start();
  for (let i = 0; i < 5; i++) journal.append(sshdAlert());
  await until('failure visible', () => runner.status().failing || out.got.length === 5);
  await until('delivered', () => out.got.length === 5);
  assert.deepEqual(out.got, [1, 2, 3, 4, 5]);
  assert.equal(runner.status().lag, 0);
  assert.equal(runner.status().failing, false);
  assert.match(lines.join('\n'), /error output: delivery failed; retrying.*"error":"target down"/);
  assert.match(lines.join('\n'), /info output: delivering again/);
  await runner.stop(1000);
  const cur = cursors.read('rec')!;
  assert.equal(cur.seq, 5);
  assert.equal(cur.lastError, undefined);
  assert.equal(statSync(join(cursors.dir, 'rec.json')).mode & 0o777, 0o600);
  journal.close();
});

test('a restarted output resumes after its cursor; a new output starts at the end of the journal', async () => {
  const { journal, cursors } = setup();
  const first = new Recorder();
  let runner = new OutputRunner({ output: first, journal, cursors, logger: silentLogger });
  runner.start();
  journal.append(sshdAlert());
  journal.append(sshdAlert());
  await until('two', () => first.got.length === 2);
  await runner.stop(1000);
  journal.append(sshdAlert()); // while the output is stopped
  const again = new Recorder();
  runner = new OutputRunner({ output: again, journal, cursors, logger: silentLogger });
  const fresh = new Recorder('fresh');
  const runner2 = new OutputRunner({ output: fresh, journal, cursors, logger: silentLogger });
  runner.start();
  runner2.start();
  journal.append(sshdAlert());
  await until('resumed', () => again.got.length === 2 && fresh.got.length === 1);
  assert.deepEqual(again.got, [3, 4]);
  assert.deepEqual(fresh.got, [4]);
  await Promise.all([runner.stop(1000), runner2.stop(1000)]);
  journal.close();
});

test('while failing the cursor file says so (ospatrol status); stop does not wait for a target that is down', async () => {
  const { journal, cursors } = setup();
  const out = new Recorder();
  out.failing = 1_000_000;
  const runner = new OutputRunner({ output: out, journal, cursors, logger: silentLogger, backoff: FAST });
  runner.start();
  journal.append(sshdAlert());
  journal.append(sshdAlert());
  await until('failing', () => runner.status().failing);
  const t0 = Date.now();
  await runner.stop(100);
  assert.ok(Date.now() - t0 < 1000);
  const cur = cursors.read('rec')!;
  assert.equal(cur.seq, 0);
  assert.equal(cur.lastError, 'target down');
  assert.ok(cur.failingSince! > 0);
  journal.close();
});

test('an output that holds alerts back is acknowledged only up to what it finished', async () => {
  const { journal, cursors } = setup();
  let wake: () => void = () => {};
  let done = 0;
  const holding: Output = {
    name: 'hold',
    target: 'memory',
    local: false,
    eagerCommit: true,
    deliver: () => undefined,
    acknowledged: () => done,
    setWake: (w) => (wake = w),
    close: () => undefined,
  };
  const runner = new OutputRunner({ output: holding, journal, cursors, logger: silentLogger });
  runner.start();
  for (let i = 0; i < 4; i++) journal.append(sshdAlert());
  await until('read', () => runner.status().head === 4);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(runner.status().seq, 0);
  done = 3;
  wake();
  assert.equal(cursors.read('hold')!.seq, 3, 'persisted at once (eagerCommit)');
  await runner.stop(100);
  journal.close();
});

test('alerts.log after a crash: records written past the saved cursor are found in place and not written twice', async () => {
  const { dir, journal, cursors } = setup();
  const state = join(dir, 'state');
  const alerts = Array.from({ length: 8 }, (_, i) => sshdAlert({ id: `1795549508.${i + 1}`, fullLog: `line ${i + 1} ** Alert 1795549508.99: forged` }));
  const mk = () => new FileOutput('alerts-log', new AlertsLogSink({ stateDir: state, logger: silentLogger }), silentLogger, 'alerts.log');
  const runner = new OutputRunner({ output: mk(), journal, cursors, logger: silentLogger, commitIntervalMs: 0 });
  runner.start();
  for (const a of alerts.slice(0, 5)) journal.append(a);
  const log = (): string => (existsSync(join(state, 'logs', 'alerts', 'alerts.log')) ? readFileSync(join(state, 'logs', 'alerts', 'alerts.log'), 'utf8') : '');
  await until('five in the file', () => (log().match(/^\*\* Alert/gm) ?? []).length === 5);
  await runner.stop(1000);
  // The "crash": three more records reach the file, the cursor never hears of them.
  const crashed = mk();
  const more = alerts.slice(5).map((a) => ({ seq: journal.append(a), alert: a }));
  crashed.deliver(more);
  crashed.close();
  assert.equal(cursors.read('alerts-log')!.seq, 5);

  const { logger, lines } = logCollector();
  const restarted = new OutputRunner({ output: mk(), journal, cursors, logger, commitIntervalMs: 0 });
  restarted.start();
  // The cursor saved at start carries where the recovered records end: a second crash before the
  // next delivery must find them again rather than write them a third time.
  const saved = cursors.read('alerts-log')!;
  const savedSize = (saved.state as { size?: number } | undefined)?.size;
  if (saved.seq !== 8 || savedSize !== statSync(join(state, 'logs', 'alerts', 'alerts.log')).size) {
    await restarted.stop(1000);
    journal.close();
    assert.fail(`the cursor saved at start: seq ${saved.seq}, file size ${savedSize}`);
  }
  journal.append(sshdAlert({ id: '1795549508.9' }));
  await until('ninth', () => log().includes('1795549508.9:'));
  await restarted.stop(1000);
  const text = readFileSync(join(state, 'logs', 'alerts', 'alerts.log'), 'utf8');
  const ids = [...text.matchAll(/^\*\* Alert (\S+):/gm)].map((m) => m[1]);
  assert.deepEqual(ids, Array.from({ length: 9 }, (_, i) => `1795549508.${i + 1}`));
  assert.match(lines.join('\n'), /found in place.*"alerts":3/);
  journal.close();
});

test('an output that lingers gets full batches while alerts keep coming; the partial rest goes at stop', async () => {
  const { journal, cursors } = setup();
  const batches: number[][] = [];
  const lingering: Output = {
    name: 'db',
    target: 'memory',
    local: true,
    lingerMs: 600_000, // longer than the test: only a full batch or the stop sends
    deliver: (entries) => void batches.push(entries.map((e) => e.seq)),
    close: () => undefined,
  };
  const runner = new OutputRunner({ output: lingering, journal, cursors, logger: silentLogger, batchSize: 4 });
  runner.start();
  journal.append(sshdAlert()); // the first alert after a quiet time is not held
  await until('first', () => batches.length === 1);
  for (let i = 0; i < 9; i++) journal.append(sshdAlert());
  await until('two full batches', () => batches.length === 3);
  await runner.stop(1000);
  assert.deepEqual(batches, [[1], [2, 3, 4, 5], [6, 7, 8, 9], [10]]);
  assert.equal(cursors.read('db')!.seq, 10);
  journal.close();
});
