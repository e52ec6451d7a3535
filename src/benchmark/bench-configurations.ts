// What `wasmlet bench <target>` measures: the target (a deployed function, a folder or a zip), the
// configurations beside it (--vary: one temporary copy per value; --against: another function or
// version) and, for each, how a call reaches it (its HTTP route, a direct invoke, or its queue).
import { createHash, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { AdminClient } from '../client/admin-client.js';
import type { FunctionInfo } from '../client/api-types.js';
import { packFunction } from '../bundle/pack-function.js';
import { readBundle, type Bundle } from '../bundle/read-bundle.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { functionNamePattern } from '../manifest/manifest-bounds.js';
import { defaultDeadLetterQueue } from '../queue/queue-names.js';
import type { FunctionBenchResult } from './bench-result.js';
import { settingLabel, type Vary } from './bench-settings.js';
import type { BenchConfiguration } from './function-bench.js';
import type { LoadTarget } from './load-protocol.js';
import { copyBundle, copyDeadLetterName, copyQueueName } from './manifest-copy.js';

export type TargetSource =
  | { readonly kind: 'deployed'; readonly spec: string; readonly info: FunctionInfo }
  | { readonly kind: 'folder' | 'zip'; readonly spec: string; readonly bundle: Bundle };

export interface TriggerOptions {
  readonly kind?: 'http' | 'invoke' | 'queue' | undefined;
  /** HTTP: the path to call (default: the function's first route, when it has no wildcard). */
  readonly path?: string | undefined;
  readonly method?: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Queue: the queue to send to (default: the function's first [[queue]] trigger). */
  readonly queue?: string | undefined;
  readonly body?: Uint8Array | undefined;
  readonly contentType: string;
}

export interface Endpoints {
  readonly httpUrl: string;
  readonly adminUrl: string;
  readonly token?: string | undefined;
}

export interface ConfigurationPlan {
  readonly configurations: BenchConfiguration[];
  readonly trigger: FunctionBenchResult['trigger'];
  /** HTTP trigger with copies: they take the function's routes in turn. */
  readonly swapRoutes: boolean;
}

/** A folder, a .zip, or else the name of a function deployed on the host. */
export async function resolveTarget(spec: string, admin: Pick<AdminClient, 'get'>, local: boolean): Promise<TargetSource> {
  const info = await stat(spec).catch(() => undefined);
  if (info?.isDirectory() || (info?.isFile() && spec.toLowerCase().endsWith('.zip'))) {
    return { kind: info.isDirectory() ? 'folder' : 'zip', spec, bundle: await readBundle(await packFunction(spec)) };
  }
  if (!functionNamePattern.test(spec)) throw new WasmletError('bad_request', `${spec} is neither a folder, a .zip bundle nor a function name`);
  if (local) throw new WasmletError('bad_request', `--local starts an empty host: give ${spec}'s folder or bundle .zip, not its name`);
  return { kind: 'deployed', spec, info: (await admin.get(spec)).function };
}

/** @example planConfigurations(await resolveTarget('examples/hello-go', admin, true), { vary: parseVary('init_snapshot=false,true') }, { headers: {}, contentType: 'application/json' }, host) */
export function planConfigurations(main: TargetSource, extra: { readonly vary?: Vary | undefined; readonly against?: TargetSource | undefined }, trigger: TriggerOptions, endpoints: Endpoints): ConfigurationPlan {
  const run = randomBytes(2).toString('hex');
  const baseName = main.kind === 'deployed' ? main.info.name : main.bundle.manifest.name;
  const copyName = (index: number, of: string) => `${of.slice(0, 40)}-bench-${run}-${index}`;
  const sources: { label: string; source: TargetSource; setting?: { key: Vary['key']; value: Vary['values'][number] } }[] = [];
  if (extra.vary) {
    if (main.kind === 'deployed') {
      throw new WasmletError('bad_request', `--vary deploys copies of the function with its manifest changed: give ${main.spec}'s folder or bundle .zip (the host does not hand bundles back)`);
    }
    for (const value of extra.vary.values) sources.push({ label: settingLabel(extra.vary.key, value), source: main, setting: { key: extra.vary.key, value } });
  } else {
    sources.push({ label: labelOf(main), source: main });
    if (extra.against) sources.push({ label: labelOf(extra.against), source: extra.against });
  }
  const kind = trigger.kind ?? defaultTrigger(main);
  const configurations = sources.map(({ label, source, setting }, index): BenchConfiguration => {
    const settings = settingsOf(source, setting);
    const component = source.kind === 'deployed' ? source.info.componentDigest : createHash('sha256').update(source.bundle.component).digest('hex');
    const codeKey = `${component.replace(/^sha256:/, '')} ${settings.memory_mb} ${String(settings.init_snapshot)}`;
    if (source.kind === 'deployed') {
      return { label, settings, codeKey, source: { kind: 'deployed', name: source.info.name }, target: loadTarget(kind, source, source.info.name, trigger, endpoints) };
    }
    const name = copyName(index, source.kind === 'folder' || source.kind === 'zip' ? source.bundle.manifest.name : baseName);
    return {
      label,
      settings,
      codeKey,
      source: { kind: 'copy', name, liveZip: copyBundle(source.bundle, { name, parked: false, setting }), parkedZip: copyBundle(source.bundle, { name, parked: true, setting }) },
      target: loadTarget(kind, source, name, trigger, endpoints),
    };
  });
  const first = configurations[0]!.target;
  const bodyBytes = trigger.body?.length ?? 0;
  const described: FunctionBenchResult['trigger'] =
    first.kind === 'http'
      ? { kind: 'http', method: first.method, path: new URL(first.url).pathname + new URL(first.url).search, headers: Object.keys(trigger.headers), bodyBytes }
      : first.kind === 'invoke'
        ? { kind: 'invoke', bodyBytes }
        : { kind: 'queue', queue: first.queue, bodyBytes };
  return { configurations, trigger: described, swapRoutes: kind === 'http' && configurations.some((c) => c.source.kind === 'copy') };
}

function labelOf(source: TargetSource): string {
  return source.kind === 'deployed' ? `${source.info.name} (deployed v${source.info.version})` : source.spec;
}

function defaultTrigger(source: TargetSource): 'http' | 'invoke' | 'queue' {
  const routes = source.kind === 'deployed' ? source.info.routes.length : source.bundle.manifest.http.length;
  const queues = source.kind === 'deployed' ? source.info.queues.length : source.bundle.manifest.queue.length;
  return routes > 0 ? 'http' : queues > 0 ? 'queue' : 'invoke';
}

function settingsOf(source: TargetSource, setting: { key: Vary['key']; value: Vary['values'][number] } | undefined): BenchConfiguration['settings'] {
  const base =
    source.kind === 'deployed'
      ? { memory_mb: source.info.limits.memoryMb, instance_reuse: source.info.instanceReuse, init_snapshot: null }
      : { memory_mb: source.bundle.manifest.limits.memoryMb, instance_reuse: source.bundle.manifest.runtime.instanceReuse, init_snapshot: source.bundle.manifest.runtime.initSnapshot };
  return setting ? { ...base, [setting.key]: setting.value } : base;
}

function loadTarget(kind: 'http' | 'invoke' | 'queue', source: TargetSource, name: string, trigger: TriggerOptions, endpoints: Endpoints): LoadTarget {
  const bodyBase64 = trigger.body ? Buffer.from(trigger.body).toString('base64') : undefined;
  if (kind === 'invoke') return { kind, adminUrl: endpoints.adminUrl, token: endpoints.token, name, contentType: trigger.contentType, bodyBase64 };
  if (kind === 'queue') {
    const declared = source.kind === 'deployed' ? source.info.queues : source.bundle.manifest.queue.map((q) => q.queue);
    const queue = trigger.queue ?? declared[0];
    if (queue === undefined) throw new WasmletError('bad_request', `${source.spec} has no [[queue]] trigger: name the queue with --queue <name>, or use --invoke`);
    if (source.kind === 'deployed') {
      // Hosts before FunctionInfo.triggers: the default dead-letter name is the best guess.
      const deadLetter = source.info.triggers?.queue.find((q) => q.queue === queue)?.deadLetter ?? defaultDeadLetterQueue(queue);
      return { kind, adminUrl: endpoints.adminUrl, token: endpoints.token, queue, deadLetter, contentType: trigger.contentType, bodyBase64 };
    }
    if (!declared.includes(queue)) throw new WasmletError('bad_request', `${source.spec} consumes ${declared.join(', ') || 'no queue'}, not ${queue}`);
    return { kind, adminUrl: endpoints.adminUrl, token: endpoints.token, queue: copyQueueName(name, queue), deadLetter: copyDeadLetterName(name), contentType: trigger.contentType, bodyBase64 };
  }
  const routes = source.kind === 'deployed' ? source.info.routes : source.bundle.manifest.http;
  const path = trigger.path ?? defaultPath(source.spec, routes);
  const methods = routes[0]?.methods;
  const method = trigger.method ?? (trigger.body ? 'POST' : methods === undefined || methods === 'any' || methods.includes('GET') ? 'GET' : methods[0]!);
  return { kind: 'http', url: `${endpoints.httpUrl}${path}`, method, headers: { ...(trigger.body ? { 'content-type': trigger.contentType } : {}), ...trigger.headers }, bodyBase64 };
}

function defaultPath(spec: string, routes: readonly { readonly route: string }[]): string {
  const route = routes[0]?.route;
  if (route === undefined) throw new WasmletError('bad_request', `${spec} has no HTTP route: use --invoke, or --queue for a queue function`);
  if (route.endsWith('*')) throw new WasmletError('bad_request', `${spec}'s route ${route} is a prefix: give the path to call with --path (e.g. ${route.slice(0, -1)}health)`);
  return route;
}
