import { existsSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, OspatrolError } from '../../errors.js';
import { writeFileAtomic } from '../../storage/atomic-write.js';

/**
 * Where `<check_diff/>` keeps the last output it saw, one entry per (host, rule id)
 * (ossec-analysis.md 7: the command and location are not part of the key).
 */
export interface CheckDiffStore {
  /** The stored output, or undefined when nothing has been stored yet. Throws on I/O errors. */
  read(host: string, ruleId: number): string | undefined;
  /** Replaces the stored output. Throws on I/O errors. */
  write(host: string, ruleId: number, output: string): void;
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
  read(host: string, ruleId: number): string | undefined {
    return this.entries.get(`${ruleId}\u0000${host}`);
  }
  write(host: string, ruleId: number, output: string): void {
    this.entries.set(`${ruleId}\u0000${host}`, output);
  }
}

/**
 * OSSEC's on-disk layout, `<stateDir>/queue/diff/<host>/<rule id>/last-entry`, so that state written
 * by OSSEC carries over. Differences, on purpose:
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
    return join(this.root, hostComponent(host), String(ruleId), 'last-entry');
  }

  read(host: string, ruleId: number): string | undefined {
    const path = this.pathOf(host, ruleId);
    if (!existsSync(path)) return undefined;
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      // One byte of slack for the NUL an OSSEC-written file ends with.
      if (size > this.maxBytes + 1) {
        throw new OspatrolError(ErrorCodes.STATE_IO, `state file is ${size} bytes, over the ${this.maxBytes}-byte limit`, { file: path });
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

  write(host: string, ruleId: number, output: string): void {
    writeFileAtomic(this.pathOf(host, ruleId), output, 0o600);
  }
}

/** The host part of the path; see FileCheckDiffStore for why it is encoded. */
export function hostComponent(host: string): string {
  if (host === '') return '%';
  if (host === '.') return '%2E';
  if (host === '..') return '%2E%2E';
  if (!/[%/\\\u0000]/.test(host)) return host;
  return host.replace(/[%/\\\u0000]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
