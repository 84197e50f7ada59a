import type Database from 'better-sqlite3';
import type { Alert } from '../../alerts/alert.js';
import type { AlertQuery } from '../sql/alert-query.js';
import type { SqlDialect } from '../sql/dialect.js';
import { queryAlertsSteps, runStepsSync } from '../sql/write-steps.js';
import { SqliteStepRunner } from './sqlite-steps.js';

/**
 * queryAlerts over a better-sqlite3 connection, shared by the sink and by read-only tools. The
 * query itself is write-steps.ts's, the same for every database; statements are prepared once.
 */
export class SqliteAlertQuery {
  private readonly runner: SqliteStepRunner;

  constructor(
    db: Database.Database,
    private readonly dialect: SqlDialect,
  ) {
    this.runner = new SqliteStepRunner(db);
  }

  /** Throws RangeError/TypeError for a bad filter; the alerts come back whole (fields, context, previous output, diff). */
  run(q: AlertQuery = {}): Alert[] {
    return runStepsSync(queryAlertsSteps(this.dialect, q), this.runner.exec);
  }
}
