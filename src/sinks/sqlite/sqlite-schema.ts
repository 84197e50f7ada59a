import type { Migration } from '../sql/migration.js';

/**
 * The SQLite schema of the logical alert store (sql/dialect.ts describes it), as migrations.
 * Append a migration for every change, never edit a released one: a database records the versions
 * it has had applied in schema_version.
 *
 * SQLite notes: `INTEGER PRIMARY KEY` is the rowid (auto-assigned); TEXT columns declare no length
 * (SQLite allows up to 1 GB), so locations and logs are stored whole; times are INTEGER epoch ms.
 * Tables are not STRICT so that the sqlite3 shells of older distributions (< 3.37) can still open
 * the file; alert-row.ts checks types before binding instead.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'OSSEC os_dbd schema adapted: server, agent, location, category, signature, mapping, alert, data',
    statements: [
      `CREATE TABLE server (
        id           INTEGER PRIMARY KEY,
        hostname     TEXT    NOT NULL UNIQUE,
        version      TEXT    NOT NULL DEFAULT '',
        information  TEXT    NOT NULL DEFAULT '',
        last_contact INTEGER NOT NULL
      )`,
      `CREATE TABLE agent (
        id           INTEGER PRIMARY KEY,
        server_id    INTEGER NOT NULL REFERENCES server(id),
        agent_key    TEXT    NOT NULL,
        name         TEXT    NOT NULL,
        ip_address   TEXT    NOT NULL DEFAULT '',
        version      TEXT,
        information  TEXT,
        last_contact INTEGER,
        UNIQUE (server_id, agent_key, name, ip_address)
      )`,
      `CREATE TABLE location (
        id        INTEGER PRIMARY KEY,
        server_id INTEGER NOT NULL REFERENCES server(id),
        name      TEXT    NOT NULL,
        UNIQUE (server_id, name)
      )`,
      `CREATE TABLE category (
        cat_id   INTEGER PRIMARY KEY,
        cat_name TEXT    NOT NULL UNIQUE
      )`,
      `CREATE TABLE signature (
        id          INTEGER PRIMARY KEY,
        rule_id     INTEGER NOT NULL UNIQUE,
        level       INTEGER NOT NULL,
        description TEXT    NOT NULL
      )`,
      `CREATE TABLE signature_category_mapping (
        id      INTEGER PRIMARY KEY,
        rule_id INTEGER NOT NULL REFERENCES signature(rule_id),
        cat_id  INTEGER NOT NULL REFERENCES category(cat_id),
        UNIQUE (rule_id, cat_id)
      )`,
      `CREATE TABLE alert (
        id               INTEGER PRIMARY KEY,
        server_id        INTEGER NOT NULL REFERENCES server(id),
        alertid          TEXT    NOT NULL,
        rule_id          INTEGER NOT NULL REFERENCES signature(rule_id),
        level            INTEGER NOT NULL,
        timestamp        INTEGER NOT NULL,
        location_id      INTEGER NOT NULL REFERENCES location(id),
        agent_id         INTEGER NOT NULL REFERENCES agent(id),
        hostname         TEXT    NOT NULL,
        src_ip           TEXT,
        src_port         INTEGER,
        dst_ip           TEXT,
        dst_port         INTEGER,
        dst_user         TEXT,
        full_log         TEXT    NOT NULL,
        previous_output  TEXT,
        context          TEXT    NOT NULL DEFAULT '[]',
        rule_description TEXT    NOT NULL,
        rule_groups      TEXT    NOT NULL,
        mail             INTEGER NOT NULL DEFAULT 0,
        firedtimes       INTEGER,
        rule_info        TEXT,
        decoder_name     TEXT,
        decoder_parent   TEXT,
        program_name     TEXT,
        is_hidden        INTEGER NOT NULL DEFAULT 0,
        inserted_at      INTEGER NOT NULL,
        UNIQUE (server_id, alertid)
      )`,
      // The read API filters by time, level, rule and agent, newest first.
      `CREATE INDEX alert_by_time ON alert (timestamp)`,
      `CREATE INDEX alert_by_level ON alert (level, timestamp)`,
      `CREATE INDEX alert_by_rule ON alert (rule_id, timestamp)`,
      `CREATE INDEX alert_by_agent ON alert (agent_id, timestamp)`,
      `CREATE INDEX alert_by_location ON alert (location_id, timestamp)`,
      `CREATE TABLE data (
        id       INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
        name     TEXT    NOT NULL,
        value    TEXT    NOT NULL,
        UNIQUE (alert_id, name)
      )`,
    ],
  },
  {
    version: 2,
    description: 'alert.diff: the check_diff change as JSON',
    statements: [`ALTER TABLE alert ADD COLUMN diff TEXT`],
  },
];
