import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { keptTailLines, LineSplitter, runProcess } from './run-process.js';

function split(chunks: readonly string[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(new TextEncoder().encode(chunk));
  splitter.end();
  return lines;
}

test('LineSplitter: lines across chunks, \\r\\n, a bare \\r, a last line without an ending', () => {
  assert.deepEqual(split(['one\ntw', 'o\r\nthree\r', '\nfour\rfive']), ['one', 'two', 'three', 'four', 'five']);
  assert.deepEqual(split(['\n\n']), ['', '']);
  assert.deepEqual(split([]), []);
});

test('LineSplitter: a UTF-8 character split between chunks', () => {
  const bytes = new TextEncoder().encode('héllo\n');
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.push(bytes.slice(0, 2));
  splitter.push(bytes.slice(2));
  assert.deepEqual(lines, ['héllo']);
});

test('runProcess streams both outputs line by line and keeps the tail', async () => {
  const seen: string[] = [];
  const script = `for i in $(seq 1 ${keptTailLines + 5}); do echo "out $i"; done; echo oops >&2; exit 3`;
  const result = await runProcess('sh', ['-c', script], { cwd: tmpdir(), onLine: (line, stream) => seen.push(`${stream}:${line}`) });
  assert.equal(result.exitCode, 3);
  assert.equal(result.signal, null);
  assert.equal(seen.length, keptTailLines + 6);
  assert.equal(seen[0], 'stdout:out 1');
  assert.equal(seen.at(-1), 'stderr:oops');
  assert.equal(result.tail.length, keptTailLines);
  assert.equal(result.tail.at(-1), 'oops');
});

test('runProcess reports a signal, and rejects when the program cannot start', async () => {
  const killed = await runProcess('sh', ['-c', 'kill -TERM $$'], { cwd: tmpdir(), onLine: () => undefined });
  assert.deepEqual([killed.exitCode, killed.signal], [null, 'SIGTERM']);
  await assert.rejects(runProcess('/nonexistent/tool', [], { cwd: tmpdir(), onLine: () => undefined }), /ENOENT/);
});
