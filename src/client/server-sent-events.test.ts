import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readServerSentEvents, type ServerSentEvent } from './server-sent-events.js';

/** The events of `chunks` (strings, or bytes to split a character between chunks). */
async function eventsOf(...chunks: Array<string | Uint8Array>): Promise<ServerSentEvent[]> {
  async function* bytes() {
    for (const chunk of chunks) yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  }
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(bytes())) events.push(event);
  return events;
}

test('data events, comments skipped, multi-line data joined, named events kept', async () => {
  assert.deepEqual(await eventsOf(': following hello\n\n', 'data: {"a":1}\n\n', 'data: one\ndata: two\n\n', 'event: dropped\ndata: {"dropped":3}\n\n'), [
    { event: 'message', data: '{"a":1}' },
    { event: 'message', data: 'one\ntwo' },
    { event: 'dropped', data: '{"dropped":3}' },
  ]);
});

test('events split anywhere across chunks, CRLF and CR line ends, no space after the colon', async () => {
  const umlaut = new TextEncoder().encode('data: ü\n\n');
  assert.deepEqual(await eventsOf('da', 'ta: x\r', '\n\r\ndata:y\r\r', umlaut.subarray(0, 7), umlaut.subarray(7)), [
    { event: 'message', data: 'x' },
    { event: 'message', data: 'y' },
    { event: 'message', data: 'ü' },
  ]);
});

test('an event not terminated by a blank line is not dispatched; a blank line without data dispatches nothing', async () => {
  assert.deepEqual(await eventsOf('\n\n: hb\n\ndata: cut'), []);
});
