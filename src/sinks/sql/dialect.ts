import type { AlertQueryShape } from './alert-query.js';
import type { Migration } from './migration.js';

/**
 * What differs between SQL databases, and nothing else: the schema's spelling (migrations) and
 * the text of each statement. The logical schema (tables, columns, meanings) and the parameter
 * order of every statement are fixed here and in alert-row.ts / alert-query.ts, so an alert
 * stored through SQLite, PostgreSQL or MySQL is the same rows. A driver (sqlite-sink.ts now)
 * prepares these texts once and binds values only as parameters: no value is ever spliced into
 * SQL, which is how OSSEC's dbd lost alerts to quotes in locations (ossec-platform.md 3.5).
 *
 * The logical schema, version 1 (OSSEC's os_dbd schema, adapted):
 * - server(id, hostname UNIQUE, version, information, last_contact)
 * - agent(id, server_id, agent_key, name, ip_address, version, information, last_contact),
 *   unique on (server_id, agent_key, name, ip_address): `agent_key` is OSSEC's agent id ("000" is
 *   the server itself); the IP is part of the identity as in OSSEC's `(name) ip` locations.
 * - location(id, server_id, name), unique on (server_id, name); names are unbounded text,
 *   stored exactly (OSSEC: VARCHAR(128), rewritten quotes).
 * - category(cat_id, cat_name UNIQUE): one row per rule group name.
 * - signature(id, rule_id UNIQUE, level, description): one row per rule seen, kept current.
 * - signature_category_mapping(id, rule_id, cat_id), unique on (rule_id, cat_id).
 * - alert(id, server_id, alertid, rule_id, level, timestamp, location_id, agent_id, hostname,
 *   src_ip, src_port, dst_ip, dst_port, dst_user, full_log, previous_output, context,
 *   rule_description, rule_groups, mail, firedtimes, rule_info, decoder_name, decoder_parent,
 *   program_name, is_hidden, inserted_at), unique on (server_id, alertid) so a replay is a no-op.
 *   `timestamp` is the event time in epoch ms (OSSEC: insertion time, epoch s); `inserted_at` the
 *   insertion time. The user column is `dst_user`, not OSSEC's `user`: that is a reserved word in
 *   PostgreSQL, where an unquoted `SELECT user` silently returns the session user (ossec-hids#308).
 * - data(id, alert_id, name, value), unique on (alert_id, name): every decoded field of an alert
 *   (Wazuh's `data{}`). OSSEC 2.7 kept user/full_log there; those now live in `alert`.
 * - schema_version(version PRIMARY KEY, applied_at, description).
 *
 * Version 2 adds alert.diff: the check_diff change as JSON ({added, removed, unified, truncated?}),
 * NULL for other alerts.
 *
 * Statements are run by one algorithm for every database (write-steps.ts); a dialect only spells
 * them. Text columns hold any Unicode text exactly, with one exception the PostgreSQL dialect
 * documents: PostgreSQL text cannot hold U+0000, so that driver escapes it (postgres/nul-escape.ts).
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgresql' | 'mysql';
  readonly migrations: readonly Migration[];
  readonly sql: AlertStoreStatements;
  /** SELECT returning StoredAlertColumns; parameters as PlannedAlertQuery.params. */
  selectAlerts(shape: AlertQueryShape): string;
  /**
   * Multi-row INSERT of `rows` alerts, each row the ALERT_INSERT_PARAMS values of
   * insertAlertParams (alert-row.ts), one after the other; nothing on conflict with
   * (server_id, alertid), so a replayed alert is skipped.
   */
  insertAlerts(rows: number): string;
  /**
   * insertAlerts answering `{ id, alertid }` of each row it added (RETURNING), where the database
   * has it (SQLite 3.35+, PostgreSQL): the store then needs no lookup of the ids it wrote.
   */
  insertAlertsReturning?(rows: number): string;
  /** (server_id, alertid x count) -> { id, alertid } of the alerts of this server among those ids. */
  selectAlertIds(count: number): string;
  /** Multi-row INSERT of `rows` data rows (alert_id, name, value) x rows; nothing on conflict. */
  insertData(rows: number): string;
  /**
   * Most rows in one multi-row statement: the bound-parameter limit (SQLite 32766, PostgreSQL and
   * MySQL 65535) divided by ALERT_INSERT_PARAMS, with room to spare. A power of two.
   */
  readonly maxRowsPerStatement: number;
  /**
   * Rough cap on the bytes of values in one statement (MySQL refuses a packet larger than
   * max_allowed_packet, 16 MiB by default in MariaDB): big alerts go in smaller statements.
   */
  readonly maxBytesPerStatement: number;
}

/** Statement texts. The comment on each gives its parameters, in order. */
export interface AlertStoreStatements {
  /** Creates schema_version if missing: it must exist before anything can be read from it. */
  createSchemaVersion: string;
  /** () -> { version } (0 when empty). */
  selectSchemaVersion: string;
  /** (version, applied_at, description) */
  insertSchemaVersion: string;
  /** (hostname, version, information, last_contact); inserts or refreshes by hostname. */
  upsertServer: string;
  /** (hostname) -> { id } */
  selectServer: string;
  /** (server_id, agent_key, name, ip_address); nothing on conflict. */
  insertAgent: string;
  /** (server_id, agent_key, name, ip_address) -> { id } */
  selectAgent: string;
  /** (server_id, name); nothing on conflict. */
  insertLocation: string;
  /** (server_id, name) -> { id } */
  selectLocation: string;
  /** (cat_name); nothing on conflict. */
  insertCategory: string;
  /** (cat_name) -> { cat_id } */
  selectCategory: string;
  /** (rule_id, level, description); inserts or updates. */
  upsertSignature: string;
  /** (rule_id): drops the rule's mappings before they are written again. */
  deleteSignatureMappings: string;
  /** (rule_id, cat_id); nothing on conflict. */
  insertSignatureMapping: string;
  /** (alert_id) -> { name, value } in insertion order. */
  selectData: string;
}

/** `?, ?, ?` groups for a multi-row VALUES list: `rows` groups of `width` placeholders. */
export function questionMarkRows(rows: number, width: number): string {
  const one = `(${Array(width).fill('?').join(', ')})`;
  return Array(rows).fill(one).join(',\n');
}

/** The columns every dialect's alert query returns (alert-query.ts reads them by these names). */
const ALERT_QUERY_COLUMNS = `
  a.id AS row_id, a.alertid, a.timestamp, a.rule_id, a.level, a.rule_description, a.rule_groups,
  a.mail, a.firedtimes, a.rule_info, g.agent_key, g.name AS agent_name, g.ip_address AS agent_ip,
  a.hostname, l.name AS location, a.full_log, a.previous_output, a.diff, a.context, a.decoder_name,
  a.decoder_parent, a.program_name`;

/**
 * The alert query of every dialect; they differ only in how a parameter is written (`?` or
 * `$1, $2, ...`), which `param` produces, called once per parameter in order.
 */
export function selectAlertsSql(shape: AlertQueryShape, param: () => string): string {
  const where: string[] = [];
  if (shape.level) where.push(`a.level >= ${param()}`);
  if (shape.ruleId) where.push(`a.rule_id = ${param()}`);
  if (shape.agent) where.push(`(g.name = ${param()} OR g.agent_key = ${param()})`);
  if (shape.since) where.push(`a.timestamp >= ${param()}`);
  const dir = shape.order === 'oldest' ? 'ASC' : 'DESC';
  return `SELECT ${ALERT_QUERY_COLUMNS}
      FROM alert a JOIN location l ON l.id = a.location_id JOIN agent g ON g.id = a.agent_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY a.timestamp ${dir}, a.id ${dir}
      LIMIT ${param()}`;
}

/** The alert columns in insertAlertParams order (alert-row.ts). */
export const ALERT_INSERT_COLUMNS = `server_id, alertid, rule_id, level, timestamp, location_id, agent_id,
        hostname, src_ip, src_port, dst_ip, dst_port, dst_user, full_log, previous_output, context,
        rule_description, rule_groups, mail, firedtimes, rule_info, decoder_name, decoder_parent,
        program_name, inserted_at, diff`;
