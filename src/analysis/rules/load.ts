import { applyVariables, parseXml, type XmlElement } from '../../config/xml.js';
import { readRuleElement, ruleError, type ElementState } from './load-elements.js';
import type { RuleConfig } from './types.js';

/**
 * Rule files → RuleConfig (ossec-analysis.md 5.1-5.3; rules.c:Rules_OP_ReadRules). Only the file's
 * own content is checked here; linking rules to each other happens in tree.ts.
 */
export interface ParseOptions {
  /** Decoder id by name, for `<decoded_as>`; undefined means "no such decoder" (a load error). */
  decoderIdOf: (name: string) => number | undefined;
  /** analysisd.default_timeframe (internal option, default 360). */
  defaultTimeframe?: number;
}

/** Parses one rule file's text. Throws OspatrolError (RULE_INVALID, or CONFIG_XML for bad XML). */
export function parseRuleFile(text: string, file: string, opts: ParseOptions): RuleConfig[] {
  const roots = applyVariables(parseXml(text, file), file);
  const out: RuleConfig[] = [];
  // OSSEC checks every root element before reading any rule.
  for (const g of roots) {
    if (g.name.toLowerCase() !== 'group') {
      throw ruleError(file, g.line, g.name, `invalid root element: only <group> (and <var>) may appear at the top of a rule file`);
    }
    if (g.attributes.length !== 1 || g.attributes[0][0].toLowerCase() !== 'name') {
      throw ruleError(file, g.line, 'group', 'a group takes exactly one attribute, name');
    }
  }
  for (const g of roots) {
    if (g.children.length === 0) throw ruleError(file, g.line, 'group', `group '${g.attributes[0][1]}' has no rule`);
    for (const r of g.children) {
      if (r.name.toLowerCase() !== 'rule') {
        throw ruleError(file, r.line, r.name, `only <rule> may appear inside <group>`);
      }
      out.push(readRule(r, g.attributes[0][1], file, opts));
    }
  }
  return out;
}

function readRule(el: XmlElement, groupName: string, file: string, opts: ParseOptions): RuleConfig {
  const rule = readAttributes(el, file, opts.defaultTimeframe ?? 360);
  rule.groupText = groupName;
  if (el.children.length === 0) {
    throw ruleError(file, el.line, 'rule', `rule ${rule.id} has no option; it would match too much (OSSEC refuses it)`);
  }
  const st: ElementState = { infoCount: 0 };
  for (const child of el.children) readRuleElement(rule, child, st, file, opts.decoderIdOf);

  const pos = { file, line: el.line };
  // rules.c: "Invalid use of frequency/context options. Missing if_matched".
  if ((rule.contextOpts !== 0 || rule.frequency !== 0) && !rule.context) {
    throw ruleError(pos.file, pos.line, 'rule', `rule ${rule.id}: frequency and same_ and different_ options need a context element (if_matched_sid, if_matched_group, if_matched_regex)`);
  }
  const ifMatchedGroup = rule.patterns.if_matched_group;
  if (ifMatchedGroup !== undefined && rule.ifSid === undefined && rule.ifGroup === undefined) {
    rule.ifGroup = ifMatchedGroup.text;
  }
  if (rule.ifMatchedSid !== 0 && rule.ifSid === undefined && rule.ifGroup === undefined) {
    rule.ifSid = String(rule.ifMatchedSid);
  }
  return rule;
}

/** The C `%Nd` read after OS_StrIsNum: at most N leading digits; "" leaves the default. */
function numAttr(value: string, width: number, what: string, file: string, line: number): number | undefined {
  if (!/^\d*$/.test(value)) throw ruleError(file, line, 'rule', `invalid ${what} '${value}': must be a number`);
  if (value === '') return undefined;
  return parseInt(value.slice(0, width), 10);
}

function readAttributes(el: XmlElement, file: string, defaultTimeframe: number): RuleConfig {
  let id = -1;
  let level = -1;
  const r: RuleConfig = {
    file, line: el.line, id: -1, level: -1, maxsize: 0, frequency: 0, timeframe: defaultTimeframe, ignoreTime: 0,
    noalert: false, accuracy: 1, overwrite: false, groupText: '', description: undefined, category: undefined,
    decodedAs: undefined, patterns: {}, action: undefined, fields: [], srcip: [], dstip: [], time: undefined,
    weekdays: undefined, compiledRule: undefined, ifSid: undefined, ifGroup: undefined, ifLevel: undefined,
    ifMatchedSid: 0, context: false, contextOpts: 0, checkDiff: undefined, fts: false, options: [], info: [], infoText: undefined,
    cve: undefined, lists: [], ignore: 0, ckignore: 0,
  };
  if (el.attributes.length === 0) throw ruleError(file, el.line, 'rule', 'a rule needs at least an id and a level');
  for (const [name, value] of el.attributes) {
    const set = (width: number, apply: (n: number) => void): void => {
      const n = numAttr(value, width, name, file, el.line);
      if (n !== undefined) apply(n);
    };
    switch (name.toLowerCase()) {
      case 'id': set(6, (n) => (id = n)); break;
      case 'level': set(4, (n) => (level = n)); break;
      case 'maxsize': set(4, (n) => (r.maxsize = n)); break;
      case 'timeframe': set(5, (n) => (r.timeframe = n)); break;
      case 'frequency': set(4, (n) => (r.frequency = n)); break;
      case 'accuracy': set(4, (n) => (r.accuracy = n)); break;
      case 'ignore': set(6, (n) => (r.ignoreTime = n)); break;
      // Any value counts, even "0" (getattributes only looks at the name).
      case 'noalert': r.noalert = true; break;
      case 'overwrite':
        if (value === 'yes') r.overwrite = true;
        else if (value === 'no') r.overwrite = false;
        else throw ruleError(file, el.line, 'rule', `invalid overwrite '${value}': must be yes or no`);
        break;
      default:
        throw ruleError(file, el.line, 'rule', `invalid attribute '${name}': only id, level, maxsize, timeframe, frequency, accuracy, noalert, ignore and overwrite are allowed`);
    }
  }
  if (id === -1 || level === -1) {
    throw ruleError(file, el.line, 'rule', `rule${id === -1 ? '' : ` ${id}`}: no rule id or level given`);
  }
  r.id = id;
  r.level = level;
  return r;
}
