import type Database from 'better-sqlite3';
import type { SqlStep, StepAnswer } from '../sql/write-steps.js';

/**
 * Runs write-steps.ts statements on a better-sqlite3 connection: each distinct SQL text is
 * prepared once and kept (the multi-row statements come in a few power-of-two sizes only).
 */
export class SqliteStepRunner {
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  readonly exec = (step: SqlStep): StepAnswer => {
    let stmt = this.prepared.get(step.sql);
    if (!stmt) {
      // A bound on memory should a caller ever generate unbounded distinct texts.
      if (this.prepared.size >= 512) this.prepared.clear();
      stmt = this.db.prepare(step.sql);
      this.prepared.set(step.sql, stmt);
    }
    return step.kind === 'all' ? (stmt.all(...step.params) as Array<Record<string, unknown>>) : stmt.run(...step.params).changes;
  };
}
