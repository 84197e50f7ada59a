// Sets V8's linear-time fallback for regexes before any mask is compiled (see regexp-engine.ts).
import '../matchers/regexp-engine.js';
import type { CheckDiffOptions, DiffMode, MaskConfig } from './options.js';

/** One part of a mask's replacement: literal text, or a group number (0 = the whole match). */
export type ReplacePart = string | number;

export interface Mask {
  pattern: string;
  /** Global, no other flag: `i`, `u` or `d` would take V8's linear-time fallback away (regexp-engine.ts). */
  re: RegExp;
  /** Capture groups in `re`, so the replacer can find its arguments. */
  groups: number;
  replace: readonly ReplacePart[];
}

/** A rule's check_diff options, compiled once at load. */
export interface DiffSpec {
  mode: DiffMode;
  ignoreWhitespace: boolean;
  masks: readonly Mask[];
  /** A change must last this many runs to be reported as a change; 1 = at once (OSSEC). */
  flapping: number;
  /** 0: the first output is stored silently (OSSEC). */
  baselineLevel: number;
  /** alerts.log and mail flags of the baseline alert, worked out as for a rule of that level. */
  baselineLog: boolean;
  baselineMail: boolean;
  /** True when the comparison is OSSEC's: the whole text, exactly. */
  exact: boolean;
  /** How outputs are compared, for people ("as a set of lines, ignoring whitespace, 2 masks"). */
  description: string;
}

/** What a plain `<check_diff />` means. */
export const OSSEC_DIFF_SPEC: DiffSpec = Object.freeze({
  mode: 'text',
  ignoreWhitespace: false,
  masks: [],
  flapping: 1,
  baselineLevel: 0,
  baselineLog: false,
  baselineMail: false,
  exact: true,
  description: 'as text',
});

/** The alert flags of the rule (rules.h DO_LOGALERT / DO_MAILALERT inputs), to apply to the baseline level. */
export interface AlertFlagInputs {
  logAlertLevel: number;
  emailAlertLevel: number;
  options: readonly string[];
}

/**
 * Compiles the options. `fail(line, reason)` throws the rule-file error; a mask that does not
 * compile, matches the empty string or names a group it does not have is refused at load time.
 */
export function compileDiffSpec(
  o: CheckDiffOptions | undefined,
  flags: AlertFlagInputs,
  fail: (line: number, reason: string) => never,
): DiffSpec {
  if (o === undefined) return OSSEC_DIFF_SPEC;
  const mode = o.mode ?? 'text';
  const ignoreWhitespace = o.ignoreWhitespace ?? false;
  const masks = o.masks.map((m) => compileMask(m, fail));
  const baselineLevel = o.baselineLevel ?? 0;
  // The same steps as compileRule: level thresholds first, then <options> in file order.
  let log = flags.logAlertLevel <= baselineLevel;
  let mail = flags.emailAlertLevel <= baselineLevel;
  for (const opt of flags.options) {
    if (opt === 'alert_by_email') mail = true;
    else if (opt === 'no_email_alert') mail = false;
    else if (opt === 'log_alert') log = true;
    else if (opt === 'no_log') log = false;
  }
  return {
    mode,
    ignoreWhitespace,
    masks,
    flapping: o.flapping ?? 1,
    baselineLevel,
    baselineLog: baselineLevel > 0 && log,
    baselineMail: baselineLevel > 0 && mail,
    exact: mode === 'text' && !ignoreWhitespace && masks.length === 0,
    description: describe(mode, ignoreWhitespace, masks.length),
  };
}

const MODE_TEXT: Record<DiffMode, string> = {
  text: 'as text',
  lines: 'line by line',
  set: 'as a set of lines',
  multiset: 'as a multiset of lines',
};

function describe(mode: DiffMode, ignoreWhitespace: boolean, masks: number): string {
  let s = MODE_TEXT[mode];
  if (ignoreWhitespace) s += ', ignoring whitespace';
  if (masks > 0) s += `, ${masks} mask${masks === 1 ? '' : 's'}`;
  return s;
}

function compileMask(m: MaskConfig, fail: (line: number, reason: string) => never): Mask {
  let re: RegExp;
  try {
    re = new RegExp(m.pattern, 'g');
  } catch (e) {
    return fail(m.line, `mask '${m.pattern}' does not compile: ${(e as Error).message}`);
  }
  // Adding an empty alternative makes the regex match '' so exec reports every group (all unset).
  const groups = (new RegExp(`${m.pattern}|`).exec('') as RegExpExecArray).length - 1;
  if (new RegExp(m.pattern).test('')) {
    fail(m.line, `mask '${m.pattern}' matches the empty string, so it would mark every position of every line (use + rather than *)`);
  }
  const replace = parseReplacement(m.replace);
  for (const part of replace) {
    if (typeof part === 'number' && part > groups) {
      fail(m.line, `mask replacement '${m.replace}' uses group \\${part}, but '${m.pattern}' has ${groups} group${groups === 1 ? '' : 's'}`);
    }
  }
  return { pattern: m.pattern, re, groups, replace };
}

/** `\0`-`\9` are groups, `\\` is a backslash; anything else (`$` included) is literal. */
export function parseReplacement(text: string): ReplacePart[] {
  const parts: ReplacePart[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\\' && next !== undefined && next >= '0' && next <= '9') {
      if (lit !== '') parts.push(lit);
      lit = '';
      parts.push(next.charCodeAt(0) - 48);
      i++;
    } else if (c === '\\' && next === '\\') {
      lit += '\\';
      i++;
    } else {
      lit += c;
    }
  }
  if (lit !== '') parts.push(lit);
  return parts;
}
