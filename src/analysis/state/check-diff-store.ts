import { existsSync, openSync, readSync, closeSync, fstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, OspatrolError } from '../../errors.js';
import { writeFileAtomic } from '../../storage/atomic-write.js';
import { locationComponent } from './location-component.js';

/**
 * check_diff state is written without an fsync per write (one per changed output cost more than
 * half of local mode's time, bench/): a machine crash can only take the state back to an earlier
 * output, and then the change is reported again, not lost.
 */
const UNSYNCED = { sync: false } as const;

/**
 * Where `<check_diff/>` keeps the last output it saw.
 *
 * OSSEC keys it by (host, rule id) only (ossec-analysis.md 7), so one rule matching several
 * commands makes them overwrite each other's output and alert on every run. The engine keys it by
 * (host, rule id, location) through the `*Entry` methods; `read`/`write` are OSSEC's (host, rule)
 * slot, kept for tools and tests that speak OSSEC's layout.
 */
export interface CheckDiffStore {
  /** OSSEC's (host, rule) slot: the stored output, or undefined. Throws on I/O errors. */
  read(host: string, ruleId: number): string | undefined;
  /** Replaces OSSEC's (host, rule) slot. Throws on I/O errors. */
  write(host: string, ruleId: number, output: string): void;
  /**
   * The state of one (host, rule, location), or undefined on first sight. Throws on I/O errors.
   * `adopt` is asked before an output stored under OSSEC's (host, rule) key is taken over (see
   * FileCheckDiffStore); without it the first location asking takes it.
   */
  readEntry(key: DiffKey, adopt?: (stored: string) => boolean): DiffEntry | undefined;
  /** Replaces the stored output of one (host, rule, location). Throws on I/O errors. */
  writeText(key: DiffKey, text: string): void;
  /** Replaces (or with undefined, removes) the option state kept beside it (flapping). */
  writeExtra(key: DiffKey, extra: string | undefined): void;
  /** Persists whatever waits in memory (see check-diff-write-behind.ts). Throws on I/O errors. */
  close?(): void;
}

export interface DiffKey {
  /** OSSEC's host: the agent name, else the event's hostname. */
  host: string;
  ruleId: number;
  /** The event's location without an agent's `(name) ip->` prefix. */
  location: string;
}

export interface DiffEntry {
  /** The stored output (the reference the next output is compared with). */
  text: string;
  /** Option state kept beside it (JSON of the flapping state), if any. */
  extra: string | undefined;
  /**
   * True when this read took over an output stored under OSSEC's (host, rule) key by OSSEC or an
   * earlier OSPatrol: its format may differ (OSSEC removed newlines), see decide.ts.
   */
  adopted: boolean;
}

/**
 * OSSEC refuses outputs of 8192 bytes or more (dodiff.c; it never sees them, as a message is at most
 * 6144 bytes). Our command outputs can be larger, so the limit is ours to choose: outputs of this many
 * bytes or more are treated the way OSSEC treats its oversize ones (no match, state untouched, one
 * warning), which keeps a runaway command from filling the disk or memory.
 */
export const DEFAULT_CHECK_DIFF_MAX_BYTES = 1024 * 1024;

/**
 * The check_diff decision (dodiff.c:doDiff):
 * * nothing stored yet → store `output` silently, no match (the first run never alerts);
 * * stored text equals `output` exactly (case and whitespace matter) → no match;
 * * different → store `output`, and return the previous text (the caller reports a match and puts
 *   `Previous output:` and this text in the alert's context).
 * Returns undefined for "no match". Oversize outputs and I/O errors are reported through `warn` and
 * count as "no match" with the state left as it was, as in OSSEC.
 */
export function checkDiff(
  store: CheckDiffStore,
  host: string,
  ruleId: number,
  output: string,
  maxBytes: number = DEFAULT_CHECK_DIFF_MAX_BYTES,
  warn?: (message: string) => void,
): string | undefined {
  // Byte length only matters near the limit; a UTF-16 length below a third of it is always under.
  if (output.length * 3 >= maxBytes && Buffer.byteLength(output, 'utf8') >= maxBytes) {
    warn?.(`check_diff: output of rule ${ruleId} for host '${host}' is ${Buffer.byteLength(output)} bytes, over the ${maxBytes}-byte limit; not compared`);
    return undefined;
  }
  let previous: string | undefined;
  try {
    previous = store.read(host, ruleId);
  } catch (e) {
    warn?.(`check_diff: cannot read the state of rule ${ruleId} for host '${host}': ${(e as Error).message}`);
    return undefined;
  }
  if (previous === output) return undefined;
  try {
    store.write(host, ruleId, output);
  } catch (e) {
    // OSSEC logs the failed write and still reports the change (dodiff.c).
    warn?.(`check_diff: cannot write the state of rule ${ruleId} for host '${host}': ${(e as Error).message}`);
  }
  return previous;
}

/** For ossec-logtest without a state directory: state lives as long as the process. */
export class MemoryCheckDiffStore implements CheckDiffStore {
  private readonly entries = new Map<string, string>();
  private readonly located = new Map<string, { text: string; extra: string | undefined }>();
  read(host: string, ruleId: number): string | undefined {
    return this.entries.get(`${ruleId}\u0000${host}`);
  }
  write(host: string, ruleId: number, output: string): void {
    this.entries.set(`${ruleId}\u0000${host}`, output);
  }
  readEntry(key: DiffKey): DiffEntry | undefined {
    const e = this.located.get(memoryKey(key));
    return e && { text: e.text, extra: e.extra, adopted: false };
  }
  writeText(key: DiffKey, text: string): void {
    const k = memoryKey(key);
    this.located.set(k, { text, extra: this.located.get(k)?.extra });
  }
  writeExtra(key: DiffKey, extra: string | undefined): void {
    const e = this.located.get(memoryKey(key));
    if (e) e.extra = extra;
  }
}

function memoryKey(key: DiffKey): string {
  return `${key.ruleId}\u0000${key.host}\u0000${key.location}`;
}

/**
 * OSSEC's on-disk layout, `<stateDir>/queue/diff/<host>/<rule id>/last-entry`, so that state written
 * by OSSEC carries over, extended to one state per location:
 * * the first location seen for a (host, rule) keeps OSSEC's file, and its name is recorded in
 *   `last-entry.location` beside it. A rule watching one command (the usual case) therefore keeps
 *   its state exactly where OSSEC and its tools look for it, in both directions of an upgrade;
 * * every other location gets `<host>/<rule id>/<location>/last-entry` (location-component.ts);
 * * an OSSEC-written `last-entry` without `last-entry.location` is adopted by the first location
 *   seen that `adopt` accepts (OSSEC's file holds whichever command ran last; the engine accepts
 *   it for the command whose name its text carries); the others start their own;
 * * option state (flapping) sits beside the output: `last-entry.flapping`, `<location>/flapping`.
 * Differences from OSSEC's files, on purpose:
 * * we write the text without OSSEC's trailing NUL byte; a NUL (and anything after it, which C's
 *   strcmp never sees) is ignored when reading, so OSSEC-written files read back the same;
 * * an empty file reads as the empty output (OSSEC treats it as a read error forever after);
 * * files are written atomically with mode 0600 (OSSEC: fopen "w", umask permitting);
 * * the host is used as a single path component: `/`, `\`, `%` and the names `.`/`..`/`` are
 *   percent-encoded, because a syslog header host may contain `/` (a valid name character) and OSSEC
 *   would then write outside queue/diff. Ordinary host and agent names map to the same path as OSSEC.
 */
export class FileCheckDiffStore implements CheckDiffStore {
  readonly root: string;
  private readonly maxBytes: number;

  constructor(stateDir: string, maxBytes: number = DEFAULT_CHECK_DIFF_MAX_BYTES) {
    this.root = join(stateDir, 'queue', 'diff');
    this.maxBytes = maxBytes;
  }

  pathOf(host: string, ruleId: number): string {
    return join(this.ruleDir(host, ruleId), 'last-entry');
  }

  read(host: string, ruleId: number): string | undefined {
    return this.readText(this.pathOf(host, ruleId));
  }

  write(host: string, ruleId: number, output: string): void {
    writeFileAtomic(this.pathOf(host, ruleId), output, 0o600, UNSYNCED);
  }

  readEntry(key: DiffKey, adopt?: (stored: string) => boolean): DiffEntry | undefined {
    const slot = this.slotOf(key);
    const text = this.readText(slot.entry);
    if (text === undefined) return undefined;
    if (slot.claim === 'legacy') {
      if (adopt && !adopt(text)) return undefined;
      writeFileAtomic(slot.owner, key.location, 0o600, UNSYNCED);
    }
    // The extra state is JSON holding up to one output, escaped: allow for the escapes.
    return { text, extra: this.readText(slot.extra, this.maxBytes * 6 + 65536), adopted: slot.claim === 'legacy' };
  }

  writeText(key: DiffKey, text: string): void {
    const slot = this.writableSlot(key);
    // Claim OSSEC's slot before filling it, so a crash in between leaves it owned and empty.
    if (slot.claim === 'fresh') writeFileAtomic(slot.owner, key.location, 0o600, UNSYNCED);
    writeFileAtomic(slot.entry, text, 0o600, UNSYNCED);
  }

  writeExtra(key: DiffKey, extra: string | undefined): void {
    const slot = this.writableSlot(key);
    if (extra !== undefined) writeFileAtomic(slot.extra, extra, 0o600, UNSYNCED);
    else if (existsSync(slot.extra)) unlinkSync(slot.extra);
  }

  /**
   * Where the state of `key` lives: OSSEC's slot when this location owns it or may take it (no
   * owner yet: `fresh` when the slot is empty, `legacy` when an OSSEC file waits there to be
   * adopted); else the location's own folder.
   */
  private slotOf(key: DiffKey): Slot {
    const dir = this.ruleDir(key.host, key.ruleId);
    const legacy = { entry: join(dir, 'last-entry'), extra: join(dir, 'last-entry.flapping'), owner: join(dir, 'last-entry.location') };
    const own = this.ownSlot(key);
    const owner = this.readText(legacy.owner);
    if (owner === key.location) return { ...legacy, claim: 'no' };
    if (existsSync(own.entry)) return own;
    if (owner === undefined) return { ...legacy, claim: existsSync(legacy.entry) ? 'legacy' : 'fresh' };
    return own;
  }

  /** An OSSEC file this location did not adopt (on reading) stays for the location it belongs to. */
  private writableSlot(key: DiffKey): Slot {
    const slot = this.slotOf(key);
    return slot.claim === 'legacy' ? this.ownSlot(key) : slot;
  }

  private ownSlot(key: DiffKey): Slot {
    const ownDir = join(this.ruleDir(key.host, key.ruleId), locationComponent(key.location));
    return { entry: join(ownDir, 'last-entry'), extra: join(ownDir, 'flapping'), owner: '', claim: 'no' };
  }

  private ruleDir(host: string, ruleId: number): string {
    return join(this.root, hostComponent(host), String(ruleId));
  }

  private readText(path: string, maxBytes: number = this.maxBytes): string | undefined {
    if (!existsSync(path)) return undefined;
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      // One byte of slack for the NUL an OSSEC-written file ends with.
      if (size > maxBytes + 1) {
        throw new OspatrolError(ErrorCodes.STATE_IO, `state file is ${size} bytes, over the ${maxBytes}-byte limit`, { file: path });
      }
      const buf = Buffer.alloc(size);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, buf, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      let end = buf.indexOf(0);
      if (end < 0 || end > off) end = off;
      return buf.toString('utf8', 0, end);
    } finally {
      closeSync(fd);
    }
  }
}

interface Slot {
  entry: string;
  extra: string;
  /** `last-entry.location` (OSSEC's slot only). */
  owner: string;
  claim: 'no' | 'fresh' | 'legacy';
}

/** The host part of the path; see FileCheckDiffStore for why it is encoded. */
export function hostComponent(host: string): string {
  if (host === '') return '%';
  if (host === '.') return '%2E';
  if (host === '..') return '%2E%2E';
  if (!/[%/\\\u0000]/.test(host)) return host;
  return host.replace(/[%/\\\u0000]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
