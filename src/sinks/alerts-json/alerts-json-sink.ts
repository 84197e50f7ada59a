import { formatAlertJson } from '../../alerts/alerts-json-format.js';
import { DailyFileSink, type DailyFileSinkOptions } from '../daily-file/daily-file-sink.js';

/**
 * alerts.json: one JSON object per line (Wazuh field names, see alerts-json-format.ts), in
 * `<stateDir>/logs/alerts/<YYYY>/<Mon>/ospatrol-alerts-<DD>.json` beside the day's .log, with
 * `logs/alerts/alerts.json` a hard link to the current day's file. Each line, newline included, is
 * handed to the kernel in one write call, so a tailing reader does not find two objects interleaved.
 */
export type AlertsJsonSinkOptions = DailyFileSinkOptions;

export class AlertsJsonSink extends DailyFileSink {
  constructor(opts: AlertsJsonSinkOptions) {
    super(
      {
        name: 'alerts-json',
        linkName: 'alerts.json',
        prefix: 'ospatrol-alerts-',
        ext: '.json',
        format: (alert) => `${formatAlertJson(alert)}\n`,
      },
      opts,
    );
  }
}
