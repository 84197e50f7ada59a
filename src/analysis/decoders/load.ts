import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { applyVariables, parseXml, type XmlElement } from '../../config/xml.js';
import { ErrorCodes, OspatrolError, PatternError } from '../../errors.js';
import type { Matcher } from '../matchers/matcher.js';
import { compileOsMatch } from '../matchers/os-match.js';
import { compileOsRegex } from '../matchers/os-regex.js';
import { compilePcre2 } from '../matchers/pcre2.js';
import { ftsList } from './fields.js';
import { assignRefs } from './ids.js';
import { PLUGIN_NAMES, pluginFor } from './plugins/index.js';
import { fail, readDecoderSpec, type DecoderSpec, type PatternText } from './spec.js';
import { RegexFrom, type ChildEntry, type CompiledDecoder, type DecoderSet } from './types.js';

/**
 * Loading decoder files into a DecoderSet (ossec-analysis.md 3.1-3.3): read, parse with OSSEC's XML
 * dialect, apply `<var>`, check each `<decoder>` (spec.ts), compile its patterns once, and hang it
 * in the two top-level lists or under its parents. Errors stop the load at the first one, as
 * OSSEC does, and name the file, line and element.
 */

export interface LoadOptions {
  /** `analysisd.decoder_order_size` (default 256, OSSEC allows 8..1024). */
  readonly orderSize?: number;
}

export interface DecoderSource {
  readonly file: string;
  readonly text: string;
}

/** Reads and loads the files in order (decoder.xml, then local_decoder.xml or a decoder_dir). */
export function loadDecoders(files: readonly string[], opts: LoadOptions = {}): DecoderSet {
  const sources = files.map((file): DecoderSource => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (e) {
      throw new OspatrolError(ErrorCodes.CONFIG_MISSING_FILE, `cannot read decoder file: ${(e as Error).message}`, { file });
    }
  });
  return loadDecoderSources(sources, opts);
}

/** As loadDecoders, from text already in memory (tests, config bundles). */
export function loadDecoderSources(sources: readonly DecoderSource[], opts: LoadOptions = {}): DecoderSet {
  const builder = new TreeBuilder(opts.orderSize ?? 256);
  for (const { file, text } of sources) {
    const roots = applyVariables(parseXml(text, file), file);
    // An empty decoder file is refused, except local_decoder.xml, which may be empty or absent.
    if (roots.length === 0 && basename(file) !== 'local_decoder.xml') {
      throw new OspatrolError(ErrorCodes.DECODER_INVALID, 'decoder file has no <decoder> element', { file });
    }
    for (const root of roots) builder.add(root);
  }
  return builder.finish();
}

class TreeBuilder {
  private readonly withProgram: CompiledDecoder[] = [];
  private readonly withoutProgram: CompiledDecoder[] = [];
  /** Every decoder name in file order, children included: the id store (3.1). */
  private readonly names: string[] = [];

  constructor(private readonly orderSize: number) {}

  add(root: XmlElement): void {
    const spec = readDecoderSpec(root, { orderSize: this.orderSize, plugins: PLUGIN_NAMES });
    this.names.push(spec.name);
    const dec = compile(spec);
    if (!spec.parent) {
      (spec.programName ? this.withProgram : this.withoutProgram).push(dec);
      return;
    }
    const parents = [...this.withProgram, ...this.withoutProgram].filter((p) => p.ownName === spec.parent!.name);
    if (parents.length === 0) fail(spec.parent.element, `decoder '${spec.name}': unknown parent '${spec.parent.name}' (it must be a top-level decoder defined earlier)`);
    for (const p of parents) addChild(p, dec, spec);
  }

  finish(): DecoderSet {
    for (const list of [this.withProgram, this.withoutProgram]) {
      for (const top of list) linkResume(top.children);
    }
    const { ids, warnings } = assignRefs(this.names, this.withoutProgram, this.withProgram);
    return { withProgram: this.withProgram, withoutProgram: this.withoutProgram, ids, warnings, byProgramName: new Map() };
  }
}

/**
 * Hangs `dec` under `parent`. A child with the name of an earlier sibling continues a multi-regex
 * chain (3.3): it may have no prematch and no fts, both must use the same regex engine, and the
 * earlier same-named siblings get get_next. `after_regex` is only allowed in such a chain.
 */
function addChild(parent: CompiledDecoder, dec: CompiledDecoder, spec: DecoderSpec): void {
  const siblings = parent.children;
  const same = siblings.filter((s) => s.decoder.ownName === dec.ownName);
  const el = spec.element;
  if (same.length > 0) {
    if (spec.prematch) fail(spec.prematch.element, `decoder '${spec.name}': a repeated decoder (multi-regex chain) cannot have a prematch`);
    if (spec.fts.size > 0) fail(el, `decoder '${spec.name}': a repeated decoder (multi-regex chain) cannot have fts`);
    for (const s of same) {
      if (!s.decoder.regex || !dec.regex || s.decoder.regexEngine !== dec.regexEngine) {
        fail(el, `decoder '${spec.name}': every decoder of a multi-regex chain needs a regex, all <regex> or all <pcre2>`);
      }
    }
    for (const s of same) s.getNext = true;
  } else if (spec.regexOffset === 'after_regex') {
    fail(spec.regex?.element ?? el, `decoder '${spec.name}': offset after_regex is only allowed after an earlier decoder of the same name under the same parent`);
  }
  const entry: ChildEntry = { decoder: dec, getNext: false, next: undefined, resume: undefined };
  const last = siblings[siblings.length - 1];
  if (last) last.next = entry;
  siblings.push(entry);
}

/**
 * Where the child search goes on after a failed prematch: past every following get_next node
 * and the one that ends the run (measured with a non-contiguous chain, see types.ts).
 */
function linkResume(children: ChildEntry[]): void {
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (!c.getNext) {
      c.resume = c.next;
      continue;
    }
    let j = i + 1;
    while (j < children.length && children[j].getNext) j++;
    c.resume = children[j + 1];
  }
}

function compile(spec: DecoderSpec): CompiledDecoder {
  const regexFrom =
    spec.regexOffset === 'after_parent'
      ? RegexFrom.Parent
      : spec.regexOffset === 'after_prematch'
        ? RegexFrom.Prematch
        : spec.regexOffset === 'after_regex'
          ? RegexFrom.PrevRegex
          : RegexFrom.Log;
  return {
    ownName: spec.name,
    file: spec.element.file,
    line: spec.element.line,
    programName: spec.programName && compilePattern(spec, spec.programName, 'match'),
    prematch: spec.prematch && compilePattern(spec, spec.prematch, 'regex'),
    prematchPre: null,
    prematchAfterParent: spec.prematchOffset === 'after_parent',
    regex: spec.regex && compilePattern(spec, spec.regex, 'regex', true),
    regexEngine: spec.regex?.engine,
    regexFrom,
    slots: spec.order ?? [],
    plugin: spec.plugin === undefined ? undefined : pluginFor(spec.plugin),
    useOwnName: spec.useOwnName,
    type: spec.type,
    fts: ftsList(spec.fts),
    accumulate: spec.accumulate,
    // Set by assignRefs once every file is read.
    ref: undefined as never,
    refByType: new Map(),
    children: [],
  };
}

/** Compiles one pattern once, turning a PatternError into a positioned load error. */
function compilePattern(spec: DecoderSpec, p: PatternText, os: 'match' | 'regex', extractor = false): Matcher {
  const el = p.element;
  // Empty OSRegex and PCRE2 patterns do not compile in 4.3.0 (measured); an empty OSMatch
  // (program_name) matches everything.
  if (p.text === '' && !(p.engine === 'os' && os === 'match')) fail(el, `decoder '${spec.name}': empty pattern`);
  // OSRegex only hands back sub-strings when the pattern has a '(' somewhere, and OSSEC refuses
  // a decoder regex without them ("Missing sub_strings"); an escaped \( counts (measured).
  if (extractor && p.engine === 'os' && !p.text.includes('(')) fail(el, `decoder '${spec.name}': the regex has no capture group`);
  try {
    if (p.engine === 'pcre2') return compilePcre2(p.text);
    return os === 'match' ? compileOsMatch(p.text) : compileOsRegex(p.text);
  } catch (e) {
    if (e instanceof PatternError) fail(el, `decoder '${spec.name}': ${e.message}`);
    throw e;
  }
}
