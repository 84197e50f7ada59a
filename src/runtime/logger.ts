/**
 * The one logger: plain lines on stderr (and, for daemons, a file under the state dir), so a user
 * running `npm start` in a terminal reads them directly. Callers pass values as fields; nothing
 * here formats secrets, and callers must not pass them.
 */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(opts: { level?: LogLevel; file?: string; quiet?: boolean } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) return;
    let line = `${new Date().toISOString()} ospatrol[${process.pid}] ${level.toUpperCase()} ${msg}`;
    if (fields) for (const [k, v] of Object.entries(fields)) line += ` ${k}=${formatValue(v)}`;
    line += '\n';
    if (!opts.quiet) process.stderr.write(line);
    if (opts.file) {
      try {
        appendFileSync(opts.file, line, { mode: 0o600 });
      } catch {
        // A full disk must not stop detection; the line still went to stderr.
      }
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /^[\w./:@-]+$/.test(v) ? v : JSON.stringify(v);
  if (v instanceof Error) return JSON.stringify(v.message);
  return JSON.stringify(v) ?? String(v);
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
