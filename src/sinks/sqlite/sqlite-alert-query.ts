import type Database from 'better-sqlite3';
import type { Alert } from '../../alerts/alert.js';
import { planAlertQuery, type AlertQuery } from '../sql/alert-query.js';
import { fromStoredAlert, type StoredAlertColumns } from '../sql/alert-row.js';
import type { SqlDialect } from '../sql/dialect.js';

/**
 * queryAlerts over a better-sqlite3 connection, shared by the sink and by read-only tools.
 * One prepared statement per filter shape (at most 32), each prepared on first use and kept.
 */
export class SqliteAlertQuery {
  private readonly byShape = new Map<string, Database.Statement>();
  private readonly selectData: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly dialect: SqlDialect,
  ) {
    this.selectData = db.prepare(dialect.sql.selectData);
  }

  /** Throws RangeError/TypeError for a bad filter; the alerts come back whole (fields, context, previous output). */
  run(q: AlertQuery = {}): Alert[] {
    const plan = planAlertQuery(q);
    let stmt = this.byShape.get(plan.key);
    if (!stmt) {
      stmt = this.db.prepare(this.dialect.selectAlerts(plan.shape));
      this.byShape.set(plan.key, stmt);
    }
    const rows = stmt.all(...plan.params) as StoredAlertColumns[];
    return rows.map((row) => fromStoredAlert(row, this.selectData.all(row.row_id) as Array<{ name: string; value: string }>));
  }
}
