// A function's log, live: the recent lines first (GET …/logs), then every new one as the host writes it
// (GET …/logs?follow=1, server-sent events through fetch, with the token). A host that answers the
// follow request with plain JSON (no streaming) is polled instead. The stream is re-opened when it ends.
import type { ApiClient } from './api.js';
import { readSse } from './sse.js';
import type { LogEntry, LogsBody } from './wire-types.js';

export type TailState = 'connecting' | 'live' | 'polling' | 'stopped';

/** How long to wait before re-opening a stream that ended, or between polls of a host without streaming. */
const retryDelayMs = 2_000;
/** Lines kept on screen; older ones scroll away. */
export const maxTailLines = 500;

export interface TailHandlers {
  readonly onLines: (lines: readonly LogEntry[]) => void;
  readonly onState: (state: TailState, detail?: string) => void;
}

/** Follows `name`'s log until `signal` aborts. */
export async function followLog(api: ApiClient, name: string, handlers: TailHandlers, signal: AbortSignal): Promise<void> {
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
  const path = `/v1/functions/${encodeURIComponent(name)}/logs`;
  while (!signal.aborted) {
    try {
      handlers.onState('connecting');
      fresh((await api.json<LogsBody>(`${path}?limit=100`, { signal })).logs);
      const response = await api.raw(`${path}?follow=1`, { signal, headers: { accept: 'text/event-stream' } });
      if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream') && response.body) {
        handlers.onState('live');
        await readSse(response.body, (data) => {
          try {
            fresh([JSON.parse(data) as LogEntry]);
          } catch {
            // not a log line (a comment or keep-alive the host may send): nothing to show
          }
        });
      } else {
        await response.body?.cancel();
        handlers.onState('polling');
        while (!signal.aborted) {
          await delay(retryDelayMs, signal);
          fresh((await api.json<LogsBody>(`${path}?limit=100`, { signal })).logs);
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
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
