/**
 * The notices the log file source emits about the files themselves, with OSSEC's exact texts so
 * the stock rules fire (ossec-platform.md 1.6/1.8; ospatrol_rules.xml 591 `^<prefix>: File rotated `,
 * 592 `^<prefix>: File size reduced`). Location `<prefix>-logcollector`, kind `internal`.
 *
 *   `<prefix>: File rotated (inode changed): '<path>'.`
 *       the path now names another file (rename rotation, delete + recreate).
 *   `<prefix>: File size reduced (inode remained): '<path>'.`
 *       same file, content cut: copytruncate, `> file`, and also a truncation followed at once by
 *       more bytes than before, which OSSEC cannot see and we detect by the head fingerprint.
 */

export function fileRotatedMessage(prefix: string, path: string): string {
  return `${prefix}: File rotated (inode changed): '${path}'.`;
}

export function fileReducedMessage(prefix: string, path: string): string {
  return `${prefix}: File size reduced (inode remained): '${path}'.`;
}

export function noticeLocation(prefix: string): string {
  return `${prefix}-logcollector`;
}
