import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Event } from '../../events/event.js';
import { DecodeDetail } from '../decoders/decode.js';
import { decodeStage, loadEngine } from '../engine.js';
import { newEventInfo, type EventInfo } from '../event-info.js';
import { BatchDecoder, BatchEncoder, decoderRefs } from './codec.js';
import { projectRoot } from '../../../test/support/local-process.js';

const engine = loadEngine({ config: loadConfig(join(projectRoot, 'etc', 'ospatrol.conf')), hostname: 'host', logtest: true });
const refs = decoderRefs(engine.decoders);
const refIndex = new Map(refs.map((r, i) => [r, i]));

interface Case {
  event: Event;
  lf: EventInfo;
  slots: (string | undefined)[];
  passed: number[];
  forwarded?: Parameters<BatchEncoder['add']>[3];
}

function decoded(event: Event): Case {
  const detail = new DecodeDetail(false);
  const d = decodeStage(engine.decoders, 'host', event, detail);
  return { event, lf: d.lf, slots: detail.slots.slice(), passed: engine.preEvaluate(d.lf, detail), forwarded: d.forwarded };
}

function roundTrip(cases: (Case | 'failed')[]): void {
  const enc = new BatchEncoder(refIndex);
  const detail = new DecodeDetail(false);
  for (const c of cases) {
    if (c === 'failed') {
      enc.addFailed();
      continue;
    }
    detail.reset();
    c.slots.forEach((v, i) => v !== undefined && (detail.slots[i] = v));
    enc.add(c.event, c.lf, detail, c.forwarded, c.passed);
  }
  const batch = enc.finish();
  // As a worker posts it: the numbers by transfer, the text by copy.
  const dec = new BatchDecoder(structuredClone(batch, { transfer: [batch.nums.buffer as ArrayBuffer] }), refs);
  for (const c of cases) {
    const event = c === 'failed' ? { location: 'x', message: 'x', receivedAt: 0, kind: 'localfile' as const } : c.event;
    const d = dec.next(event, detail);
    if (c === 'failed') {
      assert.equal(d, undefined);
      continue;
    }
    assert.ok(d !== undefined);
    const { fields, decoder, ...rest } = d.lf;
    const { fields: wantFields, decoder: wantDecoder, ...wantRest } = c.lf;
    assert.deepEqual(rest, wantRest);
    assert.equal(decoder, wantDecoder);
    assert.deepEqual([...fields], [...wantFields]);
    assert.deepEqual(d.passed, c.passed);
    assert.deepEqual(d.forwarded, c.forwarded);
    assert.deepEqual(detail.slots.map((v, i) => [i, v]).filter(([, v]) => v !== undefined), c.slots.map((v, i) => [i, v]).filter(([, v]) => v !== undefined));
  }
}

const T = Date.UTC(2026, 0, 5, 10);

test('decoded events read back as they were, with what the rules thread already had left out', () => {
  const at = (message: string, extra: Partial<Event> = {}): Event => ({ location: '/var/log/auth.log', message, receivedAt: T, kind: 'localfile', ...extra });
  roundTrip([
    decoded(at('Jan  5 10:00:00 web1 sshd[42]: Failed password for root from 203.0.113.9 port 22 ssh2')),
    decoded(at("ospatrol: output: 'netstat':\ntcp 0.0.0.0:22 LISTEN", { location: 'netstat', kind: 'command' })),
    'failed',
    // Control characters are removed by pre-decoding: the full log is not the message any more.
    decoded(at('Jan  5 10:00:01 web1 su[7]: \u0007bell\u0001 and text')),
    decoded(at('no header at all', { agent: { id: '001', name: 'db1', ip: '10.0.0.5' } })),
  ]);
});

test('odd events: an empty host name alone in a batch, a log that is not the end of the message, a location with U+0000', () => {
  const event: Event = { location: 'loc', message: 'm', receivedAt: T, kind: 'localfile' };
  const bare = newEventInfo({ location: 'loc', hostname: '', programName: undefined, log: 'm', fullLog: 'm', time: T });
  roundTrip([{ event, lf: bare, slots: [], passed: [] }]);
  const moved = newEventInfo({ location: 'loc', hostname: 'h', programName: 'p', log: 'other', fullLog: 'm', time: T });
  moved.fields.set('srcip', '10.0.0.1');
  const odd = newEventInfo({ location: 'a\u0000b', hostname: 'h', programName: undefined, log: 'm', fullLog: 'm', time: T });
  roundTrip([{ event, lf: moved, slots: [undefined, 'x'], passed: [3, 1, 4] }, { event, lf: odd, slots: [], passed: [2] }, 'failed']);
});
