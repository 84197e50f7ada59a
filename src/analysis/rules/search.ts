import type { EventInfo } from '../event-info.js';
import { type Deque, type EventList, type HistoryEntry, type HistoryEvent, type SearchFields } from '../state/event-history.js';
import type { Rule } from './rule.js';
import {
  DIFFERENT_SRCGEOIP, DIFFERENT_URL, SAME_DSTPORT, SAME_ID, SAME_LOCATION, SAME_SRCIP, SAME_SRCPORT, SAME_USER,
} from './types.js';

/**
 * The three history searches of context rules (ossec-analysis.md 6.2; eventinfo.c). They run while
 * the rule is being checked, before the current event is stored, so only earlier events count. Each
 * walks newest to oldest and:
 * 1. stops (no match) at the first event older than the timeframe,
 * 2. stops at the first event already used by a rule of this level or higher (`matched`),
 * 3. skips events that fail the same_ and different_ options (a missing field on either side fails),
 * 4. succeeds on the (frequency+1)-th counted event: with the current one that is frequency+2 events.
 * On success the current event, the completing event and the *newest* event of the list are marked
 * with the rule's level, so the next search stops there and counting restarts.
 *
 * The functions return the context lines (earlier full_logs, newest first) on success, or null.
 * `scratch` is reused across calls to keep failed searches allocation-free.
 */
const scratch: string[] = [];

/**
 * The current event's side of the same_ and different_ options, read once per search. A missing field
 * fails the check for every candidate, so such a search can only end without a match: `ok` false.
 */
interface Wanted extends SearchFields {
  ok: boolean;
}
const want: Wanted = { ok: true, id: undefined, srcip: undefined, dstuser: undefined, url: undefined, srcgeoip: undefined, srcport: undefined, dstport: undefined };

function readWanted(opts: number, f: Map<string, string>, ports: boolean): Wanted {
  want.ok = true;
  const need = (bit: number, k: string): string | undefined => {
    if ((opts & bit) === 0) return undefined;
    const v = f.get(k);
    if (v === undefined) want.ok = false;
    return v;
  };
  want.id = need(SAME_ID, 'id');
  want.srcip = need(SAME_SRCIP, 'srcip');
  want.dstuser = need(SAME_USER, 'dstuser');
  want.url = need(DIFFERENT_URL, 'url');
  want.srcgeoip = need(DIFFERENT_SRCGEOIP, 'srcgeoip');
  want.srcport = ports ? need(SAME_SRCPORT, 'srcport') : undefined;
  want.dstport = ports ? need(SAME_DSTPORT, 'dstport') : undefined;
  return want;
}

/** Options checked by every search: same_id, same_source_ip, same_user, different_url, different_srcgeoip. */
function sameCommon(opts: number, w: Wanted, b: HistoryEntry): boolean {
  if ((opts & SAME_ID) !== 0 && b.id !== w.id) return false;
  if ((opts & SAME_SRCIP) !== 0 && b.srcip !== w.srcip) return false;
  if ((opts & SAME_USER) !== 0 && b.dstuser !== w.dstuser) return false;
  if ((opts & DIFFERENT_URL) !== 0) {
    const u = b.url;
    if (u === undefined || u === w.url) return false;
  }
  if ((opts & DIFFERENT_SRCGEOIP) !== 0) {
    const g = b.srcgeoip;
    if (g === undefined || g === w.srcgeoip) return false;
  }
  return true;
}

/** Only Search_LastSids and Search_LastGroups look at ports and location (hostname strings). */
function sameListOnly(opts: number, w: Wanted, cur: EventInfo, old: HistoryEvent, b: HistoryEntry): boolean {
  if ((opts & SAME_SRCPORT) !== 0 && b.srcport !== w.srcport) return false;
  if ((opts & SAME_DSTPORT) !== 0 && b.dstport !== w.dstport) return false;
  if ((opts & SAME_LOCATION) !== 0 && cur.hostname !== old.hostname) return false;
  return true;
}

/**
 * Search_LastSids (if_matched_sid) and Search_LastGroups (if_matched_group) over a rule list.
 * They differ only in the context lines: the sid search keeps every counted event, the completing one
 * included (frequency+1 lines, at most 11); the group search keeps the first `frequency` (at most 11).
 */
export function searchList(rule: Rule, cur: EventInfo, now: number, list: Deque<HistoryEntry> | null, keepCompleting: boolean): string[] | null {
  if (list === null || list.size === 0) return null;
  const opts = rule.contextOpts;
  const w = readWanted(opts, cur.fields, true);
  if (!w.ok) return null;
  scratch.length = 0;
  let freq = 0;
  const timeframe = rule.timeframe;
  const level = rule.level;
  const size = list.size;
  for (let i = 0; i < size; i++) {
    const e = list.fromNewest(i);
    if (now - e.sec > timeframe) return null;
    if (e.matched >= level) return null;
    if (opts !== 0 && (!sameCommon(opts, w, e) || !sameListOnly(opts, w, cur, e.ev, e))) continue;
    const old = e.ev;
    if (freq < rule.frequency) {
      if (freq <= 10) scratch[freq] = old.fullLog;
      freq++;
      continue;
    }
    if (keepCompleting && freq <= 10) scratch[freq] = old.fullLog;
    markMatched(cur, e, list.fromNewest(0), level);
    return scratch.slice();
  }
  return null;
}

/**
 * A successful search marks the current event, the completing one and the newest of the list
 * (6.2), in the events and in the entries that mirror their `matched`.
 */
function markMatched(cur: EventInfo, completing: HistoryEntry, newest: HistoryEntry, level: number): void {
  cur.matched = level;
  completing.ev.matched = level;
  completing.matched = level;
  newest.ev.matched = level;
  newest.matched = level;
}

/** The decoder type of a stored event, for Search_LastEvents' "same category" test. */
export type TypeOf = (ev: Pick<HistoryEvent, 'decoder'>) => string;

/**
 * Search_LastEvents (context without if_matched_sid/group) over the EventList. Also requires the
 * same decoder type and, when set, `if_matched_regex` on the earlier event's log; it ignores ports
 * and location.
 */
export function searchEvents(rule: Rule, cur: EventInfo, curType: string, now: number, events: EventList, typeOf: TypeOf): string[] | null {
  if (events.size === 0) return null;
  const opts = rule.contextOpts;
  const re = rule.ifMatchedRegex;
  const w = readWanted(opts, cur.fields, false);
  if (!w.ok) return null;
  scratch.length = 0;
  let freq = 0;
  const timeframe = rule.timeframe;
  const level = rule.level;
  const size = events.size;
  for (let i = 0; i < size; i++) {
    const e = events.fromNewest(i);
    if (now - e.sec > timeframe) return null;
    if (e.matched >= level) return null;
    // The skip tests have no side effects: cheapest first.
    if (opts !== 0 && !sameCommon(opts, w, e)) continue;
    const old = e.ev;
    if (typeOf(old) !== curType) continue;
    if (re !== null && !re.test(old.log)) continue;
    if (freq < rule.frequency) {
      if (freq <= 10) scratch[freq] = old.fullLog;
      freq++;
      continue;
    }
    markMatched(cur, e, events.fromNewest(0), level);
    return scratch.slice();
  }
  return null;
}
