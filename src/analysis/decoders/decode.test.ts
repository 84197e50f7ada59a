/** Decoding (ossec-analysis.md 3.3/3.4) on small decoder files of our own. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { newEventInfo, type EventInfo } from '../event-info.js';
import { decode, DecodeDetail, dynamicField } from './decode.js';
import { loadDecoderSources } from './load.js';
import type { DecoderSet } from './types.js';

const load = (text: string): DecoderSet => loadDecoderSources([{ file: 'test.xml', text }]);
const ev = (log: string, programName?: string): EventInfo => newEventInfo({ location: 'stdin', hostname: 'h', programName, log, fullLog: log, time: 0 });
const run = (set: DecoderSet, log: string, programName?: string) => {
  const lf = ev(log, programName);
  const detail = new DecodeDetail(true);
  decode(set, lf, detail);
  return { name: lf.decoder?.name, fields: Object.fromEntries(lf.fields), trace: detail.labels.map((l, i) => `${l}=${detail.values[i]}`), lf, detail };
};

const LISTS = `
<decoder name="np"><prematch>^msg </prematch><regex>^msg (\\S+)</regex><order>id</order></decoder>
<decoder name="wp"><program_name>^app$</program_name><regex>^msg (\\S+)</regex><order>status</order></decoder>
`;

test('an event with a program name only meets list P, one without only list N (3.3)', () => {
  const set = load(LISTS);
  assert.deepEqual([run(set, 'msg 1').name, run(set, 'msg 1').fields], ['np', { id: '1' }]);
  assert.deepEqual([run(set, 'msg 1', 'app').name, run(set, 'msg 1', 'app').fields], ['wp', { status: '1' }]);
  assert.equal(run(set, 'msg 1', 'other').name, undefined);
});

test('the first matching top-level decoder is final even when its regex fails (3.4 step 3)', () => {
  const set = load(`
<decoder name="first"><prematch>^x</prematch><regex>^x(\\d+)</regex><order>id</order></decoder>
<decoder name="second"><prematch>^x</prematch><regex>^x(\\S+)</regex><order>id</order></decoder>`);
  assert.deepEqual([run(set, 'xabc').name, run(set, 'xabc').fields], ['first', {}]);
  assert.deepEqual(run(set, 'x12').fields, { id: '12' });
});

const KIDS = `
<decoder name="p"><prematch>^p: </prematch><regex>^p: (\\S+)</regex><order>srcip</order></decoder>
<decoder name="k1"><parent>p</parent><prematch offset="after_parent">^one </prematch><regex offset="after_prematch">(\\S+)$</regex><order>dstip</order></decoder>
<decoder name="k2"><parent>p</parent><prematch>two=</prematch><regex offset="after_prematch">^(\\S+)</regex><order>user</order></decoder>
`;

test('children: after_parent prematch, plain prematch on log, and no fields when none matches', () => {
  const set = load(KIDS);
  assert.deepEqual(run(set, 'p: one a b').fields, { dstip: 'b' });
  assert.equal(run(set, 'p: one a b').name, 'p');
  assert.deepEqual(run(set, 'p: x two=bob').fields, { dstuser: 'bob' });
  // "one" is not right after the parent's prematch; the parent's own regex never runs.
  assert.deepEqual(run(set, 'p: x one a').fields, {});
  assert.equal(run(set, 'p: x one a').name, 'p');
});

const CHAIN = `
<decoder name="c"><prematch>^c </prematch></decoder>
<decoder name="n"><parent>c</parent><regex offset="after_parent">^(\\S+) </regex><order>f1</order></decoder>
<decoder name="n"><parent>c</parent><regex offset="after_regex">^(\\S+) </regex><order>f2, g2</order></decoder>
<decoder name="n"><parent>c</parent><regex offset="after_regex">^(\\S+)</regex><order>srcip, f3</order></decoder>
`;

test('a multi-regex chain walks every node; a failed node sends the next back to cmatch', () => {
  const set = load(CHAIN);
  assert.deepEqual(run(set, 'c a b d').trace, ['f1=a', 'f2=b', 'srcip=d']);
  // Node 2 fails on "b": node 3 reads from cmatch (after "c ") again.
  assert.deepEqual(run(set, 'c a b').trace, ['f1=a', 'srcip=a']);
});

test("<field> reads the last node's dynamic names positionally, across the chain (measured)", () => {
  const set = load(CHAIN);
  // Node 3 (order [srcip, f3]) matched last; position 1 (f3) was filled by no node.
  const r = run(set, 'c a b d');
  assert.equal(dynamicField(r.lf, r.detail, 'F3'), undefined);
  assert.equal(dynamicField(r.lf, r.detail, 'f1'), undefined, 'f1 is not in the last node\'s order');
  const two = load(`
<decoder name="c"><prematch>^c </prematch></decoder>
<decoder name="n"><parent>c</parent><regex offset="after_parent">^(\\S+) (\\S+)</regex><order>foo, foo2</order></decoder>
<decoder name="n"><parent>c</parent><regex offset="after_regex">^ (\\S+)</regex><order>bar, baz</order></decoder>`);
  const s = run(two, 'c u1 u2 u3');
  assert.equal(dynamicField(s.lf, s.detail, 'bar'), 'u3');
  assert.equal(dynamicField(s.lf, s.detail, 'BAZ'), 'u2', 'position 1 still holds foo2 from node 1');
  assert.deepEqual(s.fields, { foo: 'u1', foo2: 'u2', bar: 'u3' });
});

test('capture packing, empty captures, extra captures and short captures (3.4 step 7)', () => {
  const set = load(`
<decoder name="a"><prematch>^a </prematch><regex>^a (x)|^a (y) (z)</regex><order>srcip, dstip</order></decoder>
<decoder name="b"><prematch_pcre2>^b </prematch_pcre2><pcre2>^b (q)?(r)()(s)(t)</pcre2><order>u1, u2, u3</order></decoder>
<decoder name="d"><prematch>^d </prematch><regex>^d (\\S+)</regex><order>srcip, dstip, id</order></decoder>`);
  assert.deepEqual(run(set, 'a y z').fields, { srcip: 'y', dstip: 'z' });
  assert.deepEqual(run(set, 'b rst').trace, ['u1=r', 'u2=', 'u3=s']);
  assert.deepEqual(run(set, 'd 1 2').trace, ['srcip=1']);
});

test('the field map keeps the last value; the trace keeps every capture with logtest labels', () => {
  const set = load('<decoder name="a"><prematch>^a </prematch><regex>^a (\\S+) (\\S+) (\\S+) (\\S+)</regex><order>extra_data, protocol, data, proto</order></decoder>');
  const r = run(set, 'a 1 2 3 4');
  assert.deepEqual(r.fields, { data: '3', protocol: '2', proto: '4' });
  assert.deepEqual(r.trace, ['extra_data=1', 'proto=2', 'extra_data=3', 'proto=4']);
});

test('no decoder: lf.decoder is undefined and DecodeDetail is reset between events', () => {
  const set = load(LISTS);
  const detail = new DecodeDetail(true);
  const a = ev('msg 1');
  decode(set, a, detail);
  assert.equal(detail.labels.length, 1);
  const b = ev('nothing');
  decode(set, b, detail);
  assert.equal(b.decoder, undefined);
  assert.equal(detail.labels.length, 0);
  // Without a detail object, decode still fills lf.
  const c = ev('msg 2');
  decode(set, c);
  assert.equal(c.fields.get('id'), '2');
});
