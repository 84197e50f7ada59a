import type { Alert } from '../alerts/alert.js';
import type { OspatrolConfig } from '../config/model.js';
import { ConfigErrors, OspatrolError } from '../errors.js';
import type { Event } from '../events/event.js';
import { applyForwardedAlert, decode, DecodeDetail, decoderIdOf, dynamicField, loadDecoders } from './decoders/index.js';
import type { DecoderSet, ForwardedAlert } from './decoders/types.js';
import { newEventInfo, type EventInfo } from './event-info.js';
import { predecode } from './predecode/predecode.js';
import { RuleEngine, type RuleMatch } from './rules/evaluate.js';
import { loadRuleset, type Ruleset } from './rules/ruleset.js';
import { engineState } from './rules/engine-state.js';
import { resetRuleState } from './rules/reset.js';
import { ListStore } from './state/lists.js';

export interface LoadEngineOptions {
  config: OspatrolConfig;
  /** The local host's name: hostname of events without a syslog header (ossec-analysis.md 1.2.8). */
  hostname: string;
  /** Where check_diff, FTS and ignore state persist; without it, state lives in memory (logtest). */
  stateDir?: string;
  /** ossec-logtest semantics (ignore timer reset, no FTS/ignore persistence: 9.6). */
  logtest?: boolean;
  /** Problems that do not stop analysis (state I/O, oversize outputs). */
  warn?: (message: string) => void;
}

/** Everything the engine worked out for one event: what logtest prints. */
export interface Analysis {
  lf: EventInfo;
  /** Phase 2 fields in capture order (labels as ossec-logtest prints them), when asked for. */
  detail: DecodeDetail | undefined;
  match: RuleMatch | null;
}

export interface EngineCounters {
  events: number;
  alerts: number;
  /** Events whose analysis threw: counted and dropped, never fatal. */
  failed: number;
}

/**
 * The analysis engine: load the decoders, rules and lists once, then turn events into alerts.
 * It is one library for local mode, the manager and the tools. It knows nothing of sources or
 * sinks: an Event comes in, an Alert (or nothing) goes out.
 */
export class Engine {
  readonly counters: EngineCounters = { events: 0, alerts: 0, failed: 0 };
  private alertSeq = 0;
  private idSecond = NaN;
  private idPrefix = '';
  private readonly detail = new DecodeDetail(false);
  private current: EventInfo | undefined;
  private currentDetail: DecodeDetail = this.detail;
  private readonly fieldLookup = (name: string): string | undefined =>
    this.current ? dynamicField(this.current, this.currentDetail, name) : undefined;

  constructor(
    readonly decoders: DecoderSet,
    readonly ruleset: Ruleset,
    readonly rules: RuleEngine,
    readonly hostname: string,
    private readonly warn: (message: string) => void,
    private readonly memorySize: number,
  ) {}

  /**
   * The same loaded decoders and rules with all state forgotten and kept in memory (logtest
   * semantics): what a fresh ossec-logtest process would be, without reading the files again.
   * The rules' own state is reset, so this engine must not be used afterwards.
   */
  fresh(): Engine {
    resetRuleState(this.ruleset);
    const rules = new RuleEngine(this.ruleset, { ...engineState({ mode: 'logtest' }), memorySize: this.memorySize, warn: this.warn });
    return new Engine(this.decoders, this.ruleset, rules, this.hostname, this.warn, this.memorySize);
  }

  /** Persists the state that waits in memory (check_diff's write-behind). Throws on I/O errors. */
  close(): void {
    this.rules.checkDiffStore.close?.();
  }

  summary(): { decoders: number; rules: number; treeNodes: number } {
    return {
      decoders: this.decoders.withProgram.length + this.decoders.withoutProgram.length,
      rules: this.ruleset.byId.size,
      treeNodes: this.ruleset.nodeCount,
    };
  }

  /** Pre-decode, decode and match one event. `trace` gets logtest -v lines. */
  analyze(event: Event, opts: { trace?: (line: string) => void; fields?: boolean } = {}): Analysis {
    const detail = opts.fields ? new DecodeDetail(true) : this.detail;
    const d = this.decodeEvent(event, detail);
    return this.matchDecoded(d.lf, detail, d.forwarded, { trace: opts.trace, keepDetail: opts.fields === true });
  }

  /**
   * The stateless half of analyze: pre-decoding and decoding (nothing here depends on earlier
   * events, so it may run on another thread: see parallel/). Fills `detail`.
   */
  decodeEvent(event: Event, detail: DecodeDetail): { lf: EventInfo; forwarded: ForwardedAlert | undefined } {
    return decodeStage(this.decoders, this.hostname, event, detail);
  }

  /**
   * The stateless part of the rules for a decoded event (RuleEngine.preEvaluate): what a thread
   * ahead of the rules thread passes along with the event (parallel/). Changes no state.
   */
  preEvaluate(lf: EventInfo, detail: DecodeDetail): number[] {
    this.current = lf;
    this.currentDetail = detail;
    try {
      return this.rules.preEvaluate(lf, this.fieldLookup);
    } finally {
      this.current = undefined;
    }
  }

  /**
   * The stateful half of analyze: the rules, in event order. `detail` holds the dynamic field
   * slots decoding filled for `lf`; `prepassed`, what preEvaluate found for it on another thread.
   */
  matchDecoded(
    lf: EventInfo,
    detail: DecodeDetail,
    forwarded: ForwardedAlert | undefined,
    opts: { trace?: (line: string) => void; keepDetail?: boolean; prepassed?: readonly number[] } = {},
  ): Analysis {
    const { trace, keepDetail = false, prepassed } = opts;
    let generatedRuleId: number | undefined;
    if (forwarded) {
      const id = Number.parseInt(forwarded.ruleId, 10);
      if (this.ruleset.byId.has(id) && applyForwardedAlert(lf, forwarded)) generatedRuleId = id;
    }
    this.current = lf;
    this.currentDetail = detail;
    const match = this.rules.evaluate(lf, { trace, generatedRuleId, dynamicField: this.fieldLookup, prepassed });
    this.current = undefined;
    return { lf, detail: keepDetail ? detail : undefined, match };
  }

  /** The daemon path for an event decoded elsewhere (parallel/): counted like process(). */
  processDecoded(lf: EventInfo, detail: DecodeDetail, forwarded: ForwardedAlert | undefined, prepassed?: readonly number[]): Alert | undefined {
    this.counters.events++;
    let a: Analysis;
    try {
      a = this.matchDecoded(lf, detail, forwarded, { prepassed });
    } catch (e) {
      this.counters.failed++;
      this.warn(`event dropped: analysis failed: ${(e as Error).message} (location ${JSON.stringify(lf.location)})`);
      return undefined;
    }
    const m = a.match;
    if (!m || !m.alert || !m.log) return undefined;
    this.counters.alerts++;
    return this.toAlert(a.lf, m);
  }

  /**
   * The daemon path: an event in, the alert to log out (or undefined). A hostile event that makes
   * any stage throw is counted in `failed` and dropped; it never stops the engine.
   */
  process(event: Event): Alert | undefined {
    this.counters.events++;
    let a: Analysis;
    try {
      a = this.analyze(event);
    } catch (e) {
      this.counters.failed++;
      this.warn(`event dropped: analysis failed: ${(e as Error).message} (location ${JSON.stringify(event.location)})`);
      return undefined;
    }
    const m = a.match;
    if (!m || !m.alert || !m.log) return undefined;
    this.counters.alerts++;
    return this.toAlert(a.lf, m);
  }

  /** Builds the Alert value of a match (also used by logtest -a). */
  toAlert(lf: EventInfo, m: RuleMatch): Alert {
    const agent = lf.agent
      ? { id: lf.agent.id, name: lf.agent.name, ip: lf.agent.ip }
      : { id: '000', name: this.hostname };
    const alert: Alert = {
      id: this.alertIdPrefix(lf.time) + ++this.alertSeq,
      timestamp: lf.time,
      rule: {
        id: m.id,
        level: m.level,
        description: m.description ?? '',
        groups: [...m.groups],
        groupText: m.groupText,
        mail: m.mail,
        firedtimes: m.firedtimes,
        info: m.info.length > 0 ? m.info.map((i) => ({ type: i.type, value: i.value })) : undefined,
      },
      agent,
      hostname: lf.hostname,
      location: lf.location,
      fullLog: lf.fullLog,
      previousOutput: m.previousOutput,
      context: [...m.context],
      decoder: lf.decoder && lf.decoder.name ? { name: lf.decoder.name } : undefined,
      programName: lf.programName,
      fields: fieldRecord(lf.fields),
    };
    // Set only on check_diff alerts (an object spread in the literal cost every alert a slow copy).
    if (m.diff) {
      const d = m.diff;
      alert.diff = { added: d.added, removed: d.removed, unified: d.unified, truncated: d.truncated, kind: d.kind, summary: d.summary };
    }
    return alert;
  }

  /** `<epoch seconds>.` of an alert id: the same for every alert of a second, so built once per second. */
  private alertIdPrefix(timeMs: number): string {
    const sec = Math.floor(timeMs / 1000);
    if (sec !== this.idSecond) {
      this.idSecond = sec;
      this.idPrefix = `${sec}.`;
    }
    return this.idPrefix;
  }
}

/**
 * The fields as own data properties, whatever the names: `record[k] = v` would turn a dynamic field
 * named `__proto__` (a decoder's <order> can name it) into a prototype change and lose it. Plain
 * assignment otherwise: Object.fromEntries cost 4-5x more per alert (3% of logtest -a).
 */
function fieldRecord(fields: ReadonlyMap<string, string>): Record<string, string> {
  const record: Record<string, string> = {};
  fields.forEach((v, k) => {
    if (k === '__proto__') Object.defineProperty(record, k, { value: v, enumerable: true, writable: true, configurable: true });
    else record[k] = v;
  });
  return record;
}

/** Pre-decoding and decoding of one event: Engine.decodeEvent, and the decoding thread of parallel/. */
export function decodeStage(
  decoders: DecoderSet,
  hostname: string,
  event: Event,
  detail: DecodeDetail,
): { lf: EventInfo; forwarded: ForwardedAlert | undefined } {
  const pre = predecode({ location: event.location, message: event.message, agent: event.agent }, hostname);
  const lf = newEventInfo({
    location: pre.location,
    hostname: pre.hostname,
    programName: pre.programName,
    log: pre.log,
    fullLog: pre.fullLog,
    time: event.receivedAt,
    agent: event.agent,
  });
  const forwarded = decode(decoders, lf, detail);
  return { lf, forwarded };
}

/**
 * Loads decoders, lists and rules named by the configuration. Errors are thrown as ConfigErrors
 * whose entries name file:line (a rule or decoder file problem stops start-up, as in OSSEC).
 */
export function loadEngine(opts: LoadEngineOptions): Engine {
  const { config } = opts;
  const warn = opts.warn ?? (() => {});
  try {
    const decoders = loadDecoders(config.rules.decoderFiles);
    const lists = new ListStore();
    for (const l of config.rules.lists) lists.addFile(l.name, l.path);
    const ruleset = loadRuleset(config.rules.ruleFiles, {
      decoderIdOf: (name) => decoderIdOf(decoders, name),
      logAlertLevel: config.alerts.logAlertLevel,
      emailAlertLevel: config.alerts.emailAlertLevel,
      lists,
    });
    const rules = new RuleEngine(ruleset, {
      ...engineState({ mode: opts.logtest ? 'logtest' : 'analysisd', stateDir: opts.stateDir }),
      memorySize: config.global.memorySize,
      warn,
    });
    return new Engine(decoders, ruleset, rules, opts.hostname, warn, config.global.memorySize);
  } catch (e) {
    if (e instanceof OspatrolError) throw new ConfigErrors([e]);
    throw e;
  }
}
