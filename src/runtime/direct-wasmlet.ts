// The `wasmlet:function` imports (sdk/wit/function.wit) lowered by the host for the direct path,
// with capabilities/host-interface.ts's and capabilities/publisher-interface.ts's behaviour.
import { createPublisherInterface } from '../capabilities/publisher-interface.js';
import { encodedLength, encodeString, readBytes, readPairs, readString, storeString, view, type DirectState } from './direct-abi.js';
import { reallocOf, runningState, type ImportSite, type Lowering } from './direct-lowering.js';
import { errorPayload } from './direct-resources.js';

/** host.log-level, by discriminant. */
const logLevels = ['debug', 'info', 'warn', 'error'] as const;

function publisherOf(state: DirectState): NonNullable<DirectState['publisher']> {
  // Made on the first send, so an instance that never sends costs nothing; it keeps its byte count
  // for the instance's life, as the glue path's per-instance import does.
  return (state.publisher ??= createPublisherInterface(state.grants.publish, state.outbox)['wasmlet:function/publisher']);
}

export const wasmletLowerings: Readonly<Record<string, Lowering>> = {
  'wasmlet:function/host#log': ({ running }) => (level: number, ptr: number, len: number) => {
    const name = logLevels[level];
    if (name === undefined) throw new TypeError('invalid discriminant specified for LogLevel');
    const state = runningState(running);
    state.log.add(name, 'log', readString(state.memory, ptr, len));
  },
  'wasmlet:function/host#get-config': (site: ImportSite) => (ptr: number, len: number, retptr: number) => {
    const state = runningState(site.running);
    const key = readString(state.memory, ptr, len);
    const config = state.grants.config;
    if (!Object.hasOwn(config, key)) {
      view(state.memory).setInt8(retptr, 0);
      return;
    }
    view(state.memory).setInt8(retptr, 1);
    storeString(state.memory, reallocOf(state, site), config[key]!, retptr + 4);
  },
  'wasmlet:function/publisher#send': (site: ImportSite) =>
    (queuePtr: number, queueLen: number, bodyPtr: number, bodyLen: number, attrsPtr: number, attrsLen: number, delayMs: number, retptr: number) => {
      const state = runningState(site.running);
      const { memory } = state;
      const queue = readString(memory, queuePtr, queueLen);
      const body = readBytes(memory, bodyPtr, bodyLen);
      const attributes = readPairs(memory, attrsPtr, attrsLen);
      let tag: number;
      let text: unknown;
      try {
        text = publisherOf(state).send(queue, { body, attributes, delayMs: delayMs >>> 0 });
        tag = 0;
      } catch (err) {
        text = errorPayload(err);
        tag = 1;
      }
      view(memory).setInt8(retptr, tag);
      const ptr = encodeString(memory, reallocOf(state, site), text as string);
      const dv = view(memory);
      dv.setInt32(retptr + 8, encodedLength, true);
      dv.setInt32(retptr + 4, ptr, true);
    },
};
