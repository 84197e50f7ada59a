/**
 * PostgreSQL `text` cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"), yet log
 * lines and command output may carry NUL bytes, and an alert must read back exactly as it was.
 * Rather than turning every text column into `bytea` (which would break OSSEC's report queries on
 * `full_log` and `location.name`), the PostgreSQL driver escapes text, reversibly and only where
 * needed:
 *
 *   U+0000 -> "␀0"      U+2400 (␀, SYMBOL FOR NULL) -> "␀␀"
 *
 * A string holding neither character (virtually all of them) is stored unchanged, so queries and
 * reports see plain text; a stored `␀` always starts an escape, so decoding is exact. The mapping
 * is injective, so unique keys (location names) keep their meaning. MySQL and SQLite store NUL as
 * is and do not use this.
 */
const MARK = '\u2400';
const NEEDS_ESCAPE = /[\u0000\u2400]/;

export function escapeNul(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[\u0000\u2400]/g, (c) => (c === '\u0000' ? `${MARK}0` : `${MARK}${MARK}`));
}

export function unescapeNul(s: string): string {
  if (!s.includes(MARK)) return s;
  // A MARK followed by anything else was not written by escapeNul (another tool): kept as is.
  return s.replace(/\u2400([0\u2400])/g, (_m, c: string) => (c === '0' ? '\u0000' : MARK));
}
