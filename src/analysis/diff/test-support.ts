import { compileDiffSpec, type DiffSpec } from './spec.js';
import type { CheckDiffOptions } from './options.js';

/** A compiled spec from options written as in a test (masks as [pattern, replace] pairs). */
export function specWith(o: Partial<Omit<CheckDiffOptions, 'masks'>> & { masks?: Array<[string, string?]> } = {}): DiffSpec {
  return compileDiffSpec(
    {
      mode: o.mode,
      ignoreWhitespace: o.ignoreWhitespace,
      masks: (o.masks ?? []).map(([pattern, replace]) => ({ pattern, replace: replace ?? '#', line: 1 })),
      flapping: o.flapping,
      baselineLevel: o.baselineLevel,
    },
    { logAlertLevel: 1, emailAlertLevel: 7, options: [] },
    (line, reason) => {
      throw new Error(`${line}: ${reason}`);
    },
  );
}
