import { join, resolve } from 'node:path';
import type { OspatrolConfig } from '../../config/model.js';
import type { Logger } from '../../runtime/logger.js';
import { AlertsJsonSink } from '../alerts-json/alerts-json-sink.js';
import { AlertsLogSink } from '../alerts-log/alerts-log-sink.js';
import { EmailOutput } from '../email/email-output.js';
import { connectServer, describeTarget, serverTarget } from '../sql/sql-connection.js';
import { SqlDatabaseSink } from '../sql/sql-database-sink.js';
import { SqliteSink } from '../sqlite/sqlite-sink.js';
import { SyslogOutput } from '../syslog/syslog-output.js';
import { outputSlug } from './cursor-store.js';
import { FileOutput } from './file-output.js';
import type { Output } from './output.js';
import { StoreOutput } from './store-output.js';

/**
 * Every output the configuration asks for, built once per start or reload: alerts.log, alerts.json
 * (jsonout_output), the embedded SQLite store (always: `ospatrol alerts` reads it), each
 * `<database_output>`, each `<syslog_output>`, and e-mail when `email_notification` is on.
 * Names are derived from what an output delivers to (not its place in the file), so reordering
 * the configuration keeps each output's cursor.
 */
export interface OutputContext {
  stateDir: string;
  /** This manager's name (server row, syslog HOSTNAME). */
  hostname: string;
  version: string;
  logger: Logger;
  /** E-mail grouping delay (default 10 s). */
  emailGroupDelayMs?: number;
}

export function createOutputs(config: OspatrolConfig, ctx: OutputContext): Output[] {
  const outputs: Output[] = [];
  try {
    build(config, ctx, outputs);
  } catch (err) {
    // Release what was opened before the one that failed (files, the SQLite store).
    for (const o of outputs) void Promise.resolve().then(() => o.close()).catch(() => undefined);
    throw err;
  }
  // Two blocks naming the same target would share a cursor: number the repeats.
  const seen = new Map<string, number>();
  for (const o of outputs) {
    const n = (seen.get(o.name) ?? 0) + 1;
    seen.set(o.name, n);
    if (n > 1) (o as { name: string }).name = `${o.name}-${n}`;
  }
  return outputs;
}

function build(config: OspatrolConfig, ctx: OutputContext, outputs: Output[]): void {
  const { stateDir, logger, hostname, version } = ctx;
  const logsDir = join(stateDir, 'logs', 'alerts');
  outputs.push(new FileOutput('alerts-log', new AlertsLogSink({ stateDir, logger }), logger, join(logsDir, 'alerts.log')));
  if (config.global.jsonoutOutput) {
    outputs.push(new FileOutput('alerts-json', new AlertsJsonSink({ stateDir, logger }), logger, join(logsDir, 'alerts.json')));
  }
  const store = new SqliteSink({ stateDir, serverName: hostname, serverVersion: version });
  outputs.push(new StoreOutput('sqlite', store.path, true, store, logger));

  for (const db of config.databaseOutputs) {
    if (db.type === 'sqlite') {
      const sink = new SqliteSink({ stateDir, path: resolve(stateDir, db.database), serverName: hostname, serverVersion: version });
      outputs.push(new StoreOutput(outputSlug(`sqlite-${sink.path}`), sink.path, true, sink, logger));
      continue;
    }
    const type = db.type;
    const target = serverTarget(db);
    const connect = () => connectServer(type, target);
    const described = describeTarget(db.type, target);
    const sink = new SqlDatabaseSink({ name: db.type, connect, serverName: hostname, serverVersion: version });
    const name = outputSlug(`${db.type}-${db.username}@${db.socket ?? `${db.hostname}-${db.port}`}-${db.database}`);
    outputs.push(new StoreOutput(name, described, false, sink, logger));
  }

  for (const s of config.syslogOutputs) outputs.push(new SyslogOutput(s, { hostname, version, logger }));

  const g = config.global;
  if (g.emailNotification && (g.emailTo.length > 0 || config.emailAlerts.length > 0)) {
    outputs.push(new EmailOutput({ global: g, granular: config.emailAlerts, logger, groupDelayMs: ctx.emailGroupDelayMs }));
  }
}
