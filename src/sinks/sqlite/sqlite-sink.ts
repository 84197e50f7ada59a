import { hostname as osHostname, arch, release, type as osType } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Alert } from '../../alerts/alert.js';
import type { BatchResult, Sink } from '../sink.js';
import { SinkError, SinkErrorCodes } from '../sink-error.js';
import type { AlertQuery } from '../sql/alert-query.js';
import { refusedAlert, toAlertRows, type AlertRow } from '../sql/alert-row.js';
import type { SqlDialect } from '../sql/dialect.js';
import { runStepsSync, serverSteps, StoreCaches, writeRowsSteps, type BatchCounts, type SqlValue } from '../sql/write-steps.js';
import { SqliteAlertQuery } from './sqlite-alert-query.js';
import { openAlertsDatabase } from './sqlite-database.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { SqliteStepRunner } from './sqlite-steps.js';

/**
 * Alerts into `<stateDir>/alerts.db` (SQLite, WAL, synchronous=NORMAL, mode 0600), in the OSSEC
 * os_dbd schema adapted (sql/dialect.ts). What this fixes from OSSEC's dbd (ossec-platform.md 3.5):
 * parameters only (no escaping, no lost alerts for a `'` in a location), locations and logs stored
 * whole, the event time rather than the insertion time, signatures actually filled, and a replayed
 * alert stored once (unique alertid).
 *
 * Error contract (sink-error.ts): `write` stores the alert or throws a SinkError (DATA: refused,
 * nothing stored; IO: the database failed, nothing stored). `writeBatch` stores all good alerts
 * of the batch in one transaction and returns the refused ones; it throws IO when the database
 * fails, and then retrying the whole batch is safe, since stored alerts are skipped on replay.
 */
export interface SqliteSinkOptions {
  stateDir: string;
  /** Default `<stateDir>/alerts.db`. */
  path?: string;
  /** This server's row in `server`. Default: os.hostname(). */
  serverName?: string;
  /** Recorded in `server.version`. */
  serverVersion?: string;
  /** Clock for inserted_at, server.last_contact and schema_version.applied_at. Default Date.now. */
  now?: () => number;
}

export type { BatchResult } from '../sink.js';

export class SqliteSink implements Sink {
  readonly name = 'sqlite';
  readonly path: string;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly dialect: SqlDialect;
  private readonly serverId: SqlValue;
  private readonly steps: SqliteStepRunner;
  private readonly query: SqliteAlertQuery;
  private readonly insertBatch: (rows: readonly AlertRow[]) => BatchCounts;
  private readonly caches = new StoreCaches();
  private closed = false;

  constructor(opts: SqliteSinkOptions, dialect: SqlDialect = sqliteDialect) {
    this.path = opts.path ?? join(opts.stateDir, 'alerts.db');
    this.now = opts.now ?? Date.now;
    this.dialect = dialect;
    try {
      this.db = openAlertsDatabase(this.path, dialect, { now: this.now });
    } catch (err) {
      throw new SinkError(SinkErrorCodes.OPEN, this.name, `cannot open ${this.path}`, { cause: err });
    }
    try {
      this.steps = new SqliteStepRunner(this.db);
      const server = { hostname: opts.serverName ?? osHostname(), version: opts.serverVersion ?? '', information: serverInformation(), now: this.now() };
      this.serverId = this.db.transaction(() => runStepsSync(serverSteps(dialect, server), this.steps.exec))();
      this.query = new SqliteAlertQuery(this.db, dialect);
      // One transaction per batch, driven synchronously through the shared algorithm (write-steps.ts).
      this.insertBatch = this.db.transaction((rows: readonly AlertRow[]) =>
        runStepsSync(writeRowsSteps(this.dialect, { serverId: this.serverId, caches: this.caches, insertedAt: this.now() }, rows), this.steps.exec),
      );
    } catch (err) {
      this.db.close();
      throw new SinkError(SinkErrorCodes.OPEN, this.name, `cannot prepare ${this.path}`, { cause: err });
    }
  }

  write(alert: Alert): void {
    const result = this.writeBatch([alert]);
    if (result.rejected.length > 0) throw result.rejected[0];
  }

  writeBatch(alerts: readonly Alert[]): BatchResult {
    if (this.closed) throw new SinkError(SinkErrorCodes.CLOSED, this.name, 'write after close');
    const { rows, rejected } = toAlertRows(alerts, this.name);
    if (rows.length === 0) return { inserted: 0, duplicates: 0, rejected };
    try {
      return { ...this.insertBatch(rows), rejected };
    } catch (err) {
      // The transaction rolled back: ids cached during it may name rows that no longer exist.
      this.clearCaches();
      if (!isDataError(err)) throw this.ioError(rows, err);
    }
    // One alert's data broke the batch (checks in alert-row.ts should prevent it; this is the
    // safety net): store each alert in its own transaction to keep the good ones.
    let inserted = 0;
    let duplicates = 0;
    for (const row of rows) {
      try {
        const r = this.insertBatch([row]);
        inserted += r.inserted;
        duplicates += r.duplicates;
      } catch (err) {
        this.clearCaches();
        if (!isDataError(err)) throw this.ioError([row], err);
        rejected.push(refusedAlert(this.name, row.alertId, err));
      }
    }
    return { inserted, duplicates, rejected };
  }

  /** Stored alerts, newest first unless `order: 'oldest'`. Throws RangeError/TypeError for a bad filter. */
  queryAlerts(q: AlertQuery = {}): Alert[] {
    if (this.closed) throw new SinkError(SinkErrorCodes.CLOSED, this.name, 'query after close');
    return this.query.run(q);
  }

  /** Every write is already committed; closing checkpoints the WAL into the main file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } catch (err) {
      throw new SinkError(SinkErrorCodes.IO, this.name, 'cannot close', { cause: err });
    }
  }

  private clearCaches(): void {
    this.caches.clear();
  }


  private ioError(rows: readonly AlertRow[], err: unknown): SinkError {
    const what = rows.length === 1 ? 'alert not stored' : `batch of ${rows.length} alerts not stored`;
    return new SinkError(SinkErrorCodes.IO, this.name, what, { alertId: rows.length === 1 ? rows[0].alertId : undefined, cause: err });
  }
}

/** `server.information`, as OSSEC's dbd filled it (uname). */
export function serverInformation(): string {
  return `${osType()} ${release()} ${arch()}`;
}

/**
 * Errors that belong to one alert's values rather than to the database: a constraint it breaks,
 * a value too big or of the wrong kind for binding. Anything else (I/O, full disk, busy) is the
 * database's and fails the whole batch.
 */
function isDataError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH');
}
