import type { AlertQueryShape } from '../sql/alert-query.js';
import { ALERT_INSERT_PARAMS } from '../sql/alert-row.js';
import { questionMarkRows, type SqlDialect } from '../sql/dialect.js';
import { ALERT_INSERT_COLUMNS } from '../sqlite/sqlite-dialect.js';
import { mysqlMigrations } from './mysql-schema.js';

/**
 * The MySQL / MariaDB spelling of the alert store's statements (sql/dialect.ts). "Nothing on
 * conflict" is `ON DUPLICATE KEY UPDATE id = id`, never `INSERT IGNORE`, which would also turn a
 * too-long value or a bad date into a warning and store something else silently. Statements run
 * as server-side prepared statements (mysql2 `execute`): values never pass through escaping.
 */
const ALERT_COLUMNS = `
  a.id AS row_id, a.alertid, a.timestamp, a.rule_id, a.level, a.rule_description, a.rule_groups,
  a.mail, a.firedtimes, a.rule_info, g.agent_key, g.name AS agent_name, g.ip_address AS agent_ip,
  a.hostname, l.name AS location, a.full_log, a.previous_output, a.diff, a.context, a.decoder_name,
  a.decoder_parent, a.program_name`;

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
    selectAlerts(shape: AlertQueryShape): string {
      const where: string[] = [];
      if (shape.level) where.push('a.level >= ?');
      if (shape.ruleId) where.push('a.rule_id = ?');
      if (shape.agent) where.push('(g.name = ? OR g.agent_key = ?)');
      if (shape.since) where.push('a.timestamp >= ?');
      const dir = shape.order === 'oldest' ? 'ASC' : 'DESC';
      return `SELECT ${ALERT_COLUMNS}
        FROM alert a JOIN location l ON l.id = a.location_id JOIN agent g ON g.id = a.agent_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.timestamp ${dir}, a.id ${dir}
        LIMIT ?`;
    },
  };
}
