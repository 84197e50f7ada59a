import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { giveTo, runAs } from './as-service-user.js';
import { freePort } from './free-port.js';

/**
 * A throwaway PostgreSQL 15 cluster for a test file (deps.md section 2): initdb into a temporary
 * folder, a free port on 127.0.0.1, password (SCRAM) authentication over TCP for the role the
 * outputs use, trust over the private Unix socket for the test's own set-up. `stop()` / `start()`
 * take it down and up again on the same port (outage tests); `destroy()` always stops it and
 * removes the folder, and an exit hook kills it should the test process die first.
 */
const BIN = process.env.OSPATROL_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  /** Has quotes, a backslash and a space: it must reach the server exactly and never a log. */
  password: string;
  database: string;
  dir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
  /** A client as the superuser over the Unix socket, for checks. */
  superClient(): Promise<pg.Client>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'osp-pg-'));
  chmodSync(dir, 0o755);
  giveTo('postgres', dir);
  const data = join(dir, 'data');
  const port = await freePort();
  const server: PostgresServer = {
    host: '127.0.0.1',
    port,
    user: 'ospatrol',
    password: `p'a"s\\s w0rd`,
    database: 'alerts',
    dir,
    async start() {
      runAs('postgres', join(BIN, 'pg_ctl'), [
        '-D', data,
        '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
        '-l', join(dir, 'log'),
        '-w', '-t', '30', 'start',
      ]);
    },
    async stop() {
      if (existsSync(join(data, 'postmaster.pid'))) runAs('postgres', join(BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    },
    async destroy() {
      process.off('exit', killOnExit);
      try {
        await server.stop();
      } catch {
        killOnExit();
      }
      rmSync(dir, { recursive: true, force: true });
    },
    async superClient() {
      const c = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
      await c.connect();
      return c;
    },
  };
  const killOnExit = (): void => {
    try {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Not running.
    }
  };
  process.on('exit', killOnExit);
  try {
    runAs('postgres', join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
    await server.start();
    const su = await server.superClient();
    try {
      // Identifiers and literals quoted by the server (format %I / %L): no quoting by hand.
      const role = await su.query<{ q: string }>(`SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS q`, [server.user, server.password]);
      await su.query(role.rows[0].q);
      const db = await su.query<{ q: string }>(`SELECT format('CREATE DATABASE %I OWNER %I', $1::text, $2::text) AS q`, [server.database, server.user]);
      await su.query(db.rows[0].q);
    } finally {
      await su.end();
    }
  } catch (err) {
    await server.destroy();
    throw err;
  }
  return server;
}

/** For a failing test's message: the end of the server log. */
export function postgresLogTail(server: PostgresServer): string {
  const r = spawnSync('tail', ['-n', '20', join(server.dir, 'log')], { encoding: 'utf8' });
  return r.stdout ?? '';
}
