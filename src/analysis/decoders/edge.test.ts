/**
 * Differential test of the decoding rules of ossec-analysis.md 3.3/3.4 on OSPatrol's own decoder
 * file (fixtures/edge-decoders.xml): chains, offsets, capture packing, order names, list P/N.
 * fixtures/edge-decode.jsonl is what the real ossec-logtest printed for fixtures/edge-lines.txt
 * (regenerate with fixtures/make-edge-fixture.mjs).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { newEventInfo } from '../event-info.js';
import { decode, DecodeDetail } from './decode.js';
import { loadDecoders } from './load.js';

interface OracleEvent {
  line: string;
  hostname: string;
  programName: string | null;
  log: string;
  decoder: string | null;
  fields: Array<[string, string]>;
}

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const events: OracleEvent[] = readFileSync(fixture('edge-decode.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as OracleEvent);
const set = loadDecoders([fixture('edge-decoders.xml')]);

for (const e of events) {
  test(`edge: ${e.line}`, () => {
    const lf = newEventInfo({ location: 'stdin', hostname: e.hostname, programName: e.programName ?? undefined, log: e.log, fullLog: e.line, time: 0 });
    const detail = new DecodeDetail(true);
    decode(set, lf, detail);
    assert.deepEqual(
      { decoder: lf.decoder?.name ?? null, fields: detail.labels.map((l, i) => [l, detail.values[i]]) },
      { decoder: e.decoder, fields: e.fields },
    );
  });
}
