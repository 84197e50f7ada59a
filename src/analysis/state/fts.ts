import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventInfo } from '../event-info.js';

/**
 * First-time-seen (`<if_fts/>`, ossec-analysis.md 6.5) and the `<ignore>`/`<check_if_ignored>`
 * element files (6.4), both kept by OSSEC in queue/fts (fts.c).
 */

// Field bits of a decoder's <fts> and of a rule's <ignore>/<check_if_ignored> (rules.h FTS_*).
export const FTS_DSTUSER = 0x001;
export const FTS_SRCUSER = 0x002;
export const FTS_SRCIP = 0x004;
export const FTS_DSTIP = 0x008;
export const FTS_ID = 0x010;
export const FTS_LOCATION = 0x020;
export const FTS_DATA = 0x040;
export const FTS_NAME = 0x080;
export const FTS_SYSTEMNAME = 0x100;
export const FTS_DONE = 0x200;

/**
 * A DecoderRef.fts entry that means "the decoder already did its FTS" (OSSEC's FTS_DONE, set by the
 * internal rootcheck decoder): rules with if_fts then skip the check and pass.
 */
export const FTS_DONE_MARK = 'done';

/** OS_FLSIZE - 1: keys and ignore lines are built with snprintf into 256-byte buffers. */
const LINE_MAX = 255;

const flagCache = new WeakMap<readonly string[], number>();

/**
 * The bits for a decoder's <fts> words, mapped the way OSSEC's decoder loader does it: by substring,
 * first hit wins, so `srcuser` (it contains "user") counts as dstuser, and FTS_SRCUSER is never set.
 * Works whether the decoder module hands us the words as written or already canonical.
 */
export function ftsFlags(words: readonly string[]): number {
  let f = flagCache.get(words);
  if (f !== undefined) return f;
  f = 0;
  for (const w of words) {
    if (w === FTS_DONE_MARK) f |= FTS_DONE;
    else if (w.includes('user')) f |= FTS_DSTUSER;
    else if (w.includes('srcip')) f |= FTS_SRCIP;
    else if (w.includes('dstip')) f |= FTS_DSTIP;
    else if (w.includes('id')) f |= FTS_ID;
    else if (w.includes('location')) f |= FTS_LOCATION;
    else if (w.includes('data')) f |= FTS_DATA;
    else if (w.includes('system_name')) f |= FTS_SYSTEMNAME;
    else if (w.includes('name')) f |= FTS_NAME;
  }
  flagCache.set(words, f);
  return f;
}

/**
 * The FTS key (fts.c:FTS): "<decoder name> <id> <dstuser> <srcuser> <srcip> <dstip> <data>
 * <system_name> <location>", a field filled only when it is set and selected. The decoder name is
 * always there (fts.c prints it unconditionally; every shipped <fts> lists `name` anyway).
 */
export function ftsKey(ev: EventInfo, decoderName: string, flags: number): string {
  const f = ev.fields;
  const pick = (bit: number, name: string): string => ((flags & bit) !== 0 ? (f.get(name) ?? '') : '');
  const key =
    `${decoderName} ${pick(FTS_ID, 'id')} ${pick(FTS_DSTUSER, 'dstuser')} ${pick(FTS_SRCUSER, 'srcuser')} ` +
    `${pick(FTS_SRCIP, 'srcip')} ${pick(FTS_DSTIP, 'dstip')} ${pick(FTS_DATA, 'data')} ` +
    `${pick(FTS_SYSTEMNAME, 'system_name')} ${(flags & FTS_LOCATION) !== 0 ? ev.location : ''}`;
  return key.length > LINE_MAX ? key.slice(0, LINE_MAX) : key;
}

export interface FtsOptions {
  /** `<stateDir>/queue/fts/fts-queue` is read at start and, when `persist`, appended to. */
  stateDir?: string;
  /** analysisd persists new keys; ossec-logtest only keeps them in memory. */
  persist?: boolean;
  /** analysisd.fts_list_size (default 32). */
  listSize?: number;
  /** analysisd.fts_min_size_for_str (default 14). */
  minSizeForStr?: number;
}

/** First-time-seen memory: the keys seen so far, loaded from and appended to fts-queue. */
export class FtsStore {
  private readonly seen = new Set<string>();
  private readonly recent: string[] = [];
  private readonly listSize: number;
  private readonly minSize: number;
  private readonly file: string | undefined;
  private readonly persist: boolean;

  constructor(opts: FtsOptions = {}) {
    this.listSize = opts.listSize ?? 32;
    this.minSize = opts.minSizeForStr ?? 14;
    this.file = opts.stateDir ? join(opts.stateDir, 'queue', 'fts', 'fts-queue') : undefined;
    this.persist = !!opts.persist && this.file !== undefined;
    if (this.file && existsSync(this.file)) {
      for (const chunk of fgetsChunks(readFileSync(this.file, 'utf8'))) this.seen.add(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk);
    }
  }

  /**
   * True the first time `key` is seen, and remembers it (even if the rule fails later on, 6.5).
   * For `ids` decoders, when 3 or more of the last listSize keys share more than minSizeForStr leading
   * characters with this one, the key is stored cut to that length, so a flood of near-identical IDS
   * events counts as seen.
   */
  check(key: string, isIds: boolean): boolean {
    if (this.seen.has(key)) return false;
    let line = key;
    if (isIds) {
      let similar = 0;
      for (let i = this.recent.length - 1; i >= 0; i--) {
        if (commonPrefix(this.recent[i], key) > this.minSize && ++similar > 2) {
          line = key.slice(0, this.minSize);
          break;
        }
      }
      this.recent.push(line);
      if (this.recent.length > this.listSize) this.recent.shift();
    }
    if (this.seen.has(line)) return false;
    this.seen.add(line);
    if (this.persist && this.file) appendLine(this.file, line);
    return true;
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }
}

/**
 * The ignore file of the `<ignore>`/`<check_if_ignored>` elements (fts.c:AddtoIGnore/IGnore):
 * lines "<decoder name> <id> <dstuser> <srcip> <dstip> <data> <system_name> <location>".
 */
export class IgnoreStore {
  private readonly lines = new Set<string>();
  private readonly file: string | undefined;
  private readonly writable: boolean;
  private readonly persist: boolean;

  /**
   * Lines are kept in memory, and with `persist` appended to `<stateDir>/queue/fts/ig-queue`.
   * `writable: false` is ossec-logtest: AddtoIGnore returns before writing and nothing else keeps the
   * line, so `<ignore>` has no effect within a logtest run; existing lines are still checked.
   */
  constructor(opts: { stateDir?: string; persist?: boolean; writable?: boolean } = {}) {
    this.file = opts.stateDir ? join(opts.stateDir, 'queue', 'fts', 'ig-queue') : undefined;
    this.writable = opts.writable ?? true;
    this.persist = this.writable && !!opts.persist && this.file !== undefined;
    if (this.file && existsSync(this.file)) for (const chunk of fgetsChunks(readFileSync(this.file, 'utf8'))) this.lines.add(chunk);
  }

  add(line: string): void {
    if (!this.writable) return;
    const full = `${line}\n`;
    for (const chunk of fgetsChunks(full)) this.lines.add(chunk);
    if (this.persist && this.file) appendLine(this.file, line);
  }

  /** IGnore compares the snprintf'd line (with its newline, cut to 255) to each fgets() chunk. */
  has(line: string): boolean {
    const full = `${line}\n`;
    return this.lines.has(full.length > LINE_MAX ? full.slice(0, LINE_MAX) : full);
  }
}

/**
 * The ignore line for a rule's mask (`mask`), with OSSEC's copy-paste bug kept: the data and
 * system_name positions always use the rule's `<ignore>` mask (`ignoreMask`), even when checking.
 */
export function ignoreLine(ev: EventInfo, decoderName: string | undefined, mask: number, ignoreMask: number): string {
  const f = ev.fields;
  const pick = (m: number, bit: number, name: string): string => ((m & bit) !== 0 ? (f.get(name) ?? '') : '');
  return (
    `${decoderName !== undefined && (mask & FTS_NAME) !== 0 ? decoderName : ''} ${pick(mask, FTS_ID, 'id')} ` +
    `${pick(mask, FTS_DSTUSER, 'dstuser')} ${pick(mask, FTS_SRCIP, 'srcip')} ${pick(mask, FTS_DSTIP, 'dstip')} ` +
    `${pick(ignoreMask, FTS_DATA, 'data')} ${pick(ignoreMask, FTS_SYSTEMNAME, 'system_name')} ` +
    `${(mask & FTS_LOCATION) !== 0 ? ev.location : ''}`
  );
}

/** The pieces fgets(buf, 256) returns: lines with their newline, long lines cut every 255 chars. */
function fgetsChunks(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const end = Math.min(lineEnd, i + LINE_MAX);
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/** OS_StrHowClosedMatch: how many leading characters two strings share. */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function appendLine(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `${line}\n`, { mode: 0o600 });
}
