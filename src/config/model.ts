/**
 * The configuration as OSPatrol understands it, after reading `ospatrol.conf`/`ossec.conf`.
 * Every value is validated and defaulted by `load.ts`; the rest of the system reads only this.
 */
export interface OspatrolConfig {
  /** The main configuration file, absolute. */
  file: string;
  global: GlobalConfig;
  alerts: AlertsConfig;
  rules: RulesConfig;
  localfiles: LocalfileConfig[];
}

export interface GlobalConfig {
  logall: boolean;
  jsonoutOutput: boolean;
  /** `ospatrol` (default) or `ossec`: the word in `<prefix>: output: '<alias>':` (see docs). */
  commandPrefix: string;
  emailNotification: boolean;
  emailTo: string[];
  emailFrom: string | undefined;
  smtpServer: string | undefined;
  emailMaxPerHour: number;
  whiteList: string[];
  /** The name this host goes by in alerts (default: short hostname). */
  hostname: string | undefined;
  /** Size of the event history used by frequency rules (OSSEC default 8192). */
  memorySize: number;
}

export interface AlertsConfig {
  logAlertLevel: number;
  emailAlertLevel: number;
}

export interface RulesConfig {
  /** Rule files, absolute, in load order (config order; rule_dir entries sorted by name). */
  ruleFiles: string[];
  /** Decoder files, absolute, in load order. */
  decoderFiles: string[];
  /** CDB-style list files as named in the config, with their absolute paths. */
  lists: Array<{ name: string; path: string }>;
  /** The directory the rules were resolved against (for messages). */
  baseDir: string;
}

export type LogFormat =
  | 'syslog'
  | 'command'
  | 'full_command'
  | 'multi-line'
  | 'snort-full'
  | 'snort-fast'
  | 'squid'
  | 'apache'
  | 'iis'
  | 'nmapg'
  | 'mysql_log'
  | 'postgresql_log'
  | 'djb-multilog'
  | 'eventlog'
  | 'eventchannel'
  | 'ossecalert'
  | 'json';

interface LocalfileBase {
  /** Where in the config this came from, for messages. */
  file: string;
  line: number;
}

export interface LogfileConfig extends LocalfileBase {
  type: 'logfile';
  /** Path or glob pattern as written. */
  location: string;
  format: LogFormat;
  /** For `multi-line:N`. */
  linesPerEvent: number;
  /** Start at the end of a file seen for the first time (OSSEC default: yes). */
  onlyFutureEvents: boolean;
  alias: string | undefined;
}

export interface CommandConfig extends LocalfileBase {
  type: 'command';
  command: string;
  format: 'command' | 'full_command';
  /** The location of its events and the text in the output prefix: alias, else the command. */
  alias: string;
  frequencySeconds: number;
  timeoutSeconds: number;
  maxOutputBytes: number;
}

export type LocalfileConfig = LogfileConfig | CommandConfig;
