// wasmlet.toml source -> a typed, deeply frozen Manifest, or a manifest_invalid error that names
// the key path, the line and the bad value.
import { parse as parseToml, TomlError } from 'smol-toml';
import type * as z from 'zod';
import type { AllowedHost } from '../capabilities/outbound-http/allowed-hosts.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { describeManifestIssue, formatKeyPath, tableLabel, type ManifestIssue } from './describe-manifest-issue.js';
import { defaultDeadLetterQueue, objectEventQueueName } from '../queue/queue-names.js';
import { manifestFileName, type BackoffSpec, type HttpMethod, type HttpRouteSpec, type Manifest, type ObjectEventSpec, type QueueTriggerSpec, type ScheduleSpec } from './manifest.js';
import { maxVisibilityTimeoutMs, minVisibilityTimeoutMs, visibilityTimeoutFactor } from './manifest-bounds.js';
import { checkManifestSize, maxValueDepth } from './manifest-size.js';
import { manifestTomlSchema, type ManifestToml } from './manifest-schema.js';
import { TomlKeyLocator, type KeyPath } from './toml-key-locator.js';
import { rateToMs } from './trigger-schema.js';

/**
 * Parses and validates wasmlet.toml. Unknown keys are rejected at every level; defaults are applied.
 * @example
 * const manifest = parseManifest('name = "hello"\ncomponent = "hello.wasm"\n\n[[http]]\nroute = "/hello"\n');
 * manifest.http; // [{ route: '/hello', methods: 'any' }]
 * @throws WasmletError manifest_invalid, e.g. `wasmlet.toml: unknown key "tmeout_ms" in [limits] (line 7)`
 */
export function parseManifest(source: string): Manifest {
  const document = parseDocument(source);
  const protoPath = findProtoKey(document, []);
  if (protoPath) {
    throw manifestError({
      text: `key "__proto__" is not allowed${protoPath.length > 1 ? ` in ${tableLabel(protoPath.slice(0, -1))}` : ''}`,
      key: formatKeyPath(protoPath),
      path: protoPath,
      line: new TomlKeyLocator(source).lineOf(protoPath),
      value: undefined,
      missing: false,
    });
  }
  const result = manifestTomlSchema.safeParse(document);
  if (!result.success) {
    const locator = new TomlKeyLocator(source);
    throw manifestError(explainMisplaced(firstIssue(result.error.issues, document, locator), document, locator));
  }
  return toManifest(result.data);
}

function parseDocument(source: string): Record<string, unknown> {
  // Bounded first: what the parser and every walk of the document after it cost grows with both.
  checkManifestSize(source);
  try {
    return parseToml(source, { maxDepth: maxValueDepth });
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // smol-toml's message is "Invalid TOML document: <reason>\n\n<code excerpt>"; keep the reason.
    const reason = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    throw new WasmletError('manifest_invalid', `${manifestFileName}: invalid TOML: ${reason} (line ${err.line}, column ${err.column})`, { line: err.line, column: err.column }, { cause: err });
  }
}

/**
 * The issue a person would fix first: the earliest in the file, a key that is there before one that
 * is missing (a typo, "rout", explains a missing "route"). Zod reports an out-of-range integer twice
 * (once against the safe-integer range); the range that manifest authors wrote wins.
 */
function firstIssue(issues: readonly z.core.$ZodIssue[], document: unknown, locator: TomlKeyLocator): ManifestIssue {
  const issuesPerPath = new Map<string, number>();
  for (const issue of issues) issuesPerPath.set(JSON.stringify(issue.path), (issuesPerPath.get(JSON.stringify(issue.path)) ?? 0) + 1);
  const meaningful = issues.filter((issue) => !('origin' in issue && issue.origin === 'int' && issuesPerPath.get(JSON.stringify(issue.path))! > 1));
  const described = meaningful.map((issue) => describeManifestIssue(issue, document, locator));
  const rank = (issue: ManifestIssue) => [issue.missing ? 1 : 0, issue.line ?? Infinity] as const;
  return described.sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1])[0]!;
}

const topLevelKeys: ReadonlySet<string | number> = new Set(Object.keys(manifestTomlSchema.shape));
const misplacedHint = 'top-level keys must come before the first [table]';

/**
 * `name = ...` written after `[config]` lands in config: the commonest TOML slip. When a key that
 * belongs at the top is missing there or reported inside a table, say where it went.
 */
function explainMisplaced(issue: ManifestIssue, document: Record<string, unknown>, locator: TomlKeyLocator): ManifestIssue {
  const last = issue.path[issue.path.length - 1];
  // [[queue]] has a key "queue" of its own: a key named like its table is not misplaced.
  if (issue.path.length > 1 && last !== undefined && last !== issue.path[0] && topLevelKeys.has(last)) return { ...issue, text: `${issue.text}; ${misplacedHint}` };
  if (!issue.missing || issue.path.length !== 1 || typeof last !== 'string') return issue;
  for (const [table, value] of Object.entries(document)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, last)) continue;
    const line = locator.lineOf([table, last]);
    return { ...issue, text: `${issue.text}, but it is set inside [${formatKeyPath([table])}]: ${misplacedHint}`, line };
  }
  return issue;
}

function manifestError(issue: ManifestIssue): WasmletError {
  const where = issue.line === undefined ? '' : ` (line ${issue.line})`;
  return new WasmletError('manifest_invalid', `${manifestFileName}: ${issue.text}${where}`, {
    key: issue.key,
    ...(issue.line === undefined ? {} : { line: issue.line }),
    ...(issue.value === undefined ? {} : { value: issue.value }),
  });
}

/**
 * smol-toml keeps a "__proto__" key as an own property; zod's record copy would silently drop it,
 * so it is refused outright rather than lost.
 */
function findProtoKey(value: unknown, path: KeyPath): KeyPath | undefined {
  if (typeof value !== 'object' || value === null || value instanceof Date) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, Array.isArray(value) ? Number(key) : key];
    if (key === '__proto__' && !Array.isArray(value)) return childPath;
    const found = findProtoKey(child, childPath);
    if (found) return found;
  }
  return undefined;
}

function toManifest(toml: ManifestToml): Manifest {
  return Object.freeze({
    name: toml.name,
    component: normaliseBundlePath(toml.component),
    http: Object.freeze(toml.http.map(toRouteSpec)),
    env: frozenRecord(toml.env),
    config: frozenRecord(Object.fromEntries(Object.entries(toml.config).map(([key, value]) => [key, typeof value === 'string' ? value : Object.freeze({ secret: value.secret })]))),
    limits: Object.freeze({
      timeoutMs: toml.limits.timeout_ms,
      memoryMb: toml.limits.memory_mb,
      maxBodyBytes: toml.limits.max_body_bytes,
      maxConcurrency: toml.limits.max_concurrency,
      outboundRequests: toml.limits.outbound_requests,
      outboundResponseBytes: toml.limits.outbound_response_bytes,
      outboundConnectTimeoutMs: toml.limits.outbound_connect_timeout_ms,
      outboundTimeoutMs: toml.limits.outbound_timeout_ms,
      kvMaxKeyBytes: toml.limits.kv_max_key_bytes,
      kvMaxValueBytes: toml.limits.kv_max_value_bytes,
      kvQuotaBytes: toml.limits.kv_quota_bytes,
    }),
    runtime: Object.freeze({ instanceReuse: toml.runtime.instance_reuse, initSnapshot: toml.runtime.init_snapshot }),
    allowedOutboundHosts: uniqueGrants(toml.allowed_outbound_hosts),
    publish: Object.freeze([...new Set(toml.publish)]),
    keyValueStores: Object.freeze([...new Set(toml.key_value_stores)]),
    queue: Object.freeze(toml.queue.map((t) => toQueueTrigger(t, toml.limits.timeout_ms))),
    buckets: Object.freeze([...toml.buckets]),
    objectEvent: Object.freeze(toml.object_event.map((e) => toObjectEvent(e, toml.name, toml.limits.timeout_ms))),
    schedule: Object.freeze(toml.schedule.map(toSchedule)),
    async: Object.freeze({
      maxRetries: toml.async.max_retries,
      retryDelayMs: toml.async.retry_delay_ms,
      maxEventAgeMs: toml.async.max_event_age_s * 1000,
      onFailure: toml.async.on_failure,
      onSuccess: toml.async.on_success,
    }),
    build: toml.build === undefined ? undefined : Object.freeze({ language: toml.build.language, command: toml.build.command }),
  });
}

function toBackoff(backoff: ManifestToml['queue'][number]['backoff']): BackoffSpec {
  return Object.freeze({ initialMs: backoff.initial_ms, maxMs: backoff.max_ms, multiplier: backoff.multiplier });
}

function toQueueTrigger(trigger: ManifestToml['queue'][number], timeoutMs: number): QueueTriggerSpec {
  return Object.freeze({ queue: trigger.queue, ...toDelivery(trigger, defaultDeadLetterQueue(trigger.queue), timeoutMs) });
}

/** Each bucket's events go through a host queue of the function's own; its dead letters to a queue people can read. */
function toObjectEvent(event: ManifestToml['object_event'][number], functionName: string, timeoutMs: number): ObjectEventSpec {
  return Object.freeze({
    queue: objectEventQueueName(functionName, event.bucket),
    ...toDelivery(event, defaultDeadLetterQueue(`${functionName}-${event.bucket}`), timeoutMs),
    bucket: event.bucket,
    events: Object.freeze([...event.events]),
    prefix: event.prefix ?? '',
    suffix: event.suffix ?? '',
  });
}

function toDelivery(trigger: ManifestToml['queue'][number] | ManifestToml['object_event'][number], deadLetter: string, timeoutMs: number): Omit<QueueTriggerSpec, 'queue'> {
  const visibilityTimeoutMs = trigger.visibility_timeout_ms ?? Math.min(maxVisibilityTimeoutMs, Math.max(minVisibilityTimeoutMs, timeoutMs * visibilityTimeoutFactor));
  return {
    batchSize: trigger.batch_size,
    maxBatchWaitMs: trigger.max_batch_wait_ms,
    concurrency: trigger.concurrency,
    maxAttempts: trigger.max_attempts,
    backoff: toBackoff(trigger.backoff),
    deadLetter: trigger.dead_letter ?? deadLetter,
    visibilityTimeoutMs,
  };
}

function toSchedule(schedule: ManifestToml['schedule'][number]): ScheduleSpec {
  return Object.freeze({
    name: schedule.name,
    cron: schedule.cron,
    rateMs: schedule.rate === undefined ? undefined : rateToMs(schedule.rate),
    maxAttempts: schedule.max_attempts,
    backoff: toBackoff(schedule.backoff),
  });
}

function toRouteSpec(route: ManifestToml['http'][number]): HttpRouteSpec {
  const methods = route.methods === undefined ? 'any' : Object.freeze([...new Set(route.methods.map((m) => m.toUpperCase() as HttpMethod))]);
  return Object.freeze({ route: route.route, methods });
}

/** Grants equal once parsed ("https://API.example.com" and "https://api.example.com:443") are kept once, as first written. */
function uniqueGrants(grants: readonly AllowedHost[]): readonly AllowedHost[] {
  const seen = new Set<string>();
  return Object.freeze(
    grants.filter((grant) => {
      const key = JSON.stringify([grant.scheme, grant.host, grant.port]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

/** "./dir//x.wasm" -> "dir/x.wasm"; the schema has already refused "..", "\" and absolute paths. */
function normaliseBundlePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/** Null prototype: a guest asking for config "constructor" must get nothing, not Object's. */
function frozenRecord<T>(record: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, record));
}
