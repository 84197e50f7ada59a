import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sshdAlert } from '../../test-support/alert-fixtures.js';
import type { SqlDialect } from '../sql/dialect.js';
import { SqliteAlertReader } from './sqlite-alert-reader.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { SqliteSink } from './sqlite-sink.js';

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'osp-sqlmig-'));
}

/** The shipped dialect plus a hypothetical next version, to exercise an upgrade. */
const withV2: SqlDialect = {
  ...sqliteDialect,
  migrations: [
    ...sqliteDialect.migrations,
    { version: 2, description: 'add alert.note', statements: [`ALTER TABLE alert ADD COLUMN note TEXT`] },
  ],
};

test('an existing version-1 database is migrated forward once, keeping its alerts', () => {
  const dir = stateDir();
  let t = 1000;
  const v1 = new SqliteSink({ stateDir: dir, serverName: 'm', now: () => t });
  v1.write(sshdAlert());
  v1.close();
  t = 2000;
  const v2 = new SqliteSink({ stateDir: dir, serverName: 'm', now: () => t }, withV2);
  assert.equal(v2.queryAlerts().length, 1);
  v2.close();
  new SqliteSink({ stateDir: dir, serverName: 'm', now: () => 3000 }, withV2).close();
  const r = new Database(join(dir, 'alerts.db'), { readonly: true });
  assert.deepEqual(r.prepare('SELECT version, applied_at FROM schema_version ORDER BY version').all(), [
    { version: 1, applied_at: 1000 },
    { version: 2, applied_at: 2000 },
  ]);
  assert.ok((r.prepare(`SELECT name FROM pragma_table_info('alert')`).all() as Array<{ name: string }>).some((c) => c.name === 'note'));
  r.close();
});

test('a failing migration leaves the database at its previous version', () => {
  const dir = stateDir();
  new SqliteSink({ stateDir: dir, serverName: 'm' }).close();
  const broken: SqlDialect = {
    ...sqliteDialect,
    migrations: [
      ...sqliteDialect.migrations,
      { version: 2, description: 'half done', statements: [`CREATE TABLE extra (x)`, `THIS IS NOT SQL`] },
    ],
  };
  assert.throws(() => new SqliteSink({ stateDir: dir, serverName: 'm' }, broken));
  const r = new Database(join(dir, 'alerts.db'), { readonly: true });
  assert.deepEqual(r.prepare('SELECT max(version) AS v FROM schema_version').get(), { v: 1 });
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
  assert.throws(() => new SqliteAlertReader(join(dir, 'alerts.db'), withV2), /version 1/);
});
