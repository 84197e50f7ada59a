import type { EventInfo } from '../../event-info.js';
import type { PluginDecoder } from '../types.js';

/**
 * SymantecWS_Decoder (decoders/plugins/symantecws_decoder.c): comma-separated `key=value` items
 * after the date, e.g. `20070717,73614,1=5,11=1.2.3.4,60=http://x/,10=userX,2=27`.
 * `10=` dstuser, `11=` srcip (128 chars at most), `60=` url (1024); the first of each wins.
 * `3=` or `2=` gives the id: the next 9 characters taken raw, commas included (`3=1,2=2`).
 */
export const symantecWsDecoder: PluginDecoder = {
  name: 'SymantecWS_Decoder',
  run(lf: EventInfo) {
    const log = lf.log;
    const f = lf.fields;
    // The C code looks for the first comma twice from the same place, so only the date is skipped.
    const first = log.indexOf(',');
    if (first < 0) return undefined;
    let p = first + 1;
    for (;;) {
      if (log.startsWith('10=', p)) p = takeValue(log, p + 3, 128, f, 'dstuser');
      else if (log.startsWith('11=', p)) p = takeValue(log, p + 3, 128, f, 'srcip');
      else if (log.startsWith('60=', p)) p = takeValue(log, p + 3, 1024, f, 'url');
      else if (log.startsWith('3=', p) || log.startsWith('2=', p)) {
        const end = Math.min(p + 9, log.length);
        if (!f.has('id')) f.set('id', log.slice(p, end));
        p = end;
      }
      const comma = log.indexOf(',', p);
      if (comma < 0) return undefined;
      p = comma + 1;
    }
  },
};

/** Copies up to `max` characters before the next comma; only the first value of a key is kept. */
function takeValue(log: string, start: number, max: number, f: Map<string, string>, key: string): number {
  let end = start;
  while (end < log.length && end - start < max && log[end] !== ',') end++;
  if (!f.has(key)) f.set(key, log.slice(start, end));
  return end;
}
