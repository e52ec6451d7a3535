// Server-sent events read from a fetch() body: EventSource cannot send the Authorization header.
// Only what the log stream uses: `data:` lines (joined by "\n" when several), events ended by a blank line.

export interface SseChunk {
  /** The data of each complete event. */
  readonly events: readonly string[];
  /** What follows the last complete event: prepend it to the next chunk. */
  readonly rest: string;
}

/**
 * @example parseSse('data: {"a":1}\n\ndata: {"b"') // { events: ['{"a":1}'], rest: 'data: {"b"' }
 */
export function parseSse(text: string): SseChunk {
  const normalised = text.replace(/\r\n?/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: string[] = [];
  for (const block of blocks) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
    if (data.length > 0) events.push(data.join('\n'));
  }
  return { events, rest };
}

/** Calls `onEvent` with each event's data until the stream ends (an aborted fetch ends it with an error). */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (data: string) => void): Promise<void> {
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
