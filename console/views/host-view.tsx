// The host itself: up or not, how long, how much memory, how late its event loop runs, its workers.
import { Fragment } from 'preact';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { formatBytes, formatDuration, formatMs } from '../format.js';
import { ApiError } from '../api.js';
import { Card, ErrorNote, Tile } from '../components/ui.js';
import type { HealthBody, HostStatsBody } from '../wire-types.js';

export function HostView() {
  const { api } = useSession();
  const health = usePoll(() => api.json<HealthBody>('/v1/health'), 3_000, 'health');
  const stats = usePoll(() => api.json<HostStatsBody>('/v1/host/stats'), 3_000, 'host-stats');
  const notServed = stats.error instanceof ApiError && stats.error.status === 404;
  const s = stats.data;
  return (
    <>
      <header class="page-head">
        <div>
          <h1>Host</h1>
          <p class="muted">{health.data ? `wasmlet ${health.data.version} at ${location.host}` : 'This host’s health'}</p>
        </div>
      </header>
      <ErrorNote error={health.error} />
      <div class="tiles">
        <Tile id="health" label="Health" value={health.data?.ok ? 'Up' : health.error ? 'Unreachable' : '…'} tone={health.data?.ok ? 'good' : health.error ? 'bad' : ''} hint={health.data ? `version ${health.data.version}` : undefined} />
        <Tile id="uptime" label="Uptime" value={s ? formatDuration(s.uptimeSeconds * 1000) : '–'} />
        <Tile id="functions" label="Functions" value={s ? String(s.functions) : '–'} />
        <Tile id="rss" label="Memory (RSS)" value={s ? formatBytes(s.rssBytes) : '–'} hint={s ? `${formatBytes(s.heapUsedBytes)} JS heap in use` : undefined} />
        <Tile id="event-loop" label="Event loop delay p99" value={s ? formatMs(s.eventLoopDelayP99Ms) : '–'} tone={s && s.eventLoopDelayP99Ms > 100 ? 'bad' : ''} hint="how late the host answers when busy" />
      </div>
      {!s && (
        <Card>
          <div class="no-data" data-stats={notServed ? 'unavailable' : 'loading'}>
            <strong>No data yet</strong>
            <span class="muted">{notServed ? 'This host does not report its statistics (no /v1/host/stats).' : stats.error ? stats.error.message : 'Reading the host’s statistics…'}</span>
          </div>
        </Card>
      )}
      {s && (
        <Card title="Workers">
          <dl class="facts cols">
            {Object.entries(s.workers).map(([key, value]) => (
              <Fragment key={key}>
                <dt>{humanise(key)}</dt>
                <dd class="mono">{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
              </Fragment>
            ))}
          </dl>
        </Card>
      )}
    </>
  );
}

/** computeSlots → compute slots. */
function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
