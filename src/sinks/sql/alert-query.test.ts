import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_QUERY_LIMIT, planAlertQuery } from './alert-query.js';

test('parameters come in the documented order, limit last, agent twice', () => {
  const plan = planAlertQuery({ since: new Date(5000), agent: 'web1', ruleId: 5503, level: 7, limit: 3 });
  assert.deepEqual(plan.params, [7, 5503, 'web1', 'web1', 5000, 3]);
  assert.deepEqual(plan.shape, { level: true, ruleId: true, agent: true, since: true, order: 'newest' });
});

test('no filter: only the default limit; each shape has its own key', () => {
  const plan = planAlertQuery();
  assert.deepEqual(plan.params, [DEFAULT_QUERY_LIMIT]);
  assert.notEqual(plan.key, planAlertQuery({ order: 'oldest' }).key);
  assert.notEqual(planAlertQuery({ level: 1 }).key, planAlertQuery({ ruleId: 1 }).key);
  assert.equal(planAlertQuery({ level: 1 }).key, planAlertQuery({ level: 9 }).key);
});

test('bad filters are refused, never passed to SQL', () => {
  assert.throws(() => planAlertQuery({ limit: 0 }), RangeError);
  assert.throws(() => planAlertQuery({ level: Number.NaN }), RangeError);
  assert.throws(() => planAlertQuery({ since: new Date('nope') }), RangeError);
  assert.throws(() => planAlertQuery({ agent: 7 as unknown as string }), TypeError);
  assert.throws(() => planAlertQuery({ order: 'sideways' as 'newest' }), RangeError);
});
