import type { Migration } from '../sql/migration.js';

/**
 * The MySQL / MariaDB schema of the logical alert store (sql/dialect.ts), as migrations; the same
 * versions as sqlite-schema.ts. Types follow OSSEC's mysql.schema where they can hold what we
 * store: text that may be long (logs, command output, context, diff) is MEDIUMTEXT (16 MiB),
 * since TEXT stops at 64 KiB and a full_command output can exceed it.
 *
 * Exactness:
 * - utf8mb4 everywhere (emoji); the collation is binary and NO PAD when the server has one
 *   (`utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL 8), so `web1` and `web1 `, or
 *   `A` and `a`, are different names, as they are everywhere else. It is chosen at migration
 *   time (mysql-connection.ts) and substituted for {COLLATE}.
 * - A location name is unbounded, and InnoDB indexes at most 3072 bytes: locations are unique by
 *   a stored SHA-256 of the name instead (`name_hash`).
 * - MySQL DDL is not transactional: each statement commits. v1 uses IF NOT EXISTS and the
 *   migrator treats "already exists" errors as done, so a migration cut short is simply re-run.
 */
export function mysqlMigrations(collation: string): readonly Migration[] {
  const t = `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation}`;
  return [
    {
      version: 1,
      description: 'OSSEC os_dbd schema adapted: server, agent, location, category, signature, mapping, alert, data',
      statements: [
        `CREATE TABLE IF NOT EXISTS server (
          id           INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
          hostname     VARCHAR(255) NOT NULL,
          version      VARCHAR(255) NOT NULL DEFAULT '',
          information  TEXT         NOT NULL,
          last_contact BIGINT       NOT NULL,
          UNIQUE KEY server_by_hostname (hostname)
        ) ${t}`,
        `CREATE TABLE IF NOT EXISTS agent (
          id           INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
          server_id    INT          NOT NULL,
          agent_key    VARCHAR(64)  NOT NULL,
          name         VARCHAR(255) NOT NULL,
          ip_address   VARCHAR(64)  NOT NULL DEFAULT '',
          version      VARCHAR(255) NULL,
          information  TEXT         NULL,
          last_contact BIGINT       NULL,
          UNIQUE KEY agent_identity (server_id, agent_key, name, ip_address),
          FOREIGN KEY (server_id) REFERENCES server(id)
        ) ${t}`,
        `CREATE TABLE IF NOT EXISTS location (
          id        INT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
          server_id INT        NOT NULL,
          name      MEDIUMTEXT NOT NULL,
          name_hash BINARY(32) AS (UNHEX(SHA2(name, 256))) STORED,
          UNIQUE KEY location_by_name (server_id, name_hash),
          FOREIGN KEY (server_id) REFERENCES server(id)
        ) ${t}`,
        `CREATE TABLE IF NOT EXISTS category (
          cat_id   INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
          cat_name VARCHAR(255) NOT NULL,
          UNIQUE KEY category_by_name (cat_name)
        ) ${t}`,
        `CREATE TABLE IF NOT EXISTS signature (
          id          INT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
          rule_id     INT      NOT NULL,
          level       SMALLINT NOT NULL,
          description TEXT     NOT NULL,
          UNIQUE KEY signature_by_rule (rule_id)
        ) ${t}`,
        `CREATE TABLE IF NOT EXISTS signature_category_mapping (
          id      INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          rule_id INT NOT NULL,
          cat_id  INT NOT NULL,
          UNIQUE KEY mapping_pair (rule_id, cat_id),
          FOREIGN KEY (rule_id) REFERENCES signature(rule_id),
          FOREIGN KEY (cat_id) REFERENCES category(cat_id)
        ) ${t}`,
        `CREATE TABLE IF NOT EXISTS alert (
          id               BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
          server_id        INT         NOT NULL,
          alertid          VARCHAR(64) NOT NULL,
          rule_id          INT         NOT NULL,
          level            SMALLINT    NOT NULL,
          timestamp        BIGINT      NOT NULL,
          location_id      INT         NOT NULL,
          agent_id         INT         NOT NULL,
          hostname         TEXT        NOT NULL,
          src_ip           TEXT        NULL,
          src_port         INT         NULL,
          dst_ip           TEXT        NULL,
          dst_port         INT         NULL,
          dst_user         TEXT        NULL,
          full_log         MEDIUMTEXT  NOT NULL,
          previous_output  MEDIUMTEXT  NULL,
          context          MEDIUMTEXT  NOT NULL,
          rule_description TEXT        NOT NULL,
          rule_groups      TEXT        NOT NULL,
          mail             TINYINT     NOT NULL DEFAULT 0,
          firedtimes       INT         NULL,
          rule_info        TEXT        NULL,
          decoder_name     TEXT        NULL,
          decoder_parent   TEXT        NULL,
          program_name     TEXT        NULL,
          is_hidden        TINYINT     NOT NULL DEFAULT 0,
          inserted_at      BIGINT      NOT NULL,
          UNIQUE KEY alert_by_alertid (server_id, alertid),
          KEY alert_by_time (timestamp),
          KEY alert_by_level (level, timestamp),
          KEY alert_by_rule (rule_id, timestamp),
          KEY alert_by_agent (agent_id, timestamp),
          KEY alert_by_location (location_id, timestamp),
          FOREIGN KEY (server_id) REFERENCES server(id),
          FOREIGN KEY (rule_id) REFERENCES signature(rule_id),
          FOREIGN KEY (location_id) REFERENCES location(id),
          FOREIGN KEY (agent_id) REFERENCES agent(id)
        ) ${t}`,
        `CREATE TABLE IF NOT EXISTS data (
          id       BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
          alert_id BIGINT       NOT NULL,
          name     VARCHAR(255) NOT NULL,
          value    MEDIUMTEXT   NOT NULL,
          UNIQUE KEY data_by_name (alert_id, name),
          FOREIGN KEY (alert_id) REFERENCES alert(id) ON DELETE CASCADE
        ) ${t}`,
      ],
    },
    {
      version: 2,
      description: 'alert.diff: the check_diff change as JSON',
      statements: [`ALTER TABLE alert ADD COLUMN diff MEDIUMTEXT NULL`],
    },
  ];
}
