import type { Migration } from '../sql/migration.js';

/**
 * The PostgreSQL schema of the logical alert store (sql/dialect.ts), as migrations; the same
 * versions as sqlite-schema.ts. Types follow OSSEC's postgresql.schema (SERIAL ids, INT8 times);
 * text columns are `text`, unbounded. PostgreSQL DDL is transactional: all pending migrations run
 * in one transaction (pg-connection.ts), so a failure leaves the previous version intact.
 *
 * Locations are unique per server by a hash of the name, not the name itself: a btree entry is
 * limited to about 2.7 kB, and a command used as a location (its alias) may be longer.
 * `ospatrol_sha256` wraps `sha256(convert_to(..))`, which PostgreSQL marks STABLE, as IMMUTABLE so
 * it can be indexed; that holds because a database's encoding never changes.
 */
export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'OSSEC os_dbd schema adapted: server, agent, location, category, signature, mapping, alert, data',
    statements: [
      `CREATE OR REPLACE FUNCTION ospatrol_sha256(text) RETURNS bytea
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT sha256(convert_to($1, 'UTF8')) $$`,
      `CREATE TABLE server (
        id           SERIAL  PRIMARY KEY,
        hostname     TEXT    NOT NULL UNIQUE,
        version      TEXT    NOT NULL DEFAULT '',
        information  TEXT    NOT NULL DEFAULT '',
        last_contact BIGINT  NOT NULL
      )`,
      `CREATE TABLE agent (
        id           SERIAL  PRIMARY KEY,
        server_id    INTEGER NOT NULL REFERENCES server(id),
        agent_key    TEXT    NOT NULL,
        name         TEXT    NOT NULL,
        ip_address   TEXT    NOT NULL DEFAULT '',
        version      TEXT,
        information  TEXT,
        last_contact BIGINT,
        UNIQUE (server_id, agent_key, name, ip_address)
      )`,
      `CREATE TABLE location (
        id        SERIAL  PRIMARY KEY,
        server_id INTEGER NOT NULL REFERENCES server(id),
        name      TEXT    NOT NULL
      )`,
      `CREATE UNIQUE INDEX location_by_name ON location (server_id, ospatrol_sha256(name))`,
      `CREATE TABLE category (
        cat_id   SERIAL PRIMARY KEY,
        cat_name TEXT   NOT NULL UNIQUE
      )`,
      `CREATE TABLE signature (
        id          SERIAL   PRIMARY KEY,
        rule_id     INTEGER  NOT NULL UNIQUE,
        level       SMALLINT NOT NULL,
        description TEXT     NOT NULL
      )`,
      `CREATE TABLE signature_category_mapping (
        id      SERIAL  PRIMARY KEY,
        rule_id INTEGER NOT NULL REFERENCES signature(rule_id),
        cat_id  INTEGER NOT NULL REFERENCES category(cat_id),
        UNIQUE (rule_id, cat_id)
      )`,
      `CREATE TABLE alert (
        id               BIGSERIAL PRIMARY KEY,
        server_id        INTEGER  NOT NULL REFERENCES server(id),
        alertid          TEXT     NOT NULL,
        rule_id          INTEGER  NOT NULL REFERENCES signature(rule_id),
        level            SMALLINT NOT NULL,
        timestamp        BIGINT   NOT NULL,
        location_id      INTEGER  NOT NULL REFERENCES location(id),
        agent_id         INTEGER  NOT NULL REFERENCES agent(id),
        hostname         TEXT     NOT NULL,
        src_ip           TEXT,
        src_port         INTEGER,
        dst_ip           TEXT,
        dst_port         INTEGER,
        dst_user         TEXT,
        full_log         TEXT     NOT NULL,
        previous_output  TEXT,
        context          TEXT     NOT NULL DEFAULT '[]',
        rule_description TEXT     NOT NULL,
        rule_groups      TEXT     NOT NULL,
        mail             SMALLINT NOT NULL DEFAULT 0,
        firedtimes       INTEGER,
        rule_info        TEXT,
        decoder_name     TEXT,
        decoder_parent   TEXT,
        program_name     TEXT,
        is_hidden        SMALLINT NOT NULL DEFAULT 0,
        inserted_at      BIGINT   NOT NULL,
        UNIQUE (server_id, alertid)
      )`,
      `CREATE INDEX alert_by_time ON alert (timestamp)`,
      `CREATE INDEX alert_by_level ON alert (level, timestamp)`,
      `CREATE INDEX alert_by_rule ON alert (rule_id, timestamp)`,
      `CREATE INDEX alert_by_agent ON alert (agent_id, timestamp)`,
      `CREATE INDEX alert_by_location ON alert (location_id, timestamp)`,
      `CREATE TABLE data (
        id       BIGSERIAL PRIMARY KEY,
        alert_id BIGINT    NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
        name     TEXT      NOT NULL,
        value    TEXT      NOT NULL,
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
