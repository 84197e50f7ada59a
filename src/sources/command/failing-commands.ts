import { join } from 'node:path';
import { writeFileAtomic } from '../../storage/atomic-write.js';
import { readJsonState } from '../../storage/json-state-file.js';
import { SourceCounters, type SourceContext } from '../source.js';

const VERSION = 1;

/** `<stateDir>/queue/commands/failing.json`. */
export function failingCommandsFile(stateDir: string): string {
  return join(stateDir, 'queue', 'commands', 'failing.json');
}

/**
 * The commands whose last run failed (by label), kept on disk (mode 0600, replaced atomically),
 * so that the first success after a restart still reports the recovery (rule 541) once. Written
 * only when the set changes: a command that keeps failing, or keeps succeeding, costs nothing.
 * An unreadable file is logged and counted, and the set starts empty: the cost is one recovery
 * not reported, never a crash.
 */
export class FailingCommands {
  private readonly labels: Set<string>;

  constructor(
    private readonly ctx: SourceContext,
    private readonly file: string = failingCommandsFile(ctx.stateDir),
  ) {
    this.labels = new Set(this.read());
  }

  /** Forgets commands no longer configured (so the file does not grow with old aliases). */
  retainOnly(labels: ReadonlySet<string>): void {
    let changed = false;
    for (const l of this.labels) if (!labels.has(l)) changed = this.labels.delete(l) || changed;
    if (changed) this.write();
  }

  /** Remembers a failed run. */
  add(label: string): void {
    if (this.labels.has(label)) return;
    this.labels.add(label);
    this.write();
  }

  /** A successful run: true when the command was failing (its recovery is to be reported). */
  recovered(label: string): boolean {
    if (!this.labels.delete(label)) return false;
    this.write();
    return true;
  }

  private read(): string[] {
    const doc = readJsonState(this.file, (reason, e) =>
      this.invalid(reason === 'unreadable' ? 'cannot read the failing-commands file; starting without it' : 'the failing-commands file is not valid JSON; starting without it', e),
    ) as { version?: unknown; failing?: unknown } | null | undefined;
    if (doc === undefined) return [];
    if (doc !== null && doc.version === VERSION && Array.isArray(doc.failing) && doc.failing.every((l) => typeof l === 'string')) return doc.failing as string[];
    this.invalid(`the failing-commands file has an unknown version or shape (expected version ${VERSION}); starting without it`);
    return [];
  }

  private write(): void {
    try {
      writeFileAtomic(this.file, `${JSON.stringify({ version: VERSION, failing: [...this.labels].sort() })}\n`, 0o600);
    } catch (e) {
      this.ctx.count(SourceCounters.COMMAND_STATE_FAILED);
      this.ctx.log('error', 'cannot write the failing-commands file; a recovery after a restart may go unreported', { file: this.file, error: String(e) });
    }
  }

  private invalid(msg: string, e?: unknown): void {
    this.ctx.count(SourceCounters.COMMAND_STATE_FAILED);
    this.ctx.log('warn', msg, { file: this.file, ...(e === undefined ? {} : { error: String(e) }) });
  }
}
