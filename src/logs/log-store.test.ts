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
