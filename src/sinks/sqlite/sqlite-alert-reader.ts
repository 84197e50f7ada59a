import Database from 'better-sqlite3';
import type { Alert } from '../../alerts/alert.js';
import type { AlertQuery } from '../sql/alert-query.js';
import type { SqlDialect } from '../sql/dialect.js';
import { SqliteAlertQuery } from './sqlite-alert-query.js';
import { openAlertsDatabase } from './sqlite-database.js';
import { sqliteDialect } from './sqlite-dialect.js';

/**
 * Read-only access to an alerts.db for tools (search, reports, re-printing alerts), safe beside a
 * running daemon: WAL lets it read while the sink writes. It never creates or migrates the file.
 */
export class SqliteAlertReader {
  private readonly db: Database.Database;
  private readonly query: SqliteAlertQuery;

  /** Throws when the file is missing, not a database, or of another schema version. */
  constructor(path: string, dialect: SqlDialect = sqliteDialect) {
    this.db = openAlertsDatabase(path, dialect, { readonly: true, now: Date.now });
    this.query = new SqliteAlertQuery(this.db, dialect);
  }

  queryAlerts(q: AlertQuery = {}): Alert[] {
    return this.query.run(q);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
