process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDiffAlert, sshdAlert } from '../../test-support/alert-fixtures.js';
import { silentLogger } from '../../runtime/logger.js';
import { AlertsLogSink } from '../alerts-log/alerts-log-sink.js';
import { SinkError, SinkErrorCodes } from '../sink-error.js';
import { AlertsJsonSink } from './alerts-json-sink.js';

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'osp-ajson-'));
}

test('one JSON object per line in the dated .json file, hard-linked as alerts.json, parsed back', () => {
  const dir = stateDir();
  const sink = new AlertsJsonSink({ stateDir: dir, logger: silentLogger });
  sink.write(checkDiffAlert());
  sink.write(sshdAlert());
  sink.close();
  const dated = join(dir, 'logs/alerts/2026/Nov/ospatrol-alerts-24.json');
  const link = join(dir, 'logs/alerts/alerts.json');
  assert.equal(statSync(link).ino, statSync(dated).ino);
  assert.equal(statSync(dated).mode & 0o777, 0o640);
  const text = readFileSync(link, 'utf8');
  assert.ok(text.endsWith('\n'));
  const objs = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(
    objs.map((o) => [o.id, o.rule.id, o.location]),
    [
      ['1795549487.2', '533', 'netstat -tan'],
      ['1795549508.14', '5503', '10.1.1.1'],
    ],
  );
});

test('hostile strings stay one line each and parse back exactly (lone surrogates become \\u escapes)', () => {
  const dir = stateDir();
  const sink = new AlertsJsonSink({ stateDir: dir, logger: silentLogger });
  const hostile = [
    "'); DROP TABLE alert;-- \" \\ % $1 ?",
    'nul\u0000 and \ud83d alone',
    'multi\nline\r\noutput\u2028',
    '🛡️ emoji',
  ];
  for (const [i, s] of hostile.entries()) sink.write(sshdAlert({ id: `1.${i}`, fullLog: s, location: s, fields: { dstuser: s } }));
  sink.close();
  const lines = readFileSync(join(dir, 'logs/alerts/alerts.json'), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, hostile.length);
  for (const [i, line] of lines.entries()) {
    const o = JSON.parse(line);
    assert.equal(o.full_log, hostile[i]);
    assert.equal(o.location, hostile[i]);
    assert.equal(o.data.dstuser, hostile[i]);
  }
});

test('rotation: two days, two dated .json files beside the .log ones, alerts.json links the newer', () => {
  const dir = stateDir();
  const json = new AlertsJsonSink({ stateDir: dir, logger: silentLogger });
  const log = new AlertsLogSink({ stateDir: dir, logger: silentLogger });
  for (const a of [sshdAlert({ id: '1.1', timestamp: Date.UTC(2026, 10, 24, 23, 59, 59, 999) }), sshdAlert({ id: '2.1', timestamp: Date.UTC(2026, 10, 25) })]) {
    json.write(a);
    log.write(a);
  }
  json.close();
  log.close();
  const day = (d: string, ext: string) => join(dir, `logs/alerts/2026/Nov/ospatrol-alerts-${d}.${ext}`);
  assert.equal(JSON.parse(readFileSync(day('24', 'json'), 'utf8')).id, '1.1');
  assert.equal(JSON.parse(readFileSync(day('25', 'json'), 'utf8')).id, '2.1');
  assert.equal(statSync(join(dir, 'logs/alerts/alerts.json')).ino, statSync(day('25', 'json')).ino);
  assert.equal(statSync(join(dir, 'logs/alerts/alerts.log')).ino, statSync(day('25', 'log')).ino);
});

test('a bad timestamp is a SinkError (DATA) naming the alert', () => {
  const sink = new AlertsJsonSink({ stateDir: stateDir(), logger: silentLogger });
  assert.throws(
    () => sink.write(sshdAlert({ id: '7.7', timestamp: Number.NaN })),
    (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.DATA && err.sink === 'alerts-json' && err.alertId === '7.7',
  );
  sink.close();
});
