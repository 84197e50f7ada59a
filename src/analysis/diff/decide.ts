import { createHash } from 'node:crypto';
import type { CheckDiffStore, DiffKey } from '../state/check-diff-store.js';
import type { DiffBounds } from './bounds.js';
import { parseFlapState, stepFlapping, type FlapState } from './flapping.js';
import { comparable, type Comparable } from './normalise.js';
import { buildChangeReport } from './report.js';
import type { DiffSpec } from './spec.js';
import type { ChangeReport } from './types.js';

/** What one check_diff evaluation found. `none` means "no match" (the rule falls back to its parent). */
export type DiffOutcome =
  | { kind: 'none' }
  | { kind: 'baseline'; report: ChangeReport }
  | { kind: 'change' | 'flapping'; previous: string; report: ChangeReport };

export interface DecideOptions {
  /** Outputs of this many bytes or more are not compared (check-diff-store.ts). */
  maxBytes: number;
  bounds: DiffBounds;
  warn?: (message: string) => void;
}

const NONE: DiffOutcome = { kind: 'none' };

/**
 * check_diff for one output (dodiff.c:doDiff, extended). With a plain `<check_diff />` it is
 * OSSEC's decision exactly: first sight stores silently; the same text is no match; any other text
 * is stored and reported with the previous one. The options change what "the same" means
 * (normalise.ts), hold changes back (flapping.ts) and report the first sight (baseline_level).
 * Oversize outputs and unreadable state count as no match with the state untouched; a failed
 * write is reported through `warn` and the change still counts, as in OSSEC.
 */
export function decideCheckDiff(store: CheckDiffStore, key: DiffKey, output: string, spec: DiffSpec, opts: DecideOptions): DiffOutcome {
  const where = (): string => `rule ${key.ruleId} for host '${key.host}', location ${JSON.stringify(key.location)}`;
  const warn = opts.warn ?? (() => {});
  // Byte length only matters near the limit; a UTF-16 length below a third of it is always under.
  if (output.length * 3 >= opts.maxBytes && Buffer.byteLength(output, 'utf8') >= opts.maxBytes) {
    warn(`check_diff: output of ${where()} is ${Buffer.byteLength(output)} bytes, over the ${opts.maxBytes}-byte limit; not compared`);
    return NONE;
  }
  let entry;
  try {
    entry = store.readEntry(key, (stored) => sameCommand(stored, output));
  } catch (e) {
    warn(`check_diff: cannot read the state of ${where()}: ${(e as Error).message}`);
    return NONE;
  }
  const save = (f: () => void): void => {
    try {
      f();
    } catch (e) {
      warn(`check_diff: cannot write the state of ${where()}: ${(e as Error).message}`);
    }
  };

  if (entry === undefined) {
    save(() => store.writeText(key, output));
    if (spec.baselineLevel === 0) return NONE;
    return {
      kind: 'baseline',
      report: {
        kind: 'baseline',
        added: [],
        removed: [],
        unified: '',
        truncated: false,
        summary: `baseline: first output seen; later outputs are compared with it ${spec.description}`,
      },
    };
  }
  const reference = entry.text;
  // OSSEC stored its outputs with every newline removed and its own `ossec:` prefix: an adopted
  // OSSEC state that says the same thing is taken over silently instead of alerting once.
  if (entry.adopted && legacyForm(reference) === legacyForm(output)) {
    if (reference !== output) save(() => store.writeText(key, output));
    return NONE;
  }

  // Flapping state left by an earlier version of the rule would be stale if the option came back.
  if (spec.flapping <= 1 && entry.extra !== undefined) save(() => store.writeExtra(key, undefined));

  if (spec.exact && spec.flapping <= 1) {
    if (reference === output) return NONE;
    save(() => store.writeText(key, output));
    return change(reference, comparable(reference, spec), comparable(output, spec), spec, opts);
  }

  const ref = comparable(reference, spec);
  const cur = comparable(output, spec);
  const same = ref.canonical === cur.canonical;
  if (spec.flapping <= 1) {
    // Unchanged as far as the rule is concerned; the newest text is kept, so that the
    // "Previous output" of a later alert shows what the command last printed.
    if (same) {
      if (reference !== output) save(() => store.writeText(key, output));
      return NONE;
    }
    save(() => store.writeText(key, output));
    return change(reference, ref, cur, spec, opts);
  }

  const referenceHash = hashOf(ref.canonical);
  const step = stepFlapping(parseFlapState(entry.extra), {
    window: spec.flapping,
    hash: same ? referenceHash : hashOf(cur.canonical),
    referenceHash,
    output,
  });
  if (step.newReference || (same && reference !== output)) save(() => store.writeText(key, output));
  const after = JSON.stringify(step.state satisfies FlapState);
  if (after !== entry.extra) save(() => store.writeExtra(key, after));

  const n = spec.flapping;
  switch (step.report) {
    case 'none':
      return NONE;
    case 'change': {
      const o = change(reference, ref, cur, spec, opts);
      o.report.summary += `; held until seen in ${n} runs in a row (flapping=${n})`;
      return o;
    }
    case 'reverted': {
      const transient = step.transient as string;
      const report = buildChangeReport(comparable(transient, spec), cur, spec, opts.bounds);
      report.kind = 'flapping';
      report.summary =
        `flapping: the output went back to what it was ${step.runs + 1} runs ago after ${step.changes} changes; ` +
        `repeats are not reported until it is stable for ${n} runs. ` +
        `The short-lived output against the current one: ${report.summary}`;
      return { kind: 'flapping', previous: transient, report };
    }
    case 'unsettled': {
      const report = buildChangeReport(ref, cur, spec, opts.bounds);
      report.kind = 'flapping';
      report.summary =
        `flapping: the output changed ${step.changes} times in ${step.runs} runs without settling; ` +
        `repeats are not reported until it is stable for ${n} runs. ` +
        `The last reported output against the current one: ${report.summary}`;
      return { kind: 'flapping', previous: reference, report };
    }
  }
}

function change(previous: string, ref: Comparable, cur: Comparable, spec: DiffSpec, opts: DecideOptions): DiffOutcome & { kind: 'change' } {
  return { kind: 'change', previous, report: buildChangeReport(ref, cur, spec, opts.bounds) };
}

function hashOf(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Whether a state file OSSEC wrote under (host, rule) can be this output's: not when both are
 * command outputs (`<prefix>: output: '<alias>':`) of different commands. OSSEC's file holds the
 * output of whichever command matched the rule last; the command that wrote it takes it over.
 */
function sameCommand(stored: string, output: string): boolean {
  const a = commandOf(stored);
  const b = commandOf(output);
  return a === undefined || b === undefined || a === b;
}

function commandOf(text: string): string | undefined {
  const m = /^\w+: output: '(.*?)':/s.exec(text);
  return m ? m[1] : undefined;
}

/** What OSSEC's analysisd made of an output: no newlines, and no `ossec: `/`ospatrol: ` prefix. */
function legacyForm(text: string): string {
  return text.replace(/\n/g, '').replace(/^(?:ossec|ospatrol): /, '');
}
