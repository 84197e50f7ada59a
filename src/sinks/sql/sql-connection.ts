import type { DatabaseOutputConfig } from '../../config/model.js';
import type { SqlDialect } from './dialect.js';
import type { SqlStep, StepAnswer } from './write-steps.js';

/**
 * One connection to a database server (PostgreSQL, MySQL), as SqlDatabaseSink needs it. The
 * drivers (postgres/pg-connection.ts, mysql/mysql-connection.ts) hide pg and mysql2; what they
 * must guarantee is here.
 */
export interface SqlConnection {
  readonly dialect: SqlDialect;
  /** Runs one statement with bound parameters: `run` answers rows changed, `all` the rows. */
  exec(step: SqlStep): Promise<StepAnswer>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Brings the schema to the latest version of dialect.migrations, holding a server-side lock so
   * two OSPatrol processes sharing a database do not migrate it at once. Throws on a database
   * newer than this build.
   */
  migrate(now: number): Promise<void>;
  /**
   * True for errors that belong to one alert's values (a constraint, a value too long or not
   * encodable), false for the database's or the network's (then the batch is retried later).
   */
  isDataError(err: unknown): boolean;
  /** Set once the connection failed (server gone, network error); a new one is needed. */
  readonly broken: boolean;
  /** Idempotent; never throws. */
  close(): Promise<void>;
}

/** Where to connect. The password is never logged: describe with `describeTarget`. */
export interface SqlServerTarget {
  host: string;
  port: number;
  /** A Unix socket (MySQL) or socket directory (PostgreSQL) instead of host:port. */
  socket?: string;
  user: string;
  password: string;
  database: string;
  /** Give up connecting after this long. Default 10 s. */
  connectTimeoutMs?: number;
  /** Give up on one statement after this long. Default 60 s. */
  queryTimeoutMs?: number;
}

/** `user@host:port/database`, for logs and status: no password. */
export function describeTarget(kind: string, t: SqlServerTarget): string {
  return `${kind}://${t.user}@${t.socket ?? `${t.host}:${t.port}`}/${t.database}`;
}

/** The server a `<database_output>` of type postgresql or mysql names. */
export function serverTarget(db: DatabaseOutputConfig): SqlServerTarget {
  return { host: db.hostname, port: db.port, socket: db.socket, user: db.username, password: db.password, database: db.database };
}

/**
 * A new connection to that server. The client library loads only now: pg and mysql2 cost about
 * 70 ms each to load, which a process without such an output never pays.
 */
export async function connectServer(type: 'postgresql' | 'mysql', target: SqlServerTarget): Promise<SqlConnection> {
  if (type === 'postgresql') return (await import('../postgres/pg-connection.js')).connectPostgres(target);
  return (await import('../mysql/mysql-connection.js')).connectMysql(target);
}
