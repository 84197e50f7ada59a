import type { Alert } from '../../alerts/alert.js';
import { cutUtf8 } from '../../alerts/alerts-log-format.js';
import type { SyslogFormat } from '../../config/model.js';
import { printedLocation } from '../alert-filter.js';

/**
 * The MSG part of a syslog message for each `<syslog_output>` format (ossec-platform.md 3.4),
 * with the escaping OSSEC left out, so every line parses:
 *
 * - default: `Alert Level: L; Rule: R - desc; Location: loc; classification: grp; srcip: ..;
 *   dstip: ..; user: ..; <log>` (OSSEC's fields and order).
 * - cef: `CEF:0|OSPatrol|OSPatrol|<version>|<rule>|<desc>|<severity>|<extensions>`, severity
 *   min(level, 10) as OSSEC; header fields escape `\` and `|`, extension values `\`, `=` and line
 *   breaks (CEF rules).
 * - json: OSSEC 4.x's keys (crit, id, component, classification, description, message, acct,
 *   src_ip, src_port, dst_ip, dst_port) plus `alert_id` and `timestamp` (ISO 8601), built by
 *   JSON.stringify (OSSEC concatenated strings, so a quote in a log broke the line).
 * - splunk: `key="value"` pairs, OSSEC's keys, with `"` and `\` escaped and line breaks as `\n`.
 *
 * `maxBytes` bounds the MSG: the log is cut first (marked `[truncated]`); should the rest still not
 * fit, JSON falls back to OSSEC's stub `{"crit","id","alert_id","truncated":true}`.
 */
export interface SyslogFormatOptions {
  format: SyslogFormat;
  /** This manager's name (CEF dvchost). */
  hostname: string;
  version: string;
  maxBytes: number;
}

const TRUNCATED = ' [truncated]';

export function formatSyslogMessage(alert: Alert, opts: SyslogFormatOptions): string {
  const build = FORMATS[opts.format];
  let log = alert.fullLog;
  let msg = build(alert, log, opts);
  for (let attempt = 0; attempt < 4 && byteLength(msg) > opts.maxBytes; attempt++) {
    const over = byteLength(msg) - opts.maxBytes;
    const keep = byteLength(log) - over - TRUNCATED.length - 16 * (attempt + 1);
    if (keep <= 0) {
      log = '';
      msg = build(alert, TRUNCATED.trim(), opts);
      break;
    }
    log = cutUtf8(alert.fullLog, keep) + TRUNCATED;
    msg = build(alert, log, opts);
  }
  if (byteLength(msg) <= opts.maxBytes) return msg;
  if (opts.format === 'json') return JSON.stringify({ crit: alert.rule.level, id: alert.rule.id, alert_id: alert.id, truncated: true });
  return cutUtf8(msg, opts.maxBytes);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

type Builder = (alert: Alert, log: string, opts: SyslogFormatOptions) => string;

const FORMATS: Record<SyslogFormat, Builder> = {
  default(alert, log) {
    const f = alert.fields ?? {};
    let out = `Alert Level: ${alert.rule.level}; Rule: ${alert.rule.id} - ${alert.rule.description}; Location: ${printedLocation(alert)};`;
    if (alert.rule.groupText) out += ` classification: ${alert.rule.groupText};`;
    if (f.srcip) out += ` srcip: ${f.srcip};`;
    if (f.dstip) out += ` dstip: ${f.dstip};`;
    if (f.dstuser) out += ` user: ${f.dstuser};`;
    return `${out} ${log}`;
  },

  cef(alert, log, opts) {
    const f = alert.fields ?? {};
    const ext: Array<[string, string | number | undefined]> = [
      ['rt', alert.timestamp],
      ['dvchost', opts.hostname],
      ['cs1Label', 'Location'],
      ['cs1', printedLocation(alert)],
      ['cs2Label', 'Groups'],
      ['cs2', alert.rule.groupText],
      ['cs3Label', 'AlertId'],
      ['cs3', alert.id],
      ['src', f.srcip],
      ['spt', f.srcport],
      ['dst', f.dstip],
      ['dpt', f.dstport],
      ['suser', f.srcuser],
      ['duser', f.dstuser],
      ['msg', log],
    ];
    const header = ['CEF:0', 'OSPatrol', 'OSPatrol', opts.version, String(alert.rule.id), alert.rule.description, String(Math.min(alert.rule.level, 10))];
    const extText = ext
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${cefValue(String(v))}`)
      .join(' ');
    return `${[header[0], ...header.slice(1).map(cefHeader)].join('|')}|${extText}`;
  },

  json(alert, log) {
    const f = alert.fields ?? {};
    const out: Record<string, unknown> = {
      crit: alert.rule.level,
      id: alert.rule.id,
      alert_id: alert.id,
      timestamp: new Date(alert.timestamp).toISOString(),
      component: printedLocation(alert),
      classification: alert.rule.groupText,
      description: alert.rule.description,
    };
    if (f.dstuser !== undefined) out.acct = f.dstuser;
    if (f.srcip !== undefined) out.src_ip = f.srcip;
    if (f.srcport !== undefined) out.src_port = f.srcport;
    if (f.dstip !== undefined) out.dst_ip = f.dstip;
    if (f.dstport !== undefined) out.dst_port = f.dstport;
    out.message = log;
    return JSON.stringify(out);
  },

  splunk(alert, log) {
    const f = alert.fields ?? {};
    const pairs: Array<[string, string | number | undefined]> = [
      ['crit', alert.rule.level],
      ['id', alert.rule.id],
      ['alert_id', alert.id],
      ['description', alert.rule.description],
      ['component', printedLocation(alert)],
      ['classification', alert.rule.groupText],
      ['src_ip', f.srcip],
      ['src_port', f.srcport],
      ['dst_ip', f.dstip],
      ['dst_port', f.dstport],
      ['acct', f.dstuser],
      ['message', log],
    ];
    return pairs
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => (typeof v === 'number' ? `${k}=${v}` : `${k}="${splunkValue(v as string)}"`))
      .join(', ');
  },
};

/** CEF header field: `\` and `|` escaped; a line break would end the record, so it becomes a space. */
function cefHeader(s: string): string {
  return s.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|[\r\n]/g, ' ');
}

/** CEF extension value: `\` and `=` escaped, line breaks as `\n` / `\r`. */
function cefValue(s: string): string {
  return s.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function splunkValue(s: string): string {
  return s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}
