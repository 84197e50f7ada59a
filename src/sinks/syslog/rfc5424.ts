/**
 * RFC 5424 syslog messages and their framing on a stream (RFC 6587 / RFC 5425 octet counting).
 *
 * `<132>1 2026-11-24T19:44:47.123Z manager ospatrol - alert - MSG`: PRI 132 is local0.warning, the
 * priority OSSEC's csyslogd always sends (ossec-platform.md 3.4); the timestamp is the alert's
 * event time in UTC with milliseconds; APP-NAME `ospatrol`, MSGID `alert`, no structured data.
 * MSG is UTF-8 without a BOM (RFC 5424 MSG-ANY), so receivers that expect plain text see it as is.
 */
export const OSSEC_PRIORITY = 132;

export function rfc5424(opts: { timestamp: number; hostname: string; msg: string; priority?: number }): string {
  const pri = opts.priority ?? OSSEC_PRIORITY;
  return `<${pri}>1 ${new Date(opts.timestamp).toISOString()} ${headerField(opts.hostname, 255)} ospatrol - alert - ${opts.msg}`;
}

/** The bytes of a header without MSG, to budget the MSG against a size limit. */
export function rfc5424HeaderBytes(hostname: string): number {
  return Buffer.byteLength(rfc5424({ timestamp: 0, hostname, msg: '' }), 'utf8');
}

/** Header fields are printable US-ASCII without spaces (RFC 5424 6.2); anything else becomes `-`/`_`. */
function headerField(s: string, max: number): string {
  const v = s.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return v === '' ? '-' : v;
}

/** Octet counting (RFC 6587 3.4.1): `<byte length> <message>`, so a message may hold line breaks. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
