import { hostname as osHostname } from 'node:os';
import type { Alert } from '../../alerts/alert.js';
import type { BatchResult } from '../sink.js';
import { SinkError, SinkErrorCodes } from '../sink-error.js';
import { serverInformation } from '../sqlite/sqlite-sink.js';
import type { AlertQuery } from './alert-query.js';
import { refusedAlert, toAlertRows, type AlertRow } from './alert-row.js';
import type { SqlConnection } from './sql-connection.js';
import { queryAlertsSteps, runStepsAsync, serverSteps, StoreCaches, writeRowsSteps, type SqlValue } from './write-steps.js';

/**
 * Alerts into a database server (PostgreSQL, MySQL / MariaDB) through the same algorithm and
 * logical schema as the embedded SQLite store (write-steps.ts). It connects on first use, creates
 * or migrates the schema, and reconnects after a failure; it never retries by itself: a failed
 * batch throws and the delivery loop (delivery/output-runner.ts) retries it with back-off, which is
 * safe because a replayed alert is skipped (unique server_id + alertid).
 *
 * Error contract (sink-error.ts): `writeBatch` stores every good alert of the batch in one
 * transaction and returns the refused ones (DATA); when the server or network fails it throws IO
 * and nothing of the batch is committed.
 */
export interface SqlDatabaseSinkOptions {
  /** `postgresql` or `mysql`, for errors. */
  name: string;
  /** Opens a new connection; called again after a failure. */
  connect: () => Promise<SqlConnection>;
  /** This server's row in `server`. Default os.hostname(). */
  serverName?: string;
  serverVersion?: string;
  now?: () => number;
}

export class SqlDatabaseSink {
  readonly name: string;
  private conn: SqlConnection | undefined;
  private serverId: SqlValue | undefined;
  private readonly caches = new StoreCaches();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: SqlDatabaseSinkOptions) {
    this.name = opts.name;
    this.now = opts.now ?? Date.now;
  }

  async writeBatch(alerts: readonly Alert[]): Promise<BatchResult> {
    if (this.closed) throw new SinkError(SinkErrorCodes.CLOSED, this.name, 'write after close');
    const { rows, rejected } = toAlertRows(alerts, this.name);
    if (rows.length === 0) return { inserted: 0, duplicates: 0, rejected };
    const conn = await this.open();
    try {
      return { ...(await this.insert(conn, rows)), rejected };
    } catch (err) {
      this.caches.clear();
      if (conn.broken || !conn.isDataError(err)) throw await this.fail(rows, err);
    }
    // One alert's values broke the batch: store each alert alone to keep the good ones.
    let inserted = 0;
    let duplicates = 0;
    for (const row of rows) {
      try {
        const r = await this.insert(conn, [row]);
        inserted += r.inserted;
        duplicates += r.duplicates;
      } catch (err) {
        this.caches.clear();
        if (conn.broken || !conn.isDataError(err)) throw await this.fail([row], err);
        rejected.push(refusedAlert(this.name, row.alertId, err));
      }
    }
    return { inserted, duplicates, rejected };
  }

  /** Stored alerts, newest first unless `order: 'oldest'`. Throws RangeError/TypeError for a bad filter. */
  async queryAlerts(q: AlertQuery = {}): Promise<Alert[]> {
    if (this.closed) throw new SinkError(SinkErrorCodes.CLOSED, this.name, 'query after close');
    const conn = await this.open();
    try {
      return await runStepsAsync(queryAlertsSteps(conn.dialect, q), conn.exec.bind(conn));
    } catch (err) {
      if (err instanceof RangeError || err instanceof TypeError) throw err;
      throw await this.fail([], err);
    }
  }

  /** Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const conn = this.conn;
    this.conn = undefined;
    await conn?.close();
  }

  private insert(conn: SqlConnection, rows: readonly AlertRow[]): Promise<{ inserted: number; duplicates: number }> {
    const ctx = { serverId: this.serverId as SqlValue, caches: this.caches, insertedAt: this.now() };
    return conn.transaction(() => runStepsAsync(writeRowsSteps(conn.dialect, ctx, rows), conn.exec.bind(conn)));
  }

  /** The open connection, or a new one with the schema migrated and this server's row in place. */
  private async open(): Promise<SqlConnection> {
    if (this.conn && !this.conn.broken) return this.conn;
    await this.drop();
    let conn: SqlConnection | undefined;
    try {
      conn = await this.opts.connect();
      await conn.migrate(this.now());
      const c = conn;
      const server = { hostname: this.opts.serverName ?? osHostname(), version: this.opts.serverVersion ?? '', information: serverInformation(), now: this.now() };
      this.serverId = await c.transaction(() => runStepsAsync(serverSteps(c.dialect, server), c.exec.bind(c)));
    } catch (err) {
      await conn?.close();
      throw new SinkError(SinkErrorCodes.IO, this.name, 'cannot connect', { cause: err });
    }
    this.caches.clear();
    this.conn = conn;
    return conn;
  }

  /** The connection is dropped after a failure that is not one alert's: the next batch reconnects. */
  private async fail(rows: readonly AlertRow[], err: unknown): Promise<SinkError> {
    await this.drop();
    const what = rows.length === 0 ? 'query failed' : rows.length === 1 ? 'alert not stored' : `batch of ${rows.length} alerts not stored`;
    return new SinkError(SinkErrorCodes.IO, this.name, what, { alertId: rows.length === 1 ? rows[0].alertId : undefined, cause: err });
  }

  private async drop(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    this.caches.clear();
    await conn?.close();
  }

}
