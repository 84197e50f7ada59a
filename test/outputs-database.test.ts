/**
 * The database outputs against real servers: a PostgreSQL 15 cluster and a MariaDB server started
 * in temporary folders by the test (test/support), and the embedded SQLite store, through the one
 * write path (sql/write-steps.ts). Hostile text must come back byte for byte from each.
 */
process.env.TZ = 'UTC';

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../src/alerts/alert.js';
import { formatAlertJson } from '../src/alerts/alerts-json-format.js';
import { formatAlertsLog } from '../src/alerts/alerts-log-format.js';
import { connectMysql } from '../src/sinks/mysql/mysql-connection.js';
import { connectPostgres } from '../src/sinks/postgres/pg-connection.js';
import type { SqlServerTarget } from '../src/sinks/sql/sql-connection.js';
import { SqlDatabaseSink } from '../src/sinks/sql/sql-database-sink.js';
import { SqliteSink } from '../src/sinks/sqlite/sqlite-sink.js';
import { checkDiffAlert, sshdAlert } from '../src/test-support/alert-fixtures.js';
import { cliPath } from './support/local-process.js';
import { startMariadb, type MariadbServer } from './support/mariadb.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';

/** The seed's netstat command (OSSEC 4.x default), quotes, awk fields and all. */
const SEED_COMMAND = `netstat -tulpn | sed 's/\\([[:alnum:]]\\+\\)\\ \\+[[:digit:]]\\+\\ \\+[[:digit:]]\\+\\ \\+\\(.*\\):\\([[:digit:]]*\\)\\ \\+\\([0-9\\.\\:\\*]\\+\\).\\+\\ \\([[:digit:]]*\\/[[:alnum:]\\-]*\\).*/\\1 \\2 == \\3 == \\4 \\5/' | sort -k 4 -g | sed 's/ == \\(.*\\) ==/:\\1/' | sed 1,2d`;
const AWK_COMMAND = `netstat -an | egrep -v '(127.0.0.1| ::1)' | awk '{print $1,$4,$5,$6}' | sort`;
const HOSTILE = `it's "quoted" back\\slash \\' \\\\ 100% $1 ? NUL:\u0000: emoji 🛡️😀 日本 '); DROP TABLE x;--\nline 2\r\n\ttab ␀ mark`;

function hostileAlerts(): Alert[] {
  return [
    checkDiffAlert({
      id: '1795549487.1',
      location: AWK_COMMAND,
      fullLog: `ospatrol: output: '${AWK_COMMAND}':\ntcp 0.0.0.0:22 0.0.0.0:* LISTEN\n${HOSTILE}`,
      previousOutput: `ospatrol: output: '${AWK_COMMAND}':\ntcp 0.0.0.0:22 0.0.0.0:* LISTEN`,
      context: ['Previous output:', `ospatrol: output: '${AWK_COMMAND}':`, HOSTILE],
      diff: { added: [HOSTILE], removed: ['tcp 0.0.0.0:80'], unified: `-tcp 0.0.0.0:80\n+${HOSTILE}`, truncated: false, kind: 'change', summary: `1 line added, 1 removed ${HOSTILE}` },
    }),
    checkDiffAlert({ id: '1795549487.2', location: SEED_COMMAND, hostname: HOSTILE, fullLog: SEED_COMMAND }),
    sshdAlert({
      id: '1795549508.3',
      location: `/var/log/${HOSTILE}`,
      fullLog: HOSTILE,
      fields: { srcip: '1.2.3.4', srcport: '50022', dstuser: HOSTILE, [`dyn ${HOSTILE.slice(0, 40)}`]: HOSTILE },
      agent: { id: '001', name: 'web1', ip: '10.0.0.1' },
    }),
    // The same location but for a trailing space, and a case change: distinct locations everywhere.
    sshdAlert({ id: '1795549508.4', location: 'web1 ', agent: { id: '002', name: 'Web1' } }),
    sshdAlert({ id: '1795549508.5', location: 'web1', agent: { id: '002', name: 'web1 ' } }),
  ];
}

interface Store {
  name: string;
  writeBatch(alerts: readonly Alert[]): Promise<{ inserted: number; duplicates: number; rejected: unknown[] }>;
  queryAlerts(q?: Parameters<SqlDatabaseSink['queryAlerts']>[0]): Promise<Alert[]>;
  close(): Promise<void>;
}

function sqliteStore(): Store {
  const sink = new SqliteSink({ stateDir: mkdtempSync(join(tmpdir(), 'osp-dbt-')), serverName: 'manager1' });
  return {
    name: 'sqlite',
    writeBatch: async (a) => sink.writeBatch(a),
    queryAlerts: async (q) => sink.queryAlerts(q),
    close: async () => sink.close(),
  };
}

function serverStore(name: 'postgresql' | 'mysql', target: SqlServerTarget): Store {
  const sink = new SqlDatabaseSink({ name, serverName: 'manager1', connect: () => (name === 'postgresql' ? connectPostgres(target) : connectMysql(target)) });
  return {
    name,
    writeBatch: (a) => sink.writeBatch(a),
    queryAlerts: (q) => sink.queryAlerts(q),
    close: () => sink.close(),
  };
}

let pgServer: PostgresServer;
let mariadb: MariadbServer;

before(async () => {
  // allSettled: a server that did start is assigned, so after() stops it even if the other failed.
  const [p, m] = await Promise.allSettled([startPostgres(), startMariadb()]);
  if (p.status === 'fulfilled') pgServer = p.value;
  if (m.status === 'fulfilled') mariadb = m.value;
  for (const r of [p, m]) if (r.status === 'rejected') throw r.reason;
});

after(async () => {
  await Promise.allSettled([pgServer?.destroy(), mariadb?.destroy()]);
});

const pgTarget = (): SqlServerTarget => ({ host: pgServer.host, port: pgServer.port, user: pgServer.user, password: pgServer.password, database: pgServer.database });
const myTarget = (): SqlServerTarget => ({ host: mariadb.host, port: mariadb.port, user: mariadb.user, password: mariadb.password, database: mariadb.database });

const stores: Array<[string, () => Store]> = [
  ['sqlite', sqliteStore],
  ['postgresql', () => serverStore('postgresql', pgTarget())],
  ['mysql', () => serverStore('mysql', myTarget())],
];

for (const [name, open] of stores) {
  describe(name, () => {
    test('hostile text, the seed commands and a diff round-trip byte for byte; a replay stores nothing twice', async () => {
      const store = open();
      try {
        const alerts = hostileAlerts();
        const first = await store.writeBatch(alerts);
        assert.deepEqual(first, { inserted: alerts.length, duplicates: 0, rejected: [] });
        const back = await store.queryAlerts({ order: 'oldest' });
        assert.deepEqual(back, alerts);
        const again = await store.writeBatch(alerts);
        assert.deepEqual(again, { inserted: 0, duplicates: alerts.length, rejected: [] });
        assert.equal((await store.queryAlerts()).length, alerts.length);
        // A replay that overlaps new alerts: the new ones go in with their data, the old ones once.
        const fresh = sshdAlert({ id: '1795549999.1', fields: { srcip: '10.9.9.9', extra: "it's new" } });
        assert.deepEqual(await store.writeBatch([alerts[0], fresh, alerts[1], fresh]), { inserted: 1, duplicates: 3, rejected: [] });
        assert.deepEqual((await store.queryAlerts({ order: 'newest', limit: alerts.length + 1 })).find((a) => a.id === fresh.id), fresh);
        assert.deepEqual((await store.queryAlerts({ agent: "'); DROP TABLE alert;--" })).length, 0);
        assert.deepEqual((await store.queryAlerts({ agent: 'web1', level: 5, limit: 10 })).map((a) => a.id), ['1795549508.3']);
      } finally {
        await store.close();
      }
    });

    test('a batch of 2000 alerts in one call, then queries by rule and time', async () => {
      const store = open();
      try {
        const alerts = Array.from({ length: 2000 }, (_, i) =>
          sshdAlert({ id: `1800000000.${i + 100}`, timestamp: 1_800_000_000_000 + i, fields: { srcip: `10.0.${i >> 8}.${i & 255}`, n: String(i) } }),
        );
        const t0 = performance.now();
        const r = await store.writeBatch(alerts);
        const ms = performance.now() - t0;
        assert.equal(r.inserted, 2000);
        process.stdout.write(`# ${name}: 2000 alerts (with 2 data rows each) in ${ms.toFixed(0)} ms = ${Math.round(2000 / (ms / 1000))} alerts/s\n`);
        const since = await store.queryAlerts({ since: 1_800_000_000_000 + 1990, order: 'oldest' });
        assert.deepEqual(since.map((a) => a.fields.n), ['1990', '1991', '1992', '1993', '1994', '1995', '1996', '1997', '1998', '1999']);
      } finally {
        await store.close();
      }
    });
  });
}

test('postgresql: NUL is stored escaped as documented (␀0), the table keeps plain text otherwise', async () => {
  const su = await pgServer.superClient();
  try {
    await su.query(`SELECT 1`);
    const c = new (await import('pg')).default.Client({ ...pgTarget(), host: pgServer.host });
    await c.connect();
    const r = await c.query<{ full_log: string }>(`SELECT full_log FROM alert WHERE alertid = '1795549508.3'`);
    assert.equal(r.rows[0].full_log, HOSTILE.replace('␀', '␀␀').replace('\u0000', '␀0'));
    const plain = await c.query<{ name: string }>(`SELECT l.name FROM alert a JOIN location l ON l.id = a.location_id WHERE a.alertid = '1795549487.2'`);
    assert.equal(plain.rows[0].name, SEED_COMMAND);
    const versions = await c.query(`SELECT version FROM schema_version ORDER BY version`);
    assert.deepEqual(versions.rows.map((x) => x.version), [1, 2]);
    await c.end();
  } finally {
    await su.end();
  }
});

test('mysql: NUL is stored as is; schema versions 1 and 2; nopad binary collation', () => {
  const out = mariadb.sql(`SELECT HEX(full_log) FROM ${mariadb.database}.alert WHERE alertid = '1795549508.3';
SELECT GROUP_CONCAT(version ORDER BY version) FROM ${mariadb.database}.schema_version;
SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${mariadb.database}' AND TABLE_NAME = 'location';`);
  const [hex, versions, collation] = out.trim().split('\n');
  assert.equal(Buffer.from(hex, 'hex').toString('utf8'), HOSTILE);
  assert.equal(versions, '1,2');
  assert.equal(collation, 'utf8mb4_nopad_bin');
});

for (const [type, target] of [
  ['postgresql', () => pgTarget()],
  ['mysql', () => myTarget()],
] as const) {
  test(`ospatrol alerts --database ${type}: the stored alerts printed as alerts.log shows them; a wrong password is said without the password`, async () => {
    const store = serverStore(type, target());
    const alerts = hostileAlerts().map((a, i) => ({ ...a, id: `1795560000.${i + 1}`, timestamp: 1_795_560_000_000 + i }));
    try {
      await store.writeBatch(alerts);
    } finally {
      await store.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'osp-cli-db-'));
    const conf = (password: string): string => {
      const t = target();
      const file = join(dir, `ospatrol-${password.length}.conf`);
      const esc = (v: string | number): string => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
      writeFileSync(
        file,
        `<ospatrol_config><database_output><type>${type}</type><hostname>${esc(t.host)}</hostname><port>${t.port}</port>` +
          `<username>${esc(t.user)}</username><password>${esc(password)}</password><database>${esc(t.database)}</database></database_output></ospatrol_config>\n`,
      );
      return file;
    };
    const run = (file: string, ...args: string[]) => spawnSync(process.execPath, [cliPath, 'alerts', '--database', type, '-c', file, ...args], { encoding: 'utf8' });
    // The other tests' alerts are in the same database, later in time: `--limit` keeps the oldest since.
    const window = ['--since', '1795560000', '--limit', String(alerts.length)];
    const all = run(conf(target().password), ...window);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stdout, alerts.map((a) => formatAlertsLog(a)).join(''));
    const json = run(conf(target().password), ...window, '--json');
    assert.deepEqual(json.stdout.split('\n').filter(Boolean), alerts.map((a) => formatAlertJson(a)));
    const secret = 'not-the-password-9f3';
    const bad = run(conf(secret));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, new RegExp(`cannot connect to ${type}://`));
    assert.ok(!bad.stderr.includes(secret), bad.stderr);
  });
}
