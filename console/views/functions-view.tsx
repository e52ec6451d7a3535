// Every deployed function at a glance: routes, triggers, version, limits; and the deploy drop zone.
import { hrefOf } from '../router.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { formatAgo, formatBytes, formatDuration, plural, shortDigest } from '../format.js';
import { Card, Empty, ErrorNote, Link, Loading, Pill } from '../components/ui.js';
import type { FunctionInfo, FunctionStatsBody, ListBody } from '../wire-types.js';
import { Sparkline } from '../components/sparkline.js';
import { DeployDrop } from './deploy-drop.js';

export function FunctionsView() {
  const { api } = useSession();
  const list = usePoll(() => api.json<ListBody>('/v1/functions'), 3_000, 'functions');
  const functions = list.data?.functions ?? [];
  return (
    <>
      <header class="page-head">
        <div>
          <h1>Functions</h1>
          <p class="muted">{list.data ? `${plural(functions.length, 'function')} deployed on this host` : 'What this host runs'}</p>
        </div>
      </header>
      <DeployDrop onDeployed={list.refresh} />
      <ErrorNote error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && functions.length === 0 && (
        <Empty>
          Nothing deployed yet. Drop a bundle above, or run <code>wasmlet deploy &lt;folder&gt;</code>.
        </Empty>
      )}
      {functions.length > 0 && (
        <Card class="flush">
          <table class="table functions-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Routes</th>
                <th>Triggers</th>
                <th>Last hour</th>
                <th>Limits</th>
                <th>Version</th>
                <th>Deployed</th>
              </tr>
            </thead>
            <tbody>
              {functions.map((fn, index) => (
                <FunctionRow key={fn.name} fn={fn} withActivity={index < maxSparklines} />
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {(list.data?.quarantined ?? []).length > 0 && (
        <Card title="Quarantined">
          <p class="muted">Their registry files were damaged at start: not served until repaired (and the host restarted) or deleted.</p>
          <ul class="plain">
            {list.data!.quarantined!.map((q) => (
              <li key={q.name}>
                <b>{q.name}</b> <span class="muted">{q.reason}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

/** Each sparkline is one stats request per poll: the first rows get one, a long list stays cheap. */
const maxSparklines = 50;
const sparklinePollMs = 10_000;

function FunctionRow({ fn, withActivity }: { fn: FunctionInfo; withActivity: boolean }) {
  return (
    <tr data-function={fn.name}>
      <td>
        <Link href={hrefOf({ page: 'function', name: fn.name })} class="fn-name">
          {fn.name}
        </Link>
      </td>
      <td>
        <Routes fn={fn} />
      </td>
      <td>
        <Triggers fn={fn} />
      </td>
      <td>{withActivity ? <Activity name={fn.name} /> : <span class="muted">—</span>}</td>
      <td class="muted small nowrap">
        {formatDuration(fn.limits.timeoutMs)} · {formatBytes(fn.limits.memoryMb * 1024 * 1024)}
      </td>
      <td class="nowrap">
        <span class="version">v{fn.version}</span> <span class="muted mono small">{shortDigest(fn.digest)}</span>
      </td>
      <td class="muted nowrap" title={fn.deployedAt}>
        {formatAgo(fn.deployedAt)}
      </td>
    </tr>
  );
}

function Activity({ name }: { name: string }) {
  const { api } = useSession();
  const stats = usePoll(() => api.json<FunctionStatsBody>(`/v1/functions/${encodeURIComponent(name)}/stats`), sparklinePollMs, `spark:${name}`);
  return stats.data ? <Sparkline points={stats.data.points} /> : <span class="muted">—</span>;
}

export function Routes({ fn }: { fn: FunctionInfo }) {
  if (fn.routes.length === 0) return <span class="muted">—</span>;
  return (
    <div class="stack">
      {fn.routes.map((r) => (
        <span key={r.route} class="route">
          <span class="methods">{r.methods === 'any' ? 'ANY' : r.methods.join(' ')}</span>
          <code>{r.route}</code>
        </span>
      ))}
    </div>
  );
}

export function Triggers({ fn }: { fn: FunctionInfo }) {
  const triggers = fn.triggers ?? { queue: [], schedule: [], objectEvent: [] };
  return (
    <div class="chips">
      {fn.routes.length > 0 && <Pill tone="blue">http</Pill>}
      {triggers.queue.map((q) => (
        <Pill key={`q-${q.queue}`} tone="violet" title={`dead letters go to ${q.deadLetter}`}>
          queue {q.queue}
        </Pill>
      ))}
      {triggers.schedule.map((s) => (
        <Pill key={`s-${s.name}`} tone="amber" title={s.cron ?? `every ${formatDuration(s.rateMs ?? 0)}`}>
          schedule {s.name}
        </Pill>
      ))}
      {triggers.objectEvent.map((o) => (
        <Pill key={`o-${o.bucket}`} tone="teal">
          objects {o.bucket}
        </Pill>
      ))}
    </div>
  );
}
