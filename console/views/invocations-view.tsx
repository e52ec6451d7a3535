// Async invocations (POST …/invoke with x-wasmlet-invocation-type: Event) and where each one stands.
import { useState } from 'preact/hooks';
import { hrefOf } from '../router.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { formatAgo } from '../format.js';
import { Card, Empty, ErrorNote, Link, Loading, Pill } from '../components/ui.js';
import type { InvocationState, InvocationsBody } from '../wire-types.js';

const states: readonly InvocationState[] = ['queued', 'retrying', 'succeeded', 'failed', 'expired'];
export const stateTones: Record<InvocationState, string> = { queued: 'gray', retrying: 'amber', succeeded: 'green', failed: 'red', expired: 'red' };

export function InvocationsView() {
  const { api } = useSession();
  const [filter, setFilter] = useState<InvocationState | null>(null);
  const list = usePoll(() => api.json<InvocationsBody>(`/v1/invocations?limit=200${filter ? `&state=${filter}` : ''}`), 3_000, `invocations:${filter}`);
  const invocations = list.data?.invocations ?? [];
  return (
    <>
      <header class="page-head">
        <div>
          <h1>Async invocations</h1>
          <p class="muted">Events queued with <code>wasmlet invoke --async</code> or <code>x-wasmlet-invocation-type: Event</code>, kept 24 hours. Newest change first.</p>
        </div>
      </header>
      <div class="filters" role="group" aria-label="Filter by state">
        <button type="button" class={`filter ${filter === null ? 'active' : ''}`} onClick={() => setFilter(null)}>
          All
        </button>
        {states.map((state) => (
          <button key={state} type="button" class={`filter ${filter === state ? 'active' : ''}`} onClick={() => setFilter(state)} data-filter={state}>
            {state}
          </button>
        ))}
      </div>
      <ErrorNote error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && invocations.length === 0 && <Empty>{filter ? `No ${filter} invocations in the last 24 hours.` : 'No async invocations in the last 24 hours.'}</Empty>}
      {invocations.length > 0 && (
        <Card class="flush">
          <table class="table">
            <thead>
              <tr>
                <th>Invocation</th>
                <th>Function</th>
                <th>State</th>
                <th class="num">Attempts</th>
                <th class="num">Status</th>
                <th>Last error</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {invocations.map((inv) => (
                <tr key={inv.id} data-invocation={inv.id} data-state={inv.state}>
                  <td>
                    <code class="small nowrap" title={inv.id}>
                      {inv.id.length > 18 ? `${inv.id.slice(0, 8)}…${inv.id.slice(-8)}` : inv.id}
                    </code>
                  </td>
                  <td class="nowrap">
                    <Link href={hrefOf({ page: 'function', name: inv.function })}>{inv.function}</Link>
                  </td>
                  <td>
                    <Pill tone={stateTones[inv.state]}>{inv.state}</Pill>
                  </td>
                  <td class="num">{inv.attempts}</td>
                  <td class="num">{inv.status ?? '—'}</td>
                  <td class="reason">{inv.lastError ?? <span class="muted">—</span>}</td>
                  <td class="muted nowrap" title={`created ${inv.createdAt}, updated ${inv.updatedAt}`}>
                    {formatAgo(inv.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
