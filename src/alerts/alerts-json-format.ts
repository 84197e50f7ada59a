import type { Alert } from './alert.js';
import { formatIsoLocal } from './local-time.js';

/**
 * One alerts.json line (without the trailing newline), with Wazuh 4.x field names (peers.md 1.7)
 * rather than OSSEC's (`rule.comment`, `rule.sidid`, `TimeStamp`: ossec-analysis.md 9.5), because
 * that is what today's JSON consumers (Filebeat modules, dashboards, SIEM parsers) understand.
 *
 * Choices:
 * - `previous_output` is the previous output itself, without Wazuh's `Previous output:\n` header,
 *   and only when the alert carries one (check_diff). OSSEC instead copies context line 1, which
 *   for a frequency rule is an unrelated earlier event (9.5): we do not repeat that.
 * - `diff` (check_diff alerts only) holds what changed: `kind` (change, flapping, baseline),
 *   `summary`, `added` and `removed` (the lines, as printed), `unified` (the diff text) and
 *   `truncated` (the diff was not aligned within its bounds, or a listing was cut).
 * - `data` holds every decoded field, static (`srcip`, `dstuser`, ...) and dynamic, as strings;
 *   it is left out when there are none, as Wazuh does.
 * - `hostname` and `program_name` sit at the top level (Wazuh nests them under `predecoder`).
 *
 * Never throws on any string: JSON.stringify escapes NULs and control characters and writes lone
 * surrogates as `\udXXX` escapes (well-formed JSON.stringify), and never emits a raw line break, so
 * the result is always exactly one line. The only throw is a timestamp that is not a finite number.
 */
export function formatAlertJson(alert: Alert): string {
  const rule = alert.rule;
  const out: Record<string, unknown> = {
    timestamp: formatIsoLocal(alert.timestamp),
    rule: {
      level: rule.level,
      description: text(rule.description),
      id: text(rule.id),
      firedtimes: rule.firedtimes,
      mail: rule.mail === true,
      groups: Array.isArray(rule.groups) ? rule.groups.map(text) : [],
      ...(Array.isArray(rule.info) ? { info: rule.info.map((i) => ({ type: text(i?.type), value: text(i?.value) })) } : {}),
    },
    agent: {
      id: text(alert.agent?.id),
      name: text(alert.agent?.name),
      ...(alert.agent?.ip !== undefined ? { ip: text(alert.agent.ip) } : {}),
    },
    hostname: text(alert.hostname),
    id: text(alert.id),
    full_log: text(alert.fullLog),
  };
  if (alert.previousOutput !== undefined) out.previous_output = text(alert.previousOutput);
  if (alert.diff) {
    const d = alert.diff;
    out.diff = {
      kind: d.kind ?? 'change',
      ...(d.summary !== undefined ? { summary: text(d.summary) } : {}),
      added: Array.isArray(d.added) ? d.added.map(text) : [],
      removed: Array.isArray(d.removed) ? d.removed.map(text) : [],
      unified: text(d.unified),
      truncated: d.truncated === true,
    };
  }
  if (alert.programName !== undefined) out.program_name = text(alert.programName);
  if (alert.decoder !== undefined) {
    out.decoder = {
      ...(alert.decoder.parent !== undefined ? { parent: text(alert.decoder.parent) } : {}),
      name: text(alert.decoder.name),
    };
  }
  const data = fieldsOf(alert);
  if (data) out.data = data;
  out.location = text(alert.location);
  return JSON.stringify(out);
}

/** Field values as strings whatever a caller put there, so a bad value cannot break the line. */
function fieldsOf(alert: Alert): Record<string, string> | undefined {
  const fields = alert.fields;
  if (!fields) return undefined;
  let data: Record<string, string> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined || value === null) continue;
    // A null-prototype object, so a dynamic field named `__proto__` is kept as data, not swallowed.
    (data ??= Object.create(null) as Record<string, string>)[key] = text(value);
  }
  return data;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
