import type { Event } from '../../events/event.js';
import type { EventInfo } from '../event-info.js';
import { DecodeDetail } from '../decoders/decode.js';
import type { CompiledDecoder, CompiledDecoderRef, DecoderSet, ForwardedAlert } from '../decoders/types.js';
import { newEventInfo } from '../event-info.js';

/**
 * Decoded events as text, to cross from a worker back to the rules thread in one string per batch
 * (one copy, no object graph to clone). Only what decoding found is sent: the rules thread still
 * has each event's message, location, receive time and agent, so a message that pre-decoding left
 * as it was (nearly all) is not sent back, and `log` is sent as where it starts in the message.
 * Separators: U+0000 between the parts of an event, U+0001 between events. Neither can occur in
 * what decoding produces (pre-decoding deletes every control character but the newline,
 * ossec-analysis.md 1.2.5), except in the location, which is checked: an event that would hold one
 * is sent as JSON instead. An event whose decoding threw is sent as `F`, so positions still match.
 */
const SEP = '\u0000';
const REC = '\u0001';
const NONE = '\u0002';
const FAILED = 'F';

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

/**
 * One decoded event of `event`, with what the rules' stateless filters found for it (`passed`:
 * node indexes, RuleEngine.preEvaluate).
 */
export function encodeEvent(
  event: Event,
  lf: EventInfo,
  detail: DecodeDetail,
  forwarded: ForwardedAlert | undefined,
  refIndex: ReadonlyMap<CompiledDecoderRef, number>,
  passed: readonly number[],
): string {
  const ref = lf.decoder === undefined ? -1 : (refIndex.get(lf.decoder as CompiledDecoderRef) ?? -2);
  const sameLocation = lf.location === event.location;
  if (ref === -2 || (!sameLocation && (lf.location.includes(SEP) || lf.location.includes(REC)))) {
    return 'J' + JSON.stringify({ lf: { ...lf, fields: [...lf.fields], decoder: undefined, agent: undefined }, ref, slots: detail.slots, forwarded, passed });
  }
  const fullLog = lf.fullLog === event.message ? NONE : lf.fullLog;
  const off = lf.fullLog.length - lf.log.length;
  const logPart = off >= 0 && lf.fullLog.endsWith(lf.log) ? `#${off}` : `=${lf.log}`;
  let s =
    'T' + (sameLocation ? NONE : lf.location) + SEP + lf.hostname + SEP + (lf.programName ?? NONE) + SEP + fullLog + SEP + logPart + SEP +
    ref + SEP + (forwarded ? JSON.stringify(forwarded) : '') + SEP + lf.fields.size;
  for (const [k, v] of lf.fields) s += SEP + k + SEP + v;
  const slots = detail.slots;
  let n = 0;
  for (let i = 0; i < slots.length; i++) if (slots[i] !== undefined) n++;
  s += SEP + n;
  for (let i = 0; i < slots.length; i++) if (slots[i] !== undefined) s += SEP + i + SEP + slots[i];
  return s + SEP + passed.join(',');
}

/** An event whose decoding threw (counted on the rules thread). */
export function encodeFailed(): string {
  return FAILED;
}

export function joinBatch(events: string[]): string {
  return events.join(REC);
}

export function splitBatch(batch: string): string[] {
  return batch === '' ? [] : batch.split(REC);
}

export interface Decoded {
  lf: EventInfo;
  forwarded: ForwardedAlert | undefined;
  passed: number[];
}

/**
 * Rebuilds the event a worker decoded from `event`; `detail` (reused by the caller) gets its
 * dynamic field slots. Undefined for an event whose decoding failed there.
 */
export function decodeEvent(text: string, event: Event, refs: readonly CompiledDecoderRef[], detail: DecodeDetail): Decoded | undefined {
  detail.reset();
  if (text === FAILED) return undefined;
  if (text[0] === 'J') {
    const o = JSON.parse(text.slice(1));
    const lf = newEventInfo({ ...o.lf, agent: event.agent });
    for (const [k, v] of o.lf.fields) lf.fields.set(k, v);
    lf.decoder = o.ref >= 0 ? refs[o.ref] : undefined;
    lf.matched = o.lf.matched;
    for (let i = 0; i < o.slots.length; i++) if (o.slots[i] !== null && o.slots[i] !== undefined) detail.slots[i] = o.slots[i];
    return { lf, forwarded: o.forwarded ?? undefined, passed: o.passed };
  }
  const p = text.slice(1).split(SEP);
  const fullLog = p[3] === NONE ? event.message : p[3];
  const logPart = p[4];
  const lf = newEventInfo({
    location: p[0] === NONE ? event.location : p[0],
    hostname: p[1],
    programName: p[2] === NONE ? undefined : p[2],
    fullLog,
    log: logPart[0] === '#' ? fullLog.slice(Number(logPart.slice(1))) : logPart.slice(1),
    time: event.receivedAt,
    agent: event.agent,
  });
  const ref = Number(p[5]);
  lf.decoder = ref >= 0 ? refs[ref] : undefined;
  const forwarded = p[6] === '' ? undefined : (JSON.parse(p[6]) as ForwardedAlert);
  let k = 8;
  const nf = Number(p[7]);
  for (let i = 0; i < nf; i++, k += 2) lf.fields.set(p[k], p[k + 1]);
  const ns = Number(p[k++]);
  for (let i = 0; i < ns; i++, k += 2) detail.slots[Number(p[k])] = p[k + 1];
  const list = p[k];
  const passed: number[] = [];
  if (list !== '') for (const x of list.split(',')) passed.push(Number(x));
  return { lf, forwarded, passed };
}
