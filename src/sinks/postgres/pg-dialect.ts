import { ALERT_INSERT_PARAMS } from '../sql/alert-row.js';
import { ALERT_INSERT_COLUMNS, selectAlertsSql, type SqlDialect } from '../sql/dialect.js';
import { PG_MIGRATIONS } from './pg-schema.js';

/**
 * The PostgreSQL spelling of the alert store's statements (sql/dialect.ts): `$n` parameters,
 * `ON CONFLICT ... DO NOTHING`, `IS DISTINCT FROM`. Only SQL text; every value is a parameter.
 */
/** `($1, $2), ($3, $4)`: `rows` groups of `width` numbered parameters starting after `offset`. */
function dollarRows(rows: number, width: number, offset = 0): string {
  const out: string[] = [];
  let n = offset;
  for (let r = 0; r < rows; r++) {
    const group: string[] = [];
    for (let c = 0; c < width; c++) group.push(`$${++n}`);
    out.push(`(${group.join(', ')})`);
  }
  return out.join(',\n');
}

export const pgDialect: SqlDialect = {
  name: 'postgresql',
  migrations: PG_MIGRATIONS,
  sql: {
    createSchemaVersion: `CREATE TABLE IF NOT EXISTS schema_version (
      version     INTEGER PRIMARY KEY,
      applied_at  BIGINT  NOT NULL,
      description TEXT    NOT NULL
    )`,
    selectSchemaVersion: `SELECT COALESCE(MAX(version), 0) AS version FROM schema_version`,
    insertSchemaVersion: `INSERT INTO schema_version (version, applied_at, description) VALUES ($1, $2, $3)`,
    upsertServer: `INSERT INTO server (hostname, version, information, last_contact) VALUES ($1, $2, $3, $4)
      ON CONFLICT (hostname) DO UPDATE SET version = EXCLUDED.version, information = EXCLUDED.information,
        last_contact = EXCLUDED.last_contact`,
    selectServer: `SELECT id FROM server WHERE hostname = $1`,
    insertAgent: `INSERT INTO agent (server_id, agent_key, name, ip_address) VALUES ($1, $2, $3, $4)
      ON CONFLICT (server_id, agent_key, name, ip_address) DO NOTHING`,
    selectAgent: `SELECT id FROM agent WHERE server_id = $1 AND agent_key = $2 AND name = $3 AND ip_address = $4`,
    insertLocation: `INSERT INTO location (server_id, name) VALUES ($1, $2)
      ON CONFLICT (server_id, ospatrol_sha256(name)) DO NOTHING`,
    selectLocation: `SELECT id FROM location WHERE server_id = $1 AND ospatrol_sha256(name) = ospatrol_sha256($2) AND name = $2`,
    insertCategory: `INSERT INTO category (cat_name) VALUES ($1) ON CONFLICT (cat_name) DO NOTHING`,
    selectCategory: `SELECT cat_id FROM category WHERE cat_name = $1`,
    upsertSignature: `INSERT INTO signature (rule_id, level, description) VALUES ($1, $2, $3)
      ON CONFLICT (rule_id) DO UPDATE SET level = EXCLUDED.level, description = EXCLUDED.description
      WHERE signature.level IS DISTINCT FROM EXCLUDED.level OR signature.description IS DISTINCT FROM EXCLUDED.description`,
    deleteSignatureMappings: `DELETE FROM signature_category_mapping WHERE rule_id = $1`,
    insertSignatureMapping: `INSERT INTO signature_category_mapping (rule_id, cat_id) VALUES ($1, $2)
      ON CONFLICT (rule_id, cat_id) DO NOTHING`,
    selectData: `SELECT name, value FROM data WHERE alert_id = $1 ORDER BY id`,
  },
  // 26 x 1024 = 26624 parameters, well under the protocol's 65535.
  maxRowsPerStatement: 1024,
  maxBytesPerStatement: 64 * 1024 * 1024,
  insertAlerts: (rows) => `INSERT INTO alert (${ALERT_INSERT_COLUMNS})
      VALUES ${dollarRows(rows, ALERT_INSERT_PARAMS)}
      ON CONFLICT (server_id, alertid) DO NOTHING`,
  insertAlertsReturning: (rows) => `INSERT INTO alert (${ALERT_INSERT_COLUMNS})
      VALUES ${dollarRows(rows, ALERT_INSERT_PARAMS)}
      ON CONFLICT (server_id, alertid) DO NOTHING RETURNING id, alertid`,
  selectAlertIds: (count) =>
    `SELECT id, alertid FROM alert WHERE server_id = $1 AND alertid IN (${Array.from({ length: count }, (_, i) => `$${i + 2}`).join(', ')})`,
  insertData: (rows) => `INSERT INTO data (alert_id, name, value) VALUES ${dollarRows(rows, 3)}
      ON CONFLICT (alert_id, name) DO NOTHING`,
  selectAlerts(shape) {
    let n = 0;
    return selectAlertsSql(shape, () => `$${++n}`);
  },
};
