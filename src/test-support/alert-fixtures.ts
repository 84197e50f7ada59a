import type { Alert } from '../alerts/alert.js';

/**
 * Alerts shaped like the verified OSSEC records of ossec-analysis.md 9.1, for the format and sink
 * tests. Named `*.test.ts` so the build (tsconfig.build.json) leaves it out; it holds no tests.
 * It belongs in src/test-support/ once that folder's owner takes it.
 */

/** The "Verified check_diff alert (local)": rule 533, mail marker, `Previous output:` context. */
export function checkDiffAlert(overrides: Partial<Alert> = {}): Alert {
  const previous = "ossec: output: 'netstat -tan':tcp 0.0.0.0:22 0.0.0.0:* LISTEN";
  return {
    id: '1795549487.2',
    timestamp: 1795549487_000,
    rule: {
      id: 533,
      level: 7,
      description: 'Listened ports status (netstat) changed (new port opened or closed).',
      groups: ['ossec'],
      groupText: 'ossec,',
      mail: true,
      firedtimes: 1,
    },
    agent: { id: '000', name: 'vm' },
    hostname: 'vm',
    location: 'netstat -tan',
    fullLog: "ossec: output: 'netstat -tan':tcp 0.0.0.0:22 0.0.0.0:* LISTENtcp 0.0.0.0:80 0.0.0.0:* LISTEN",
    previousOutput: previous,
    context: ['Previous output:', previous],
    decoder: { name: 'ossec' },
    fields: {},
    ...overrides,
  };
}

/** The "Verified remote-syslog alert" shape: no mail marker, Src IP and User lines. */
export function sshdAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: '1795549508.14',
    timestamp: 1795549508_000,
    rule: {
      id: 5503,
      level: 5,
      description: 'User login failed.',
      groups: ['syslog', 'sshd', 'authentication_failed'],
      groupText: 'syslog,sshd,authentication_failed,',
      mail: false,
      firedtimes: 3,
    },
    agent: { id: '000', name: 'vm' },
    hostname: 'fw1',
    location: '10.1.1.1',
    fullLog: 'Nov 24 19:45:08 fw1 sshd[2211]: Failed password for root from 1.2.3.4 port 50022 ssh2',
    context: [],
    decoder: { name: 'sshd' },
    programName: 'sshd',
    fields: { srcip: '1.2.3.4', srcport: '50022', dstuser: 'root', srcuser: 'nobody' },
    ...overrides,
  };
}
