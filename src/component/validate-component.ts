// Deploy-time checks of a component: it is a component, it exports handlers this host can call
// (each one a trigger in the manifest needs), and it imports nothing the host does not provide.
import { gateOf, isProvidedImport, pinnedVersionOf } from '../capabilities/instance-imports.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { grantsOfManifest } from '../manifest/instance-grants.js';
import type { Manifest } from '../manifest/manifest.js';
import { binaryKind } from './component-header.js';
import { parseComponentWorld, unversioned, type ComponentWorld } from './component-world.js';

/** The handler interfaces a component may export, by the trigger kind they serve. */
export const handlerInterfaces = {
  http: 'wasmlet:function/http-handler',
  queue: 'wasmlet:function/queue-handler',
  schedule: 'wasmlet:function/schedule-handler',
} as const;
export type HandlerKind = keyof typeof handlerInterfaces;

/** @deprecated name kept for callers of the HTTP-only days; use handlerInterfaces.http. */
export const httpHandlerInterface = handlerInterfaces.http;
const supportedHandlerVersion = /^0\.1\.\d+$/;
/** The standard HTTP handler (wasi:http/proxy): serves what `http-handler` serves. */
export const wasiIncomingHandler = 'wasi:http/incoming-handler';
/** Every WASI 0.2 patch version the toolchains emit (StarlingMonkey: 0.2.10; componentize-py: 0.2.0). */
const supportedWasiHttpVersion = /^0\.2\.\d+$/;

export interface CheckedWorld extends ComponentWorld {
  /** The handlers the component exports. */
  readonly handlers: readonly HandlerKind[];
}

export function checkBinaryIsComponent(bytes: Uint8Array, path: string): void {
  const kind = binaryKind(bytes);
  if (kind === 'core-module') {
    throw new WasmletError('component_invalid', `${path} is a core wasm module, not a component; wrap it with toolchains/componentize.mjs (jco new)`, { path });
  }
  if (kind === 'not-wasm') throw new WasmletError('component_invalid', `${path} is not a WebAssembly binary`, { path });
}

export function validateComponentWorld(wit: string, path: string): CheckedWorld {
  const world = parseComponentWorld(wit);
  const handlers: HandlerKind[] = [];
  for (const [kind, iface] of Object.entries(handlerInterfaces) as [HandlerKind, string][]) {
    const exported = world.exports.find((e) => unversioned(e) === iface);
    if (exported === undefined) continue;
    const version = exported.split('@')[1] ?? '';
    if (!supportedHandlerVersion.test(version)) {
      throw new WasmletError('component_world_mismatch', `${path} exports ${exported}; this host supports ${iface}@0.1.x`, { export: exported });
    }
    handlers.push(kind);
  }
  const incoming = world.exports.find((e) => unversioned(e) === wasiIncomingHandler);
  if (incoming !== undefined) {
    const version = incoming.split('@')[1] ?? '';
    if (!supportedWasiHttpVersion.test(version)) {
      throw new WasmletError('component_world_mismatch', `${path} exports ${incoming}; this host supports ${wasiIncomingHandler}@0.2.x`, { export: incoming });
    }
    if (handlers.includes('http')) {
      throw new WasmletError('component_world_mismatch', `${path} exports both ${handlerInterfaces.http} and ${incoming}; an HTTP function exports one of them`, { exports: world.exports });
    }
    handlers.push('http');
  }
  if (handlers.length === 0) {
    const wanted = [...Object.values(handlerInterfaces).map((i) => `${i}@0.1.0`), `${wasiIncomingHandler}@0.2.x`].join(', ');
    throw new WasmletError(
      'component_world_mismatch',
      `${path} exports no handler this host can call (one of ${wanted}; e.g. world wasmlet:function/http-function or wasi:http/proxy); it exports: ${world.exports.join(', ') || 'nothing'}`,
      { exports: world.exports },
    );
  }
  const denied = world.imports.filter((i) => !isProvidedImport(i));
  if (denied.length > 0) {
    throw new WasmletError(
      'component_import_denied',
      `${path} imports ${denied.join(', ')}, which this host does not provide (see the README's isolation model for what a guest can import)${versionHint(denied)}`,
      { denied },
    );
  }
  return { ...world, handlers };
}

/** "; this host implements wasi:keyvalue/store@0.2.0-draft2" when a denied import is another version of one it has. */
function versionHint(denied: readonly string[]): string {
  const pinned = denied.map((i) => [unversioned(i), pinnedVersionOf(unversioned(i))] as const).filter(([, v]) => v !== undefined);
  return pinned.length === 0 ? '' : `; this host implements ${[...new Set(pinned.map(([i, v]) => `${i}@${v}`))].join(', ')}`;
}

/**
 * Deny by default: importing a gated capability (capabilities/capability-units.ts) needs its grant
 * in the manifest; the refusal names the key to add.
 */
export function checkImportsGranted(world: ComponentWorld, manifest: Manifest): void {
  for (const imported of world.imports) {
    const gate = gateOf(unversioned(imported));
    if (gate && !gate.isGranted(grantsOfManifest(manifest))) {
      throw new WasmletError(
        'component_import_denied',
        `${manifest.component} imports ${imported}, but wasmlet.toml grants nothing for it: add ${gate.manifestKey} (e.g. ${gate.example ?? `${gate.manifestKey} = ["https://api.example.com"]`})`,
        { import: imported, key: gate.manifestKey },
      );
    }
  }
}

/** Every trigger the manifest declares must have its handler: a queue nobody can drain is refused at deploy, not discovered later. */
export function checkTriggersHaveHandlers(manifest: Manifest, handlers: readonly HandlerKind[]): void {
  const needed: [HandlerKind, string][] = [];
  if (manifest.http.length > 0) needed.push(['http', `[[http]] route ${manifest.http[0]!.route}`]);
  if (manifest.queue.length > 0) needed.push(['queue', `[[queue]] queue = "${manifest.queue[0]!.queue}"`]);
  if (manifest.objectEvent.length > 0) needed.push(['queue', `[[object_event]] bucket = "${manifest.objectEvent[0]!.bucket}"`]);
  if (manifest.schedule.length > 0) needed.push(['schedule', `[[schedule]] name = "${manifest.schedule[0]!.name}"`]);
  for (const [kind, trigger] of needed) {
    if (handlers.includes(kind)) continue;
    throw new WasmletError(
      'component_world_mismatch',
      `wasmlet.toml declares ${trigger}, but ${manifest.component} does not export ${handlerInterfaces[kind]}; it exports the ${handlers.join(', ')} handler`,
      { missing: handlerInterfaces[kind], handlers },
    );
  }
}
