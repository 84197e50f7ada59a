import type { AgentRef } from '../events/event.js';

/**
 * The engine's working record for one event (OSSEC's `Eventinfo`, "lf"). Built by pre-decoding,
 * filled by the decoders, read by the rules. Internal to the analysis engine.
 */
export interface EventInfo {
  /** OSSEC location: the path/alias, or `(agent) ip->path` for agent events. */
  location: string;
  /** Syslog header host, else the local short hostname; for agents the whole location (1.2.8). */
  hostname: string;
  programName: string | undefined;
  /** The message after the syslog header: what decoders and rules see (5.8). */
  log: string;
  /** The whole cleaned message: what alerts print. */
  fullLog: string;
  /** Receive time, epoch ms. */
  time: number;
  agent: AgentRef | undefined;
  /** Set by the decoders. */
  decoder: DecoderRef | undefined;
  /** Decoded fields by canonical name (`srcip`, `dstuser`, ..., dynamic names as written). */
  fields: Map<string, string>;
  /** Level of a frequency rule that already used this event (6.2). */
  matched: number;
}

/** What a rule needs to know of the decoder that matched. */
export interface DecoderRef {
  /** Printed name (a child without use_own_name carries its parent's name). */
  name: string;
  /** Id used by `decoded_as` (3.1). */
  id: number;
  /** `syslog`, `firewall`, `ids`, `web-log`, `squid`, `windows`, `host-information`, `ossec`. */
  type: string;
  /** Field names of the decoder's `order`, canonical, for `<field name=...>` lookups. */
  order: readonly string[];
  /** FTS key parts, when the decoder has `<fts>`. */
  fts: readonly string[] | undefined;
}

/**
 * The static fields of OSSEC, canonical names. `user` is stored as `dstuser`; `extra_data` as
 * `data`; anything containing `filename` as `filename` (ossec-analysis.md 3.2).
 */
export const STATIC_FIELDS = [
  'dstuser',
  'srcuser',
  'srcip',
  'dstip',
  'srcport',
  'dstport',
  'protocol',
  'action',
  'id',
  'url',
  'data',
  'status',
  'system_name',
  'filename',
] as const;

export function newEventInfo(init: {
  location: string;
  hostname: string;
  programName: string | undefined;
  log: string;
  fullLog: string;
  time: number;
  agent?: AgentRef;
}): EventInfo {
  // One literal with every property in a fixed order: all EventInfos share one hidden class,
  // which keeps the rule and history code that reads them monomorphic (no spread: it is slower
  // and its shape depends on the init object).
  return {
    location: init.location,
    hostname: init.hostname,
    programName: init.programName,
    log: init.log,
    fullLog: init.fullLog,
    time: init.time,
    agent: init.agent,
    decoder: undefined,
    fields: new Map(),
    matched: 0,
  };
}
