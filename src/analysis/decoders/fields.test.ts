/** `<order>` and `<fts>` vocabularies (ossec-analysis.md 3.2; details measured, see fields.ts). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ftsList, parseFts, parseOrder, strBreak, type FtsPart } from './fields.js';

test('strBreak keeps the rest, commas included, in the last piece', () => {
  assert.deepEqual(strBreak('a,b,c,d', ',', 3), ['a', 'b', 'c,d']);
  assert.deepEqual(strBreak('', ',', 8), ['']);
  assert.deepEqual(strBreak('a,', ',', 8), ['a', '']);
});

test('order: exact static names, substring filename, first word after spaces, dynamic otherwise', () => {
  const slots = parseOrder(' user,dstuser , srcip x,SRCIP,extra_data,data,protocol,proto,my_filename_x,identity,\tid', 256);
  assert.ok(Array.isArray(slots));
  assert.deepEqual(
    slots.map((s) => `${s.key}/${s.label}/${s.dynamic ? 'dyn' : 'static'}`),
    [
      'dstuser/dstuser/static',
      'dstuser/dstuser/static',
      'srcip/srcip/static',
      'SRCIP/SRCIP/dyn',
      'data/extra_data/static',
      'data/extra_data/static',
      'protocol/proto/static',
      'proto/proto/dyn',
      'filename/filename/static',
      'identity/identity/dyn',
      '\tid/\tid/dyn',
    ],
  );
});

test('order: an empty name is refused with the raw piece', () => {
  assert.deepEqual(parseOrder('srcip,', 256), { bad: '' });
  assert.deepEqual(parseOrder('srcip, ,x', 256), { bad: ' ' });
});

test('order: at most decoder_order_size pieces, the last one keeps the rest', () => {
  const slots = parseOrder('a,b,c,d', 3);
  assert.ok(Array.isArray(slots));
  assert.deepEqual(slots.map((s) => s.key), ['a', 'b', 'c,d']);
});

test('fts: substring tests in OSSEC order, srcuser means dstuser, key order on output', () => {
  const parts = new Set<FtsPart>();
  assert.equal(parseFts('location, srcuser, extra_data, hostname, system_name', parts), undefined);
  assert.deepEqual(ftsList(parts), ['name', 'dstuser', 'data', 'system_name', 'location']);
  assert.equal(parseFts('srcport', new Set()), 'srcport');
  assert.equal(parseFts('srcip,', new Set()), '');
  assert.equal(ftsList(new Set()), undefined);
});
