// A function's log, live: GET …/logs?follow=1 answers with server-sent events (read through fetch, with
// the token): the recent lines, then each new one as the host writes it. A host that answers the same
// request with plain JSON (no streaming) is polled instead. The stream is re-opened when it ends.
import type { ApiClient } from './api.js';
import { readSse } from './sse.js';
import type { LogEntry, LogsBody } from './wire-types.js';

export type TailState = 'connecting' | 'live' | 'polling' | 'stopped';

/** How long to wait before re-opening a stream that ended, or between polls of a host without streaming. */
const retryDelayMs = 2_000;
/** Lines shown first: the recent past, then what comes. */
const backlogLines = 100;
/** Lines kept on screen; older ones scroll away. */
export const maxTailLines = 500;

export interface TailHandlers {
  readonly onLines: (lines: readonly LogEntry[]) => void;
  /** The host skipped lines this client was too slow to take (the stream's `dropped` event). */
  readonly onDropped: (count: number) => void;
  readonly onState: (state: TailState, detail?: string) => void;
}

/** Follows `name`'s log until `signal` aborts. */
export async function followLog(api: ApiClient, name: string, handlers: TailHandlers, signal: AbortSignal): Promise<void> {
  // A re-opened stream (or a poll) repeats its backlog: show each line once.
  const seen = new Set<string>();
  const fresh = (lines: readonly LogEntry[]) => {
    const added = lines.filter((line) => {
      const key = `${line.time}|${line.requestId}|${line.stream}|${line.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (seen.size > maxTailLines * 4) seen.clear(); // bounded; a rare repeat after this is harmless
    if (added.length > 0) handlers.onLines(added);
  };
  const path = `/v1/functions/${encodeURIComponent(name)}/logs?limit=${backlogLines}`;
  while (!signal.aborted) {
    try {
      handlers.onState('connecting');
      const response = await api.raw(`${path}&follow=1`, { signal, headers: { accept: 'text/event-stream' } });
      if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream') && response.body) {
        handlers.onState('live');
        await readSse(response.body, (event) => {
          if (event.type === 'dropped') handlers.onDropped((JSON.parse(event.data) as { dropped: number }).dropped);
          else if (event.type === 'message') fresh([JSON.parse(event.data) as LogEntry]);
        });
      } else {
        fresh(((await response.json()) as LogsBody).logs);
        handlers.onState('polling');
        while (!signal.aborted) {
          await delay(retryDelayMs, signal);
          fresh((await api.json<LogsBody>(path, { signal })).logs);
        }
      }
    } catch (err) {
      if (signal.aborted) break;
      const status = (err as { status?: number }).status;
      if (status === 401 || status === 404) {
        handlers.onState('stopped', (err as Error).message);
        return;
      }
      handlers.onState('connecting', (err as Error).message);
    }
    await delay(retryDelayMs, signal).catch(() => undefined);
  }
  handlers.onState('stopped');
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
