// The deploy path: bundle bytes -> unpack (limits) -> manifest -> component checks -> content store
// -> transpile (cached) -> compile (memory cap) -> atomic activation. Nothing is activated unless
// every step succeeded, so a bad deploy never disturbs the running version. A component the host
// already has (its WIT and artifacts cached by digest) deploys without starting a toolchain worker.
import { readBundle } from '../bundle/read-bundle.js';
import { glueBaseName, type ArtifactStore } from '../compile/artifact-store.js';
import { codeSpecOf, type CodeCache } from '../compile/code-cache.js';
import { Toolchain } from '../compile/toolchain.js';
import { checkBinaryIsComponent, checkImportsGranted, checkTriggersHaveHandlers, validateComponentWorld, type HandlerKind } from '../component/validate-component.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { Manifest } from '../manifest/manifest.js';
import type { ActiveFunction, Registry } from '../registry/registry.js';
import type { ContentStore } from '../store/content-store.js';
import { secretReferencesOf } from '../manifest/instance-grants.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { sha256Hex } from '../store/digest.js';
import { RouteTable } from '../triggers/http/route-table.js';

export interface DeployResult {
  readonly active: ActiveFunction;
  readonly unchanged: boolean;
}

export interface DeployerDeps {
  readonly store: ContentStore;
  readonly artifacts: ArtifactStore;
  readonly code: CodeCache;
  readonly registry: Registry;
  /** Current routes of all active functions, to refuse a deploy that would steal one. */
  readonly routes: () => RouteTable;
  /** The host's secrets: a `[config]` reference to one that is not set is refused. Absent: none is set. */
  readonly secrets?: Pick<SecretStore, 'has'>;
  /** Starts a toolchain worker, only when a deploy needs one (a component not seen before). Default: a real `Toolchain`. */
  readonly startToolchain?: () => Toolchain;
  /** The largest `[limits] memory_mb` this host runs (`serve --max-instance-memory`); absent: the manifest's own bound. */
  readonly maxInstanceMemoryMb?: number;
  /** Asked before a bundle is stored (the host's disk budget): throws `storage_full` to refuse it. */
  readonly admitBytes?: (bytes: number) => void;
  /** Told after a deploy failed: it may have stored a component or artifacts nothing refers to (gc/ collects them). */
  readonly onDeployFailed?: () => void;
  /** Told after every deploy, with its outcome and how long its work took (its wait behind other deploys not counted): metrics. */
  readonly onDeployed?: (outcome: DeployOutcome, durationMs: number) => void;
}

/** How a deploy ended: a bounded label. */
export type DeployOutcome = 'created' | 'unchanged' | 'failed';

export class Deployer {
  readonly #deps: DeployerDeps;
  /** Deploys run one at a time: activation order is then the order requests arrived in. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: DeployerDeps) {
    this.#deps = deps;
  }

  deploy(zip: Uint8Array): Promise<DeployResult> {
    const deploying = this.exclusive(() => this.#measured(zip));
    deploying.catch(() => this.#deps.onDeployFailed?.());
    return deploying;
  }

  /**
   * Runs `work` between deploys, never during one: a check of the active functions followed by a
   * change they depend on (deleting a secret none references) cannot interleave with an activation.
   */
  exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.#queue.catch(() => undefined).then(work);
    this.#queue = run;
    return run;
  }

  async #measured(zip: Uint8Array): Promise<DeployResult> {
    const startedAt = performance.now();
    const report = (outcome: DeployOutcome) => this.#deps.onDeployed?.(outcome, performance.now() - startedAt);
    try {
      const result = await this.#deploy(zip);
      report(result.unchanged ? 'unchanged' : 'created');
      return result;
    } catch (err) {
      report('failed');
      throw err;
    }
  }

  async #deploy(zip: Uint8Array): Promise<DeployResult> {
    const { store, artifacts, code, registry } = this.#deps;
    this.#deps.admitBytes?.(zip.byteLength);
    const bundle = await readBundle(zip);
    const { manifest } = bundle;
    const bundleHex = sha256Hex(zip);
    const current = registry.get(manifest.name);
    if (current?.current.bundleHex === bundleHex) return { active: current, unchanged: true };

    checkBinaryIsComponent(bundle.component, manifest.component);
    this.#checkRoutes(manifest);
    this.#checkQueues(manifest);
    this.#checkSecrets(manifest);
    this.#checkMemory(manifest);
    const componentHex = sha256Hex(bundle.component);
    const startToolchain = this.#deps.startToolchain ?? (() => new Toolchain());
    let toolchain: Toolchain | undefined;
    const tools = (): Toolchain => (toolchain ??= startToolchain());
    let handlers: readonly HandlerKind[];
    try {
      const cachedWit = await artifacts.wit(componentHex);
      const wit =
        cachedWit ??
        (await tools()
          .wit(bundle.component)
          .catch((err: unknown) => {
            throw new WasmletError('component_invalid', `${manifest.component} is not a valid component: ${(err as Error).message}`, undefined, { cause: err });
          }));
      // Validated on every deploy, cached text or not: the manifest (its triggers) differs per deploy.
      const world = validateComponentWorld(wit, manifest.component);
      handlers = world.handlers;
      checkImportsGranted(world, manifest);
      checkTriggersHaveHandlers(manifest, handlers);
      await store.put(bundle.component);
      await artifacts.ensure(componentHex, () =>
        tools()
          .transpile(bundle.component, glueBaseName)
          .catch((err: unknown) => {
            throw new WasmletError('component_invalid', `${manifest.component} could not be transpiled: ${(err as Error).message}`, undefined, { cause: err });
          }),
      );
      // Only a WIT that validated is cached; failing to cache it costs the next deploy a toolchain run, nothing more.
      if (cachedWit === undefined) await artifacts.saveWit(componentHex, wit).catch(() => false);
    } finally {
      await toolchain?.close();
    }
    // Compiling applies the memory cap: a component that cannot fit its limits fails here, before activation.
    await code.get(codeSpecOf(componentHex, manifest));
    await store.put(zip);
    return registry.activate(manifest, bundle.manifestSource, bundleHex, componentHex, handlers);
  }

  /** A queue has one consumer: two functions leasing from it would each see an arbitrary half. */
  #checkQueues(manifest: Manifest): void {
    if (manifest.queue.length === 0) return; // most functions consume no queue: no need to look at the others
    for (const fn of this.#deps.registry.list()) {
      if (fn.name === manifest.name) continue;
      const taken = manifest.queue.find((t) => fn.manifest.queue.some((other) => other.queue === t.queue));
      if (taken) {
        throw new WasmletError('queue_conflict', `queue ${taken.queue} is already consumed by ${fn.name}`, { queue: taken.queue, function: fn.name });
      }
    }
  }

  /** Every secret the manifest reads must exist now; deleting one a deployed function reads is refused (api/secret-routes.ts). */
  #checkSecrets(manifest: Manifest): void {
    for (const [key, secret] of secretReferencesOf(manifest)) {
      if (this.#deps.secrets?.has(secret)) continue;
      throw new WasmletError('secret_unknown', `wasmlet.toml: config key ${JSON.stringify(key)} references secret ${secret}, which is not set on this host (wasmlet secret set ${secret})`, {
        key: `config.${key}`,
        secret,
      });
    }
  }

  /** A function this host could never run at its `memory_mb` is refused now, not on its first call. */
  #checkMemory(manifest: Manifest): void {
    const max = this.#deps.maxInstanceMemoryMb;
    if (max === undefined || manifest.limits.memoryMb <= max) return;
    throw new WasmletError(
      'memory_over_host_limit',
      `wasmlet.toml: limits.memory_mb = ${manifest.limits.memoryMb}, above this host's per-instance maximum of ${max} MiB (serve --max-instance-memory)`,
      { key: 'limits.memory_mb', memoryMb: manifest.limits.memoryMb, maxInstanceMemoryMb: max },
    );
  }

  #checkRoutes(manifest: Manifest): void {
    const table = this.#deps.routes();
    for (const spec of manifest.http) {
      const [conflict] = table.conflictsWith({ route: spec.route, methods: spec.methods, functionName: manifest.name });
      if (conflict) {
        throw new WasmletError('route_conflict', `route ${spec.route} is already served by ${conflict.functionName}`, {
          route: spec.route,
          function: conflict.functionName,
        });
      }
    }
  }
}
