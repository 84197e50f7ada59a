/**
 * Retry delays for a failing output: doubling from `initialMs` up to `maxMs`, with +-20 % jitter so
 * outputs that failed together do not retry in lockstep. `random` is injected for exact tests.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000 };

export function backoffDelay(failures: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const base = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  const jitter = 0.8 + 0.4 * (opts.random ?? Math.random)();
  return Math.round(base * jitter);
}
