import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './local-process.js';

/** OSSEC's and OSPatrol's rulesets and test suites, kept beside the project (never copied into it: GPL). */
export const conformanceDir = join(projectRoot, '..', 'shared', 'conformance');

/**
 * Whether the conformance data is here. Under CI it must be: a missing folder fails the suite
 * instead of letting it pass silently.
 */
export function conformanceAvailable(): boolean | string {
  if (existsSync(conformanceDir)) return true;
  if (process.env.CI) throw new Error(`conformance data missing at ${conformanceDir} (required under CI)`);
  return `conformance data not found at ${conformanceDir}`;
}
