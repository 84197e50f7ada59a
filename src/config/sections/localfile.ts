import type { CommandConfig, LocalfileConfig, LogFormat, LogfileConfig } from '../model.js';
import { bytes, nonEmpty, seconds, text, yesNo, type ErrorCollector } from '../values.js';
import type { XmlElement } from '../xml.js';

const LOG_FORMATS = new Set<string>([
  'syslog',
  'command',
  'full_command',
  'snort-full',
  'snort-fast',
  'squid',
  'apache',
  'iis',
  'nmapg',
  'mysql_log',
  'postgresql_log',
  'djb-multilog',
  'eventlog',
  'eventchannel',
  'ossecalert',
  'ospatrolalert',
  'json',
  'audit',
]);

export function readLocalfile(c: ErrorCollector, section: XmlElement): LocalfileConfig | undefined {
  let format: string | undefined;
  let formatEl: XmlElement | undefined;
  let location: string | undefined;
  let command: string | undefined;
  let alias: string | undefined;
  let frequency = 360;
  let timeout = 60;
  let maxOutput = 64 * 1024;
  let onlyFuture = true;
  let linesPerEvent = 1;
  const before = c.count;
  for (const el of section.children) {
    switch (el.name) {
      case 'log_format': {
        formatEl = el;
        const v = text(el);
        const ml = /^multi-line\s*:\s*(\d+)$/.exec(v);
        if (ml) {
          format = 'multi-line';
          linesPerEvent = Number(ml[1]);
          if (linesPerEvent < 1 || linesPerEvent > 1000) c.error(el, `multi-line needs between 1 and 1000 lines, got ${ml[1]}`);
        } else if (LOG_FORMATS.has(v)) format = v === 'ospatrolalert' ? 'ossecalert' : v;
        else c.error(el, `unknown log format "${v}" (expected syslog, command, full_command, multi-line:N, ${[...LOG_FORMATS].filter((f) => !['syslog', 'command', 'full_command'].includes(f)).join(', ')})`);
        break;
      }
      case 'location':
        location = nonEmpty(c, el);
        break;
      case 'command':
        command = nonEmpty(c, el);
        break;
      case 'alias':
        alias = nonEmpty(c, el);
        break;
      case 'frequency':
        frequency = seconds(c, el, 1) ?? frequency;
        break;
      case 'timeout':
        timeout = seconds(c, el, 1) ?? timeout;
        break;
      case 'max_output':
        maxOutput = bytes(c, el) ?? maxOutput;
        break;
      case 'only-future-events':
        onlyFuture = yesNo(c, el) ?? onlyFuture;
        break;
      case 'target':
      case 'out_format':
      case 'query':
      case 'label':
      case 'age':
      case 'ignore_binaries':
        break; // Known elsewhere (Wazuh/OSSEC options) and without effect here.
      default:
        c.error(el, 'unknown option in <localfile> (expected log_format, location, command, alias, frequency, only-future-events, timeout, max_output)');
    }
  }
  if (!format) {
    if (!formatEl) c.error(section, 'missing <log_format>');
    return undefined;
  }
  if (c.count > before) return undefined;
  const pos = { file: section.file, line: section.line };
  if (format === 'command' || format === 'full_command') {
    if (!command) {
      c.error(section, `log_format ${format} needs a <command>`);
      return undefined;
    }
    const cfg: CommandConfig = {
      type: 'command',
      ...pos,
      command,
      format,
      alias: alias ?? command,
      frequencySeconds: frequency,
      timeoutSeconds: timeout,
      maxOutputBytes: maxOutput,
    };
    return cfg;
  }
  if (!location) {
    c.error(section, 'missing <location> (the file to read)');
    return undefined;
  }
  const cfg: LogfileConfig = {
    type: 'logfile',
    ...pos,
    location,
    format: format as LogFormat,
    linesPerEvent,
    onlyFutureEvents: onlyFuture,
    alias,
  };
  return cfg;
}
