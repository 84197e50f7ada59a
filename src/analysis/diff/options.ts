import type { XmlElement } from '../../config/xml.js';

/**
 * The options of `<check_diff>` as written in a rule file (before compiling). A plain
 * `<check_diff />` has none and keeps OSSEC's meaning exactly: the whole text compared with the
 * previous one, case and whitespace included, the first output stored silently.
 *
 *   <check_diff mode="set" ignore_whitespace="yes" mask="pid=\d+" flapping="3" baseline_level="3">
 *     <mask replace="\1">^(tcp6?|udp6?)\s+\d+\s+\d+</mask>
 *   </check_diff>
 *
 * OSSEC reads the element name only, so a rule file using these options still loads in OSSEC,
 * which then compares as plain text.
 */
export type DiffMode = 'text' | 'lines' | 'set' | 'multiset';
export const DIFF_MODES: readonly DiffMode[] = ['text', 'lines', 'set', 'multiset'];

export interface MaskConfig {
  /** A JavaScript regular expression, applied to each line with the `g` flag. */
  pattern: string;
  /** What each match becomes: `\1`..`\9` insert a group, `\0` the whole match, `\\` a backslash. */
  replace: string;
  line: number;
}

export interface CheckDiffOptions {
  mode: DiffMode | undefined;
  ignoreWhitespace: boolean | undefined;
  masks: MaskConfig[];
  /** Runs a change must last before it is reported as a change; 1 (or absent) reports at once. */
  flapping: number | undefined;
  /** Level of the alert on first sight; 0 (or absent) stores the first output silently, as OSSEC. */
  baselineLevel: number | undefined;
}

/** The replacement of a mask given as an attribute (`mask="..."`), and of a `<mask>` without `replace`. */
export const DEFAULT_MASK_REPLACEMENT = '#';
export const MAX_FLAPPING_RUNS = 1000;
export const MAX_BASELINE_LEVEL = 16;

/**
 * Reads one `<check_diff>` element into the options gathered so far (a rule may repeat the
 * element: later attributes replace earlier ones, masks add up). Returns `prev` for a plain
 * `<check_diff />`. `fail` throws the rule-file error (file:line).
 */
export function readCheckDiffElement(
  el: XmlElement,
  prev: CheckDiffOptions | undefined,
  fail: (reason: string) => never,
): CheckDiffOptions | undefined {
  if (el.attributes.length === 0 && el.children.length === 0) return prev;
  const o: CheckDiffOptions = prev
    ? { ...prev, masks: [...prev.masks] }
    : { mode: undefined, ignoreWhitespace: undefined, masks: [], flapping: undefined, baselineLevel: undefined };
  for (const [rawName, value] of el.attributes) {
    const name = rawName.toLowerCase();
    switch (name) {
      case 'mode': {
        const m = value.trim().toLowerCase();
        if (!(DIFF_MODES as readonly string[]).includes(m)) fail(`<check_diff mode="${value}">: mode must be one of ${DIFF_MODES.join(', ')}`);
        o.mode = m as DiffMode;
        break;
      }
      case 'ignore_whitespace':
        o.ignoreWhitespace = yesNo(value, name, fail);
        break;
      case 'mask':
        o.masks.push({ pattern: nonEmpty(value, 'mask', fail), replace: DEFAULT_MASK_REPLACEMENT, line: el.line });
        break;
      case 'flapping':
        o.flapping = integer(value, name, 1, MAX_FLAPPING_RUNS, fail);
        break;
      case 'baseline_level':
        o.baselineLevel = integer(value, name, 0, MAX_BASELINE_LEVEL, fail);
        break;
      default:
        fail(`<check_diff> has no attribute '${rawName}' (mode, ignore_whitespace, mask, flapping, baseline_level)`);
    }
  }
  for (const child of el.children) {
    if (child.name.toLowerCase() !== 'mask') fail(`<check_diff> may only contain <mask> elements, not <${child.name}>`);
    if (child.children.length > 0) fail('<mask> cannot contain elements');
    let replace = DEFAULT_MASK_REPLACEMENT;
    for (const [k, v] of child.attributes) {
      if (k.toLowerCase() !== 'replace') fail(`<mask> has no attribute '${k}' (only replace)`);
      replace = v;
    }
    o.masks.push({ pattern: nonEmpty(child.text, '<mask>', fail), replace, line: child.line });
  }
  return o;
}

function yesNo(value: string, name: string, fail: (reason: string) => never): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'yes') return true;
  if (v === 'no') return false;
  return fail(`<check_diff ${name}="${value}">: must be yes or no`);
}

function integer(value: string, name: string, min: number, max: number, fail: (reason: string) => never): number {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    fail(`<check_diff ${name}="${value}">: must be a whole number from ${min} to ${max}`);
  }
  return Number(v);
}

function nonEmpty(value: string, what: string, fail: (reason: string) => never): string {
  if (value === '') fail(`${what}: the pattern is empty`);
  return value;
}
