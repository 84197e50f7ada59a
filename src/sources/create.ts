import type { CommandConfig, LocalfileConfig, LogfileConfig } from '../config/model.js';
import { CommandSource, type CommandSourceOptions } from './command/command-source.js';
import { LogfileSource, type LogfileSourceOptions } from './logfile/logfile-source.js';
import type { Source, SourceContext } from './source.js';

export interface CreateSourcesOptions {
  /** `ospatrol` (default) or `ossec` (GlobalConfig.commandPrefix), for both sources. */
  prefix?: string;
  command?: CommandSourceOptions;
  logfile?: LogfileSourceOptions;
}

/**
 * The sources for a configuration's `<localfile>` entries: one for all commands, one for all
 * files (they share one poll loop and one positions file). Empty kinds produce no source.
 */
export function createSources(localfiles: readonly LocalfileConfig[], ctx: SourceContext, options: CreateSourcesOptions = {}): Source[] {
  const commands = localfiles.filter((l): l is CommandConfig => l.type === 'command');
  const files = localfiles.filter((l): l is LogfileConfig => l.type === 'logfile');
  const prefix = options.prefix ?? 'ospatrol';
  const sources: Source[] = [];
  if (commands.length > 0) sources.push(new CommandSource(commands, ctx, { prefix, ...options.command }));
  if (files.length > 0) sources.push(new LogfileSource(files, ctx, { prefix, ...options.logfile }));
  return sources;
}
