/** The shipped decoder files load with no error (read in place from ../shared/conformance). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { loadDecoders } from './load.js';
import { sharedFile } from './test-support.js';

for (const rel of ['conformance/ossec-4.3.0/etc/decoder.xml', 'conformance/ospatrol/etc/decoder.xml']) {
  const f = sharedFile(rel);
  test(`loads ${rel}`, { skip: f.skip }, () => {
    const set = loadDecoders([f.path!]);
    assert.deepEqual(set.warnings, []);
    assert.ok(set.withProgram.length > 40 && set.withoutProgram.length > 20);
    assert.ok(set.ids.size > 200);
  });
}

