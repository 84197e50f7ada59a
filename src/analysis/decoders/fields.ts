/**
 * The `<order>` and `<fts>` vocabularies of a decoder (ossec-analysis.md 3.2), parsed the way
 * OSSEC 4.3.0's decode-xml.c does. The details below were measured against the real
 * ossec-logtest, because they differ from the 2.x code and from the docs:
 *
 * - `<order>` is split on `,` into at most `decoder_order_size` pieces (OS_StrBreak: the last
 *   piece keeps any further commas). In each piece, leading *spaces* (not tabs or newlines) are
 *   skipped and the name ends at the next space: `src ip` names the field `src`.
 *   An empty name is a load error ("Wrong field ''").
 * - The static names are matched exactly and case-sensitively: `srcipx` and `SRCIP` are dynamic
 *   fields. Only `filename` is matched as a substring (`myfilename` is the filename field).
 * - `<fts>` is a bitmask matched by substring, in OSSEC's order, so `srcuser` lands on dstuser.
 */

/** Where a capture goes: a static field (canonical key) or a dynamic field. */
export interface FieldSlot {
  /** Key in EventInfo.fields: the canonical static name, or the dynamic name as written. */
  readonly key: string;
  /** The label ossec-logtest prints in Phase 2 (`proto` for protocol, `extra_data` for data). */
  readonly label: string;
  /** True for a dynamic field: only these take part in a rule's `<field name=...>` (5.3). */
  readonly dynamic: boolean;
}

/** Static names as written in `<order>` → [canonical key, logtest label]. */
const STATIC_ORDER_NAMES: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['dstuser', ['dstuser', 'dstuser']],
  ['user', ['dstuser', 'dstuser']],
  ['srcuser', ['srcuser', 'srcuser']],
  ['srcip', ['srcip', 'srcip']],
  ['dstip', ['dstip', 'dstip']],
  ['srcport', ['srcport', 'srcport']],
  ['dstport', ['dstport', 'dstport']],
  ['protocol', ['protocol', 'proto']],
  ['action', ['action', 'action']],
  ['id', ['id', 'id']],
  ['url', ['url', 'url']],
  ['data', ['data', 'extra_data']],
  ['extra_data', ['data', 'extra_data']],
  ['status', ['status', 'status']],
  ['system_name', ['system_name', 'system_name']],
]);

const FILENAME: FieldSlot = { key: 'filename', label: 'filename', dynamic: false };
const STATIC_SLOTS = new Map<string, FieldSlot>();
for (const [written, [key, label]] of STATIC_ORDER_NAMES) STATIC_SLOTS.set(written, { key, label, dynamic: false });

/**
 * OS_StrBreak: split on `sep` into at most `max` pieces; the last piece keeps the rest, separators
 * included. An empty input gives one empty piece.
 */
export function strBreak(text: string, sep: string, max: number): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && out.length < max - 1; i++) {
    if (text[i] === sep) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** The word a piece of `<order>` names: leading spaces skipped, cut at the next space. */
function orderWord(piece: string): string {
  let i = 0;
  while (piece[i] === ' ') i++;
  const end = piece.indexOf(' ', i);
  return end < 0 ? piece.slice(i) : piece.slice(i, end);
}

/**
 * Parses `<order>`. Returns the slots, or the offending raw piece (as OSSEC prints it) when a
 * piece names nothing.
 */
export function parseOrder(text: string, maxFields: number): FieldSlot[] | { bad: string } {
  const slots: FieldSlot[] = [];
  for (const piece of strBreak(text, ',', maxFields)) {
    const word = orderWord(piece);
    if (word === '') return { bad: piece };
    const fixed = STATIC_SLOTS.get(word);
    if (fixed) slots.push(fixed);
    else if (word.includes('filename')) slots.push(FILENAME);
    else slots.push({ key: word, label: word, dynamic: true });
  }
  return slots;
}

/**
 * FTS key parts in the order fts.c writes them into the key (ossec-analysis.md 6.5).
 * `srcuser` is listed because the key has a place for it, but no `<fts>` text can select it.
 */
export const FTS_KEY_ORDER = ['name', 'id', 'dstuser', 'srcuser', 'srcip', 'dstip', 'data', 'system_name', 'location'] as const;
export type FtsPart = (typeof FTS_KEY_ORDER)[number];

/** The substring tests of decode-xml.c, first hit wins (so `srcuser` and `username` mean dstuser). */
const FTS_TESTS: ReadonlyArray<readonly [string, FtsPart]> = [
  ['user', 'dstuser'],
  ['srcip', 'srcip'],
  ['dstip', 'dstip'],
  ['id', 'id'],
  ['location', 'location'],
  ['data', 'data'],
  ['system_name', 'system_name'],
  ['name', 'name'],
];

/** Parses one `<fts>` element (at most 8 pieces) into `parts`. Returns the bad piece, if any. */
export function parseFts(text: string, parts: Set<FtsPart>): string | undefined {
  for (const piece of strBreak(text, ',', 8)) {
    const hit = FTS_TESTS.find(([needle]) => piece.includes(needle));
    if (!hit) return piece;
    parts.add(hit[1]);
  }
  return undefined;
}

/** The FTS parts in key order, or undefined when the decoder has no `<fts>`. */
export function ftsList(parts: ReadonlySet<FtsPart>): readonly FtsPart[] | undefined {
  if (parts.size === 0) return undefined;
  return FTS_KEY_ORDER.filter((p) => parts.has(p));
}
