import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replace a file's content so that a crash leaves either the old or the new content, never a mix:
 * write a temporary file beside it, flush it, rename it over the target. State files are private
 * (0600) and their folders 0700: they hold command output and positions, which may be sensitive.
 *
 * `sync: false` skips the flush: a crash of the process still leaves old or new content (the
 * kernel has the data), only a crash of the machine may lose the write. For state whose loss
 * repeats work instead of losing data (check_diff's previous output: the change is reported
 * again), that trade is worth an fsync per write.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600, opts: { sync?: boolean } = {}): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    if (opts.sync !== false) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
