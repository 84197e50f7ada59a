/** The change a check_diff alert carries, in alerts.log and alerts.json. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { checkDiffAlert } from '../test-support/alert-fixtures.js';
import type { AlertDiff } from './alert.js';
import { formatAlertJson } from './alerts-json-format.js';
import { formatAlertsLog } from './alerts-log-format.js';

const diff: AlertDiff = {
  kind: 'change',
  added: ['tcp 0.0.0.0:80 0.0.0.0:* LISTEN'],
  removed: [],
  unified: '--- previous\n+++ current\n@@ -1,1 +1,2 @@\n tcp 0.0.0.0:22 0.0.0.0:* LISTEN\n+tcp 0.0.0.0:80 0.0.0.0:* LISTEN',
  truncated: false,
  summary: '1 line added, 0 removed (compared as text)',
};

test("alerts.log: OSSEC's record and Previous output block first, then What changed and the unified diff", () => {
  const plain = formatAlertsLog(checkDiffAlert());
  const withDiff = formatAlertsLog(checkDiffAlert({ diff }));
  // Everything OSSEC prints is unchanged and comes first.
  assert.equal(withDiff.slice(0, plain.length - 1), plain.slice(0, -1));
  assert.equal(
    withDiff.slice(plain.length - 1),
    'What changed: 1 line added, 0 removed (compared as text)\n' +
      '--- previous\n+++ current\n@@ -1,1 +1,2 @@\n tcp 0.0.0.0:22 0.0.0.0:* LISTEN\n+tcp 0.0.0.0:80 0.0.0.0:* LISTEN\n\n',
  );
  // The record still ends at its only blank line, even for an empty context line in the diff.
  const odd = formatAlertsLog(checkDiffAlert({ diff: { ...diff, unified: 'a\n\nb', summary: 'x\ny' } }));
  assert.equal(odd.indexOf('\n\n'), odd.length - 2);
  assert.match(odd, /What changed: x\\ny\na\n \nb\n\n$/);
  // Without a summary, counts are printed; a baseline has no diff lines.
  assert.match(formatAlertsLog(checkDiffAlert({ diff: { added: ['a', 'b'], removed: ['c'], unified: '' } })), /\nWhat changed: 2 lines added, 1 removed\n\n$/);
});

test('alerts.log with OSSEC cut: diff lines are cut like context lines', () => {
  const long = 'x'.repeat(2000);
  const text = formatAlertsLog(checkDiffAlert({ diff: { ...diff, unified: `+${long}` } }), { ossecCut: true });
  assert.match(text, new RegExp(`\n\\+x{1255}\n\n$`));
});

test('alerts.json: a diff object with kind, summary, added, removed, unified, truncated', () => {
  const j = JSON.parse(formatAlertJson(checkDiffAlert({ diff })));
  assert.deepEqual(j.diff, {
    kind: 'change',
    summary: diff.summary,
    added: diff.added,
    removed: [],
    unified: diff.unified,
    truncated: false,
  });
  assert.equal(j.previous_output, checkDiffAlert().previousOutput);
  assert.equal(JSON.parse(formatAlertJson(checkDiffAlert())).diff, undefined);
  // Defaults for a diff built by other code: kind change, truncated false.
  const d = JSON.parse(formatAlertJson(checkDiffAlert({ diff: { added: [], removed: ['x'], unified: '-x' } }))).diff;
  assert.deepEqual(d, { kind: 'change', added: [], removed: ['x'], unified: '-x', truncated: false });
});
