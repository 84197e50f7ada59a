import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decoderIdOf, loadDecoders, type DecoderSet } from '../decoders/index.js';
import type { EventInfo } from '../event-info.js';
import { loadRuleset, type Ruleset } from './ruleset.js';

/**
 * Test helpers: the conformance data in ../shared (read in place, never copied: GPLv2). When it is
 * missing the tests skip with a reason, except in CI, where that is a failure.
 */
export function sharedPath(rel: string): { path: string | undefined; skip: string | false } {
  const path = fileURLToPath(new URL(`../../../../shared/${rel}`, import.meta.url));
  if (existsSync(path)) return { path, skip: false };
  if (process.env.CI) throw new Error(`conformance data missing in CI: ${path}`);
  return { path: undefined, skip: `conformance data not found: ${path}` };
}

/** The `<include>` names of a config, in order, commented-out ones left out. */
export function includesOf(configFile: string): string[] {
  const text = readFileSync(configFile, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  return [...text.matchAll(/<include>\s*([^<]*?)\s*<\/include>/g)].map((m) => m[1]);
}

export interface ShippedSet {
  decoders: DecoderSet;
  ruleset: Ruleset;
  ruleFiles: string[];
}

/** The whole shipped ruleset of OSSEC 4.3.0 (ossec-full-ruleset.conf) or OSPatrol (ospatrol-server.conf). */
export function loadShipped(system: 'ossec' | 'ospatrol', filter: (name: string) => boolean = () => true): ShippedSet {
  const etc = sharedPath(system === 'ossec' ? 'conformance/ossec-4.3.0/etc' : 'conformance/ospatrol/etc').path!;
  const conf = join(etc, system === 'ossec' ? 'ossec-full-ruleset.conf' : 'ospatrol-server.conf');
  const ruleFiles = includesOf(conf)
    .filter(filter)
    .map((n) => join(etc, 'rules', n));
  const decoders = loadDecoders([join(etc, 'decoder.xml')]);
  const ruleset = loadRuleset(ruleFiles, { decoderIdOf: (n) => decoderIdOf(decoders, n), logAlertLevel: 1, emailAlertLevel: 7 });
  return { decoders, ruleset, ruleFiles };
}

/** Decoder ids for hand-written rule tests: names a, b, c... as the tests need them. */
export const TEST_DECODER_IDS = new Map([
  ['tst', 5],
  ['web', 6],
  ['fw', 7],
  ['ossec', 8],
]);

/** The roots every test ruleset starts with (written here, not copied from OSSEC's files). */
export const TEST_ROOTS = `
<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root syslog</description></rule></group>
<group name="firewall,"><rule id="2" level="0" noalert="1"><category>firewall</category><description>root fw</description></rule></group>
<group name="ossec,"><rule id="7" level="0" noalert="1"><category>ossec</category><description>root ossec</description></rule></group>
`;

/** Loads rule XML texts in order (the test roots first unless `roots` is false). */
export function rulesFrom(texts: string | string[], opts: Partial<Parameters<typeof loadRuleset>[1]> & { roots?: boolean } = {}): Ruleset {
  const list = Array.isArray(texts) ? texts : [texts];
  const sources = [...(opts.roots === false ? [] : [{ file: 'roots.xml', text: TEST_ROOTS }]), ...list.map((text, i) => ({ file: `t${i}.xml`, text }))];
  return loadRuleset(sources, { decoderIdOf: (n) => TEST_DECODER_IDS.get(n), ...opts });
}

/** A decoded event for rule tests. `time` is in seconds. */
export function event(init: {
  log: string;
  decoder?: string;
  type?: string;
  fields?: Record<string, string>;
  time?: number;
  hostname?: string;
  location?: string;
  programName?: string;
  fts?: string[];
  order?: string[];
}): EventInfo {
  const name = init.decoder;
  return {
    location: init.location ?? '/var/log/test',
    hostname: init.hostname ?? 'host1',
    programName: init.programName,
    log: init.log,
    fullLog: `full ${init.log}`,
    time: (init.time ?? 1_000_000) * 1000,
    agent: undefined,
    decoder: name === undefined ? undefined : { name, id: TEST_DECODER_IDS.get(name) ?? 99, type: init.type ?? 'syslog', order: init.order ?? [], fts: init.fts },
    fields: new Map(Object.entries(init.fields ?? {})),
    matched: 0,
  };
}
