import type { DecoderRef, EventInfo } from '../event-info.js';

/**
 * What history searches read of an earlier event besides the fields copied into its entry: kept
 * instead of the event itself, so that the history does not keep each event's field map alive
 * (fewer objects survive into the old generation: the young collections copy less).
 */
export interface HistoryEvent {
  readonly hostname: string;
  readonly fullLog: string;
  readonly log: string;
  readonly decoder: DecoderRef | undefined;
  /** Level of a frequency rule that already used this event (search.ts marks it). */
  matched: number;
}

/**
 * The memory behind frequency and context rules (ossec-analysis.md 6.1): the EventList of alerting
 * events, the per-rule `if_matched_sid` lists and the per-rule `if_matched_group` lists. All of them
 * hold the same HistoryEntry objects, newest first when searched.
 */
export interface HistoryEntry extends SearchFields {
  ev: HistoryEvent;
  /** Receive time in whole seconds: every window compares seconds (6.6). */
  sec: number;
  /** The sid list this entry sits in (OSSEC's sid_node_to_delete); null once it has left it. */
  sidList: Deque<HistoryEntry> | null;
  /**
   * The generated rule's group lists (group_prev_matched), possibly with repeats. When the entry is
   * dropped from the EventList and is in no sid list, the oldest entry of each is dropped (6.1).
   */
  groupLists: ReadonlyArray<Deque<HistoryEntry>> | null;
  /*
   * What history searches read (this and SearchFields), copied into the entry itself by
   * historyEntry(). A search walks up to thousands of entries per event; reading these from the
   * entry instead of chasing entry -> event -> field map for each one is what keeps that walk
   * cheap. The fields never change once the event was analysed; `matched` mirrors `ev.matched`
   * (search.ts writes both).
   */
  matched: number;
}

/** The fields the same_* and different_* options of a history search compare. */
export interface SearchFields {
  id: string | undefined;
  srcip: string | undefined;
  dstuser: string | undefined;
  url: string | undefined;
  srcgeoip: string | undefined;
  srcport: string | undefined;
  dstport: string | undefined;
}

/** A history entry with every search field filled in. */
export function historyEntry(
  ev: EventInfo,
  sec: number,
  groupLists: ReadonlyArray<Deque<HistoryEntry>> | null,
): HistoryEntry {
  const f = ev.fields;
  return {
    ev: { hostname: ev.hostname, fullLog: ev.fullLog, log: ev.log, decoder: ev.decoder, matched: ev.matched },
    sec,
    sidList: null,
    groupLists,
    matched: ev.matched,
    id: f.get('id'),
    srcip: f.get('srcip'),
    dstuser: f.get('dstuser'),
    url: f.get('url'),
    srcgeoip: f.get('srcgeoip'),
    srcport: f.get('srcport'),
    dstport: f.get('dstport'),
  };
}

/** A ring buffer: append at the new end, drop at the old end, read by age. */
export class Deque<T> {
  private buf: Array<T | undefined>;
  private head = 0; // index of the oldest
  private n = 0;

  /** buf.length - 1: the capacity is a power of two, so an index wraps with a mask, not a division. */
  private mask: number;

  constructor(initialCapacity = 16) {
    let cap = 4;
    while (cap < initialCapacity) cap *= 2;
    this.buf = new Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.n = 0;
  }

  push(x: T): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & this.mask] = x;
    this.n++;
  }

  /** Removes and returns the oldest element. */
  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const x = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.n--;
    return x;
  }

  oldest(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  /** i = 0 is the newest. */
  fromNewest(i: number): T {
    return this.buf[(this.head + this.n - 1 - i) & this.mask] as T;
  }

  /** Removes one element by identity; O(n), used on short lists only. */
  remove(x: T): boolean {
    const m = this.mask;
    for (let i = 0; i < this.n; i++) {
      if (this.buf[(this.head + i) & m] !== x) continue;
      for (let j = i; j < this.n - 1; j++) this.buf[(this.head + j) & m] = this.buf[(this.head + j + 1) & m];
      this.buf[(this.head + this.n - 1) & m] = undefined;
      this.n--;
      return true;
    }
    return false;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.n; i++) next[i] = this.buf[(this.head + i) & this.mask];
    this.buf = next;
    this.mask = next.length - 1;
    this.head = 0;
  }
}

/**
 * An `if_matched_sid` list: the events the rule generated, at most `max` of them
 * (internal option analysisd.sid_prev_matched_max, default 128); the oldest goes first and forgets
 * that it was in the list.
 */
export function addToSidList(list: Deque<HistoryEntry>, entry: HistoryEntry, max: number): void {
  list.push(entry);
  entry.sidList = list;
  while (max > 0 && list.size > max) {
    const old = list.shift();
    if (old) old.sidList = null;
  }
}

/**
 * The EventList (eventinfo_list.c:OS_AddEvent): every event that produced a non-zero, non-ignored
 * alert, newest first, used by context rules without if_matched_sid/if_matched_group.
 * Faithful quirks: the first event is never counted, so the list holds `maxSize + 1` before it
 * trims; trimming drops at least 10 of the oldest, and keeps going while the oldest is more than
 * `maxFreq` seconds older than the new event, where maxFreq is the largest *frequency* attribute of
 * any rule (OSSEC compares seconds with a count here, a long-standing mix-up).
 */
export class EventList {
  private readonly list = new Deque<HistoryEntry>(1024);
  private readonly maxSize: number;
  private readonly maxFreq: number;

  constructor(maxSize: number, maxFreq: number) {
    this.maxSize = maxSize;
    this.maxFreq = maxFreq;
  }

  get size(): number {
    return this.list.size;
  }

  /** i = 0 is the newest. */
  fromNewest(i: number): HistoryEntry {
    return this.list.fromNewest(i);
  }

  add(entry: HistoryEntry): void {
    this.list.push(entry);
    if (this.list.size - 1 <= this.maxSize) return;
    let i = 0;
    while (this.list.size > 1) {
      const old = this.list.oldest() as HistoryEntry;
      if (i >= 10 && entry.sec - old.sec <= this.maxFreq) break;
      this.list.shift();
      forget(old);
      i++;
    }
  }
}

/** What OSSEC's Free_Eventinfo does to the correlation lists when an event leaves the EventList. */
function forget(entry: HistoryEntry): void {
  if (entry.sidList) {
    entry.sidList.remove(entry);
    entry.sidList = null;
  } else if (entry.groupLists) {
    for (const g of entry.groupLists) g.shift();
  }
}
