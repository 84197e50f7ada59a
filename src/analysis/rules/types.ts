import type { CheckDiffOptions } from '../diff/options.js';
import type { IpEntry } from './ip-list.js';
import type { TimeRange } from './time-window.js';

/**
 * What a rule file says, rule by rule, after XML parsing and validation but before anything is
 * compiled or linked (ossec-analysis.md 5.1-5.3). Kept apart from the compiled Rule the hot path
 * runs, so tools can inspect a ruleset without building it.
 */

/** Root categories (5.3 `category`). `ospatrol` is accepted as a synonym of `ossec` (see load.ts). */
export type Category = 'syslog' | 'firewall' | 'ids' | 'web-log' | 'squid' | 'windows' | 'ossec';
export const CATEGORIES: readonly Category[] = ['syslog', 'firewall', 'ids', 'web-log', 'squid', 'windows', 'ossec'];

export type InfoType = 'text' | 'link' | 'cve' | 'osvdb';
export interface InfoEntry {
  type: InfoType;
  value: string;
}

/** Elements whose content is an OSMatch pattern (always case-insensitive). */
export const OSMATCH_ELEMENTS = [
  'match', 'program_name', 'id', 'url', 'srcport', 'dstport', 'user', 'status', 'hostname', 'extra_data',
  'srcgeoip', 'dstgeoip', 'if_matched_group',
] as const;
/** Elements whose content is an OSRegex pattern. */
export const OSREGEX_ELEMENTS = ['regex', 'if_matched_regex'] as const;
/** Elements whose content is a PCRE2 pattern (chosen by the element name, 4). */
export const PCRE2_ELEMENTS = [
  'pcre2', 'match_pcre2', 'program_name_pcre2', 'id_pcre2', 'url_pcre2', 'srcport_pcre2', 'dstport_pcre2',
  'user_pcre2', 'status_pcre2', 'hostname_pcre2', 'extra_data_pcre2', 'srcgeoip_pcre2', 'dstgeoip_pcre2',
] as const;
export type PatternElement =
  | (typeof OSMATCH_ELEMENTS)[number]
  | (typeof OSREGEX_ELEMENTS)[number]
  | (typeof PCRE2_ELEMENTS)[number];

export interface PatternText {
  /** Repeated elements joined with no separator (loadmemory). */
  text: string;
  /** Line of the first piece, for messages. */
  line: number;
}

export type ListField =
  | 'srcip' | 'srcport' | 'dstip' | 'dstport' | 'user' | 'url' | 'id' | 'hostname' | 'program_name' | 'status' | 'action';
export type ListLookup =
  | 'match_key' | 'not_match_key' | 'match_key_value'
  | 'address_match_key' | 'not_address_match_key' | 'address_match_key_value';

export interface ListConfig {
  field: ListField;
  lookup: ListLookup;
  /** OSMatch pattern for the *_value lookups. */
  checkValue: string | undefined;
  /** The list name exactly as written; must equal a configured list's text or cdb name. */
  name: string;
  line: number;
}

export const COMPILED_RULE_NAMES = [
  'comp_srcuser_dstuser',
  'check_id_size',
  'comp_mswin_targetuser_calleruser_diff',
  'is_simple_http_request',
  'is_valid_crawler',
] as const;
export type CompiledRuleName = (typeof COMPILED_RULE_NAMES)[number];

// Context option bits (rules.h). not_same_* clear one of them; nothing ever sets a "must differ" bit.
export const SAME_USER = 0x001;
export const SAME_SRCIP = 0x002;
export const SAME_ID = 0x004;
export const SAME_LOCATION = 0x008;
export const DIFFERENT_URL = 0x010;
export const SAME_SRCPORT = 0x020;
export const SAME_DSTPORT = 0x040;
export const SAME_DODIFF = 0x100;
export const DIFFERENT_SRCIP = 0x200;
export const DIFFERENT_SRCGEOIP = 0x400;

// Alert option bits (rules.h).
export const DO_FTS = 0x001;
export const DO_MAILALERT = 0x002;
export const DO_LOGALERT = 0x004;
export const NO_AR = 0x008;
export const NO_ALERT = 0x010;
export const DO_OVERWRITE = 0x020;

export interface RuleConfig {
  file: string;
  line: number;
  id: number;
  /** The level attribute as written (0-9999). */
  level: number;
  maxsize: number;
  frequency: number;
  /** Seconds; analysisd.default_timeframe when absent. */
  timeframe: number;
  /** The `ignore` attribute: seconds of suppression after the rule fires. */
  ignoreTime: number;
  noalert: boolean;
  /** `accuracy="0"` keeps the level unscaled (5.5). */
  accuracy: number;
  overwrite: boolean;
  /** `<group name>` of the enclosing group, then every `<group>` piece: OSSEC's group string. */
  groupText: string;
  description: string | undefined;
  /** An explicit `<category>`; undefined means the default, syslog. */
  category: Category | undefined;
  decodedAs: { name: string; id: number } | undefined;
  patterns: Partial<Record<PatternElement, PatternText>>;
  /** `<action>`: compared with a case-sensitive strcmp. */
  action: string | undefined;
  fields: Array<{ name: string; pattern: string; line: number }>;
  srcip: IpEntry[];
  dstip: IpEntry[];
  time: TimeRange | undefined;
  /** Sunday = 0. */
  weekdays: boolean[] | undefined;
  compiledRule: CompiledRuleName | undefined;
  ifSid: string | undefined;
  ifGroup: string | undefined;
  ifLevel: string | undefined;
  /** 0 when absent. */
  ifMatchedSid: number;
  /** Set by if_matched_*, check_diff. */
  context: boolean;
  contextOpts: number;
  /** `<check_diff>`'s options (undefined for a plain `<check_diff />`: OSSEC's comparison). */
  checkDiff: CheckDiffOptions | undefined;
  /** `<if_fts/>`. */
  fts: boolean;
  /** The `<options>` in file order (applied after the level-based flags, 5.5 step 1). */
  options: Array<'alert_by_email' | 'no_email_alert' | 'log_alert' | 'no_log' | 'no_ar'>;
  /** Kept details, at most 9 (see load.ts), `<info>` and `<cve>` in file order. */
  info: InfoEntry[];
  /** All `<info>` texts joined, and all `<cve>` texts joined (OSSEC's old fields). */
  infoText: string | undefined;
  cve: string | undefined;
  lists: ListConfig[];
  /** `<ignore>` and `<check_if_ignored>` field masks (FTS_* bits of state/fts.ts). */
  ignore: number;
  ckignore: number;
}
