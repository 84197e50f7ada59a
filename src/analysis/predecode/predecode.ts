import { removeControlCharacters } from './control-chars.js';
import { parseSyslogHeader } from './syslog-header.js';

export interface Predecoded {
  location: string;
  hostname: string;
  programName: string | undefined;
  log: string;
  fullLog: string;
}

/**
 * Pre-decoding of one event (ossec-analysis.md 1.2 steps 5-9 and section 2): clean the message,
 * keep it whole as `fullLog`, and move `log` past a recognised syslog-style header, taking the
 * hostname and program name from it.
 *
 * `localHostname` is the server's short name (`gethostname()` cut at the first `.`), used when no
 * header gave a hostname.
 */
export function predecode(
  input: { location: string; message: string; agent?: { name: string; ip: string } },
  localHostname: string,
): Predecoded {
  const location = input.agent ? agentLocation(input.agent, input.location) : input.location;
  const fullLog = removeControlCharacters(input.message);
  const header = parseSyslogHeader(fullLog);
  // Agent events: the hostname is the whole location, whatever the header said (1.2.8, 12.21).
  const hostname = input.agent ? location : (header.hostname ?? localHostname);
  return { location, hostname, programName: header.programName, log: header.log, fullLog };
}

/** `(name) ip->location`, as ossec-remoted builds it (1.1); left alone if already in that form. */
function agentLocation(agent: { name: string; ip: string }, location: string): string {
  const prefix = `(${agent.name}) ${agent.ip}->`;
  return location.startsWith(prefix) ? location : prefix + location;
}
