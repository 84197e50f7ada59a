import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqlDialect } from '../sql/dialect.js';
import { pendingMigrations } from '../sql/migration.js';

/**
 * Opening alerts.db: file mode, pragmas and schema migrations, shared by the sink (writer) and
 * by readers. Throws plain errors; callers wrap them in SinkError.
 */
export interface OpenOptions {
  readonly?: boolean;
  /** Clock for schema_version.applied_at. */
  now: () => number;
}

/** Private to the daemon's user: alerts quote logs and command output. */
export const ALERTS_DB_MODE = 0o600;

export function openAlertsDatabase(path: string, dialect: SqlDialect, opts: OpenOptions): Database.Database {
  if (!opts.readonly) createPrivateFile(path);
  const db = new Database(path, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
  try {
    if (!opts.readonly) {
      // WAL: readers (CLI tools) never block the writer. NORMAL: a commit is durable across a
      // process crash; a power cut may lose the last commits, never corrupt the file.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // The writer inserts into the alert table's indexes at many places at once: a 16 MiB page
      // cache (default 2 MiB) and a checkpoint every 4000 pages (default 1000) copy each page
      // fewer times. Durability is the same; the WAL file grows to about 16 MiB between checkpoints.
      db.pragma('cache_size = -16384');
      db.pragma('wal_autocheckpoint = 4000');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, dialect, opts.now);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Creates the database file with mode 0600 whatever the umask, before SQLite opens it. SQLite gives
 * its -wal and -shm files the mode of the database file, so they are private too. An existing file
 * keeps the mode its owner chose.
 */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', ALERTS_DB_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    fchmodSync(fd, ALERTS_DB_MODE);
  } finally {
    closeSync(fd);
  }
}

/**
 * Brings the schema to the latest version, all pending migrations in one IMMEDIATE transaction
 * (SQLite DDL is transactional): two processes opening a new file cannot both migrate it, and a
 * failed migration leaves the previous version intact. A read-only opener only checks the version.
 */
function migrate(db: Database.Database, dialect: SqlDialect, now: () => number): void {
  const sql = dialect.sql;
  const currentVersion = (): number => {
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).get();
    return hasTable ? Number((db.prepare(sql.selectSchemaVersion).get() as { version: number }).version) : 0;
  };
  if (db.readonly) {
    const version = currentVersion();
    if (pendingMigrations(dialect.migrations, version).length > 0) {
      throw new Error(`database schema is version ${version}; open it once with the daemon (writable) to migrate it`);
    }
    return;
  }
  db.transaction(() => {
    db.exec(sql.createSchemaVersion);
    const record = db.prepare(sql.insertSchemaVersion);
    for (const m of pendingMigrations(dialect.migrations, currentVersion())) {
      for (const stmt of m.statements) db.exec(stmt);
      record.run(m.version, now(), m.description);
    }
  }).immediate();
}
