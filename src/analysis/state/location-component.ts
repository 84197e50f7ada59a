import { createHash } from 'node:crypto';

/**
 * A location (a command alias, a command line full of quotes and pipes, a file path, a syslog
 * sender) as one safe path component for check_diff state: readable when the location is simple
 * (`netstat` stays `netstat`), reversible by percent-decoding, never `.`/`..`, never a name our
 * own files use (`last-entry*`), never longer than a file system allows. Every byte of the UTF-8
 * form outside `A-Z a-z 0-9 . _ -` is written `%XX`. A result over 160 characters keeps its
 * first 100 and ends with `~` and 32 hex digits of the location's SHA-256 (`~` is always encoded
 * otherwise, so such a name cannot clash with a short one).
 */
export function locationComponent(location: string): string {
  if (location === '') return '%';
  let out = '';
  for (const byte of Buffer.from(location, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // A leading dot would make `.`/`..` or a hidden file; `last-entry...` is the OSSEC slot's name.
  if (out.startsWith('.')) out = '%2E' + out.slice(1);
  if (out.startsWith('last-entry')) out = '%6C' + out.slice(1);
  if (out.length > 160) {
    // Do not end the kept part inside a %XX escape.
    let keep = out.slice(0, 100);
    const pct = keep.lastIndexOf('%');
    if (pct > keep.length - 3) keep = keep.slice(0, pct);
    out = `${keep}~${createHash('sha256').update(location, 'utf8').digest('hex').slice(0, 32)}`;
  }
  return out;
}
