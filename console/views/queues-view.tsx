// The host's queues: how deep, how much is being worked on, how old the oldest message is; and the
// dead letters of every trigger with the reason each failed, to redrive once the cause is fixed.
import { useState } from 'preact/hooks';
import { hrefOf } from '../router.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { formatAgo, formatDuration, plural } from '../format.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Card, Empty, ErrorNote, Link, Loading, Pill } from '../components/ui.js';
import type { ListBody, PeekBody, QueuesBody, RedriveBody } from '../wire-types.js';

/** Host-owned queues (async events, schedule ticks, object events) carry this prefix. */
const hostQueuePrefix = 'wasmlet.';

interface DeadLetterQueue {
  readonly queue: string;
  /** Where a redrive sends its messages: the trigger's source queue. */
  readonly source: string;
  readonly function: string;
}

export function QueuesView() {
  const { api } = useSession();
  const queues = usePoll(() => api.json<QueuesBody>('/v1/queues'), 3_000, 'queues');
  const functions = usePoll(() => api.json<ListBody>('/v1/functions'), 10_000, 'functions');
  const consumers = new Map<string, string>();
  const deadLetterQueues: DeadLetterQueue[] = [];
  for (const fn of functions.data?.functions ?? []) {
    for (const q of fn.triggers?.queue ?? []) {
      consumers.set(q.queue, fn.name);
      deadLetterQueues.push({ queue: q.deadLetter, source: q.queue, function: fn.name });
    }
    for (const o of fn.triggers?.objectEvent ?? []) deadLetterQueues.push({ queue: o.deadLetter, source: `objects of ${o.bucket}`, function: fn.name });
  }
  const dlqNames = new Set(deadLetterQueues.map((d) => d.queue));
  // Two triggers may share a dead-letter queue: it is shown once (a redrive finds the source itself).
  const shownDeadLetterQueues = deadLetterQueues.filter((d, i) => deadLetterQueues.findIndex((o) => o.queue === d.queue) === i);
  const rows = queues.data ? withEmptyTriggerQueues(queues.data.queues, [...consumers.keys(), ...dlqNames]) : [];
  const depthOf = (name: string) => {
    const row = rows.find((q) => q.queue === name);
    return row ? row.visible + row.inFlight + row.delayed : 0;
  };

  return (
    <>
      <header class="page-head">
        <div>
          <h1>Queues</h1>
          <p class="muted">Messages waiting, being handled and retried, and the dead letters of every trigger.</p>
        </div>
      </header>
      <ErrorNote error={queues.error} />
      {!queues.data && !queues.error && <Loading />}
      {queues.data && rows.length === 0 && <Empty>Every queue is empty.</Empty>}
      {rows.length > 0 && (
        <Card class="flush">
          <table class="table queues-table">
            <thead>
              <tr>
                <th>Queue</th>
                <th>Consumer</th>
                <th class="num">Waiting</th>
                <th class="num">In flight</th>
                <th class="num">Delayed</th>
                <th class="num">Oldest</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((q) => (
                <tr key={q.queue} data-queue={q.queue}>
                  <td>
                    <code>{q.queue}</code> {dlqNames.has(q.queue) && <Pill tone="red">dead letters</Pill>} {q.queue.startsWith(hostQueuePrefix) && <Pill tone="gray">host</Pill>}
                  </td>
                  <td>{consumers.has(q.queue) ? <Link href={hrefOf({ page: 'function', name: consumers.get(q.queue)! })}>{consumers.get(q.queue)}</Link> : <span class="muted">—</span>}</td>
                  <td class="num" data-depth={q.visible}>
                    {q.visible}
                  </td>
                  <td class="num">{q.inFlight}</td>
                  <td class="num">{q.delayed}</td>
                  <td class={`num ${q.oldestAgeMs !== null && q.oldestAgeMs > 60_000 ? 'warn' : ''}`}>{q.oldestAgeMs === null ? '—' : formatDuration(q.oldestAgeMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <h2 class="section-title">Dead letters</h2>
      {deadLetterQueues.length === 0 && functions.data && <Empty>No deployed function has a queue or object-event trigger, so nothing can be dead-lettered.</Empty>}
      <div class="stack gap">
        {shownDeadLetterQueues.map((dlq) => (
          <DeadLetters key={dlq.queue} dlq={dlq} depth={depthOf(dlq.queue)} onChange={queues.refresh} />
        ))}
      </div>
    </>
  );
}

type QueueRow = QueuesBody['queues'][number];

/** The host lists queues holding messages; the ones a trigger names are shown empty too. Host queues last. */
function withEmptyTriggerQueues(listed: readonly QueueRow[], named: readonly string[]): QueueRow[] {
  const rows = new Map(listed.map((q) => [q.queue, q]));
  for (const queue of named) if (!rows.has(queue)) rows.set(queue, { queue, visible: 0, inFlight: 0, delayed: 0, oldestAgeMs: null });
  const hostLast = (q: QueueRow) => (q.queue.startsWith(hostQueuePrefix) ? 1 : 0);
  return [...rows.values()].sort((a, b) => hostLast(a) - hostLast(b) || a.queue.localeCompare(b.queue));
}

function DeadLetters({ dlq, depth, onChange }: { dlq: DeadLetterQueue; depth: number; onChange: () => void }) {
  const { api } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [moved, setMoved] = useState<RedriveBody | null>(null);
  // Re-read whenever the depth changes: new dead letters, or a redrive emptied it.
  const peek = usePoll(() => api.json<PeekBody>(`/v1/queues/${encodeURIComponent(dlq.queue)}/messages?limit=50`), 5_000, `dlq:${dlq.queue}:${depth}`);
  const messages = peek.data?.messages ?? [];
  return (
    <Card
      class="dlq"
      title={dlq.queue}
      aside={
        <>
          <span class="muted small">
            from <code>{dlq.source}</code> · <Link href={hrefOf({ page: 'function', name: dlq.function })}>{dlq.function}</Link>
          </span>
          <button type="button" class="button small primary" disabled={messages.length === 0} onClick={() => setConfirming(true)} data-redrive={dlq.queue}>
            Redrive {messages.length > 0 ? plural(depth || messages.length, 'message') : ''}
          </button>
        </>
      }
    >
      <div data-dlq={dlq.queue} data-count={messages.length}>
        {moved && (
          <p class="ok-note" role="status">
            Moved {plural(moved.moved, 'message')} from {moved.from} back to {moved.to}.
          </p>
        )}
        <ErrorNote error={peek.error} />
        {peek.data && messages.length === 0 && <p class="muted">No dead letters.</p>}
        {messages.length > 0 && (
          <table class="table compact">
            <thead>
              <tr>
                <th>Message</th>
                <th>Reason</th>
                <th class="num">Attempts</th>
                <th>Sent</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id} data-message={m.id}>
                  <td>
                    <code class="mono small" title={m.id}>
                      {m.id.slice(-10)}
                    </code>
                    <div class="body-preview mono small">{m.text === null ? `${Math.ceil((m.base64.length * 3) / 4)} bytes (binary)` : m.text.slice(0, 120)}</div>
                  </td>
                  <td class="reason">{m.lastError ?? <span class="muted">—</span>}</td>
                  <td class="num">{m.attempt}</td>
                  <td class="muted nowrap" title={m.enqueuedAt}>
                    {formatAgo(m.enqueuedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Redrive ${dlq.queue}?`}
          confirmLabel="Redrive"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const body = await api.json<RedriveBody>(`/v1/queues/${encodeURIComponent(dlq.queue)}/redrive`, { method: 'POST' });
            setMoved(body);
            onChange();
            peek.refresh();
          }}
        >
          <p>
            Every dead letter goes back to <code>{dlq.source}</code> with a fresh retry budget, and {dlq.function} handles it again. If the cause is not fixed, it will fail and return here.
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}
