// wasi:io's streams and errors lowered by the host for the direct path. An output stream is the
// guest's stdout or stderr (a marker: its bytes go straight into the invocation log, with no
// object per instance) or a host OutputStream (an outgoing HTTP body); an input stream is a host
// InputStream (an incoming body, or the empty stdin). Stream errors reach the guest as jco's glue
// lowers them: `closed`, or `last-operation-failed` with an own `error` handle.
import { InputStream, IoError, OutputStream, poll, readyPollable, writePermitBytes, type Pollable } from '../capabilities/wasi/streams.js';
import { encodedLength, encodeString, readBytes, resourceTables, storeBytes, storeList, view, type DirectState } from './direct-abi.js';
import { reallocOf, runningState, type Lowering } from './direct-lowering.js';
import { borrowed, dropHandle, errorPayload, ownHandleFor } from './direct-resources.js';

/** What an output-stream handle stands for. */
export type OutputTarget = 'stdout' | 'stderr' | OutputStream;

/** A stream error as the host classes throw it (capabilities/wasi/streams.ts, wasi-http/incoming.ts). */
type StreamError = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };

/**
 * Writes guest bytes to the stream behind `handle`; a stream error is stored at `retptr` as
 * result<_, stream-error> (tag, then the error's case at +4 and its handle at +8), success as ok.
 */
function writeTo(state: DirectState, handle: number, ptr: number, len: number, retptr: number, blocking: boolean): void {
  const target = borrowed<OutputTarget>(state, resourceTables.outputStream, handle);
  if (typeof target === 'string') {
    state.log.write(target, new Uint8Array(state.memory.buffer, ptr, len));
    view(state.memory).setInt8(retptr, 0);
    return;
  }
  // A copy: the body keeps the bytes after the guest's memory is recycled.
  const bytes = readBytes(state.memory, ptr, len);
  try {
    if (blocking) target.blockingWriteAndFlush(bytes);
    else target.write(bytes);
  } catch (err) {
    storeStreamError(state, retptr, 4, errorPayload(err));
    return;
  }
  view(state.memory).setInt8(retptr, 0);
}

/** err(stream-error) at `retptr`, the stream-error at `retptr + offset`. */
function storeStreamError(state: DirectState, retptr: number, offset: number, payload: unknown): void {
  const error = payload as StreamError | undefined;
  const dv = view(state.memory);
  dv.setInt8(retptr, 1);
  switch (error?.tag) {
    case 'last-operation-failed': {
      if (!(error.val instanceof IoError)) throw new TypeError('Resource error: Not a valid "Error" resource.');
      dv.setInt8(retptr + offset, 0);
      const handle = ownHandleFor(state, resourceTables.error, error.val);
      view(state.memory).setInt32(retptr + offset + 4, handle, true);
      return;
    }
    case 'closed':
      dv.setInt8(retptr + offset, 1);
      return;
    default:
      throw new TypeError(`invalid variant tag value ${JSON.stringify((payload as { tag?: unknown } | undefined)?.tag)} specified for StreamError`);
  }
}

/** read and blocking-read: result<list<u8>, stream-error> at `retptr` (the list's pointer at +4, its length at +8). */
function readFrom(blocking: boolean): Lowering {
  return (site) => (handle: number, len: bigint, retptr: number) => {
    const state = runningState(site.running);
    const stream = borrowed<InputStream>(state, resourceTables.inputStream, handle);
    let bytes: Uint8Array;
    try {
      const max = BigInt.asUintN(64, len);
      bytes = blocking ? stream.blockingRead(max) : stream.read(max);
    } catch (err) {
      storeStreamError(state, retptr, 4, errorPayload(err));
      return;
    }
    view(state.memory).setInt8(retptr, 0);
    storeList(state.memory, retptr + 4, storeBytes(state.memory, reallocOf(state, site), bytes), bytes.byteLength);
  };
}

export const streamLowerings: Readonly<Record<string, Lowering>> = {
  'wasi:io/error#[resource-drop]error': ({ running }) => (handle: number) => dropHandle(runningState(running), resourceTables.error, handle),
  'wasi:io/error#[method]error.to-debug-string': (site) => (handle: number, retptr: number) => {
    const state = runningState(site.running);
    const text = borrowed<IoError>(state, resourceTables.error, handle).toDebugString();
    const ptr = encodeString(state.memory, reallocOf(state, site), text);
    storeList(state.memory, retptr, ptr, encodedLength);
  },
  'wasi:io/streams#[resource-drop]output-stream': ({ running }) => (handle: number) => dropHandle(runningState(running), resourceTables.outputStream, handle),
  'wasi:io/streams#[resource-drop]input-stream': ({ running }) => (handle: number) => dropHandle(runningState(running), resourceTables.inputStream, handle),
  // Every stream here takes any write at once: the permit is a constant, whatever the handle (as the host class's).
  'wasi:io/streams#[method]output-stream.check-write': ({ running }) => (_handle: number, retptr: number) => {
    const dv = view(runningState(running).memory);
    dv.setInt8(retptr, 0);
    dv.setBigInt64(retptr + 8, BigInt(writePermitBytes), true);
  },
  'wasi:io/streams#[method]output-stream.write': ({ running }) => (handle: number, ptr: number, len: number, retptr: number) =>
    writeTo(runningState(running), handle, ptr, len, retptr, false),
  'wasi:io/streams#[method]output-stream.blocking-write-and-flush': ({ running }) => (handle: number, ptr: number, len: number, retptr: number) =>
    writeTo(runningState(running), handle, ptr, len, retptr, true),
  'wasi:io/streams#[method]output-stream.blocking-flush': ({ running }) => (_handle: number, retptr: number) => view(runningState(running).memory).setInt8(retptr, 0),
  'wasi:io/streams#[method]input-stream.read': readFrom(false),
  'wasi:io/streams#[method]input-stream.blocking-read': readFrom(true),
  'wasi:io/streams#[method]input-stream.subscribe': ({ running }) => (handle: number) => {
    const state = runningState(running);
    return ownHandleFor(state, resourceTables.pollable, borrowed<InputStream>(state, resourceTables.inputStream, handle).subscribe());
  },
  // stdout, stderr and bodies take every write at once: always ready, as the host class's.
  'wasi:io/streams#[method]output-stream.subscribe': ({ running }) => (handle: number) => {
    const state = runningState(running);
    const target = borrowed<OutputTarget>(state, resourceTables.outputStream, handle);
    return ownHandleFor(state, resourceTables.pollable, typeof target === 'string' ? readyPollable() : target.subscribe());
  },
  'wasi:io/poll#[resource-drop]pollable': ({ running }) => (handle: number) => dropHandle(runningState(running), resourceTables.pollable, handle),
  'wasi:io/poll#[method]pollable.ready': ({ running }) => (handle: number) => (borrowed<Pollable>(runningState(running), resourceTables.pollable, handle).ready() ? 1 : 0),
  'wasi:io/poll#[method]pollable.block': ({ running }) => (handle: number) => borrowed<Pollable>(runningState(running), resourceTables.pollable, handle).block(),
  // poll(list<borrow<pollable>>) -> list<u32>: blocks (through the HostLink) until one is ready.
  'wasi:io/poll#poll': (site) => (ptr: number, len: number, retptr: number) => {
    const state = runningState(site.running);
    const pollables: Pollable[] = [];
    for (let i = 0; i < len; i++) pollables.push(borrowed<Pollable>(state, resourceTables.pollable, view(state.memory).getInt32(ptr + i * 4, true)));
    const ready = poll(pollables);
    const base = reallocOf(state, site)(0, 0, 4, ready.length * 4);
    new Uint32Array(state.memory.buffer, base, ready.length).set(ready);
    storeList(state.memory, retptr, base, ready.length);
  },
};
