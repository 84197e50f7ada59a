import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { LogfileConfig } from '../../config/model.js';
import type { Event, EventHandler } from '../../events/event.js';
import {
  defaultTimers,
  safeEmit,
  SourceCounters,
  type Acknowledging,
  type AckMark,
  type Source,
  type SourceContext,
  type TimerHandle,
} from '../source.js';
import { CheckpointStore, defaultCheckpointPath, type FileCheckpoint } from './checkpoints.js';
import type { FileReader, SafePoint } from './file-reader.js';
import { hashHead, identityKey, sameIdentity } from './fingerprint.js';
import { LINE_BY_LINE_FALLBACK } from './framing.js';
import { LocationPattern } from './location.js';
import { Tailer, type StartPolicy, type TailerEnv } from './tailer.js';

export interface LogfileSourceOptions {
  /** `ospatrol` (default) or `ossec`: the word in rotation notices and their location. */
  prefix?: string;
  /** Default 250 ms. */
  pollIntervalMs?: number;
  /** How often globs and dated names are re-expanded. Default 10 s (OSSEC: never / daily). */
  rescanIntervalMs?: number;
  /** How often positions are persisted (also on stop). Default 5 s. */
  checkpointIntervalMs?: number;
  /** How long a rotated-away file is still read for late writes. Default 1 s. */
  rotateGraceMs?: number;
  /** Longest line delivered; longer ones are cut and counted. Default 64 KiB. */
  maxLineBytes?: number;
  /** Per file and poll, so one busy file cannot starve the others. Default 4 MiB. */
  maxBytesPerPoll?: number;
  /** Default `<stateDir>/queue/logcollector/positions.json`. */
  checkpointFile?: string;
  /**
   * `emit` (default): an event counts as handled once `emit` returns — right for local mode, where
   * emit runs the engine synchronously. `explicit`: checkpoints advance only on `acknowledge()`.
   */
  ackMode?: 'emit' | 'explicit';
  /** Emit OSSEC's "File rotated" / "File size reduced" events. Default true. */
  notices?: boolean;
  /** Monotonic ms. Default `performance.now`. */
  monotonic?: () => number;
}

const DEFAULTS = {
  pollIntervalMs: 250,
  rescanIntervalMs: 10_000,
  checkpointIntervalMs: 5_000,
  rotateGraceMs: 1_000,
  maxLineBytes: 64 * 1024,
  maxBytesPerPoll: 4 * 1024 * 1024,
};

/** Ends of files we stopped following, kept so a rotated name matched later by a glob resumes. */
const RETIRED_MAX = 256;

interface PatternEntry {
  pattern: LocationPattern;
  config: LogfileConfig;
}

interface Mark extends AckMark {
  points: Map<FileReader, { epoch: number; point: SafePoint }>;
}

/**
 * Every `<localfile>` that names a file: one poll loop over all tailed paths, one positions file.
 * Versus OSSEC (ossec-platform.md 1.11): positions persisted and resumed, missing files retried
 * forever, globs re-expanded, rotated files drained, truncation detected even when the file grows
 * back past our offset, partial lines carried, no per-file starvation.
 */
export class LogfileSource implements Source, Acknowledging {
  readonly name = 'logfiles';
  private readonly opts: typeof DEFAULTS & { prefix: string; notices: boolean; ackOnEmit: boolean };
  private readonly patterns: PatternEntry[];
  private readonly tailers = new Map<string, { tailer: Tailer; owner: PatternEntry }>();
  private readonly retired = new Map<string, FileCheckpoint>();
  private readonly store: CheckpointStore;
  private readonly monotonic: () => number;
  private readonly env: TailerEnv;
  private readonly duplicatesReported = new Set<string>();
  private readonly failing = new Set<string>();
  private emitTo: EventHandler | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private sleepHandle: TimerHandle | undefined;
  private wakeUp: (() => void) | undefined;
  private lastRescan = 0;
  private lastCheckpoint = 0;
  private markReady: () => void = () => {};
  private readonly readyPromise = new Promise<void>((r) => {
    this.markReady = r;
  });

  constructor(
    configs: readonly LogfileConfig[],
    private readonly ctx: SourceContext,
    options: LogfileSourceOptions = {},
  ) {
    this.opts = {
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      rescanIntervalMs: options.rescanIntervalMs ?? DEFAULTS.rescanIntervalMs,
      checkpointIntervalMs: options.checkpointIntervalMs ?? DEFAULTS.checkpointIntervalMs,
      rotateGraceMs: options.rotateGraceMs ?? DEFAULTS.rotateGraceMs,
      maxLineBytes: options.maxLineBytes ?? DEFAULTS.maxLineBytes,
      maxBytesPerPoll: options.maxBytesPerPoll ?? DEFAULTS.maxBytesPerPoll,
      prefix: options.prefix ?? 'ospatrol',
      notices: options.notices ?? true,
      ackOnEmit: (options.ackMode ?? 'emit') === 'emit',
    };
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.store = new CheckpointStore(options.checkpointFile ?? defaultCheckpointPath(ctx.stateDir), ctx);
    this.patterns = configs.map((config) => ({ pattern: new LocationPattern(config.location), config }));
    for (const { config } of this.patterns) {
      if (LINE_BY_LINE_FALLBACK.has(config.format)) {
        ctx.log('warn', `log_format ${config.format} has no dedicated reader yet; reading line by line`, { location: config.location });
      }
    }
    this.env = {
      ctx,
      emit: (event: Event) => {
        if (this.emitTo) safeEmit(ctx, this.emitTo, event);
      },
      monotonic: this.monotonic,
      readBuffer: Buffer.allocUnsafe(64 * 1024),
      retire: (reader) => this.retire(reader),
      isTracked: (path) => this.tailers.has(path),
    };
  }

  start(emit: EventHandler): void {
    if (this.emitTo) throw new Error(`source ${this.name} already started`);
    this.emitTo = emit;
    this.loop = this.run().catch((e) => {
      this.ctx.log('error', 'log file collection stopped by an unexpected error', { error: String(e) });
    });
  }

  async stop(): Promise<void> {
    if (!this.loop || this.stopping) {
      await this.loop;
      return;
    }
    this.stopping = true;
    this.wake();
    await this.loop;
    this.markReady();
    if (!this.opts.ackOnEmit) await this.ctx.settle?.();
    // Positions first: closing must not move them (the current file is left at its checkpoint).
    this.saveCheckpoint();
    for (const { tailer } of this.tailers.values()) await tailer.close(false);
  }

  /**
   * Resolves once the start positions are fixed and the first poll is done: bytes written after
   * this are read even by an only-future-events source. Also resolves if the source stops first.
   */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  mark(): AckMark {
    const points = new Map<FileReader, { epoch: number; point: SafePoint }>();
    for (const { tailer } of this.tailers.values()) {
      const r = tailer.current;
      if (r) points.set(r, { epoch: r.epoch, point: { ...r.safe } });
    }
    const m: Mark = { __ackMark: true, points };
    return m;
  }

  acknowledge(mark: AckMark = this.mark()): void {
    for (const [reader, { epoch, point }] of (mark as Mark).points) {
      // A truncation restarted the reader since the mark: its offsets describe content now gone.
      if (reader.epoch === epoch && point.pos >= reader.acked.pos) reader.acked = point;
    }
  }

  private async run(): Promise<void> {
    try {
      await this.init();
    } catch (e) {
      // init() handles per-file trouble itself; this is a bug, but the loop still serves what it has.
      this.ctx.log('error', 'log file source initialisation failed', { error: String(e) });
    }
    while (!this.stopping) {
      let more = false;
      const room = this.ctx.room?.();
      if (room !== undefined) {
        await room;
        if (this.stopping) break;
      }
      try {
        more = await this.tick();
      } catch (e) {
        this.ctx.log('error', 'log file poll failed', { error: String(e) });
      }
      this.markReady();
      if (this.stopping) break;
      await this.sleep(more ? 0 : this.opts.pollIntervalMs);
    }
  }

  /**
   * First expansion: files present now start at their checkpoint, else (only-future-events) at
   * the end. A file checkpointed under another name (a glob matching rotated names) resumes from
   * that entry, found by inode.
   */
  private async init(): Promise<void> {
    const entries = this.store.load();
    const byPath = new Map(entries.map((e) => [e.path, e]));
    const byId = new Map(entries.map((e) => [identityKey(e), e]));
    for (const pe of this.patterns) {
      for (const path of (await this.expand(pe)) ?? []) {
        if (!this.claim(path, pe)) continue;
        let restore = byPath.get(path);
        const st = await stat(path, { bigint: true }).catch(() => null);
        if (st) {
          const other = byId.get(identityKey(st));
          if (other && other.path !== path && !(restore && sameIdentity(restore, st))) restore = { ...other, path };
        }
        const policy: StartPolicy = pe.config.onlyFutureEvents ? 'end' : 'beginning';
        this.addTailer(path, pe, policy, restore);
      }
    }
    this.lastRescan = this.monotonic();
    this.lastCheckpoint = this.monotonic();
  }

  private async tick(): Promise<boolean> {
    let more = false;
    for (const { tailer } of [...this.tailers.values()]) {
      if (this.stopping) break;
      try {
        more = (await tailer.poll(this.opts.maxBytesPerPoll)) || more;
        this.failing.delete(tailer.path);
      } catch (e) {
        this.ctx.count(SourceCounters.LOGFILE_READ_FAILED);
        // Logged when it starts failing, not on every poll; the counter keeps the tally.
        if (!this.failing.has(tailer.path)) {
          this.failing.add(tailer.path);
          this.ctx.log('warn', 'log file poll failed; will retry', { path: tailer.path, error: String(e) });
        }
      }
    }
    const now = this.monotonic();
    if (now - this.lastRescan >= this.opts.rescanIntervalMs) {
      this.lastRescan = now;
      await this.rescan();
    }
    if (now - this.lastCheckpoint >= this.opts.checkpointIntervalMs) {
      this.lastCheckpoint = now;
      this.saveCheckpoint();
    }
    return more;
  }

  /** New matches are read from the start; paths that left a glob are drained and dropped. */
  private async rescan(): Promise<void> {
    const held = new Set<string>();
    for (const { tailer } of this.tailers.values()) for (const k of tailer.heldIdentities()) held.add(k);
    for (const pe of this.patterns) {
      if (!pe.pattern.dynamic) continue;
      const paths = await this.expand(pe);
      // A failed expansion says nothing about which files went away: keep them all.
      if (paths === undefined) continue;
      const current = new Set(paths);
      for (const [path, t] of [...this.tailers]) {
        if (t.owner !== pe || current.has(path)) continue;
        this.tailers.delete(path);
        await t.tailer.close(true);
      }
      for (const path of paths) {
        if (this.tailers.has(path)) continue;
        const st = await stat(path, { bigint: true }).catch(() => null);
        if (!st) continue;
        const key = identityKey(st);
        // Still open under its old name (a rotation in progress): pick it up once that is done.
        if (held.has(key)) continue;
        if (!this.claim(path, pe)) continue;
        const retired = this.retired.get(key);
        if (retired) this.retired.delete(key);
        this.addTailer(path, pe, 'beginning', retired ? { ...retired, path } : undefined);
      }
    }
  }

  /** The pattern's current paths, or undefined when expansion failed (logged, counted). */
  private async expand(pe: PatternEntry): Promise<string[] | undefined> {
    try {
      return await pe.pattern.expand(new Date(this.ctx.now()));
    } catch (e) {
      this.ctx.count(SourceCounters.LOGFILE_GLOB_FAILED);
      this.ctx.log('warn', 'cannot expand location', { location: pe.config.location, error: String(e) });
      return undefined;
    }
  }

  /** One tailer per path: a path matched by two entries is followed once, by the first (as OSSEC). */
  private claim(path: string, pe: PatternEntry): boolean {
    const existing = this.tailers.get(path);
    if (!existing) return true;
    if (existing.owner !== pe && !this.duplicatesReported.has(path)) {
      this.duplicatesReported.add(path);
      this.ctx.count(SourceCounters.LOGFILE_DUPLICATE);
      this.ctx.log('warn', 'file matched by more than one <localfile>; following it once, with the first', { path });
    }
    return false;
  }

  private addTailer(path: string, pe: PatternEntry, policy: StartPolicy, restore: FileCheckpoint | undefined): void {
    const c = pe.config;
    const tailer = new Tailer(
      {
        path,
        location: c.alias || path,
        format: c.format,
        linesPerEvent: c.linesPerEvent,
        maxLineBytes: this.opts.maxLineBytes,
        rotateGraceMs: this.opts.rotateGraceMs,
        prefix: this.opts.prefix,
        notices: this.opts.notices,
      },
      this.env,
      { policy, restore },
    );
    this.tailers.set(path, { tailer, owner: pe });
  }

  private retire(reader: FileReader): void {
    const key = identityKey(reader.id);
    this.retired.delete(key);
    this.retired.set(key, {
      path: '',
      dev: String(reader.id.dev),
      ino: String(reader.id.ino),
      pos: reader.pos,
      skipping: false,
      headLen: reader.head.length,
      headHash: hashHead(reader.head),
    });
    if (this.retired.size > RETIRED_MAX) this.retired.delete(this.retired.keys().next().value as string);
  }

  private saveCheckpoint(): void {
    const entries: FileCheckpoint[] = [];
    for (const { tailer } of this.tailers.values()) {
      const cp = tailer.checkpoint(this.opts.ackOnEmit);
      if (cp) entries.push(cp);
    }
    this.store.save(entries);
  }

  private sleep(ms: number): Promise<void> {
    const timers = this.ctx.timers ?? defaultTimers;
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.sleepHandle = timers.setTimeout(() => {
        this.sleepHandle = undefined;
        this.wakeUp = undefined;
        resolve();
      }, ms);
    });
  }

  private wake(): void {
    const timers = this.ctx.timers ?? defaultTimers;
    if (this.sleepHandle !== undefined) timers.clearTimeout(this.sleepHandle);
    this.sleepHandle = undefined;
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }
}
