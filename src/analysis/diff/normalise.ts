import type { DiffSpec, Mask } from './spec.js';

/**
 * An output in the form a check_diff rule compares: its lines as printed (for the alert), the
 * same lines after masks and whitespace folding (what is compared), and one canonical string
 * whose equality is the rule's notion of "unchanged".
 */
export interface Comparable {
  /** The lines kept for comparison, as printed. */
  lines: string[];
  /** `lines` after masks and whitespace folding, index for index. */
  keys: string[];
  /** Equal for two outputs exactly when the rule sees no change. */
  canonical: string;
}

/**
 * Per line, in this order: masks (each replaces its matches, in the order written), then, with
 * ignore_whitespace, runs of spaces and tabs become one space and the ends are trimmed.
 * Lines whose key is blank are dropped in every mode but `text` without ignore_whitespace (where a
 * blank line is part of the text, as in OSSEC). The canonical form is:
 * - text: the keys joined with newlines (the output itself when nothing is masked or folded);
 * - lines: the same, blank lines left out;
 * - set: the distinct keys, sorted; multiset: all keys, sorted.
 */
export function comparable(output: string, spec: DiffSpec): Comparable {
  const raw = output.split('\n');
  if (spec.exact) return { lines: raw, keys: raw, canonical: output };
  const keepBlank = spec.mode === 'text' && !spec.ignoreWhitespace;
  const lines: string[] = [];
  const keys: string[] = [];
  for (const line of raw) {
    let key = line;
    for (const m of spec.masks) key = applyMask(key, m);
    if (spec.ignoreWhitespace) key = foldWhitespace(key);
    if (!keepBlank && key.trim() === '') continue;
    lines.push(line);
    keys.push(key);
  }
  let canonical: string;
  switch (spec.mode) {
    case 'set':
      canonical = [...new Set(keys)].sort().join('\n');
      break;
    case 'multiset':
      canonical = [...keys].sort().join('\n');
      break;
    default:
      canonical = keys.join('\n');
  }
  return { lines, keys, canonical };
}

export function applyMask(line: string, m: Mask): string {
  return line.replace(m.re, (...args: unknown[]) => {
    let out = '';
    for (const part of m.replace) {
      if (typeof part === 'string') out += part;
      else out += (args[part] as string | undefined) ?? '';
    }
    return out;
  });
}

// Tabs are already gone (pre-decoding deletes control characters); other Unicode spaces count too.
const BLANKS = /\s+/g;

export function foldWhitespace(line: string): string {
  return line.replace(BLANKS, ' ').trim();
}
