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
  /** `<database_output>` blocks, in file order. */
  databaseOutputs: DatabaseOutputConfig[];
  /** `<syslog_output>` blocks, in file order. */
  syslogOutputs: SyslogOutputConfig[];
  /** Granular `<email_alerts>` blocks, in file order (the global e-mail options are in `global`). */
  emailAlerts: EmailAlertsConfig[];
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
  /** OSSEC 4.x `smtp_port`; default 25 (465 with `secure_smtp`). */
  smtpPort: number | undefined;
  /** OSSEC 4.x `smtp_user` / `smtp_password` (`auth_smtp`). Never logged. */
  smtpUser: string | undefined;
  smtpPassword: string | undefined;
  /** OSSEC 4.x `secure_smtp`: TLS from the first byte (SMTPS). Without it STARTTLS is used when offered. */
  secureSmtp: boolean;
  emailReplyTo: string | undefined;
  /** `X-IDS-OSSEC` header value. */
  emailIdsname: string | undefined;
  heloServer: string | undefined;
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

/** Where a `<database_output>` block came from, for messages. */
interface OutputBase {
  file: string;
  line: number;
}

export interface DatabaseOutputConfig extends OutputBase {
  type: 'postgresql' | 'mysql' | 'sqlite';
  /** Server host (postgresql, mysql). */
  hostname: string;
  /** Default 5432 (postgresql), 3306 (mysql). */
  port: number;
  /** Unix socket path instead of hostname:port (mysql, postgresql: the socket directory). */
  socket: string | undefined;
  username: string;
  /** Never logged. */
  password: string;
  /** Database name; for sqlite the database file (relative to the state directory). */
  database: string;
}

export type SyslogFormat = 'default' | 'cef' | 'json' | 'splunk';

export interface SyslogOutputConfig extends OutputBase {
  server: string;
  port: number;
  format: SyslogFormat;
  /** `udp` (OSSEC's default), `tcp`, or `tls` (TCP with TLS, RFC 5425). */
  protocol: 'udp' | 'tcp' | 'tls';
  /** Only alerts of at least this level. */
  level: number | undefined;
  /** OS_Match pattern on the alert's group string. */
  group: string | undefined;
  /** Only these rule ids. */
  ruleIds: number[] | undefined;
  /** OS_Match pattern on the alert's location. */
  location: string | undefined;
  /** Verify the server's certificate (tls); default yes. */
  tlsVerify: boolean;
  /** CA file for tls, absolute. */
  tlsCa: string | undefined;
  /** Longest message in bytes, header included; longer logs are cut (OSPatrol). */
  maxSize: number;
}

export interface EmailAlertsConfig extends OutputBase {
  to: string[];
  /** Only alerts of at least this level. */
  level: number | undefined;
  /** OS_Match pattern on the alert's group string. */
  group: string | undefined;
  /** OS_Match pattern on the alert's location. */
  eventLocation: string | undefined;
  ruleIds: number[] | undefined;
  /** `full` (OSSEC's `default`) or `sms`. */
  format: 'full' | 'sms';
  /** Send at once instead of waiting to group alerts. */
  doNotDelay: boolean;
  /** One mail per alert. */
  doNotGroup: boolean;
}
