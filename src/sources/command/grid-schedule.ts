import type { TimerHandle, Timers } from '../source.js';

export interface GridScheduleOptions {
  periodMs: number;
  /**
   * Where this job's grid starts, after `start()`: runs at start + offset + k·period. 0 (default)
   * runs at once, inside `start()`. Must be below the period (CommandSource staggers commands).
   */
  offsetMs?: number;
  /** Monotonic milliseconds; a wall-clock jump must neither stall nor burst the schedule. */
  now: () => number;
  timers: Timers;
  /** One execution. Its promise must settle; a rejection is swallowed (log inside). */
  run: () => Promise<void>;
  /**
   * Ticks that did not run: `overlap` when the previous run is still going (the same command never
   * runs twice at once), `late` when the process was stalled past whole periods.
   */
  onSkip: (reason: 'overlap' | 'late', ticks: number) => void;
}

/**
 * Run a job at start (+ its offset) and then on the fixed grid start + offset + k·period.
 * Scheduling from the grid rather than "period after the last run" keeps runs from drifting by the
 * run time and timer lateness. (OSSEC 4.x waits one period before the first run, OSPatrol 2.x runs
 * at start; we run at start, ossec-platform.md 1.7, shifted by a stable offset below one period
 * that keeps many commands from starting on the same instant: `staggerOffsets` in
 * command-source.ts.)
 */
export class GridSchedule {
  private t0 = 0;
  private k = 0;
  private handle: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: GridScheduleOptions) {}

  start(): void {
    const offset = Math.max(0, this.opts.offsetMs ?? 0);
    this.t0 = this.opts.now() + offset;
    this.k = 0;
    if (offset === 0) this.fire();
    else this.handle = this.opts.timers.setTimeout(() => this.fire(), offset);
  }

  /** Cancel future ticks and wait for a run in progress (the caller aborts it if it must). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== undefined) this.opts.timers.clearTimeout(this.handle);
    this.handle = undefined;
    await this.running;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  private fire(): void {
    this.handle = undefined;
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.opts.onSkip('overlap', 1);
    } else {
      // Started synchronously, so the run begins exactly on its tick.
      const p: Promise<void> = this.invoke().finally(() => {
        if (this.running === p) this.running = undefined;
      });
      this.running = p;
    }
    this.scheduleNext();
  }

  private async invoke(): Promise<void> {
    try {
      await this.opts.run();
    } catch {
      // The job logs its own failures; a rejection must not stop the schedule.
    }
  }

  private scheduleNext(): void {
    const { periodMs, now, timers } = this.opts;
    const t = now();
    let next = this.k + 1;
    if (this.t0 + next * periodMs <= t) {
      // Whole periods went by without us (suspend, a blocked event loop): run once now-ish on the
      // next grid point instead of firing every missed tick in a burst.
      const target = Math.floor((t - this.t0) / periodMs) + 1;
      this.opts.onSkip('late', target - next);
      next = target;
    }
    this.k = next;
    this.handle = timers.setTimeout(() => this.fire(), this.t0 + next * periodMs - t);
  }
}
