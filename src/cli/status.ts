import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CursorStore, type CursorRecord } from '../sinks/delivery/cursor-store.js';
import { decodeEntry, segmentFirstSeq, segmentName } from '../sinks/journal/journal-entry.js';
import { isRunning, lockOwner } from '../sinks/journal/journal-lock.js';
import { JournalReader } from '../sinks/journal/journal-reader.js';
import { cursorsDir, journalDir } from '../sinks/journal/paths.js';

export interface StatusOptions {
  dir: string;
  json?: boolean;
}

interface OutputLine {
  output: string;
  target: string;
  seq: number;
  lag: number;
  /** Event time of the oldest alert not yet delivered. */
  oldestWaiting: number | undefined;
  delivered: number;
  updatedAt: number;
  lastError: string | undefined;
  failingSince: number | undefined;
}

/**
 * `ospatrol status`: the alert journal and every output's cursor, read from the state directory
 * (`queue/alerts/`), so it works whether the daemon runs or not. For each output: where its cursor
 * is, how many alerts it is behind (lag) and since when the oldest of them waits, and its last
 * error while it is failing. Exit status 1 when an output is failing.
 */
export function statusCommand(opts: StatusOptions): void {
  const dir = journalDir(opts.dir);
  if (!existsSync(dir)) {
    process.stderr.write(`ospatrol: no alert journal in ${dir} (has "ospatrol local -D ${opts.dir}" run?)\n`);
    process.exitCode = 1;
    return;
  }
  const segments = readdirSync(dir)
    .map(segmentFirstSeq)
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
  const bytes = segments.reduce((n, s) => n + statSync(join(dir, segmentName(s))).size, 0);
  const head = lastSeq(dir, segments);
  const owner = lockOwner(join(dir, 'lock'));
  const running = owner !== undefined && isRunning(owner) ? owner : undefined;
  const outputs = new CursorStore(cursorsDir(opts.dir)).list().map((c) => line(c, head, dir, segments));

  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ running: running !== undefined, pid: running, journal: { firstSeq: segments[0] ?? head + 1, lastSeq: head, segments: segments.length, bytes }, outputs }, null, 2)}\n`,
    );
  } else {
    const now = Date.now();
    let out = `state directory: ${opts.dir} (${running !== undefined ? `ospatrol running, pid ${running}` : 'ospatrol not running'})\n`;
    out += `journal: last alert #${head}, ${segments.length} segment(s), ${(bytes / 1024 / 1024).toFixed(1)} MiB kept\n\n`;
    const rows = [['OUTPUT', 'CURSOR', 'LAG', 'OLDEST WAITING', 'UPDATED', 'DELIVERS TO', 'STATE']];
    for (const o of outputs) {
      rows.push([
        o.output,
        String(o.seq),
        String(o.lag),
        o.oldestWaiting !== undefined ? `${ago(now - o.oldestWaiting)} ago` : '-',
        `${ago(now - o.updatedAt)} ago`,
        o.target,
        o.lastError !== undefined ? `FAILING${o.failingSince !== undefined ? ` for ${ago(now - o.failingSince)}` : ''}: ${o.lastError}` : 'ok',
      ]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) out += `${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]) : c)).join('  ')}\n`;
    process.stdout.write(out);
  }
  if (outputs.some((o) => o.lastError !== undefined)) process.exitCode = 1;
}

function line(c: CursorRecord, head: number, dir: string, segments: number[]): OutputLine {
  let oldestWaiting: number | undefined;
  if (head > c.seq) {
    const r = new JournalReader({ dir, segments: () => segments });
    r.seek(c.seq, c.position);
    oldestWaiting = r.read(1)[0]?.alert.timestamp;
    r.close();
  }
  return {
    output: c.output,
    target: c.target,
    seq: c.seq,
    lag: Math.max(0, head - c.seq),
    oldestWaiting,
    delivered: c.delivered,
    updatedAt: c.updatedAt,
    lastError: c.lastError,
    failingSince: c.failingSince,
  };
}

/** The last seq in the journal: the last whole line of the newest segment that has one. */
function lastSeq(dir: string, segments: number[]): number {
  for (let i = segments.length - 1; i >= 0; i--) {
    const path = join(dir, segmentName(segments[i]));
    const size = statSync(path).size;
    if (size === 0) {
      if (i === segments.length - 1) return segments[i] - 1;
      continue;
    }
    const fd = openSync(path, 'r');
    try {
      // Read backwards in growing windows until a whole last line is in view.
      for (let window = 64 * 1024; ; window *= 4) {
        const start = Math.max(0, size - window);
        const buf = Buffer.allocUnsafe(size - start);
        readSync(fd, buf, 0, buf.length, start);
        const end = buf.lastIndexOf(10);
        if (end < 0) {
          if (start === 0) break;
          continue;
        }
        const begin = buf.lastIndexOf(10, end - 1) + 1;
        if (begin === 0 && start > 0) continue;
        try {
          return decodeEntry(buf.toString('utf8', begin, end)).seq;
        } catch {
          break;
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  return segments.length > 0 ? segments[segments.length - 1] - 1 : 0;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
