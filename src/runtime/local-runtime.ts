import { shortHostname } from './hostname.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../alerts/alert.js';
import { loadEngine, type Engine } from '../analysis/engine.js';
import { ParallelAnalyzer } from '../analysis/parallel/parallel-analyzer.js';
import { StatelessWorkers } from '../analysis/parallel/stateless-workers.js';
import { loadConfig } from '../config/load.js';
import type { OspatrolConfig } from '../config/model.js';
import { ErrorCodes, OspatrolError } from '../errors.js';
import type { Event } from '../events/event.js';
import { CursorStore } from '../sinks/delivery/cursor-store.js';
import type { RunnerStatus } from '../sinks/delivery/output-runner.js';
import { AlertJournal } from '../sinks/journal/alert-journal.js';
import { cursorsDir, journalDir } from '../sinks/journal/paths.js';
import { createSources } from '../sources/create.js';
import type { AckMark, Acknowledging, Source, SourceContext } from '../sources/source.js';
import type { Logger } from './logger.js';
import { OutputHost } from './output-host.js';

export interface LocalRuntimeOptions {
  configFile: string;
  stateDir: string;
  /** The name of this host in alerts; default from the config, else the short host name. */
  hostname: string | undefined;
  logger: Logger;
  /** E-mail grouping delay (tests); default 10 s. */
  emailGroupDelayMs?: number;
  /**
   * Most analysis threads, this one included (parallel-analyzer.ts): the others decode and run
   * the stateless rule filters, and start only while analysis keeps this thread saturated.
   * 1: this thread only. Default: the cores but one (defaultAnalysisThreads), at most 4.
   */
  threads?: number;
}

/** Marks of the sources that acknowledge, taken when a batch of their events went to analysis. */
type Marks = [Acknowledging, AckMark][];

/** Alerts kept in memory while the journal cannot be written (disk full), retried every second. */
const MAX_UNJOURNALED = 10_000;
/** Most alerts gathered before they are appended to the journal anyway. */
const JOURNAL_RUN = 512;

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Local mode: this host's sources, the engine and the outputs in one process, wired
 * source -> engine -> journal -> outputs. The engine is handed events through one function
 * (`handle`), the seam where a transport goes later. Each alert is appended to the alert journal
 * (sinks/journal/alert-journal.ts) before anything else, and every output (alerts.log,
 * alerts.json, the SQLite store, database servers, syslog, e-mail) delivers from the journal with
 * its own delivery loop and persisted cursor (sinks/delivery/output-runner.ts): an output that is
 * down, slow or restarting loses nothing and holds nobody else up.
 *
 * Two threads: this one collects, analyses and appends to the journal; the outputs' delivery
 * loops run on a second one (output-host.ts, output-worker.ts), which reads the journal's files,
 * so writing the outputs never holds analysis up.
 */
export class LocalRuntime {
  readonly counters = new Map<string, number>();
  private config!: OspatrolConfig;
  private engine!: Engine;
  /** Feeds `engine`, or during a reload the previous engine until it is drained (analyzer.engine). */
  private analyzer!: ParallelAnalyzer<Marks>;
  private journal!: AlertJournal;
  private outputs!: OutputHost;
  private outputNames: string[] = [];
  /** Analysed, not yet appended to the journal (journalAlerts). */
  private toJournal: Alert[] = [];
  private unjournaled: Alert[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private sources: Source[] = [];
  private hostname = '';
  private readonly ctx: SourceContext;

  private constructor(private readonly opts: LocalRuntimeOptions) {
    const log = opts.logger;
    this.ctx = {
      stateDir: opts.stateDir,
      now: () => Date.now(),
      log: (level, msg, data) => log[level](msg, data),
      count: (name, by = 1) => this.count(name, by),
      room: () => this.analyzer.room(),
      settle: () => this.analyzer.drain(),
    };
  }

  /** Loads everything, then starts collecting. Throws ConfigErrors on a bad configuration. */
  static async start(opts: LocalRuntimeOptions): Promise<LocalRuntime> {
    const rt = new LocalRuntime(opts);
    mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    rt.load();
    rt.startAnalyzer();
    rt.openJournal();
    rt.outputs = new OutputHost({
      stateDir: opts.stateDir,
      journal: rt.journal,
      logger: opts.logger,
      version: VERSION,
      emailGroupDelayMs: opts.emailGroupDelayMs,
    });
    try {
      await rt.startOutputs();
    } catch (e) {
      await rt.outputs.close();
      rt.journal.close();
      await rt.analyzer.close();
      throw e;
    }
    rt.startSources();
    const commands = rt.config.localfiles.filter((l) => l.type === 'command').length;
    opts.logger.info('started', {
      hostname: rt.hostname,
      commands,
      files: rt.config.localfiles.length - commands,
      alerts: join(opts.stateDir, 'logs', 'alerts', 'alerts.log'),
      outputs: rt.outputNames.join(','),
      journal_seq: rt.journal.lastSeq,
    });
    return rt;
  }

  /** Each output's cursor and lag (the live form of `ospatrol status`). */
  outputStatus(): RunnerStatus[] {
    return this.outputs.status();
  }

  private count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  /** Reads the configuration and builds a new engine; the running one is untouched on error. */
  private load(): void {
    const config = loadConfig(this.opts.configFile);
    const hostname = this.opts.hostname ?? config.global.hostname ?? shortHostname();
    const engine = loadEngine({
      config,
      hostname,
      stateDir: this.opts.stateDir,
      warn: (m) => {
        this.count('engine.warnings');
        this.opts.logger.warn(m);
      },
    });
    this.config = config;
    this.engine = engine;
    this.hostname = hostname;
  }

  /**
   * The journal (one process per state directory: it holds a lock). New sequence numbers start
   * above every persisted cursor, so ids stay unique even if a power cut cost the journal's tail.
   */
  private openJournal(): void {
    const cursors = new CursorStore(cursorsDir(this.opts.stateDir));
    try {
      this.journal = AlertJournal.open({
        dir: journalDir(this.opts.stateDir),
        seqFloor: cursors.maxSeq() + 1,
        warn: (msg, fields) => this.opts.logger.warn(msg, fields),
      });
    } catch (e) {
      throw new OspatrolError(ErrorCodes.STATE_IO, `cannot open the alert journal: ${(e as Error).message}`);
    }
  }

  /** Starts the configuration's outputs on the outputs' thread; rejects when one cannot open. */
  private async startOutputs(): Promise<void> {
    this.outputNames = await this.outputs.start(this.config, this.hostname);
  }

  /**
   * Local outputs (files, SQLite) drain everything; remote ones get a few seconds, then what is
   * left waits in the journal for the next start. Returns their final state.
   */
  private async stopOutputs(): Promise<RunnerStatus[]> {
    const status = await this.outputs.stopOutputs();
    this.outputNames = [];
    return status;
  }

  private startSources(): void {
    this.sources = createSources(this.config.localfiles, this.ctx, {
      prefix: this.config.global.commandPrefix,
      // File positions are saved every second (the journal's flush period too), so a kill -9 makes
      // at most about a second of lines be read again. They move only when the analyzer has
      // handled the lines (acknowledge, in afterBatch): they lag, never lead, so nothing is lost.
      logfile: { checkpointIntervalMs: 1000, ackMode: 'explicit' },
    });
    for (const s of this.sources) s.start(this.handle);
  }

  private async stopSources(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.stop()));
    this.sources = [];
  }

  /** The seam between collection and analysis. */
  private readonly handle = (event: Event): void => {
    this.count('events');
    this.analyzer.submit(event);
  };

  /**
   * The analyzer for the current engine: events are analysed on this thread, or, while that
   * keeps it saturated, decoded and prefiltered on worker threads and finished here in order.
   */
  private startAnalyzer(): void {
    const engine = this.engine;
    const workers = new StatelessWorkers({
      configFile: this.opts.configFile,
      hostname: this.hostname,
      max: (this.opts.threads ?? defaultAnalysisThreads()) - 1,
      warn: (m) => {
        this.count('analysis.worker_failed');
        this.opts.logger.warn(m);
      },
    });
    this.analyzer = new ParallelAnalyzer<Marks>({
      engine,
      workers,
      onGrow: (workers) => this.opts.logger.info('analysis is busy: worker thread started', { workers }),
      onRetire: (workers) => this.opts.logger.info('analysis at rest: worker threads stopped', { workers }),
      warn: (m) => this.opts.logger.warn(m),
      consume: (lf, detail, forwarded, prepassed) => {
        const alert = engine.processDecoded(lf, detail, forwarded, prepassed);
        if (alert) this.deliver(alert);
      },
      mark: () => {
        const marks: Marks = [];
        for (const s of this.sources) if (isAcknowledging(s)) marks.push([s, s.mark()]);
        return marks;
      },
      afterBatch: (marks) => {
        // Once the alerts of these events are in the journal, their positions may be saved.
        this.journalAlerts();
        for (const [s, m] of marks) s.acknowledge(m);
      },
    });
  }

  /**
   * Lets every event submitted be analysed, stops the worker threads, and writes the state the
   * engine that analysed them keeps in memory (a reload's new engine reads it from disk).
   */
  private async stopAnalyzer(): Promise<void> {
    await this.analyzer.drain();
    this.journalAlerts();
    const failed = this.analyzer.failed;
    if (failed > 0) this.count('analysis.failed', failed);
    await this.analyzer.close();
    try {
      this.analyzer.engine.close();
    } catch (e) {
      this.opts.logger.error('cannot write the check_diff state; it stays in queue/diff-pending.log for the next start', { error: e });
    }
  }

  /**
   * The alerts of the events being analysed go to the journal together, in order: at the end of
   * each batch, before its file positions are acknowledged (afterBatch), and at the latest when
   * the current task ends. One write per run of alerts instead of one per alert; an alert is in
   * the kernel before its event's position is saved and before any output can see it (outputs
   * read only the journal: output-host.ts).
   */
  private deliver(alert: Alert): void {
    this.count('alerts');
    if (this.toJournal.push(alert) === 1) setImmediate(this.journalAlerts);
    else if (this.toJournal.length >= JOURNAL_RUN) this.journalAlerts();
  }

  private readonly journalAlerts = (): void => {
    const alerts = this.toJournal;
    if (alerts.length === 0) return;
    this.toJournal = [];
    const appended = this.unjournaled.length > 0 ? 0 : this.append(alerts);
    for (let i = appended; i < alerts.length; i++) this.holdUnjournaled(alerts[i]);
  };

  /** Appends alerts in order; returns how many went in (all, unless the journal failed). */
  private append(alerts: readonly Alert[]): number {
    const before = this.journal.nextSeq;
    try {
      this.journal.appendMany(alerts, withJournalId);
      return alerts.length;
    } catch (e) {
      this.count('journal.append_failed');
      this.opts.logger.error('cannot append alerts to the journal; keeping them in memory and retrying', { alerts: alerts.length, error: e });
      return this.journal.nextSeq - before;
    }
  }

  /** The journal failed (disk full): alerts wait in memory, in order, and are retried every second. */
  private holdUnjournaled(alert: Alert): void {
    if (this.unjournaled.length >= MAX_UNJOURNALED) {
      this.count('alerts.lost');
      this.opts.logger.error('alert lost: the journal cannot be written and the memory queue is full', {
        rule: alert.rule.id,
        location: alert.location,
      });
      return;
    }
    this.unjournaled.push(alert);
    this.retryTimer ??= setTimeout(() => this.retryUnjournaled(), 1000);
  }

  private retryUnjournaled(): void {
    this.retryTimer = undefined;
    this.unjournaled.splice(0, this.append(this.unjournaled));
    if (this.unjournaled.length > 0) this.retryTimer = setTimeout(() => this.retryUnjournaled(), 1000);
    else this.opts.logger.info('the journal is writable again; alerts held in memory were appended');
  }

  /**
   * SIGHUP: re-read the configuration, rules and decoders. On any error the running setup stays
   * as it was. check_diff state is on disk and file positions are checkpointed by the sources when
   * they stop, so nothing is lost or repeated across a reload.
   */
  async reload(): Promise<boolean> {
    const before = { config: this.config, engine: this.engine, hostname: this.hostname };
    try {
      this.load();
    } catch (e) {
      Object.assign(this, before);
      this.opts.logger.error('reload failed; keeping the running configuration', { error: e });
      return false;
    }
    await this.stopSources();
    // Events already taken are finished by the engine that took them (its state is on disk).
    await this.stopAnalyzer();
    this.startAnalyzer();
    await this.stopOutputs();
    try {
      await this.startOutputs();
    } catch (e) {
      // An output of the new configuration cannot open (a file it cannot create): keep running
      // with the previous outputs rather than with none.
      Object.assign(this, before);
      try {
        await this.startOutputs();
      } catch (again) {
        this.opts.logger.error('the previous outputs could not start again either; alerts wait in the journal', { error: again });
      }
      await this.stopAnalyzer();
      this.startAnalyzer();
      this.startSources();
      this.opts.logger.error('reload failed: an output could not start; keeping the running configuration', { error: e });
      return false;
    }
    this.startSources();
    this.opts.logger.info('reloaded configuration, rules and decoders', { rules: this.engine.summary().rules });
    return true;
  }

  async stop(): Promise<void> {
    await this.stopSources();
    await this.stopAnalyzer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.unjournaled.length > 0) this.retryUnjournaled();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.unjournaled.length > 0) {
      this.count('alerts.lost', this.unjournaled.length);
      this.opts.logger.error('alerts lost at stop: the journal could not be written', { alerts: this.unjournaled.length });
    }
    const behind = (await this.stopOutputs()).filter((s) => s.lag > 0);
    await this.outputs.close();
    this.journal.close();
    const c = Object.fromEntries([...this.counters].sort());
    this.opts.logger.info('stopped', { ...c, analysis_failed: this.engine.counters.failed, journal_seq: this.journal.lastSeq });
    for (const s of behind) {
      this.opts.logger.warn('output stopped behind; the rest is delivered at the next start', { output: s.output, lag: s.lag, error: s.lastError });
    }
  }
}

/**
 * Under load the outputs' thread (alerts.log, alerts.json, SQLite) keeps a core busy too: analysis
 * gets the others, at most 4. On two cores that is this thread alone: a worker there costs more
 * (its own copy of the rules, the batches crossing between threads) than the core it would find
 * free (local mode with --threads 2 was slower than with 1 in 6 runs out of 6 on 1e5 lines).
 */
function defaultAnalysisThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * An alert's id becomes `<event second>.<journal seq>`: unique across restarts and reloads (the
 * engine's counter restarts at 1 in each engine, as OSSEC's), which the database outputs rely on
 * to tell a replay from a new alert.
 */
function withJournalId(alert: Alert, seq: number): Alert {
  return { ...alert, id: `${Math.floor(alert.timestamp / 1000)}.${seq}` };
}

function isAcknowledging(s: Source): s is Source & Acknowledging {
  return typeof (s as Partial<Acknowledging>).acknowledge === 'function' && typeof (s as Partial<Acknowledging>).mark === 'function';
}
