// `GET /v1/functions/:name/logs?follow=1`: a function's log as server-sent events. First the
// `backlog` most recent entries, then each entry as it is appended, one `data: <JSON>` event per
// line (the shape of the `/logs` entries), with a comment line as a heartbeat so proxies and
// clients can tell a quiet log from a dead connection.
import type { LogEntry, LogStore } from '../logs/log-store.js';

/** A proxy's idle timeout is commonly 60 s: a heartbeat well inside it keeps the stream open. */
export const heartbeatIntervalMs = 15_000;
/**
 * Live events a slow client may have unread before new lines are dropped (and counted, in a `dropped`
 * event): a log storm never grows the host's memory without bound.
 */
export const maxUnsentEvents = 1000;

const encoder = new TextEncoder();

export function followLogs(logs: LogStore, name: string, backlog: number): Response {
  let stop = (): void => undefined;
  let dropped = 0;
  let ended = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        const sendEntry = (entry: LogEntry) => {
          if ((controller.desiredSize ?? 0) <= 0) {
            dropped++;
            return;
          }
          reportDropped(controller);
          send(`data: ${JSON.stringify(entry)}\n\n`);
        };
        // Live lines that arrive while the backlog is read wait here, so none falls in between.
        let pending: LogEntry[] | undefined = [];
        const unfollow = logs.follow(
          name,
          (entry) => (pending ? pending.push(entry) : sendEntry(entry)),
          () => end(),
        );
        // Only while the client keeps up (no more than the backlog's room queued): with lines unread
        // it is not idle, and a client that stopped reading must not collect heartbeats for days.
        const heartbeat = setInterval(() => {
          if ((controller.desiredSize ?? 0) >= maxUnsentEvents) send(': heartbeat\n\n');
        }, heartbeatIntervalMs);
        heartbeat.unref();
        const end = () => {
          if (ended) return;
          ended = true;
          stop();
          controller.close();
        };
        stop = () => {
          clearInterval(heartbeat);
          unfollow();
        };
        // The comment goes out at once, so the client sees the stream open before any line.
        send(`: following ${name}\n\n`);
        void (backlog > 0 ? logs.tail(name, backlog) : Promise.resolve([])).then(
          (recent) => {
            if (ended) return;
            const live = pending ?? [];
            pending = undefined;
            for (const entry of recent) sendEntry(entry);
            for (const entry of live) sendEntry(entry);
          },
          () => end(),
        );
      },
      // The reader caught up: it hears of what it missed now, not only when the next line comes.
      pull(controller) {
        if (!ended) reportDropped(controller);
      },
      cancel() {
        // The client went away: nothing may be enqueued any more (a backlog still being read included).
        ended = true;
        stop();
      },
    },
    // The backlog (at most the log limit) and the opening comment come on top of the live allowance.
    { highWaterMark: maxUnsentEvents + backlog + 1 },
  );
  function reportDropped(controller: ReadableStreamDefaultController<Uint8Array>): void {
    if (dropped === 0) return;
    controller.enqueue(encoder.encode(`event: dropped\ndata: ${JSON.stringify({ dropped })}\n\n`));
    dropped = 0;
  }
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
  });
}
