import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { CommandConfig } from '../../config/model.js';
import type { EventHandler } from '../../events/event.js';
import { defaultTimers, safeEmit, SourceCounters, type Source, type SourceContext } from '../source.js';
import { GridSchedule } from './grid-schedule.js';
import { FailingCommands } from './failing-commands.js';
import { recoveredMessage } from './messages.js';
import { renderCommandResult, type RenderSpec } from './render.js';
import { runCommand, type CommandResult } from './runner.js';

export interface CommandSourceOptions {
  /** The word before `: output:`; `ospatrol` by default, `ossec` in compat mode. */
  prefix?: string;
  /** Between SIGTERM and SIGKILL on a timeout. Default 2000 ms. */
  killGraceMs?: number;
  /**
   * Floor for the period. OSSEC accepts `<frequency>0</frequency>` and then runs on every second
   * loop (~4 s); an unbounded loop here would fork continuously. Default 1000 ms.
   */
  minPeriodMs?: number;
  /** Monotonic clock for the schedule. Default `performance.now`. */
  clock?: () => number;
  /** Default `/bin/sh`. */
  shell?: string;
}

/** Commands due together are started in batches at most this often (see `staggerOffsets`). */
export const STAGGER_BATCH_MS = 100;

/**
 * Where each command's grid starts, from start-up. Command i (configuration order) of n runs at
 *
 *   start + floor(i / b)·100 ms + k·period_i,   b = ceil(n · 100 ms / period_i)
 *
 * that is, in batches of b commands every 100 ms, b being the fewest per batch that fit all n
 * commands in one period (b = 1 for a usual configuration of a few commands).
 *
 * Why not one grid for all (every command due at start + k·period): Node's spawn() is a synchronous
 * fork+exec whose cost grows with the size of this process (~5 ms at ~120 MB on a 2-core VM), so
 * 1,000 commands due on the same instant blocked the event loop for seconds at every tick; they
 * started up to 2.5-7 s late, behind one another in an order that changed from tick to tick, and
 * up to all 1,000 exited children waited as zombies to be reaped. Spread over the period, a batch
 * takes tens of milliseconds and starts in much the same order each time.
 *
 * Why batches rather than one command every period/n: each fork write-protects this whole process
 * for copy-on-write, and each run's alert is then written on its own. Starting them one by one
 * every 10 ms (1,000 every 10 s) cost ~45-50% CPU against ~28-30% for batches of 10 every 100 ms
 * (the same as all at once), for drift of a few tens of milliseconds either way.
 *
 * Deterministic (no randomness, no hash): the same configuration always gives the same offsets,
 * so after a restart or reload each command is at the same place in its period relative to
 * start-up. The first command runs at start-up itself and every offset is below its command's
 * period (floor(i/b)·100 < n·100/b ≤ period): each first run happens within the first period;
 * with a usual configuration, within n·100 ms of start-up. Commands never overlap themselves
 * whatever the offsets (GridSchedule).
 */
export function staggerOffsets(periodsMs: readonly number[]): number[] {
  const n = periodsMs.length;
  return periodsMs.map((p, i) => Math.floor(i / Math.ceil((n * STAGGER_BATCH_MS) / p)) * STAGGER_BATCH_MS);
}

export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** 0 disables the timeout (as in Wazuh's command wodle); anything not a positive number gets the default. */
function effectiveTimeout(seconds: number): number {
  if (seconds === 0) return 0;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
}

/**
 * Every configured `command`/`full_command` entry, each on its own schedule. Runs are concurrent
 * across commands (one hanging command never delays the others nor file collection, unlike OSSEC's
 * single loop, peers.md T5), while one command never overlaps itself.
 */
export class CommandSource implements Source {
  readonly name = 'commands';
  private readonly schedules: GridSchedule[] = [];
  private readonly abort = new AbortController();
  private started = false;
  /** Commands whose last observed run failed, to report their recovery once (across restarts too). */
  private failing: FailingCommands | undefined;

  constructor(
    private readonly commands: readonly CommandConfig[],
    private readonly ctx: SourceContext,
    private readonly options: CommandSourceOptions = {},
  ) {}

  start(emit: EventHandler): void {
    if (this.started) throw new Error(`source ${this.name} already started`);
    this.started = true;
    this.failing = new FailingCommands(this.ctx);
    this.failing.retainOnly(new Set(this.commands.map((cfg) => this.renderSpec(cfg).label)));
    const timers = this.ctx.timers ?? defaultTimers;
    const clock = this.options.clock ?? (() => performance.now());
    // Every running command listens on the one abort signal: as many listeners as commands is
    // expected, not a leak (commands never overlap themselves).
    setMaxListeners(Math.max(10, this.commands.length + 1), this.abort.signal);
    const minPeriodMs = this.options.minPeriodMs ?? 1000;
    // A NaN here would make setTimeout fire at once, forever: treat it like 0.
    const periods = this.commands.map((cfg) =>
      Math.max(Number.isFinite(cfg.frequencySeconds) ? cfg.frequencySeconds * 1000 : 0, minPeriodMs),
    );
    const offsets = staggerOffsets(periods);
    this.commands.forEach((cfg, i) => {
      const spec = this.renderSpec(cfg);
      const schedule = new GridSchedule({
        periodMs: periods[i],
        offsetMs: offsets[i],
        now: clock,
        timers,
        run: () => this.runOnce(cfg, spec, emit),
        onSkip: (reason, ticks) => {
          const counter = reason === 'overlap' ? SourceCounters.COMMAND_SKIPPED_OVERLAP : SourceCounters.COMMAND_SKIPPED_LATE;
          this.ctx.count(counter, ticks);
          this.ctx.log('warn', `command run skipped (${reason === 'overlap' ? 'previous run still going' : 'process was stalled'})`, {
            command: spec.label,
            ticks,
          });
        },
      });
      this.schedules.push(schedule);
      schedule.start();
    });
  }

  async stop(): Promise<void> {
    // Abort first so that stop waits for kills, not for commands to finish on their own.
    this.abort.abort();
    await Promise.all(this.schedules.map((s) => s.stop()));
  }

  private renderSpec(cfg: CommandConfig): RenderSpec {
    return {
      prefix: this.options.prefix ?? 'ospatrol',
      // The alias as configured, colons included: OSSEC's `:`->`\\` rewrite existed only for its
      // `1:<location>:<msg>` queue format (ossec-analysis.md 8.4); our location is its own field.
      label: cfg.alias || cfg.command,
      format: cfg.format,
      timeoutSeconds: effectiveTimeout(cfg.timeoutSeconds),
      maxOutputBytes: cfg.maxOutputBytes > 0 ? cfg.maxOutputBytes : DEFAULT_MAX_OUTPUT_BYTES,
    };
  }

  private async runOnce(cfg: CommandConfig, spec: RenderSpec, emit: EventHandler): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.ctx.count(SourceCounters.COMMAND_RUNS);
    const result = await runCommand(cfg.command, {
      timeoutMs: spec.timeoutSeconds * 1000,
      maxOutputBytes: spec.maxOutputBytes,
      killGraceMs: this.options.killGraceMs,
      signal: this.abort.signal,
      shell: this.options.shell,
    });
    // A run cut short by stop() is not an observation of the host: report nothing.
    if (result.killedBy === 'aborted') return;
    this.account(spec, result);
    const receivedAt = this.ctx.now();
    const messages = renderCommandResult(spec, result);
    const failed =
      result.spawnError !== undefined ||
      result.killedBy === 'timeout' ||
      (result.killedBy === undefined && (result.exitCode !== 0 || result.signal !== null));
    const failing = this.failing as FailingCommands;
    if (failed) failing.add(spec.label);
    else if (result.killedBy === undefined && failing.recovered(spec.label)) messages.push(recoveredMessage(spec.prefix, spec.label));
    for (const message of messages) {
      safeEmit(this.ctx, emit, { location: spec.label, message, receivedAt, kind: 'command' });
    }
  }

  private account(spec: RenderSpec, r: CommandResult): void {
    const { ctx } = this;
    const data = { command: spec.label, pid: r.pid, ms: Math.round(r.durationMs) };
    if (r.spawnError !== undefined) {
      ctx.count(SourceCounters.COMMAND_SPAWN_FAILED);
      ctx.log('error', 'command could not be started', { ...data, error: r.spawnError });
    }
    if (r.killedBy === 'timeout') {
      ctx.count(SourceCounters.COMMAND_TIMEOUT);
      ctx.log('warn', 'command timed out; process group killed', { ...data, timeoutSeconds: spec.timeoutSeconds });
    }
    if (r.stdoutTruncated) {
      ctx.count(SourceCounters.COMMAND_OUTPUT_TRUNCATED);
      ctx.log('warn', 'command output over the limit; truncated and process group killed', { ...data, maxOutputBytes: spec.maxOutputBytes });
    }
    if (r.stderrTruncated) ctx.count(SourceCounters.COMMAND_STDERR_TRUNCATED);
    if (r.killedBy === undefined && (r.exitCode ?? 0) !== 0) ctx.count(SourceCounters.COMMAND_EXIT_NONZERO);
    if (r.leftoversKilled) {
      ctx.count(SourceCounters.COMMAND_LEFTOVER_KILLED);
      ctx.log('warn', 'command left processes running; killed them', data);
    }
    if (r.unkillable) {
      ctx.count(SourceCounters.COMMAND_UNKILLABLE);
      ctx.log('error', 'command output still open after SIGKILL (a process left the group); stopped waiting', data);
    }
  }
}
