/**
 * Differential tests against the real ossec-logtest 4.3.0 and ospatrol-logtest 2.7.1
 * (ossec-analysis.md 10.3). fixtures/<system>-rules.jsonl holds, for ~2300 sample lines run through
 * ONE oracle process, the Phase 1 fields the oracle printed, the rule id, level and alert flag it
 * ended with, and for alerts the context lines alerts.log printed (frequency history, check_diff); fixtures/<system>-trace.jsonl holds the -v rule walk for a subset run in its own
 * process. We feed the same Phase 1 fields through our decoders and rule engine, in the same order
 * and with logtest semantics, so frequency, FTS, check_diff and ignore state must agree too.
 * Regenerate with fixtures/make-rule-fixture.mjs.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decode } from '../decoders/index.js';
import { newEventInfo } from '../event-info.js';
import { RuleEngine } from './evaluate.js';
import { loadShipped, sharedPath } from './test-support.js';

interface OracleEvent {
  source: string;
  line: string;
  fullLog?: string;
  hostname: string;
  programName: string | null;
  log: string;
  rule: number | null;
  level: number | null;
  alert: boolean;
  /** For alerting events: the lines alerts.log printed after full_log (`-a`), when there were any. */
  context?: string[];
  trace?: string;
}

function fixture(name: string): OracleEvent[] {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as OracleEvent);
}

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

/**
 * Differences that are not the rule engine's. OSPatrol 2.7's DecodeEvent (OSSEC 2.x) does not make
 * a child decoder without <prematch> the event's decoder_info: it stays the parent, so the child's
 * <fts> is not used and if_fts rules fail. OSSEC 4.3.0 uses the child. Our decoders module follows
 * 4.3.0, so OSPatrol's rule 5305 (first su by a user) fires here and not in ospatrol-logtest.
 */
const known: Partial<Record<'ossec' | 'ospatrol', Set<string>>> = {
  ospatrol: new Set(['Sep 11 01:40:59 bogus.com su: ericx to root on /dev/ttyu0']),
};

for (const system of ['ossec', 'ospatrol'] as const) {
  const etc = sharedPath(system === 'ossec' ? 'conformance/ossec-4.3.0/etc' : 'conformance/ospatrol/etc');

  test(`${system}: rule, level, alert and context lines agree with the oracle, event by event (stateful)`, { skip: etc.skip }, () => {
    const { decoders, ruleset } = loadShipped(system);
    const engine = new RuleEngine(ruleset, { logtest: true });
    const events = fixture(`${system}-rules.jsonl`);
    const bad: string[] = [];
    let skipped = 0;
    for (const e of events) {
      const lf = newEventInfo({ location: 'stdin', hostname: e.hostname, programName: e.programName ?? undefined, log: e.log, fullLog: e.fullLog ?? e.line, time: T0 });
      decode(decoders, lf);
      const m = engine.evaluate(lf);
      if (known[system]?.has(e.line)) {
        skipped++;
        continue;
      }
      // logtest's "**Alert to be generated." is an alert that goes to alerts.log (DO_LOGALERT).
      const got = { rule: m?.id ?? null, level: m?.level ?? null, alert: m?.log ?? false };
      const want = { rule: e.rule, level: e.level, alert: e.alert };
      if (got.rule !== want.rule || got.level !== want.level || got.alert !== want.alert) {
        bad.push(`${e.source}: ${e.line}\n    want ${JSON.stringify(want)} got ${JSON.stringify(got)} (decoder ${lf.decoder?.name ?? '-'})`);
      } else if (e.alert && JSON.stringify(m?.context ?? []) !== JSON.stringify(e.context ?? [])) {
        bad.push(`${e.source}: ${e.line}\n    context want ${JSON.stringify(e.context ?? [])}\n            got  ${JSON.stringify(m?.context)}`);
      }
    }
    console.log(`${system}: ${events.length - skipped - bad.length} of ${events.length - skipped} events agree (${skipped} known decoder-side difference)`);
    assert.equal(bad.length, 0, `${bad.length} events disagree:\n${bad.slice(0, 30).join('\n')}`);
  });

  test(`${system}: the -v rule walk agrees with the oracle`, { skip: etc.skip }, () => {
    const { decoders, ruleset } = loadShipped(system);
    const engine = new RuleEngine(ruleset, { logtest: true });
    const bad: string[] = [];
    const events = fixture(`${system}-trace.jsonl`);
    for (const e of events) {
      const lf = newEventInfo({ location: 'stdin', hostname: e.hostname, programName: e.programName ?? undefined, log: e.log, fullLog: e.fullLog ?? e.line, time: T0 });
      decode(decoders, lf);
      const tokens: string[] = [];
      engine.evaluate(lf, {
        trace: (line) => {
          const m = /^ {4}Trying rule: (\d+) |^ {7}\*Rule (\d+) matched\.$/.exec(line);
          tokens.push(m ? (m[1] !== undefined ? `t${m[1]}` : `m${m[2]}`) : line === '       *Trying child rules.' ? 'c' : `?${line}`);
        },
      });
      // The reference run renamed OSPatrol's second root 07 to 08 (see ruleset.ts).
      const want = system === 'ospatrol' ? (e.trace ?? '').replace(/\b([tm])8\b/g, '$17') : (e.trace ?? '');
      const got = tokens.join(' ');
      if (got !== want) {
        const w = want.split(' ');
        let i = 0;
        while (i < w.length && w[i] === tokens[i]) i++;
        bad.push(`${e.line}\n    first difference at step ${i}: want ${w.slice(i, i + 5).join(' ')} got ${tokens.slice(i, i + 5).join(' ')}`);
      }
    }
    assert.equal(bad.length, 0, `${bad.length} of ${events.length} walks differ:\n${bad.slice(0, 20).join('\n')}`);
  });
}
