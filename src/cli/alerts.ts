import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Alert } from '../alerts/alert.js';
import { formatAlertJson } from '../alerts/alerts-json-format.js';
import { formatAlertsLog } from '../alerts/alerts-log-format.js';
import { loadConfig } from '../config/load.js';
import { databaseType } from '../config/sections/outputs.js';
import { ErrorCodes, OspatrolError } from '../errors.js';
import type { AlertQuery } from '../sinks/sql/alert-query.js';
import { connectServer, describeTarget, serverTarget } from '../sinks/sql/sql-connection.js';
import { queryAlertsSteps, runStepsAsync } from '../sinks/sql/write-steps.js';
import { SqliteAlertReader } from '../sinks/sqlite/sqlite-alert-reader.js';
import { printLoadError } from './errors.js';

export interface AlertsOptions {
  dir: string;
  /** Read the `<database_output>` of this type in `config` instead of the embedded store. */
  database?: string;
  config?: string;
  level?: string;
  rule?: string;
  agent?: string;
  since?: string;
  limit?: string;
  follow?: boolean;
  json?: boolean;
}

/** How far back `--follow` looks again each poll, for alerts stored late (an output catching up). */
const FOLLOW_WINDOW_MS = 5 * 60_000;
const FOLLOW_POLL_MS = 1000;

/** Where alerts are read from: a SQLite file (synchronous) or a database server. */
interface AlertSource {
  queryAlerts(q: AlertQuery): Alert[] | Promise<Alert[]>;
  close(): void | Promise<void>;
}

/**
 * `ospatrol alerts`: alerts from the state directory's SQLite store (`<dir>/alerts.db`), or with
 * `--database TYPE` from the configuration's `<database_output>` of that type (PostgreSQL, MySQL,
 * a second SQLite file), oldest first, printed as alerts.log shows them (or as alerts.json lines
 * with `--json`). Without `--since` it prints the last `--limit` (100); with it, everything since
 * then. `--follow` keeps printing new alerts as they are stored. Read-only: it never creates or
 * migrates a store, and is safe beside a running daemon.
 */
export async function alertsCommand(opts: AlertsOptions): Promise<void> {
  let reader: AlertSource;
  let query: AlertQuery;
  try {
    query = buildQuery(opts, Date.now());
    reader = await openSource(opts);
  } catch (e) {
    printLoadError(e instanceof OspatrolError || !(e instanceof Error) ? e : new OspatrolError(ErrorCodes.USAGE, e.message));
    process.exitCode = 1;
    return;
  }
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // `ospatrol alerts | head`: the reader went away; that is the end, not an error.
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const print = (a: Alert): void => {
    process.stdout.write(opts.json ? `${formatAlertJson(a)}\n` : formatAlertsLog(a));
  };
  try {
    const first = query.since !== undefined ? await reader.queryAlerts(query) : (await reader.queryAlerts({ ...query, order: 'newest' })).reverse();
    for (const a of first) print(a);
    if (!opts.follow) return;
    // Follow: poll for alerts stored since, looking a little back for late ones; each printed once.
    const seen = new Map<string, number>();
    let newest = first.reduce((m, a) => Math.max(m, a.timestamp), query.since instanceof Date ? query.since.getTime() : (query.since ?? 0));
    for (const a of first) seen.set(a.id, a.timestamp);
    for (;;) {
      await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
      const since = Math.max(0, Math.min(newest, Date.now()) - FOLLOW_WINDOW_MS);
      for (const a of await reader.queryAlerts({ ...query, since, order: 'oldest', limit: 100_000 })) {
        if (seen.has(a.id)) continue;
        seen.set(a.id, a.timestamp);
        newest = Math.max(newest, a.timestamp);
        print(a);
      }
      for (const [id, ts] of seen) if (ts < since) seen.delete(id);
    }
  } catch (e) {
    // A database server gone away, a store that is not one: said in one line, exit status 1.
    process.stderr.write(`ospatrol: cannot read alerts: ${(e as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await reader.close();
  }
}

async function openSource(opts: AlertsOptions): Promise<AlertSource> {
  if (opts.database === undefined) return openSqlite(join(opts.dir, 'alerts.db'), `(has "ospatrol local -D ${opts.dir}" run?)`);
  const type = databaseType(opts.database);
  if (type === undefined) throw new OspatrolError(ErrorCodes.USAGE, `--database takes postgresql, mysql or sqlite, not "${opts.database}"`);
  const file = opts.config ?? 'etc/ospatrol.conf';
  const db = loadConfig(file).databaseOutputs.find((d) => d.type === type);
  if (db === undefined) throw new OspatrolError(ErrorCodes.USAGE, `${file} has no <database_output> of type ${type}`);
  if (db.type === 'sqlite') return openSqlite(resolve(opts.dir, db.database), '');
  const target = serverTarget(db);
  const conn = await connectServer(db.type, target).catch((e: unknown) => {
    // The target is described without its password.
    throw new OspatrolError(ErrorCodes.USAGE, `cannot connect to ${describeTarget(db.type, target)}: ${(e as Error).message}`);
  });
  return {
    queryAlerts: (q) => runStepsAsync(queryAlertsSteps(conn.dialect, q), (step) => conn.exec(step)),
    close: () => conn.close(),
  };
}

function openSqlite(path: string, hint: string): AlertSource {
  if (!existsSync(path)) throw new OspatrolError(ErrorCodes.USAGE, `no alert store at ${path}${hint ? ` ${hint}` : ''}`);
  return new SqliteAlertReader(path);
}

function buildQuery(opts: AlertsOptions, now: number): AlertQuery {
  const q: AlertQuery = {};
  if (opts.level !== undefined) q.level = wholeNumber('--level', opts.level);
  if (opts.rule !== undefined) q.ruleId = wholeNumber('--rule', opts.rule);
  if (opts.agent !== undefined) q.agent = opts.agent;
  if (opts.since !== undefined) q.since = parseSince(opts.since, now);
  const limit = opts.limit !== undefined ? wholeNumber('--limit', opts.limit) : undefined;
  if (limit === 0) throw new OspatrolError(ErrorCodes.USAGE, '--limit must be at least 1');
  q.limit = limit ?? (q.since !== undefined ? 1_000_000 : 100);
  q.order = 'oldest';
  return q;
}

function wholeNumber(name: string, v: string): number {
  if (!/^\d{1,9}$/.test(v)) throw new OspatrolError(ErrorCodes.USAGE, `${name} must be a whole number, got "${v}"`);
  return Number(v);
}

/**
 * `--since`: a duration back from now (`90s`, `10m`, `2h`, `7d`), epoch seconds (or milliseconds,
 * 13 digits), or a date and time (`2026-11-24`, `2026-11-24 10:00`, ISO 8601; local time unless
 * it says otherwise).
 */
export function parseSince(v: string, now: number): number {
  const t = v.trim();
  const rel = /^(\d+)\s*([smhdw])$/.exec(t);
  if (rel) return now - Number(rel[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[2] as 's']!;
  if (/^\d{13}$/.test(t)) return Number(t);
  if (/^\d{9,10}$/.test(t)) return Number(t) * 1000;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00` : t.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'));
  if (Number.isNaN(ms)) {
    throw new OspatrolError(ErrorCodes.USAGE, `--since must be a duration (10m, 2h, 1d), epoch seconds or a date (2026-11-24 10:00), got "${v}"`);
  }
  return ms;
}
