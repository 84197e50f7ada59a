import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RuleEngine } from '../rules/evaluate.js';
import { event, rulesFrom } from '../rules/test-support.js';
import { FileCheckDiffStore, MemoryCheckDiffStore, type CheckDiffStore } from '../state/check-diff-store.js';
import { DEFAULT_DIFF_BOUNDS } from './bounds.js';
import { decideCheckDiff } from './decide.js';
import { OSSEC_DIFF_SPEC } from './spec.js';
import { specWith } from './test-support.js';

const opts = { maxBytes: 1 << 20, bounds: DEFAULT_DIFF_BOUNDS };
const k = (location: string) => ({ host: 'vm', ruleId: 533, location });

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ospatrol-decide-'));
}

/** An engine over rules 500/530 and one check_diff rule 533 with the given element. */
function engine(checkDiff: string, store: CheckDiffStore = new MemoryCheckDiffStore(), extra = '') {
  const rs = rulesFrom(`<group name="ossec,">
  <rule id="500" level="0"><category>ossec</category><decoded_as>ossec</decoded_as><description>ossec base</description></rule>
  <rule id="530" level="0"><if_sid>500</if_sid><match>^ossec: output: </match><description>outputs</description></rule>
  <rule id="533" level="7"><if_sid>530</if_sid><match>: output: 'ports</match>${checkDiff}${extra}<description>ports changed</description></rule>
</group>`, { logAlertLevel: 1, emailAlertLevel: 7 });
  const e = new RuleEngine(rs, { checkDiff: store });
  return (location: string, body: string, time = 1_000_000) =>
    e.evaluate(event({ log: `ossec: output: '${location}':\n${body}`, decoder: 'ossec', type: 'ossec', location, time }))!;
}

test('plain check_diff: OSSEC decisions, plus the change itself', () => {
  const s = new MemoryCheckDiffStore();
  assert.deepEqual(decideCheckDiff(s, k('a'), 'x\ny', OSSEC_DIFF_SPEC, opts), { kind: 'none' });
  assert.deepEqual(decideCheckDiff(s, k('a'), 'x\ny', OSSEC_DIFF_SPEC, opts), { kind: 'none' });
  const o = decideCheckDiff(s, k('a'), 'x\ny\nz', OSSEC_DIFF_SPEC, opts);
  assert.equal(o.kind, 'change');
  assert.ok(o.kind === 'change');
  assert.equal(o.previous, 'x\ny');
  assert.deepEqual([o.report.added, o.report.removed], [['z'], []]);
  assert.equal(s.readEntry(k('a'))!.text, 'x\ny\nz');
});

test('two locations matched by one rule keep separate baselines (OSSEC alerted on every run)', () => {
  const run = engine('<check_diff />');
  for (let i = 0; i < 3; i++) {
    assert.equal(run('ports-a', 'tcp 22').id, 530);
    assert.equal(run('ports-b', 'tcp 80').id, 530);
  }
  const m = run('ports-b', 'tcp 80\ntcp 443');
  assert.equal(m.id, 533);
  assert.deepEqual(m.context, ['Previous output:', "ossec: output: 'ports-b':\ntcp 80"]);
  assert.deepEqual(m.diff!.added, ['tcp 443']);
  assert.equal(run('ports-a', 'tcp 22').id, 530);
});

test('set mode: a reordered output is no change; text mode: it is', () => {
  const set = engine('<check_diff mode="set" />');
  const text = engine('<check_diff />');
  for (const run of [set, text]) run('ports', 'tcp 22\ntcp 80');
  assert.equal(set('ports', 'tcp 80\ntcp 22').id, 530);
  const t = text('ports', 'tcp 80\ntcp 22');
  assert.equal(t.id, 533);
  assert.equal(t.diff!.summary, '1 line added, 1 removed (compared as text)');
});

test('masked PIDs: no alert, and the newest output is kept as the previous one', () => {
  const store = new MemoryCheckDiffStore();
  const run = engine('<check_diff mask="pid=\\d+" />', store);
  run('ports', 'sshd pid=812');
  assert.equal(run('ports', 'sshd pid=990').id, 530);
  assert.equal(store.readEntry({ host: 'host1', ruleId: 533, location: 'ports' })!.text, "ossec: output: 'ports':\nsshd pid=990");
  const m = run('ports', 'sshd pid=991\nnginx pid=1000');
  assert.equal(m.id, 533);
  assert.equal(m.previousOutput, "ossec: output: 'ports':\nsshd pid=990");
  assert.deepEqual([m.diff!.added, m.diff!.removed], [['nginx pid=1000'], []]);
});

test('baseline_level: the first output alerts at that level, with no_log and mail flags of its own', () => {
  const run = engine('<check_diff baseline_level="3" />');
  const b = run('ports', 'tcp 22');
  assert.deepEqual([b.id, b.level, b.alert, b.log, b.mail], [533, 3, true, true, false]);
  assert.equal(b.diff!.kind, 'baseline');
  assert.equal(b.diff!.summary, 'baseline: first output seen; later outputs are compared with it as text');
  assert.deepEqual(b.context, []);
  assert.equal(b.previousOutput, undefined);
  assert.equal(run('ports', 'tcp 22').id, 530);
  const c = run('ports', 'tcp 23');
  assert.deepEqual([c.level, c.mail, c.diff!.kind], [7, true, 'change']);
  // Default: no baseline alert (OSSEC).
  assert.equal(engine('<check_diff />')('ports', 'x').id, 530);
  const quiet = engine('<check_diff baseline_level="3" />', new MemoryCheckDiffStore(), '<options>no_log</options>')('ports', 'x');
  assert.deepEqual([quiet.id, quiet.alert, quiet.log], [533, true, false]);
});

test('flapping state survives a restart (a new store on the same directory)', () => {
  const dir = tmp();
  try {
    const spec = specWith({ flapping: 3 });
    const d = (out: string) => decideCheckDiff(new FileCheckDiffStore(dir), k('ports'), out, spec, opts).kind;
    assert.deepEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A'].map(d), ['none', 'none', 'flapping', 'none', 'none', 'none', 'none']);
    assert.deepEqual(['A', 'A', 'C', 'C', 'C'].map(d), ['none', 'none', 'none', 'none', 'change']);
    const extra = JSON.parse(readFileSync(join(dir, 'queue/diff/vm/533/last-entry.flapping'), 'utf8'));
    assert.equal(extra.hold, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the flapping summary shows the short-lived output against the current one', () => {
  const s = new MemoryCheckDiffStore();
  const spec = specWith({ mode: 'set', flapping: 2 });
  decideCheckDiff(s, k('p'), 'tcp 22', spec, opts);
  assert.equal(decideCheckDiff(s, k('p'), 'tcp 22\ntcp 4444', spec, opts).kind, 'none');
  const o = decideCheckDiff(s, k('p'), 'tcp 22', spec, opts);
  assert.ok(o.kind === 'flapping');
  assert.equal(o.previous, 'tcp 22\ntcp 4444');
  assert.deepEqual([o.report.removed, o.report.added], [['tcp 4444'], []]);
  assert.equal(
    o.report.summary,
    'flapping: the output went back to what it was 2 runs ago after 2 changes; repeats are not reported until it is stable for 2 runs. ' +
      'The short-lived output against the current one: 0 lines added, 1 removed (compared as a set of lines)',
  );
});

test("an adopted OSSEC state that says the same thing is taken over silently", () => {
  const dir = tmp();
  try {
    const rule = join(dir, 'queue/diff/vm/533');
    mkdirSync(rule, { recursive: true });
    // OSSEC removed the newlines and wrote its own prefix and a NUL.
    writeFileSync(join(rule, 'last-entry'), "ossec: output: 'netstat':tcp 0.0.0.0:22tcp 0.0.0.0:80\0");
    const store = new FileCheckDiffStore(dir);
    const now = "ospatrol: output: 'netstat':\ntcp 0.0.0.0:22\ntcp 0.0.0.0:80";
    assert.equal(decideCheckDiff(store, k('netstat'), now, OSSEC_DIFF_SPEC, opts).kind, 'none');
    assert.equal(readFileSync(join(rule, 'last-entry'), 'utf8'), now);
    assert.equal(decideCheckDiff(store, k('netstat'), now + '\ntcp 0.0.0.0:443', OSSEC_DIFF_SPEC, opts).kind, 'change');
    // An adopted state that differs is a change like any other.
    writeFileSync(join(rule, 'last-entry'), 'ossec: output: ...');
    rmSync(join(rule, 'last-entry.location'));
    assert.equal(decideCheckDiff(store, k('netstat'), now, OSSEC_DIFF_SPEC, opts).kind, 'change');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('oversize outputs and unreadable state are no match, with a warning', () => {
  const warnings: string[] = [];
  const s = new MemoryCheckDiffStore();
  const w = { ...opts, maxBytes: 16, warn: (m: string) => warnings.push(m) };
  assert.equal(decideCheckDiff(s, k('p'), 'small', OSSEC_DIFF_SPEC, w).kind, 'none');
  assert.equal(decideCheckDiff(s, k('p'), 'x'.repeat(16), OSSEC_DIFF_SPEC, w).kind, 'none');
  assert.equal(s.readEntry(k('p'))!.text, 'small');
  assert.match(warnings[0], /rule 533 for host 'vm', location "p" is 16 bytes, over the 16-byte limit/);
  const broken: CheckDiffStore = {
    ...s,
    read: () => undefined,
    write: () => {},
    readEntry: () => {
      throw new Error('EACCES');
    },
    writeText: () => {},
    writeExtra: () => {},
  };
  assert.equal(decideCheckDiff(broken, k('p'), 'x', OSSEC_DIFF_SPEC, w).kind, 'none');
  assert.match(warnings[1], /cannot read the state of rule 533.*EACCES/);
});

test("an OSSEC state file is adopted by the command whose output it holds, whichever runs first", () => {
  const dir = tmp();
  try {
    const rule = join(dir, 'queue/diff/vm/533');
    mkdirSync(rule, { recursive: true });
    writeFileSync(join(rule, 'last-entry'), "ossec: output: 'svc-a':running\0");
    const store = new FileCheckDiffStore(dir);
    // svc-b comes first: the file is not its own, so it starts a baseline of its own.
    assert.equal(decideCheckDiff(store, k('svc-b'), "ospatrol: output: 'svc-b':\nidle", OSSEC_DIFF_SPEC, opts).kind, 'none');
    assert.equal(readFileSync(join(rule, 'svc-b', 'last-entry'), 'utf8'), "ospatrol: output: 'svc-b':\nidle");
    assert.equal(readFileSync(join(rule, 'last-entry'), 'utf8'), "ossec: output: 'svc-a':running\0");
    // svc-a takes OSSEC's file over without an alert (same output in OSSEC's form).
    assert.equal(decideCheckDiff(store, k('svc-a'), "ospatrol: output: 'svc-a':\nrunning", OSSEC_DIFF_SPEC, opts).kind, 'none');
    assert.equal(readFileSync(join(rule, 'last-entry.location'), 'utf8'), 'svc-a');
    assert.equal(decideCheckDiff(store, k('svc-b'), "ospatrol: output: 'svc-b':\nbusy", OSSEC_DIFF_SPEC, opts).kind, 'change');
    assert.equal(decideCheckDiff(store, k('svc-a'), "ospatrol: output: 'svc-a':\nrunning", OSSEC_DIFF_SPEC, opts).kind, 'none');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
