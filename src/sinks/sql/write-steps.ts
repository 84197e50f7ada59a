import type { Alert } from '../../alerts/alert.js';
import { planAlertQuery, type AlertQuery } from './alert-query.js';
import { fromStoredAlert, insertAlertParams, type AlertRow, type RowId, type StoredAlertColumns } from './alert-row.js';
import type { SqlDialect } from './dialect.js';

/**
 * How alerts are written to (and read from) the SQL store, once for every database. The algorithm
 * is a generator that yields the statements to run and receives their results, so the same code
 * drives better-sqlite3 synchronously inside its transaction and pg / mysql2 asynchronously over
 * the network (a "sans-I/O" core): SQLite, PostgreSQL and MySQL store an alert the same way.
 *
 * A batch costs a fixed number of round trips however many alerts it holds: lookups of servers,
 * locations, agents, categories and signatures are cached (hits cost nothing), and alerts and
 * their data rows go in multi-row INSERTs. Parameters only: no value is ever part of the SQL.
 */
export type SqlValue = string | number | null;

export interface SqlStep {
  /** `run`: answer is the number of rows changed; `all`: answer is the rows. */
  readonly kind: 'run' | 'all';
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

export type SqlRow = Record<string, unknown>;
export type StepAnswer = number | SqlRow[];
export type Steps<T> = Generator<SqlStep, T, StepAnswer>;

/** Ids already known to exist. Dropped whole on any failed transaction (they may name rolled-back rows). */
export class StoreCaches {
  /** Past this many entries a cache is emptied, bounding memory with many distinct locations. */
  static readonly LIMIT = 10_000;
  readonly locations = new Map<string, SqlValue>();
  readonly agents = new Map<string, SqlValue>();
  readonly categories = new Map<string, SqlValue>();
  /** rule id -> level, description and groups last written to signature / mapping. */
  readonly signatures = new Map<number, string>();

  clear(): void {
    this.locations.clear();
    this.agents.clear();
    this.categories.clear();
    this.signatures.clear();
  }
}

export interface BatchCounts {
  inserted: number;
  duplicates: number;
}

function* run(sql: string, params: readonly SqlValue[]): Steps<number> {
  return (yield { kind: 'run', sql, params }) as number;
}

function* all(sql: string, params: readonly SqlValue[]): Steps<SqlRow[]> {
  return (yield { kind: 'all', sql, params }) as SqlRow[];
}

/** This server's row, inserted or refreshed; returns its id. */
export function* serverSteps(
  dialect: SqlDialect,
  server: { hostname: string; version: string; information: string; now: number },
): Steps<SqlValue> {
  yield* run(dialect.sql.upsertServer, [server.hostname, server.version, server.information, server.now]);
  const rows = yield* all(dialect.sql.selectServer, [server.hostname]);
  if (rows.length !== 1) throw new Error(`server row for ${JSON.stringify(server.hostname)} not found after insert`);
  return rows[0].id as SqlValue;
}

/**
 * Stores `rows` (already checked by toAlertRow) for server `serverId`. Alerts already stored (same
 * server and alertid) are skipped, so replaying a batch after a failure or a crash is harmless.
 * Must run inside one transaction.
 */
export function* writeRowsSteps(
  dialect: SqlDialect,
  ctx: { serverId: SqlValue; caches: StoreCaches; insertedAt: number },
  rows: readonly AlertRow[],
): Steps<BatchCounts> {
  const { caches, serverId } = ctx;
  const sql = dialect.sql;

  for (const row of rows) yield* signatureSteps(dialect, caches, row);

  const locationIds = new Map<string, SqlValue>();
  const agentIds = new Map<string, SqlValue>();
  for (const row of rows) {
    if (!locationIds.has(row.location)) {
      let id = caches.locations.get(row.location);
      if (id === undefined) {
        yield* run(sql.insertLocation, [serverId, row.location]);
        id = (yield* one(sql.selectLocation, [serverId, row.location], 'location')).id as SqlValue;
        remember(caches.locations, row.location, id);
      }
      locationIds.set(row.location, id);
    }
    const agentKey = agentCacheKey(row);
    if (!agentIds.has(agentKey)) {
      let id = caches.agents.get(agentKey);
      if (id === undefined) {
        const params = [serverId, row.agentKey, row.agentName, row.agentIp];
        yield* run(sql.insertAgent, params);
        id = (yield* one(sql.selectAgent, params, 'agent')).id as SqlValue;
        remember(caches.agents, agentKey, id);
      }
      agentIds.set(agentKey, id);
    }
  }

  // Repeats inside the batch itself go once; alerts stored already (a replay) are skipped by the INSERT.
  const unique = new Map<string, AlertRow>();
  for (const row of rows) if (!unique.has(row.alertId)) unique.set(row.alertId, row);
  const insertParams = (chunk: readonly AlertRow[]): SqlValue[] => {
    const params: SqlValue[] = [];
    for (const row of chunk) {
      const ids = { serverId: rowId(serverId), locationId: rowId(locationIds.get(row.location)), agentId: rowId(agentIds.get(agentCacheKey(row))) };
      params.push(...insertAlertParams(row, ids, ctx.insertedAt));
    }
    return params;
  };

  let fresh: AlertRow[];
  let alertIds: Map<string, SqlValue> | undefined;
  if (dialect.insertAlertsReturning) {
    // The INSERT answers the ids of the rows it added: no lookup before or after it.
    alertIds = new Map();
    for (const chunk of statementChunks([...unique.values()], dialect, rowBytes)) {
      for (const r of yield* all(dialect.insertAlertsReturning(chunk.length), insertParams(chunk))) alertIds.set(String(r.alertid), r.id as SqlValue);
    }
    fresh = [...unique.values()].filter((r) => alertIds!.has(r.alertId));
  } else {
    const stored = yield* alertIdsSteps(dialect, serverId, [...unique.keys()]);
    fresh = [...unique.values()].filter((r) => !stored.has(r.alertId));
    for (const chunk of statementChunks(fresh, dialect, rowBytes)) yield* run(dialect.insertAlerts(chunk.length), insertParams(chunk));
  }

  const withData = fresh.filter((r) => r.fields.length > 0);
  if (withData.length > 0) {
    const ids = alertIds ?? (yield* alertIdsSteps(dialect, serverId, withData.map((r) => r.alertId)));
    const data: Array<[SqlValue, string, string]> = [];
    for (const row of withData) {
      const id = ids.get(row.alertId);
      if (id === undefined) throw new Error(`alert ${row.alertId} not found after insert`);
      for (const [name, value] of row.fields) data.push([id, name, value]);
    }
    for (const chunk of statementChunks(data, { ...dialect, maxRowsPerStatement: dialect.maxRowsPerStatement * 4 }, (d) => 3 * (d[1].length + d[2].length) + 16)) {
      yield* run(dialect.insertData(chunk.length), chunk.flat());
    }
  }
  return { inserted: fresh.length, duplicates: rows.length - fresh.length };
}

/** Stored alerts matching `q`, whole (fields, context, previous output, diff). */
export function* queryAlertsSteps(dialect: SqlDialect, q: AlertQuery = {}): Steps<Alert[]> {
  const plan = planAlertQuery(q);
  const rows = (yield* all(dialect.selectAlerts(plan.shape), plan.params)) as unknown as StoredAlertColumns[];
  const out: Alert[] = [];
  for (const row of rows) {
    const data = (yield* all(dialect.sql.selectData, [row.row_id])) as Array<{ name: string; value: string }>;
    out.push(fromStoredAlert(row, data));
  }
  return out;
}

/** signature row and its category mappings, written when this process first sees the rule or it changed. */
function* signatureSteps(dialect: SqlDialect, caches: StoreCaches, row: AlertRow): Steps<void> {
  const key = `${row.level}\u0000${row.description}\u0000${row.groups.join('\u0000')}`;
  if (caches.signatures.get(row.ruleId) === key) return;
  const sql = dialect.sql;
  yield* run(sql.upsertSignature, [row.ruleId, row.level, row.description]);
  yield* run(sql.deleteSignatureMappings, [row.ruleId]);
  for (const group of row.groups) {
    let catId = caches.categories.get(group);
    if (catId === undefined) {
      yield* run(sql.insertCategory, [group]);
      catId = (yield* one(sql.selectCategory, [group], 'category')).cat_id as SqlValue;
      remember(caches.categories, group, catId);
    }
    yield* run(sql.insertSignatureMapping, [row.ruleId, catId]);
  }
  if (caches.signatures.size >= StoreCaches.LIMIT) caches.signatures.clear();
  caches.signatures.set(row.ruleId, key);
}

function* alertIdsSteps(dialect: SqlDialect, serverId: SqlValue, alertIds: string[]): Steps<Map<string, SqlValue>> {
  const out = new Map<string, SqlValue>();
  for (const chunk of powerOfTwoChunks(alertIds, dialect.maxRowsPerStatement * 4)) {
    for (const r of yield* all(dialect.selectAlertIds(chunk.length), [serverId, ...chunk])) out.set(String(r.alertid), r.id as SqlValue);
  }
  return out;
}

function* one(sql: string, params: readonly SqlValue[], what: string): Steps<SqlRow> {
  const rows = yield* all(sql, params);
  if (rows.length === 0) throw new Error(`${what} row not found after insert`);
  return rows[0];
}

function rowId(v: SqlValue | undefined): RowId {
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new Error('row id missing');
}

function agentCacheKey(row: AlertRow): string {
  return `${row.agentKey}\u0000${row.agentName}\u0000${row.agentIp}`;
}

function remember<K>(cache: Map<K, SqlValue>, key: K, id: SqlValue): void {
  if (cache.size >= StoreCaches.LIMIT) cache.clear();
  cache.set(key, id);
}

/** An upper bound of a row's bytes on the wire: UTF-16 length x 3 covers any UTF-8 encoding. */
function rowBytes(row: AlertRow): number {
  let n = 256 + row.fullLog.length + row.location.length + row.description.length + row.context.length;
  n += (row.previousOutput?.length ?? 0) + (row.diff?.length ?? 0) + row.hostname.length + (row.dstUser?.length ?? 0);
  return 3 * n;
}

/** Rows per statement: under the dialect's row and byte limits, in power-of-two counts. */
function statementChunks<T>(items: readonly T[], limits: Pick<SqlDialect, 'maxRowsPerStatement' | 'maxBytesPerStatement'>, bytes: (item: T) => number): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let size = 0;
  for (const item of items) {
    const b = bytes(item);
    if (group.length > 0 && size + b > limits.maxBytesPerStatement) {
      out.push(...powerOfTwoChunks(group, limits.maxRowsPerStatement));
      group = [];
      size = 0;
    }
    group.push(item);
    size += b;
  }
  if (group.length > 0) out.push(...powerOfTwoChunks(group, limits.maxRowsPerStatement));
  return out;
}

/**
 * Splits into chunks whose sizes are powers of two (at most `max`), largest first: a batch of any
 * size then uses at most log2(max)+1 distinct statement texts, so prepared-statement caches (and
 * MySQL's server-side statement limit) stay small.
 */
export function powerOfTwoChunks<T>(items: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  let i = 0;
  while (i < items.length) {
    let size = max;
    while (size > items.length - i) size >>= 1;
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Runs steps against a synchronous driver (better-sqlite3). */
export function runStepsSync<T>(steps: Steps<T>, exec: (step: SqlStep) => StepAnswer): T {
  let r = steps.next();
  while (!r.done) r = steps.next(exec(r.value));
  return r.value;
}

/** Runs steps against an asynchronous driver (pg, mysql2). */
export async function runStepsAsync<T>(steps: Steps<T>, exec: (step: SqlStep) => Promise<StepAnswer>): Promise<T> {
  let r = steps.next();
  while (!r.done) r = steps.next(await exec(r.value));
  return r.value;
}
