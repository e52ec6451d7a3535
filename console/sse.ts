// Server-sent events read from a fetch() body: EventSource cannot send the Authorization header.
// What the log stream uses: `event:` and `data:` fields (data lines joined by "\n"), events ended by a
// blank line, comment lines (":" — the host's heartbeat) ignored.

export interface SseEvent {
  /** `event:`'s value; "message" when absent. */
  readonly type: string;
  readonly data: string;
}

export interface SseChunk {
  readonly events: readonly SseEvent[];
  /** What follows the last complete event: prepend it to the next chunk. */
  readonly rest: string;
}

/**
 * @example parseSse('data: {"a":1}\n\nevent: dropped\ndata: {"dropped":3}\n\ndata: {"b"')
 * // { events: [{ type: 'message', data: '{"a":1}' }, { type: 'dropped', data: '{"dropped":3}' }], rest: 'data: {"b"' }
 */
export function parseSse(text: string): SseChunk {
  const blocks = text.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: SseEvent[] = [];
  for (const block of blocks) {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon === 0) continue; // a comment
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      if (field === 'data') data.push(value);
      else if (field === 'event') type = value;
    }
    if (data.length > 0) events.push({ type, data: data.join('\n') });
  }
  return { events, rest };
}

/** Calls `onEvent` for each event until the stream ends (an aborted fetch ends it with an error). */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const { events, rest } = parseSse(pending + decoder.decode(value, { stream: true }));
    pending = rest;
    for (const event of events) onEvent(event);
  }
}
