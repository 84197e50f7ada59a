import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkDiffAlert, sshdAlert } from '../../test-support/alert-fixtures.js';
import type { SqlDialect } from '../sql/dialect.js';
import { SqliteAlertReader } from './sqlite-alert-reader.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { SqliteSink } from './sqlite-sink.js';

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'osp-sqlmig-'));
}

const NEXT = sqliteDialect.migrations.length + 1;

/** The shipped dialect plus a hypothetical next version, to exercise an upgrade. */
const withNext: SqlDialect = {
  ...sqliteDialect,
  migrations: [
    ...sqliteDialect.migrations,
    { version: NEXT, description: 'add alert.note', statements: [`ALTER TABLE alert ADD COLUMN note TEXT`] },
  ],
};

/** A version-1 database as the foundation release wrote it (before alert.diff). */
function writeVersion1(dir: string, now: number): void {
  const db = new Database(join(dir, 'alerts.db'));
  db.exec(sqliteDialect.sql.createSchemaVersion);
  for (const stmt of sqliteDialect.migrations[0].statements) db.exec(stmt);
  db.prepare(sqliteDialect.sql.insertSchemaVersion).run(1, now, sqliteDialect.migrations[0].description);
  db.close();
}

test('a version-1 database gains alert.diff (version 2), then a later version, once each, keeping its alerts', () => {
  const dir = stateDir();
  writeVersion1(dir, 1000);
  let t = 2000;
  const v2 = new SqliteSink({ stateDir: dir, serverName: 'm', now: () => t });
  v2.write(sshdAlert());
  v2.write(checkDiffAlert({ diff: { added: ['tcp 0.0.0.0:80'], removed: [], unified: '+tcp 0.0.0.0:80' } }));
  v2.close();
  t = 3000;
  const v3 = new SqliteSink({ stateDir: dir, serverName: 'm', now: () => t }, withNext);
  assert.equal(v3.queryAlerts().length, 2);
  assert.deepEqual(v3.queryAlerts({ ruleId: 533 })[0].diff, { added: ['tcp 0.0.0.0:80'], removed: [], unified: '+tcp 0.0.0.0:80' });
  v3.close();
  new SqliteSink({ stateDir: dir, serverName: 'm', now: () => 4000 }, withNext).close();
  const r = new Database(join(dir, 'alerts.db'), { readonly: true });
  assert.deepEqual(r.prepare('SELECT version, applied_at FROM schema_version ORDER BY version').all(), [
    { version: 1, applied_at: 1000 },
    { version: 2, applied_at: 2000 },
    { version: 3, applied_at: 3000 },
  ]);
  const columns = (r.prepare(`SELECT name FROM pragma_table_info('alert')`).all() as Array<{ name: string }>).map((c) => c.name);
  assert.ok(columns.includes('note') && columns.includes('diff'));
  r.close();
});

test('a failing migration leaves the database at its previous version', () => {
  const dir = stateDir();
  new SqliteSink({ stateDir: dir, serverName: 'm' }).close();
  const broken: SqlDialect = {
    ...sqliteDialect,
    migrations: [
      ...sqliteDialect.migrations,
      { version: NEXT, description: 'half done', statements: [`CREATE TABLE extra (x)`, `THIS IS NOT SQL`] },
    ],
  };
  assert.throws(() => new SqliteSink({ stateDir: dir, serverName: 'm' }, broken));
  const r = new Database(join(dir, 'alerts.db'), { readonly: true });
  assert.deepEqual(r.prepare('SELECT max(version) AS v FROM schema_version').get(), { v: NEXT - 1 });
  assert.equal(r.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get(), undefined);
  r.close();
});

test('the read-only reader queries beside a live writer, and refuses files it cannot read', () => {
  const dir = stateDir();
  const sink = new SqliteSink({ stateDir: dir, serverName: 'm' });
  sink.write(sshdAlert());
  const reader = new SqliteAlertReader(join(dir, 'alerts.db'));
  assert.deepEqual(reader.queryAlerts(), [sshdAlert()]);
  sink.write(sshdAlert({ id: '2.2', timestamp: sshdAlert().timestamp + 1 }));
  assert.deepEqual(reader.queryAlerts({ limit: 1 }).map((a) => a.id), ['2.2']);
  reader.close();
  sink.close();
  assert.throws(() => new SqliteAlertReader(join(dir, 'missing.db')));
  assert.throws(() => new SqliteAlertReader(join(dir, 'alerts.db'), withNext), new RegExp(`version ${NEXT - 1}`));
});
