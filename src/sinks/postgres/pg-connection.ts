import pg from 'pg';
import { pendingMigrations } from '../sql/migration.js';
import type { SqlConnection, SqlServerTarget } from '../sql/sql-connection.js';
import type { SqlRow, SqlStep, SqlValue, StepAnswer } from '../sql/write-steps.js';
import { escapeNul, unescapeNul } from './nul-escape.js';
import { pgDialect } from './pg-dialect.js';

/** Any constant: the key of the advisory lock that serialises schema migrations. */
const MIGRATION_LOCK = 0x05ba7201;

/**
 * A SqlConnection over one `pg` Client (no pool: one delivery loop, one connection, statements in
 * order). Every string parameter goes through escapeNul and every string read back through
 * unescapeNul (nul-escape.ts); the extended protocol binds all values, nothing is interpolated.
 */
export async function connectPostgres(target: SqlServerTarget): Promise<SqlConnection> {
  const client = new pg.Client({
    host: target.socket ?? target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectionTimeoutMillis: target.connectTimeoutMs ?? 10_000,
    query_timeout: target.queryTimeoutMs ?? 60_000,
    keepAlive: true,
    application_name: 'ospatrol',
  });
  const conn = new PgConnection(client);
  try {
    await client.connect();
  } catch (err) {
    await conn.close();
    throw err;
  }
  return conn;
}

class PgConnection implements SqlConnection {
  readonly dialect = pgDialect;
  broken = false;
  private closed = false;

  constructor(private readonly client: pg.Client) {
    // Without a listener an error on an idle connection (server restart) would crash the process.
    client.on('error', () => {
      this.broken = true;
    });
    client.on('end', () => {
      this.broken = true;
    });
  }

  async exec(step: SqlStep): Promise<StepAnswer> {
    const res = await this.query(step.sql, step.params);
    return step.kind === 'all' ? res.rows.map(decodeRow) : (res.rowCount ?? 0);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.query('BEGIN');
    try {
      const out = await fn();
      await this.query('COMMIT');
      return out;
    } catch (err) {
      if (!this.broken) await this.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async migrate(now: number): Promise<void> {
    const sql = this.dialect.sql;
    await this.transaction(async () => {
      await this.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await this.query(sql.createSchemaVersion);
      const current = Number((await this.query(sql.selectSchemaVersion)).rows[0].version);
      for (const m of pendingMigrations(this.dialect.migrations, current)) {
        for (const stmt of m.statements) await this.query(stmt);
        await this.query(sql.insertSchemaVersion, [m.version, now, m.description]);
      }
    });
  }

  isDataError(err: unknown): boolean {
    if (err instanceof TypeError || err instanceof RangeError) return true;
    // SQLSTATE class 22: data exception (bad encoding, value too long); 23: integrity constraint.
    return err instanceof pg.DatabaseError && /^2[23]/.test(err.code ?? '');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.broken = true;
    await this.client.end().catch(() => undefined);
  }

  private async query(text: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult<SqlRow>> {
    try {
      // Unnamed statements on purpose: named (prepared once per connection) ones measured about
      // five times slower for the multi-row INSERTs of write-steps.ts (570 vs 2800 alerts/s).
      return await this.client.query<SqlRow>({ text, values: params.map((v) => (typeof v === 'string' ? escapeNul(v) : v)) });
    } catch (err) {
      // A SQLSTATE means the server answered and the connection is fine; anything else
      // (socket closed, timeout, protocol error) leaves it unusable.
      if (!(err instanceof pg.DatabaseError) || /^(08|57|53|58|XX)/.test(err.code ?? '')) this.broken = true;
      throw err;
    }
  }
}

function decodeRow(row: SqlRow): SqlRow {
  for (const k of Object.keys(row)) {
    const v = row[k];
    if (typeof v === 'string') row[k] = unescapeNul(v);
  }
  return row;
}
