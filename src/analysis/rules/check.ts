import type { DecoderRef, EventInfo } from '../event-info.js';
import type { Matcher } from '../matchers/matcher.js';
import type { EventList } from '../state/event-history.js';
import { ipListMatches } from './ip-list.js';
import { lowerOf, passes } from './patterns.js';
import { candidates } from './prefilter.js';
import { SearchKind, type ListFilter, type Rule, type RuleNode } from './rule.js';
import { searchEvents, searchList, type TypeOf } from './search.js';
import { isOnTime } from './time-window.js';
import { NO_ALERT, SAME_DODIFF, DO_FTS } from './types.js';

/** What checkRule needs from the engine for the event being evaluated. */
export interface CheckContext {
  ev: EventInfo;
  dec: DecoderRef;
  /** The decoder type as a category (ospatrol → ossec). */
  decType: string;
  /** Receive time, whole seconds. */
  now: number;
  trace: ((line: string) => void) | undefined;
  events: EventList;
  typeOf: TypeOf;
  ctx: readonly string[] | null;
  ctxIsDiff: boolean;
  /** `<field name=X>` values of the current event (see fieldsMatch). */
  dynamicField: ((name: string) => string | undefined) | undefined;
  localHhmm(): string;
  localWeekday(): number;
  diff(rule: Rule): boolean;
  firstTimeSeen(): boolean;
  /**
   * When another thread already ran the stateless filters for this event (preEvaluate): the nodes
   * that passed them hold `prepassedStamp` at their index. Undefined: run them here.
   */
  prepassed: Int32Array | undefined;
  prepassedStamp: number;
}

/**
 * OS_CheckIfRuleMatch (5.6): the node's filters in the order of the 5.3 table, the first failure
 * ending the check; then its children in sibling order, the first that returns a rule winning; then
 * the node itself unless it is noalert. Side effects of check_diff, FTS and history searches stay even
 * when a later filter fails.
 */
export function checkRule(c: CheckContext, node: RuleNode): Rule | null {
  const r = node.rule;
  const ev = c.ev;
  const trace = c.trace;
  if (trace !== undefined) trace(`    Trying rule: ${r.id} - ${r.description ?? '(null)'}`);

  const prepassed = c.prepassed;
  if (prepassed !== undefined) {
    if (prepassed[node.index] !== c.prepassedStamp) return null;
  } else if (!statelessFilters(c, r, ev)) return null;
  // The filters with state come last in the table: check_diff (#10), then FTS, lists, history.
  if ((r.contextOpts & SAME_DODIFF) !== 0 && !c.diff(r)) return null;
  if (r.hasTailFilters && !tailFilters(c, r, ev)) return null;

  if (trace !== undefined) trace(`       *Rule ${r.id} matched.`);
  if (node.children.length > 0) {
    // Tracing prints every rule tried, so it walks the full list; otherwise the prefiltered one.
    let children = node.children;
    if (trace !== undefined) trace('       *Trying child rules.');
    else children = candidates(node, c.dec.id, ev.programName);
    for (let i = 0; i < children.length; i++) {
      const won = checkRule(c, children[i]);
      if (won !== null) return won;
    }
  }
  if ((r.alertOpts & NO_ALERT) !== 0) return null;
  r.firedtimes++;
  return r;
}

/**
 * 5.3 #1-9 (decoded_as to status): the filters whose result depends on this event alone, never on
 * earlier ones, and that change nothing. They may therefore run on another thread (preEvaluate).
 */
export function statelessFilters(c: CheckContext, r: Rule, ev: EventInfo): boolean {
  const f = ev.fields;
  if (r.decodedAs !== 0 && r.decodedAs !== c.dec.id) return false;
  if (r.fProgramName !== null && (ev.programName === undefined || !r.fProgramName.test(ev.programName))) return false;
  // A necessary condition of #4-5, checked first: no filter here has side effects, so the order of
  // failures does not matter, and this one fails most often and costs least.
  const pre = r.logPre === null ? r.logPrefilter() : r.logPre;
  if (pre !== undefined && !passes(pre, lowerOf(ev.log))) return false;
  if (r.fId !== null && !test(r.fId, f.get('id'))) return false;
  if (r.fMatch !== null && !r.fMatch.test(ev.log)) return false;
  if (r.fRegex !== null && !r.fRegex.test(ev.log)) return false;
  if (r.hasMidFilters && !midFilters(c, r, ev, f)) return false;
  return true;
}

/**
 * The stateless half of the walk checkRule will make for this event, for a thread that runs before
 * the rules thread (parallel/): every node whose stateless filters pass gets its index in `out`.
 * The walk goes wherever checkRule could go: into the children of every node that passes, and on
 * past a node until one is certain to win (it passes, has no stateful filter and alerts, or a
 * child of it is certain). So every node checkRule visits was visited here, and a node missing
 * from `out` is one whose stateless filters failed.
 */
export function preEvaluate(c: CheckContext, roots: readonly RuleNode[], out: number[]): void {
  for (let i = 0; i < roots.length; i++) {
    if (roots[i].rule.category !== c.decType) continue;
    if (preWalk(c, roots[i], out)) return;
  }
}

/** True when checkRule(node) certainly returns a rule for this event, whatever the state. */
function preWalk(c: CheckContext, node: RuleNode, out: number[]): boolean {
  const r = node.rule;
  if (!statelessFilters(c, r, c.ev)) return false;
  out.push(node.index);
  const certain = (r.contextOpts & SAME_DODIFF) === 0 && !r.hasTailFilters;
  if (node.children.length > 0) {
    const children = candidates(node, c.dec.id, c.ev.programName);
    for (let i = 0; i < children.length; i++) {
      if (preWalk(c, children[i], out)) return certain;
    }
  }
  return certain && (r.alertOpts & NO_ALERT) === 0;
}

/** 5.3 #6-9, action to status, in table order. */
function midFilters(c: CheckContext, r: Rule, ev: EventInfo, f: Map<string, string>): boolean {
  if (r.action !== null && f.get('action') !== r.action) return false;
  if (r.url !== null && !test(r.url, f.get('url'))) return false;
  if (r.urlPcre2 !== null && !test(r.urlPcre2, f.get('url'))) return false;
  if (r.fields.length > 0 && !fieldsMatch(r, ev, c)) return false;
  if (r.srcip !== null) {
    const v = f.get('srcip');
    if (v === undefined || !ipListMatches(r.srcip, v)) return false;
  }
  if (r.dstip !== null) {
    const v = f.get('dstip');
    if (v === undefined || !ipListMatches(r.dstip, v)) return false;
  }
  if (r.fSrcport !== null && !test(r.fSrcport, f.get('srcport'))) return false;
  if (r.fDstport !== null && !test(r.fDstport, f.get('dstport'))) return false;
  if (r.compiledRule !== null && !r.compiledRule(ev)) return false;
  if (r.fUser !== null && !test(r.fUser, f.get('dstuser') ?? f.get('srcuser'))) return false;
  if ((r.srcGeo && !f.has('srcgeoip')) || (r.dstGeo && !f.has('dstgeoip'))) return false;
  if (r.maxsize !== 0 && byteLength(ev.log) < r.maxsize) return false;
  if (r.time !== null && !isOnTime(r.time, c.localHhmm())) return false;
  if (r.weekdays !== null && !r.weekdays[c.localWeekday()]) return false;
  if (r.fExtraData !== null && !test(r.fExtraData, f.get('data'))) return false;
  if (r.fHostname !== null && !r.fHostname.test(ev.hostname)) return false;
  if (r.fStatus !== null && !test(r.fStatus, f.get('status'))) return false;
  return true;
}

/** 5.3 #11-13: first-time-seen, lists, history. */
function tailFilters(c: CheckContext, r: Rule, ev: EventInfo): boolean {
  if ((r.alertOpts & DO_FTS) !== 0 && !c.firstTimeSeen()) return false;
  if (r.lists.length > 0 && !listsMatch(r.lists, ev)) return false;
  // A check_diff rule never searches history, even with an if_matched_* element.
  if (r.context && (r.contextOpts & SAME_DODIFF) === 0 && !search(c, r)) return false;
  return true;
}

/** A field filter: the field must be set and match (methods are called on the matcher, never detached). */
function test(m: Matcher, v: string | undefined): boolean {
  return v !== undefined && m.test(v);
}

function byteLength(s: string): number {
  // lf->size is strlen: bytes. ASCII-only logs (the common case) need no encoding pass.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/**
 * `<field name="X">` (5.3 #8): X is looked up case-insensitively among the matched decoder's dynamic
 * order names; a static name, an unknown name or an uncaptured field fails the rule. The decoders
 * module knows the exact slot (a multi-regex chain quirk), so its lookup is used when the caller
 * passes it; otherwise the value is read by name from the event's fields.
 */
function fieldsMatch(r: Rule, ev: EventInfo, c: CheckContext): boolean {
  const dynamicIndex = (c.dec as { dynamicIndex?: ReadonlyMap<string, number> }).dynamicIndex;
  for (const ff of r.fields) {
    let value: string | undefined;
    if (c.dynamicField !== undefined) {
      value = c.dynamicField(ff.name);
    } else if (dynamicIndex !== undefined) {
      const pos = dynamicIndex.get(ff.name);
      if (pos !== undefined) value = ev.fields.get(c.dec.order[pos]);
    } else {
      for (const name of c.dec.order) {
        if (name.length === ff.name.length && name.toLowerCase() === ff.name) {
          value = ev.fields.get(name);
          break;
        }
      }
    }
    if (value === undefined || !ff.matcher.test(value)) return false;
  }
  return true;
}

/** `<list>` lookups (5.7), ANDed. The user field is srcuser first, then dstuser (the reverse of <user>). */
function listsMatch(lists: readonly ListFilter[], ev: EventInfo): boolean {
  const f = ev.fields;
  for (const l of lists) {
    let key: string | undefined;
    switch (l.field) {
      case 'user': key = f.get('srcuser') ?? f.get('dstuser'); break;
      case 'hostname': key = ev.hostname; break;
      case 'program_name': key = ev.programName; break;
      default: key = f.get(l.field);
    }
    if (key === undefined || !lookup(l, key)) return false;
  }
  return true;
}

function lookup(l: ListFilter, key: string): boolean {
  const list = l.list;
  if (list === undefined) return false;
  switch (l.lookup) {
    case 'match_key': return list.get(key) !== undefined;
    case 'not_match_key': return list.get(key) === undefined;
    case 'match_key_value': {
      const v = list.get(key);
      return v !== undefined && (l.matcher as NonNullable<ListFilter['matcher']>).test(v);
    }
    case 'address_match_key': return list.getAddress(key) !== undefined;
    case 'not_address_match_key': return list.getAddress(key) === undefined;
    case 'address_match_key_value': {
      // Returns true when the lookup does NOT match: OSSEC's inverted result, kept (12.7).
      const v = list.getAddress(key);
      return !(v !== undefined && (l.matcher as NonNullable<ListFilter['matcher']>).test(v));
    }
  }
}

function search(c: CheckContext, r: Rule): boolean {
  let lines: string[] | null;
  switch (r.search) {
    case SearchKind.Sids: lines = searchList(r, c.ev, c.now, r.sidSearch, true); break;
    case SearchKind.Groups: lines = searchList(r, c.ev, c.now, r.groupSearch, false); break;
    case SearchKind.Events: lines = searchEvents(r, c.ev, c.decType, c.now, c.events, c.typeOf); break;
    default: return false;
  }
  if (lines === null) return false;
  // OS_MoveRuleLastEvents moves nothing when no line was stored (frequency 0 on a group/event search).
  if (lines.length > 0) {
    c.ctx = lines;
    c.ctxIsDiff = false;
  }
  return true;
}
