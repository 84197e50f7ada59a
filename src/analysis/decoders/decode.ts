import type { EventInfo } from '../event-info.js';
import { lowerOf, passes } from '../matchers/prefilter.js';
import { RegexFrom, type ChildEntry, type CompiledDecoder, type CompiledDecoderRef, type DecoderSet, type ForwardedAlert } from './types.js';

/**
 * Decoder selection and field extraction (decoder.c:DecodeEvent, ossec-analysis.md 3.4).
 * Offsets (pmatch, cmatch, the previous regex end) are indexes into `lf.log`.
 */

/**
 * What decode() can report beside `lf`, for callers that want it. One instance can be reused for
 * event after event (decode resets it).
 */
export class DecodeDetail {
  /** Phase 2 lines of ossec-logtest, in capture order: repeated fields appear repeatedly (9.6). */
  readonly labels: string[] = [];
  readonly values: string[] = [];
  /**
   * Dynamic fields by position in `order`, shared by every node of a multi-regex chain. A rule's
   * `<field name=X>` reads the slot at the position X has in the *last* matched node's order
   * (measured; see dynamicField). Static fields never fill a slot.
   */
  readonly slots: Array<string | undefined> = [];

  /** With `trace`, the Phase 2 lines are kept (ossec-logtest); otherwise only the slots. */
  constructor(readonly trace = false) {}

  reset(): void {
    this.labels.length = 0;
    this.values.length = 0;
    this.slots.length = 0;
  }
}

/**
 * Decodes `lf` in place: sets `lf.decoder` (undefined when no decoder matched, which OSSEC treats
 * as its NULL decoder: id 0, type syslog) and adds the fields to `lf.fields` (last value wins).
 * Returns the forwarded alert when OSSECAlert_Decoder parsed one (see plugins/ossec-alert.ts).
 */
export function decode(set: DecoderSet, lf: EventInfo, detail?: DecodeDetail): ForwardedAlert | undefined {
  detail?.reset();
  lf.decoder = undefined;
  const log = lf.log;
  const programName = lf.programName;
  // An event with a program name only meets decoders that declare one (and whose program_name
  // matches it), one without only the others (3.3).
  const list = programName !== undefined ? candidatesFor(set, programName) : set.withoutProgram;
  for (let i = 0; i < list.length; i++) {
    const top = list[i];
    let pmatch = 0;
    if (top.prematch) {
      // The prematch's prefilter first: most candidates fail it, in a few table reads and without
      // a call into the matcher (a necessary condition: when it passes, exec decides).
      const pre = top.prematchPre === null ? (top.prematchPre = top.prematch.prefilter?.()) : top.prematchPre;
      if (pre !== undefined && !passes(pre, lowerOf(log))) continue;
      const m = top.prematch.exec(log);
      if (!m) continue;
      pmatch = m.end;
    }
    // The first matching top-level decoder is final, whatever happens below.
    lf.decoder = top.ref;
    if (top.children.length === 0) return extract(top, undefined, lf, log, pmatch, pmatch, detail);
    let child: ChildEntry | undefined = top.children[0];
    while (child) {
      const d = child.decoder;
      if (!d.prematch) {
        // A child without a prematch is taken at once; later siblings are never tried.
        lf.decoder = d.ref;
        return extract(d, child, lf, log, pmatch, pmatch, detail);
      }
      const from = d.prematchAfterParent ? pmatch : 0;
      const m = d.prematch.exec(from === 0 ? log : log.slice(from));
      if (m) {
        lf.decoder = d.ref;
        return extract(d, child, lf, log, pmatch, from + m.end, detail);
      }
      child = child.getNext ? child.resume : child.next;
    }
    // No child chosen: the parent stays, with no fields; its own regex never runs (3.4 step 4).
    return undefined;
  }
  return undefined;
}

/** Distinct program names remembered; past this the memo starts over (hostile input is unbounded). */
const PROGRAM_MEMO_LIMIT = 4096;

/** The list-P decoders whose program_name matches, in file order (the match happens on the name alone). */
function candidatesFor(set: DecoderSet, programName: string): readonly CompiledDecoder[] {
  const memo = set.byProgramName;
  let hit = memo.get(programName);
  if (hit === undefined) {
    hit = set.withProgram.filter((d) => d.programName!.test(programName));
    if (memo.size >= PROGRAM_MEMO_LIMIT) memo.clear();
    memo.set(programName, hit);
  }
  return hit;
}

/** Plugin, or the regex step of the chosen node and of the chain that follows it (3.4 steps 5-7). */
function extract(
  node: CompiledDecoder,
  entry: ChildEntry | undefined,
  lf: EventInfo,
  log: string,
  pmatch: number,
  cmatch: number,
  detail: DecodeDetail | undefined,
): ForwardedAlert | undefined {
  if (node.plugin) {
    const r = node.plugin.run(lf);
    if (r?.type !== undefined) lf.decoder = node.refByType.get(r.type);
    return r?.forwarded;
  }
  let prevEnd = -1;
  for (;;) {
    if (node.regex) {
      let from: number;
      switch (node.regexFrom) {
        case RegexFrom.Parent:
          from = pmatch;
          break;
        case RegexFrom.Prematch:
          from = cmatch;
          break;
        case RegexFrom.PrevRegex:
          // After a chain node that did not match, OSSEC reads from cmatch again (measured).
          from = prevEnd >= 0 ? prevEnd : cmatch;
          break;
        default:
          from = 0;
      }
      const m = node.regex.exec(from === 0 ? log : log.slice(from));
      if (m) {
        prevEnd = from + m.end;
        lf.decoder = node.ref;
        store(node, m.captures, lf, detail);
      } else {
        prevEnd = -1;
      }
    }
    if (!entry || !entry.getNext || !entry.next) return undefined;
    entry = entry.next;
    node = entry.decoder;
  }
}

/** Capture i goes to order entry i; extra captures are dropped (3.4 step 7). */
function store(node: CompiledDecoder, captures: readonly string[], lf: EventInfo, detail: DecodeDetail | undefined): void {
  const slots = node.slots;
  const n = captures.length < slots.length ? captures.length : slots.length;
  const fields = lf.fields;
  for (let i = 0; i < n; i++) {
    const slot = slots[i];
    const value = captures[i];
    fields.set(slot.key, value);
    if (detail) {
      if (slot.dynamic) detail.slots[i] = value;
      if (detail.trace) {
        detail.labels.push(slot.label);
        detail.values.push(value);
      }
    }
  }
}

/**
 * A rule's `<field name=X>` subject (5.3): X is looked up case-insensitively among the dynamic
 * names of the decoder that matched last, and the slot at that position is returned (it may have
 * been filled by an earlier node of the chain). Undefined when X is not there or was not captured.
 */
export function dynamicField(lf: EventInfo, detail: DecodeDetail, name: string): string | undefined {
  const ref = lf.decoder as CompiledDecoderRef | undefined;
  const pos = ref?.dynamicIndex?.get(name.toLowerCase());
  return pos === undefined ? undefined : detail.slots[pos];
}
