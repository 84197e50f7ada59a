import type { EventInfo } from '../../event-info.js';
import type { Matcher } from '../../matchers/matcher.js';
import { compileOsRegex } from '../../matchers/os-regex.js';
import type { DecoderType, PluginDecoder, PluginResult } from '../types.js';

/**
 * SonicWall_Decoder (decoders/plugins/sonicwall_decoder.c). Three OSRegex patterns of its own
 * (they go through the same PCRE2 translation as any OSRegex in 4.3.0, so `.` is literal):
 *   pri=(\d) c=(\d+) m=(\d+)            → status, category, id
 *   src=(ip):(port):\S+ dst=(ip):(port): → srcip, srcport, dstip, dstport; then `proto=`
 *   result=(\d+) dstname=(\S+) arg=(\S+)$ → for proxy messages (id 97): id and url
 * It decides the event's decoder type: `syslog` unless the category or id says ids, firewall or
 * squid. The type is reset to syslog on every call, so the XML `<type>` never shows (3.5).
 */
const REGID = 'pri=(\\d) c=(\\d+) m=(\\d+) ';
const REGEX = 'src=(\\d+.\\d+.\\d+.\\d+):(\\d+):\\S+ dst=(\\d+.\\d+.\\d+.\\d+):(\\d+):';
const PROXY = 'result=(\\d+) dstname=(\\S+) arg=(\\S+)$';

const PASS_IDS = new Set(['98', '597', '598']);
const DROP_IDS = new Set(['38', '36', '173', '174', '37']);

const result = (type: DecoderType): PluginResult => ({ type });
const SYSLOG = result('syslog');
const IDS = result('ids');
const FIREWALL = result('firewall');
const SQUID = result('squid');

/** hostname_map of os_regex (2): the characters a protocol name may contain. */
const VALID_CHAR = /[A-Za-z0-9\-._@/()]/;

export function createSonicWallDecoder(): PluginDecoder {
  const prid: Matcher = compileOsRegex(REGID);
  const sdip: Matcher = compileOsRegex(REGEX);
  const prox: Matcher = compileOsRegex(PROXY);
  return {
    name: 'SonicWall_Decoder',
    run(lf: EventInfo) {
      const f = lf.fields;
      const log = lf.log;
      const m1 = prid.exec(log);
      if (!m1 || m1.captures.length < 3) return SYSLOG;
      f.set('status', m1.captures[0]);
      const id = m1.captures[2];
      f.set('id', id);
      const category = m1.captures[1].slice(0, 7);

      const rest = log.slice(m1.end);
      const m2 = sdip.exec(rest);
      if (!m2 || m2.captures.length < 4) return SYSLOG;
      f.set('srcip', m2.captures[0]);
      f.set('srcport', m2.captures[1]);
      f.set('dstip', m2.captures[2]);
      f.set('dstport', m2.captures[3]);

      // `proto=` must follow the first space after the match; at most 6 name characters.
      const after = m2.end;
      const space = rest.indexOf(' ', after);
      let tail: number | undefined = space < 0 ? undefined : space + 1;
      if (tail !== undefined && rest.startsWith('proto=', tail)) {
        let k = tail + 6;
        const start = k;
        while (k < rest.length && k - start < 6 && rest[k] !== '/' && VALID_CHAR.test(rest[k])) k++;
        f.set('protocol', rest.slice(start, k));
        tail = k;
      }

      if (category === '32') return IDS;
      if (PASS_IDS.has(id)) {
        f.set('action', 'pass');
        return FIREWALL;
      }
      if (DROP_IDS.has(id)) {
        f.set('action', 'drop');
        return FIREWALL;
      }
      if (id === '537') {
        f.set('action', 'close');
        return FIREWALL;
      }
      if (id === '97') {
        if (tail === undefined) return SQUID;
        const m3 = prox.exec(rest.slice(tail));
        if (!m3 || m3.captures.length < 1) return SQUID;
        f.set('id', m3.captures[0]);
        if (m3.captures.length >= 3) f.set('url', m3.captures[1] + m3.captures[2]);
        return SQUID;
      }
      return SYSLOG;
    },
  };
}
