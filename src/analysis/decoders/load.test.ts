/** Loading: ids, names, refs, errors with positions (ossec-analysis.md 3.1-3.3). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OspatrolError } from '../../errors.js';
import { newEventInfo } from '../event-info.js';
import { decode } from './decode.js';
import { decoderIdOf, INTERNAL_DECODER_NAMES } from './ids.js';
import { loadDecoderSources } from './load.js';
import type { CompiledDecoderRef, DecoderSet } from './types.js';

const load = (text: string, file = 'etc/decoder.xml'): DecoderSet => loadDecoderSources([{ file, text }]);

const SAMPLE = `
<decoder name="zeta"><prematch>^zeta </prematch></decoder>
<decoder name="zeta-kid"><parent>zeta</parent><regex>^zeta (\\S+)</regex><order>srcip</order></decoder>
<decoder name="own"><parent>zeta</parent><use_own_name>true</use_own_name><prematch>own</prematch></decoder>
<decoder name="alpha"><program_name>^alpha$</program_name><type>firewall</type><accumulate/></decoder>
<decoder name="alpha-kid"><parent>alpha</parent><regex>(\\S+)</regex><order>user, x_y</order><fts>srcuser, location, id</fts></decoder>
`;

test('decoder ids are positions in the sorted, de-duplicated names, internal names included', () => {
  const set = load(SAMPLE);
  const sorted = [...new Set(['zeta', 'zeta-kid', 'own', 'alpha', 'alpha-kid', ...INTERNAL_DECODER_NAMES])].sort();
  for (const [i, name] of sorted.entries()) assert.equal(decoderIdOf(set, name), i + 1, name);
  assert.equal(decoderIdOf(set, 'syscheck_integrity_changed_2nd'), sorted.indexOf('syscheck_integrity_changed_2nd') + 1);
  assert.equal(decoderIdOf(set, 'nope'), undefined);
});

test('a child is printed with its parent name and id unless use_own_name is exactly true', () => {
  const set = load(SAMPLE);
  const lf = newEventInfo({ location: 's', hostname: 'h', programName: undefined, log: 'zeta 1.2.3.4', fullLog: '', time: 0 });
  decode(set, lf);
  assert.equal(lf.decoder?.name, 'zeta');
  assert.equal(lf.decoder?.id, decoderIdOf(set, 'zeta'));
  assert.deepEqual(lf.decoder?.order, ['srcip']);
  // "zeta-kid" has no prematch, so it is taken at once and "own" is never tried (3.4 step 4).
  const own = set.withoutProgram[0].children[1].decoder.ref;
  assert.equal(own.name, 'own');
  assert.equal(own.id, decoderIdOf(set, 'own'));
});

test('the ref carries type, canonical order, fts parts in key order, accumulate and dynamic positions', () => {
  const set = load(SAMPLE);
  const kid = set.withProgram[0].children[0].decoder.ref as CompiledDecoderRef;
  // A child does not inherit its parent's <type> or <accumulate/>.
  assert.equal(set.withProgram[0].ref.type, 'firewall');
  assert.equal((set.withProgram[0].ref as CompiledDecoderRef).accumulate, true);
  assert.equal(kid.type, 'syslog');
  assert.equal(kid.accumulate, false);
  assert.deepEqual(kid.order, ['dstuser', 'x_y']);
  // srcuser contains "user" and so means dstuser (3.2).
  assert.deepEqual(kid.fts, ['id', 'dstuser', 'location']);
  assert.deepEqual([...kid.dynamicIndex], [['x_y', 1]]);
  assert.equal(set.withoutProgram[0].ref.fts, undefined);
});

test('top-level decoders with a program name go to list P, the others to list N, in file order', () => {
  const set = load(SAMPLE + '<decoder name="beta"><prematch>^b</prematch><program_name_pcre2>^b$</program_name_pcre2></decoder><decoder name="gamma"><prematch>^g</prematch></decoder>');
  assert.deepEqual(set.withProgram.map((d) => d.ownName), ['alpha', 'beta']);
  assert.deepEqual(set.withoutProgram.map((d) => d.ownName), ['zeta', 'gamma']);
});

test('with no decoder lacking a program name, OSSEC leaves ids at 0 and children unrenamed (measured)', () => {
  const set = load('<decoder name="pa"><program_name>^pa$</program_name></decoder><decoder name="pa-kid"><parent>pa</parent><regex>^(\\S+)</regex><order>srcip</order></decoder>');
  assert.equal(set.warnings.length, 1);
  const lf = newEventInfo({ location: 's', hostname: 'h', programName: 'pa', log: 'x', fullLog: '', time: 0 });
  decode(set, lf);
  assert.equal(lf.decoder?.name, 'pa-kid');
  assert.equal(lf.decoder?.id, 0);
});

test('OSPatrol dialect: type ospatrol is ossec, OSPatrolAlert_Decoder is a plugin', () => {
  const set = load('<decoder name="o"><prematch>^ospatrol: </prematch><type>ospatrol</type></decoder><decoder name="oa"><program_name>^ospatrol$</program_name><plugin_decoder>OSPatrolAlert_Decoder</plugin_decoder></decoder>');
  assert.equal(set.withoutProgram[0].ref.type, 'ossec');
  assert.equal(set.withProgram[0].plugin?.name, 'OSPatrolAlert_Decoder');
});

test('errors name the file, the line and the element', () => {
  const cases: Array<[string, number, string, RegExp]> = [
    ['<decoder name="a">\n<prematch>^a</prematch>\n<regex offset="after_parent">^(a)</regex>\n<order>srcip</order></decoder>', 3, 'regex', /after_parent needs a parent/],
    ['<decoder name="a">\n<prematch>^a</prematch>\n<bogus>x</bogus></decoder>', 3, 'bogus', /invalid element/],
    ['<decoder name="a"><prematch>^a</prematch></decoder>\n<decoder name="b">\n<parent>nope</parent><prematch>^b</prematch></decoder>', 3, 'parent', /unknown parent 'nope'/],
    ['<decoder name="a">\n\n<prematch>^a\\-</prematch></decoder>', 3, 'prematch', /decoder 'a'/],
    ['<decoder name="a"><prematch>^a</prematch>\n<regex>^(a)</regex><order>srcip,,x</order></decoder>', 2, 'order', /wrong field '' in the order/],
    ['<decoder name="a" status="off"><prematch>^a</prematch></decoder>', 1, 'decoder', /only the name attribute/],
    ['<rule name="a"><prematch>^a</prematch></rule>', 1, 'rule', /only <decoder>/],
    ['<decoder name="a"><prematch>^a</prematch>\n<plugin_decoder>Nope</plugin_decoder></decoder>', 2, 'plugin_decoder', /unknown plugin_decoder/],
    ['<decoder name="a">\n<regex>^(a)</regex><order>srcip</order></decoder>', 1, 'decoder', /needs a prematch or a program_name/],
  ];
  for (const [text, line, element, reason] of cases) {
    assert.throws(
      () => load(text, 'dec.xml'),
      (e: unknown) => {
        assert.ok(e instanceof OspatrolError, String(e));
        assert.equal(e.code, 'OSP_ERR_DECODER_INVALID');
        assert.deepEqual(e.position, { file: 'dec.xml', line, element }, e.message);
        assert.match(e.message, reason);
        assert.ok(e.message.startsWith(`dec.xml:${line}: <${element}>: `), e.message);
        return true;
      },
      text,
    );
  }
});

test('repeated elements are joined, up to 8 KB', () => {
  const piece = 'a'.repeat(5000);
  assert.throws(() => load(`<decoder name="a"><prematch>^${piece}</prematch><prematch>${piece}</prematch></decoder>`), /too long/);
});

test('an empty decoder file is refused, except local_decoder.xml', () => {
  assert.throws(() => load('<!-- nothing -->', 'etc/decoder.xml'), /no <decoder>/);
  assert.equal(loadDecoderSources([{ file: 'etc/decoder.xml', text: '<decoder name="a"><prematch>^a</prematch></decoder>' }, { file: 'etc/local_decoder.xml', text: '' }]).withoutProgram.length, 1);
});

test('<var> substitution applies to decoder files', () => {
  const set = load('<var name="HEAD">^head </var><decoder name="v"><prematch>$HEAD</prematch></decoder>');
  const lf = newEventInfo({ location: 's', hostname: 'h', programName: undefined, log: 'head x', fullLog: '', time: 0 });
  decode(set, lf);
  assert.equal(lf.decoder?.name, 'v');
});
