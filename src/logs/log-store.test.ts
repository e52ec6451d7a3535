import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogStore } from './log-store.js';

const line = (message: string) => ({ time: Date.parse('2026-01-01T00:00:00Z'), level: 'info' as const, stream: 'log' as const, message });

test('entries are kept in memory, written as JSONL, and read back after a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-logs-'));
  try {
    const store = new LogStore(dir);
    store.append('fn', 'r1', [line('one'), line('two')]);
    store.append('fn', 'r2', [line('three')]);
    assert.deepEqual((await store.tail('fn', 2)).map((e) => e.message), ['two', 'three']);
    await store.flush();
    const file = (await readFile(join(dir, 'fn.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(file.length, 3);
    assert.equal(JSON.parse(file[2]!).requestId, 'r2');

    const restarted = new LogStore(dir);
    assert.deepEqual((await restarted.tail('fn', 10)).map((e) => e.message), ['one', 'two', 'three']);
    await restarted.remove('fn');
    assert.deepEqual(await new LogStore(dir).tail('fn', 10), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('followers hear each entry of their function as it is appended, until they stop; delete and host close end them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-logs-'));
  try {
    const store = new LogStore(dir);
    const heard: string[] = [];
    let ended = 0;
    const stop = store.follow('fn', (entry) => heard.push(`${entry.requestId}:${entry.message}`), () => ended++);
    store.follow('other', () => heard.push('wrong function'), () => ended++);
    store.append('fn', 'r1', [line('one'), line('two')]);
    stop();
    store.append('fn', 'r2', [line('after stop')]);
    assert.deepEqual(heard, ['r1:one', 'r1:two']);
    assert.equal(ended, 0);

    store.follow('fn', () => undefined, () => ended++);
    await store.remove('fn'); // a deleted function's followers end
    assert.equal(ended, 1);
    store.endFollowers(); // the host closes: the rest end
    assert.equal(ended, 2);
    store.endFollowers();
    assert.equal(ended, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('entries carry the trace id the store is told of, and none when there is none', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-logs-'));
  try {
    let traceId: string | undefined = 'a'.repeat(32);
    const store = new LogStore(dir, { traceId: () => traceId });
    store.append('fn', 'r1', [line('traced')]);
    traceId = undefined;
    store.append('fn', 'r2', [line('untraced')]);
    const [traced, untraced] = await store.tail('fn', 2);
    assert.equal(traced!.traceId, 'a'.repeat(32));
    assert.equal('traceId' in untraced!, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
