import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../storage/atomic-write.js';
import type { JournalPosition } from '../journal/journal-entry.js';

/**
 * Each output's cursor on the alert journal: `<stateDir>/queue/alerts/cursors/<output>.json`,
 * versioned JSON, replaced atomically (temporary file, fsync, rename; mode 0600), so a crash
 * leaves the old or the new cursor, never a torn one. The cursor also carries what `ospatrol
 * status` shows (target, last error) and the output's own resume state (a file output's position).
 */
export interface CursorRecord {
  version: 1;
  output: string;
  /** What the output delivers to, for people (never a password). */
  target: string;
  /** Every alert up to this seq is delivered (or deliberately filtered out). */
  seq: number;
  /** Where reading resumes: at or before the first entry after `seq`. */
  position?: JournalPosition;
  updatedAt: number;
  /** Alerts delivered since the output was created. */
  delivered: number;
  /** The last delivery failure while it lasts (cleared on success). */
  lastError?: string;
  failingSince?: number;
  /** Output-specific resume state. */
  state?: unknown;
}

const CURSOR_VERSION = 1;

export class CursorStore {
  constructor(readonly dir: string) {}

  /** The cursor of `output`, or undefined when there is none or it cannot be read (then the output starts anew). */
  read(output: string, warn?: (msg: string, fields: Record<string, unknown>) => void): CursorRecord | undefined {
    let text: string;
    try {
      text = readFileSync(this.pathOf(output), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn?.('cannot read an output cursor', { output, error: err });
      return undefined;
    }
    try {
      const rec = JSON.parse(text) as CursorRecord;
      if (rec.version !== CURSOR_VERSION || !Number.isSafeInteger(rec.seq) || rec.seq < 0) throw new Error('unknown version or shape');
      return rec;
    } catch (err) {
      warn?.('an output cursor is unreadable; the output starts again at the end of the journal', { output, error: err });
      return undefined;
    }
  }

  write(rec: Omit<CursorRecord, 'version'>): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(this.pathOf(rec.output), `${JSON.stringify({ version: CURSOR_VERSION, ...rec })}\n`);
  }

  /** Every readable cursor in the folder (status). */
  list(): CursorRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: CursorRecord[] = [];
    for (const n of names.sort()) {
      if (!n.endsWith('.json')) continue;
      const rec = this.read(n.slice(0, -'.json'.length));
      if (rec) out.push(rec);
    }
    return out;
  }

  /** The highest seq any cursor holds (0 when none): a floor for new journal sequence numbers. */
  maxSeq(): number {
    return this.list().reduce((m, r) => Math.max(m, r.seq), 0);
  }

  private pathOf(output: string): string {
    return join(this.dir, `${output}.json`);
  }
}

/**
 * A cursor file name for an output identity (`postgresql-user@host-5432-db`): readable, safe as a
 * file name, and distinct for distinct identities (a hash is added when characters were replaced).
 */
export function outputSlug(identity: string): string {
  const slug = identity.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 100);
  if (slug === identity) return slug;
  let h = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) h = Math.imul(h ^ identity.charCodeAt(i), 0x01000193) >>> 0;
  return `${slug}-${h.toString(16).padStart(8, '0')}`;
}
