import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * A file is identified by device + inode, and its content by the first bytes ("head"). Inode alone
 * misses a truncation followed at once by more bytes than before (the size never shrinks as seen
 * between two polls), and inode numbers are reused after delete + recreate across restarts;
 * comparing the head catches both (deps.md 11: 30/30 with the head, 13/30 + garbage without).
 */
export const HEAD_BYTES = 256;

/** Up to `len` bytes from offset 0 (fewer if the file is shorter). */
export async function readHead(fh: FileHandle, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** Checkpoints store a hash, not the bytes: log content has no business in the state file. */
export function hashHead(head: Buffer): string {
  return createHash('sha256').update(head).digest('hex');
}

export interface FileIdentity {
  dev: bigint;
  ino: bigint;
}

export function identityKey(id: { dev: bigint | string; ino: bigint | string }): string {
  return `${id.dev}:${id.ino}`;
}

export function sameIdentity(a: { dev: bigint | string; ino: bigint | string }, b: { dev: bigint | string; ino: bigint | string }): boolean {
  return String(a.dev) === String(b.dev) && String(a.ino) === String(b.ino);
}
