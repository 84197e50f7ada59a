import type { LogLevel, SourceContext } from './source.js';

/** A log record kept by `memoryContext`. */
export interface LogRecord {
  level: LogLevel;
  msg: string;
  data: Record<string, unknown> | undefined;
}

/** A `SourceContext` plus what it recorded. */
export interface MemoryContext extends SourceContext {
  counters: Map<string, number>;
  logs: LogRecord[];
}

/**
 * A context that keeps its counters and log records in memory: what tests assert on, and a
 * reasonable default for a runtime that has not wired its own logger yet.
 */
export function memoryContext(stateDir: string, overrides: Partial<SourceContext> = {}): MemoryContext {
  const counters = new Map<string, number>();
  const logs: LogRecord[] = [];
  return {
    stateDir,
    now: () => Date.now(),
    log: (level, msg, data) => {
      logs.push({ level, msg, data });
    },
    count: (name, by = 1) => {
      counters.set(name, (counters.get(name) ?? 0) + by);
    },
    ...overrides,
    counters,
    logs,
  };
}
