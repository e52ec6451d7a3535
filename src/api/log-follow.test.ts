import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogStore } from '../logs/log-store.js';
import { readServerSentEvents, type ServerSentEvent } from '../client/server-sent-events.js';
import { followLogs, maxUnsentEvents } from './log-follow.js';

const line = (message: string) => ({ time: Date.parse('2026-12-07T00:00:00Z'), level: 'info' as const, stream: 'log' as const, message });

/** Reads events from `events` until `count` have come. */
async function take(events: AsyncGenerator<ServerSentEvent>, count: number): Promise<ServerSentEvent[]> {
  const taken: ServerSentEvent[] = [];
  while (taken.length < count) {
    const next = await events.next();
    assert.ok(!next.done, 'the stream ended early');
    taken.push(next.value);
  }
  return taken;
}

test('the backlog first, then live lines; a reader that falls behind loses lines and is told how many', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-follow-'));
  const logs = new LogStore(dir);
  try {
    logs.append('fn', 'old', [line('before')]);
    const response = followLogs(logs, 'fn', 10);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const events = readServerSentEvents(response.body! as unknown as AsyncIterable<Uint8Array>);
    const [backlog] = await take(events, 1);
    assert.equal(JSON.parse(backlog!.data).message, 'before');

    // Nobody reads while these are appended: past the allowance they are dropped, not queued.
    const appended = maxUnsentEvents + 50;
    for (let i = 0; i < appended; i++) logs.append('fn', `r${i}`, [line(`live ${i}`)]);
    const received: ServerSentEvent[] = [];
    while (received.at(-1)?.event !== 'dropped') received.push(...(await take(events, 1)));
    const kept = received.slice(0, -1).map((e) => JSON.parse(e.data).message);
    // The first lines in order, at least the allowance of them, none skipped in between.
    assert.ok(kept.length >= maxUnsentEvents && kept.length < appended, `${kept.length} kept`);
    assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => `live ${i}`));
    assert.equal(JSON.parse(received.at(-1)!.data).dropped, appended - kept.length);
    logs.append('fn', 'late', [line('after catching up')]);
    const [after] = await take(events, 1);
    assert.equal(JSON.parse(after!.data).message, 'after catching up');

    logs.endFollowers();
    assert.equal((await events.next()).done, true);
  } finally {
    logs.endFollowers();
    await rm(dir, { recursive: true, force: true });
  }
});
