import type { JournalEntry } from '../journal/journal-entry.js';

/**
 * An output as the delivery loop drives it (output-runner.ts): it is handed journal entries in
 * order and says when they are done. Every output (alerts.log, alerts.json, the SQLite store,
 * database servers, syslog, e-mail) is one of these, each with its own cursor.
 *
 * Contract:
 * - `deliver(entries)` resolves once every entry is done: delivered, or deliberately not (an alert
 *   the output's filters exclude, or one its target refuses for its data, which the output logs).
 *   It rejects when the target failed; the loop then waits (back-off) and hands the same entries
 *   again, so delivery is at least once and outputs make replays harmless where the target allows
 *   it (alert id as key).
 * - An output that holds alerts back (mail grouping) answers `acknowledged()`: the highest seq up
 *   to which everything is done; it calls the `wake` function it was given when that moves on its
 *   own (a timer sent a held mail).
 */
export interface Output {
  /** Stable across restarts: the cursor file's name. */
  readonly name: string;
  /** What it delivers to, for logs and `ospatrol status`; never a password. */
  readonly target: string;
  /**
   * Local outputs are given longer to drain at stop (their target cannot be down); remote ones
   * a few seconds, then the rest waits in the journal for the next start.
   */
  readonly local: boolean;
  /**
   * After a crash, entries past the persisted cursor may already be delivered (the cursor is
   * saved after delivery). An output that can tell (a file: the bytes are there) returns how many
   * of `pending` (in order) it already has, given the state it saved with the cursor.
   */
  recover?(state: unknown, pending: () => JournalEntry | undefined): number;
  deliver(entries: readonly JournalEntry[]): void | Promise<void>;
  /**
   * While alerts keep coming, how long (ms) a batch smaller than the loop's batch size may wait
   * after the previous delivery for more entries. Databases store a batch in one transaction, whose
   * cost (and, for SQLite, the pages written again to its log) barely grows with its size. Default
   * 0: delivered as soon as read. A first alert after a quiet period is never held.
   */
  readonly lingerMs?: number;
  acknowledged?(): number;
  setWake?(wake: () => void): void;
  /** Saved with the cursor, handed back to `recover` after a crash. */
  cursorState?(): unknown;
  /** Whether a held-back acknowledgement should be persisted at once (mail: a resend is a duplicate mail). */
  readonly eagerCommit?: boolean;
  /** Stop: deliver what is held back now. May reject; what is not acknowledged is redelivered at the next start. */
  flush?(): Promise<void>;
  /**
   * A failure the output handles itself (mail it keeps retrying), for status and logs; the
   * acknowledged seq stays behind meanwhile, so the lag shows too.
   */
  lastError?(): string | undefined;
  /** After a failed deliver: forget held-back entries (they are handed again). */
  reset?(): void;
  close(): void | Promise<void>;
}
