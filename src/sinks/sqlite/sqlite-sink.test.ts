process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Alert } from '../../alerts/alert.js';
import { formatAlertJson } from '../../alerts/alerts-json-format.js';
import { formatAlertsLog } from '../../alerts/alerts-log-format.js';
import { checkDiffAlert, sshdAlert } from '../../test-support/alert-fixtures.js';
import { SinkError, SinkErrorCodes } from '../sink-error.js';
import { SqliteSink } from './sqlite-sink.js';

const HOSTILE_LOCATION = `'"\\%$1?🛡️'); DROP TABLE location;-- ${'long '.repeat(100)}end`;

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'osp-sqlite-'));
}

function openSink(dir: string, extra: { now?: () => number } = {}): SqliteSink {
  return new SqliteSink({ stateDir: dir, serverName: 'manager1', serverVersion: '0.1.0', now: extra.now ?? (() => 1_800_000_000_000) });
}

function raw(dir: string): Database.Database {
  return new Database(join(dir, 'alerts.db'), { readonly: true });
}

test('creates alerts.db with mode 0600 (and its WAL files), WAL journal, schema versions 1 and 2', () => {
  const dir = stateDir();
  const prev = process.umask(0o022);
  let sink: SqliteSink;
  try {
    sink = openSink(dir);
    sink.write(sshdAlert());
  } finally {
    process.umask(prev);
  }
  const db = join(dir, 'alerts.db');
  assert.equal(statSync(db).mode & 0o777, 0o600);
  for (const side of ['-wal', '-shm']) if (existsSync(db + side)) assert.equal(statSync(db + side).mode & 0o777, 0o600, side);
  const r = raw(dir);
  assert.equal(r.pragma('journal_mode', { simple: true }), 'wal');
  assert.deepEqual(r.prepare('SELECT version, applied_at, description FROM schema_version').all().map((x) => (x as { version: number }).version), [1, 2]);
  assert.deepEqual(
    (r.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((x) => x.name),
    ['agent', 'alert', 'category', 'data', 'location', 'schema_version', 'server', 'signature', 'signature_category_mapping'],
  );
  r.close();
  sink.close();
});

test('synchronous=NORMAL and foreign keys are on for the writer connection', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  const db = (sink as unknown as { db: Database.Database }).db;
  assert.equal(db.pragma('synchronous', { simple: true }), 1); // 1 = NORMAL
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  sink.close();
});

test('hostile strings round-trip byte for byte: location, full_log, user, fields, previous output', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  const hostile = `x'y"z\\w%s$1?\u0000nul 🛡️ 日本 '); DROP TABLE alert;--\nsecond line\r\n`;
  const alert = checkDiffAlert({
    location: HOSTILE_LOCATION,
    hostname: HOSTILE_LOCATION,
    fullLog: hostile,
    previousOutput: hostile,
    context: ['Previous output:', hostile],
    fields: { dstuser: hostile, srcip: '1.2.3.4', [`field ${hostile}`]: hostile },
  });
  sink.write(alert);
  const [back] = sink.queryAlerts();
  assert.deepEqual(back, alert);
  sink.close();

  // And straight from the table, as another tool would read it.
  const r = raw(dir);
  const row = r
    .prepare('SELECT l.name AS location, a.full_log, a.dst_user FROM alert a JOIN location l ON l.id = a.location_id')
    .get() as { location: string; full_log: string; dst_user: string };
  assert.equal(row.location, HOSTILE_LOCATION);
  assert.equal(Buffer.compare(Buffer.from(row.location), Buffer.from(HOSTILE_LOCATION)), 0);
  assert.equal(row.full_log, hostile);
  assert.equal(row.dst_user, hostile);
  assert.equal((r.prepare('SELECT count(*) AS n FROM location').get() as { n: number }).n, 1);
  r.close();
});

test('a stored alert reformats to the same alerts.log and alerts.json text', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  const alerts: Alert[] = [
    checkDiffAlert(),
    sshdAlert({ agent: { id: '001', name: 'web1', ip: '10.0.0.5' }, decoder: { name: 'sshd-fail', parent: 'sshd' } }),
    sshdAlert({ id: '1795549509.15', timestamp: 1795549509_123, context: ['earlier 2', 'earlier 1'], rule: { ...sshdAlert().rule, info: [{ type: 'link', value: 'u' }] } }),
  ];
  sink.writeBatch(alerts);
  const back = sink.queryAlerts({ order: 'oldest' });
  assert.deepEqual(back.map((a) => formatAlertsLog(a)), alerts.map((a) => formatAlertsLog(a)));
  assert.deepEqual(back.map(formatAlertJson), alerts.map(formatAlertJson));
  sink.close();
});

test('idempotent replay: the same alert id twice is one row, in write and in writeBatch, across restarts', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  sink.write(sshdAlert());
  sink.write(sshdAlert());
  assert.deepEqual(sink.writeBatch([sshdAlert(), checkDiffAlert(), checkDiffAlert()]), { inserted: 1, duplicates: 2, rejected: [] });
  sink.close();
  const again = openSink(dir);
  assert.deepEqual(again.writeBatch([sshdAlert(), checkDiffAlert()]), { inserted: 0, duplicates: 2, rejected: [] });
  again.close();
  const r = raw(dir);
  assert.equal((r.prepare('SELECT count(*) AS n FROM alert').get() as { n: number }).n, 2);
  assert.equal((r.prepare('SELECT count(*) AS n FROM data').get() as { n: number }).n, 4); // sshd's four fields, once
  assert.equal((r.prepare('SELECT count(*) AS n FROM server').get() as { n: number }).n, 1);
  r.close();
});

test('timestamp is the event time, inserted_at the insertion time', () => {
  const dir = stateDir();
  const sink = openSink(dir, { now: () => 1_900_000_000_000 });
  sink.write(sshdAlert({ timestamp: 1_795_549_508_456 }));
  sink.close();
  const r = raw(dir);
  assert.deepEqual(r.prepare('SELECT timestamp, inserted_at FROM alert').get(), { timestamp: 1_795_549_508_456, inserted_at: 1_900_000_000_000 });
  r.close();
});

test('signature, category and mapping rows follow the rules of arriving alerts', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  sink.write(checkDiffAlert());
  sink.write(sshdAlert());
  // The same rule again with a new description and one group fewer: the signature is updated.
  const changed = sshdAlert({ id: '2.1', rule: { ...sshdAlert().rule, description: 'Login failed.', groups: ['syslog', 'sshd'], groupText: 'syslog,sshd,' } });
  sink.write(changed);
  sink.close();
  const r = raw(dir);
  assert.deepEqual(r.prepare('SELECT rule_id, level, description FROM signature ORDER BY rule_id').all(), [
    { rule_id: 533, level: 7, description: 'Listened ports status (netstat) changed (new port opened or closed).' },
    { rule_id: 5503, level: 5, description: 'Login failed.' },
  ]);
  assert.deepEqual(
    (r.prepare('SELECT cat_name FROM category ORDER BY cat_name').all() as Array<{ cat_name: string }>).map((c) => c.cat_name),
    ['authentication_failed', 'ossec', 'sshd', 'syslog'],
  );
  const mapping = r
    .prepare('SELECT m.rule_id, c.cat_name FROM signature_category_mapping m JOIN category c ON c.cat_id = m.cat_id ORDER BY m.rule_id, c.cat_name')
    .all();
  assert.deepEqual(mapping, [
    { rule_id: 533, cat_name: 'ossec' },
    { rule_id: 5503, cat_name: 'sshd' },
    { rule_id: 5503, cat_name: 'syslog' },
  ]);
  // Each alert keeps the description and groups it was raised with.
  assert.deepEqual(r.prepare(`SELECT rule_description, rule_groups FROM alert WHERE alertid = '2.1'`).get(), {
    rule_description: 'Login failed.',
    rule_groups: 'syslog,sshd,',
  });
  r.close();
});

test('columns: src/dst ip and port, dst_user, level, rule_id, location_id; a non-numeric port is NULL but kept in data', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  sink.write(sshdAlert({ fields: { srcip: '1.2.3.4', srcport: '50022', dstip: '5.6.7.8', dstport: 'ssh', dstuser: 'root' } }));
  sink.close();
  const r = raw(dir);
  assert.deepEqual(
    r.prepare('SELECT src_ip, src_port, dst_ip, dst_port, dst_user, level, rule_id, location_id IS NOT NULL AS has_loc FROM alert').get(),
    { src_ip: '1.2.3.4', src_port: 50022, dst_ip: '5.6.7.8', dst_port: null, dst_user: 'root', level: 5, rule_id: 5503, has_loc: 1 },
  );
  assert.deepEqual(r.prepare(`SELECT value FROM data WHERE name = 'dstport'`).get(), { value: 'ssh' });
  r.close();
});

test('queryAlerts filters: level, ruleId, agent (name or id), since, limit, order', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  const web = { id: '001', name: 'web1', ip: '10.0.0.5' };
  const mk = (id: string, t: number, ruleId: number, level: number, agent = { id: '000', name: 'manager1' }): Alert =>
    sshdAlert({ id, timestamp: t, agent, rule: { ...sshdAlert().rule, id: ruleId, level } });
  sink.writeBatch([mk('1.1', 1000, 5503, 5), mk('2.1', 2000, 5712, 10, web), mk('3.1', 3000, 533, 7), mk('4.1', 4000, 5503, 5, web)]);
  const ids = (q: Parameters<SqliteSink['queryAlerts']>[0]): string[] => sink.queryAlerts(q).map((a) => a.id);
  assert.deepEqual(ids({}), ['4.1', '3.1', '2.1', '1.1']);
  assert.deepEqual(ids({ order: 'oldest' }), ['1.1', '2.1', '3.1', '4.1']);
  assert.deepEqual(ids({ level: 7 }), ['3.1', '2.1']);
  assert.deepEqual(ids({ ruleId: 5503 }), ['4.1', '1.1']);
  assert.deepEqual(ids({ agent: 'web1' }), ['4.1', '2.1']);
  assert.deepEqual(ids({ agent: '001' }), ['4.1', '2.1']);
  assert.deepEqual(ids({ since: 2000 }), ['4.1', '3.1', '2.1']);
  assert.deepEqual(ids({ since: new Date(3000) }), ['4.1', '3.1']);
  assert.deepEqual(ids({ limit: 2 }), ['4.1', '3.1']);
  assert.deepEqual(ids({ level: 5, ruleId: 5503, agent: 'web1', since: 1500, limit: 10 }), ['4.1']);
  assert.deepEqual(ids({ agent: "'); DROP TABLE alert;--" }), []);
  assert.throws(() => sink.queryAlerts({ limit: 0 }), RangeError);
  assert.throws(() => sink.queryAlerts({ level: 1.5 }), RangeError);
  assert.deepEqual(sink.queryAlerts({ agent: 'web1', limit: 1 })[0].agent, web);
  sink.close();
});

test('bad data: write throws SinkError (DATA) naming the alert; writeBatch stores the rest and reports it', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  assert.throws(
    () => sink.write(sshdAlert({ id: '9.9', timestamp: Number.NaN })),
    (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.DATA && err.alertId === '9.9' && /timestamp/.test(err.message),
  );
  const badRule = sshdAlert({ id: '8.8', rule: { ...sshdAlert().rule, id: Number('x') } });
  const result = sink.writeBatch([sshdAlert({ id: '1.1' }), badRule, sshdAlert({ id: '1.2' })]);
  assert.equal(result.inserted, 2);
  assert.deepEqual(result.rejected.map((e) => [e.code, e.alertId]), [[SinkErrorCodes.DATA, '8.8']]);
  assert.deepEqual(sink.queryAlerts().map((a) => a.id).sort(), ['1.1', '1.2']);
  sink.close();
});

test('a constraint failure inside a batch is isolated to its alert; ids cached in the rolled-back transaction are dropped', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  // Sabotage the schema so one alert (location "boom") hits a constraint the row checks cannot see.
  const db = (sink as unknown as { db: Database.Database }).db;
  db.exec(`CREATE TRIGGER no_boom BEFORE INSERT ON location WHEN NEW.name = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END`);
  const result = sink.writeBatch([
    sshdAlert({ id: '1.1', location: 'new-location' }),
    sshdAlert({ id: '1.2', location: 'boom' }),
    sshdAlert({ id: '1.3', location: 'new-location' }),
  ]);
  assert.equal(result.inserted, 2);
  assert.deepEqual(result.rejected.map((e) => e.alertId), ['1.2']);
  assert.deepEqual(sink.queryAlerts({ order: 'oldest' }).map((a) => [a.id, a.location]), [
    ['1.1', 'new-location'],
    ['1.3', 'new-location'],
  ]);
  sink.close();
});

test('a database failure is SinkError (IO) and nothing of the batch is stored; write after close is CLOSED', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  const db = (sink as unknown as { db: Database.Database }).db;
  // A failure that is the database's, not the alert's (SQLITE_ERROR: a table gone), on the 2nd alert.
  db.exec(`CREATE TRIGGER disk_gone BEFORE INSERT ON alert WHEN NEW.alertid = '6.6' BEGIN INSERT INTO no_such_table VALUES (1); END`);
  assert.throws(
    () => sink.writeBatch([sshdAlert({ id: '6.5' }), sshdAlert({ id: '6.6' })]),
    (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.IO && /batch of 2/.test(err.message),
  );
  assert.deepEqual(sink.queryAlerts(), []);
  sink.close();
  sink.close();
  assert.throws(() => sink.write(sshdAlert()), (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.CLOSED);
});

test('a database newer than this build is refused at open with SinkError (OPEN)', () => {
  const dir = stateDir();
  openSink(dir).close();
  const w = new Database(join(dir, 'alerts.db'));
  w.prepare('INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)').run(3, 0, 'from the future');
  w.close();
  assert.throws(() => openSink(dir), (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.OPEN && /version 3/.test(err.message));
});

test('a file that is not a database is refused at open with SinkError (OPEN)', () => {
  const dir = stateDir();
  writeFileSync(join(dir, 'alerts.db'), 'not sqlite at all, just text that is long enough to be read as a header page');
  assert.throws(() => openSink(dir), (err: unknown) => err instanceof SinkError && err.code === SinkErrorCodes.OPEN);
});

test('lone surrogates (a caller bug, never real log text) are stored as one U+FFFD, as valid UTF-8', () => {
  const dir = stateDir();
  const sink = openSink(dir);
  sink.write(sshdAlert({ fullLog: 'a\ud800b\udc00c', location: 'x\ud83d' }));
  const [back] = sink.queryAlerts();
  assert.equal(back.fullLog, 'a\ufffdb\ufffdc');
  assert.equal(back.location, 'x\ufffd');
  sink.close();
  const r = raw(dir);
  const bytes = (r.prepare('SELECT CAST(full_log AS BLOB) AS b FROM alert').get() as { b: Buffer }).b;
  assert.deepEqual(bytes, Buffer.from('a\ufffdb\ufffdc', 'utf8'));
  r.close();
});
