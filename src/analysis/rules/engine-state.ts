import { FileCheckDiffStore, MemoryCheckDiffStore, type CheckDiffStore } from '../state/check-diff-store.js';
import { WriteBehindCheckDiffStore } from '../state/check-diff-write-behind.js';
import { FtsStore, IgnoreStore } from '../state/fts.js';
import type { EngineOptions } from './evaluate.js';

/**
 * The state stores the two front ends want (ossec-analysis.md 6.4, 6.5, 7, 9.6):
 * * analysisd (`local` mode): everything under `<stateDir>/queue`: check_diff files (written
 *   behind, through a log: check-diff-write-behind.ts), FTS keys appended to fts/fts-queue,
 *   `<ignore>` lines appended to fts/ig-queue;
 * * ossec-logtest: check_diff files are read and written too when a state directory is given
 *   (`-D`), FTS and ignore files are only read, never written, and the `ignore` attribute's timer
 *   uses logtest's reset; without a state directory everything lives in memory for the run.
 */
export function engineState(opts: {
  mode: 'analysisd' | 'logtest';
  stateDir?: string;
  checkDiffMaxBytes?: number;
  ftsListSize?: number;
  ftsMinSizeForStr?: number;
}): Pick<EngineOptions, 'checkDiff' | 'checkDiffMaxBytes' | 'fts' | 'ignore' | 'logtest'> {
  const { stateDir } = opts;
  const persist = opts.mode === 'analysisd';
  let checkDiff: CheckDiffStore = new MemoryCheckDiffStore();
  if (stateDir !== undefined) {
    const files = new FileCheckDiffStore(stateDir, opts.checkDiffMaxBytes);
    checkDiff = persist ? new WriteBehindCheckDiffStore(files) : files;
  }
  return {
    logtest: opts.mode === 'logtest',
    checkDiff,
    checkDiffMaxBytes: opts.checkDiffMaxBytes,
    fts: new FtsStore({ stateDir, persist, listSize: opts.ftsListSize, minSizeForStr: opts.ftsMinSizeForStr }),
    ignore: new IgnoreStore({ stateDir, persist, writable: persist }),
  };
}
