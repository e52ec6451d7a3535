// Calling a direct instance's handlers (runtime/direct-instance.ts): the arguments lowered into the
// guest's memory and the result lifted exactly as jco's glue does for the `wasmlet:function` world
// (sdk/wit/function.wit; the same realloc calls in the same order), then `cabi_post_*`. Each returns
// the value the glue's `handle` would return, or the guest's `err(message)` as `{ error }`; a trap
// or an exit is thrown, as from the glue.
import { callIncomingHandler } from './call-incoming-handler.js';
import { encodedLength, encodeString, readBytes, readPairs, readString, resourceTables, storeBytes, storePairs, view, type DirectState, type Realloc } from './direct-abi.js';
import type { CoreFunction } from './direct-instance.js';
import type { DirectCode, DirectHandler } from './direct-plan.js';
import { ownHandleFor } from './direct-resources.js';
import type { GuestMessage, ScheduleEvent } from './guest-call.js';
import { checkBatchResults, checkResponse } from './check-results.js';
import type { GuestCall } from './guest-call.js';
import type { GuestRequest, GuestResponse, Outcome } from './outcome.js';

/** A call on the direct path: the same checks as the glue's lifted values get. */
export function callDirect(code: DirectCode, state: DirectState, call: GuestCall, maxResponseBytes: number): Outcome {
  if (!code.handlers[call.kind]) throw new Error(`component does not export the ${call.kind}-handler interface`);
  switch (call.kind) {
    case 'http': {
      if (code.handlers.http!.abi === 'wasi-http') return callDirectIncoming(code, state, call, maxResponseBytes);
      const lifted = callDirectHttp(code, state, call.request);
      return 'error' in lifted ? { kind: 'guest_error', message: lifted.error } : checkResponse(lifted, maxResponseBytes);
    }
    case 'queue': {
      const lifted = callDirectQueue(code, state, call.queue, call.messages);
      return 'error' in lifted ? { kind: 'guest_error', message: lifted.error } : checkBatchResults(lifted, call.messages.length);
    }
    case 'schedule': {
      const lifted = callDirectSchedule(code, state, call.event);
      return lifted ? { kind: 'guest_error', message: lifted.error } : { kind: 'event_ok' };
    }
  }
}

export interface GuestErr {
  readonly error: string;
}

/** The message-result variant as jco lifts it (run-invocation.ts checks it the same way for both paths). */
export type LiftedMessageResult = { tag: 'ok' } | { tag: 'retry'; val: number | undefined } | { tag: 'fail'; val: string };

export function callDirectHttp(code: DirectCode, state: DirectState, request: GuestRequest): GuestResponse | GuestErr {
  const previous = code.running.state;
  code.running.state = state;
  try {
    const { exports, memory } = state;
    const realloc = exports[code.realloc] as Realloc;
    const methodPtr = encodeString(memory, realloc, request.method);
    const methodLen = encodedLength;
    const pathPtr = encodeString(memory, realloc, request.path);
    const pathLen = encodedLength;
    const queryPtr = encodeString(memory, realloc, request.query);
    const queryLen = encodedLength;
    const headersPtr = storePairs(memory, realloc, request.headers);
    const bodyPtr = storeBytes(memory, realloc, request.body);
    const handler = code.handlers.http!;
    const ret = (exports[handler.call] as CoreFunction)(methodPtr, methodLen, pathPtr, pathLen, queryPtr, queryLen, headersPtr, request.headers.length, bodyPtr, request.body.byteLength);
    return finish(state, handler, ret as number, liftResponse);
  } finally {
    code.running.state = previous;
  }
}

/** wasi:http's `handle(own incoming-request, own response-outparam)`: the host's request and outparam objects behind new handles, as the glue passes them. */
function callDirectIncoming(code: DirectCode, state: DirectState, call: Extract<GuestCall, { kind: 'http' }>, maxResponseBytes: number): Outcome {
  const handler = code.handlers.http!;
  return callIncomingHandler(
    (request, responseOut) => {
      const previous = code.running.state;
      code.running.state = state;
      try {
        const requestHandle = ownHandleFor(state, resourceTables.incomingRequest, request);
        const outHandle = ownHandleFor(state, resourceTables.responseOutparam, responseOut);
        (state.exports[handler.call] as CoreFunction)(requestHandle, outHandle);
      } finally {
        code.running.state = previous;
      }
    },
    call,
    state.link,
    maxResponseBytes,
  );
}

export function callDirectQueue(code: DirectCode, state: DirectState, queue: string, messages: readonly GuestMessage[]): LiftedMessageResult[] | GuestErr {
  const previous = code.running.state;
  code.running.state = state;
  try {
    const { exports, memory } = state;
    const realloc = exports[code.realloc] as Realloc;
    const queuePtr = encodeString(memory, realloc, queue);
    const queueLen = encodedLength;
    // message: id 0, body 8, attempt 16, enqueued-at 24 (u64), attributes 32; 40 bytes, align 8.
    const base = realloc(0, 0, 8, messages.length * 40);
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const at = base + i * 40;
      const idPtr = encodeString(memory, realloc, message.id);
      view(memory).setInt32(at + 4, encodedLength, true);
      view(memory).setInt32(at, idPtr, true);
      const bodyPtr = storeBytes(memory, realloc, message.body);
      view(memory).setInt32(at + 12, message.body.byteLength, true);
      view(memory).setInt32(at + 8, bodyPtr, true);
      view(memory).setInt32(at + 16, message.attempt >>> 0, true);
      view(memory).setBigInt64(at + 24, BigInt.asUintN(64, BigInt(message.enqueuedAt)), true);
      const attributesPtr = storePairs(memory, realloc, message.attributes);
      view(memory).setInt32(at + 36, message.attributes.length, true);
      view(memory).setInt32(at + 32, attributesPtr, true);
    }
    const handler = code.handlers.queue!;
    const ret = (exports[handler.call] as CoreFunction)(queuePtr, queueLen, base, messages.length);
    return finish(state, handler, ret as number, liftMessageResults);
  } finally {
    code.running.state = previous;
  }
}

export function callDirectSchedule(code: DirectCode, state: DirectState, event: ScheduleEvent): undefined | GuestErr {
  const previous = code.running.state;
  code.running.state = state;
  try {
    const { exports, memory } = state;
    const namePtr = encodeString(memory, exports[code.realloc] as Realloc, event.name);
    const handler = code.handlers.schedule!;
    const ret = (exports[handler.call] as CoreFunction)(namePtr, encodedLength, BigInt.asUintN(64, BigInt(event.scheduledAt)));
    return finish(state, handler, ret as number, () => undefined);
  } finally {
    code.running.state = previous;
  }
}

/** result<T, string> at `ret`: T lifted by `liftOk` from `ret + offset of T`, then `cabi_post_*`. */
function finish<T>(state: DirectState, handler: DirectHandler, ret: number, liftOk: (memory: WebAssembly.Memory, at: number) => T): T | GuestErr {
  const { memory } = state;
  let lifted: T | GuestErr;
  switch (view(memory).getUint8(ret)) {
    case 0:
      lifted = liftOk(memory, ret);
      break;
    case 1:
      lifted = { error: readString(memory, view(memory).getInt32(ret + 4, true), view(memory).getInt32(ret + 8, true)) };
      break;
    default:
      throw new TypeError('invalid variant discriminant for expected');
  }
  if (handler.postReturn) (state.exports[handler.postReturn] as CoreFunction)(ret);
  return lifted;
}

/** http-response at `ret + 4`: status u16, headers at +8, body at +16. */
function liftResponse(memory: WebAssembly.Memory, ret: number): GuestResponse {
  const dv = view(memory);
  const headers = readPairs(memory, dv.getInt32(ret + 8, true), dv.getInt32(ret + 12, true));
  const body = readBytes(memory, view(memory).getInt32(ret + 16, true), view(memory).getInt32(ret + 20, true));
  return { status: view(memory).getUint16(ret + 4, true), headers, body };
}

/** list<message-result> at `ret + 4`; each 12 bytes: tag, then option<u32> (tag at +4, value at +8) or a string at +4. */
function liftMessageResults(memory: WebAssembly.Memory, ret: number): LiftedMessageResult[] {
  const base = view(memory).getInt32(ret + 4, true);
  const count = view(memory).getInt32(ret + 8, true);
  const results: LiftedMessageResult[] = [];
  for (let i = 0; i < count; i++) {
    const at = base + i * 12;
    const dv = view(memory);
    switch (dv.getUint8(at)) {
      case 0:
        results.push({ tag: 'ok' });
        break;
      case 1: {
        const some = dv.getUint8(at + 4);
        if (some > 1) throw new TypeError('invalid variant discriminant for option');
        results.push({ tag: 'retry', val: some === 1 ? dv.getInt32(at + 8, true) >>> 0 : undefined });
        break;
      }
      case 2:
        results.push({ tag: 'fail', val: readString(memory, dv.getInt32(at + 4, true), dv.getInt32(at + 8, true)) });
        break;
      default:
        throw new TypeError('invalid variant discriminant for MessageResult');
    }
  }
  return results;
}

/** list<u8>: allocated even when empty (the glue does). */
