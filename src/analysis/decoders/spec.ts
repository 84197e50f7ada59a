import { ErrorCodes, OspatrolError } from '../../errors.js';
import type { XmlElement } from '../../config/xml.js';
import { parseFts, parseOrder, type FieldSlot, type FtsPart } from './fields.js';
import type { DecoderType } from './types.js';

/**
 * One `<decoder>` element read and checked on its own (decode-xml.c:ReadDecodeXML, ossec-analysis.md
 * 3.1/3.2). Patterns are still text here; load.ts compiles them and builds the tree. The order of
 * the checks follows OSSEC, so the first error reported is the one OSSEC reports.
 */

export type OffsetName = 'after_parent' | 'after_prematch' | 'after_regex';

export interface PatternText {
  readonly text: string;
  /** `os`: OSMatch (program_name) or OSRegex (prematch, regex); `pcre2`: the `_pcre2` element. */
  readonly engine: 'os' | 'pcre2';
  /** The first element that contributed, for error positions. */
  readonly element: XmlElement;
}

export interface DecoderSpec {
  readonly name: string;
  readonly element: XmlElement;
  readonly parent: { readonly name: string; readonly element: XmlElement } | undefined;
  readonly programName: PatternText | undefined;
  readonly prematch: PatternText | undefined;
  readonly prematchOffset: 'after_parent' | undefined;
  readonly regex: PatternText | undefined;
  /** `after_prematch` without a parent has already become `after_parent` (3.2). */
  readonly regexOffset: OffsetName | undefined;
  readonly order: readonly FieldSlot[] | undefined;
  readonly fts: ReadonlySet<FtsPart>;
  readonly type: DecoderType;
  readonly useOwnName: boolean;
  readonly plugin: string | undefined;
  readonly accumulate: boolean;
}

export interface SpecOptions {
  /** `analysisd.decoder_order_size` (internal option, default 256). */
  readonly orderSize: number;
  /** Plugin names accepted in `<plugin_decoder>`. */
  readonly plugins: ReadonlySet<string>;
}

/** OSSEC's own types, plus OSPatrol's `ospatrol`, which its decode-xml.c treats as `ossec`. */
const TYPES: ReadonlyMap<string, DecoderType> = new Map<string, DecoderType>([
  ['firewall', 'firewall'],
  ['ids', 'ids'],
  ['web-log', 'web-log'],
  ['syslog', 'syslog'],
  ['squid', 'squid'],
  ['windows', 'windows'],
  ['host-information', 'host-information'],
  ['ossec', 'ossec'],
  ['ospatrol', 'ossec'],
]);

/** `_loadmemory`: repeated elements are joined, and the result must stay under 8 KB. */
const JOIN_LIMIT = 8192;

export function fail(el: XmlElement, reason: string, element = el.name): never {
  throw new OspatrolError(ErrorCodes.DECODER_INVALID, reason, { file: el.file, line: el.line, element });
}

/** Collects repeated elements of one kind (regex, pcre2, prematch, ...), joined with no separator. */
class Joined {
  text: string | undefined;
  first: XmlElement | undefined;
  add(el: XmlElement, decoder: string): void {
    const next = (this.text ?? '') + el.text;
    if (next.length >= JOIN_LIMIT) fail(el, `decoder '${decoder}': <${el.name}> content too long (8 KB at most, repeated elements included)`);
    this.text = next;
    this.first ??= el;
  }
  pattern(engine: 'os' | 'pcre2'): PatternText | undefined {
    return this.text === undefined ? undefined : { text: this.text, engine, element: this.first! };
  }
}

/**
 * ReadDecodeAttrs: only the first attribute is looked at. It must be `offset` (case-sensitive) with
 * one of the three values; no attribute means no offset.
 */
function readOffset(el: XmlElement, decoder: string): OffsetName | undefined {
  const first = el.attributes[0];
  if (!first) return undefined;
  const [name, value] = first;
  if (name !== 'offset') fail(el, `decoder '${decoder}': invalid attribute '${name}' (only offset is allowed)`);
  if (value === 'after_parent' || value === 'after_prematch' || value === 'after_regex') return value;
  fail(el, `decoder '${decoder}': invalid offset value '${value}' (after_parent, after_prematch or after_regex)`);
}

/** Reads one root element. Throws OspatrolError naming the file, line and element. */
export function readDecoderSpec(root: XmlElement, opts: SpecOptions): DecoderSpec {
  // The root must be <decoder name="..."> with exactly one attribute: a second one is refused
  // whatever it is, because OSSEC's `status` check looks at the wrong attribute (3.1).
  if (root.name.toLowerCase() !== 'decoder') fail(root, `invalid element <${root.name}> at the top level of a decoder file (only <decoder> is allowed)`);
  const nameAttr = root.attributes[0];
  if (!nameAttr || nameAttr[0].toLowerCase() !== 'name') fail(root, 'a decoder needs a name attribute as its first attribute');
  if (root.attributes.length > 1) fail(root, `decoder '${nameAttr[1]}': only the name attribute is allowed`);
  const name = nameAttr[1];

  const parent = new Joined();
  const regex = new Joined();
  const pcre2 = new Joined();
  const prematch = new Joined();
  const prematchPcre2 = new Joined();
  const programName = new Joined();
  const programNamePcre2 = new Joined();
  let regexOffset: OffsetName | undefined;
  let prematchOffset: OffsetName | undefined;
  let order: FieldSlot[] | undefined;
  let orderEl: XmlElement | undefined;
  const fts = new Set<FtsPart>();
  let ftsEl: XmlElement | undefined;
  let type: DecoderType = 'syslog';
  let useOwnName = false;
  let plugin: string | undefined;
  let pluginEl: XmlElement | undefined;
  let accumulate = false;

  for (const el of root.children) {
    // `type` is the one element compared case-sensitively (strcmp in decode-xml.c).
    if (el.name === 'type') {
      const t = TYPES.get(el.text);
      if (!t) fail(el, `decoder '${name}': invalid decoder type '${el.text}'`);
      type = t;
      continue;
    }
    switch (el.name.toLowerCase()) {
      case 'parent':
        parent.add(el, name);
        break;
      case 'regex':
      case 'pcre2': {
        const offset = readOffset(el, name);
        const joined = el.name.toLowerCase() === 'regex' ? regex : pcre2;
        // Only the first regex element may carry an offset.
        if (offset && joined.text !== undefined) fail(el, `decoder '${name}': only the first <${el.name}> may have an offset`);
        if (offset) regexOffset = offset;
        joined.add(el, name);
        break;
      }
      case 'prematch':
      case 'prematch_pcre2': {
        const offset = readOffset(el, name);
        const joined = el.name.toLowerCase() === 'prematch' ? prematch : prematchPcre2;
        if (offset && joined.text !== undefined) fail(el, `decoder '${name}': only the first <${el.name}> may have an offset`);
        if (offset) prematchOffset = offset;
        joined.add(el, name);
        break;
      }
      case 'program_name':
        programName.add(el, name);
        break;
      case 'program_name_pcre2':
        programNamePcre2.add(el, name);
        break;
      case 'ftscomment':
        break;
      case 'use_own_name':
        // Only the exact text `true` counts (3.2).
        if (el.text === 'true') useOwnName = true;
        break;
      case 'plugin_decoder':
        if (!opts.plugins.has(el.text)) fail(el, `decoder '${name}': unknown plugin_decoder '${el.text}' (${[...opts.plugins].join(', ')})`);
        plugin = el.text;
        pluginEl = el;
        break;
      case 'order': {
        // A later <order> replaces an earlier one (measured), unlike the pattern elements.
        const parsed = parseOrder(el.text, opts.orderSize);
        if ('bad' in parsed) fail(el, `decoder '${name}': wrong field '${parsed.bad}' in the order`);
        order = parsed;
        orderEl = el;
        break;
      }
      case 'accumulate':
        accumulate = true;
        break;
      case 'fts': {
        const bad = parseFts(el.text, fts);
        if (bad !== undefined) fail(el, `decoder '${name}': wrong field '${bad}' in the fts`);
        ftsEl ??= el;
        break;
      }
      default:
        fail(el, `decoder '${name}': invalid element <${el.name}>`);
    }
  }

  // When both the OS form and the _pcre2 form are given, the OS form is used (measured).
  const pm = prematch.pattern('os') ?? prematchPcre2.pattern('pcre2');
  const pn = programName.pattern('os') ?? programNamePcre2.pattern('pcre2');
  const rx = regex.pattern('os') ?? pcre2.pattern('pcre2');
  const parentName = parent.text;

  if (!pm && parentName === undefined && !pn) fail(root, `decoder '${name}': a top-level decoder needs a prematch or a program_name`);
  if (!rx && (fts.size > 0 || order)) fail(ftsEl ?? orderEl ?? root, `decoder '${name}': <${orderEl ? 'order' : 'fts'}> needs a regex`);
  if (rx && !order) fail(rx.element, `decoder '${name}': a regex needs an <order>`);
  if (regexOffset === 'after_parent' && parentName === undefined) fail(rx?.element ?? root, `decoder '${name}': offset after_parent needs a parent`);
  if (regexOffset === 'after_prematch') {
    // Without a parent, "after the prematch" is where the parent offset points anyway (3.2).
    if (parentName === undefined) regexOffset = 'after_parent';
    else if (!pm) fail(rx?.element ?? root, `decoder '${name}': offset after_prematch needs a prematch`);
  }
  if (regexOffset === 'after_regex' && (parentName === undefined || !rx)) fail(rx?.element ?? root, `decoder '${name}': offset after_regex needs a parent and a regex`);
  if (prematchOffset !== undefined) {
    const at = pm?.element ?? root;
    if (prematchOffset !== 'after_parent') fail(at, `decoder '${name}': a prematch offset can only be after_parent`);
    if (parentName === undefined) fail(at, `decoder '${name}': offset after_parent needs a parent`);
  }
  if (plugin && (rx || order)) fail(pluginEl!, `decoder '${name}': plugin_decoder cannot be combined with regex or order`);

  return {
    name,
    element: root,
    parent: parentName === undefined ? undefined : { name: parentName, element: parent.first! },
    programName: pn,
    prematch: pm,
    prematchOffset: prematchOffset as 'after_parent' | undefined,
    regex: rx,
    regexOffset,
    order,
    fts,
    type,
    useOwnName,
    plugin,
    accumulate,
  };
}
