import type { DecoderRef, EventInfo } from '../event-info.js';
import type { Matcher } from '../matchers/matcher.js';
import type { Prefilter } from '../matchers/prefilter.js';
import type { FieldSlot, FtsPart } from './fields.js';

/**
 * The compiled decoder tree (ossec-analysis.md 3.3), kept apart from the XML shape (spec.ts).
 * Everything the hot path needs is precomputed here at load time.
 */

/** Where a `<regex>` starts reading (3.4 step 6). */
export enum RegexFrom {
  Log = 0,
  /** `pmatch`: end of the top-level decoder's prematch, or the start of log. */
  Parent = 1,
  /** `cmatch`: end of the chosen child's prematch. */
  Prematch = 2,
  /** End of the previous regex of a multi-regex chain (or cmatch after a failed one). */
  PrevRegex = 3,
}

/** A decoder type string as rules compare it (`category`). */
export type DecoderType =
  | 'syslog'
  | 'firewall'
  | 'ids'
  | 'web-log'
  | 'squid'
  | 'windows'
  | 'host-information'
  | 'ossec'
  | typeof OSSEC_ALERT_TYPE;

/**
 * The type OSSECAlert_Decoder gives an event (OSSEC_ALERT, 12). No rule category has it: the rule
 * loop uses the forwarded alert's rule instead (5.6).
 */
export const OSSEC_ALERT_TYPE = 'ossec-alert';

/** What `lf.decoder` points to. Extra members beyond DecoderRef are ours. */
export interface CompiledDecoderRef extends DecoderRef {
  readonly type: DecoderType;
  readonly fts: readonly FtsPart[] | undefined;
  /** `<accumulate/>` (1.4). */
  readonly accumulate: boolean;
  /**
   * Lower-cased dynamic field name → its first position in `order`. A rule's `<field name=X>`
   * reads the dynamic slot at that position (see DecodeDetail.slots); static names never match.
   */
  readonly dynamicIndex: ReadonlyMap<string, number>;
}

/** What a plugin changes beyond the fields it writes into `lf.fields`. */
export interface PluginResult {
  /** The decoder type for this event (SonicWall and OSSECAlert change it). */
  readonly type?: DecoderType;
  readonly forwarded?: ForwardedAlert;
}

/** A plugin decoder (3.5): fills `lf.fields` directly (logtest never prints plugin fields). */
export interface PluginDecoder {
  readonly name: string;
  run(lf: EventInfo): PluginResult | undefined;
}

/**
 * One `<decoder>` after compilation. Shared by every place it hangs in the tree; the tree
 * position (siblings, chain) lives in ChildEntry.
 */
export interface CompiledDecoder {
  /** Name as written (ids and chains use it). */
  readonly ownName: string;
  readonly file: string;
  readonly line: number;
  readonly programName: Matcher | undefined;
  readonly prematch: Matcher | undefined;
  /** The prematch's literal prefilter on the lower-cased log (decode.ts); null until first asked. */
  prematchPre: Prefilter | undefined | null;
  /** Child prematch reads from pmatch instead of log (`offset="after_parent"`). */
  readonly prematchAfterParent: boolean;
  readonly regex: Matcher | undefined;
  /** Which element the regex came from: a chain may not mix them (3.3). */
  readonly regexEngine: 'os' | 'pcre2' | undefined;
  readonly regexFrom: RegexFrom;
  /** Capture i goes to slots[i]; captures beyond the order are dropped (3.4 step 7). */
  readonly slots: readonly FieldSlot[];
  readonly plugin: PluginDecoder | undefined;
  readonly useOwnName: boolean;
  /** The `<type>` as written (a child does not inherit its parent's). */
  readonly type: DecoderType;
  readonly fts: readonly FtsPart[] | undefined;
  readonly accumulate: boolean;
  /** Set after load: printed name, id, type... (a child is renamed to its parent, 3.2). */
  ref: CompiledDecoderRef;
  /** Per-type variants of `ref`, for plugins that change the type of the event. */
  refByType: Map<DecoderType, CompiledDecoderRef>;
  /** Children (top-level decoders only), in file order. */
  readonly children: ChildEntry[];
}

/** A child in its parent's list. */
export interface ChildEntry {
  readonly decoder: CompiledDecoder;
  /** Multi-regex chain: after this node's regex step, go on with the next sibling (3.3). */
  getNext: boolean;
  /** The next sibling (the chain walk assumes it is the next chain node). */
  next: ChildEntry | undefined;
  /**
   * Where the child search resumes when this node's prematch fails: past the whole get_next run
   * that starts here (measured: `[x(get_next), y, x]` skips y too and takes the second x).
   */
  resume: ChildEntry | undefined;
}

export interface DecoderSet {
  /** Top-level decoders with a program name (list P) and without (list N), in file order. */
  readonly withProgram: readonly CompiledDecoder[];
  readonly withoutProgram: readonly CompiledDecoder[];
  /** Every decoder name plus the internal ones → id (OSStore position in sorted order, 3.1). */
  readonly ids: ReadonlyMap<string, number>;
  /** Non-fatal problems OSSEC also only logs (e.g. "Error setting ids" when list N is empty). */
  readonly warnings: readonly string[];
  /**
   * Program name → the list-P decoders whose program_name matches it, in file order. The test is
   * a pure function of the name and names repeat, so each is tested once (bounded, see decode.ts).
   */
  readonly byProgramName: Map<string, readonly CompiledDecoder[]>;
}

/**
 * What OSSECAlert_Decoder read from a forwarded alert (3.5). The rule engine looks the rule up;
 * only when it exists does OSSEC apply the rest (applyForwardedAlert).
 */
export interface ForwardedAlert {
  /** The `Rule: N` id text. */
  readonly ruleId: string;
  /** The `Location:` value, when the parse got that far. */
  readonly location: string | undefined;
  /** `srcip:` / `user:` items in the order read (each may repeat; later wins). */
  readonly items: ReadonlyArray<readonly ['srcip' | 'dstuser', string]>;
  /** The remaining text, which becomes full_log and log; undefined when the parse stopped early. */
  readonly log: string | undefined;
  /** How the location is rewritten: OSSEC `<loc>|<orig>`, OSPatrol adds `<host>->` for non-agents. */
  readonly style: 'ossec' | 'ospatrol';
}
