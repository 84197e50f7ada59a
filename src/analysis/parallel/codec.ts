import type { Event } from '../../events/event.js';
import type { EventInfo } from '../event-info.js';
import { DecodeDetail } from '../decoders/decode.js';
import type { CompiledDecoder, CompiledDecoderRef, DecoderSet, ForwardedAlert } from '../decoders/types.js';
import { newEventInfo } from '../event-info.js';

/**
 * Decoded events, to cross from a worker back to the rules thread: per batch, one Int32Array of
 * numbers (transferred, not copied) and one string of the text parts joined by U+0000, read back
 * in the same order. Only what decoding found is sent: the rules thread still has each event's
 * message, location, receive time and agent, so a message that pre-decoding left as it was (nearly
 * all) is not sent back, and `log` is sent as where it starts in the message. U+0000 cannot occur
 * in what decoding produces (pre-decoding deletes every control character but the newline,
 * ossec-analysis.md 1.2.5) except in a location, which is checked: such an event goes as JSON
 * (its text part is JSON, which escapes it). An event whose decoding threw is sent as such, so
 * positions still match.
 */
const SEP = '\u0000';

/** Flags, the first number of each event. */
const LOCATION = 1;
const FULL_LOG = 2;
const LOG_TEXT = 4;
const PROGRAM = 8;
const FORWARDED = 16;
const AS_JSON = 32;
const FAILED = 64;

export interface EncodedBatch {
  nums: Int32Array;
  /** The text parts joined by U+0000 (`parts` of them: '' may be one empty part or none). */
  text: string;
  parts: number;
}

/** Every decoder ref of a set, in an order both threads derive from the same files. */
export function decoderRefs(set: DecoderSet): CompiledDecoderRef[] {
  const seen = new Set<CompiledDecoder>();
  const refs: CompiledDecoderRef[] = [];
  const add = (r: CompiledDecoderRef): void => {
    if (!refs.includes(r)) refs.push(r);
  };
  const visit = (d: CompiledDecoder): void => {
    if (seen.has(d)) return;
    seen.add(d);
    add(d.ref);
    for (const r of d.refByType.values()) add(r);
    for (const c of d.children) visit(c.decoder);
  };
  for (const d of set.withProgram) visit(d);
  for (const d of set.withoutProgram) visit(d);
  return refs;
}

/** Encodes the events of one batch, in order (the worker's side). */
export class BatchEncoder {
  private nums: number[] = [];
  private strs: string[] = [];

  constructor(private readonly refIndex: ReadonlyMap<CompiledDecoderRef, number>) {}

  /** One decoded event of `event`, with the nodes its stateless filters passed (`passed`). */
  add(event: Event, lf: EventInfo, detail: DecodeDetail, forwarded: ForwardedAlert | undefined, passed: readonly number[]): void {
    const n = this.nums;
    const s = this.strs;
    const ref = lf.decoder === undefined ? -1 : (this.refIndex.get(lf.decoder as CompiledDecoderRef) ?? -2);
    const sameLocation = lf.location === event.location;
    if (ref === -2 || (!sameLocation && lf.location.includes(SEP))) {
      n.push(AS_JSON);
      s.push(JSON.stringify({ lf: { ...lf, fields: [...lf.fields], decoder: undefined, agent: undefined }, ref, slots: detail.slots, forwarded, passed }));
      return;
    }
    const off = lf.fullLog.length - lf.log.length;
    const logIsSuffix = off >= 0 && lf.fullLog.endsWith(lf.log);
    let flags = 0;
    if (!sameLocation) {
      flags |= LOCATION;
      s.push(lf.location);
    }
    if (lf.fullLog !== event.message) {
      flags |= FULL_LOG;
      s.push(lf.fullLog);
    }
    if (!logIsSuffix) {
      flags |= LOG_TEXT;
      s.push(lf.log);
    }
    if (lf.programName !== undefined) {
      flags |= PROGRAM;
      s.push(lf.programName);
    }
    if (forwarded !== undefined) {
      flags |= FORWARDED;
      s.push(JSON.stringify(forwarded));
    }
    s.push(lf.hostname);
    n.push(flags, ref, logIsSuffix ? off : 0, lf.fields.size);
    for (const [k, v] of lf.fields) s.push(k, v);
    const slots = detail.slots;
    let filled = 0;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== undefined) filled++;
    n.push(filled);
    for (let i = 0; i < slots.length; i++) {
      const v = slots[i];
      if (v === undefined) continue;
      n.push(i);
      s.push(v);
    }
    n.push(passed.length);
    for (let i = 0; i < passed.length; i++) n.push(passed[i]);
  }

  /** An event whose decoding threw (counted on the rules thread). */
  addFailed(): void {
    this.nums.push(FAILED);
  }

  finish(): EncodedBatch {
    const out = { nums: Int32Array.from(this.nums), text: this.strs.join(SEP), parts: this.strs.length };
    this.nums = [];
    this.strs = [];
    return out;
  }
}

export interface Decoded {
  lf: EventInfo;
  forwarded: ForwardedAlert | undefined;
  passed: number[];
}

/** Reads a batch back, event by event, in the order it was encoded (the rules thread's side). */
export class BatchDecoder {
  private readonly nums: Int32Array;
  private readonly strs: string[];
  private i = 0;
  private j = 0;

  constructor(
    batch: EncodedBatch,
    private readonly refs: readonly CompiledDecoderRef[],
  ) {
    this.nums = batch.nums;
    this.strs = batch.parts === 0 ? [] : batch.text.split(SEP);
  }

  /**
   * The next event, decoded from `event` by the worker; `detail` (reused by the caller) gets its
   * dynamic field slots. Undefined for an event whose decoding failed there.
   */
  next(event: Event, detail: DecodeDetail): Decoded | undefined {
    detail.reset();
    const n = this.nums;
    const s = this.strs;
    const flags = n[this.i++];
    if (flags === FAILED) return undefined;
    if (flags === AS_JSON) {
      const o = JSON.parse(s[this.j++]);
      const lf = newEventInfo({ ...o.lf, agent: event.agent });
      for (const [k, v] of o.lf.fields) lf.fields.set(k, v);
      lf.decoder = o.ref >= 0 ? this.refs[o.ref] : undefined;
      lf.matched = o.lf.matched;
      for (let i = 0; i < o.slots.length; i++) if (o.slots[i] !== null && o.slots[i] !== undefined) detail.slots[i] = o.slots[i];
      return { lf, forwarded: o.forwarded ?? undefined, passed: o.passed };
    }
    const ref = n[this.i++];
    const off = n[this.i++];
    const fieldCount = n[this.i++];
    const location = (flags & LOCATION) !== 0 ? s[this.j++] : event.location;
    const fullLog = (flags & FULL_LOG) !== 0 ? s[this.j++] : event.message;
    const log = (flags & LOG_TEXT) !== 0 ? s[this.j++] : fullLog.slice(off);
    const programName = (flags & PROGRAM) !== 0 ? s[this.j++] : undefined;
    const forwarded = (flags & FORWARDED) !== 0 ? (JSON.parse(s[this.j++]) as ForwardedAlert) : undefined;
    const lf = newEventInfo({ location, hostname: s[this.j++], programName, fullLog, log, time: event.receivedAt, agent: event.agent });
    lf.decoder = ref >= 0 ? this.refs[ref] : undefined;
    for (let k = 0; k < fieldCount; k++, this.j += 2) lf.fields.set(s[this.j], s[this.j + 1]);
    const slotCount = n[this.i++];
    for (let k = 0; k < slotCount; k++) detail.slots[n[this.i++]] = s[this.j++];
    const passedCount = n[this.i++];
    const passed: number[] = new Array(passedCount);
    for (let k = 0; k < passedCount; k++) passed[k] = n[this.i++];
    return { lf, forwarded, passed };
  }
}
