import type { DiffSpec } from '../diff/spec.js';
import type { Matcher } from '../matchers/matcher.js';
import { bothOf, type Prefilter } from './patterns.js';
import type { Deque, HistoryEntry } from '../state/event-history.js';
import type { CdbList } from '../state/lists.js';
import type { CompiledRuleFn } from './compiled-rules.js';
import type { IpEntry } from './ip-list.js';
import type { TimeRange } from './time-window.js';
import {
  DO_FTS, DO_LOGALERT, DO_MAILALERT, NO_ALERT, NO_AR,
  type Category, type InfoEntry, type ListField, type ListLookup,
} from './types.js';

/** Which history a context rule searches (6.2). */
export const SearchKind = {
  None: 0,
  /** if_matched_sid: Search_LastSids over the sid's list. */
  Sids: 1,
  /** if_matched_group: Search_LastGroups over the rule's own group list. */
  Groups: 2,
  /** Search_LastEvents over the EventList. */
  Events: 3,
} as const;
export type SearchKind = (typeof SearchKind)[keyof typeof SearchKind];

export interface ListFilter {
  field: ListField;
  lookup: ListLookup;
  matcher: Matcher | null;
  /** Undefined when no configured list has that name: the filter then fails (5.7). */
  list: CdbList | undefined;
  name: string;
}

export interface FieldFilter {
  /** Lower case: looked up case-insensitively in the decoder's order. */
  name: string;
  matcher: Matcher;
}

/**
 * A compiled rule: OSSEC's RuleInfo. One object may sit at several places in the tree, and
 * overwrite="yes" updates it in place, so it is mutable while loading. Field order and shapes are
 * fixed in the constructor to keep the hot path monomorphic.
 */
export class Rule {
  readonly id: number;
  readonly file: string;
  readonly line: number;
  /** Scaled (x100, 9900 for 0) while loading; the printed level after the ruleset is finished (5.5). */
  level: number;
  maxsize = 0;
  frequency = 0;
  timeframe = 0;
  ignoreTime = 0;
  alertOpts = 0;
  contextOpts = 0;
  context = false;
  category: Category = 'syslog';
  groupText = '';
  /** groupText split on ',' (set when the ruleset is finished). */
  groups: string[] = [];
  description: string | undefined = undefined;
  /** `<info>`/`<cve>` details (not replaced by overwrite). */
  info: InfoEntry[] = [];
  infoText: string | undefined = undefined;
  cve: string | undefined = undefined;
  /** Decoder id, 0 for none. */
  decodedAs = 0;

  // OSMatch / OSRegex forms: replaced by overwrite.
  match: Matcher | null = null;
  regex: Matcher | null = null;
  programName: Matcher | null = null;
  idMatch: Matcher | null = null;
  url: Matcher | null = null;
  srcport: Matcher | null = null;
  dstport: Matcher | null = null;
  user: Matcher | null = null;
  status: Matcher | null = null;
  hostname: Matcher | null = null;
  extraData: Matcher | null = null;
  // PCRE2 forms: kept by overwrite (5.4). GeoIP filters too.
  matchPcre2: Matcher | null = null;
  pcre2: Matcher | null = null;
  programNamePcre2: Matcher | null = null;
  idPcre2: Matcher | null = null;
  urlPcre2: Matcher | null = null;
  srcportPcre2: Matcher | null = null;
  dstportPcre2: Matcher | null = null;
  userPcre2: Matcher | null = null;
  statusPcre2: Matcher | null = null;
  hostnamePcre2: Matcher | null = null;
  extraDataPcre2: Matcher | null = null;
  /** Any srcgeoip/dstgeoip (either form): without GeoIP data such a rule never matches. */
  srcGeo = false;
  dstGeo = false;

  action: string | null = null;
  fields: FieldFilter[] = [];
  srcip: IpEntry[] | null = null;
  dstip: IpEntry[] | null = null;
  time: TimeRange | null = null;
  weekdays: boolean[] | null = null;
  compiledRule: CompiledRuleFn | null = null;
  lists: ListFilter[] = [];
  ifMatchedRegex: Matcher | null = null;
  ifMatchedGroup: Matcher | null = null;
  ifMatchedSid = 0;
  ignore = 0;
  ckignore = 0;
  /** `<check_diff>`'s compiled options; null without check_diff (OSSEC_DIFF_SPEC when plain). */
  diffSpec: DiffSpec | null = null;

  // The filters the hot path runs: the OS form when present, else the PCRE2 form (4). Set by finish().
  fProgramName: Matcher | null = null;
  fId: Matcher | null = null;
  fMatch: Matcher | null = null;
  fRegex: Matcher | null = null;
  fSrcport: Matcher | null = null;
  fDstport: Matcher | null = null;
  fUser: Matcher | null = null;
  fExtraData: Matcher | null = null;
  fHostname: Matcher | null = null;
  fStatus: Matcher | null = null;
  /** Any filter of 5.3 #6-10 but check_diff (action to status): lets most rules skip that block at once. */
  hasMidFilters = false;
  /** if_fts, <list> or a history search (5.3 #11-13). */
  hasTailFilters = false;
  /** logPrefilter()'s result; null until first asked. */
  logPre: Prefilter | undefined | null = null;

  // Correlation state.
  search: SearchKind = SearchKind.None;
  /** if_matched_sid: the list of the rule it names (OS_MarkID). */
  sidSearch: Deque<HistoryEntry> | null = null;
  /** if_matched_group: this rule's own list. */
  groupSearch: Deque<HistoryEntry> | null = null;
  /** Set when some rule has if_matched_sid on this one: events this rule generates go here. */
  sidPrevMatched: Deque<HistoryEntry> | null = null;
  /** Lists of if_matched_group rules whose pattern matches this rule's group (with repeats). */
  groupPrevMatched: Array<Deque<HistoryEntry>> | null = null;

  // Runtime counters.
  firedtimes = 0;
  /** Receive time (seconds) the ignore window started; 0 = none. */
  timeIgnored = 0;

  constructor(id: number, level: number, file: string, line: number) {
    this.id = id;
    this.level = level;
    this.file = file;
    this.line = line;
  }

  get mail(): boolean {
    return (this.alertOpts & DO_MAILALERT) !== 0;
  }
  get logAlert(): boolean {
    return (this.alertOpts & DO_LOGALERT) !== 0;
  }
  get noAlert(): boolean {
    return (this.alertOpts & NO_ALERT) !== 0;
  }
  get noAr(): boolean {
    return (this.alertOpts & NO_AR) !== 0;
  }

  /** Picks the effective filters and the group array; run once the ruleset is complete. */
  finish(): void {
    this.fProgramName = this.programName ?? this.programNamePcre2;
    this.fId = this.idMatch ?? this.idPcre2;
    this.fMatch = this.match ?? this.matchPcre2;
    this.fRegex = this.regex ?? this.pcre2;
    this.fSrcport = this.srcport ?? this.srcportPcre2;
    this.fDstport = this.dstport ?? this.dstportPcre2;
    this.fUser = this.user ?? this.userPcre2;
    this.fExtraData = this.extraData ?? this.extraDataPcre2;
    this.fHostname = this.hostname ?? this.hostnamePcre2;
    this.fStatus = this.status ?? this.statusPcre2;
    this.hasMidFilters =
      this.action !== null || this.url !== null || this.urlPcre2 !== null || this.fields.length > 0 ||
      this.srcip !== null || this.dstip !== null || this.fSrcport !== null || this.fDstport !== null ||
      this.compiledRule !== null || this.fUser !== null || this.srcGeo || this.dstGeo || this.maxsize !== 0 ||
      this.time !== null || this.weekdays !== null || this.fExtraData !== null || this.fHostname !== null ||
      this.fStatus !== null;
    this.hasTailFilters = (this.alertOpts & DO_FTS) !== 0 || this.lists.length > 0 || this.context;
    this.logPre = null;
    this.groups = this.groupText
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== '');
  }

  /**
   * The literal prefilters of <match> and <regex> together, on the event's lower-cased log: most
   * rules tried on an event fail here, in a few table reads, without a call into either matcher.
   * Worked out on first use (start-up time: most rules never run on a given host's logs).
   */
  logPrefilter(): Prefilter | undefined {
    if (this.logPre === null) this.logPre = bothOf(this.fMatch?.prefilter?.(), this.fRegex?.prefilter?.());
    return this.logPre;
  }

  /**
   * overwrite="yes" (rules_list.c:OS_AddRuleInfo): copies what OSSEC copies and nothing else. Kept:
   * category, every PCRE2 filter, GeoIP, lists, <field>s, the ignore masks, the info details, the
   * search kind and lists, and the rule's place in the tree.
   */
  overwriteFrom(src: Rule): void {
    this.level = src.level;
    this.maxsize = src.maxsize;
    this.frequency = src.frequency;
    this.timeframe = src.timeframe;
    this.ignoreTime = src.ignoreTime;
    this.groupText = src.groupText;
    this.match = src.match;
    this.regex = src.regex;
    this.time = src.time;
    this.weekdays = src.weekdays;
    this.srcip = src.srcip;
    this.dstip = src.dstip;
    this.srcport = src.srcport;
    this.dstport = src.dstport;
    this.user = src.user;
    this.url = src.url;
    this.idMatch = src.idMatch;
    this.status = src.status;
    this.hostname = src.hostname;
    this.programName = src.programName;
    this.extraData = src.extraData;
    this.action = src.action;
    this.description = src.description;
    this.infoText = src.infoText;
    this.cve = src.cve;
    this.ifMatchedRegex = src.ifMatchedRegex;
    this.ifMatchedGroup = src.ifMatchedGroup;
    this.ifMatchedSid = src.ifMatchedSid;
    this.alertOpts = src.alertOpts;
    this.contextOpts = src.contextOpts;
    // Goes with contextOpts' SAME_DODIFF bit, which overwrite copies.
    this.diffSpec = src.diffSpec;
    this.context = src.context;
    this.decodedAs = src.decodedAs;
    this.compiledRule = src.compiledRule;
  }
}

/** A place in the tree. The same Rule may have several nodes. */
export interface RuleNode {
  rule: Rule;
  children: RuleNode[];
  /** Position in tree order (walk order), the same in every thread that loads the same files. */
  index: number;
  /** prefilter.ts's narrowed child lists, by decoder id then program name (built on first use). */
  candidates?: Map<number, Map<string, RuleNode[]>> | undefined;
}
