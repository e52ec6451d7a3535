// A function's last hour from the host's in-memory statistics: request rate, error rate, latency
// percentiles. A host without the statistics endpoint, or an hour without requests, says so plainly.
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { formatCount, formatMs, plural } from '../format.js';
import { ApiError } from '../api.js';
import { LineChart } from '../components/line-chart.js';
import { Card, Tile } from '../components/ui.js';
import type { FunctionStatsBody } from '../wire-types.js';

/** Refresh often enough that a request shows within a few seconds. */
const statsPollMs = 2_000;

export function FunctionCharts({ name }: { name: string }) {
  const { api } = useSession();
  const stats = usePoll(() => api.json<FunctionStatsBody>(`/v1/functions/${encodeURIComponent(name)}/stats`), statsPollMs, `stats:${name}`);
  const notServed = stats.error instanceof ApiError && stats.error.status === 404 && stats.error.code !== 'function_not_found';
  const points = stats.data?.points ?? [];
  const requests = points.reduce((n, p) => n + p.requests, 0);
  const errors = points.reduce((n, p) => n + p.errors, 0);

  if (!stats.data || points.length === 0 || requests === 0) {
    return (
      <Card class="charts-empty">
        <div class="no-data" data-stats={notServed ? 'unavailable' : stats.data ? 'empty' : 'loading'}>
          <strong>No data yet</strong>
          <span class="muted">
            {notServed
              ? 'This host does not keep request statistics (no /v1/functions/{name}/stats): charts appear once it does.'
              : stats.error
                ? `Statistics could not be read: ${stats.error.message}`
                : 'No requests in the last hour. Call one of its routes and the charts fill in within seconds.'}
          </span>
        </div>
      </Card>
    );
  }

  const perMinute = 60 / stats.data.bucketSeconds;
  const times = points.map((p) => p.t);
  const latest = [...points].reverse().find((p) => p.p99Ms !== null);
  return (
    <>
      <div class="tiles">
        <Tile id="requests" label="Requests, last hour" value={formatCount(requests)} hint={`${formatCount(requests / 60)} per minute on average`} />
        <Tile id="errors" label="Errors" value={formatCount(errors)} hint={requests ? `${((errors / requests) * 100).toFixed(errors === 0 ? 0 : 1)}% of requests` : undefined} tone={errors > 0 ? 'bad' : ''} />
        <Tile id="p50" label="Latency p50" value={latest?.p50Ms != null ? formatMs(latest.p50Ms) : '–'} hint="latest minute with requests" />
        <Tile id="p99" label="Latency p99" value={latest?.p99Ms != null ? formatMs(latest.p99Ms) : '–'} hint="latest minute with requests" />
      </div>
      <div class="grid three charts">
        <Card>
          <LineChart
            id="requests"
            title="Request rate"
            headline={`${plural(requests, 'request')}`}
            total={requests}
            times={times}
            series={[{ name: 'requests / min', tone: 'series-1', values: points.map((p) => p.requests * perMinute) }]}
            format={formatCount}
          />
        </Card>
        <Card>
          <LineChart
            id="errors"
            title="Error rate"
            headline={errors === 0 ? 'none' : `${((errors / requests) * 100).toFixed(1)}%`}
            total={errors}
            times={times}
            minTop={5}
            series={[{ name: 'errors %', tone: 'series-bad', values: points.map((p) => (p.requests ? (p.errors / p.requests) * 100 : null)) }]}
            format={(v) => `${formatCount(v)}%`}
          />
        </Card>
        <Card>
          <LineChart
            id="latency"
            title="Latency"
            headline={latest?.p99Ms != null ? `p99 ${formatMs(latest.p99Ms)}` : '–'}
            times={times}
            series={[
              { name: 'p50', tone: 'series-1', values: points.map((p) => p.p50Ms) },
              { name: 'p90', tone: 'series-2', values: points.map((p) => p.p90Ms) },
              { name: 'p99', tone: 'series-3', values: points.map((p) => p.p99Ms) },
            ]}
            format={formatMs}
          />
        </Card>
      </div>
    </>
  );
}
