process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatAlertsLog } from '../../alerts/alerts-log-format.js';
import { checkDiffAlert, sshdAlert } from '../../test-support/alert-fixtures.js';
import type { Logger } from '../../runtime/logger.js';
import { SinkError, SinkErrorCodes } from '../sink-error.js';
import { AlertsLogSink } from './alerts-log-sink.js';

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'osp-alog-'));
}

function collectingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (m) => void warnings.push(m) };
}

const DAY1 = Date.UTC(2026, 10, 24, 23, 59, 59); // 2026 Nov 24
const DAY2 = Date.UTC(2026, 10, 25, 0, 0, 0); // 2026 Nov 25, one second later

test('appends whole records to the dated file, hard-linked as logs/alerts/alerts.log, mode 0640', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  const a = checkDiffAlert();
  const b = sshdAlert();
  sink.write(a);
  sink.write(b);
  sink.close();

  const dated = join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-24.log');
  const link = join(dir, 'logs/alerts/alerts.log');
  assert.equal(readFileSync(dated, 'utf8'), formatAlertsLog(a) + formatAlertsLog(b));
  assert.equal(statSync(link).ino, statSync(dated).ino);
  assert.equal(statSync(dated).nlink, 2);
  assert.equal(statSync(dated).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(join(dir, 'logs/alerts')).sort(), ['2026', 'alerts.log']);
});

test('rotation across a day boundary: two dated files, alerts.log links the newer one', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  const first = sshdAlert({ id: '1.1', timestamp: DAY1 });
  const second = sshdAlert({ id: '2.2', timestamp: DAY2 });
  sink.write(first);
  assert.equal(sink.currentFile, join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-24.log'));
  sink.write(second);
  assert.equal(sink.currentFile, join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-25.log'));
  sink.close();

  const old = join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-24.log');
  const cur = join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-25.log');
  assert.equal(readFileSync(old, 'utf8'), formatAlertsLog(first));
  assert.equal(readFileSync(cur, 'utf8'), formatAlertsLog(second));
  assert.equal(statSync(join(dir, 'logs/alerts/alerts.log')).ino, statSync(cur).ino);
  assert.equal(statSync(old).nlink, 1);
  assert.ok(!readdirSync(join(dir, 'logs/alerts')).some((f) => f.includes('.tmp-')), 'no temporary link left');
});

test('rotation across a month and year boundary creates the new folders', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  sink.write(sshdAlert({ timestamp: Date.UTC(2026, 11, 31, 12) }));
  sink.write(sshdAlert({ timestamp: Date.UTC(2027, 0, 1, 0, 0, 1) }));
  sink.close();
  assert.ok(existsSync(join(dir, 'logs/alerts/2026/Dec/ospatrol-alerts-31.log')));
  const cur = join(dir, 'logs/alerts/2027/Jan/ospatrol-alerts-01.log');
  assert.equal(statSync(join(dir, 'logs/alerts/alerts.log')).ino, statSync(cur).ino);
});

test('a late alert from an earlier day goes to the open (newer) file; the link never moves back', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  sink.write(sshdAlert({ id: '2.2', timestamp: DAY2 }));
  const late = sshdAlert({ id: '1.1', timestamp: DAY1 });
  sink.write(late);
  sink.close();
  const cur = join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-25.log');
  assert.ok(readFileSync(cur, 'utf8').endsWith(formatAlertsLog(late)));
  assert.ok(!existsSync(join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-24.log')));
});

test('a restart on the same day appends to the same file and keeps the link', () => {
  const dir = stateDir();
  const one = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  one.write(sshdAlert({ id: '1.1' }));
  one.close();
  const two = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  two.write(sshdAlert({ id: '1.2' }));
  two.close();
  const text = readFileSync(join(dir, 'logs/alerts/alerts.log'), 'utf8');
  assert.equal(text, formatAlertsLog(sshdAlert({ id: '1.1' })) + formatAlertsLog(sshdAlert({ id: '1.2' })));
});

test('an existing alerts.log that is no link to a dated file is kept aside, not overwritten', () => {
  const dir = stateDir();
  mkdirSync(join(dir, 'logs/alerts'), { recursive: true });
  writeFileSync(join(dir, 'logs/alerts/alerts.log'), 'precious\n');
  const logger = collectingLogger();
  const sink = new AlertsLogSink({ stateDir: dir, logger });
  sink.write(sshdAlert());
  sink.close();
  const aside = readdirSync(join(dir, 'logs/alerts')).filter((f) => f.startsWith('alerts.log.orphan-'));
  assert.equal(aside.length, 1);
  assert.equal(readFileSync(join(dir, 'logs/alerts', aside[0]), 'utf8'), 'precious\n');
  assert.equal(logger.warnings.length, 1);
});

test('ossecCut option applies the 1256-byte cut; fileMode 0600 is honoured', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, ossecCut: true, fileMode: 0o600, logger: collectingLogger() });
  sink.write(sshdAlert({ fullLog: 'y'.repeat(5000), fields: {} }));
  sink.close();
  const file = join(dir, 'logs/alerts/alerts.log');
  assert.equal(readFileSync(file, 'utf8').split('\n')[3], 'y'.repeat(1256));
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('bad alert data: a clear SinkError (DATA), nothing written, the sink keeps working', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  sink.write(sshdAlert({ id: '1.1' }));
  assert.throws(
    () => sink.write(sshdAlert({ id: '9.9', timestamp: Number.NaN })),
    (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.DATA && err.alertId === '9.9' && /alert 9\.9/.test(err.message),
  );
  sink.write(sshdAlert({ id: '1.2' }));
  sink.close();
  const text = readFileSync(join(dir, 'logs/alerts/alerts.log'), 'utf8');
  assert.equal(text, formatAlertsLog(sshdAlert({ id: '1.1' })) + formatAlertsLog(sshdAlert({ id: '1.2' })));
});

test('an I/O failure surfaces as SinkError (IO) and the next write retries', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  // A file where the year folder must go: fails even for root, unlike a permission test.
  const year = join(dir, 'logs/alerts/2026');
  writeFileSync(year, 'in the way');
  assert.throws(
    () => sink.write(sshdAlert({ id: '5.5' })),
    (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.IO && err.alertId === '5.5' && err.cause !== undefined,
  );
  rmSync(year);
  sink.write(sshdAlert());
  sink.close();
  assert.equal(readFileSync(join(dir, 'logs/alerts/alerts.log'), 'utf8'), formatAlertsLog(sshdAlert()));
});

test('write after close is a SinkError (CLOSED) and close is idempotent', () => {
  const sink = new AlertsLogSink({ stateDir: stateDir(), logger: collectingLogger() });
  sink.close();
  sink.close();
  assert.throws(() => sink.write(sshdAlert()), (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.CLOSED);
});

test('an unusable state dir fails at construction with SinkError (OPEN)', () => {
  const dir = stateDir();
  writeFileSync(join(dir, 'logs'), 'a file where a folder should be');
  assert.throws(
    () => new AlertsLogSink({ stateDir: dir, logger: collectingLogger() }),
    (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.OPEN,
  );
});

test('the file mode is forced past a strict umask', () => {
  const dir = stateDir();
  const prev = process.umask(0o077);
  try {
    const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
    sink.write(sshdAlert());
    sink.close();
  } finally {
    process.umask(prev);
  }
  assert.equal(statSync(join(dir, 'logs/alerts/alerts.log')).mode & 0o777, 0o640);
});

test('writeBatch: the same bytes as one write per alert, across a day boundary, with a refused alert reported', () => {
  const batch = [
    sshdAlert({ id: '1.1', timestamp: DAY1 }),
    checkDiffAlert({ id: '1.2', timestamp: DAY1 }),
    sshdAlert({ id: '9.9', timestamp: Number.NaN }),
    sshdAlert({ id: '2.1', timestamp: DAY2 }),
    sshdAlert({ id: '1.3', timestamp: DAY1 }), // late: goes to the open (newer) file
    checkDiffAlert({ id: '2.2', timestamp: DAY2 }),
  ];
  const one = stateDir();
  const single = new AlertsLogSink({ stateDir: one, logger: collectingLogger() });
  for (const a of batch) {
    try {
      single.write(a);
    } catch {
      // the NaN one
    }
  }
  single.close();

  const many = stateDir();
  const sink = new AlertsLogSink({ stateDir: many, logger: collectingLogger() });
  const done: number[] = [];
  const refused: Array<[number, string | undefined]> = [];
  sink.writeBatch(batch, (n) => done.push(n), (i, err) => {
    assert.equal(err.code, SinkErrorCodes.DATA);
    refused.push([i, err.alertId]);
  });
  sink.close();
  assert.deepEqual(refused, [[2, '9.9']]);
  assert.equal(done[done.length - 1], batch.length);
  assert.deepEqual(done, [...done].sort((a, b) => a - b), 'done only grows');
  for (const f of ['2026/Nov/ospatrol-alerts-24.log', '2026/Nov/ospatrol-alerts-25.log', 'alerts.log']) {
    assert.equal(readFileSync(join(many, 'logs/alerts', f), 'utf8'), readFileSync(join(one, 'logs/alerts', f), 'utf8'), f);
  }
  assert.match(readFileSync(join(many, 'logs/alerts/alerts.log'), 'utf8'), /Alert 1\.3:/);
});

test('writeBatch: an I/O failure is a SinkError (IO) naming the first alert not written, after reporting what was', () => {
  const dir = stateDir();
  const sink = new AlertsLogSink({ stateDir: dir, logger: collectingLogger() });
  sink.write(sshdAlert({ id: '0.1', timestamp: DAY1 }));
  // The next year's folder cannot be created: the records of the first day go, the rest fail.
  const blocker = join(dir, 'logs/alerts/2027');
  writeFileSync(blocker, 'in the way');
  const next = Date.UTC(2027, 0, 1, 0, 0, 0);
  const batch = [sshdAlert({ id: '1.1', timestamp: DAY1 }), sshdAlert({ id: '1.2', timestamp: DAY1 }), sshdAlert({ id: '3.1', timestamp: next })];
  let done = 0;
  assert.throws(
    () => sink.writeBatch(batch, (n) => (done = n), () => assert.fail('nothing refused')),
    (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.IO && err.alertId === '3.1',
  );
  assert.equal(done, 2);
  rmSync(blocker);
  sink.writeBatch(batch.slice(done), () => undefined, () => undefined);
  sink.close();
  assert.equal(
    readFileSync(join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-24.log'), 'utf8'),
    [sshdAlert({ id: '0.1', timestamp: DAY1 }), batch[0], batch[1]].map((a) => formatAlertsLog(a)).join(''),
  );
  assert.equal(readFileSync(join(dir, 'logs/alerts/alerts.log'), 'utf8'), formatAlertsLog(batch[2]));
});
