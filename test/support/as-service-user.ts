import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * Database servers refuse to run as root, and tests run as root here and in CI: their commands run
 * as the service account (`postgres`, `mysql`) through runuser. As any other user they run as is.
 */
export const isRoot = process.getuid?.() === 0;

export function accountIds(name: string): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error(`no ${name} account on this machine`);
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Runs a command as `account` when root, else as the current user; throws with its output on failure. */
export function runAs(account: string, cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  const [file, argv] = isRoot ? ['runuser', ['-u', account, '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs ?? 60_000 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
  }
  return r;
}

/** Gives a folder to the service account (when root) so the server can write there. */
export function giveTo(account: string, path: string): void {
  const ids = accountIds(account);
  if (ids) chownSync(path, ids.uid, ids.gid);
}

export const currentUser = userInfo().username;
