import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Timers } from '../source.js';
import { GridSchedule } from './grid-schedule.js';

/** Virtual time: timers fire only when the test advances the clock. */
function virtualTime(): { now: () => number; timers: Timers; advance: (ms: number) => Promise<void> } {
  let t = 1000;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++seq;
      pending.set(id, { at: t + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const advance = async (ms: number): Promise<void> => {
    const end = t + ms;
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    await settle();
    for (;;) {
      const due = [...pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      t = due[1].at;
      due[1].fn();
      // Let the job's promise chain run.
      await settle();
    }
    t = end;
  };
  return { now: () => t, timers, advance };
}

/** A 100 ms schedule on virtual time that records when it runs and fails on a skip. */
function recording(vt: ReturnType<typeof virtualTime>, offsetMs?: number): { s: GridSchedule; runs: number[] } {
  const runs: number[] = [];
  const s = new GridSchedule({
    periodMs: 100,
    offsetMs,
    now: vt.now,
    timers: vt.timers,
    run: async () => void runs.push(vt.now()),
    onSkip: () => assert.fail('no skip expected'),
  });
  return { s, runs };
}

test('runs at start, then on the fixed grid start + k*period', async () => {
  const vt = virtualTime();
  const { s, runs } = recording(vt);
  s.start();
  await vt.advance(0);
  await vt.advance(350);
  assert.deepEqual(runs, [1000, 1100, 1200, 1300]);
  await s.stop();
  await vt.advance(500);
  assert.equal(runs.length, 4);
});

test('a run still going when its tick comes makes the tick skip (never two at once)', async () => {
  const vt = virtualTime();
  const starts: number[] = [];
  const skips: string[] = [];
  let release: () => void = () => {};
  let active = 0;
  const s = new GridSchedule({
    periodMs: 100,
    now: vt.now,
    timers: vt.timers,
    run: () => {
      starts.push(vt.now());
      active++;
      assert.equal(active, 1);
      return new Promise<void>((r) => {
        release = () => {
          active--;
          r();
        };
      });
    },
    onSkip: (reason, n) => skips.push(`${reason}:${n}`),
  });
  s.start();
  await vt.advance(250); // ticks at 1100 and 1200 find the first run still going
  release();
  await vt.advance(100); // 1300 runs
  assert.deepEqual(starts, [1000, 1300]);
  assert.deepEqual(skips, ['overlap:1', 'overlap:1']);
  release();
  await s.stop();
});

test('after a stall longer than a period, missed ticks are counted and the grid is kept', async () => {
  let t = 0;
  const runs: number[] = [];
  const skips: number[] = [];
  let fire: (() => void) | undefined;
  const s = new GridSchedule({
    periodMs: 100,
    now: () => t,
    timers: { setTimeout: (fn) => ((fire = fn), 1), clearTimeout: () => {} },
    run: async () => void runs.push(t),
    onSkip: (_r, n) => skips.push(n),
  });
  s.start();
  for (let i = 0; i < 10; i++) await Promise.resolve(); // the first run completes
  t = 350; // the process was frozen: ticks 100, 200, 300 passed
  fire!();
  // The tick due at 100 runs now (late); those due at 200 and 300 are skipped; next is 400.
  assert.deepEqual(skips, [2]);
  await s.stop();
  assert.deepEqual(runs, [0, 350]);
});

test('an offset shifts the first run and the whole grid; stop before it cancels it', async () => {
  const vt = virtualTime();
  const { s, runs } = recording(vt, 30);
  s.start();
  await vt.advance(0);
  assert.deepEqual(runs, [], 'not run inside start()');
  await vt.advance(250);
  assert.deepEqual(runs, [1030, 1130, 1230]);
  await s.stop();

  const never = new GridSchedule({
    periodMs: 100,
    offsetMs: 30,
    now: vt.now,
    timers: vt.timers,
    run: async () => assert.fail('stopped before its first run'),
    onSkip: () => {},
  });
  never.start();
  await never.stop();
  await vt.advance(500);
});
