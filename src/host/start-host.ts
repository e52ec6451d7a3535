// Composition root: the one place that builds the host's objects and wires them together.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { RequestListener } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { createAdminApp } from '../api/admin-app.js';
import type { InvocationStore } from '../async/invocation-records.js';
import { ArtifactStore } from '../compile/artifact-store.js';
import { CodeCache, codeSpecOf } from '../compile/code-cache.js';
import { FoldQueue } from '../compile/fold-queue.js';
import { foldStateOf } from '../compile/fold-state.js';
import { Deployer } from '../deploy/deployer.js';
import { LogStore } from '../logs/log-store.js';
import type { ObjectStore } from '../objects/object-store.js';
import { openObjectBackend } from './object-backend.js';
import { systemClock } from '../queue/clock.js';
import { scheduleQueueName } from '../queue/queue-names.js';
import type { QueueStore } from '../queue/queue-store.js';
import type { ActiveFunction, Registry } from '../registry/registry.js';
import { routeHostRequests, type HostRequestHandler } from '../capabilities/host-link.js';
import { OutboundHttpHost } from '../capabilities/outbound-http/outbound-host.js';
import { KeyValueHost } from '../capabilities/key-value/key-value-host.js';
import { ObjectsHost } from '../capabilities/objects/objects-host.js';
import { SqliteKeyValueStores } from '../kv/sqlite-key-value-stores.js';
import { Invoker } from '../invoke/invoker.js';
import { VersionGrants } from '../invoke/version-grants.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import { installPromisingPolyfill } from '../runtime/promising-polyfill.js';
import { createS3Listener } from '../s3/s3-app.js';
import { WorkerPool } from '../runtime/worker-pool.js';
import { ContentCollector } from '../gc/content-collector.js';
import { createHttpTrigger, type HttpTrigger } from '../triggers/http/http-trigger.js';
import { RouteTable, type RouteEntry } from '../triggers/http/route-table.js';
import { ObjectEventRelay } from '../triggers/object-events/object-event-relay.js';
import { Scheduler } from '../triggers/schedule/scheduler.js';
import { TriggerManager } from '../triggers/trigger-manager.js';
import { activeTraceId } from '../tracing/active-trace-id.js';
import { HostObservability } from '../observe/host-observability.js';
import { loadOrCreateAdminToken } from './admin-token.js';
import { deployExamples } from './deploy-examples.js';
import { lockDataDir } from './data-dir-lock.js';
import { checkHostOptions, type HostOptions } from './host-options.js';
import { DiskBudget } from './disk-budget.js';
import { defaultMemoryBudgetMb } from '../runtime/memory-budget.js';
import { defaultQueueQuota } from '../queue/queue-quota.js';
import { maxMemoryMb } from '../manifest/manifest-bounds.js';
import { hostVersion } from './host-version.js';
import { listen, listenApp } from './listen.js';
import { openQueueBackend, openQueues } from './queue-backend.js';
import { openRegistryBackend } from './registry-backend.js';
import { uploadLimits } from './server-limits.js';

export type { HostOptions } from './host-options.js';

export interface RunningHost {
  /** `s3` when the host was given an S3 port. */
  readonly urls: { readonly http: string; readonly admin: string; readonly s3?: string };
  /** The admin API's bearer token (and S3's secret access key): `--token`, or the generated one. */
  readonly adminToken: string;
  /** Resolves once the background folds of new components are done (compile/fold-queue.ts): benchmarks wait for it. */
  foldsSettled(): Promise<void>;
  close(): Promise<void>;
}

/** The host's objects before anything listens (tests listen on port 0 themselves). */
export interface Host {
  /** The HTTP trigger: the node:http handlers serving every function route (listen.ts takes them). */
  readonly httpTrigger: HttpTrigger;
  readonly adminApp: Hono;
  /** The token `adminApp` requires (and S3's secret access key): `options.token`, or `<data-dir>/admin-token`. */
  readonly adminToken: string;
  /** The queues every trigger uses: the embedded store, or JetStream with --nats. */
  readonly queues: QueueStore;
  readonly invocations: InvocationStore;
  readonly triggers: TriggerManager;
  /** Buckets of objects under <data-dir>/objects/. */
  readonly objects: ObjectStore;
  /** The S3-compatible endpoint over `objects`: listen with `checkContinue` (see listen.ts). */
  readonly s3Listener: RequestListener;
  /** The scheduler of guest invocations (its memory budget and threads, for stats). */
  readonly pool: WorkerPool;
  /** What the data directory holds against its disk budget. */
  readonly disk: DiskBudget;
  /** The ports this host listens on: outbound HTTP never reaches them through a wildcard-port grant. */
  announcePorts(...ports: number[]): void;
  /** Resolves once the background folds of new components are done (compile/fold-queue.ts): benchmarks wait for it. */
  foldsSettled(): Promise<void>;
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const host = await createHost(options);
  const http = await listen(host.httpTrigger, options.host, options.port, { limits: options.serverLimits }).catch(async (err: unknown) => {
    await host.close();
    throw err;
  });
  const admin = await listenApp(host.adminApp, options.host, options.adminPort, { limits: uploadLimits(options.serverLimits) }).catch(async (err: unknown) => {
    await http.close();
    await host.close();
    throw err;
  });
  const s3 = options.s3Port === undefined ? undefined : await listen(host.s3Listener, options.host, options.s3Port, { checkContinue: true, limits: uploadLimits(options.serverLimits) }).catch(async (err: unknown) => {
    await Promise.all([http.close(), admin.close()]);
    await host.close();
    throw err;
  });
  host.announcePorts(Number(new URL(http.url).port), Number(new URL(admin.url).port), ...(s3 ? [Number(new URL(s3.url).port)] : []));
  return {
    urls: { http: http.url, admin: admin.url, ...(s3 ? { s3: s3.url } : {}) },
    adminToken: host.adminToken,
    foldsSettled: () => host.foldsSettled(),
    async close() {
      await Promise.all([http.close(), admin.close(), s3?.close()]);
      await host.close();
    },
  };
}

export async function createHost(options: HostOptions): Promise<Host> {
  checkHostOptions(options);
  const log = options.log ?? ((line: string) => console.log(line));
  // QuickJS-built components use extended-const, still behind a flag on Node 20; harmless elsewhere.
  setFlagsFromString('--experimental-wasm-extended-const');
  installPromisingPolyfill();

  await mkdir(options.dataDir, { recursive: true });
  const unlock = await lockDataDir(options.dataDir);
  const adminToken = await adminTokenOf(options, log).catch(async (err: unknown) => {
    await unlock();
    throw err;
  });
  // First: a key that cannot be used refuses the start before anything else is opened.
  const secrets = await openSecretStore({ dataDir: options.dataDir, keyFile: options.secretKeyFile, log }).catch(async (err: unknown) => {
    await unlock();
    throw err;
  });
  const clock = options.clock ?? systemClock;
  // Queue sends and deploys ask it first: a flood cannot fill the disk (host/disk-budget.ts).
  const disk = await DiskBudget.open(options.dataDir, { budgetBytes: options.diskBudgetBytes, reserveBytes: options.diskReserveBytes }).catch(async (err: unknown) => {
    secrets.close();
    await unlock();
    throw err;
  });
  // Before the queues: whether it lists functions tells the queue database's guard that an empty file is a lost one.
  // The registry and the content store: the data directory, or JetStream shared by every host with --nats (host/registry-backend.ts).
  const registryBackend = await openRegistryBackend({ dataDir: options.dataDir, nats: options.nats, log }).catch(async (err: unknown) => {
    disk.close();
    secrets.close();
    await unlock();
    throw err;
  });
  const { registry } = registryBackend;
  for (const fn of registry.quarantined()) log(`function ${fn.name} is quarantined, not served: ${fn.file}: ${fn.reason} (repair the file and restart, or wasmlet delete ${fn.name})`);
  // Consumers are created below; sends that happen before then have nobody to wake yet.
  let notify: (queues: ReadonlySet<string>) => void = () => {};
  // A damaged or vanished queue database refuses the start, naming the file (queue/queue-database-guard.ts says why).
  const queues = await openQueues(options, {
    clock,
    onSent: (sent) => notify(sent),
    // A shared registry lists functions this host's data directory never held: it says nothing about the file.
    guard: { expectData: !registryBackend.shared && registry.list().length + registry.quarantined().length > 0 },
    admitBytes: (bytes) => disk.admit(bytes),
    ...(options.queueQuota ? { quota: { ...defaultQueueQuota, ...options.queueQuota } } : {}),
  }, log).catch(async (err: unknown) => {
    await registryBackend.close();
    disk.close();
    secrets.close();
    await unlock();
    throw err;
  });
  // Queues, invocation records and schedules: the queue database above, or NATS JetStream with --nats (host/queue-backend.ts).
  const backend = await openQueueBackend({ local: queues, clock, nats: options.nats, queueQuota: options.queueQuota, onSent: (sent) => notify(sent), log }).catch(async (err: unknown) => {
    await queues.close();
    await registryBackend.close();
    disk.close();
    secrets.close();
    await unlock();
    throw err;
  });
  // The relay needs the store, the store asks the relay (inside each write) whether anyone subscribes.
  let relay: ObjectEventRelay | undefined;
  // Buckets: the data directory, or JetStream shared by every host with --nats (host/object-backend.ts).
  const objectBackend = await openObjectBackend({
    dataDir: options.dataDir,
    clock,
    nats: options.nats,
    synchronous: options.queueDurability ?? 'normal',
    limits: options.objectLimits,
    // Uploads are bytes from outside, like queue sends and deploys: the disk budget bounds them too.
    admitBytes: (bytes) => disk.admit(bytes),
    recordEvent: (change) => relay?.wants(change) ?? false,
    onEvents: () => relay?.wake(),
    log,
  });
  const { objects } = objectBackend;
  relay = new ObjectEventRelay(objects, queues, log);
  const objectEvents = relay;
  // SigV4 is checked against wall time, whatever clock the queues run on: clients sign with theirs.
  const s3Listener = createS3Listener({ store: objects, secret: adminToken, listenHost: options.host, log });
  const store = registryBackend.content;
  const artifacts = new ArtifactStore(join(options.dataDir, 'artifacts'));
  // New components serve on the glue's path at once; their folds run here, in the background.
  // Their writes run between deploys and collections (the deployer is built below; a fold follows a compile, which follows it).
  const folds: FoldQueue = new FoldQueue({ artifacts, log, exclusive: <T>(work: () => Promise<T>): Promise<T> => deployer.exclusive(work), ...(options.foldHooks ? { hooks: options.foldHooks } : {}) });
  // A component's code replaced by its fold: the workers let go of the glue's code (the pool is built below).
  const code: CodeCache = new CodeCache(artifacts, store, { folds, onReplaced: (codeKey) => pool.forgetCode(codeKey) });
  const logs = new LogStore(join(options.dataDir, 'logs'), { traceId: activeTraceId });
  const ownPorts: number[] = [];
  const outbound = new OutboundHttpHost({
    ownPorts: () => ownPorts,
    ...(options.outboundLookup ? { lookup: options.outboundLookup } : {}),
    ...(options.outboundCa ? { ca: options.outboundCa } : {}),
  });
  const keyValueStores = backend.keyValue ?? new SqliteKeyValueStores({ dir: join(options.dataDir, 'kv') });
  const keyValue = new KeyValueHost(keyValueStores);
  const objectsHost = new ObjectsHost(objects);
  // Metrics and the console's history (observe/): one registry per host, fed through the layers' observer hooks.
  const observability: HostObservability | undefined = options.metrics === false ? undefined : new HostObservability({
    queues: () => backend.queues.queues(),
    triggerQueues: () => registry.list().flatMap((fn) => fn.manifest.queue.map((spec) => ({ queue: spec.queue, deadLetter: spec.deadLetter }))),
    asyncInvocations: () => invocations.countByState(),
    workers: (): Record<string, number> => {
      const memory = pool.memory;
      return { computeSlots: pool.size, threads: pool.threads, memoryBudgetMb: memory.budgetMb, memoryReservedMb: memory.reservedMb, memoryPeakMb: memory.peakMb, memoryRefused: memory.refused };
    },
    functionCount: () => registry.list().length,
    isActive: (name) => registry.get(name) !== undefined,
  });
  const observedHostRequests = (handler: HostRequestHandler): HostRequestHandler => observability?.observeHostRequests(handler) ?? handler;
  const memoryBudgetMb = options.memoryBudgetMb ?? defaultMemoryBudgetMb();
  const pool = new WorkerPool({
    size: options.workers,
    hostRequests: observedHostRequests(routeHostRequests({ 'outbound-http': outbound, keyvalue: keyValue, objects: objectsHost })),
    ...(options.maxQueuedPerFunction !== undefined ? { maxQueuedPerFunction: options.maxQueuedPerFunction } : {}),
    ...(options.maxWaitingThreads !== undefined ? { maxWaitingThreads: options.maxWaitingThreads } : {}),
    memoryBudgetMb,
    onWorkerReplaced: (reason, cause) => {
      log(`worker replaced: ${reason}`, { level: 'warn' });
      observability?.workerReplaced(cause);
    } });
  // Traces only with --otlp-endpoint: the SDK is not even loaded otherwise, and every layer gets no tracer (tracing/tracing.ts).
  const tracing = options.otlpEndpoint === undefined ? undefined : (await import('../tracing/trace-export.js')).startTraceExport(options.otlpEndpoint, hostVersion);
  const tracer = tracing?.tracer;
  const invoker = new Invoker(code, pool, logs, backend.queues, new VersionGrants(secrets), observability, tracer);
  const invocations = backend.invocations;
  // Object events go through this host's own queue database, on either object backend (its relay takes only the events of the writes it made): their consumers poll those.
  const triggerDeps = { store: backend.queues, objectEventStore: queues, invoker, functions: (name: string) => registry.get(name), functionVersion: (name: string, version: number) => registry.publishedFunction(name, version), clock, random: options.random ?? Math.random, log, tracer };
  let triggers: TriggerManager | undefined;
  const scheduler = new Scheduler(backend.schedules, clock, (functionName) => triggers?.notify([scheduleQueueName(functionName)]), log);
  triggers = new TriggerManager(triggerDeps, invocations, scheduler);
  notify = (sent) => triggers?.notify(sent);

  const routes = buildRoutes(registry);
  // One function changed (deployed, rolled back or deleted): only its routes and consumers are touched.
  const onChange = (name: string) => {
    const fn = registry.get(name);
    routes.replaceFunction(name, fn ? routeEntriesOf(fn) : []);
    // A delete, or a version that aged out, leaves content no kept version refers to.
    collector.schedule();
    objectEvents.syncFunction(name, fn);
    if (!fn) observability?.forget(name);
    void triggers.syncFunction(name, fn);
    if (fn) void keyValue.provision(fn.manifest.keyValueStores).catch((err: unknown) => log(`could not create the stores of ${name}: ${(err as Error).message}`));
    if (fn) void objectsHost.provision(bucketsOf(fn)).catch((err: unknown) => log(`could not create the buckets of ${name}: ${(err as Error).message}`));
  };
  const deployer: Deployer = new Deployer({ store, artifacts, code, registry, routes: () => routes, secrets,
    // A bundle is stored once, its component once more, and transpiled artifacts take about as much again.
    admitBytes: (bytes) => disk.admit(bytes * 3),
    maxInstanceMemoryMb: Math.min(options.maxInstanceMemoryMb ?? maxMemoryMb, memoryBudgetMb),
    onDeployFailed: () => collector.schedule(),
    onDeployed: (outcome, durationMs) => observability?.deployed(outcome, durationMs) });
  const collector = new ContentCollector({
    dataDir: options.dataDir,
    references: () => registry.referencedDigests(),
    candidates: () => [...registry.takeReleased(), ...store.takeWritten()],
    stores: [store, artifacts],
    exclusive: (work) => deployer.exclusive(work),
    log,
  });
  // Another host's deploy, rollback or delete (a shared registry, --nats): the same path as one made
  // here; a new version is compiled at once (from the shared content store) so its first call does not pay.
  const stopWatchingRegistry = registry.onChange(({ name, origin }) => {
    if (origin !== 'elsewhere') return; // a change made here: the API that made it ran onChange already
    onChange(name);
    const fn = registry.get(name);
    if (fn) void code.get(codeSpecOf(fn.current.componentHex, fn.manifest)).catch((err: unknown) => log(`could not load ${name} v${fn.current.version}, deployed on another host: ${(err as Error).message}`));
  });

  // Compile what was active before a restart, so the first request does not pay for it.
  for (const fn of registry.list()) {
    await code.get(codeSpecOf(fn.current.componentHex, fn.manifest)).catch((err: unknown) => log(`could not load ${fn.name}: ${(err as Error).message}`));
  }
  if (options.deployExamples) await deployExamples(deployer, log);
  for (const fn of registry.list()) routes.replaceFunction(fn.name, routeEntriesOf(fn)); // the examples just deployed
  for (const fn of registry.list()) await keyValue.provision(fn.manifest.keyValueStores);
  for (const fn of registry.list()) await objectsHost.provision(bucketsOf(fn));
  void triggers.sync(registry.list());
  // What a killed deploy or an older host left behind goes in the background, between deploys.
  collector.schedule('all');
  // Events a crash left in the outbox (written, not yet queued) go out now, before anything new.
  objectEvents.sync(registry.list());
  await objectEvents.drain();

  const httpTrigger = createHttpTrigger({ registry, routes: () => routes, invoker, log, tracer });
  const adminApp = createAdminApp({
    observability, metricsPublic: options.metricsPublic, tracer,
    foldState: (componentHex: string, initSnapshot: boolean) => foldStateOf(folds, artifacts, componentHex, initSnapshot),
    registry, deployer, invoker, logs, queues: backend.queues, invocations, secrets, keyValue: keyValueStores, token: adminToken, listenHost: options.host, onChange, onDelete: (name: string) => void scheduler.forget(name).catch((err: unknown) => log(`could not forget the schedules of ${name}: ${(err as Error).message}`)), version: hostVersion, collector,
    lambda: { contentOf: (hex) => store.get(hex), sizeOf: (hex) => store.sizeOf(hex), random: options.random ?? Math.random },
  });
  return {
    httpTrigger,
    adminApp,
    adminToken,
    queues: backend.queues,
    invocations,
    triggers,
    objects,
    s3Listener,
    pool,
    disk,
    announcePorts: (...ports) => void ownPorts.push(...ports),
    foldsSettled: () => folds.settled(),
    async close() {
      stopWatchingRegistry();
      // Consumers first: they settle what is in flight while the workers still run.
      await triggers.stop();
      await objectEvents.stop();
      await folds.close(); // before the data directory is released: a fold writes into it
      await pool.close();
      await outbound.close();
      await tracing?.shutdown(); // every span has ended: what is batched goes out now
      await backend.close();
      await registryBackend.close();
      await queues.close();
      await objectBackend.close();
      await keyValueStores.close();
      secrets.close();
      logs.endFollowers(); // `logs --follow` streams end with the host
      observability?.close();
      await logs.flush();
      await collector.close();
      disk.close();
      await unlock();
    },
  };
}

/** `--token`, or the data dir's generated one: the admin API and S3 never run open (host/admin-token.ts). Says where, never what. */
async function adminTokenOf(options: HostOptions, log: (line: string) => void): Promise<string> {
  if (options.token !== undefined) return options.token;
  const { token, path, generated } = await loadOrCreateAdminToken(options.dataDir);
  log(generated
    ? `admin token generated into ${path} (mode 0600): the wasmlet CLI on this machine reads it from there; other clients send it as Authorization: Bearer, S3 clients as the secret access key`
    : `admin token: ${path}`);
  return token;
}

/** The buckets a manifest names: created when it is deployed, so they can be filled before any call. */
function bucketsOf(fn: ActiveFunction): string[] {
  return fn.manifest.buckets.map((grant) => grant.bucket);
}

function buildRoutes(registry: Registry): RouteTable {
  return new RouteTable(registry.list().flatMap(routeEntriesOf));
}

function routeEntriesOf(fn: ActiveFunction): RouteEntry[] {
  return fn.manifest.http.map((spec) => ({ route: spec.route, methods: spec.methods, functionName: fn.name }));
}
