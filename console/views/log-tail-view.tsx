// The live log of a function: the recent lines, then each new one as it is written, newest at the bottom.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSession } from '../session.js';
import { followLog, maxTailLines, type TailState } from '../log-tail.js';
import { Card } from '../components/ui.js';
import type { LogEntry } from '../wire-types.js';

const stateLabels: Record<TailState, string> = { connecting: 'connecting…', live: 'live', polling: 'live (polling)', stopped: 'stopped' };

export function LogTail({ name }: { name: string }) {
  const { api } = useSession();
  const [lines, setLines] = useState<readonly LogEntry[]>([]);
  const [state, setState] = useState<{ state: TailState; detail?: string }>({ state: 'connecting' });
  const [paused, setPaused] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    setLines([]);
    void followLog(
      api,
      name,
      {
        onLines: (added) => setLines((current) => [...current, ...added].slice(-maxTailLines)),
        onDropped: (count) => setLines((current) => [...current, droppedNotice(count)].slice(-maxTailLines)),
        onState: (next, detail) => setState({ state: next, ...(detail !== undefined ? { detail } : {}) }),
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [api, name]);

  // Stay at the bottom while the reader is there; leave them alone once they scrolled up.
  useEffect(() => {
    const element = box.current;
    if (element && pinned.current && !paused) element.scrollTop = element.scrollHeight;
  }, [lines, paused]);

  return (
    <Card
      title="Live log"
      class="log-card"
      aside={
        <>
          <span class={`tail-state ${state.state}`} data-tail={state.state} title={state.detail}>
            <i class="dot" />
            {stateLabels[state.state]}
          </span>
          <button type="button" class="button small ghost" onClick={() => setPaused(!paused)}>
            {paused ? 'Follow' : 'Pause'}
          </button>
          <button type="button" class="button small ghost" onClick={() => setLines([])}>
            Clear
          </button>
        </>
      }
    >
      <div
        class="log"
        ref={box}
        role="log"
        aria-live="polite"
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {lines.length === 0 && <div class="log-empty muted">No log lines yet. What the function prints, and its logs at every level, appear here as they are written.</div>}
        {lines.map((line, i) => (
          <div key={i} class={`log-line ${line.level}`} data-request={line.requestId}>
            <time dateTime={line.time}>{line.time.slice(11, 23)}</time>
            <span class={`level ${line.level}`}>{line.level}</span>
            <span class="rid" title={line.requestId}>
              {line.requestId.slice(0, 8)}
            </span>
            <span class="msg">{line.message}</span>
          </div>
        ))}
      </div>
    </Card>
  );
}

/** Shown in place of the lines the host skipped because this tab read too slowly. */
function droppedNotice(count: number): LogEntry {
  return { time: new Date().toISOString(), requestId: '', level: 'warn', stream: 'log', message: `… ${count} line(s) skipped: the console read too slowly` } as LogEntry;
}
