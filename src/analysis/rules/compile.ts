import { PatternError } from '../../errors.js';
import type { Matcher } from '../matchers/matcher.js';
import type { ListStore } from '../state/lists.js';
import { compileDiffSpec } from '../diff/spec.js';
import { COMPILED_RULES } from './compiled-rules.js';
import { ruleError } from './load-elements.js';
import { compileOsMatch, compileOsRegex, compilePcre2 } from './patterns.js';
import { Rule, type ListFilter } from './rule.js';
import {
  DO_FTS, DO_LOGALERT, DO_MAILALERT, DO_OVERWRITE, NO_ALERT, NO_AR, SAME_DODIFF,
  OSMATCH_ELEMENTS, OSREGEX_ELEMENTS, type PatternElement, type RuleConfig,
} from './types.js';

export interface CompileOptions {
  /** <alerts><log_alert_level>: rules at or above it get DO_LOGALERT (default 1). */
  logAlertLevel: number;
  /** <alerts><email_alert_level>: rules at or above it get the mail flag (default 7). */
  emailAlertLevel: number;
  lists?: ListStore;
  warn: (message: string) => void;
}

const OSMATCH = new Set<string>(OSMATCH_ELEMENTS);
const OSREGEX = new Set<string>(OSREGEX_ELEMENTS);

/** RuleConfig → Rule: every pattern compiled now, never on the hot path. */
export function compileRule(cfg: RuleConfig, opts: CompileOptions): Rule {
  // 5.5 step 2: level 0 sorts as 99, and (unless accuracy="0") every level is scaled by 100.
  let scaled = cfg.level === 0 ? 99 : cfg.level;
  if (cfg.accuracy !== 0) scaled *= 100;
  const r = new Rule(cfg.id, scaled, cfg.file, cfg.line);
  r.maxsize = cfg.maxsize;
  r.frequency = cfg.frequency;
  r.timeframe = cfg.timeframe;
  r.ignoreTime = cfg.ignoreTime;

  // 5.5 step 1 (zerorulemember): flags from the raw level, then <options> in file order.
  let opts0 = 0;
  if (cfg.noalert) opts0 |= NO_ALERT;
  if (opts.emailAlertLevel <= cfg.level) opts0 |= DO_MAILALERT;
  if (opts.logAlertLevel <= cfg.level) opts0 |= DO_LOGALERT;
  if (cfg.overwrite) opts0 |= DO_OVERWRITE;
  if (cfg.fts) opts0 |= DO_FTS;
  for (const o of cfg.options) {
    if (o === 'alert_by_email') opts0 |= DO_MAILALERT;
    else if (o === 'no_email_alert') opts0 &= ~DO_MAILALERT;
    else if (o === 'log_alert') opts0 |= DO_LOGALERT;
    else if (o === 'no_log') opts0 &= ~DO_LOGALERT;
    else opts0 |= NO_AR;
  }
  r.alertOpts = opts0;
  r.context = cfg.context;
  r.contextOpts = cfg.contextOpts;
  r.category = cfg.category ?? 'syslog';
  r.groupText = cfg.groupText;
  r.description = cfg.description;
  r.info = cfg.info;
  r.infoText = cfg.infoText;
  r.cve = cfg.cve;
  r.decodedAs = cfg.decodedAs?.id ?? 0;
  r.action = cfg.action ?? null;

  const pat = (el: PatternElement): Matcher | null => {
    const p = cfg.patterns[el];
    if (!p) return null;
    const engine = OSMATCH.has(el) ? compileOsMatch : OSREGEX.has(el) ? compileOsRegex : compilePcre2;
    return compileOrFail(engine, p.text, cfg, el, p.line);
  };
  r.match = pat('match');
  r.regex = pat('regex');
  r.programName = pat('program_name');
  r.idMatch = pat('id');
  r.url = pat('url');
  r.srcport = pat('srcport');
  r.dstport = pat('dstport');
  r.user = pat('user');
  r.status = pat('status');
  r.hostname = pat('hostname');
  r.extraData = pat('extra_data');
  r.matchPcre2 = pat('match_pcre2');
  r.pcre2 = pat('pcre2');
  r.programNamePcre2 = pat('program_name_pcre2');
  r.idPcre2 = pat('id_pcre2');
  r.urlPcre2 = pat('url_pcre2');
  r.srcportPcre2 = pat('srcport_pcre2');
  r.dstportPcre2 = pat('dstport_pcre2');
  r.userPcre2 = pat('user_pcre2');
  r.statusPcre2 = pat('status_pcre2');
  r.hostnamePcre2 = pat('hostname_pcre2');
  r.extraDataPcre2 = pat('extra_data_pcre2');
  // Compiled for their errors only: OSPatrol has no GeoIP database, so the event never carries
  // srcgeoip/dstgeoip and such rules fail, as in an OSSEC build without GeoIP (measured).
  r.srcGeo = pat('srcgeoip') !== null || pat('srcgeoip_pcre2') !== null;
  r.dstGeo = pat('dstgeoip') !== null || pat('dstgeoip_pcre2') !== null;
  r.ifMatchedRegex = pat('if_matched_regex');
  r.ifMatchedGroup = pat('if_matched_group');
  r.ifMatchedSid = cfg.ifMatchedSid;

  r.fields = cfg.fields.map((f) => ({
    name: f.name.toLowerCase(),
    matcher: compileOrFail(compileOsRegex, f.pattern, cfg, 'field', f.line),
  }));
  r.srcip = cfg.srcip.length > 0 ? cfg.srcip : null;
  r.dstip = cfg.dstip.length > 0 ? cfg.dstip : null;
  r.time = cfg.time ?? null;
  r.weekdays = cfg.weekdays ?? null;
  r.compiledRule = cfg.compiledRule ? COMPILED_RULES[cfg.compiledRule] : null;
  r.lists = cfg.lists.map((l): ListFilter => {
    const needsValue = l.lookup === 'match_key_value' || l.lookup === 'address_match_key_value';
    if (needsValue && l.checkValue === undefined) {
      // OSSEC would run a NULL pattern and crash on the first lookup.
      throw ruleError(cfg.file, l.line, 'list', `rule ${cfg.id}: lookup="${l.lookup}" needs a check_value attribute`);
    }
    const list = opts.lists?.find(l.name);
    if (!list) {
      opts.warn(`${cfg.file}:${l.line}: rule ${cfg.id}: list '${l.name}' is not configured; this <list> condition never matches`);
    }
    const matcher = l.checkValue === undefined ? null : compileOrFail(compileOsMatch, l.checkValue, cfg, 'list', l.line);
    return { field: l.field, lookup: l.lookup, matcher, list, name: l.name };
  });
  r.ignore = cfg.ignore;
  r.ckignore = cfg.ckignore;
  if ((cfg.contextOpts & SAME_DODIFF) !== 0) {
    r.diffSpec = compileDiffSpec(
      cfg.checkDiff,
      { logAlertLevel: opts.logAlertLevel, emailAlertLevel: opts.emailAlertLevel, options: cfg.options },
      (line, reason) => {
        throw ruleError(cfg.file, line, 'check_diff', `rule ${cfg.id}: ${reason}`);
      },
    );
  }
  return r;
}

function compileOrFail(
  engine: (p: string) => Matcher,
  text: string,
  cfg: RuleConfig,
  element: string,
  line: number,
): Matcher {
  try {
    return engine(text);
  } catch (e) {
    if (e instanceof PatternError) {
      throw ruleError(cfg.file, line, element, `rule ${cfg.id}: pattern '${text}' does not compile: ${e.message}`);
    }
    throw e;
  }
}
