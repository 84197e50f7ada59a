import { attribute, type XmlElement } from '../../config/xml.js';
import { ErrorCodes, OspatrolError } from '../../errors.js';
import { readCheckDiffElement } from '../diff/options.js';
import { FTS_DATA, FTS_DSTIP, FTS_DSTUSER, FTS_ID, FTS_LOCATION, FTS_NAME, FTS_SRCIP } from '../state/fts.js';
import { parseIpEntry } from './ip-list.js';
import { parseTimeRange, parseWeekdays } from './time-window.js';
import {
  CATEGORIES, COMPILED_RULE_NAMES, DIFFERENT_SRCGEOIP, DIFFERENT_SRCIP, DIFFERENT_URL, OSMATCH_ELEMENTS,
  OSREGEX_ELEMENTS, PCRE2_ELEMENTS, SAME_DODIFF, SAME_DSTPORT, SAME_ID, SAME_LOCATION, SAME_SRCIP, SAME_SRCPORT,
  SAME_USER, type Category, type CompiledRuleName, type InfoType, type ListField, type ListLookup,
  type PatternElement, type RuleConfig,
} from './types.js';

export function ruleError(file: string, line: number, element: string | undefined, reason: string): OspatrolError {
  return new OspatrolError(ErrorCodes.RULE_INVALID, reason, { file, line, element });
}

/** Per-rule parsing state that is not part of the result. */
export interface ElementState {
  /** OSSEC's running count for the info-detail cap (see addInfo). */
  infoCount: number;
}

const PATTERN_ELEMENTS = new Set<string>([...OSMATCH_ELEMENTS, ...OSREGEX_ELEMENTS, ...PCRE2_ELEMENTS]);

/** rules.c compares these element names with strcmp, all the others with strcasecmp. */
const CASE_SENSITIVE = new Set(['same_id', 'different_url', 'different_srcip', 'different_srcgeoip', 'not_same_id']);

const SAME_FLAGS: Record<string, number> = {
  same_source_ip: SAME_SRCIP,
  same_src_port: SAME_SRCPORT,
  same_dst_port: SAME_DSTPORT,
  same_user: SAME_USER,
  same_location: SAME_LOCATION,
  same_id: SAME_ID,
  different_url: DIFFERENT_URL,
  // Parsed but never checked by any search (ossec-analysis.md 5.3).
  different_srcip: DIFFERENT_SRCIP,
  different_srcgeoip: DIFFERENT_SRCGEOIP,
};

/** not_same_* only clear the matching "same" bit (NOT_SAME_* = 0xfff minus the bit). */
const NOT_SAME_FLAGS: Record<string, number> = {
  not_same_source_ip: SAME_SRCIP,
  not_same_user: SAME_USER,
  not_same_id: SAME_ID,
  not_same_agent: SAME_LOCATION,
};

const OPTIONS = new Set(['alert_by_email', 'no_email_alert', 'log_alert', 'no_log', 'no_ar']);

const LIST_FIELDS = new Set<ListField>(['srcip', 'srcport', 'dstip', 'dstport', 'user', 'url', 'id', 'hostname', 'program_name', 'status', 'action']);
const LIST_LOOKUPS = new Set<ListLookup>(['match_key', 'not_match_key', 'match_key_value', 'address_match_key', 'not_address_match_key', 'address_match_key_value']);

/** Pieces of one element are joined with no separator; each must stay under 2048 bytes (loadmemory). */
function join(prev: string | undefined, piece: string, where: () => never): string {
  const size = (s: string): number => (s.length * 3 < 2048 ? s.length : Buffer.byteLength(s));
  if (prev === undefined) {
    if (size(piece) >= 2048) where();
    return piece;
  }
  if (size(prev) > 2048 || size(piece) > 2048) where();
  return prev + piece;
}

export function readRuleElement(
  rule: RuleConfig,
  el: XmlElement,
  st: ElementState,
  file: string,
  decoderIdOf: (name: string) => number | undefined,
): void {
  const lower = el.name.toLowerCase();
  const fail = (reason: string): never => {
    throw ruleError(file, el.line, el.name, `rule ${rule.id}: ${reason}`);
  };
  if (CASE_SENSITIVE.has(lower) && el.name !== lower) fail(`unknown element <${el.name}> (OSSEC spells it <${lower}>)`);
  if (lower === 'check_diff') {
    // Options (attributes, <mask> children) are OSPatrol's; OSSEC reads the element name only.
    rule.context = true;
    rule.contextOpts |= SAME_DODIFF;
    rule.checkDiff = readCheckDiffElement(el, rule.checkDiff, fail);
    return;
  }
  if (el.children.length > 0) fail(`<${el.name}> cannot contain elements`);
  const text = el.text;
  const tooLong = (): never => fail('content too long (each piece, and the joined text, must stay under 2048 bytes)');

  if (PATTERN_ELEMENTS.has(lower)) {
    const key = lower as PatternElement;
    const prev = rule.patterns[key];
    rule.patterns[key] = { text: join(prev?.text, text, tooLong), line: prev?.line ?? el.line };
    if (key === 'if_matched_regex' || key === 'if_matched_group') rule.context = true;
    return;
  }
  if (lower in SAME_FLAGS) {
    rule.contextOpts |= SAME_FLAGS[lower];
    return;
  }
  if (lower in NOT_SAME_FLAGS) {
    rule.contextOpts &= ~NOT_SAME_FLAGS[lower];
    return;
  }
  switch (lower) {
    case 'description': {
      // Only the first newline of each piece becomes a space (rules.c).
      rule.description = join(rule.description, text.replace('\n', ' '), tooLong);
      return;
    }
    case 'group':
      rule.groupText = join(rule.groupText, text, tooLong);
      return;
    case 'action':
      rule.action = join(rule.action, text, tooLong);
      return;
    case 'decoded_as': {
      const id = decoderIdOf(text);
      if (id === undefined || id === 0) fail(`unknown decoder '${text}'`);
      rule.decodedAs = { name: text, id: id as number };
      return;
    }
    case 'category': {
      // Compared case-sensitively. `ospatrol` is OSPatrol 2.7's name for the same category as
      // `ossec` (its rules_config.xml and ospatrol_rules.xml use it); OSSEC 4.3.0 refuses it, we accept it.
      const c = text === 'ospatrol' ? 'ossec' : text;
      if (!CATEGORIES.includes(c as Category)) fail(`invalid category '${text}' (one of ${CATEGORIES.join(', ')})`);
      rule.category = c as Category;
      return;
    }
    case 'info':
    case 'cve': {
      let type: InfoType = 'cve';
      if (lower === 'info') {
        type = 'text';
        if (el.attributes.length > 0) {
          // OSSEC loops forever on anything else (get_info_attributes never advances); we refuse it.
          const [k, v] = el.attributes[0];
          if (k.toLowerCase() !== 'type' || !['text', 'link', 'cve', 'osvdb'].includes(v)) {
            fail(`<info> takes only type="text|link|cve|osvdb"`);
          }
          type = v as InfoType;
        }
        rule.infoText = join(rule.infoText, text, tooLong);
      } else {
        rule.cve = join(rule.cve, text, tooLong);
      }
      addInfo(rule, st, type, text);
      return;
    }
    case 'time': {
      const t = parseTimeRange(text);
      if (!t) fail(`invalid time '${text}' (H[:MM][ am|pm] - H[:MM][ am|pm], optional leading !)`);
      rule.time = t;
      return;
    }
    case 'weekday': {
      const d = parseWeekdays(text);
      if (!d) fail(`invalid weekday '${text}' (day names, weekdays or weekends; a leading ! is not accepted by OSSEC)`);
      rule.weekdays = d;
      return;
    }
    case 'srcip':
    case 'dstip': {
      const e = parseIpEntry(text);
      if (!e) fail(`invalid ip address '${text}'`);
      (lower === 'srcip' ? rule.srcip : rule.dstip).push(e as NonNullable<typeof e>);
      return;
    }
    case 'field': {
      const name = attribute(el, 'name');
      if (name === undefined || name === '') fail('<field> needs a name attribute');
      rule.fields.push({ name: name as string, pattern: text, line: el.line });
      return;
    }
    case 'list':
      readList(rule, el, fail);
      return;
    case 'compiled_rule':
      if (!(COMPILED_RULE_NAMES as readonly string[]).includes(text)) fail(`compiled rule not found: '${text}'`);
      rule.compiledRule = text as CompiledRuleName;
      return;
    case 'if_sid':
      rule.ifSid = join(rule.ifSid, text, tooLong);
      return;
    case 'if_group':
      rule.ifGroup = join(rule.ifGroup, text, tooLong);
      return;
    case 'if_level':
      if (!/^\d*$/.test(text)) fail(`invalid if_level '${text}': must be a number`);
      rule.ifLevel = join(rule.ifLevel, text, tooLong);
      return;
    case 'if_matched_sid':
      if (!/^\d*$/.test(text)) fail(`invalid if_matched_sid '${text}': must be a rule id`);
      rule.context = true;
      rule.ifMatchedSid = text === '' ? 0 : parseInt(text, 10);
      return;
    case 'if_fts':
      rule.fts = true;
      return;
    case 'options':
      // One keyword per element, compared exactly (no no_full_log in 4.3.0).
      if (!OPTIONS.has(text)) fail(`invalid option '${text}' (alert_by_email, no_email_alert, log_alert, no_log or no_ar)`);
      rule.options.push(text as RuleConfig['options'][number]);
      return;
    case 'ignore':
    case 'check_if_ignored': {
      const mask = ignoreMask(text);
      if (mask === 0) fail(`wrong ${lower} option '${text}' (user, srcip, dstip, id, location, data, name)`);
      if (lower === 'ignore') rule.ignore |= mask;
      else rule.ckignore |= mask;
      return;
    }
    default:
      fail(`unknown element <${el.name}>`);
  }
}

/**
 * OSSEC keeps info details behind a counter that grows by the list length minus one on every
 * `<info>`/`<cve>` after the first and stops adding once it passes 32, so at most 9 details survive
 * (measured with ossec-logtest 4.3.0: the 10th and later are dropped silently).
 */
function addInfo(rule: RuleConfig, st: ElementState, type: InfoType, value: string): void {
  if (rule.info.length > 0) {
    st.infoCount += rule.info.length - 1;
    if (st.infoCount > 32) return;
  }
  rule.info.push({ type, value });
}

/** `<ignore>`/`<check_if_ignored>`: a substring scan (rules.c), so "system_name" also selects name. */
function ignoreMask(text: string): number {
  let m = 0;
  if (text.includes('user')) m |= FTS_DSTUSER;
  if (text.includes('srcip')) m |= FTS_SRCIP;
  if (text.includes('dstip')) m |= FTS_DSTIP;
  if (text.includes('id')) m |= FTS_ID;
  if (text.includes('location')) m |= FTS_LOCATION;
  if (text.includes('data')) m |= FTS_DATA;
  if (text.includes('name')) m |= FTS_NAME;
  return m;
}

function readList(rule: RuleConfig, el: XmlElement, fail: (reason: string) => never): void {
  if (el.attributes.length === 0) fail('<list> needs a field attribute');
  let field: ListField | undefined;
  let lookup: ListLookup = 'match_key';
  let checkValue: string | undefined;
  for (const [k, v] of el.attributes) {
    switch (k.toLowerCase()) {
      case 'lookup':
        if (!LIST_LOOKUPS.has(v.toLowerCase() as ListLookup)) fail(`list lookup="${v}" is not valid`);
        lookup = v.toLowerCase() as ListLookup;
        break;
      case 'field':
        if (!LIST_FIELDS.has(v.toLowerCase() as ListField)) fail(`list field="${v}" is not valid`);
        field = v.toLowerCase() as ListField;
        break;
      case 'check_value':
        checkValue = v;
        break;
      default:
        fail(`list attribute '${k}' is not valid (field, lookup, check_value)`);
    }
  }
  if (field === undefined) fail('<list> needs a field attribute');
  rule.lists.push({ field: field as ListField, lookup, checkValue, name: el.text, line: el.line });
}
