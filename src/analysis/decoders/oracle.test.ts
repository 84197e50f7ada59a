/**
 * Differential test against the real OSSEC 4.3.0 (ossec-analysis.md 10.3): every event of
 * fixtures/ossec-decode.jsonl holds what ossec-logtest printed in Phase 1 and Phase 2 for one
 * sample line (see fixtures/make-oracle-fixture.mjs). The Phase 1 output (program name, log) is the
 * decoder's input, so this tests the decoder alone; the decoder name and the fields, in capture
 * order, must match exactly.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { newEventInfo } from '../event-info.js';
import { decode, DecodeDetail } from './decode.js';
import { loadDecoders } from './load.js';
import { sharedFile } from './test-support.js';

interface OracleEvent {
  source: string;
  line: string;
  hostname: string;
  programName: string | null;
  log: string;
  decoder: string | null;
  fields: Array<[string, string]>;
}

const fixture = new URL('./fixtures/ossec-decode.jsonl', import.meta.url);
const events: OracleEvent[] = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as OracleEvent);

const decoderXml = sharedFile('conformance/ossec-4.3.0/etc/decoder.xml');

test('decoder name and fields agree with ossec-logtest, event by event', { skip: decoderXml.skip }, () => {
  const set = loadDecoders([decoderXml.path!]);
  const detail = new DecodeDetail(true);
  const disagreements: string[] = [];
  for (const e of events) {
    const lf = newEventInfo({ location: 'stdin', hostname: e.hostname, programName: e.programName ?? undefined, log: e.log, fullLog: e.line, time: 0 });
    decode(set, lf, detail);
    const got = { decoder: lf.decoder?.name ?? null, fields: detail.labels.map((l, i) => [l, detail.values[i]]) };
    const want = { decoder: e.decoder, fields: e.fields };
    try {
      assert.deepEqual(got, want);
    } catch {
      disagreements.push(`${e.source}: ${e.line}\n    want ${JSON.stringify(want)}\n    got  ${JSON.stringify(got)}`);
    }
  }
  const agree = events.length - disagreements.length;
  console.log(`oracle agreement: ${agree} of ${events.length} events (${events.filter((e) => e.decoder).length} decoded by OSSEC)`);
  assert.equal(disagreements.length, 0, `${disagreements.length} events disagree:\n${disagreements.slice(0, 40).join('\n')}`);
});

test('the fixture covers hundreds of decoded events and many decoders', () => {
  assert.ok(events.length >= 1000);
  const names = new Set(events.map((e) => e.decoder).filter((d) => d !== null));
  assert.ok(names.size >= 80, `only ${names.size} decoders covered`);
});
