// One function: its charts over the last hour, its live log, and everything its manifest set up.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { hrefOf, navigate } from '../router.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { formatAgo, formatBytes, formatDuration, shortDigest } from '../format.js';
import { ApiError } from '../api.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Card, Empty, ErrorNote, Link, Loading } from '../components/ui.js';
import type { FunctionInfo } from '../wire-types.js';
import { FunctionCharts } from './function-charts.js';
import { LogTail } from './log-tail-view.js';
import { Routes, Triggers } from './functions-view.js';

type Pending = 'rollback' | 'delete' | null;

export function FunctionView({ name }: { name: string }) {
  const { api } = useSession();
  const info = usePoll(() => api.json<{ function: FunctionInfo }>(`/v1/functions/${encodeURIComponent(name)}`), 5_000, `fn:${name}`);
  const [pending, setPending] = useState<Pending>(null);
  const fn = info.data?.function;

  if (info.error instanceof ApiError && info.error.code === 'function_not_found') {
    return (
      <>
        <Breadcrumb name={name} />
        <Empty>
          No function named <b>{name}</b> on this host. <Link href={hrefOf({ page: 'functions' })}>All functions</Link>
        </Empty>
      </>
    );
  }
  return (
    <>
      <Breadcrumb name={name} />
      <header class="page-head">
        <div>
          <h1 class="fn-title">
            {name}
            {fn && <span class="version big">v{fn.version}</span>}
          </h1>
          {fn && (
            <p class="muted">
              Deployed {formatAgo(fn.deployedAt)} · bundle <span class="mono">{shortDigest(fn.digest)}</span> · component <span class="mono">{shortDigest(fn.componentDigest)}</span>
            </p>
          )}
        </div>
        {fn && (
          <div class="actions">
            <button type="button" class="button" disabled={fn.previousVersion === null} title={fn.previousVersion === null ? 'No previous version is kept' : `Make v${fn.previousVersion} active again`} onClick={() => setPending('rollback')}>
              Roll back{fn.previousVersion !== null ? ` to v${fn.previousVersion}` : ''}
            </button>
            <button type="button" class="button danger-outline" onClick={() => setPending('delete')}>
              Delete
            </button>
          </div>
        )}
      </header>
      <ErrorNote error={info.error} />
      {!fn && !info.error && <Loading />}
      <FunctionCharts name={name} />
      <div class="grid two">
        <LogTail name={name} />
        {fn && <Details fn={fn} />}
      </div>
      {pending === 'rollback' && fn && (
        <ConfirmDialog
          title={`Roll ${name} back to v${fn.previousVersion}?`}
          confirmLabel={`Roll back to v${fn.previousVersion}`}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await api.json(`/v1/functions/${encodeURIComponent(name)}/rollback`, { method: 'POST' });
            info.refresh();
          }}
        >
          <p>
            Version {fn.previousVersion} serves the next request. Version {fn.version} is dropped from the history: to bring it back, deploy its bundle again.
          </p>
        </ConfirmDialog>
      )}
      {pending === 'delete' && fn && (
        <ConfirmDialog
          title={`Delete ${name}?`}
          confirmLabel={`Delete ${name}`}
          danger
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await api.json(`/v1/functions/${encodeURIComponent(name)}`, { method: 'DELETE' });
            navigate(hrefOf({ page: 'functions' }));
          }}
        >
          <p>
            Its routes stop answering at once, its triggers stop consuming, and its logs are removed. Messages already in its queues stay there. This cannot be undone; deploy the bundle again to bring it back.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <div class="breadcrumb">
      <Link href={hrefOf({ page: 'functions' })}>Functions</Link> <span aria-hidden="true">/</span> <span>{name}</span>
    </div>
  );
}

function Details({ fn }: { fn: FunctionInfo }) {
  const triggers = fn.triggers ?? { queue: [], schedule: [], objectEvent: [] };
  const grants = fn.grants ?? { outboundHosts: [], publish: [], keyValueStores: [], buckets: [] };
  const configKeys = Object.entries(fn.config);
  return (
    <div class="details">
      <Card title="Routes & triggers">
        <dl class="facts">
          <dt>HTTP</dt>
          <dd>
            <Routes fn={fn} />
          </dd>
          <dt>Handlers</dt>
          <dd>{fn.handlers.join(', ')}</dd>
          {triggers.queue.map((q) => (
            <Fragment key={`q-${q.queue}`}>
              <dt>Queue</dt>
              <dd>
                <code>{q.queue}</code> <span class="muted">· batches of {q.batchSize} · {q.maxAttempts} attempts · dead letters to</span> <code>{q.deadLetter}</code>
              </dd>
            </Fragment>
          ))}
          {triggers.schedule.map((s) => (
            <Fragment key={`s-${s.name}`}>
              <dt>Schedule</dt>
              <dd>
                <code>{s.name}</code> <span class="muted">· {s.cron !== null ? <code>{s.cron}</code> : `every ${formatDuration(s.rateMs ?? 0)}`}</span>
              </dd>
            </Fragment>
          ))}
          {triggers.objectEvent.map((o) => (
            <Fragment key={`o-${o.bucket}`}>
              <dt>Objects</dt>
              <dd>
                <code>{o.bucket}</code>
                {o.prefix || o.suffix ? <code>/{o.prefix}*{o.suffix}</code> : null} <span class="muted">· {o.events.join(', ')} · dead letters to</span> <code>{o.deadLetter}</code>
              </dd>
            </Fragment>
          ))}
        </dl>
        <div class="chips spaced">
          <Triggers fn={fn} />
        </div>
      </Card>
      <Card title="Limits">
        <dl class="facts cols">
          <dt>Timeout</dt>
          <dd>{formatDuration(fn.limits.timeoutMs)}</dd>
          <dt>Memory</dt>
          <dd>{formatBytes(fn.limits.memoryMb * 1024 * 1024)}</dd>
          <dt>Request body</dt>
          <dd>{formatBytes(fn.limits.maxBodyBytes)}</dd>
          <dt>Instances</dt>
          <dd>{fn.instanceReuse === 1 ? 'fresh for every call' : `reused for up to ${fn.instanceReuse} calls`}</dd>
        </dl>
      </Card>
      <Card title="Grants">
        <dl class="facts">
          <Grant label="Outbound HTTP" values={grants.outboundHosts} />
          <Grant label="Publishes to" values={grants.publish} />
          <Grant label="Key-value" values={grants.keyValueStores} />
          <Grant label="Buckets" values={grants.buckets} />
          <dt>Config</dt>
          <dd>
            {configKeys.length === 0 ? (
              <span class="muted">none</span>
            ) : (
              configKeys.map(([key, value]) => (
                <span key={key} class="config">
                  <code>{key}</code>
                  {typeof value === 'string' ? null : <span class="muted small"> secret {value.secret}</span>}
                </span>
              ))
            )}
          </dd>
        </dl>
      </Card>
    </div>
  );
}

function Grant({ label, values }: { label: string; values: readonly string[] }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{values.length === 0 ? <span class="muted">none</span> : values.map((v) => <code key={v} class="grant">{v}</code>)}</dd>
    </>
  );
}
