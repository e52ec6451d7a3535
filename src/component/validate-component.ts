// Deploy-time checks on a component: it is one, it exports a wasmlet world, and it imports only
// what the host provides. Deny by default: anything unknown is refused here, not discovered at run time.
import { providedInterfaces } from '../capabilities/instance-imports.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { binaryKind } from './component-header.js';
import { parseComponentWorld, unversioned, type ComponentWorld } from './component-world.js';

/** The export every HTTP function must have (any 0.1.x patch of the package). */
export const httpHandlerInterface = 'wasmlet:function/http-handler';
const supportedHandlerVersion = /^0\.1\.\d+$/;

export function checkBinaryIsComponent(bytes: Uint8Array, path: string): void {
  const kind = binaryKind(bytes);
  if (kind === 'core-module') {
    throw new WasmletError('component_invalid', `${path} is a core wasm module, not a component; wrap it with toolchains/componentize.mjs (jco new)`, { path });
  }
  if (kind === 'not-wasm') throw new WasmletError('component_invalid', `${path} is not a WebAssembly binary`, { path });
}

export function validateComponentWorld(wit: string, path: string): ComponentWorld {
  const world = parseComponentWorld(wit);
  const handler = world.exports.find((e) => unversioned(e) === httpHandlerInterface);
  if (!handler) {
    throw new WasmletError(
      'component_world_mismatch',
      `${path} does not export ${httpHandlerInterface}@0.1.0 (world wasmlet:function/http-function); it exports: ${world.exports.join(', ') || 'nothing'}`,
      { exports: world.exports },
    );
  }
  const version = handler.split('@')[1] ?? '';
  if (!supportedHandlerVersion.test(version)) {
    throw new WasmletError('component_world_mismatch', `${path} exports ${handler}; this host supports ${httpHandlerInterface}@0.1.x`, { export: handler });
  }
  const denied = world.imports.filter((i) => !providedInterfaces.has(unversioned(i)));
  if (denied.length > 0) {
    throw new WasmletError(
      'component_import_denied',
      `${path} imports ${denied.join(', ')}, which this host does not provide (see the README's isolation model for what a guest can import)`,
      { denied },
    );
  }
  return world;
}
