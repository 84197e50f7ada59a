import type { EventInfo } from '../../event-info.js';
import { OSSEC_ALERT_TYPE, type ForwardedAlert, type PluginDecoder, type PluginResult } from '../types.js';

/**
 * OSSECAlert_Decoder (decoders/plugins/ossecalert_decoder.c) re-reads an alert forwarded by
 * another server: `Alert Level: 3; Rule: 5715 - desc; Location: (a) ip->/var/log/secure;
 * srcip: 1.2.3.4; user: root; <original log>`.
 *
 * The event's decoder type becomes OSSEC_ALERT on every call, whatever follows. The C code then
 * looks the rule up by id and, only when it exists, rewrites location/hostname, sets srcip and
 * dstuser, replaces full_log and log, and finally points generated_rule at the rule. The rule
 * table belongs to the rule engine, so this decoder only parses: the ForwardedAlert it returns
 * says what OSSEC would change, and applyForwardedAlert() applies it once the rule is found.
 * Measured: ossec-logtest never finds the rule (no Phase 3 for any forwarded alert).
 *
 * OSPatrolAlert_Decoder is OSPatrol's copy: prefix `ospatrol: Alert Level` and a location of
 * `<host>-><loc>|<orig>` for events that are not from an agent.
 */
function create(name: string, prefix: string, style: ForwardedAlert['style']): PluginDecoder {
  const typeOnly: PluginResult = { type: OSSEC_ALERT_TYPE };
  return {
    name,
    run(lf: EventInfo) {
      const forwarded = parseForwardedAlert(lf.log, prefix, style);
      return forwarded ? { type: OSSEC_ALERT_TYPE, forwarded } : typeOnly;
    },
  };
}

export const ossecAlertDecoder = create('OSSECAlert_Decoder', 'ossec: Alert Level', 'ossec');
export const ospatrolAlertDecoder = create('OSPatrolAlert_Decoder', 'ospatrol: Alert Level', 'ospatrol');

/** The parse up to the rule lookup must succeed; what comes after may stop early (fields kept). */
export function parseForwardedAlert(log: string, prefix: string, style: ForwardedAlert['style']): ForwardedAlert | undefined {
  // strncmp with 12 and strlen-1 characters: the trailing ' ' / ':' of the literals is not compared.
  if (!log.startsWith('Alert Level:') && !log.startsWith(prefix)) return undefined;
  let t = log.indexOf(';');
  if (t < 0) return undefined;
  t = log.indexOf(':', t + 1);
  if (t < 0) return undefined;
  t++;
  if (log[t] !== ' ') return undefined;
  t++;
  const idEnd = log.indexOf(' ', t);
  if (idEnd < 0) return undefined;
  const ruleId = log.slice(t, idEnd);

  const items: Array<['srcip' | 'dstuser', string]> = [];
  const partial = (location: string | undefined): ForwardedAlert => ({ ruleId, location, items, log: undefined, style });
  t = log.indexOf(';', idEnd);
  if (t < 0) return partial(undefined);
  t++;
  if (!log.startsWith(' Location: ', t)) return partial(undefined);
  t += 11;
  const locEnd = log.indexOf(';', t);
  if (locEnd < 0) return partial(undefined);
  const location = log.slice(t, locEnd);
  t = locEnd + 1;
  // Items are `; name: value` while a single space follows the `;`.
  while (log[t] === ' ' && log[t + 1] !== ' ') {
    t++;
    const end = log.indexOf(';', t);
    if (end < 0) return partial(location);
    const val = log.slice(t, end);
    if (val.startsWith('srcip: ')) items.push(['srcip', val.slice(7)]);
    if (val.startsWith('user: ')) items.push(['dstuser', val.slice(6)]);
    t = end + 1;
  }
  while (log[t] === ' ') t++;
  // The new full log goes through a 4095-byte buffer filled with strncpy(…, 4094).
  return { ruleId, location, items, log: log.slice(t, t + 4094), style };
}

/**
 * What OSSEC does once the forwarded rule id is known to exist. Returns true when the parse was
 * complete, i.e. when OSSEC sets generated_rule and the rule loop uses that rule (5.6).
 */
export function applyForwardedAlert(lf: EventInfo, fa: ForwardedAlert): boolean {
  if (fa.location === undefined) return false;
  // snprintf into 256 bytes with a limit of 255: at most 254 characters survive.
  const isAgent = lf.hostname === lf.location;
  const loc = fa.style === 'ospatrol' && !isAgent ? `${lf.hostname}->${lf.location}|${fa.location}` : `${lf.location}|${fa.location}`;
  lf.location = loc.slice(0, 254);
  lf.hostname = lf.location;
  for (const [key, value] of fa.items) lf.fields.set(key, value);
  if (fa.log === undefined) return false;
  lf.fullLog = fa.log;
  lf.log = fa.log;
  return true;
}
