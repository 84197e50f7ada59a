/**
 * Load-time validation against the real OSSEC 4.3.0 (ossec-analysis.md 3.1/3.2): for each small
 * decoder file of fixtures/load-cases.json (OSPatrol's own text), OSSEC either loaded it or refused
 * it (oracleLoads, oracleSaid; regenerate with fixtures/make-edge-fixture.mjs). We must agree, and
 * our error must name the file, a line and an element.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OspatrolError } from '../../errors.js';
import { loadDecoderSources } from './load.js';

interface LoadCase {
  name: string;
  xml: string;
  oracleLoads: boolean;
  oracleSaid: string;
}
const data = JSON.parse(readFileSync(new URL('./fixtures/load-cases.json', import.meta.url), 'utf8')) as { base: string; cases: LoadCase[] };

/** Deliberate differences: OSPatrol's own decoder.xml must load unchanged. */
const OSPATROL_DIALECT = new Set(['type_ospatrol']);

for (const c of data.cases) {
  const expectLoads = OSPATROL_DIALECT.has(c.name) ? true : c.oracleLoads;
  test(`load: ${c.name} ${expectLoads ? 'loads' : 'is refused'}`, () => {
    const load = () => loadDecoderSources([{ file: 'etc/decoder.xml', text: data.base + c.xml + '\n' }]);
    if (expectLoads) {
      load();
      return;
    }
    assert.throws(load, (e: unknown) => {
      assert.ok(e instanceof OspatrolError, `not an OspatrolError: ${String(e)}`);
      assert.equal(e.position.file, 'etc/decoder.xml');
      assert.ok((e.position.line ?? 0) >= 1, `no line in: ${e.message}`);
      if (e.code === 'OSP_ERR_DECODER_INVALID') assert.ok(e.position.element, `no element in: ${e.message}`);
      return true;
    });
  });
}
