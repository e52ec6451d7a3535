// The WASI 0.2 functions the preview1 adapter imports in a `wasmlet:function` component, lowered by
// the host for the direct path: the same behaviour as capabilities/wasi/* (stdout and stderr into
// the invocation log, the manifest's environment only, no preopened directory, exit as a trap),
// written straight into the guest's memory. Where jco's glue would reach a host object through a
// resource handle, the outcome is the one that object gives (a descriptor refuses every method with
// `access`, as capabilities/wasi/filesystem.ts's does), so both paths answer alike.
import { GuestExit } from '../capabilities/guest-exit.js';
import { emptyInput, InputStream } from '../capabilities/wasi/streams.js';
import { removeHandle, resourceTables, storePairs, tableOf, view, type DirectState } from './direct-abi.js';
import { reallocOf, runningState, type ImportSite, type Lowering } from './direct-lowering.js';
import { ownHandleFor } from './direct-resources.js';

/** filesystem error-code `access`, the first case. */
const errorCodeAccess = 0;

/** stdin is empty: one stateless stream serves every instance (its reads say `closed`). */
const emptyStdin = new InputStream(emptyInput);

function newOutput(state: DirectState, stream: 'stdout' | 'stderr'): number {
  return ownHandleFor(state, resourceTables.outputStream, stream);
}

/** result<T, filesystem error-code> err(access) at `retptr`, its payload at `offset`. */
function refuseAccess(state: DirectState, retptr: number, offset: number): void {
  const dv = view(state.memory);
  dv.setInt8(retptr, 1);
  dv.setInt8(retptr + offset, errorCodeAccess);
}

/** A resource drop: jco's glue removes the handle (an invalid one traps) and disposes of nothing the host holds. */
function drop(kind: number, unreachableIfOwned = false): Lowering {
  return ({ running }) =>
    (handle: number) => {
      const { own } = removeHandle(tableOf(runningState(running), kind), handle);
      if (own && unreachableIfOwned) throw new TypeError('unreachable resource trampoline');
    };
}

const exitCodes = [0, 1];

/** The bits each flags type defines (path-flags: symlink-follow; open-flags: 4; descriptor-flags: 6). */
const pathFlagBits = 0x1;
const openFlagBits = 0xf;
const descriptorFlagBits = 0x3f;

/** A flags value with bits its type does not define traps, as in jco's glue. */
function checkFlags(value: number, defined: number): void {
  if ((value & ~defined) !== 0) throw new TypeError('flags have extraneous bits set');
}

export const wasiLowerings: Readonly<Record<string, Lowering>> = {
  'wasi:cli/stdout#get-stdout': ({ running }) => () => newOutput(runningState(running), 'stdout'),
  'wasi:cli/stderr#get-stderr': ({ running }) => () => newOutput(runningState(running), 'stderr'),
  'wasi:cli/stdin#get-stdin': ({ running }) => () => ownHandleFor(runningState(running), resourceTables.inputStream, emptyStdin),
  'wasi:cli/exit#exit': () => (tag: number) => {
    const code = exitCodes[tag];
    if (code === undefined) throw new TypeError('invalid variant discriminant for expected');
    throw new GuestExit(code);
  },
  // No terminal: every get-terminal-* is none, so no terminal handle ever exists to drop.
  'wasi:cli/terminal-stdin#get-terminal-stdin': ({ running }) => (retptr: number) => view(runningState(running).memory).setInt8(retptr, 0),
  'wasi:cli/terminal-stdout#get-terminal-stdout': ({ running }) => (retptr: number) => view(runningState(running).memory).setInt8(retptr, 0),
  'wasi:cli/terminal-stderr#get-terminal-stderr': ({ running }) => (retptr: number) => view(runningState(running).memory).setInt8(retptr, 0),
  'wasi:cli/terminal-input#[resource-drop]terminal-input': drop(resourceTables.terminalInput),
  'wasi:cli/terminal-output#[resource-drop]terminal-output': drop(resourceTables.terminalOutput),
  'wasi:cli/environment#get-environment': (site: ImportSite) => (retptr: number) => {
    const state = runningState(site.running);
    const pairs = Object.entries(state.grants.env);
    const base = storePairs(state.memory, reallocOf(state, site), pairs);
    const dv = view(state.memory);
    dv.setInt32(retptr + 4, pairs.length, true);
    dv.setInt32(retptr, base, true);
  },
  'wasi:filesystem/types#[resource-drop]descriptor': drop(resourceTables.descriptor),
  'wasi:filesystem/types#[resource-drop]directory-entry-stream': drop(resourceTables.directoryEntryStream, true),
  // No descriptor ever exists (no preopens): no error is a filesystem error.
  'wasi:filesystem/types#filesystem-error-code': ({ running }) => (_handle: number, retptr: number) => view(runningState(running).memory).setInt8(retptr, 0),
  'wasi:filesystem/types#[method]descriptor.get-type': ({ running }) => (_handle: number, retptr: number) => refuseAccess(runningState(running), retptr, 1),
  'wasi:filesystem/types#[method]descriptor.metadata-hash': ({ running }) => (_handle: number, retptr: number) => refuseAccess(runningState(running), retptr, 8),
  'wasi:filesystem/types#[method]descriptor.metadata-hash-at': ({ running }) => (_handle: number, pathFlags: number, _ptr: number, _len: number, retptr: number) => {
    checkFlags(pathFlags, pathFlagBits);
    refuseAccess(runningState(running), retptr, 8);
  },
  'wasi:filesystem/types#[method]descriptor.read-directory': ({ running }) => (_handle: number, retptr: number) => refuseAccess(runningState(running), retptr, 4),
  'wasi:filesystem/types#[method]descriptor.open-at':
    ({ running }) =>
    (_handle: number, pathFlags: number, _ptr: number, _len: number, openFlags: number, descriptorFlags: number, retptr: number) => {
      checkFlags(pathFlags, pathFlagBits);
      checkFlags(openFlags, openFlagBits);
      checkFlags(descriptorFlags, descriptorFlagBits);
      refuseAccess(runningState(running), retptr, 4);
    },
  // A directory-entry stream never exists; jco's glue would answer ok(none) (the host's class has no entries).
  'wasi:filesystem/types#[method]directory-entry-stream.read-directory-entry': ({ running }) => (_handle: number, retptr: number) => {
    const dv = view(runningState(running).memory);
    dv.setInt8(retptr, 0);
    dv.setInt8(retptr + 4, 0);
  },
  'wasi:filesystem/types#[method]descriptor.get-flags': ({ running }) => (_handle: number, retptr: number) => refuseAccess(runningState(running), retptr, 1),
  'wasi:filesystem/types#[method]descriptor.stat': ({ running }) => (_handle: number, retptr: number) => refuseAccess(runningState(running), retptr, 8),
  'wasi:filesystem/types#[method]descriptor.read-via-stream': ({ running }) => (_handle: number, _offset: bigint, retptr: number) =>
    refuseAccess(runningState(running), retptr, 4),
  'wasi:filesystem/types#[method]descriptor.write-via-stream': ({ running }) => (_handle: number, _offset: bigint, retptr: number) =>
    refuseAccess(runningState(running), retptr, 4),
  'wasi:filesystem/types#[method]descriptor.append-via-stream': ({ running }) => (_handle: number, retptr: number) => refuseAccess(runningState(running), retptr, 4),
  'wasi:filesystem/preopens#get-directories': (site: ImportSite) => (retptr: number) => {
    const state = runningState(site.running);
    // An empty list still allocates (jco's glue does), so the guest's allocator state is the same.
    const base = reallocOf(state, site)(0, 0, 4, 0);
    const dv = view(state.memory);
    dv.setInt32(retptr + 4, 0, true);
    dv.setInt32(retptr, base, true);
  },
};
