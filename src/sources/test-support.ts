import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../events/event.js';

/** Helpers for the sources' tests (real processes, real files). Not used by production code. */

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `osp-${prefix}-`));
  made.push(d);
  return d;
}

/** Collects emitted events. */
export function collector(): { events: Event[]; emit: (e: Event) => void; messages: () => string[] } {
  const events: Event[] = [];
  return { events, emit: (e) => void events.push(e), messages: () => events.map((e) => e.message) };
}

export async function waitFor(cond: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Dead: no /proc entry, or a zombie. A killed grandchild is reparented to PID 1 and reaping it is
 * PID 1's job; in some sandboxes PID 1 never reaps, so a zombie there counts as gone.
 */
export function processGone(pid: number): boolean {
  const st = procStat(pid);
  return st === undefined || st.state === 'Z';
}

/** Live (non-zombie) members of a process group. */
export function liveGroupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st && st.pgrp === pgid && st.state !== 'Z') out.push(Number(name));
  }
  return out;
}

function procStat(pid: number): { state: string; pgrp: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may contain spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], pgrp: Number(fields[2]) };
}
