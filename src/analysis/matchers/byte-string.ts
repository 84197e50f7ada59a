/**
 * PCRE2 elements run without the UTF flag in OSSEC 4.3.0 (ossec-analysis.md 4.3): the pattern and
 * the log are bytes, so `.` is one byte and `[\x80-\xff]` matches each byte of a UTF-8 sequence.
 * We reproduce that by matching on a "byte string": the UTF-8 bytes of the text, one char per byte
 * (latin1). ASCII text is its own byte string, so the common case costs one scan.
 */

import { LastTwo } from './last-two.js';

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

const utf8Bytes = new LastTwo((text) => (NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text));

/** The UTF-8 bytes of `text`, one char per byte, remembered for the last two texts (last-two.ts). */
export function toByteString(text: string): string {
  return utf8Bytes.of(text);
}

/** Back from a byte string to text. Bytes that are not valid UTF-8 become U+FFFD. */
export function fromByteString(bytes: string): string {
  return NON_ASCII.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes;
}

/** The index in `text` of byte offset `byteOffset` of its UTF-8 form (rounded up to a whole char). */
export function byteOffsetToIndex(text: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i += 2;
        continue;
      }
      bytes += 3;
    } else bytes += 3;
    i++;
  }
  return i;
}

/** The pattern as PCRE2 sees it: its UTF-8 bytes (an ASCII pattern is its own; most are). */
export function patternBytes(pattern: string): string {
  return NON_ASCII.test(pattern) ? Buffer.from(pattern, 'utf8').toString('latin1') : pattern;
}
