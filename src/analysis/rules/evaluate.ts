import { OSSEC_ALERT_TYPE } from '../decoders/types.js';
import type { DecoderRef, EventInfo } from '../event-info.js';
import { DEFAULT_DIFF_BOUNDS, type DiffBounds } from '../diff/bounds.js';
import { decideCheckDiff, type DiffOutcome } from '../diff/decide.js';
import { diffKeyOf } from '../diff/key.js';
import { OSSEC_DIFF_SPEC } from '../diff/spec.js';
import type { ChangeReport } from '../diff/types.js';
import { DEFAULT_CHECK_DIFF_MAX_BYTES, MemoryCheckDiffStore, type CheckDiffStore } from '../state/check-diff-store.js';
import { addToSidList, EventList, historyEntry, type HistoryEntry } from '../state/event-history.js';
import { FTS_DONE, FtsStore, IgnoreStore, ftsFlags, ftsKey, ignoreLine } from '../state/fts.js';
import { checkRule, preEvaluate, type CheckContext } from './check.js';
import type { Rule, RuleNode } from './rule.js';
import type { Ruleset } from './ruleset.js';
import type { InfoEntry } from './types.js';

/** What rules see when no decoder matched: OSSEC's NULL_Decoder (syslog type, id 0, no name). */
export const NULL_DECODER: DecoderRef = { name: '', id: 0, type: 'syslog', order: [], fts: undefined };

/**
 * OSSEC_ALERT_TYPE is the decoder type of forwarded OSSEC alerts (OSSECAlert_Decoder): such events
 * skip the tree and use the rule named by the alert (EvaluateOptions.generatedRuleId).
 */
export { OSSEC_ALERT_TYPE };

/** OSPatrol 2.7 decoders say `ospatrol` for what OSSEC calls `ossec` (see load-elements.ts). */
export function categoryOf(type: string): string {
  return type === 'ospatrol' ? 'ossec' : type;
}

export interface EngineOptions {
  /** check_diff state (default: in memory, as ossec-logtest without a state directory). */
  checkDiff?: CheckDiffStore;
  /** Outputs of this many bytes or more are not compared (default 1 MiB; see check-diff-store.ts). */
  checkDiffMaxBytes?: number;
  /** Limits on computing the change a check_diff alert carries (default DEFAULT_DIFF_BOUNDS). */
  diffBounds?: Partial<DiffBounds>;
  /** First-time-seen memory (default: in memory, not persisted). */
  fts?: FtsStore;
  /** The <ignore>/<check_if_ignored> file (default: in memory). */
  ignore?: IgnoreStore;
  /**
   * ossec-logtest semantics for the `ignore` attribute: once the window has passed the timer goes back
   * to 0 instead of restarting, so the next win alerts too (testrule.c; 6.4). analysisd otherwise.
   * (logtest's other differences - no FTS or ignore-file writes - are store options; engineState()
   * sets all of them for either front end.)
   */
  logtest?: boolean;
  /** <global><memory_size>: EventList size (default 8192). */
  memorySize?: number;
  /** analysisd.sid_prev_matched_max (default 128). */
  sidPrevMatchedMax?: number;
  /** Where problems that do not stop evaluation go (state I/O, oversize check_diff output). */
  warn?: (message: string) => void;
}

export interface EvaluateOptions {
  /** `ossec-logtest -v`: receives "    Trying rule: <id> - <desc>", "       *Rule <id> matched.", "       *Trying child rules.". */
  trace?: (line: string) => void;
  /** For OSSEC_ALERT events: the rule the forwarded alert names. */
  generatedRuleId?: number;
  /**
   * The decoders module's lookup for `<field name=X>` (decoders' dynamicField bound to this event and
   * its DecodeDetail); without it the value is read by name from the event's fields.
   */
  dynamicField?: (name: string) => string | undefined;
  /**
   * What preEvaluate found on another thread for this event: the indexes of the nodes whose stateless
   * filters pass. The rules then run only the stateful ones here. Ignored while tracing.
   */
  prepassed?: readonly number[];
}

/** Why a winning rule produced no alert. */
export type Suppression = 'level-0' | 'ignore-time' | 'ignored';

/** The result of evaluating one event against the tree. */
export interface RuleMatch {
  /** The winning rule (the first matching path, 5.6). */
  rule: Rule;
  id: number;
  level: number;
  description: string | undefined;
  groups: readonly string[];
  /** OSSEC's group string, normally ending in ','. */
  groupText: string;
  info: readonly InfoEntry[];
  /** True when an alert results: level > 0, outside the ignore window, not in the ignore file. */
  alert: boolean;
  suppressed: Suppression | undefined;
  /** DO_LOGALERT: write to alerts.log (level >= log_alert_level unless no_log, or log_alert). */
  log: boolean;
  /** The alerts.log ` mail ` marker. */
  mail: boolean;
  firedtimes: number;
  /** Lines after full_log: `Previous output:` + old output, or earlier events' full_log newest first. */
  context: readonly string[];
  /** check_diff: the previous output (context line 1, as alerts.json's previous_output). */
  previousOutput: string | undefined;
  /** check_diff: what changed (lines added and removed, unified text), or the baseline notice. */
  diff: ChangeReport | undefined;
}

const NO_LINES: readonly string[] = [];

/**
 * Evaluates events against a loaded ruleset and keeps the rule state (frequency history, ignore
 * timers, FTS, check_diff). Single-threaded, like analysisd with rule_matching_threads=1. Time comes
 * only from each event's receive time.
 */
export class RuleEngine implements CheckContext {
  readonly ruleset: Ruleset;
  readonly events: EventList;
  readonly checkDiffStore: CheckDiffStore;
  readonly checkDiffMaxBytes: number;
  readonly diffBounds: DiffBounds;
  readonly fts: FtsStore;
  readonly ignoreStore: IgnoreStore;
  readonly logtest: boolean;
  readonly sidPrevMatchedMax: number;
  readonly warn: (message: string) => void;

  // Per-event state read by check.ts.
  ev!: EventInfo;
  dec: DecoderRef = NULL_DECODER;
  decType = 'syslog';
  now = 0;
  trace: ((line: string) => void) | undefined = undefined;
  dynamicField: ((name: string) => string | undefined) | undefined = undefined;
  /** The event's alert_last_events: set by a successful search or a check_diff change. */
  ctx: readonly string[] | null = null;
  /** The context came from check_diff (so line 1 is the previous output). */
  ctxIsDiff = false;
  prepassed: Int32Array | undefined = undefined;
  prepassedStamp = 0;
  /** Marks of the nodes preEvaluate passed, stamped per event so they never need clearing. */
  private readonly passMarks: Int32Array;
  /** What check_diff found for this event, and the rule it was for. */
  private diffOutcome: Exclude<DiffOutcome, { kind: 'none' }> | null = null;
  private diffRule: Rule | null = null;
  private clockMs = NaN;
  private hhmm = '';
  private wday = 0;

  constructor(ruleset: Ruleset, opts: EngineOptions = {}) {
    this.ruleset = ruleset;
    this.events = new EventList(opts.memorySize ?? 8192, ruleset.maxFrequency);
    this.checkDiffStore = opts.checkDiff ?? new MemoryCheckDiffStore();
    this.checkDiffMaxBytes = opts.checkDiffMaxBytes ?? DEFAULT_CHECK_DIFF_MAX_BYTES;
    this.diffBounds = { ...DEFAULT_DIFF_BOUNDS, ...opts.diffBounds };
    this.fts = opts.fts ?? new FtsStore();
    this.ignoreStore = opts.ignore ?? new IgnoreStore();
    this.logtest = opts.logtest ?? false;
    this.sidPrevMatchedMax = opts.sidPrevMatchedMax ?? 128;
    this.warn = opts.warn ?? (() => {});
    this.passMarks = new Int32Array(ruleset.nodeCount);
  }

  /** Local "HH:MM" of the receive time (rule <time>). */
  localHhmm(): string {
    this.clock();
    return this.hhmm;
  }

  /** Local weekday of the receive time, Sunday = 0 (rule <weekday>). */
  localWeekday(): number {
    this.clock();
    return this.wday;
  }

  private clock(): void {
    if (this.clockMs === this.ev.time) return;
    const d = new Date(this.ev.time);
    this.clockMs = this.ev.time;
    this.hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    this.wday = d.getDay();
  }

  /**
   * check_diff for `rule` on the current event (dodiff.c, extended in diff/decide.ts): true when
   * the rule matches, i.e. the output changed (or flapped, or is a baseline the rule reports).
   * State is kept per (host, rule, location).
   */
  diff(rule: Rule): boolean {
    const ev = this.ev;
    const outcome = decideCheckDiff(this.checkDiffStore, diffKeyOf(ev, rule.id), ev.log, rule.diffSpec ?? OSSEC_DIFF_SPEC, {
      maxBytes: this.checkDiffMaxBytes,
      bounds: this.diffBounds,
      warn: this.warn,
    });
    if (outcome.kind === 'none') return false;
    this.diffOutcome = outcome;
    this.diffRule = rule;
    if (outcome.kind !== 'baseline') {
      this.ctx = ['Previous output:', outcome.previous];
      this.ctxIsDiff = true;
    }
    return true;
  }

  /** if_fts (6.5): true when the event's key is new, or the decoder already did its FTS. */
  firstTimeSeen(): boolean {
    const words = this.dec.fts;
    if (!words || words.length === 0) return false;
    const flags = ftsFlags(words);
    if (flags === 0) return false;
    if ((flags & FTS_DONE) !== 0) return true;
    return this.fts.check(ftsKey(this.ev, this.dec.name, flags), this.decType === 'ids');
  }

  /** The decoder type of a stored event (Search_LastEvents). */
  typeOf = (ev: { readonly decoder: EventInfo['decoder'] }): string => categoryOf((ev.decoder ?? NULL_DECODER).type);

  /**
   * The stateless half of evaluate, for a thread that runs before the rules thread: the indexes of
   * the nodes whose stateless filters pass for `ev` (see preEvaluate in check.ts). Changes no state.
   */
  preEvaluate(ev: EventInfo, dynamicField: ((name: string) => string | undefined) | undefined): number[] {
    const out: number[] = [];
    this.begin(ev, undefined, dynamicField);
    if (this.dec.type !== OSSEC_ALERT_TYPE) preEvaluate(this, this.ruleset.roots, out);
    return out;
  }

  /** The per-event state check.ts reads, for a new event. */
  private begin(ev: EventInfo, trace: EvaluateOptions['trace'], dynamicField: EvaluateOptions['dynamicField']): void {
    this.ev = ev;
    this.dec = ev.decoder ?? NULL_DECODER;
    this.decType = categoryOf(this.dec.type);
    this.now = Math.floor(ev.time / 1000);
    this.trace = trace;
    this.dynamicField = dynamicField;
    this.prepassed = undefined;
  }

  evaluate(ev: EventInfo, opts?: EvaluateOptions): RuleMatch | null {
    this.begin(ev, opts?.trace, opts?.dynamicField);
    const passed = opts?.prepassed;
    if (passed !== undefined && this.trace === undefined) {
      const marks = this.passMarks;
      let stamp = (this.prepassedStamp + 1) | 0;
      if (stamp === 0) {
        // After 2^32 events a stale mark could equal the stamp again: start over.
        marks.fill(0);
        stamp = 1;
      }
      this.prepassedStamp = stamp;
      for (let i = 0; i < passed.length; i++) marks[passed[i]] = stamp;
      this.prepassed = marks;
    }
    this.ctx = null;
    this.ctxIsDiff = false;
    this.diffOutcome = null;
    this.diffRule = null;

    let rule: Rule | null = null;
    if (opts?.generatedRuleId !== undefined || this.dec.type === OSSEC_ALERT_TYPE) {
      rule = opts?.generatedRuleId === undefined ? null : (this.ruleset.byId.get(opts.generatedRuleId) ?? null);
      if (rule === null) return null;
    } else {
      const roots: RuleNode[] = this.ruleset.roots;
      for (let i = 0; i < roots.length; i++) {
        if (roots[i].rule.category !== this.decType) continue;
        rule = checkRule(this, roots[i]);
        if (rule !== null) break;
      }
      if (rule === null) return null;
    }
    return this.handle(rule);
  }

  /** 5.6 "Handling the winning rule". */
  private handle(rule: Rule): RuleMatch {
    // A check_diff baseline alert has its own level (baseline_level, never 0).
    if (rule.level === 0 && !this.isBaseline(rule)) return this.result(rule, 'level-0');
    if (rule.ignoreTime !== 0) {
      if (rule.timeIgnored === 0) rule.timeIgnored = this.now;
      else if (this.now - rule.timeIgnored < rule.ignoreTime) return this.result(rule, 'ignore-time');
      else rule.timeIgnored = this.logtest ? 0 : this.now;
    }
    const ev = this.ev;
    const decName = ev.decoder?.name;
    if (rule.ckignore !== 0 && this.ignoreStore.has(ignoreLine(ev, decName, rule.ckignore, rule.ignore))) {
      return this.result(rule, 'ignored');
    }
    if (rule.ignore !== 0) this.ignoreStore.add(ignoreLine(ev, decName, rule.ignore, rule.ignore));

    // Correlation memory: the rule's sid list, else the group lists it feeds, then the EventList.
    const entry: HistoryEntry = historyEntry(ev, this.now, rule.groupPrevMatched);
    if (rule.sidPrevMatched) addToSidList(rule.sidPrevMatched, entry, this.sidPrevMatchedMax);
    else if (rule.groupPrevMatched) for (const g of rule.groupPrevMatched) g.push(entry);
    this.events.add(entry);
    return this.result(rule, undefined);
  }

  /** The winning rule is reporting the first output it saw (check_diff baseline_level). */
  private isBaseline(rule: Rule): boolean {
    return this.diffOutcome !== null && this.diffOutcome.kind === 'baseline' && this.diffRule === rule;
  }

  private result(rule: Rule, suppressed: Suppression | undefined): RuleMatch {
    const context = this.ctx ?? NO_LINES;
    const alert = suppressed === undefined;
    let level = rule.level;
    let log = rule.logAlert;
    let mail = rule.mail;
    let diff: ChangeReport | undefined;
    const o = this.diffOutcome;
    if (o !== null && this.isBaseline(rule)) {
      const spec = rule.diffSpec ?? OSSEC_DIFF_SPEC;
      level = spec.baselineLevel;
      log = spec.baselineLog;
      mail = spec.baselineMail;
      diff = o.report;
    } else if (o !== null && o.kind !== 'baseline' && this.ctxIsDiff) {
      // Goes wherever OSSEC's "Previous output" context goes (also to a rule that won after it).
      diff = o.report;
    }
    return {
      rule,
      id: rule.id,
      level,
      description: rule.description,
      groups: rule.groups,
      groupText: rule.groupText,
      info: rule.info,
      alert,
      suppressed,
      log: alert && log,
      mail,
      firedtimes: rule.firedtimes,
      context,
      previousOutput: this.ctxIsDiff ? context[1] : undefined,
      diff,
    };
  }
}
