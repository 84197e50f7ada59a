import { join } from 'node:path';
import { writeFileAtomic } from '../../storage/atomic-write.js';
import { readJsonState } from '../../storage/json-state-file.js';
import { SourceCounters, type SourceContext } from '../source.js';

/**
 * Where each tailed file was left, so a restart resumes exactly there (OSSEC persists nothing and
 * seeks to the end, losing everything written while it was down, ossec-platform.md 1.11 item 1).
 */
export interface FileCheckpoint {
  path: string;
  /** Device and inode as decimal strings: 64-bit inode numbers do not fit a JSON number. */
  dev: string;
  ino: string;
  /** Offset of the first byte not yet fully handled (always at a line start unless `skipping`). */
  pos: number;
  /** `pos` lies inside an over-long line whose rest is being skipped. */
  skipping: boolean;
  /** Length and SHA-256 of the head fingerprint (fingerprint.ts). */
  headLen: number;
  headHash: string;
}

/** Bump when the shape changes; an unknown version is ignored (logged), never misread. */
export const CHECKPOINT_VERSION = 1;

interface CheckpointFile {
  version: number;
  savedAt: string;
  files: FileCheckpoint[];
}

export function defaultCheckpointPath(stateDir: string): string {
  return join(stateDir, 'queue', 'logcollector', 'positions.json');
}

/**
 * The positions file: versioned JSON, replaced atomically (0600) so a crash leaves the previous or
 * the new positions, never a torn file. Neither loading nor saving ever throws: a broken state file
 * must not stop collection, it only costs the resume (logged and counted).
 */
export class CheckpointStore {
  private lastWritten: string | undefined;

  constructor(
    readonly file: string,
    private readonly ctx: SourceContext,
  ) {}

  load(): FileCheckpoint[] {
    const data = readJsonState(this.file, (reason, e) =>
      this.invalid(reason === 'unreadable' ? 'cannot read positions file' : 'positions file is not valid JSON; starting without positions', e),
    );
    if (data === undefined) return [];
    const obj = data as Partial<CheckpointFile>;
    if (typeof obj !== 'object' || obj === null || obj.version !== CHECKPOINT_VERSION || !Array.isArray(obj.files)) {
      this.invalid(`positions file has an unknown version or shape (expected version ${CHECKPOINT_VERSION})`);
      return [];
    }
    const out: FileCheckpoint[] = [];
    for (const f of obj.files) {
      if (isCheckpoint(f)) out.push(f);
      else this.invalid('dropping a malformed positions entry', undefined, { entry: f });
    }
    return out;
  }

  /** Writes only when something changed. Returns false on failure (already logged). */
  save(entries: FileCheckpoint[]): boolean {
    const files = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const body = JSON.stringify(files);
    if (body === this.lastWritten) return true;
    const doc: CheckpointFile = { version: CHECKPOINT_VERSION, savedAt: new Date(this.ctx.now()).toISOString(), files };
    try {
      writeFileAtomic(this.file, `${JSON.stringify(doc, null, 2)}\n`, 0o600);
      this.lastWritten = body;
      return true;
    } catch (e) {
      this.ctx.count(SourceCounters.LOGFILE_CHECKPOINT_FAILED);
      this.ctx.log('error', 'cannot write positions file', { file: this.file, error: String(e) });
      return false;
    }
  }

  private invalid(msg: string, e?: unknown, extra: Record<string, unknown> = {}): void {
    this.ctx.count(SourceCounters.LOGFILE_CHECKPOINT_INVALID);
    this.ctx.log('warn', msg, { file: this.file, ...(e === undefined ? {} : { error: String(e) }), ...extra });
  }
}

function isCheckpoint(f: unknown): f is FileCheckpoint {
  const c = f as Partial<FileCheckpoint>;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.path === 'string' &&
    typeof c.dev === 'string' &&
    /^\d+$/.test(c.dev) &&
    typeof c.ino === 'string' &&
    /^\d+$/.test(c.ino) &&
    Number.isSafeInteger(c.pos) &&
    (c.pos as number) >= 0 &&
    typeof c.skipping === 'boolean' &&
    Number.isSafeInteger(c.headLen) &&
    (c.headLen as number) >= 0 &&
    typeof c.headHash === 'string'
  );
}
