/**
 * OSSEC 4.3.0 deletes (does not replace) every byte 0x00-0x1F and 0x7F from a message before
 * anything else (`remove_control_characters`, CVE-2020-8445 fix; ossec-analysis.md 1.2.5).
 *
 * OSPatrol deliberately keeps `\n`: full_command output stays multi-line in alerts, check_diff and
 * rules, as it was in OSPatrol 2.x, instead of being glued into one line. Every other control
 * character (`\t`, `\r`, NUL, ...) is deleted as in OSSEC. Bytes >= 0x80 are kept.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f]/g;

// eslint-disable-next-line no-control-regex
const ANY_CONTROL_EXCEPT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f]/;

export function removeControlCharacters(message: string): string {
  // Most messages have none: a test does not allocate, a replace builds a new string.
  return ANY_CONTROL_EXCEPT_NEWLINE.test(message) ? message.replace(CONTROL_EXCEPT_NEWLINE, '') : message;
}
