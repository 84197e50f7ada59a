import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileCheckDiffStore, type DiffKey } from './check-diff-store.js';
import { WriteBehindCheckDiffStore } from './check-diff-write-behind.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ospatrol-diff-wb-'));
}

const key: DiffKey = { host: 'vm', ruleId: 533, location: 'netstat' };
const other: DiffKey = { host: 'vm', ruleId: 533, location: 'df -P' };

test('changes wait in the log and in memory, reach their files on flush, and the log empties', () => {
  const dir = tmp();
  try {
    const files = new FileCheckDiffStore(dir);
    const store = new WriteBehindCheckDiffStore(files, { delayMs: 60_000 });
    store.writeText(key, 'one');
    store.writeText(key, 'two');
    store.writeExtra(key, '{"flips":1}');
    store.writeText(other, 'disk');
    const log = join(dir, 'queue', 'diff-pending.log');
    assert.equal(statSync(log).mode & 0o777, 0o600);
    assert.equal(readFileSync(log, 'utf8').split('\n').filter(Boolean).length, 4);
    // Read from memory; the files are not written yet.
    assert.deepEqual(store.readEntry(key), { text: 'two', extra: '{"flips":1}', adopted: false });
    assert.equal(files.readEntry(key), undefined);
    store.flush();
    assert.deepEqual(files.readEntry(key), { text: 'two', extra: '{"flips":1}', adopted: false });
    assert.equal(files.readEntry(other)?.text, 'disk');
    assert.equal(readFileSync(log, 'utf8'), '');
    // Removing the option state is a change like any other.
    store.writeExtra(key, undefined);
    assert.equal(store.readEntry(key)?.extra, undefined);
    store.close();
    assert.deepEqual(files.readEntry(key), { text: 'two', extra: undefined, adopted: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('what a dead process left in the log is applied before the first read; a torn record is skipped', () => {
  const dir = tmp();
  try {
    const first = new WriteBehindCheckDiffStore(new FileCheckDiffStore(dir), { delayMs: 60_000 });
    first.writeText(key, 'before');
    first.flush();
    first.writeText(key, 'newest');
    first.writeText(other, 'df output');
    // The process dies here: no flush, no close. Its last record was cut half-way.
    appendFileSync(join(dir, 'queue', 'diff-pending.log'), '["t","vm",533,"netstat","cut');
    const next = new WriteBehindCheckDiffStore(new FileCheckDiffStore(dir));
    assert.equal(next.readEntry(key)?.text, 'newest');
    assert.equal(next.readEntry(other)?.text, 'df output');
    assert.equal(new FileCheckDiffStore(dir).readEntry(key)?.text, 'newest', 'applied to the files');
    assert.equal(readFileSync(join(dir, 'queue', 'diff-pending.log'), 'utf8'), '', 'the log starts empty again');
    next.writeText(key, 'after');
    next.close();
    assert.equal(new FileCheckDiffStore(dir).readEntry(key)?.text, 'after');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a process killed with -9 right after its writes loses none of them', { timeout: 60000 }, async () => {
  const dir = tmp();
  try {
    const module = new URL('./check-diff-write-behind.ts', import.meta.url).href;
    const files = new URL('./check-diff-store.ts', import.meta.url).href;
    // A real process writes 500 outputs, says so, and waits to be killed before any flush.
    const script = `
      const { WriteBehindCheckDiffStore } = await import(${JSON.stringify(module)});
      const { FileCheckDiffStore } = await import(${JSON.stringify(files)});
      const s = new WriteBehindCheckDiffStore(new FileCheckDiffStore(${JSON.stringify(dir)}), { delayMs: 600000 });
      for (let i = 0; i < 500; i++) s.writeText({ host: 'vm', ruleId: 533, location: 'cmd' + (i % 5) }, 'output ' + i);
      process.stdout.write('written\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('written') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    for (let c = 0; c < 5; c++) assert.equal(new FileCheckDiffStore(dir).readEntry({ host: 'vm', ruleId: 533, location: `cmd${c}` }), undefined, 'flushed before the kill');
    assert.ok(existsSync(join(dir, 'queue', 'diff-pending.log')));
    const store = new WriteBehindCheckDiffStore(new FileCheckDiffStore(dir));
    for (let c = 0; c < 5; c++) assert.equal(store.readEntry({ host: 'vm', ruleId: 533, location: `cmd${c}` })?.text, `output ${495 + c}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
