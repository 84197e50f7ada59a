import type { Alert } from '../../alerts/alert.js';

/**
 * One alert in the journal: its sequence number (increasing across restarts, never reused) and
 * the alert itself. On disk each entry is one line of JSON, `{"seq":N,"alert":{...}}` followed by
 * `\n`; JSON.stringify escapes every control character and lone surrogate, so an alert is always
 * exactly one line and reads back equal to what was written.
 */
export interface JournalEntry {
  seq: number;
  alert: Alert;
}

/** A byte position in a segment file: the segment's first seq, and an offset at a line start. */
export interface JournalPosition {
  segment: number;
  offset: number;
}

/** An entry as read, with the position just after it (where reading resumes). */
export interface ReadEntry extends JournalEntry {
  next: JournalPosition;
}

export const SEGMENT_SUFFIX = '.jsonl';

/** `00000000000000000042.jsonl`: zero-padded so names sort like numbers. */
export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

/** The first seq of a segment file name, or undefined for any other file. */
export function segmentFirstSeq(name: string): number | undefined {
  const m = /^(\d{20})\.jsonl$/.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** One entry's line, with its newline. */
export function encodeLine(seq: number, alert: Alert): string {
  return `{"seq":${seq},"alert":${JSON.stringify(alert)}}\n`;
}

/** Parses one line (without its newline). Throws on anything that is not an entry. */
export function decodeEntry(line: string): JournalEntry {
  const v = JSON.parse(line) as Partial<JournalEntry>;
  if (typeof v !== 'object' || v === null || !Number.isSafeInteger(v.seq) || typeof v.alert !== 'object' || v.alert === null) {
    throw new Error('not a journal entry');
  }
  return { seq: v.seq as number, alert: v.alert as Alert };
}
