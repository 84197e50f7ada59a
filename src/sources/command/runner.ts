import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Run one shell command with the guarantees OSSEC lacks (ossec-platform.md 1.7, peers.md T5):
 * a timeout, an output cap, stderr and exit status captured, and no process left behind.
 *
 * The command runs as `/bin/sh -c <command>` (what OSSEC's popen does) in its own process group
 * (`detached`), so a timeout or the cap can signal the whole tree the shell started, not only the
 * shell: `sh -c 'a | b'` or `sleep 1000 & sleep 1000` would otherwise leave orphans holding the
 * pipe open (peers.md T5: children surviving agent stop). A grandchild that calls setsid() leaves
 * the group and cannot be reached this way (only cgroups could); after the last SIGKILL we stop
 * waiting for it so a run never hangs.
 */

export interface RunOptions {
  /** Kill the group after this long; 0 or less disables the timeout. */
  timeoutMs: number;
  /** Keep at most this many bytes of stdout (and, separately, of stderr). */
  maxOutputBytes: number;
  /** Between SIGTERM and SIGKILL, and between SIGKILL and giving up. Default 2000 ms. */
  killGraceMs?: number;
  /** Abort (source stopping): the group is killed and the result marked `aborted`. */
  signal?: AbortSignal;
  /** Default `/bin/sh`. */
  shell?: string;
}

export type KillReason = 'timeout' | 'output-limit' | 'aborted';

export interface CommandResult {
  stdout: Buffer;
  stderr: Buffer;
  /** More stdout than `maxOutputBytes` was produced; the group was killed and reading stopped. */
  stdoutTruncated: boolean;
  /** More stderr than `maxOutputBytes`; the excess was read and discarded (the command went on). */
  stderrTruncated: boolean;
  /** Exit code of the shell, or null when it died of a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when we killed the group; the exit code/signal then reflect our kill, not the command. */
  killedBy: KillReason | undefined;
  /** The shell could not be started (fork/exec failure). */
  spawnError: string | undefined;
  /** Processes of the group were still alive after the shell finished and were killed. */
  leftoversKilled: boolean;
  /** The pipes stayed open even after SIGKILL (a member escaped the group); we stopped waiting. */
  unkillable: boolean;
  pid: number | undefined;
  durationMs: number;
}

const DEFAULT_GRACE_MS = 2000;

export function runCommand(command: string, opts: RunOptions): Promise<CommandResult> {
  const grace = opts.killGraceMs ?? DEFAULT_GRACE_MS;
  const started = performance.now();
  const out = new Capture(opts.maxOutputBytes);
  const err = new Capture(opts.maxOutputBytes);

  return new Promise((resolve) => {
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let killedBy: KillReason | undefined;
    let spawnError: string | undefined;
    let leftoversKilled = false;
    let unkillable = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    let child: ChildProcess;
    try {
      child = spawn(opts.shell ?? '/bin/sh', ['-c', command], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolve(failed(String((e as Error)?.message ?? e), started));
      return;
    }
    const pid = child.pid;

    const finish = (): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      // The shell is gone; anything still in its group is a leftover (a background job that
      // closed its stdout). Killing it is what "no orphans" means for a monitoring command.
      if (pid !== undefined && groupAlive(pid)) {
        // After our own kill, survivors are just slower to die, not leftovers worth reporting.
        if (killedBy === undefined) leftoversKilled = true;
        signalGroup(pid, 'SIGKILL');
      }
      resolve({
        stdout: out.result(),
        stderr: err.result(),
        stdoutTruncated: out.truncated,
        stderrTruncated: err.truncated,
        exitCode,
        signal: exitSignal,
        killedBy,
        spawnError,
        leftoversKilled,
        unkillable,
        pid,
        durationMs: performance.now() - started,
      });
    };

    const kill = (reason: KillReason): void => {
      if (killedBy !== undefined || settled || pid === undefined) return;
      killedBy = reason;
      signalGroup(pid, 'SIGTERM');
      timers.push(
        setTimeout(() => {
          signalGroup(pid, 'SIGKILL');
          timers.push(
            setTimeout(() => {
              unkillable = true;
              child.stdout?.destroy();
              child.stderr?.destroy();
              finish();
            }, grace),
          );
        }, grace),
      );
    };

    const onAbort = (): void => kill('aborted');

    child.stdout?.on('data', (chunk: Buffer) => {
      if (!out.add(chunk)) {
        kill('output-limit');
        // Stop reading at once rather than drain a runaway producer until it dies.
        child.stdout?.destroy();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      // Once we kill, what follows on stderr is caused by the kill ("head: error writing: Connection
      // reset by peer" when our end of stdout is closed first), not by the command: drain, drop.
      // stderr past the cap is dropped too, without killing: stdout is what is monitored.
      if (killedBy === undefined) err.add(chunk);
    });
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});

    child.on('error', (e) => {
      // Only a failed spawn has no pid; later errors (a failed kill) change nothing here.
      if (pid === undefined) {
        spawnError = e.message;
        finish();
      }
    });
    child.on('exit', (code, sig) => {
      exitCode = code;
      exitSignal = sig;
    });
    child.on('close', () => finish());

    if (pid === undefined) return;
    if (opts.timeoutMs > 0) timers.push(setTimeout(() => kill('timeout'), opts.timeoutMs));
    if (opts.signal) {
      if (opts.signal.aborted) onAbort();
      else opts.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

/** Collects up to `cap` bytes; remembers whether more was offered. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Returns false once the cap has been exceeded. */
  add(chunk: Buffer): boolean {
    if (this.truncated) return false;
    const room = this.cap - this.bytes;
    if (chunk.length <= room) {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
      return true;
    }
    if (room > 0) this.chunks.push(chunk.subarray(0, room));
    this.bytes = this.cap;
    this.truncated = true;
    return false;
  }

  result(): Buffer {
    return Buffer.concat(this.chunks, this.bytes);
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: the group is already gone, which is the goal.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function failed(reason: string, started: number): CommandResult {
  return {
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    stdoutTruncated: false,
    stderrTruncated: false,
    exitCode: null,
    signal: null,
    killedBy: undefined,
    spawnError: reason,
    leftoversKilled: false,
    unkillable: false,
    pid: undefined,
    durationMs: performance.now() - started,
  };
}
