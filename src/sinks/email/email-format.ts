import type { Alert } from '../../alerts/alert.js';
import { formatOssecTime } from '../../alerts/local-time.js';
import { printedLocation } from '../alert-filter.js';

/**
 * The text of alert mails, after OSSEC's maild (ossec-platform.md 3.3), under our name:
 *
 *   subject  OSPatrol Alert - <host part of the location> - Level <L> - <description>
 *   body     OSPatrol HIDS Notification. / date / Received From / Rule ... fired / Src IP, User /
 *            Portion of the log(s) / the log and its context lines / --END OF NOTIFICATION
 *
 * A grouped mail holds one such block per alert, in order, under the subject of its highest-level
 * alert, with "(N alerts)" added. The `sms` format is OSSEC 2.7's: subject `OSPatrol <L> - <rule> -
 * <description>`, body the first 128 characters of the log. A check_diff alert carrying a `diff`
 * gets its changed lines after the log.
 */
export interface MailText {
  subject: string;
  text: string;
}

const SMS_BODY_CHARS = 128;

export function fullMail(alerts: readonly Alert[]): MailText {
  const top = alerts.reduce((a, b) => (b.rule.level > a.rule.level ? b : a));
  let subject = `OSPatrol Alert - ${hostPart(top)} - Level ${top.rule.level} - ${top.rule.description}`;
  if (alerts.length > 1) subject += ` (${alerts.length} alerts)`;
  return { subject: oneLine(subject), text: alerts.map(alertBlock).join('\n') };
}

export function smsMail(alert: Alert): MailText {
  const body = [...alert.fullLog].slice(0, SMS_BODY_CHARS).join('');
  return { subject: oneLine(`OSPatrol ${alert.rule.level} - ${alert.rule.id} - ${alert.rule.description}`), text: body };
}

function alertBlock(alert: Alert): string {
  const f = alert.fields ?? {};
  const lines = [
    'OSPatrol HIDS Notification.',
    formatOssecTime(alert.timestamp),
    '',
    `Received From: ${printedLocation(alert)}`,
    `Rule: ${alert.rule.id} fired (level ${alert.rule.level}) -> "${alert.rule.description}"`,
  ];
  if (f.srcip !== undefined) lines.push(`Src IP: ${f.srcip}`);
  if (f.dstip !== undefined) lines.push(`Dst IP: ${f.dstip}`);
  if (f.dstuser !== undefined) lines.push(`User: ${f.dstuser}`);
  lines.push('Portion of the log(s):', '', alert.fullLog, ...(alert.context ?? []));
  if (alert.diff && (alert.diff.unified || alert.diff.summary)) {
    lines.push('', `Changes:${alert.diff.summary ? ` ${alert.diff.summary}` : ''}`);
    if (alert.diff.unified) lines.push(alert.diff.unified);
  }
  lines.push('', '', ' --END OF NOTIFICATION', '');
  return lines.join('\n');
}

/** The part of the location before `->` (OSSEC's subject), or all of it. */
function hostPart(alert: Alert): string {
  const loc = printedLocation(alert);
  const i = loc.indexOf('->');
  return i >= 0 ? loc.slice(0, i) : loc;
}

/** A subject is one header line: line breaks from a log or description must not start a new header. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}
