import type { Alert, AlertDiff } from './alert.js';
import { formatOssecTime } from './local-time.js';

/**
 * OSSEC's alerts.log record, byte for byte (ossec-analysis.md 9.1, `alerts/log.c:OS_Log`):
 *
 *   ** Alert <T>.<N>:[ mail ] - <groups>
 *   <YYYY> <Mon> <DD> <HH:MM:SS> [<hostname>->]<location>
 *   Rule: <id> (level <L>) -> '<description>'
 *   [Src IP: ..][Src Port: ..][Dst IP: ..][Dst Port: ..][User: <dstuser>]
 *   <full_log>
 *   [<context line>]...
 *   [What changed: <summary>
 *   <unified diff lines>...]
 *   <blank line>
 *
 * Deliberate differences from OSSEC, all about not losing or forging data:
 * - full_log and context lines are printed whole by default. OSSEC cuts each at 1256 bytes
 *   (`%.1256s`), which silently drops most of a full_command output; `ossecCut: true` restores the
 *   cut for readers that depend on it. Our cut never splits a UTF-8 character (OSSEC's can).
 * - full_log and context lines may hold newlines (full_command output, `Previous output:` blocks)
 *   and are printed as is, as OSSEC does. The one-line fields (groups, hostname, location,
 *   description, decoded fields) are never expected to hold a line break; if one does, it is
 *   printed as the two characters `\n` (`\r` likewise) so it cannot end the header early or forge
 *   a `Rule:`/`User:` line for a parser of this file.
 * - OSSEC prints `<hostname>->` when hostname and location are different pointers; we compare the
 *   strings (the engine passes equal strings for agent events). An empty hostname prints no prefix
 *   rather than a bare `->`.
 * - GeoIP lines (`Src Location:`, `Dst Location:`) are not printed: we have no GeoIP.
 * - A check_diff alert ends with what changed: a `What changed: <summary>` line and the unified
 *   diff (`--- previous`, `+++ current`, `@@` hunks of ` `/`-`/`+` lines). It comes after OSSEC's
 *   `Previous output:` block, so tools that read that block still find it where OSSEC puts it.
 *   No line of it is blank, so it cannot end the record early.
 */

/** OSSEC's cut for full_log and each context line (`%.1256s` in `OS_Log`). */
export const OSSEC_LOG_CUT_BYTES = 1256;

export interface AlertsLogFormatOptions {
  /** Cut full_log and each context line at 1256 bytes as OSSEC does. Default false: keep them whole. */
  ossecCut?: boolean;
}

/** Optional lines after the rule line, in OSSEC's order. srcuser is never printed (9.1). */
const OPTIONAL_LINES: ReadonlyArray<readonly [field: string, label: string]> = [
  ['srcip', 'Src IP: '],
  ['srcport', 'Src Port: '],
  ['dstip', 'Dst IP: '],
  ['dstport', 'Dst Port: '],
  ['dstuser', 'User: '],
];

/** The full record, ending with the blank line that separates records. Throws only on a timestamp that is not a finite number. */
export function formatAlertsLog(alert: Alert, opts: AlertsLogFormatOptions = {}): string {
  const rule = alert.rule;
  const hostname = oneLine(alert.hostname);
  const location = oneLine(alert.location);
  const hostPrefix = hostname !== '' && hostname !== location ? `${hostname}->` : '';

  let out =
    `** Alert ${oneLine(alert.id)}:${rule.mail ? ' mail ' : ''} - ${oneLine(rule.groupText)}\n` +
    `${formatOssecTime(alert.timestamp)} ${hostPrefix}${location}\n` +
    `Rule: ${oneLine(rule.id)} (level ${oneLine(rule.level)}) -> '${oneLine(rule.description)}'`;

  const fields = alert.fields ?? {};
  for (const [field, label] of OPTIONAL_LINES) {
    // OSSEC tests the pointer, not the length: a field that is present but empty still prints its label.
    const value = fields[field];
    if (value !== undefined && value !== null) out += `\n${label}${oneLine(value)}`;
  }

  const cut = opts.ossecCut ? cutUtf8 : keep;
  out += `\n${cut(text(alert.fullLog))}\n`;
  for (const line of alert.context ?? []) out += `${cut(text(line))}\n`;
  if (alert.diff) out += diffBlock(alert.diff, cut);
  return `${out}\n`;
}

/** The `What changed:` line and the unified diff lines, each ending in a newline. */
function diffBlock(diff: AlertDiff, cut: (s: string) => string): string {
  const added = Array.isArray(diff.added) ? diff.added.length : 0;
  const removed = Array.isArray(diff.removed) ? diff.removed.length : 0;
  const summary = diff.summary ?? `${added} line${added === 1 ? '' : 's'} added, ${removed} removed`;
  let out = `What changed: ${cut(oneLine(summary))}\n`;
  const unified = text(diff.unified);
  if (unified !== '') {
    for (const line of unified.split('\n')) out += `${cut(line === '' ? ' ' : line.replace(/\r/g, '\\r'))}\n`;
  }
  return out;
}

function keep(s: string): string {
  return s;
}

/** Any value as text; null/undefined (bad data from a caller) print as empty, never as "undefined". */
function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function oneLine(v: unknown): string {
  const s = text(v);
  return s.includes('\n') || s.includes('\r') ? s.replace(/\r/g, '\\r').replace(/\n/g, '\\n') : s;
}

/** At most OSSEC_LOG_CUT_BYTES of UTF-8, cut before a character that would straddle the limit. */
export function cutUtf8(s: string, maxBytes: number = OSSEC_LOG_CUT_BYTES): string {
  // Fast path: a UTF-16 unit encodes to at most 3 UTF-8 bytes.
  if (s.length * 3 <= maxBytes) return s;
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= maxBytes) return s;
  let end = maxBytes;
  // buf[end] is the first byte left out; if it continues a character, leave that character out whole.
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.toString('utf8', 0, end);
}
