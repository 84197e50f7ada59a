import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCommandResult, type RenderSpec } from './render.js';
import type { CommandResult } from './runner.js';

function result(over: Partial<CommandResult> = {}): CommandResult {
  return {
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    stdoutTruncated: false,
    stderrTruncated: false,
    exitCode: 0,
    signal: null,
    killedBy: undefined,
    spawnError: undefined,
    leftoversKilled: false,
    unkillable: false,
    pid: 1,
    durationMs: 1,
    ...over,
  };
}

const line: RenderSpec = { prefix: 'ospatrol', label: 'df', format: 'command', timeoutSeconds: 60, maxOutputBytes: 65536 };
const full: RenderSpec = { ...line, format: 'full_command' };
const out = (s: string): Buffer => Buffer.from(s, 'utf8');

test('command: one event per line, trailing space after the colon, last line kept, empty lines skipped, \\r stripped', () => {
  assert.deepEqual(renderCommandResult(line, result({ stdout: out('a b\r\n\nc\n') })), [
    "ospatrol: output: 'df': a b",
    "ospatrol: output: 'df': c",
  ]);
  assert.deepEqual(renderCommandResult(line, result({ stdout: out('x\ny') })), ["ospatrol: output: 'df': x", "ospatrol: output: 'df': y"]);
  assert.deepEqual(renderCommandResult(line, result({ stdout: out('  \n') })), ["ospatrol: output: 'df':   "]);
});

test('full_command: header newline body; trailing newline removed; last line kept without newline; \\r removed; blank lines kept', () => {
  assert.deepEqual(renderCommandResult(full, result({ stdout: out('a\r\nb\n') })), ["ospatrol: output: 'df':\na\nb"]);
  assert.deepEqual(renderCommandResult(full, result({ stdout: out('a\nb') })), ["ospatrol: output: 'df':\na\nb"]);
  assert.deepEqual(renderCommandResult(full, result({ stdout: out('a\n\n\nb\n') })), ["ospatrol: output: 'df':\na\n\n\nb"]);
  assert.deepEqual(renderCommandResult(full, result({ stdout: out('\n') })), ["ospatrol: output: 'df':\n"]);
});

test('no output, status 0: no event at all (as OSSEC)', () => {
  assert.deepEqual(renderCommandResult(full, result()), []);
  assert.deepEqual(renderCommandResult(line, result()), []);
});

test('ossec prefix in compat mode', () => {
  assert.deepEqual(renderCommandResult({ ...line, prefix: 'ossec' }, result({ stdout: out('z\n') })), ["ossec: output: 'df': z"]);
});

test('size cut: marker line at the end of the output', () => {
  const r = result({ stdout: out('y\ny\ny'), stdoutTruncated: true, killedBy: 'output-limit', exitCode: null, signal: 'SIGTERM' });
  assert.deepEqual(renderCommandResult({ ...full, maxOutputBytes: 5 }, r), ["ospatrol: output: 'df':\ny\ny\ny\n[ospatrol: output truncated at 5 bytes]"]);
  assert.deepEqual(renderCommandResult({ ...line, maxOutputBytes: 5 }, r), [
    "ospatrol: output: 'df': y",
    "ospatrol: output: 'df': y",
    "ospatrol: output: 'df': y",
    "ospatrol: output: 'df': [ospatrol: output truncated at 5 bytes]",
  ]);
});

test('timeout: partial output marked, then the timeout event; no exit event for our own kill', () => {
  const r = result({ stdout: out('part\n'), killedBy: 'timeout', exitCode: null, signal: 'SIGTERM' });
  assert.deepEqual(renderCommandResult({ ...full, timeoutSeconds: 0.5 }, r), [
    "ospatrol: output: 'df':\npart\n[ospatrol: output truncated: command killed after 0.5s]",
    "ospatrol: command timeout: 'df': killed after 0.5s",
  ]);
  assert.deepEqual(renderCommandResult(full, result({ killedBy: 'timeout', exitCode: null, signal: 'SIGTERM' })), [
    "ospatrol: command timeout: 'df': killed after 60s",
  ]);
});

test('non-zero exit, death by signal, stderr (cleaned, capped)', () => {
  assert.deepEqual(renderCommandResult(full, result({ stdout: out('o\n'), stderr: out('e1\r\ne2\n'), exitCode: 2 })), [
    "ospatrol: output: 'df':\no",
    "ospatrol: command stderr: 'df':\ne1\ne2",
    "ospatrol: command exit: 'df': status 2",
  ]);
  assert.deepEqual(renderCommandResult(line, result({ exitCode: null, signal: 'SIGSEGV' })), ["ospatrol: command exit: 'df': signal SIGSEGV"]);
  assert.deepEqual(renderCommandResult({ ...line, maxOutputBytes: 3 }, result({ stderr: out('abc'), stderrTruncated: true })), [
    "ospatrol: command stderr: 'df':\nabc\n[ospatrol: stderr truncated at 3 bytes]",
  ]);
});

test('spawn failure: one error event', () => {
  assert.deepEqual(renderCommandResult(line, result({ spawnError: 'spawn /bin/sh EAGAIN', pid: undefined, exitCode: null })), [
    "ospatrol: command error: 'df': spawn /bin/sh EAGAIN",
  ]);
});

test('binary and invalid UTF-8 output is decoded with replacement characters', () => {
  const r = result({ stdout: Buffer.from([0x61, 0xff, 0x00, 0x62, 0x0a]) });
  assert.deepEqual(renderCommandResult(line, r), ["ospatrol: output: 'df': a\uFFFD\u0000b"]);
});

