import type { Alert } from '../../alerts/alert.js';
import { SinkError, SinkErrorCodes, alertIdOf } from '../sink-error.js';

/**
 * An alert as the values of the logical `alert` row and its `data` rows, the same for every SQL
 * dialect, and back. Values are checked and coerced here, before any SQL runs, so a bad alert is
 * refused with a reason instead of failing inside a batch, and a stored alert holds everything
 * needed to print it again in alerts.log or alerts.json form.
 */
export interface AlertRow {
  alertId: string;
  /** Event (receive) time, epoch ms. OSSEC's dbd stored the insertion time instead (ossec-platform.md 3.5). */
  timestamp: number;
  ruleId: number;
  level: number;
  description: string;
  /** The rule's group string as printed in alerts.log (`syslog,sshd,`). */
  groupText: string;
  /** Category names for signature_category_mapping, in rule order, without empties or repeats. */
  groups: string[];
  mail: 0 | 1;
  firedtimes: number | null;
  /** JSON of the rule's `info` list, or null. */
  ruleInfo: string | null;
  agentKey: string;
  agentName: string;
  /** '' when the agent has no IP, so it can be part of a unique key (NULLs never collide). */
  agentIp: string;
  hostname: string;
  location: string;
  srcIp: string | null;
  srcPort: number | null;
  dstIp: string | null;
  dstPort: number | null;
  dstUser: string | null;
  fullLog: string;
  previousOutput: string | null;
  /** JSON of the check_diff `diff` ({added, removed, unified, truncated?}), or null. */
  diff: string | null;
  /** JSON array of the lines printed after full_log. */
  context: string;
  decoderName: string | null;
  decoderParent: string | null;
  programName: string | null;
  /** Every decoded field, in the alert's order, for the `data` table. */
  fields: Array<[name: string, value: string]>;
}

/** Throws a TypeError/RangeError naming the bad value when the alert cannot be stored. */
export function toAlertRow(alert: Alert): AlertRow {
  if (alert === null || typeof alert !== 'object') throw new TypeError('not an alert object');
  if (typeof alert.id !== 'string' || alert.id === '') throw new TypeError('alert id must be a non-empty string');
  const alertId = text(alert.id);
  if (typeof alert.timestamp !== 'number' || !Number.isFinite(alert.timestamp)) {
    throw new RangeError(`timestamp must be finite epoch milliseconds, got ${String(alert.timestamp)}`);
  }
  const rule = alert.rule;
  if (rule === null || typeof rule !== 'object') throw new TypeError('alert has no rule');
  if (!Number.isSafeInteger(rule.id)) throw new RangeError(`rule id must be an integer, got ${String(rule.id)}`);
  if (!Number.isSafeInteger(rule.level)) throw new RangeError(`rule level must be an integer, got ${String(rule.level)}`);

  const fields: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(alert.fields ?? {})) {
    if (value !== undefined && value !== null) fields.push([text(name), text(value)]);
  }
  const field = (name: string): string | null => {
    const v = alert.fields?.[name];
    return v === undefined || v === null ? null : text(v);
  };
  const groups: string[] = [];
  for (const g of Array.isArray(rule.groups) ? rule.groups : []) {
    const name = text(g).trim();
    if (name !== '' && !groups.includes(name)) groups.push(name);
  }

  return {
    alertId,
    timestamp: Math.trunc(alert.timestamp),
    ruleId: rule.id,
    level: rule.level,
    description: text(rule.description),
    groupText: text(rule.groupText),
    groups,
    mail: rule.mail === true ? 1 : 0,
    firedtimes: Number.isSafeInteger(rule.firedtimes) ? rule.firedtimes : null,
    ruleInfo: Array.isArray(rule.info) ? JSON.stringify(rule.info.map((i) => ({ type: text(i?.type), value: text(i?.value) }))) : null,
    agentKey: text(alert.agent?.id),
    agentName: text(alert.agent?.name),
    agentIp: text(alert.agent?.ip),
    hostname: text(alert.hostname),
    location: text(alert.location),
    srcIp: field('srcip'),
    srcPort: port(field('srcport')),
    dstIp: field('dstip'),
    dstPort: port(field('dstport')),
    dstUser: field('dstuser'),
    fullLog: text(alert.fullLog),
    previousOutput: alert.previousOutput === undefined || alert.previousOutput === null ? null : text(alert.previousOutput),
    diff: diffJson(alert.diff),
    context: JSON.stringify((Array.isArray(alert.context) ? alert.context : []).map(text)),
    decoderName: alert.decoder ? text(alert.decoder.name) : null,
    decoderParent: alert.decoder?.parent !== undefined && alert.decoder?.parent !== null ? text(alert.decoder.parent) : null,
    programName: alert.programName === undefined || alert.programName === null ? null : text(alert.programName),
    fields,
  };
}

/** A row id as the driver returns it: a number, or a string for PostgreSQL BIGINT. */
export type RowId = number | string;

/** The number of values insertAlertParams returns: one row of SqlDialect.insertAlerts. */
export const ALERT_INSERT_PARAMS = 26;

/** Parameters of one row of SqlDialect.insertAlerts, in its documented order. */
export function insertAlertParams(
  row: AlertRow,
  ids: { serverId: RowId; locationId: RowId; agentId: RowId },
  insertedAt: number,
): Array<string | number | null> {
  return [
    ids.serverId,
    row.alertId,
    row.ruleId,
    row.level,
    row.timestamp,
    ids.locationId,
    ids.agentId,
    row.hostname,
    row.srcIp,
    row.srcPort,
    row.dstIp,
    row.dstPort,
    row.dstUser,
    row.fullLog,
    row.previousOutput,
    row.context,
    row.description,
    row.groupText,
    row.mail,
    row.firedtimes,
    row.ruleInfo,
    row.decoderName,
    row.decoderParent,
    row.programName,
    insertedAt,
    row.diff,
  ];
}

/** The columns a dialect's alert SELECT returns, under these names (snake_case as in the schema). */
export interface StoredAlertColumns {
  row_id: number;
  alertid: string;
  timestamp: number;
  rule_id: number;
  level: number;
  rule_description: string;
  rule_groups: string;
  mail: number;
  firedtimes: number | null;
  rule_info: string | null;
  agent_key: string;
  agent_name: string;
  agent_ip: string;
  hostname: string;
  location: string;
  full_log: string;
  previous_output: string | null;
  diff: string | null;
  context: string;
  decoder_name: string | null;
  decoder_parent: string | null;
  program_name: string | null;
}

/** Rebuilds the alert from its row and its data rows (in stored order). */
export function fromStoredAlert(row: StoredAlertColumns, data: ReadonlyArray<{ name: string; value: string }>): Alert {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const d of data) fields[d.name] = d.value;
  const alert: Alert = {
    id: row.alertid,
    timestamp: Number(row.timestamp),
    rule: {
      id: Number(row.rule_id),
      level: Number(row.level),
      description: row.rule_description,
      groups: row.rule_groups.split(',').map((g) => g.trim()).filter((g) => g !== ''),
      groupText: row.rule_groups,
      mail: Number(row.mail) === 1,
      firedtimes: row.firedtimes === null ? 0 : Number(row.firedtimes),
    },
    agent: { id: row.agent_key, name: row.agent_name, ...(row.agent_ip !== '' ? { ip: row.agent_ip } : {}) },
    hostname: row.hostname,
    location: row.location,
    fullLog: row.full_log,
    context: parseStringArray(row.context),
    fields: { ...fields },
  };
  if (row.rule_info !== null) alert.rule.info = JSON.parse(row.rule_info) as Array<{ type: string; value: string }>;
  if (row.previous_output !== null) alert.previousOutput = row.previous_output;
  if (row.diff !== null && row.diff !== undefined) alert.diff = parseDiff(row.diff);
  if (row.decoder_name !== null) {
    alert.decoder = { name: row.decoder_name, ...(row.decoder_parent !== null ? { parent: row.decoder_parent } : {}) };
  }
  if (row.program_name !== null) alert.programName = row.program_name;
  return alert;
}

/**
 * The diff as JSON: the line lists and text coerced to strings (as every text column is), every
 * other key (kind, summary, truncated, and whatever later versions add) kept as it is, so a stored
 * diff reads back as what was written.
 */
function diffJson(d: Alert['diff']): string | null {
  if (d === undefined || d === null || typeof d !== 'object') return null;
  const lines = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : []);
  return JSON.stringify({ ...d, added: lines(d.added), removed: lines(d.removed), unified: text(d.unified) });
}

function parseDiff(json: string): NonNullable<Alert['diff']> {
  return JSON.parse(json) as NonNullable<Alert['diff']>;
}

function parseStringArray(json: string): string[] {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

/** A port column holds a number 0..65535 or NULL; the text as decoded is kept in `data` either way. */
function port(v: string | null): number | null {
  if (v === null || !/^\d{1,5}$/.test(v)) return null;
  const n = Number(v);
  return n <= 65535 ? n : null;
}

function text(v: unknown): string {
  return wellFormed(typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Lone surrogates as U+FFFD. better-sqlite3 would otherwise bind them as raw CESU bytes, leaving
 * invalid UTF-8 in a TEXT column that reads back as three U+FFFD and breaks other readers. Real
 * log text never holds them (bytes are decoded as UTF-8 before this point); a caller's bug might.
 */
function wellFormed(s: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}

/** A DATA error of `sink`: this alert is refused, the rest of its batch is still stored. */
export function refusedAlert(sink: string, alertId: string | undefined, err: unknown): SinkError {
  return new SinkError(SinkErrorCodes.DATA, sink, 'alert refused', { alertId, cause: err });
}

/** The rows of the alerts that convert; the others as DATA errors (a bad alert never blocks its batch). */
export function toAlertRows(alerts: readonly Alert[], sink: string): { rows: AlertRow[]; rejected: SinkError[] } {
  const rejected: SinkError[] = [];
  const rows: AlertRow[] = [];
  for (const alert of alerts) {
    try {
      rows.push(toAlertRow(alert));
    } catch (err) {
      rejected.push(refusedAlert(sink, alertIdOf(alert), err));
    }
  }
  return { rows, rejected };
}
