import { hostname as osHostname } from 'node:os';

/** The local host's name as OSSEC's __shost: gethostname() cut at the first dot (ossec-analysis.md 1.2.8). */
export function shortHostname(): string {
  return (process.env.OSPATROL_HOSTNAME || osHostname()).split('.')[0];
}
