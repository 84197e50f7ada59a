import type { EventInfo } from '../../event-info.js';
import type { PluginDecoder } from '../types.js';

/**
 * PF_Decoder (decoders/plugins/pf_decoder.c): OpenBSD pf lines such as
 * `rule 2/(match) pass in on xl0: 10.0.0.3.6667 > 10.0.0.10.16290: P 7408:7677(269) ...`.
 * A straight port of the C pointer walk. Fields written before a later check fails stay set,
 * as in C. Addresses carry the port after their fourth dot.
 */
export const pfDecoder: PluginDecoder = {
  name: 'PF_Decoder',
  run(lf: EventInfo) {
    const log = lf.log;
    const f = lf.fields;
    let i = log.indexOf(')');
    if (i < 0) return undefined;
    i++;
    if (log[i] !== ' ') return undefined;
    i++;
    if (log[i] === 'p') f.set('action', 'pass');
    else if (log[i] === 'b') f.set('action', 'block');
    else return undefined;

    i = log.indexOf(':', i);
    if (i < 0) return undefined;
    i++;
    if (log[i] !== ' ') return undefined;
    i++;
    const srcEnd = log.indexOf(' ', i);
    if (srcEnd < 0) return undefined;
    setAddress(f, log.slice(i, srcEnd), 'srcip', 'srcport');

    let j = srcEnd + 1;
    if (log[j] !== '>') return undefined;
    j++;
    if (log[j] !== ' ') return undefined;
    j++;
    const dstEnd = log.indexOf(':', j);
    if (dstEnd < 0) return undefined;
    setAddress(f, log.slice(j, dstEnd), 'dstip', 'dstport');

    for (let k = dstEnd + 1; k < log.length; k++) {
      const c = log[k];
      if (c === ' ') continue;
      f.set('protocol', c === 'u' ? 'UDP' : c === 'i' ? 'ICMP' : 'TCP');
      break;
    }
    return undefined;
  },
};

/** `a.b.c.d.port`: the part after the fourth dot is the port. */
function setAddress(f: Map<string, string>, text: string, ipKey: string, portKey: string): void {
  let dots = 0;
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '.' && ++dots === 4) {
      f.set(ipKey, text.slice(0, k));
      f.set(portKey, text.slice(k + 1));
      return;
    }
  }
  f.set(ipKey, text);
}
