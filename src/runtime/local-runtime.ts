import { mkdirSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../alerts/alert.js';
import { loadEngine, type Engine } from '../analysis/engine.js';
import { loadConfig } from '../config/load.js';
import type { OspatrolConfig } from '../config/model.js';
import type { Event } from '../events/event.js';
import type { Sink } from '../sinks/sink.js';
import { AlertsJsonSink } from '../sinks/alerts-json/alerts-json-sink.js';
import { AlertsLogSink } from '../sinks/alerts-log/alerts-log-sink.js';
import { SqliteSink } from '../sinks/sqlite/sqlite-sink.js';
import { createSources } from '../sources/create.js';
import type { Source, SourceContext } from '../sources/source.js';
import type { Logger } from './logger.js';

export interface LocalRuntimeOptions {
  configFile: string;
  stateDir: string;
  /** The name of this host in alerts; default from the config, else the short host name. */
  hostname: string | undefined;
  logger: Logger;
}

/**
 * Local mode: this host's sources, the engine and the local sinks in one process, wired
 * source -> engine -> sinks. The engine is handed events through one function (`handle`), the seam
 * where a transport or a durable stream goes later; sinks only receive finished alerts.
 */
export class LocalRuntime {
  readonly counters = new Map<string, number>();
  private config!: OspatrolConfig;
  private engine!: Engine;
  private sinks: Sink[] = [];
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
    };
  }

  /** Loads everything, then starts collecting. Throws ConfigErrors on a bad configuration. */
  static async start(opts: LocalRuntimeOptions): Promise<LocalRuntime> {
    const rt = new LocalRuntime(opts);
    mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    rt.load();
    rt.openSinks();
    // Alert ids are `<receive second>.<n>` with n restarting at 1 in each process (as OSSEC).
    // Starting in a later second than the previous run's last alert keeps ids unique across
    // restarts, which the database relies on to tell a replay from a new alert.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    rt.startSources();
    const commands = rt.config.localfiles.filter((l) => l.type === 'command').length;
    opts.logger.info('started', {
      hostname: rt.hostname,
      commands,
      files: rt.config.localfiles.length - commands,
      alerts: join(opts.stateDir, 'logs', 'alerts', 'alerts.log'),
    });
    return rt;
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

  private openSinks(): void {
    const { stateDir, logger } = this.opts;
    this.sinks = [new AlertsLogSink({ stateDir, logger })];
    if (this.config.global.jsonoutOutput) this.sinks.push(new AlertsJsonSink({ stateDir, logger }));
    this.sinks.push(new SqliteSink({ stateDir, serverName: this.hostname }));
  }

  private async closeSinks(): Promise<void> {
    for (const s of this.sinks) {
      try {
        await s.close();
      } catch (e) {
        this.opts.logger.error('closing an output failed', { output: s.name, error: e });
      }
    }
    this.sinks = [];
  }

  private startSources(): void {
    this.sources = createSources(this.config.localfiles, this.ctx, { prefix: this.config.global.commandPrefix });
    for (const s of this.sources) s.start(this.handle);
  }

  private async stopSources(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.stop()));
    this.sources = [];
  }

  /** The seam between collection and analysis. */
  private readonly handle = (event: Event): void => {
    this.count('events');
    const alert = this.engine.process(event);
    if (alert) this.deliver(alert);
  };

  private deliver(alert: Alert): void {
    this.count('alerts');
    for (const sink of this.sinks) {
      try {
        const r = sink.write(alert);
        if (r instanceof Promise) r.catch((e: unknown) => this.sinkFailed(sink, alert, e));
      } catch (e) {
        this.sinkFailed(sink, alert, e);
      }
    }
  }

  private sinkFailed(sink: Sink, alert: Alert, e: unknown): void {
    this.count(`output.${sink.name}.failed`);
    this.opts.logger.error('writing an alert failed', { output: sink.name, alert: alert.id, error: e });
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
    await this.closeSinks();
    this.openSinks();
    this.startSources();
    this.opts.logger.info('reloaded configuration, rules and decoders', { rules: this.engine.summary().rules });
    return true;
  }

  async stop(): Promise<void> {
    await this.stopSources();
    await this.closeSinks();
    const c = Object.fromEntries([...this.counters].sort());
    this.opts.logger.info('stopped', { ...c, analysis_failed: this.engine.counters.failed });
  }
}

export function shortHostname(): string {
  // OSSEC's __shost: gethostname() cut at the first dot (ossec-analysis.md 1.2.8).
  return (process.env.OSPATROL_HOSTNAME || osHostname()).split('.')[0];
}

