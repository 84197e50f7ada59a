/**
 * Flapping suppression for a check_diff rule with `flapping="N"` (N >= 2). Outputs are known here
 * by a hash of their compared form; the caller keeps the texts.
 *
 * - A change is held: it is reported as a change only once the new output has been seen in N
 *   consecutive runs (so a real change is reported N-1 runs later than without the option).
 * - If the output goes back to the reference (the last reported output) while held, the change
 *   was short-lived: one `reverted` summary is reported, and a flapping episode starts.
 * - If the output is still changing when the hold ends (N runs), one `unsettled` summary is
 *   reported, the latest output becomes the reference, and an episode starts.
 * - During an episode, a summary whose outputs were all summarised before in it is suppressed. The
 *   episode ends once the output has stayed the same for N runs. A change that lasts N runs is
 *   always reported, episode or not: the suppression only ever drops repeats.
 */
export interface FlapState {
  /** Hash of the previous run's output. */
  prev: string | undefined;
  /** The change being held, and the outputs seen while held (hashes). */
  hold: { runs: number; changes: number; pending: string; pendingHash: string; seen: string[] } | undefined;
  /** Outputs already summarised in this episode, and the runs the output has been stable for. */
  episode: { reported: string[]; stable: number } | undefined;
}

export type FlapReport = 'none' | 'change' | 'reverted' | 'unsettled';

export interface FlapStep {
  report: FlapReport;
  /** Runs the output was away from the reference, and the changes in them (summaries). */
  runs: number;
  changes: number;
  /** For `reverted`: the short-lived output (the previous run's). */
  transient: string | undefined;
  /** The output becomes the new reference (`change`, `unsettled`, or a suppressed unsettled one). */
  newReference: boolean;
  state: FlapState;
}

/** How many summarised outputs one episode remembers. */
const MAX_REPORTED = 64;

export function stepFlapping(
  previous: FlapState | undefined,
  input: { window: number; hash: string; referenceHash: string; output: string },
): FlapStep {
  const n = input.window;
  const { hash } = input;
  const st: FlapState = previous
    ? {
        prev: previous.prev,
        hold: previous.hold && { ...previous.hold, seen: [...previous.hold.seen] },
        episode: previous.episode && { reported: [...previous.episode.reported], stable: previous.episode.stable },
      }
    : { prev: input.referenceHash, hold: undefined, episode: undefined };
  const changed = st.prev !== undefined && st.prev !== hash;
  st.prev = hash;
  const step: FlapStep = { report: 'none', runs: 0, changes: 0, transient: undefined, newReference: false, state: st };

  if (st.episode) {
    st.episode.stable = changed ? 1 : st.episode.stable + 1;
    if (st.episode.stable >= n) st.episode = undefined;
  }

  /** Starts or extends the episode; false when every output of this summary was summarised in it. */
  const summarise = (keys: readonly string[]): boolean => {
    const before = st.episode?.reported ?? [];
    const fresh = keys.filter((k) => !before.includes(k));
    st.episode = { reported: [...before, ...fresh].slice(-MAX_REPORTED), stable: 1 };
    return fresh.length > 0;
  };

  if (hash === input.referenceHash) {
    const h = st.hold;
    if (!h) return step;
    st.hold = undefined;
    step.runs = h.runs;
    step.changes = h.changes + 1;
    if (summarise(h.seen)) {
      step.report = 'reverted';
      step.transient = h.pending;
    }
    return step;
  }

  if (!st.hold) st.hold = { runs: 1, changes: 1, pending: input.output, pendingHash: hash, seen: [hash] };
  else {
    st.hold.runs++;
    if (changed) st.hold.changes++;
    st.hold.pending = input.output;
    st.hold.pendingHash = hash;
    if (!st.hold.seen.includes(hash)) st.hold.seen.push(hash);
  }
  const h = st.hold;
  if (h.runs < n) return step;
  st.hold = undefined;
  step.runs = h.runs;
  step.changes = h.changes;
  step.newReference = true;
  if (h.changes === 1) {
    step.report = 'change';
    st.episode = undefined;
  } else if (summarise(h.seen)) {
    step.report = 'unsettled';
  }
  return step;
}

/** Reads a stored state; anything unexpected counts as no state (the hold starts again). */
export function parseFlapState(text: string | undefined): FlapState | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as FlapState;
    if (typeof v !== 'object' || v === null) return undefined;
    const hold = v.hold;
    const okHold =
      hold === undefined ||
      (typeof hold === 'object' && hold !== null && Number.isInteger(hold.runs) && Number.isInteger(hold.changes) &&
        typeof hold.pending === 'string' && typeof hold.pendingHash === 'string' && Array.isArray(hold.seen));
    const ep = v.episode;
    const okEpisode =
      ep === undefined || (typeof ep === 'object' && ep !== null && Array.isArray(ep.reported) && Number.isInteger(ep.stable));
    if (!okHold || !okEpisode || (v.prev !== undefined && typeof v.prev !== 'string')) return undefined;
    return { prev: v.prev, hold, episode: ep };
  } catch {
    return undefined;
  }
}
