import { readdir, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileCheckpoint } from './checkpoints.js';
import { hashHead, readHead, sameIdentity } from './fingerprint.js';

/**
 * Deciding where to start reading a file when the process (re)starts.
 */

/** Is the open file the one the checkpoint describes, with its content still under `pos`? */
export async function checkpointMatches(
  fh: FileHandle,
  id: { dev: bigint; ino: bigint },
  size: number,
  cp: FileCheckpoint,
): Promise<boolean> {
  if (!sameIdentity(id, cp) || size < cp.pos || size < cp.headLen) return false;
  return hashHead(await readHead(fh, cp.headLen)) === cp.headHash;
}

/**
 * The checkpointed file was renamed while we were stopped (logrotate ran): find it by inode among
 * the files beside the path (`messages.1`, `messages-20240101`, ...) so the lines written between
 * our stop and the rotation are still read. Compressed or moved-away files are out of reach.
 */
export async function findRenamed(cp: FileCheckpoint, skip: (path: string) => boolean): Promise<string | undefined> {
  const dir = dirname(cp.path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (p === cp.path || skip(p)) continue;
    try {
      const st = await stat(p, { bigint: true });
      if (st.isFile() && sameIdentity(st, cp)) return p;
    } catch {
      // vanished meanwhile
    }
  }
  return undefined;
}

/**
 * First start with only-future-events: begin after the last complete line, not at the very end, so
 * a line being written right now is read whole instead of as a fragment (which OSSEC emits).
 */
export async function lastLineStart(fh: FileHandle, size: number, window: number): Promise<number> {
  if (size === 0) return 0;
  const from = Math.max(0, size - window);
  const buf = Buffer.alloc(size - from);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  const nl = buf.subarray(0, got).lastIndexOf(0x0a);
  if (nl !== -1) return from + nl + 1;
  // No newline in reach: from 0 if the whole file is one partial line, else give up and take the end.
  return from === 0 ? 0 : size;
}
