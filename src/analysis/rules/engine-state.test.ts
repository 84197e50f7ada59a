import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { engineState } from './engine-state.js';
import { RuleEngine } from './evaluate.js';
import { event, rulesFrom } from './test-support.js';

const XML = `<group name="g,"><rule id="100" level="0"><decoded_as>tst</decoded_as><description>b</description></rule>
  <rule id="110" level="3"><if_sid>100</if_sid><match>login</match><description>login</description></rule>
  <rule id="111" level="8"><if_sid>110</if_sid><if_fts/><ignore>id</ignore><description>first</description></rule>
</group>`;

test('analysisd state persists FTS and ignore lines; logtest state reads them and writes none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ospatrol-state-'));
  try {
    const login = (e: RuleEngine, user: string) =>
      e.evaluate(event({ log: 'login', decoder: 'tst', fields: { dstuser: user, id: '1' }, fts: ['name', 'user'] }))!.id;
    const daemon = new RuleEngine(rulesFrom(XML), engineState({ mode: 'analysisd', stateDir: dir }));
    assert.equal(login(daemon, 'ann'), 111);
    assert.equal(readFileSync(join(dir, 'queue/fts/fts-queue'), 'utf8'), 'tst  ann      \n');
    assert.equal(readFileSync(join(dir, 'queue/fts/ig-queue'), 'utf8'), ' 1      \n');
    const lt = new RuleEngine(rulesFrom(XML), engineState({ mode: 'logtest', stateDir: dir }));
    assert.equal(login(lt, 'ann'), 110);
    assert.equal(login(lt, 'bob'), 111);
    assert.equal(readFileSync(join(dir, 'queue/fts/fts-queue'), 'utf8'), 'tst  ann      \n');
    const mem = new RuleEngine(rulesFrom(XML), engineState({ mode: 'logtest' }));
    assert.equal(login(mem, 'ann'), 111);
    assert.equal(existsSync(join(dir, 'queue/diff')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
