import { ALERT_INSERT_PARAMS } from '../sql/alert-row.js';
import { ALERT_INSERT_COLUMNS, questionMarkRows, selectAlertsSql, type SqlDialect } from '../sql/dialect.js';
import { mysqlMigrations } from './mysql-schema.js';

/**
 * The MySQL / MariaDB spelling of the alert store's statements (sql/dialect.ts). "Nothing on
 * conflict" is `ON DUPLICATE KEY UPDATE id = id`, never `INSERT IGNORE`, which would also turn a
 * too-long value or a bad date into a warning and store something else silently. Statements run
 * as server-side prepared statements (mysql2 `execute`): values never pass through escaping.
 */
/** The dialect for a server whose best exact collation is `collation` (mysql-schema.ts). */
export function mysqlDialect(collation: string): SqlDialect {
  return {
    name: 'mysql',
    migrations: mysqlMigrations(collation),
    sql: {
      createSchemaVersion: `CREATE TABLE IF NOT EXISTS schema_version (
        version     INT    NOT NULL PRIMARY KEY,
        applied_at  BIGINT NOT NULL,
        description TEXT   NOT NULL
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation}`,
      selectSchemaVersion: `SELECT COALESCE(MAX(version), 0) AS version FROM schema_version`,
      insertSchemaVersion: `INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)`,
      upsertServer: `INSERT INTO server (hostname, version, information, last_contact) VALUES (?, ?, ?, ?)
        ON DUPLICATE KEY UPDATE version = VALUES(version), information = VALUES(information), last_contact = VALUES(last_contact)`,
      selectServer: `SELECT id FROM server WHERE hostname = ?`,
      insertAgent: `INSERT INTO agent (server_id, agent_key, name, ip_address) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id`,
      selectAgent: `SELECT id FROM agent WHERE server_id = ? AND agent_key = ? AND name = ? AND ip_address = ?`,
      insertLocation: `INSERT INTO location (server_id, name) VALUES (?, ?) ON DUPLICATE KEY UPDATE id = id`,
      selectLocation: `SELECT id FROM location WHERE server_id = ? AND name_hash = UNHEX(SHA2(?, 256))`,
      insertCategory: `INSERT INTO category (cat_name) VALUES (?) ON DUPLICATE KEY UPDATE cat_id = cat_id`,
      selectCategory: `SELECT cat_id FROM category WHERE cat_name = ?`,
      upsertSignature: `INSERT INTO signature (rule_id, level, description) VALUES (?, ?, ?)
        ON DUPLICATE KEY UPDATE level = VALUES(level), description = VALUES(description)`,
      deleteSignatureMappings: `DELETE FROM signature_category_mapping WHERE rule_id = ?`,
      insertSignatureMapping: `INSERT INTO signature_category_mapping (rule_id, cat_id) VALUES (?, ?) ON DUPLICATE KEY UPDATE id = id`,
      selectData: `SELECT name, value FROM data WHERE alert_id = ? ORDER BY id`,
    },
    maxRowsPerStatement: 512,
    // Well under MariaDB's default max_allowed_packet (16 MiB).
    maxBytesPerStatement: 8 * 1024 * 1024,
    insertAlerts: (rows) => `INSERT INTO alert (${ALERT_INSERT_COLUMNS})
        VALUES ${questionMarkRows(rows, ALERT_INSERT_PARAMS)}
        ON DUPLICATE KEY UPDATE id = id`,
    selectAlertIds: (count) => `SELECT id, alertid FROM alert WHERE server_id = ? AND alertid IN (${Array(count).fill('?').join(', ')})`,
    insertData: (rows) => `INSERT INTO data (alert_id, name, value) VALUES ${questionMarkRows(rows, 3)} ON DUPLICATE KEY UPDATE id = id`,
    selectAlerts: (shape) => selectAlertsSql(shape, () => '?'),
  };
}
