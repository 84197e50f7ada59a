import type { CompiledDecoder, CompiledDecoderRef, DecoderSet, DecoderType } from './types.js';
import { OSSEC_ALERT_TYPE } from './types.js';

/**
 * Decoder ids and printed names (decode-xml.c:SetDecodeXML/os_setdecoderids, ossec-analysis.md 3.1).
 *
 * The names go into an OSStore, which keeps its keys *sorted* (strcmp) and ignores duplicates; an
 * id is the 1-based position of the name in that sorted list. The internal names below are
 * put in before the ids are handed out, so they shift the ids like any other name.
 */
export const INTERNAL_DECODER_NAMES = [
  'rootcheck',
  'syscheck_integrity_changed',
  'syscheck_integrity_changed_2nd',
  'syscheck_integrity_changed_3rd',
  'syscheck_new_entry',
  'syscheck_deleted',
  'hostinfo_new',
  'hostinfo_modified',
] as const;

const ALL_TYPES: readonly DecoderType[] = ['syslog', 'firewall', 'ids', 'web-log', 'squid', 'windows', 'host-information', 'ossec', OSSEC_ALERT_TYPE];

/** strcmp order: compare the UTF-8 bytes. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function decoderIds(names: Iterable<string>): Map<string, number> {
  const sorted = [...new Set([...names, ...INTERNAL_DECODER_NAMES])].sort(byteOrder);
  return new Map(sorted.map((n, i) => [n, i + 1]));
}

/** The id `<decoded_as>` compares with, or undefined for a name no decoder has. */
export function decoderIdOf(set: DecoderSet, name: string): number | undefined {
  return set.ids.get(name);
}

function makeRef(d: CompiledDecoder, name: string, id: number, type: DecoderType = d.type): CompiledDecoderRef {
  const order = d.slots.map((s) => s.key);
  const dynamicIndex = new Map<string, number>();
  d.slots.forEach((s, i) => {
    const k = s.key.toLowerCase();
    if (s.dynamic && !dynamicIndex.has(k)) dynamicIndex.set(k, i);
  });
  return { name, id, type, order, fts: d.fts, accumulate: d.accumulate, dynamicIndex };
}

function setRef(d: CompiledDecoder, name: string, id: number): void {
  d.ref = makeRef(d, name, id);
  // Plugins may change the event's type (3.5): one ref per type, made now rather than per event.
  if (d.plugin) for (const t of ALL_TYPES) d.refByType.set(t, t === d.type ? d.ref : makeRef(d, name, id, t));
}

/**
 * Sets every decoder's ref. A child takes its parent's name and id unless use_own_name is `true`.
 * OSSEC does list N first and gives up when a list is empty: with no decoder lacking a program
 * name, the list-P decoders keep id 0 and their own names (measured), and OSSEC only logs it.
 */
export function assignRefs(
  names: readonly string[],
  withoutProgram: readonly CompiledDecoder[],
  withProgram: readonly CompiledDecoder[],
): { ids: Map<string, number>; warnings: string[] } {
  const ids = decoderIds(names);
  const warnings: string[] = [];
  const setList = (list: readonly CompiledDecoder[]): boolean => {
    if (list.length === 0) return false;
    for (const top of list) {
      const id = ids.get(top.ownName)!;
      setRef(top, top.ownName, id);
      for (const c of top.children) {
        const d = c.decoder;
        if (d.useOwnName) setRef(d, d.ownName, ids.get(d.ownName)!);
        else setRef(d, top.ownName, id);
      }
    }
    return true;
  };
  const unset = (list: readonly CompiledDecoder[]): void => {
    for (const top of list) {
      setRef(top, top.ownName, 0);
      for (const c of top.children) setRef(c.decoder, c.decoder.ownName, 0);
    }
  };
  if (!setList(withoutProgram)) {
    warnings.push('no decoder without a program_name: OSSEC stops setting decoder ids, so decoders with a program_name get id 0 and children keep their own names');
    unset(withProgram);
  } else if (!setList(withProgram)) {
    warnings.push('no decoder with a program_name (OSSEC logs "Error setting ids")');
  }
  return { ids, warnings };
}
