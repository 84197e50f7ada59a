import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseFlapState, stepFlapping, type FlapState } from './flapping.js';

/**
 * Runs a sequence of outputs (one letter each; the first is the stored reference) through the
 * state machine as decide.ts does, and returns what each run reported.
 */
function run(window: number, outputs: string): string[] {
  let reference = outputs[0];
  let state: FlapState | undefined;
  const out: string[] = [];
  for (const o of outputs.slice(1)) {
    const step = stepFlapping(state, { window, hash: o, referenceHash: reference, output: o });
    state = JSON.parse(JSON.stringify(step.state)) as FlapState; // as stored between runs
    if (step.newReference) reference = o;
    out.push(step.report === 'none' ? '.' : step.report === 'reverted' ? `R(${step.transient})` : step.report === 'change' ? 'C' : 'U');
  }
  return out;
}

test('a change that lasts the window is reported once, when the window is over', () => {
  assert.deepEqual(run(3, 'ABBBBB'), ['.', '.', 'C', '.', '.']);
  assert.deepEqual(run(2, 'ABBCC'), ['.', 'C', '.', 'C']);
});

test('flapping=1 is OSSEC: every change at once', () => {
  assert.deepEqual(run(1, 'ABABA'), ['C', 'C', 'C', 'C']);
});

test('an alternating output is reported once per episode', () => {
  assert.deepEqual(run(3, 'ABABABABA'), ['.', 'R(B)', '.', '.', '.', '.', '.', '.']);
  // Stable for 3 runs ends the episode: the next flap is news again.
  assert.deepEqual(run(3, 'ABAAABA'), ['.', 'R(B)', '.', '.', '.', 'R(B)']);
});

test('a short-lived change that reverts is summarised; a different one in the same episode too', () => {
  assert.deepEqual(run(3, 'ABBA'), ['.', '.', 'R(B)']);
  assert.deepEqual(run(3, 'ABACA'), ['.', 'R(B)', '.', 'R(C)']);
});

test('an output that never settles is summarised once per window, and repeats are suppressed', () => {
  // B C D: changed 3 times in 3 runs; D becomes the reference.
  assert.deepEqual(run(3, 'ABCDDD'), ['.', '.', 'U', '.', '.']);
  assert.deepEqual(run(2, 'ABCBCBC'), ['.', 'U', '.', '.', '.', '.']);
});

test('a real change during an episode is still reported', () => {
  assert.deepEqual(run(2, 'ABACCC'), ['.', 'R(B)', '.', 'C', '.']);
});

test('stored state that is not what we wrote counts as none', () => {
  assert.equal(parseFlapState(undefined), undefined);
  assert.equal(parseFlapState('{'), undefined);
  assert.equal(parseFlapState('null'), undefined);
  assert.equal(parseFlapState('{"hold":{"runs":"x"}}'), undefined);
  assert.deepEqual(parseFlapState('{"prev":"a"}'), { prev: 'a', hold: undefined, episode: undefined });
});
