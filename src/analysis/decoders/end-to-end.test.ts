/**
 * The same oracle events as oracle.test.ts, but starting from the raw line: our pre-decoder
 * (src/analysis/predecode) first, then the decoders. oracle.test.ts isolates the decoder; this one
 * checks the seam between the two. Skipped until the pre-decoder exists.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { newEventInfo } from '../event-info.js';
import { decode, DecodeDetail } from './decode.js';
import { loadDecoders } from './load.js';
import { sharedFile } from './test-support.js';

interface OracleEvent {
  source: string;
  line: string;
  fullLog?: string;
  hostname: string;
  programName: string | null;
  log: string;
  decoder: string | null;
  fields: Array<[string, string]>;
}
interface Predecoded {
  location: string;
  hostname: string;
  programName: string | undefined;
  log: string;
  fullLog: string;
}
type Predecode = (msg: { location: string; message: string }, localHostname: string) => Predecoded;

const predecodeTs = fileURLToPath(new URL('../predecode/predecode.ts', import.meta.url));
const decoderXml = sharedFile('conformance/ossec-4.3.0/etc/decoder.xml');
const skip = decoderXml.skip || (existsSync(predecodeTs) ? false : 'src/analysis/predecode/predecode.ts does not exist yet');

test('raw line → predecode → decode agrees with ossec-logtest', { skip }, async () => {
  const { predecode } = (await import(new URL('../predecode/predecode.js', import.meta.url).href)) as { predecode: Predecode };
  const events: OracleEvent[] = readFileSync(new URL('./fixtures/ossec-decode.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as OracleEvent);
  // The oracle's own host name shows on lines with no syslog header.
  const localHostname = events.find((e) => e.programName === null && !e.line.includes(e.hostname))?.hostname ?? 'vm';
  const set = loadDecoders([decoderXml.path!]);
  const detail = new DecodeDetail(true);
  const phase1: string[] = [];
  const phase2: string[] = [];
  for (const e of events) {
    const p = predecode({ location: 'stdin', message: e.line }, localHostname);
    const got1 = { hostname: p.hostname, programName: p.programName ?? null, log: p.log, fullLog: p.fullLog };
    const want1 = { hostname: e.hostname, programName: e.programName, log: e.log, fullLog: e.fullLog ?? e.line };
    if (JSON.stringify(got1) !== JSON.stringify(want1)) phase1.push(`${e.line}\n    want ${JSON.stringify(want1)}\n    got  ${JSON.stringify(got1)}`);
    const lf = newEventInfo({ location: p.location, hostname: p.hostname, programName: p.programName, log: p.log, fullLog: p.fullLog, time: 0 });
    decode(set, lf, detail);
    const got2 = { decoder: lf.decoder?.name ?? null, fields: detail.labels.map((l, i) => [l, detail.values[i]]) };
    const want2 = { decoder: e.decoder, fields: e.fields };
    if (JSON.stringify(got2) !== JSON.stringify(want2)) phase2.push(`${e.line}\n    want ${JSON.stringify(want2)}\n    got  ${JSON.stringify(got2)}`);
  }
  console.log(`end to end: Phase 1 agrees on ${events.length - phase1.length} of ${events.length}, Phase 2 on ${events.length - phase2.length} of ${events.length}`);
  assert.equal(phase1.length, 0, `pre-decoding differs:\n${phase1.slice(0, 20).join('\n')}`);
  assert.equal(phase2.length, 0, `decoding differs:\n${phase2.slice(0, 20).join('\n')}`);
});
