import { ALERT_INSERT_PARAMS } from '../sql/alert-row.js';
import { ALERT_INSERT_COLUMNS, questionMarkRows, selectAlertsSql, type SqlDialect } from '../sql/dialect.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';

/**
 * The SQLite spelling of the alert store's statements (sql/dialect.ts); the schema itself is in
 * sqlite-schema.ts. Only SQL text lives here; every value is a `?` parameter.
 */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  migrations: SQLITE_MIGRATIONS,
  sql: {
    createSchemaVersion: `CREATE TABLE IF NOT EXISTS schema_version (
      version     INTEGER PRIMARY KEY,
      applied_at  INTEGER NOT NULL,
      description TEXT    NOT NULL
    )`,
    selectSchemaVersion: `SELECT COALESCE(MAX(version), 0) AS version FROM schema_version`,
    insertSchemaVersion: `INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)`,
    upsertServer: `INSERT INTO server (hostname, version, information, last_contact) VALUES (?, ?, ?, ?)
      ON CONFLICT (hostname) DO UPDATE SET version = excluded.version, information = excluded.information,
        last_contact = excluded.last_contact`,
    selectServer: `SELECT id FROM server WHERE hostname = ?`,
    insertAgent: `INSERT INTO agent (server_id, agent_key, name, ip_address) VALUES (?, ?, ?, ?)
      ON CONFLICT (server_id, agent_key, name, ip_address) DO NOTHING`,
    selectAgent: `SELECT id FROM agent WHERE server_id = ? AND agent_key = ? AND name = ? AND ip_address = ?`,
    insertLocation: `INSERT INTO location (server_id, name) VALUES (?, ?) ON CONFLICT (server_id, name) DO NOTHING`,
    selectLocation: `SELECT id FROM location WHERE server_id = ? AND name = ?`,
    insertCategory: `INSERT INTO category (cat_name) VALUES (?) ON CONFLICT (cat_name) DO NOTHING`,
    selectCategory: `SELECT cat_id FROM category WHERE cat_name = ?`,
    upsertSignature: `INSERT INTO signature (rule_id, level, description) VALUES (?, ?, ?)
      ON CONFLICT (rule_id) DO UPDATE SET level = excluded.level, description = excluded.description
      WHERE level IS NOT excluded.level OR description IS NOT excluded.description`,
    deleteSignatureMappings: `DELETE FROM signature_category_mapping WHERE rule_id = ?`,
    insertSignatureMapping: `INSERT INTO signature_category_mapping (rule_id, cat_id) VALUES (?, ?)
      ON CONFLICT (rule_id, cat_id) DO NOTHING`,
    selectData: `SELECT name, value FROM data WHERE alert_id = ? ORDER BY id`,
  },
  maxRowsPerStatement: 512,
  // Values are bound, not part of the SQL text: only memory limits them.
  maxBytesPerStatement: 256 * 1024 * 1024,
  insertAlerts: (rows) => `INSERT INTO alert (${ALERT_INSERT_COLUMNS})
      VALUES ${questionMarkRows(rows, ALERT_INSERT_PARAMS)}
      ON CONFLICT (server_id, alertid) DO NOTHING`,
  insertAlertsReturning: (rows) => `INSERT INTO alert (${ALERT_INSERT_COLUMNS})
      VALUES ${questionMarkRows(rows, ALERT_INSERT_PARAMS)}
      ON CONFLICT (server_id, alertid) DO NOTHING RETURNING id, alertid`,
  selectAlertIds: (count) => `SELECT id, alertid FROM alert WHERE server_id = ? AND alertid IN (${Array(count).fill('?').join(', ')})`,
  insertData: (rows) => `INSERT INTO data (alert_id, name, value) VALUES ${questionMarkRows(rows, 3)}
      ON CONFLICT (alert_id, name) DO NOTHING`,
  selectAlerts: (shape) => selectAlertsSql(shape, () => '?'),
};
