import { performance } from 'node:perf_hooks';
import type { CommandConfig } from '../../config/model.js';
import type { EventHandler } from '../../events/event.js';
import { defaultTimers, safeEmit, SourceCounters, type Source, type SourceContext } from '../source.js';
import { GridSchedule } from './grid-schedule.js';
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
  /** Commands whose last observed run failed (by label), to report their recovery once. */
  private readonly failing = new Set<string>();

  constructor(
    private readonly commands: readonly CommandConfig[],
    private readonly ctx: SourceContext,
    private readonly options: CommandSourceOptions = {},
  ) {}

  start(emit: EventHandler): void {
    if (this.started) throw new Error(`source ${this.name} already started`);
    this.started = true;
    const timers = this.ctx.timers ?? defaultTimers;
    const clock = this.options.clock ?? (() => performance.now());
    for (const cfg of this.commands) {
      const spec = this.renderSpec(cfg);
      const minPeriodMs = this.options.minPeriodMs ?? 1000;
      // A NaN here would make setTimeout fire at once, forever: treat it like 0.
      const periodMs = Math.max(Number.isFinite(cfg.frequencySeconds) ? cfg.frequencySeconds * 1000 : 0, minPeriodMs);
      const schedule = new GridSchedule({
        periodMs,
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
    }
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
    if (failed) this.failing.add(spec.label);
    else if (result.killedBy === undefined && this.failing.delete(spec.label)) messages.push(recoveredMessage(spec.prefix, spec.label));
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
