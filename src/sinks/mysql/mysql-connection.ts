import mysql from 'mysql2/promise';
import type { SqlDialect } from '../sql/dialect.js';
import { pendingMigrations } from '../sql/migration.js';
import type { SqlConnection, SqlServerTarget } from '../sql/sql-connection.js';
import type { SqlRow, SqlStep, SqlValue, StepAnswer } from '../sql/write-steps.js';
import { mysqlDialect } from './mysql-dialect.js';

const MIGRATION_LOCK = 'ospatrol_schema_migration';

/** Binary, NO PAD collations, best first (mysql-schema.ts says why); utf8mb4_bin is the fallback. */
const EXACT_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'];

/**
 * MySQL errors that belong to one alert's values: too long (1406), bad string (1366), bad value
 * (1292, 1265), out of range (1264), NULL (1048), duplicate (1062), foreign key (1451, 1452).
 */
const DATA_ERRNOS = new Set([1406, 1366, 1292, 1265, 1264, 1048, 1062, 1451, 1452]);

/** "Already exists" answers to a migration statement re-run after an interrupted migration. */
const ALREADY_DONE_ERRNOS = new Set([1050, 1060, 1061]);

/**
 * A SqlConnection over one mysql2 connection. Statements are server-side prepared (`execute`), so
 * values travel as typed parameters and never pass through client-side escaping; the session is
 * utf8mb4 and strict, so a value the column cannot hold is an error, not a silent truncation.
 */
export async function connectMysql(target: SqlServerTarget): Promise<SqlConnection> {
  const conn = await mysql.createConnection({
    host: target.socket ? undefined : target.host,
    port: target.port,
    socketPath: target.socket,
    user: target.user,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4',
    connectTimeout: target.connectTimeoutMs ?? 10_000,
    supportBigNumbers: true,
    // With FOUND_ROWS an "ON DUPLICATE KEY UPDATE id = id" that changes nothing would count as a row.
    flags: ['-FOUND_ROWS'],
  });
  const c = new MysqlConnection(conn, target.queryTimeoutMs ?? 60_000);
  try {
    await c.init();
  } catch (err) {
    await c.close();
    throw err;
  }
  return c;
}

class MysqlConnection implements SqlConnection {
  dialect: SqlDialect = mysqlDialect('utf8mb4_bin');
  broken = false;
  private closed = false;

  constructor(
    private readonly conn: mysql.Connection,
    private readonly timeoutMs: number,
  ) {
    conn.on('error', () => {
      this.broken = true;
    });
    conn.on('end', () => {
      this.broken = true;
    });
  }

  async init(): Promise<void> {
    await this.conn.query(`SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'`);
    const [rows] = await this.conn.query<mysql.RowDataPacket[]>('SELECT COLLATION_NAME AS c FROM information_schema.COLLATIONS');
    const have = new Set(rows.map((r) => String(r.c)));
    this.dialect = mysqlDialect(EXACT_COLLATIONS.find((c) => have.has(c)) ?? 'utf8mb4_bin');
  }

  async exec(step: SqlStep): Promise<StepAnswer> {
    const res = await this.run(step.sql, step.params);
    return step.kind === 'all' ? (res as SqlRow[]) : ((res as mysql.ResultSetHeader).affectedRows ?? 0);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.guard(() => this.conn.beginTransaction());
    try {
      const out = await fn();
      await this.guard(() => this.conn.commit());
      return out;
    } catch (err) {
      if (!this.broken) await this.conn.rollback().catch(() => undefined);
      throw err;
    }
  }

  async migrate(now: number): Promise<void> {
    const sql = this.dialect.sql;
    const [lock] = await this.conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 60) AS got', [MIGRATION_LOCK]);
    if (Number(lock[0]?.got) !== 1) throw new Error('another process holds the schema migration lock');
    try {
      await this.run(sql.createSchemaVersion, []);
      const current = Number(((await this.run(sql.selectSchemaVersion, [])) as SqlRow[])[0].version);
      for (const m of pendingMigrations(this.dialect.migrations, current)) {
        for (const stmt of m.statements) {
          try {
            // DDL is sent as a plain query: not every DDL statement can be prepared.
            await this.guard(() => this.conn.query(stmt));
          } catch (err) {
            if (!ALREADY_DONE_ERRNOS.has(Number((err as { errno?: unknown }).errno))) throw err;
          }
        }
        await this.run(sql.insertSchemaVersion, [m.version, now, m.description]);
      }
    } finally {
      if (!this.broken) await this.conn.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  }

  isDataError(err: unknown): boolean {
    if (err instanceof TypeError || err instanceof RangeError) return true;
    return !this.broken && DATA_ERRNOS.has(Number((err as { errno?: unknown } | null)?.errno));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.broken = true;
    // end() waits for the server's goodbye, which never comes from a dead server.
    await Promise.race([this.conn.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    this.conn.destroy();
  }

  private run(sql: string, params: readonly SqlValue[]): Promise<unknown> {
    return this.guard(async () => (await this.conn.execute({ sql, timeout: this.timeoutMs }, params as SqlValue[]))[0]);
  }

  /** Marks the connection broken on any error that is not the server's answer to a statement. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { fatal?: boolean; sqlState?: string; errno?: number };
      if (e.fatal === true || e.sqlState === undefined) this.broken = true;
      throw err;
    }
  }
}
