import type { EventInfo } from '../event-info.js';
import type { CompiledRuleName } from './types.js';

/**
 * `<compiled_rule>`: the five C functions OSSEC ships (compiled_rules/generic_samples.c),
 * rewritten from their documented behaviour. True means "keep going" (the C function returned lf).
 */
export type CompiledRuleFn = (ev: EventInfo) => boolean;

/** srcuser and dstuser are equal, or one of them is missing. */
function compSrcuserDstuser(ev: EventInfo): boolean {
  const s = ev.fields.get('srcuser');
  const d = ev.fields.get('dstuser');
  if (s === undefined || d === undefined) return true;
  return s === d;
}

/** The id field is at least 10 characters long. */
function checkIdSize(ev: EventInfo): boolean {
  const id = ev.fields.get('id');
  return id !== undefined && Buffer.byteLength(id) >= 10;
}

/**
 * Windows logs: true when "Target Account Name:" and "Caller User Name:" name different accounts.
 * Compares character by character from after each colon until the target name ends at a tab or a
 * double space (tabs never survive analysisd's control-character removal, so in practice the first
 * difference or the double space decides).
 */
function compMswinTargetuserCalleruserDiff(ev: EventInfo): boolean {
  const log = ev.log;
  let t = log.indexOf('Target Account Name');
  let c = log.indexOf('Caller User Name');
  if (t < 0 || c < 0) return false;
  t = log.indexOf(':', t);
  c = log.indexOf(':', c);
  if (t < 0 || c < 0) return false;
  t++;
  c++;
  while (t < log.length) {
    // Past the end of the log, C reads the terminating NUL, which differs from any character.
    if (c >= log.length || log[t] !== log[c]) return true;
    if (log[t] === '\t' || (log[t] === ' ' && log[t + 1] === ' ')) break;
    t++;
    c++;
  }
  return false;
}

/** A GET (or no action) for `/` or for a URL without a query string. */
function isSimpleHttpRequest(ev: EventInfo): boolean {
  const url = ev.fields.get('url');
  if (url === undefined) return false;
  const action = ev.fields.get('action');
  if (action !== undefined && action.toLowerCase() !== 'get') return false;
  return url === '/' || !url.includes('?');
}

const CRAWLER_PREFIXES = ['72.14.', '209.85.', '65.55.', '207.46.', '74.6.', '72.30.', '67.195.'];

/**
 * The log starts with an address of a known crawler network. OSSEC 4.3.0 then also does a reverse and
 * forward DNS lookup to recognise googlebot.com hosts; we deliberately do not: a blocking DNS query per
 * web-log event would stall the engine and make results depend on the network. Googlebot requests
 * from other networks therefore do not count as crawlers here.
 */
function isValidCrawler(ev: EventInfo): boolean {
  const log = ev.log;
  for (const p of CRAWLER_PREFIXES) if (log.startsWith(p)) return true;
  return false;
}

export const COMPILED_RULES: Record<CompiledRuleName, CompiledRuleFn> = {
  comp_srcuser_dstuser: compSrcuserDstuser,
  check_id_size: checkIdSize,
  comp_mswin_targetuser_calleruser_diff: compMswinTargetuserCalleruserDiff,
  is_simple_http_request: isSimpleHttpRequest,
  is_valid_crawler: isValidCrawler,
};
