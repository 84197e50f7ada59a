import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * One OSPatrol process per state directory: two writers appending to one journal would interleave
 * sequence numbers. The lock is a file holding the owner's pid, created exclusively; a lock left by
 * a process that no longer runs (kill -9, power cut) is taken over.
 */
/** Locks this process holds: a file naming our own pid is ours only if it is in here (else a recycled pid). */
const held = new Set<string>();

export class JournalLock {
  private constructor(private readonly path: string) {}

  /** Throws when a live process (this one included) holds the lock. */
  static acquire(path: string): JournalLock {
    if (held.has(path)) throw new Error(`the state directory is in use by this process (${path})`);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        held.add(path);
        return new JournalLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = lockOwner(path);
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
        throw new Error(`the state directory is in use by process ${owner} (${path}); stop it first`);
      }
      try {
        unlinkSync(path);
      } catch {
        // Another starter removed it first; try again.
      }
    }
    throw new Error(`cannot take the lock ${path}`);
  }

  release(): void {
    held.delete(this.path);
    try {
      if (lockOwner(this.path) === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}

/** The pid in a lock file, or undefined when there is none or it is unreadable. */
export function lockOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid runs and looks like OSPatrol (a recycled pid of another program does not count). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|ospatrol/.test(cmd);
  } catch {
    return true;
  }
}
