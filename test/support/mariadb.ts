import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { giveTo, isRoot } from './as-service-user.js';
import { freePort } from './free-port.js';

/**
 * A throwaway MariaDB server for a test file (deps.md section 2): mariadb-install-db into a
 * temporary folder, mariadbd on a free port of 127.0.0.1 as the mysql account, a database and a
 * password user for the outputs. `stop()` / `start()` take it down and up again on the same port;
 * `destroy()` always stops it and removes the folder; an exit hook kills it should the test
 * process die first.
 */
export interface MariadbServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  socket: string;
  dir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
  /** Runs SQL as root over the socket with the mariadb client; returns its tab-separated output. */
  sql(statements: string): string;
}

export async function startMariadb(): Promise<MariadbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'osp-maria-'));
  chmodSync(dir, 0o755);
  // The server creates its socket and pid file here.
  giveTo('mysql', dir);
  const data = join(dir, 'data');
  const socket = join(dir, 'sock');
  // A private tmpdir: bootstrap servers of parallel test files sharing /tmp trip over each
  // other's temporary tables (seen: "Unknown table 'mysql.tmp_user_sys'").
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  giveTo('mysql', tmp);
  const port = await freePort();
  const userArgs = isRoot ? ['--user=mysql'] : [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const server: MariadbServer = {
    host: '127.0.0.1',
    port,
    user: 'ospatrol',
    password: `m'a"r\\ia pw`,
    database: 'alerts',
    socket,
    dir,
    async start() {
      const log = openSync(join(dir, 'log'), 'a');
      child = spawn(
        'mariadbd',
        [
          '--no-defaults',
          ...userArgs,
          `--datadir=${data}`,
          `--tmpdir=${tmp}`,
          `--socket=${socket}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--pid-file=${join(dir, 'pid')}`,
          '--skip-log-bin',
          '--innodb-flush-log-at-trx-commit=0',
          '--innodb-buffer-pool-size=32M',
          '--skip-name-resolve',
        ],
        { stdio: ['ignore', log, log] },
      );
      closeSync(log);
      const c = child;
      exited = new Promise((res) => c.once('exit', () => res()));
      const end = Date.now() + 30_000;
      for (;;) {
        if (spawnSync('mariadb-admin', ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping'], { encoding: 'utf8' }).status === 0) return;
        if (c.exitCode !== null || Date.now() > end) throw new Error(`mariadbd did not start: ${spawnSync('tail', ['-n', '20', join(dir, 'log')], { encoding: 'utf8' }).stdout}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
    async destroy() {
      process.off('exit', killOnExit);
      const t = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await server.stop();
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
    sql(statements: string) {
      return run('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names'], statements);
    },
  };
  const killOnExit = (): void => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  try {
    run('mariadb-install-db', ['--no-defaults', ...userArgs, `--datadir=${data}`, `--tmpdir=${tmp}`, '--skip-test-db', '--auth-root-authentication-method=socket']);
    await server.start();
    const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
    server.sql(
      `CREATE DATABASE ${server.database} CHARACTER SET utf8mb4;
       CREATE USER ${lit(server.user)}@'127.0.0.1' IDENTIFIED BY ${lit(server.password)};
       GRANT ALL ON ${server.database}.* TO ${lit(server.user)}@'127.0.0.1';`,
    );
  } catch (err) {
    await server.destroy();
    throw err;
  }
  return server;
}

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
  return r.stdout;
}
