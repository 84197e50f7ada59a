import { formatAlertsLog, type AlertsLogFormatOptions } from '../../alerts/alerts-log-format.js';
import { DailyFileSink, type DailyFileSinkOptions } from '../daily-file/daily-file-sink.js';

/**
 * OSSEC's alerts.log (ossec-analysis.md 9.1, 9.2) under our names: records are appended to
 * `<stateDir>/logs/alerts/<YYYY>/<Mon>/ospatrol-alerts-<DD>.log`, and `logs/alerts/alerts.log` is a
 * hard link to the current day's file. One write per alert, so readers see whole records.
 */
export interface AlertsLogSinkOptions extends DailyFileSinkOptions, AlertsLogFormatOptions {}

export class AlertsLogSink extends DailyFileSink {
  constructor(opts: AlertsLogSinkOptions) {
    const format: AlertsLogFormatOptions = { ossecCut: opts.ossecCut === true };
    super(
      {
        name: 'alerts-log',
        linkName: 'alerts.log',
        prefix: 'ospatrol-alerts-',
        ext: '.log',
        format: (alert) => formatAlertsLog(alert, format),
      },
      opts,
    );
  }
}
